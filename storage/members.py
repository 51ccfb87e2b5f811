"""Members and their group memberships."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.domain.models import Member, Role
from storage.rows import Repository, parse_ts, ts

# group_concat keeps "member with groups" one query instead of one per member.
_SELECT = (
    "SELECT m.*, (SELECT group_concat(g.group_id) FROM group_memberships g"
    " WHERE g.member_id = m.id) AS group_ids FROM members m"
)


def _member(row: sqlite3.Row) -> Member:
    groups = row["group_ids"]
    return Member(
        id=row["id"],
        telegram_user_id=row["telegram_user_id"],
        display_name=row["display_name"],
        username=row["username"],
        agency_code=row["agency_code"],
        role=Role(row["role"]),
        language=row["language"],
        active=bool(row["active"]),
        created_at=parse_ts(row["created_at"]),
        group_ids=tuple(sorted(int(g) for g in groups.split(","))) if groups else (),
        unreachable_since=parse_ts(row["unreachable_since"]) if row["unreachable_since"] else None,
        menu_synced=row["menu_synced"],
    )


class MemberRepository(Repository):
    """People known to the bot."""

    async def by_telegram_id(self, telegram_user_id: int) -> Member | None:
        """The member behind a Telegram user, active or not."""
        row = await self._one(_SELECT + " WHERE m.telegram_user_id = ?", (telegram_user_id,))
        return _member(row) if row else None

    async def get(self, member_id: int) -> Member | None:
        """One member by id."""
        row = await self._one(_SELECT + " WHERE m.id = ?", (member_id,))
        return _member(row) if row else None

    async def many(self, member_ids: list[int] | set[int]) -> dict[int, Member]:
        """Several members by id, in one query."""
        if not member_ids:
            return {}
        rows = await self._all(
            _SELECT + " WHERE m.id IN (SELECT value FROM json_each(?))",  # noqa: S608
            (json.dumps(sorted(member_ids)),),
        )
        return {row["id"]: _member(row) for row in rows}

    async def by_username(self, username: str) -> Member | None:
        """One member by Telegram @username, ignoring case and the @."""
        row = await self._one(
            _SELECT + " WHERE m.username = ? COLLATE NOCASE", (username.lstrip("@"),)
        )
        return _member(row) if row else None

    async def add(
        self,
        *,
        telegram_user_id: int,
        display_name: str,
        username: str | None,
        agency_code: str | None,
        role: Role,
        language: str,
        now: datetime,
    ) -> int:
        """Insert a member and return the new id."""
        row = await self._one(
            "INSERT INTO members (telegram_user_id, display_name, username, agency_code, role,"
            " language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (telegram_user_id, display_name, username, agency_code, role.value, language, ts(now)),
        )
        assert row is not None
        return int(row[0])

    async def update_profile(
        self, member_id: int, *, display_name: str, username: str | None
    ) -> None:
        """Keep the name and @username as Telegram last showed them."""
        await self._conn.execute(
            "UPDATE members SET display_name = ?, username = ? WHERE id = ?",
            (display_name, username, member_id),
        )

    async def set_role(self, member_id: int, role: Role) -> None:
        """Change a member's role."""
        await self._conn.execute(
            "UPDATE members SET role = ? WHERE id = ?", (role.value, member_id)
        )

    async def set_agency(self, member_id: int, agency_code: str | None) -> None:
        """Change a member's agency (in every group they belong to)."""
        await self._conn.execute(
            "UPDATE members SET agency_code = ? WHERE id = ?", (agency_code, member_id)
        )

    async def set_language(self, member_id: int, language: str) -> None:
        """Change a member's language."""
        await self._conn.execute(
            "UPDATE members SET language = ? WHERE id = ?", (language, member_id)
        )

    async def set_active(self, member_id: int, active: bool, now: datetime) -> None:
        """Deactivate (or reactivate) a member."""
        await self._conn.execute(
            "UPDATE members SET active = ?, deactivated_at = ? WHERE id = ?",
            (int(active), None if active else ts(now), member_id),
        )

    async def set_unreachable(self, member_id: int, now: datetime) -> bool:
        """Record that Telegram refuses messages to this member; True if that is news."""
        cur = await self._conn.execute(
            "UPDATE members SET unreachable_since = ? WHERE id = ? AND unreachable_since IS NULL",
            (ts(now), member_id),
        )
        return cur.rowcount == 1

    async def clear_unreachable(self, member_id: int) -> bool:
        """The member wrote to the bot again; True if they had been unreachable."""
        cur = await self._conn.execute(
            "UPDATE members SET unreachable_since = NULL"
            " WHERE id = ? AND unreachable_since IS NOT NULL",
            (member_id,),
        )
        return cur.rowcount == 1

    async def unreachable_in(self, group_ids: tuple[int, ...] | list[int]) -> list[Member]:
        """Active members of any of these groups whom Telegram refuses messages to."""
        rows = await self._all(
            _SELECT  # noqa: S608 - constant SQL only; every value is bound
            + " WHERE m.id IN (SELECT member_id FROM group_memberships"
            " WHERE group_id IN (SELECT value FROM json_each(?)))"
            " AND m.active = 1 AND m.unreachable_since IS NOT NULL"
            " ORDER BY coalesce(m.agency_code, ''), m.display_name COLLATE NOCASE, m.id",
            (json.dumps(list(group_ids)),),
        )
        return [_member(row) for row in rows]

    async def coordinators_of(self, group_ids: tuple[int, ...] | list[int]) -> list[Member]:
        """Active coordinators of any of these groups, ordered by agency then name."""
        if not group_ids:
            return []
        # The role is tested in SQL: every group's coordinators at once (the reminder scan,
        # 60 groups) would otherwise read all 7,000 members to keep 60.
        rows = await self._all(
            _SELECT + " WHERE m.role = 'coordinator' AND m.active = 1"  # noqa: S608
            " AND m.id IN (SELECT member_id FROM group_memberships"
            " WHERE group_id IN (SELECT value FROM json_each(?)))"
            " ORDER BY coalesce(m.agency_code, ''), m.display_name COLLATE NOCASE, m.id",
            (json.dumps(list(group_ids)),),
        )
        return [_member(row) for row in rows]

    async def admins(self) -> list[Member]:
        """The active admins of the deployment."""
        rows = await self._all(_SELECT + " WHERE m.role = 'admin' AND m.active = 1 ORDER BY m.id")
        return [_member(row) for row in rows]

    async def join_group(self, member_id: int, group_id: int, now: datetime) -> None:
        """Add a group membership (no-op when it exists)."""
        await self._conn.execute(
            "INSERT INTO group_memberships (member_id, group_id, joined_at)"
            " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (member_id, group_id, ts(now)),
        )

    async def in_groups(
        self, group_ids: tuple[int, ...] | list[int] | None = None, *, active_only: bool = False
    ) -> list[Member]:
        """Members (of the given groups, or all), ordered by agency then name."""
        if group_ids is not None and not group_ids:
            return []
        order = " ORDER BY coalesce(m.agency_code, ''), m.display_name COLLATE NOCASE, m.id"
        # Two statements rather than "(:groups IS NULL OR ...)", which keeps SQLite from
        # using the membership index (a full scan of members per call at 7,000 members).
        # Only constant SQL is concatenated; every value is bound.
        if group_ids is None:
            rows = await self._all(
                _SELECT + " WHERE (:active_only = 0 OR m.active = 1)" + order,
                {"active_only": int(active_only)},
            )
        else:
            rows = await self._all(
                _SELECT  # noqa: S608
                + " WHERE m.id IN (SELECT member_id FROM group_memberships"
                " WHERE group_id IN (SELECT value FROM json_each(:groups)))"
                " AND (:active_only = 0 OR m.active = 1)" + order,
                {"groups": json.dumps(list(group_ids)), "active_only": int(active_only)},
            )
        return [_member(row) for row in rows]
