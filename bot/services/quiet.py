"""News that can wait is not sent in a member's quiet hours: it is held until they end."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain import reminders as rules
from bot.domain.models import Member
from bot.domain.outbox import Keyboard, Priority
from bot.i18n import t
from bot.services.notify import notify
from storage.store import Tx


async def notify_awake(
    tx: Tx,
    member: Member,
    key: str,
    *,
    zone: str,
    starts: datetime,
    dedup: str,
    now: datetime,
    priority: Priority,
    keyboard: Keyboard | None = None,
    **values: Any,
) -> bool:
    """Queue `key` for the member now or, in their quiet hours (read in `zone`), hold it for
    the reminder scan to send when those end; unless what it is about `starts` before then.
    A held message goes without `keyboard` (held news keep text only). False when the same
    dedup key was used."""
    settings = await tx.reminders.settings(member.id)
    if not rules.in_quiet_hours(now, zone, settings.quiet_from, settings.quiet_to):
        return await notify(
            tx, member, key, dedup=dedup, now=now, priority=priority, keyboard=keyboard, **values
        )
    assert settings.quiet_to is not None
    due = rules.quiet_ends(now, zone, settings.quiet_to)
    if starts <= due:
        return await notify(
            tx, member, key, dedup=dedup, now=now, priority=priority, keyboard=keyboard, **values
        )
    text = t(member.language, key, **values)
    return await tx.reminders.hold_news(dedup, member.id, text, zone, priority, due, now)
