"""The numbered migrations as files, for both engines, and SQLite's way to apply one."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from importlib import resources

import aiosqlite

MIGRATIONS_PACKAGE = "storage.migrations"


def statements(script: str) -> list[str]:
    """Split a migration into statements: at each semicolon that ends one, as SQLite's own
    shell does (so a trigger's body or a quoted semicolon stays whole)."""
    found: list[str] = []
    start = 0
    for end, char in enumerate(script, start=1):
        if char == ";" and sqlite3.complete_statement(script[start:end]):
            found.append(script[start:end].strip())
            start = end
    rest = script[start:]
    if any(line.strip() and not line.strip().startswith("--") for line in rest.splitlines()):
        found.append(rest.strip())  # a last statement without its semicolon
    return found


async def apply(conn: aiosqlite.Connection, name: str, sql: str) -> None:
    for statement in statements(sql):
        await conn.execute(statement)
    await conn.execute(
        "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
        (name, datetime.now(UTC).isoformat()),
    )


def without_foreign_keys(sql: str) -> bool:
    """True for a migration whose first line asks for foreign keys off."""
    return sql.lstrip().startswith("-- foreign_keys: off")


def migration_files(engine: str) -> list[tuple[str, str]]:
    """The migrations in order as (name, SQL) for an engine: `NNNN_name.sql`, or for
    PostgreSQL its `NNNN_name.pg.sql` where one exists (under the same name, so both engines
    record one history)."""
    folder = resources.files(MIGRATIONS_PACKAGE)
    common: dict[str, str] = {}
    own: dict[str, str] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".pg.sql"):
            own[entry.name.removesuffix(".pg.sql") + ".sql"] = entry.read_text(encoding="utf-8")
        elif entry.name.endswith(".sql"):
            common[entry.name] = entry.read_text(encoding="utf-8")
    if engine == "postgresql":
        common.update((name, sql) for name, sql in own.items() if name in common)
    return sorted(common.items())
