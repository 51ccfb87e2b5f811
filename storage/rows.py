"""Helpers shared by the repositories: time as ISO text, rows to models."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import aiosqlite

Params = Sequence[Any] | Mapping[str, Any]


def ts(value: datetime) -> str:
    """Store a moment as ISO 8601 UTC text, which sorts as it compares."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: every stored time must be timezone-aware")
    return value.astimezone(UTC).isoformat()


def parse_ts(text: str) -> datetime:
    """Read a stored moment back as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)


class Repository:
    """Base of the repositories: one connection, and reads in a single thread hop.

    aiosqlite runs each call on its worker thread; `execute_fetchall` does the statement and
    the fetch in one call, where `async with execute() as cur` takes three.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def _one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self._conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def _all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        return list(await self._conn.execute_fetchall(sql, params))
