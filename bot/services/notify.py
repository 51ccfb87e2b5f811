"""Queue a catalogue message for a member, in their language, in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.models import Member
from bot.domain.outbox import Keyboard, Notification, Priority
from bot.i18n import Markup, t
from storage.store import Tx


async def notify(
    tx: Tx,
    member: Member,
    key: str,
    *,
    dedup: str,
    now: datetime,
    priority: Priority,
    keyboard: Keyboard | None = None,
    ref: tuple[str, int] | None = None,
    protect: bool = False,
    **values: Any,
) -> bool:
    """Queue `key` for one member; False when the same dedup key was queued before."""
    return await tx.outbox.enqueue(
        Notification(
            dedup_key=f"{dedup}:{member.id}",
            member_id=member.id,
            chat_id=member.telegram_user_id,
            text=t(member.language, key, **values),
            priority=priority,
            keyboard=keyboard,
            protect_content=protect,
            ref_type=ref[0] if ref else None,
            ref_id=ref[1] if ref else None,
        ),
        now,
    )


def note(member: Member, text: Markup, *, dedup: str, priority: Priority) -> Notification:
    """A message of text already rendered for this member, with `notify`'s dedup rule (the
    reminder scan renders before it takes the write lock, and queues a batch at once)."""
    return Notification(
        dedup_key=f"{dedup}:{member.id}",
        member_id=member.id,
        chat_id=member.telegram_user_id,
        text=text,
        priority=priority,
    )
