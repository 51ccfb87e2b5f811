"""Reminder sources beyond shifts: handovers, flags (escalation), the morning digest, and
news held through quiet hours."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain import reminders as rules
from bot.domain.flags import Urgency
from bot.domain.outbox import Priority
from bot.domain.reminders import Kind
from bot.i18n import Markup
from bot.services.digest import digest_text
from bot.services.reminder_items import HORIZON, Action, Due, Scan, at_time, fixed
from storage.store import Tx


async def handover_reminders(scan: Scan, now: datetime, until: datetime) -> list[Due]:
    """A handover not acknowledged: its recipients after 30 min, coordinators after 60."""
    waiting = await scan.tx.reminders.handovers_waiting(
        now - HORIZON, until - rules.HANDOVER_REMINDER
    )
    if not waiting:
        return []
    recipients = await scan.tx.reminders.handover_recipients([h for h, *_ in waiting])
    coordinators = await scan.coordinators({group_id for _, group_id, *_ in waiting})
    found: list[Due] = []
    for handover_id, group_id, created, zone in waiting:
        for member_id in recipients[handover_id]:
            found.append(
                Due(
                    f"handover:{handover_id}:m{member_id}:remind",
                    Kind.HANDOVER_REMINDER,
                    created + rules.HANDOVER_REMINDER,
                    member_id=member_id,
                    zone=zone,
                    render=fixed("reminder.handover"),
                )
            )
        if created + rules.HANDOVER_ESCALATION > until:
            continue
        for coordinator in coordinators[group_id]:
            found.append(
                Due(
                    f"handover:{handover_id}:m{coordinator.id}:escalate",
                    Kind.HANDOVER_ESCALATION,
                    created + rules.HANDOVER_ESCALATION,
                    member_id=coordinator.id,
                    zone=zone,
                    render=at_time("reminder.handover_escalation", created, zone),
                )
            )
    return await _not_done(scan, found)


async def _not_done(scan: Scan, items: list[Due]) -> list[Due]:
    done = await scan.tx.reminders.done([i.key for i in items])
    return [i for i in items if i.key not in done]


async def flag_reminders(scan: Scan, now: datetime, until: datetime) -> list[Due]:
    """Open targets: their agency is reminded up to five times (coordinators and beyond get
    the flag itself as it climbs its ladder, see services/ladders.py); an acknowledged flag
    not resolved in 24 h reminds the one who acknowledged it daily."""
    found: list[Due] = []
    agencies = await scan.agencies()
    for flag_id, agency, added, deadline in await scan.tx.reminders.targets_open(until):
        steps = rules.flag_schedule(added, deadline)
        if steps[0][1] > until:
            continue
        flag = await scan.tx.flags.get(flag_id)
        group = await scan.tx.groups.get(flag.group_id) if flag else None
        if flag is None or group is None:
            continue
        urgent = flag.urgency is Urgency.URGENT
        people = await scan.people(group.id)
        # After down-time, only the latest step that came due is sent; earlier ones drop.
        latest = max((step for step, due in steps if due <= now), default=0)
        for step, due in steps:
            if due > until:
                continue
            for person in (p for p in people if p.agency_code == agency):
                found.append(
                    Due(
                        f"flag:{flag_id}:{agency}:r{step}:m{person.id}",
                        Kind.FLAG_REMINDER,
                        due,
                        cause_holds=step >= latest,
                        member_id=person.id,
                        zone=group.timezone,
                        urgent=urgent,
                        render=fixed(
                            "reminder.flag",
                            number=flag_id,
                            agency=agencies.entry(agency),
                        ),
                    )
                )
    for flag_id, agency, member_id, acked in await scan.tx.reminders.targets_unresolved(
        until - rules.UNRESOLVED_AFTER
    ):
        days = int((until - acked) / rules.UNRESOLVED_AFTER)
        found.append(
            Due(
                f"flag:{flag_id}:{agency}:daily{days}:m{member_id}",
                Kind.FLAG_UNRESOLVED,
                acked + rules.UNRESOLVED_AFTER * days,
                member_id=member_id,
                render=fixed("reminder.flag_unresolved", number=flag_id),
            )
        )
    return await _not_done(scan, found)


async def digests(scan: Scan, now: datetime, until: datetime) -> list[Due]:
    """Each coordinator's digest of each of their groups at 07:00 group time (until 12:00);
    the text is made only when one is due, once per group and language."""
    every = await scan.tx.groups.all()
    mornings: dict[str, tuple[datetime, date, datetime]] = {}
    for zone in {g.timezone for g in every}:
        at = rules.last_digest_time(until, zone)
        mornings[zone] = (at, at.astimezone(ZoneInfo(zone)).date(), rules.digest_latest(at, zone))
    # Outside 07:00-12:00 group time no digest can be due: no query for coordinators then.
    groups = [g for g in every if now < mornings[g.timezone][2]]
    coordinators = await scan.coordinators({g.id for g in groups})
    found: list[Due] = []
    for group in groups:
        at, day, latest = mornings[group.timezone]
        for coordinator in coordinators[group.id]:
            found.append(
                Due(
                    f"digest:{group.id}:{day}:m{coordinator.id}",
                    Kind.DIGEST,
                    at,
                    # Someone who became a coordinator after 07:00 starts with tomorrow's.
                    cause_holds=coordinator.created_at <= at,
                    until=latest,
                    member_id=coordinator.id,
                    zone=group.timezone,
                    dedup=f"digest:{group.id}:{day}",
                    priority=Priority.BULK,  # a summary of the day before: nothing to act on
                )
            )
    found = await _not_done(scan, found)
    texts: dict[tuple[int, str], Markup] = {}
    for item in found:
        group_id = int(item.key.split(":")[1])
        assert item.member_id is not None
        language = next(c.language for c in coordinators[group_id] if c.id == item.member_id)
        if item.due <= now and item.cause_holds and (group_id, language) not in texts:
            texts[group_id, language] = await digest_text(scan.tx, group_id, language, item.due)
        item.text = texts.get((group_id, language))
    return found


async def held_news(scan: Scan, until: datetime) -> list[Due]:
    """News about shifts that came in a member's quiet hours, now that those have ended."""
    found = []
    for news in await scan.tx.reminders.news_due(until):
        found.append(
            Due(
                f"news:{news.key}",
                Kind.NEWS,
                news.due,
                member_id=news.member_id,
                zone=news.zone,
                dedup=news.key,
                text=Markup(news.text),
                priority=Priority(news.priority),
                action=_forget(news.key),
            )
        )
    return found


def _forget(key: str) -> Action:
    async def act(tx: Tx, now: datetime) -> None:
        await tx.reminders.take_news(key)

    return act
