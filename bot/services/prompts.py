"""Free text the bot asked for: which question is open (bot/services/flows.py stops it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.models import Member
from bot.domain.screening import refuse_identity_numbers
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


def screen_answer(text: str) -> str:
    """Typed text fit to hand to whichever feature asked for it (IdentityNumberInText if not).

    Every prompted answer passes here before its feature sees it, so a new prompt cannot
    forget the screening; features still check their own limits (length, emptiness).
    """
    return refuse_identity_numbers(text)


async def ask(store: Store, member: Member, kind: str, payload: str | None, now: datetime) -> None:
    """Wait for the member's next plain message (or shared location) to answer `kind`."""
    async with store.transaction() as tx:
        await tx.prompts.ask(member.id, kind, payload, now)


async def drop(store: Store, member: Member) -> None:
    """Stop waiting for an answer."""
    async with store.transaction() as tx:
        await tx.prompts.cancel(member.id)


async def answering(store: Store, member: Member, message_id: int) -> None:
    """This message answers the open question (an edit of it may answer it again)."""
    async with store.transaction() as tx:
        await tx.prompts.answering(member.id, message_id)


async def answered_by(
    store: Store, member: Member, message_id: int, now: datetime
) -> tuple[str, str | None] | None:
    """The open question this message last answered, if it is still open (an edit of the
    message answers it again: the first answer was refused, or moved nothing on)."""
    async with store.read() as tx:
        return await tx.prompts.answered_by(member.id, message_id, now - PROMPT_TTL)


async def done(store: Store, member: Member, kind: str) -> None:
    """The flow that asked `kind` has ended: stop waiting, unless another question came since."""
    async with store.transaction() as tx:
        asked = await tx.prompts.current(member.id)
        if asked is not None and asked[0] == kind:
            await tx.prompts.cancel(member.id)


def asked_about(payload: str | None) -> int:
    """The id a question was asked about, as the bot stored it (0 when there is none)."""
    return int(payload) if payload is not None and payload.isdecimal() else 0


async def held(store: Store, member: Member, kind: str, now: datetime) -> str | None:
    """The payload kept with an open question of this kind (asked within the hour)."""
    asked = await open_prompt(store, member, now)
    return asked[1] if asked is not None and asked[0] == kind else None
