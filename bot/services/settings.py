"""A member's reminder settings: lead time, the evening before, quiet hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.domain.errors import DomainError
from bot.domain.models import Member
from bot.domain.reminders import MAX_LEAD_MINUTES
from storage.reminders import MemberSettings
from storage.store import Store

LEAD_CHOICES = (15, 30, 60, 90, 120, MAX_LEAD_MINUTES)
QUIET_CHOICES = {"22-07": ("22:00", "07:00"), "23-06": ("23:00", "06:00")}
QUIET_OFF = "off"


class SettingRefused(DomainError):
    """Not a value this setting takes."""

    key = "auth.stale_button"


async def current(store: Store, member: Member) -> MemberSettings:
    """The member's settings."""
    async with store.read() as tx:
        return await tx.reminders.settings(member.id)


async def change(store: Store, member: Member, what: str, value: str, now: datetime
                 ) -> MemberSettings:  # fmt: skip
    """Change one setting: lead minutes, the evening-before reminder, or quiet hours."""
    async with store.transaction() as tx:
        settings = await tx.reminders.settings(member.id)
        leads = {str(m): m for m in LEAD_CHOICES}  # exactly as offered: "²".isdigit() is true
        if what == "lead" and value in leads:
            settings = replace(settings, lead_minutes=leads[value])
        elif what == "evening":
            settings = replace(settings, evening_before=not settings.evening_before)
        elif what == "quiet" and (value in QUIET_CHOICES or value == QUIET_OFF):
            start, end = QUIET_CHOICES.get(value, (None, None))
            settings = replace(settings, quiet_from=start, quiet_to=end)
        else:
            raise SettingRefused()
        await tx.reminders.save_settings(member.id, settings)
        await tx.audit.record("member.settings", now=now, actor_member_id=member.id, detail=what)
    return settings
