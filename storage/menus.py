"""Which command menu each member's chat shows, so it can be kept in step."""

from __future__ import annotations

from bot.domain.models import Role
from storage.rows import Repository


class MenuRepository(Repository):
    """Members whose Telegram command menu differs from what their role calls for."""

    async def out_of_step(self, limit: int = 100) -> list[tuple[int, int, Role | None, str]]:
        """(member id, chat id, role or None when deactivated, language) to update."""
        rows = await self._all(
            "SELECT id, telegram_user_id, role, language, active FROM members"
            # What the menu should be (Member.menu_state): nothing for the deactivated, else
            # role and language.
            " WHERE unreachable_since IS NULL AND menu_synced IS NOT"
            " (CASE WHEN active = 0 THEN 'none' ELSE role || ':' || language END)"
            " ORDER BY id LIMIT ?",
            (limit,),
        )
        return [
            (
                r["id"],
                r["telegram_user_id"],
                Role(r["role"]) if r["active"] else None,
                r["language"],
            )
            for r in rows
        ]

    async def mark_synced(self, member_id: int, role: Role | None, language: str) -> None:
        """Record the menu that was just set for this member."""
        state = "none" if role is None else f"{role.value}:{language}"
        await self._conn.execute(
            "UPDATE members SET menu_synced = ? WHERE id = ?", (state, member_id)
        )
