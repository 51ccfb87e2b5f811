"""Residents' boards: office details, the channel, the post there and what it shows."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.domain.board import Board, BoardState, Channel
from storage.rows import Repository, parse_ts, ts

_SELECT = (
    "SELECT b.*, coalesce(p.pinned, 0) AS pinned FROM boards b"
    " LEFT JOIN board_posts p ON p.id = b.post_id "
)
# Constant text joined at import; every value is bound.
_ONE = _SELECT + "WHERE b.group_id = ?"
_OF_GROUPS = (
    _SELECT  # noqa: S608
    + "WHERE b.group_id IN (SELECT value FROM json_each(?)) ORDER BY b.group_id"
)
_IN_STATE = (
    _SELECT  # noqa: S608
    + "WHERE b.state IN (SELECT value FROM json_each(?)) ORDER BY b.group_id"
)
_BY_CHANNEL = _SELECT + "WHERE b.channel_id = ?"


def _when(text: str | None) -> datetime | None:
    return parse_ts(text) if text else None


def _board(row: sqlite3.Row) -> Board:
    channel = None
    if row["channel_id"] is not None:
        channel = Channel(
            id=row["channel_id"], name=row["channel_name"], title=row["channel_title"] or ""
        )
    return Board(
        group_id=row["group_id"],
        channel=channel,
        address=row["address"],
        hours=row["hours"],
        contact=row["contact"],
        english=bool(row["english"]),
        state=BoardState(row["state"]),
        state_since=parse_ts(row["state_since"]),
        post_id=row["post_id"],
        pinned=bool(row["pinned"]),
        snapshot_at=_when(row["snapshot_at"]),
        queued_at=_when(row["queued_at"]),
        shown_at=_when(row["shown_at"]),
        public_text=row["public_text"],
        problem=row["problem"],
    )


class BoardRepository(Repository):
    """One board per group, and the posts that showed it."""

    async def get(self, group_id: int) -> Board | None:
        """A group's board, if it has one."""
        row = await self._one(_ONE, (group_id,))
        return _board(row) if row else None

    async def of_groups(self, group_ids: list[int]) -> list[Board]:
        """The boards of these groups."""
        rows = await self._all(_OF_GROUPS, (json.dumps(group_ids),))
        return [_board(r) for r in rows]

    async def in_state(self, *states: BoardState) -> list[Board]:
        """Every board in one of these states."""
        rows = await self._all(_IN_STATE, (json.dumps([s.value for s in states]),))
        return [_board(r) for r in rows]

    async def by_channel(self, channel_id: int) -> list[Board]:
        """The boards kept in a channel (normally one)."""
        rows = await self._all(_BY_CHANNEL, (channel_id,))
        return [_board(r) for r in rows]

    async def set_office(
        self,
        group_id: int,
        *,
        address: str | None,
        hours: str | None,
        contact: str | None,
        english: bool | None,
        now: datetime,
    ) -> None:
        """Set the office details given (None leaves one as it was)."""
        await self._conn.execute(
            "INSERT INTO boards (group_id, address, hours, contact, english, state_since,"
            " updated_at) VALUES (:group, :address, :hours, :contact, coalesce(:english, 0),"
            " :now, :now) ON CONFLICT (group_id) DO UPDATE SET"
            " address = coalesce(:address, address), hours = coalesce(:hours, hours),"
            " contact = coalesce(:contact, contact), english = coalesce(:english, english),"
            " updated_at = :now",
            {
                "group": group_id,
                "address": address,
                "hours": hours,
                "contact": contact,
                "english": None if english is None else int(english),
                "now": ts(now),
            },
        )

    async def publish(self, group_id: int, channel: Channel, now: datetime) -> None:
        """Keep the board in this channel from now on, in a new post."""
        await self._conn.execute(
            "INSERT INTO boards (group_id, channel_id, channel_name, channel_title, state,"
            " state_since, updated_at) VALUES (:group, :id, :name, :title, 'live', :now, :now)"
            " ON CONFLICT (group_id) DO UPDATE SET channel_id = :id, channel_name = :name,"
            " channel_title = :title, state = 'live', state_since = :now, post_id = NULL,"
            " snapshot_at = NULL, queued_at = NULL, public_text = NULL, problem = NULL,"
            " updated_at = :now",
            {
                "group": group_id,
                "id": channel.id,
                "name": channel.name,
                "title": channel.title,
                "now": ts(now),
            },
        )

    async def set_state(
        self,
        group_id: int,
        state: BoardState,
        now: datetime,
        *,
        expect: tuple[BoardState, ...],
        problem: str | None = None,
    ) -> bool:
        """Move a board to `state` if it is in one of `expect`; False when it was not."""
        cur = await self._conn.execute(
            "UPDATE boards SET state = ?, state_since = ?, problem = ?, updated_at = ?,"
            # A board shown again starts from a fresh snapshot, not the one before the pause.
            " snapshot_at = CASE WHEN ? = 'live' THEN NULL ELSE snapshot_at END"
            " WHERE group_id = ? AND state IN (SELECT value FROM json_each(?))",
            (
                state.value,
                ts(now),
                problem,
                ts(now),
                state.value,
                group_id,
                json.dumps([s.value for s in expect]),
            ),
        )
        return cur.rowcount == 1

    async def new_post(self, group_id: int, channel_id: int, now: datetime) -> int:
        """Start a new post for a board; return its id (the outbox's ref_id)."""
        row = await self._one(
            "INSERT INTO board_posts (group_id, channel_id, created_at) VALUES (?, ?, ?)"
            " RETURNING id",
            (group_id, channel_id, ts(now)),
        )
        assert row is not None
        post_id = int(row["id"])
        await self._conn.execute(
            "UPDATE boards SET post_id = ?, updated_at = ? WHERE group_id = ?",
            (post_id, ts(now), group_id),
        )
        return post_id

    async def queued(
        self, group_id: int, *, snapshot_at: datetime, text: str, now: datetime
    ) -> None:
        """Record the text just queued for the channel and the moment it shows."""
        await self._conn.execute(
            "UPDATE boards SET snapshot_at = ?, queued_at = ?, public_text = ?, updated_at = ?"
            " WHERE group_id = ?",
            (ts(snapshot_at), ts(now), text, ts(now), group_id),
        )

    async def shown(self, group_id: int, at: datetime) -> None:
        """The channel shows what was queued at `at`."""
        await self._conn.execute(
            "UPDATE boards SET shown_at = ? WHERE group_id = ?", (ts(at), group_id)
        )

    async def pinned(self, post_id: int) -> None:
        """The post is pinned in its channel."""
        await self._conn.execute("UPDATE board_posts SET pinned = 1 WHERE id = ?", (post_id,))
