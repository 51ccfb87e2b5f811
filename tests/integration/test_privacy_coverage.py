"""Every table that names a person is covered by export, erasure and the purge (from the schema,
so a new table cannot be forgotten)."""

from __future__ import annotations

import re

import pytest

from storage.privacy import PURGED_TABLES
from storage.privacy_rules import RULES
from storage.store import Store


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    """SQLite only: these tests read the schema and rows with SQLite's SQL (PostgreSQL's run
    of the privacy code is not covered yet)."""
    return sqlite_store


# Columns that name a person without a declared reference (a Telegram id, an author).
_PERSON = re.compile(r"(^|_)member_id$|_by$|^author_id$|telegram")
# Named like a person but naming something else: the outbox sender (host, process, tag) that
# holds a message's lease.
_NOT_PERSON = {("outbox", "claimed_by")}


async def _person_columns(store: Store) -> dict[str, set[str]]:
    """Per table, the columns that reference `members` or are named like a person."""
    found: dict[str, set[str]] = {}
    async with store.read() as tx:
        conn = tx.members._conn
        tables = [
            r[0]
            for r in await conn.execute_fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations'"
            )
        ]
        for table in tables:
            columns = {r[1] for r in await conn.execute_fetchall(f"PRAGMA table_info({table})")}
            keys = await conn.execute_fetchall(f"PRAGMA foreign_key_list({table})")
            person = {k[3] for k in keys if k[2] == "members"}
            person |= {c for c in columns if _PERSON.search(c) and (table, c) not in _NOT_PERSON}
            if table == "members":
                person.add("id")
            if person:
                found[table] = person
    return found


async def test_every_table_naming_a_person_has_a_rule(store: Store) -> None:
    in_schema = await _person_columns(store)
    assert "outbox" in in_schema and "flags" in in_schema  # the detection itself works
    covered = {r.table: set(r.member_columns) for r in RULES}
    missing = sorted(set(in_schema) - set(covered))
    assert missing == [], f"tables naming a person with no privacy rule: {missing}"
    unlisted = {t: cols - covered[t] for t, cols in in_schema.items() if cols - covered[t]}
    assert unlisted == {}, f"person columns a rule does not list: {unlisted}"
    stale = sorted(set(covered) - set(in_schema))
    assert stale == [], f"rules for tables that do not name a person: {stale}"


async def test_every_rule_exports_erases_and_is_purged_or_says_why() -> None:
    for r in RULES:
        assert r.export.lstrip().upper().startswith("SELECT"), r.table
        assert ":member" in r.export, r.table
        assert r.erased, f"{r.table}: what erasure does is not stated"
        if r.purge is None:
            assert r.kept, f"{r.table}: never purged and no reason given"
        else:
            assert r.table in PURGED_TABLES[r.purge], (
                f"{r.table} is said to be purged as {r.purge} but that purge never touches it"
            )
