"""What delivery outcomes mean for members: unreachable, and back again."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import Member
from bot.domain.outbox import Notification, OutboxMessage
from bot.i18n import t
from storage.store import Store


async def member_unreachable(
    store: Store, message: OutboxMessage, reason: str, now: datetime
) -> None:
    """Telegram refused with 403: hold everything for this member and tell coordinators once."""
    async with store.transaction() as tx:
        if message.member_id is None:
            await tx.outbox.failed(message, reason, now)
            return
        # The refused message (still 'sending') waits with the rest until they are back.
        await tx.outbox.hold_member(message.member_id, now)
        if not await tx.members.set_unreachable(message.member_id, now):
            return  # already known: the coordinators were told the first time
        member = await tx.members.get(message.member_id)
        assert member is not None
        for coordinator in await tx.members.coordinators_of(member.group_ids):
            await tx.outbox.enqueue(
                Notification(
                    dedup_key=f"unreachable:{member.id}:{now.isoformat()}:{coordinator.id}",
                    member_id=coordinator.id,
                    chat_id=coordinator.telegram_user_id,
                    text=t(
                        coordinator.language,
                        "delivery.unreachable",
                        name=member.display_name,
                        agency=member.agency_code or "–",
                    ),
                ),
                now,
            )
        await tx.audit.record(
            "member.unreachable", now=now, object_type="member", object_id=member.id
        )


async def member_returned(store: Store, member: Member, now: datetime) -> int:
    """A member who had blocked the bot wrote again: send what was held; return how many."""
    async with store.transaction() as tx:
        if not await tx.members.clear_unreachable(member.id):
            return 0
        released = await tx.outbox.release_member(member.id, now)
        await tx.audit.record(
            "member.reachable", now=now, object_type="member", object_id=member.id
        )
    return released
