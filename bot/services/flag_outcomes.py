"""Resolving a flag's part (one tap for how it ended, then an optional note), and the
raiser setting the category later."""

from __future__ import annotations

from datetime import datetime

from bot.domain.flags import FlagAct, FlagPolicy, Outcome, TargetState
from bot.domain.models import Member
from bot.services.flag_copies import refresh
from bot.services.flag_drafts import FlagRefused
from bot.services.flags import UnknownFlag, permitted, recorded
from bot.services.presence import screen
from storage.store import Store

PROMPT_NOTE = "flag_outcome_note"
MAX_NOTE = 300


async def resolve(
    store: Store, member: Member, flag_id: int, outcome: Outcome, now: datetime
) -> None:
    """Resolve my agency's part with how it ended; the bot then takes an optional note."""
    async with store.transaction() as tx:
        flag = await permitted(tx, member, flag_id, FlagAct.RESOLVE)
        target = flag.target(member.agency_code)
        assert target is not None  # the rule lets only a target agency resolve
        if not await tx.flags.finish(flag_id, target.agency, member.id, now, TargetState.RESOLVED):
            raise FlagRefused("flag.closed")
        await tx.flags.set_outcome(flag_id, target.agency, member.id, outcome, None)
        await tx.flags.close_if_done(flag_id, now)
        await tx.prompts.ask(member.id, PROMPT_NOTE, str(flag_id), now)
        await recorded(tx, "flag.resolve", member, flag_id, now, detail=f"outcome={outcome.value}")


async def note(store: Store, member: Member, flag_id: int, text: str, now: datetime) -> None:
    """Add a screened note to the outcome of a part I resolved."""
    checked = screen(text, MAX_NOTE)
    async with store.transaction() as tx:
        flag = await tx.flags.get(flag_id)
        target = flag.target(member.agency_code) if flag else None
        if flag is None or target is None:
            raise UnknownFlag()
        if not await tx.flags.set_outcome(flag_id, target.agency, member.id, None, checked):
            raise FlagRefused("flag.no_outcome")
        await tx.prompts.cancel(member.id)
        await refresh(tx, flag_id, now)


async def may_resolve(store: Store, member: Member, flag_id: int) -> None:
    """Raise why not, unless this member may resolve their agency's part now."""
    async with store.read() as tx:
        await permitted(tx, member, flag_id, FlagAct.RESOLVE)


async def categorise(
    store: Store, member: Member, flag_id: int, category: str, policy: FlagPolicy, now: datetime
) -> None:
    """The raiser sets the flag's category (the urgent path leaves it "other")."""
    if category not in policy.categories:
        raise FlagRefused("auth.stale_button")
    async with store.transaction() as tx:
        await permitted(tx, member, flag_id, FlagAct.CATEGORISE)
        await tx.flags.set_category(flag_id, category)
        await recorded(tx, "flag.categorise", member, flag_id, now, detail=f"category={category}")


async def may_categorise(store: Store, member: Member, flag_id: int) -> None:
    """Raise why not, unless this member may set the flag's category now."""
    async with store.read() as tx:
        await permitted(tx, member, flag_id, FlagAct.CATEGORISE)
