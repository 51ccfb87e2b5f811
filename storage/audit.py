"""The audit log: who did what to what, and when (never free text)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.domain.models import AuditEntry
from storage.rows import Repository, parse_ts, ts


class AuditRepository(Repository):
    """Append-only record of actions."""

    async def record(
        self,
        action: str,
        *,
        now: datetime,
        actor_member_id: int | None = None,
        actor_telegram_id: int | None = None,
        object_type: str | None = None,
        object_id: int | None = None,
        detail: str | None = None,
    ) -> None:
        """Append one entry."""
        await self._conn.execute(
            "INSERT INTO audit_log (at, actor_member_id, actor_telegram_id, action, object_type,"
            " object_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (ts(now), actor_member_id, actor_telegram_id, action, object_type, object_id, detail),
        )

    async def recent(self, limit: int = 100) -> list[AuditEntry]:
        """The newest entries first."""
        rows = await self._all("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
        return [_entry(r) for r in rows]

    async def about(self, object_type: str, object_id: int, limit: int) -> list[AuditEntry]:
        """Who saw and did what with one object, oldest first (the newest `limit`)."""
        rows = await self._all(
            "SELECT * FROM (SELECT * FROM audit_log WHERE object_type = ? AND object_id = ?"
            " ORDER BY id DESC LIMIT ?) ORDER BY id",
            (object_type, object_id, limit),
        )
        return [_entry(r) for r in rows]

    async def by_actor(self, member_id: int, limit: int) -> list[AuditEntry]:
        """What one member saw and did, oldest first (the newest `limit`)."""
        rows = await self._all(
            "SELECT * FROM (SELECT * FROM audit_log WHERE actor_member_id = ?"
            " ORDER BY id DESC LIMIT ?) ORDER BY id",
            (member_id, limit),
        )
        return [_entry(r) for r in rows]


def _entry(r: sqlite3.Row) -> AuditEntry:
    return AuditEntry(
        at=parse_ts(r["at"]),
        actor_member_id=r["actor_member_id"],
        actor_telegram_id=r["actor_telegram_id"],
        action=r["action"],
        object_type=r["object_type"],
        object_id=r["object_id"],
        detail=r["detail"],
    )


class MetaRepository(Repository):
    """Small key/value facts the bot learns at run time."""

    async def get(self, key: str) -> str | None:
        """The value for a key, if any."""
        row = await self._one("SELECT value FROM bot_meta WHERE key = ?", (key,))
        return str(row["value"]) if row else None

    async def change(self, key: str, value: str) -> bool:
        """Set a key unless it has this value already; True when it changed (of several
        transactions setting the same value at once, exactly one)."""
        cur = await self._conn.execute(
            "INSERT INTO bot_meta (key, value) VALUES (?, ?) ON CONFLICT (key)"
            " DO UPDATE SET value = excluded.value WHERE bot_meta.value IS NOT excluded.value",
            (key, value),
        )
        return cur.rowcount == 1

    async def put(self, key: str, value: str) -> None:
        """Set a key."""
        await self._conn.execute(
            "INSERT INTO bot_meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
