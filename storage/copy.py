"""Moving a deployment from one database to another (SQLite to PostgreSQL, say), row for row.

Both are migrated to the same version first; the target must hold nothing but what the
migrations seeded. Every table is copied in one transaction on the target, each after the
tables it refers to, and then counted and checksummed on both sides: a row lost, doubled or
changed on the way makes the copy fail.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from storage.db import Database
from storage.errors import StorageError
from storage.schema import Schema, describe

BATCH = 1000
# Rows the migrations themselves put there; the copy replaces them with the source's.
SEEDED = ("agencies",)
_MODULUS = 2**256


class CopyRefused(StorageError):
    """The copy cannot start (the target holds data, or the schemas differ); nothing moved."""


@dataclass(frozen=True)
class TableCopied:
    """One table's figures on both sides after the copy."""

    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def matches(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _select(schema: Schema, table: str) -> str:
    columns = ", ".join(_quoted(c) for c in schema.columns[table])
    keys = schema.primary_keys.get(table) or tuple(schema.columns[table])
    order = ", ".join(_quoted(k) for k in keys)
    # Names come from the migrated schema, never from input.
    return f"SELECT {columns} FROM {_quoted(table)} ORDER BY {order}"  # noqa: S608


def _row_sum(row: tuple[object, ...]) -> int:
    digest = hashlib.sha256(repr(tuple(row)).encode("utf-8")).digest()
    return int.from_bytes(digest, "big")


async def _figures(db: Database, schema: Schema, table: str) -> tuple[int, str]:
    """(rows, checksum) of a table: a sum of row digests, so the order rows come in is moot."""
    count, total = 0, 0
    async with db.read() as conn, conn.execute(_select(schema, table)) as cursor:
        cursor.row_factory = None
        while rows := await cursor.fetchmany(BATCH):
            for row in rows:
                count += 1
                total = (total + _row_sum(tuple(row))) % _MODULUS
    return count, f"{total:064x}"


async def _applied(db: Database) -> list[str]:
    async with db.read() as conn:
        rows = await conn.execute_fetchall("SELECT name FROM schema_migrations ORDER BY name")
    return [r[0] for r in rows]


async def _sequences(source: Database) -> dict[str, int]:
    """SQLite's AUTOINCREMENT high-water marks: ids never handed out again (draft ids)."""
    if source.engine != "sqlite":
        return {}
    async with source.read() as conn:
        exists = await conn.execute_fetchall(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
        )
        if not exists:
            return {}
        rows = await conn.execute_fetchall("SELECT name, seq FROM sqlite_sequence")
    return {r[0]: int(r[1]) for r in rows}


async def copy_database(source: Database, target: Database) -> list[TableCopied]:
    """Copy every row of `source` into the empty `target`; the figures of each table."""
    await source.migrate()
    await target.migrate()
    if await _applied(source) != await _applied(target):
        raise CopyRefused("the two databases are at different migrations")
    schema, theirs = await describe(source), await describe(target)
    if schema.columns != theirs.columns:
        raise CopyRefused("the two schemas differ; migrate both with this version first")
    order = schema.order()
    for table in order:
        if table not in SEEDED and (await _figures(target, theirs, table))[0]:
            raise CopyRefused(f"the target already holds data (table {table}); nothing copied")
    marks = await _sequences(source)
    async with target.transaction() as out:
        for table in reversed(SEEDED):
            await out.execute(f"DELETE FROM {_quoted(table)}")  # noqa: S608
        for table in order:
            columns = list(schema.columns[table])
            insert = (
                f"INSERT INTO {_quoted(table)} ({', '.join(map(_quoted, columns))})"  # noqa: S608
                f" VALUES ({', '.join('?' for _ in columns)})"
            )
            async with source.read() as conn, conn.execute(_select(schema, table)) as cursor:
                cursor.row_factory = None
                while rows := await cursor.fetchmany(BATCH):
                    await out.executemany(insert, [tuple(r) for r in rows])
            if target.engine == "postgresql" and schema.primary_keys.get(table) == ("id",):
                # The identity goes on after the highest id copied (or ever handed out).
                await out.execute(
                    f"SELECT setval(pg_get_serial_sequence(?, 'id'), greatest(?,"  # noqa: S608
                    f" (SELECT coalesce(max(id), 0) FROM {_quoted(table)})) + 1, false)",
                    (table, marks.get(table, 0)),
                )
    return await compare(source, target)


async def compare(source: Database, target: Database) -> list[TableCopied]:
    """Each table's rows and checksum on both sides (the columns read in the same order)."""
    schema = await describe(source)
    report = []
    for table in schema.order():
        rows, total = await _figures(source, schema, table)
        copied, copied_total = await _figures(target, schema, table)
        report.append(TableCopied(table, rows, copied, total, copied_total))
    return report
