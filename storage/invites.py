"""Invites: stored as hashes of their codes, with expiry and a use count."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.domain.models import Invite, Role
from storage.rows import Repository, parse_ts, ts


def _invite(row: sqlite3.Row) -> Invite:
    return Invite(
        id=row["id"],
        role=Role(row["role"]),
        agency_code=row["agency_code"],
        group_id=row["group_id"],
        uses_left=row["uses_left"],
        expires_at=parse_ts(row["expires_at"]),
        created_by=row["created_by"],
    )


class InviteRepository(Repository):
    """Invite codes by hash; the code itself is never stored."""

    async def add(
        self,
        *,
        code_hash: str,
        role: Role,
        agency_code: str | None,
        group_id: int | None,
        uses: int,
        expires_at: datetime,
        created_by: int | None,
        now: datetime,
    ) -> int:
        """Store a new invite and return its id."""
        row = await self._one(
            "INSERT INTO invites (code_hash, role, agency_code, group_id, uses_left, expires_at,"
            " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                code_hash,
                role.value,
                agency_code,
                group_id,
                uses,
                ts(expires_at),
                created_by,
                ts(now),
            ),
        )
        assert row is not None
        return int(row[0])

    async def take(self, code_hash: str, now: datetime) -> Invite | None:
        """Use one redemption of a live invite; None when unknown, used up or expired."""
        # One UPDATE decides, so two people racing for the last use cannot both win.
        row = await self._one(
            "UPDATE invites SET uses_left = uses_left - 1"
            " WHERE code_hash = ? AND uses_left > 0 AND expires_at > ? RETURNING *",
            (code_hash, ts(now)),
        )
        return _invite(row) if row else None

    async def by_code_hash(self, code_hash: str) -> Invite | None:
        """An invite by its code's hash, live or not."""
        row = await self._one("SELECT * FROM invites WHERE code_hash = ?", (code_hash,))
        return _invite(row) if row else None

    async def used_by(self, invite_id: int, member_id: int) -> bool:
        """True when this member has used this invite before."""
        row = await self._one(
            "SELECT 1 FROM invite_uses WHERE invite_id = ? AND member_id = ?",
            (invite_id, member_id),
        )
        return row is not None

    async def record_use(self, invite_id: int, member_id: int, now: datetime) -> None:
        """Remember that the member used the invite."""
        await self._conn.execute(
            "INSERT OR IGNORE INTO invite_uses (invite_id, member_id, used_at) VALUES (?, ?, ?)",
            (invite_id, member_id, ts(now)),
        )
