"""What delivery outcomes mean for members: unreachable, and back again."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import Member
from bot.domain.outbox import Notification, OutboxMessage, Priority
from bot.i18n import t
from storage.store import Store, Tx


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


async def _tell_coordinators(tx: Tx, member_id: int, now: datetime) -> None:
    member = await tx.members.get(member_id)
    assert member is not None
    for coordinator in await tx.members.coordinators_of(member.group_ids):
        if coordinator.id == member.id:
            continue
        text = t(
            coordinator.language,
            "delivery.unreachable",
            name=member.display_name,
            agency=member.agency_code or "–",
        )
        await tx.outbox.enqueue(
            Notification(
                dedup_key=f"unreachable:{member.id}:{now.isoformat()}:{coordinator.id}",
                member_id=coordinator.id,
                chat_id=coordinator.telegram_user_id,
                text=text,
                priority=Priority.BULK,
            ),
            now,
        )
    await tx.audit.record("member.unreachable", now=now, object_type="member", object_id=member_id)


async def member_returned(store: Store, member: Member, now: datetime) -> int:
    """A member who had blocked the bot is back: send what was held; return how many."""
    async with store.transaction() as tx:
        if not await tx.members.clear_unreachable(member.id):
            return 0
        released = await tx.outbox.release_member(member.id, now)
        await tx.audit.record(
            "member.reachable", now=now, object_type="member", object_id=member.id
        )
    return released
