"""Which command menu each member's chat shows, so it can be kept in step."""

from __future__ import annotations

from typing import NamedTuple

from bot.domain.models import Role
from storage.rows import Repository

# What the menu should be (Member.menu_state): nothing for the deactivated, else role and
# language.
_OUT_OF_STEP = (
    "SELECT id, telegram_user_id, role, language, active, menu_synced FROM members"
    " WHERE unreachable_since IS NULL AND id > ? AND menu_synced IS NOT"
    " (CASE WHEN active = 0 THEN 'none' ELSE role || ':' || language END)"
    " ORDER BY id LIMIT ?"
)


class MenuChange(NamedTuple):
    """A member's menu to set: the member, their chat, their role (None when deactivated)
    and language, and what their menu was recorded as before (to put back on failure)."""

    member_id: int
    chat_id: int
    role: Role | None
    language: str
    was: str | None


def _state(role: Role | None, language: str) -> str:
    return "none" if role is None else f"{role.value}:{language}"


class MenuRepository(Repository):
    """Members whose Telegram command menu differs from what their role calls for."""

    async def out_of_step(
        self, limit: int = 100, after: int = 0
    ) -> list[tuple[int, int, Role | None, str]]:
        """(member id, chat id, role or None when deactivated, language) to update."""
        return [c[:4] for c in await self._changes(_OUT_OF_STEP, after, limit)]

    async def claim(self, after: int = 0, limit: int = 100) -> list[MenuChange]:
        """Take the menus out of step (members after `after`, by id) for this instance to
        set: recorded as set now, so no other instance sets them too; `release` on failure."""
        changes = await self._changes(_OUT_OF_STEP + " /* FOR UPDATE SKIP LOCKED */", after, limit)
        for change in changes:
            await self.mark_synced(change.member_id, change.role, change.language)
        return changes

    async def release(self, change: MenuChange) -> None:
        """Put back what a member's menu was recorded as, unless it changed since the claim."""
        await self._conn.execute(
            "UPDATE members SET menu_synced = ? WHERE id = ? AND menu_synced IS ?",
            (change.was, change.member_id, _state(change.role, change.language)),
        )

    async def mark_synced(self, member_id: int, role: Role | None, language: str) -> None:
        """Record the menu that was just set for this member."""
        await self._conn.execute(
            "UPDATE members SET menu_synced = ? WHERE id = ?",
            (_state(role, language), member_id),
        )

    async def _changes(self, sql: str, after: int, limit: int) -> list[MenuChange]:
        rows = await self._all(sql, (after, limit))
        return [
            MenuChange(
                r["id"],
                r["telegram_user_id"],
                Role(r["role"]) if r["active"] else None,
                r["language"],
                r["menu_synced"],
            )
            for r in rows
        ]
