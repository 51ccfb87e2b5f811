"""What delivery outcomes mean for members: unreachable, and back again."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.agencies import Directory
from bot.domain.models import Member
from bot.domain.outbox import Notification, OutboxMessage, Priority
from bot.i18n import Markup, t
from storage.store import Store, Tx

# A coordinator's list of who cannot be reached is one message, edited as it changes; after
# this long a change starts a new message, so it does not hide far up in the chat.
SUMMARY_LIFETIME = timedelta(hours=12)
SUMMARY_NAMES = 30  # then "… and N more", within Telegram's 4,096 characters


async def message_refused(
    store: Store, message: OutboxMessage, reason: str, now: datetime
) -> None:
    """Telegram answered 403 to a message: its member blocked the bot."""
    if message.member_id is None:
        async with store.transaction() as tx:
            await tx.outbox.failed(message, reason, now)
        return
    await member_unreachable(store, message.member_id, now)


async def member_unreachable(store: Store, member_id: int, now: datetime) -> None:
    """Hold everything for this member (the refused message too); tell coordinators once."""
    async with store.transaction() as tx:
        await tx.outbox.hold_member(member_id, now)
        if await tx.members.set_unreachable(member_id, now):
            await _tell_coordinators(tx, member_id, now)
            await tx.audit.record(
                "member.unreachable", now=now, object_type="member", object_id=member_id
            )


async def member_returned(store: Store, member: Member, now: datetime) -> int:
    """A member who had blocked the bot is back: send what was held; return how many."""
    async with store.transaction() as tx:
        if not await tx.members.clear_unreachable(member.id):
            return 0
        released = await tx.outbox.release_member(member.id, now)
        await _tell_coordinators(tx, member.id, now)
        await tx.audit.record(
            "member.reachable", now=now, object_type="member", object_id=member.id
        )
    return released


async def _tell_coordinators(tx: Tx, member_id: int, now: datetime) -> None:
    """Bring each coordinator's list of who cannot be reached up to date: one message per
    coordinator, edited, however many members block the bot (a notice to a thousand people
    can meet twenty who did)."""
    member = await tx.members.get(member_id)
    assert member is not None
    agencies = await tx.groups.directory()
    for coordinator in await tx.members.coordinators_of(member.group_ids):
        if coordinator.id == member.id:
            continue
        people = [
            m for m in await tx.members.unreachable_in(coordinator.group_ids)
            if m.id != coordinator.id
        ]  # fmt: skip
        text = unreachable_text(coordinator.language, people, agencies)
        if await tx.outbox.edit_latest(
            ref_type="unreachable",
            ref_id=coordinator.id,
            chat_id=coordinator.telegram_user_id,
            since=now - SUMMARY_LIFETIME,
            text=text,
            now=now,
        ):
            continue
        if people:
            await tx.outbox.enqueue(
                Notification(
                    dedup_key=f"unreachable:{coordinator.id}:{now.isoformat()}",
                    member_id=coordinator.id,
                    chat_id=coordinator.telegram_user_id,
                    text=text,
                    priority=Priority.BULK,
                    ref_type="unreachable",
                    ref_id=coordinator.id,
                ),
                now,
            )


def unreachable_text(lang: str, people: list[Member], agencies: Directory) -> Markup:
    """Who cannot be reached, for a coordinator: one person, many (listed), or nobody now."""
    if not people:
        return t(lang, "delivery.reachable_again")
    if len(people) == 1:
        (person,) = people
        return t(lang, "delivery.unreachable", name=person.display_name,
                 agency=agencies.entry(person.agency_code))  # fmt: skip
    lines = [
        t(
            lang,
            "delivery.unreachable_person",
            name=p.display_name,
            agency=agencies.short(p.agency_code, lang),
        )
        for p in people[:SUMMARY_NAMES]
    ]
    if len(people) > SUMMARY_NAMES:
        lines.append(t(lang, "members.more", count=len(people) - SUMMARY_NAMES))
    names = Markup("\n".join(lines))
    return t(lang, "delivery.unreachable_many", count=len(people), names=names)
