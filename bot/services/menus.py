"""Which members' Telegram command menus must change, claimed by one instance at a time."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from storage.menus import MenuChange
from storage.store import Store

__all__ = ["DEFAULT_MENUS", "MenuChange", "claim", "claim_defaults", "release", "release_defaults"]

DEFAULT_MENUS = "default_menus"


async def claim(store: Store, after: int = 0) -> list[MenuChange]:
    """The next menus to set (members after `after`), taken by this instance alone."""
    async with store.transaction() as tx:
        return await tx.menus.claim(after)


async def release(store: Store, changes: list[MenuChange]) -> None:
    """Menus that were claimed but not set: out of step again, for the next run."""
    async with store.transaction() as tx:
        for change in changes:
            await tx.menus.release(change)


async def claim_defaults(
    store: Store, bot: str, menus: Sequence[Sequence[tuple[str, str]]]
) -> str | None:
    """Whether the strangers' menus of this bot must be set (they differ from what was last
    set, by any instance): the previous fingerprint to put back on failure, or None when in
    step. The bot is part of it: a new token's bot has no menus yet."""
    fingerprint = hashlib.sha256(json.dumps([bot, menus]).encode()).hexdigest()
    async with store.transaction() as tx:
        was = await tx.meta.get(DEFAULT_MENUS)
        if not await tx.meta.change(DEFAULT_MENUS, fingerprint):
            return None
    return was or ""


async def release_defaults(store: Store, was: str) -> None:
    """The strangers' menus were not set after all: the next start tries again."""
    async with store.transaction() as tx:
        await tx.meta.put(DEFAULT_MENUS, was)
