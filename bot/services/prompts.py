"""Free text the bot asked for: which question is open, and cancelling everything."""

from __future__ import annotations

from bot.domain.models import Member
from storage.store import Store


async def open_prompt(store: Store, member: Member) -> tuple[str, str | None] | None:
    """The question the member's next plain message answers, if any."""
    async with store.read() as tx:
        return await tx.prompts.current(member.id)


async def cancel_all(store: Store, member: Member) -> bool:
    """Drop any open question and any draft; True if there was something to drop."""
    async with store.transaction() as tx:
        had_prompt = await tx.prompts.cancel(member.id)
        had_draft = await tx.notices.draft(member.id) is not None
        await tx.notices.drop_draft(member.id)
        had_flag = await tx.flags.drop_draft(member.id)
    return had_prompt or had_draft or had_flag
