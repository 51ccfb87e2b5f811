"""Which members' Telegram command menus must change, and recording that they did."""

from __future__ import annotations

from bot.domain.models import Role
from storage.store import Store


async def out_of_step(store: Store) -> list[tuple[int, int, Role | None, str]]:
    """(member, chat, role or None when deactivated, language) of menus to set."""
    async with store.read() as tx:
        return await tx.menus.out_of_step()


async def synced(store: Store, member_id: int, role: Role | None, language: str) -> None:
    """Record the menu just set for a member."""
    async with store.transaction() as tx:
        await tx.menus.mark_synced(member_id, role, language)
