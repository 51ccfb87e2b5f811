"""Taking back a check-out: for a minute after /checkout in the middle of a shift, the same
check-in can be opened again, as if the check-out had not happened.

The check-out message is adopted by the outbox, so that when the minute is over the reminder
scan (which derives it from rows, and so catches up after a restart) edits the Undo button
off it, unless a button of the message changed it in the meantime.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.callbacks import CheckoutUndo, HandoverEveryone, HandoverPick, HandoverSkip
from bot.domain.errors import DomainError
from bot.domain.outbox import Button, Keyboard, Priority
from bot.domain.reminders import Kind
from bot.domain.shifts import Presence
from bot.i18n import clock_time, t
from bot.services import flag_shifts
from bot.services.handover_to import PROMPT_HANDOVER, asked
from bot.services.presence import CurrentPresence
from bot.services.reminder_items import HORIZON, Action, Due, Scan
from storage.presences import UndoOffer
from storage.store import Store, Tx

UNDO_FOR = timedelta(minutes=1)
REF = "checkout"  # the outbox's name for a check-out message (its ref_id: the presence)


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


def checkout_message(
    lang: str, presence_id: int, left_at: datetime, zone: str, undo: bool
) -> tuple[str, Keyboard]:
    """The check-out message: the handover question, and Undo while it is offered."""
    text: str = t(lang, "checkout.done", time=clock_time(left_at, zone))
    rows = [
        [Button(text=t(lang, "checkout.everyone"), data=HandoverEveryone(presence_id).pack())],
        [Button(text=t(lang, "checkout.choose"), data=HandoverPick(presence_id).pack())],
        [Button(text=t(lang, "checkout.skip"), data=HandoverSkip().pack())],
    ]
    if undo:
        text += "\n\n" + t(lang, "checkout.undo_hint")
        rows.append([Button(text=t(lang, "checkout.undo"), data=CheckoutUndo(presence_id).pack())])
    return text, rows


async def shown(
    store: Store, member_id: int, presence_id: int, chat_id: int, message_id: int, now: datetime
) -> None:
    """The check-out message offering Undo went out: the outbox takes it, for the edit that
    takes the offer off when the minute is over."""
    async with store.transaction() as tx:
        await tx.outbox.adopt(
            ref_type=REF, ref_id=presence_id, chat_id=chat_id, member_id=member_id,
            message_id=message_id, priority=Priority.NORMAL, now=now,
        )  # fmt: skip


async def moved_on(store: Store, chat_id: int, message_id: int, now: datetime) -> None:
    """A button of the message changed it (the handover question answered): the Undo offer
    went with that, and no edit may turn the message back."""
    async with store.transaction() as tx:
        ref = await tx.outbox.ref_of(chat_id, message_id)
        if ref is None or ref[0] != REF:
            return
        offer = UndoOffer(ref[1], 0, chat_id, message_id, now)
        await tx.reminders.mark(offer.key, "dropped", now, now)
        await tx.outbox.drop_edits(chat_id, message_id, now)


async def offers_ending(scan: Scan, now: datetime, until: datetime) -> list[Due]:
    """Each Undo offer whose minute ends by `until`, however long ago (after down-time)."""
    return [
        Due(offer.key, Kind.UNDO_OVER, offer.checked_out_at + UNDO_FOR, action=_take_off(offer))
        for offer in await scan.tx.presences.undo_offers(now - HORIZON, until - UNDO_FOR)
    ]


def _take_off(offer: UndoOffer) -> Action:
    async def act(tx: Tx, now: datetime) -> None:
        presence = await tx.presences.get(offer.presence_id)
        if presence is None or presence.checked_out_at != offer.checked_out_at:
            return  # undone: the message says so already
        member = await tx.members.get(offer.member_id)
        group = await tx.groups.get(presence.group_id)
        if member is None or group is None:
            return
        text, keyboard = checkout_message(
            member.language, presence.id, offer.checked_out_at, group.timezone, undo=False
        )
        await tx.outbox.enqueue_edit(
            ref_type=REF, ref_id=presence.id, chat_id=offer.chat_id, text=text,
            keyboard=keyboard, now=now,
        )  # fmt: skip

    return act
