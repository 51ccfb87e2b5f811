"""Free text the bot asked for: which question is open, and cancelling everything."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.models import Member
from storage.store import Store

# A question left unanswered this long is forgotten: text typed hours after a check-out must
# not become a handover note by surprise.
PROMPT_TTL = timedelta(hours=1)


async def open_prompt(
    store: Store, member: Member, now: datetime
) -> tuple[str, str | None] | None:
    """The question the member's next plain message answers, if asked within the hour."""
    async with store.read() as tx:
        return await tx.prompts.current(member.id, now - PROMPT_TTL)


async def cancel_all(store: Store, member: Member) -> bool:
    """Drop any open question and any draft; True if there was something to drop."""
    async with store.transaction() as tx:
        had_prompt = await tx.prompts.cancel(member.id)
        had_draft = await tx.notices.draft(member.id) is not None
        await tx.notices.drop_draft(member.id)
        had_flag = await tx.flags.drop_draft(member.id)
    return had_prompt or had_draft or had_flag
