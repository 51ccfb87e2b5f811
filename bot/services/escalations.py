"""Reminder sources beyond shifts: handovers, flags (escalation), and the morning digest."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain import reminders as rules
from bot.domain.flags import Urgency
from bot.domain.models import Member, Role
from bot.domain.outbox import Priority
from bot.domain.reminders import Kind
from bot.i18n import clock_time
from bot.services.digest import digest_text
from bot.services.notify import notify
from bot.services.reminder_items import HORIZON, Action, Due
from storage.store import Tx


async def handover_reminders(tx: Tx, now: datetime) -> list[Due]:
    found: list[Due] = []
    for handover_id, group_id, created, zone in await tx.reminders.handovers_waiting(
        now - HORIZON
    ):
        for member_id in await tx.reminders.handover_recipients(handover_id):
            found.append(
                Due(
                    f"handover:{handover_id}:m{member_id}:remind",
                    Kind.HANDOVER_REMINDER,
                    created + rules.HANDOVER_REMINDER,
                    cause_holds=True,
                    member_id=member_id,
                    zone=zone,
                    text="reminder.handover",
                )
            )
        for coordinator in await tx.members.coordinators_of([group_id]):
            found.append(
                Due(
                    f"handover:{handover_id}:m{coordinator.id}:escalate",
                    Kind.HANDOVER_ESCALATION,
                    created + rules.HANDOVER_ESCALATION,
                    cause_holds=True,
                    member_id=coordinator.id,
                    zone=zone,
                    text="reminder.handover_escalation",
                    values={"time": clock_time(created, zone)},
                )
            )
    return found


async def flag_reminders(tx: Tx, now: datetime) -> list[Due]:
    found: list[Due] = []
    for flag_id, agency, added, deadline in await tx.reminders.targets_open(now + HORIZON):
        flag = await tx.flags.get(flag_id)
        group = await tx.groups.get(flag.group_id) if flag else None
        if flag is None or group is None:
            continue
        urgent = flag.urgency is Urgency.URGENT
        people = await tx.members.in_groups([group.id], active_only=True)
        steps = rules.flag_schedule(added, deadline)
        # After down-time, only the latest step that came due is sent; earlier ones drop.
        latest = max((step for step, due in steps if due <= now), default=0)
        for step, due in steps:
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
                        text="reminder.flag",
                        values={"number": flag_id, "agency": agency},
                    )
                )
        for coordinator in (p for p in people if p.role is Role.COORDINATOR):
            found.append(
                Due(
                    f"flag:{flag_id}:{agency}:esc:m{coordinator.id}",
                    Kind.FLAG_ESCALATION,
                    steps[1][1],
                    cause_holds=True,
                    member_id=coordinator.id,
                    zone=group.timezone,
                    urgent=urgent,
                    text="reminder.flag_escalation",
                    values={
                        "number": flag_id,
                        "agency": agency,
                        "since": clock_time(added, group.timezone),
                    },
                )
            )
    for flag_id, agency, member_id, acked in await tx.reminders.targets_unresolved(
        now - rules.UNRESOLVED_AFTER
    ):
        days = int((now - acked) / rules.UNRESOLVED_AFTER)
        found.append(
            Due(
                f"flag:{flag_id}:{agency}:daily{days}:m{member_id}",
                Kind.FLAG_UNRESOLVED,
                acked + rules.UNRESOLVED_AFTER * days,
                cause_holds=True,
                member_id=member_id,
                text="reminder.flag_unresolved",
                values={"number": flag_id},
            )
        )
    return found


async def digests(tx: Tx, now: datetime) -> list[Due]:
    found: list[Due] = []
    for group in await tx.groups.all():
        at = rules.last_digest_time(now, group.timezone)
        latest = at.replace(hour=rules.DIGEST_LATEST.hour, minute=0)
        for coordinator in await tx.members.coordinators_of([group.id]):
            found.append(
                Due(
                    f"digest:{group.id}:{at.date()}:m{coordinator.id}",
                    Kind.DIGEST,
                    at,
                    # Someone who became a coordinator after 07:00 starts with tomorrow's.
                    cause_holds=coordinator.created_at <= at,
                    until=latest,
                    member_id=coordinator.id,
                    zone=group.timezone,
                    action=_digest(group.id, coordinator, at),
                )
            )
            found.append(
                Due(
                    f"digest:{group.id}:{(at + timedelta(days=1)).date()}:m{coordinator.id}",
                    Kind.DIGEST,
                    at + timedelta(days=1),
                    cause_holds=True,
                    member_id=coordinator.id,
                    zone=group.timezone,
                )
            )
    return found


def _digest(group_id: int, coordinator: Member, at: datetime) -> Action:
    async def act(tx: Tx, now: datetime) -> None:
        text = await digest_text(tx, group_id, coordinator.language, at)
        await notify(
            tx,
            coordinator,
            "reminder.digest",
            dedup=f"digest:{group_id}:{at.date()}",
            now=now,
            priority=Priority.BULK,  # a summary of the day before: nothing to act on at once
            body=text,
        )

    return act
