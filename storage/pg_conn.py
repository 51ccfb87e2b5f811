"""psycopg's connection shaped like aiosqlite's, for the repositories: `execute` (awaited or
used with `async with`), `execute_fetchall`, `executemany`, cursors with `rowcount` and
`fetchmany`, and rows read by index or by column name like `sqlite3.Row`. Every statement
is the repositories' own SQL, translated by `storage.dialect`."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import psycopg

from storage.dialect import to_pg


class Row(tuple[Any, ...]):
    """A row read by index or by column name, as `sqlite3.Row` is."""

    _index: dict[str, int] = {}  # noqa: RUF012 - set per column list by _row_class

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key.lower()])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._index)


@lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name.lower(), i)
    return type("Row", (Row,), {"_index": index})


class Cursor:
    """The rows and counts of one statement, shaped like aiosqlite's cursor."""

    def __init__(self, cursor: psycopg.AsyncCursor[tuple[Any, ...]]) -> None:
        self._cursor = cursor
        # None: plain tuples (report_facts reads a million rows without a Row each).
        self.row_factory: object = Row
        self.lastrowid: int | None = None

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def _rows(self, rows: list[tuple[Any, ...]]) -> list[Any]:
        if self.row_factory is None or self._cursor.description is None:
            return rows
        cls = _row_class(tuple(c.name for c in self._cursor.description))
        return [cls(r) for r in rows]

    async def fetchall(self) -> list[Any]:
        return self._rows(await self._cursor.fetchall())

    async def fetchmany(self, size: int) -> list[Any]:
        return self._rows(await self._cursor.fetchmany(size))

    async def fetchone(self) -> Any:
        rows = self._rows([r] if (r := await self._cursor.fetchone()) is not None else [])
        return rows[0] if rows else None

    async def close(self) -> None:
        await self._cursor.close()


class _Pending:
    """What `execute()` returns: awaited, a cursor; used with `async with`, the same."""

    def __init__(self, conn: Connection, sql: str, params: Any) -> None:
        self._conn, self._sql, self._params = conn, sql, params
        self._cursor: Cursor | None = None

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._run().__await__()

    async def _run(self) -> Cursor:
        self._cursor = await self._conn.run(self._sql, self._params)
        return self._cursor

    async def __aenter__(self) -> Cursor:
        return await self._run()

    async def __aexit__(self, *exc: object) -> None:
        if self._cursor is not None:
            await self._cursor.close()


class Connection:
    """A psycopg connection speaking the repositories' SQLite-flavoured SQL."""

    def __init__(self, conn: psycopg.AsyncConnection[tuple[Any, ...]]) -> None:
        self.raw = conn

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    async def run(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None) -> Cursor:
        query = to_pg(sql)
        cursor = self.raw.cursor()
        await cursor.execute(query.text, query.bind(params if params is not None else ()))
        return Cursor(cursor)

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Any:
        return _Pending(self, sql, params)

    async def execute_fetchall(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> list[Any]:
        cursor = await self.run(sql, params)
        try:
            return await cursor.fetchall() if cursor._cursor.description is not None else []
        finally:
            await cursor.close()

    async def executemany(
        self, sql: str, params: Iterable[Sequence[Any] | Mapping[str, Any]]
    ) -> Cursor:
        query = to_pg(sql)
        cursor = self.raw.cursor()
        await cursor.executemany(query.text, [query.bind(p) for p in params])
        return Cursor(cursor)
