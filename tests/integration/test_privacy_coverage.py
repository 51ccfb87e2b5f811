"""Every table that names a person is covered by export, erasure and the purge (from the schema,
so a new table cannot be forgotten)."""

from __future__ import annotations

import re

from storage.privacy import PURGED_TABLES
from storage.privacy_rules import RULES
from storage.store import Store

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
        schema = _SCHEMA[store.db.engine]
        tables = [r[0] for r in await conn.execute_fetchall(schema["tables"])]
        for table in tables:
            columns = {r[0] for r in await conn.execute_fetchall(schema["columns"], (table,))}
            person = {r[0] for r in await conn.execute_fetchall(schema["to_members"], (table,))}
            person |= {c for c in columns if _PERSON.search(c) and (table, c) not in _NOT_PERSON}
            if table == "members":
                person.add("id")
            if person:
                found[table] = person
    return found


# The schema as each engine describes it: tables, a table's columns, and its columns that
# refer to members.
_SCHEMA = {
    "sqlite": {
        "tables": "SELECT name FROM sqlite_master WHERE type = 'table'"
        " AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations'",
        "columns": "SELECT name FROM pragma_table_info(?)",
        "to_members": 'SELECT "from" FROM pragma_foreign_key_list(?) WHERE "table" = \'members\'',
    },
    "postgresql": {
        "tables": "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        " AND table_name != 'schema_migrations'",
        "columns": "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = ?",
        "to_members": "SELECT a.attname FROM pg_constraint c JOIN pg_attribute a"
        " ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)"
        " WHERE c.contype = 'f' AND c.conrelid = to_regclass(?)"
        " AND c.confrelid = to_regclass('members')",
    },
}


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
