"""Taking back a check-out: for a minute after /checkout in the middle of a shift, the same
check-in can be opened again, as if the check-out had not happened."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.errors import DomainError
from bot.domain.shifts import Presence
from bot.services import flag_shifts
from bot.services.handover_to import PROMPT_HANDOVER, asked
from bot.services.presence import CurrentPresence
from storage.store import Store

UNDO_FOR = timedelta(minutes=1)


class UndoRefused(DomainError):
    """The check-out stands (the key says why)."""

    key = "checkout.undo_gone"


async def offered(store: Store, presence: Presence, now: datetime) -> bool:
    """Undo is offered when the member leaves while a shift of theirs there still runs: a
    check-out at the end of one is no slip of the finger."""
    async with store.read() as tx:
        shifts = await tx.shifts.of_member(presence.member_id, now, now + timedelta(seconds=1))
    return any(s.group_id == presence.group_id and s.starts_at <= now for s in shifts)


async def undo_check_out(
    store: Store, member_id: int, presence_id: int, now: datetime
) -> CurrentPresence:
    """Open the check-out's presence again (the same row: nothing counts twice); coverage,
    flags and reminders follow from it as from any open check-in."""
    async with store.transaction() as tx:
        presence = await tx.presences.get(presence_id)
        if presence is None or presence.member_id != member_id:
            raise UndoRefused()
        group = await tx.groups.get(presence.group_id)
        member = await tx.members.get(member_id)
        assert group is not None and member is not None
        if presence.checked_out_at is None:
            return CurrentPresence(presence, group)  # a double tap: undone already
        if now - presence.checked_out_at > UNDO_FOR:
            raise UndoRefused("checkout.undo_late")
        reopened = await tx.presences.reopen(presence_id, member_id)
        if reopened is None:  # checked in again since, or checked out automatically
            raise UndoRefused()
        # The handover question belonged to the check-out; any other question stays.
        held = await tx.prompts.current(member_id)
        if held and held[0] == PROMPT_HANDOVER and asked(held[1])[0] == presence_id:
            await tx.prompts.cancel(member_id)
        await flag_shifts.back(tx, member, group.id, now)
        await tx.audit.record(
            "presence.undo_check_out",
            now=now,
            actor_member_id=member_id,
            object_type="presence",
            object_id=presence_id,
        )
    return CurrentPresence(reopened, group)
