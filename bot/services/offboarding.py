"""Offboarding: what happens to a member's plans and duties when they are deactivated."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from bot.domain.models import Member
from bot.domain.outbox import Notification, Priority
from bot.domain.shifts import Shift
from bot.i18n import Markup, span, t
from bot.services.flags import hand_on
from bot.services.notify import notify
from storage.store import Tx

GAP_LINES = 30  # then "… and N more", within Telegram's 4,096 characters


@dataclass(frozen=True)
class Offboarding:
    """What deactivating a member changed."""

    shifts_cancelled: int
    offers_withdrawn: int
    flags_handed_on: int


async def offboard(tx: Tx, member: Member, now: datetime) -> Offboarding:
    """Cancel the member's future shifts and tell each group's coordinators once which gaps
    open; withdraw their swap offers; hand the flags they answer for to their agency's
    others; tell the member, once. Runs in the deactivation's transaction."""
    cancelled = await tx.shifts.cancel_future(member.id, now)
    by_group: dict[int, list[Shift]] = defaultdict(list)
    for shift in cancelled:
        by_group[shift.group_id].append(shift)
    for group_id, shifts in by_group.items():
        await _tell_coordinators(tx, member, group_id, shifts, now)
    offers = await tx.shifts.withdraw_offers(member.id, now)
    for offer_id in offers:
        for chat_id, language in await tx.outbox.copy_chats("swap", offer_id):
            await tx.outbox.enqueue_edit(
                ref_type="swap", ref_id=offer_id, chat_id=chat_id,
                text=t(language, "swap.gone"), keyboard=None, now=now,
            )  # fmt: skip
    flags = await tx.flags.answering(member.id)
    for flag_id, agency in flags:
        await hand_on(tx, flag_id, agency, member, now)
    # Without a member: the sender holds back whatever is queued for an inactive member, and
    # this one must reach them.
    await tx.outbox.enqueue(
        Notification(
            dedup_key=f"offboard:{member.id}:{now.isoformat()}",
            member_id=None,
            chat_id=member.telegram_user_id,
            text=t(member.language, "offboard.goodbye"),
            priority=Priority.NORMAL,
        ),
        now,
    )
    return Offboarding(len(cancelled), len(offers), len(flags))


async def _tell_coordinators(
    tx: Tx, member: Member, group_id: int, shifts: list[Shift], now: datetime
) -> None:
    group = await tx.groups.get(group_id)
    if group is None:
        return
    for coordinator in await tx.members.coordinators_of([group_id]):
        if coordinator.id == member.id:
            continue
        lang = coordinator.language
        lines = [f"• {span(lang, s.starts_at, s.ends_at, group.timezone)}" for s in shifts]
        if len(lines) > GAP_LINES:
            lines = [*lines[:GAP_LINES], t(lang, "members.more", count=len(lines) - GAP_LINES)]
        await notify(
            tx, coordinator, "offboard.gaps", dedup=f"offboard:{member.id}:{group_id}:{now}",
            now=now, priority=Priority.NORMAL, name=member.display_name,
            agency=await tx.groups.named(member.agency_code), group=group.name, count=len(shifts),
            shifts=Markup("\n".join(lines)),
        )  # fmt: skip
