"""The reminder scan: every reminder, escalation and digest is derived from rows at `now`.

Each occurrence has a key; the scan records it as sent or dropped in the same transaction as
the messages it queues (whose outbox dedup key is the same), so running the scan twice, or
after a crash, neither repeats nor loses one. Nothing is kept in memory between scans.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain import reminders as rules
from bot.domain.models import Member, Role
from bot.domain.outbox import Priority
from bot.domain.reminders import Kind
from bot.i18n import clock_time, span
from bot.services.escalations import digests, flag_reminders, handover_reminders
from bot.services.notify import notify
from bot.services.reminder_items import HORIZON, Action, Due, ScanResult
from storage.reminders import MemberSettings, ShiftRow
from storage.store import Store, Tx


async def run_due(store: Store, now: datetime) -> ScanResult:
    """Send every reminder due at `now` that still makes sense; drop the stale ones."""
    async with store.read() as tx:
        candidates = await _candidates(tx, now)
        done = await tx.reminders.done([d.key for d in candidates])
    result = ScanResult()
    for item in candidates:
        if item.key in done:
            continue
        if item.due > now:
            result.next_due = min(filter(None, [result.next_due, item.due]))
            continue
        await _settle(store, item, now, result)
    return result


async def _settle(store: Store, item: Due, now: datetime, result: ScanResult) -> None:
    async with store.transaction() as tx:
        member = await tx.members.get(item.member_id) if item.member_id else None
        relevant = rules.still_relevant(
            item.kind, item.due, now, cause_holds=item.cause_holds, until=item.until
        ) and (item.member_id is None or (member is not None and member.active))
        if (
            relevant
            and member is not None
            and _quiet(item, member, await tx.reminders.settings(member.id), now)
        ):
            result.deferred += 1
            return
        if not await tx.reminders.mark(item.key, "sent" if relevant else "dropped", item.due, now):
            return
        if not relevant:
            result.dropped += 1
            return
        if item.action is not None:
            await item.action(tx, now)
        if member is not None and item.text:
            lane = Priority.URGENT if item.urgent else Priority.NORMAL
            await notify(
                tx, member, item.text, dedup=item.key, now=now, priority=lane, **item.values
            )
        result.sent += 1


def _quiet(item: Due, member: Member, settings: MemberSettings, now: datetime) -> bool:
    if item.kind in rules.ALWAYS or item.urgent:
        return False
    return rules.in_quiet_hours(now, item.zone, settings.quiet_from, settings.quiet_to)


class _Scan:
    """Reads shared by one scan, so a busy group costs one query, not one per shift."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self._people: dict[int, list[Member]] = {}
        self._on_duty: dict[int, set[int]] = {}
        self._settings: dict[int, MemberSettings] = {}

    async def people(self, group_id: int) -> list[Member]:
        if group_id not in self._people:
            self._people[group_id] = await self.tx.members.in_groups([group_id], active_only=True)
        return self._people[group_id]

    async def member(self, group_id: int, member_id: int) -> Member | None:
        return next((m for m in await self.people(group_id) if m.id == member_id), None)

    async def on_duty(self, group_id: int) -> set[int]:
        if group_id not in self._on_duty:
            rows = await self.tx.presences.on_duty([group_id])
            self._on_duty[group_id] = {member_id for member_id, *_ in rows}
        return self._on_duty[group_id]

    async def settings(self, member_id: int) -> MemberSettings:
        if member_id not in self._settings:
            self._settings[member_id] = await self.tx.reminders.settings(member_id)
        return self._settings[member_id]

    async def load_settings(self, member_ids: list[int]) -> None:
        """Read the settings of everyone the scan will look at, in one query."""
        self._settings.update(await self.tx.reminders.settings_of(member_ids))


async def _candidates(tx: Tx, now: datetime) -> list[Due]:
    scan = _Scan(tx)
    found: list[Due] = []
    found += await _shift_reminders(scan, now)
    found += await _end_reminders(scan, now)
    found += await handover_reminders(tx, now)
    found += await flag_reminders(tx, now)
    found += await digests(tx, now)
    return found


async def _shift_reminders(scan: _Scan, now: datetime) -> list[Due]:
    """Lead and evening reminders for shifts starting soon; missed check-ins for shifts
    that started and run on with nobody checked in (however long the bot was down)."""
    found: list[Due] = []
    upcoming = await scan.tx.reminders.shifts_starting(now, now + rules.AHEAD)
    missing = await scan.tx.reminders.shifts_starting(now - HORIZON, now, running_at=now)
    await scan.load_settings([s.member_id for s in upcoming])
    for s in upcoming:
        prefs = await scan.settings(s.member_id)
        member = await scan.member(s.group_id, s.member_id)
        if member is None:
            continue
        when = span(member.language, s.starts_at, s.ends_at, s.zone)
        base = f"shift:{s.shift_id}:m{s.member_id}"
        if prefs.lead_minutes:
            found.append(
                Due(
                    f"{base}:lead",
                    Kind.SHIFT_LEAD,
                    s.starts_at - timedelta(minutes=prefs.lead_minutes),
                    cause_holds=not s.checked_in,
                    until=s.starts_at,
                    member_id=s.member_id,
                    zone=s.zone,
                    text="reminder.shift_lead",
                    values={"when": when, "minutes": prefs.lead_minutes},
                )
            )
        evening = rules.evening_before(s.starts_at, s.zone)
        if prefs.evening_before and evening is not None:
            found.append(
                Due(
                    f"{base}:evening",
                    Kind.EVENING_BEFORE,
                    evening,
                    cause_holds=True,
                    until=s.starts_at,
                    member_id=s.member_id,
                    zone=s.zone,
                    text="reminder.evening_before",
                    values={"when": when},
                )
            )
    for s in [*upcoming, *missing]:
        member = await scan.member(s.group_id, s.member_id)
        if member is None:
            continue
        when = span(member.language, s.starts_at, s.ends_at, s.zone)
        found.append(
            Due(
                f"shift:{s.shift_id}:m{s.member_id}:missed",
                Kind.MISSED_REMINDER,
                s.starts_at + rules.MISSED_REMINDER,
                cause_holds=not s.checked_in,
                until=s.ends_at,
                member_id=s.member_id,
                zone=s.zone,
                text="reminder.missed",
                values={"when": when},
            )
        )
        found += await _missed_alerts(scan, s, member)
    return found


async def _missed_alerts(scan: _Scan, s: ShiftRow, member: Member) -> list[Due]:
    people = await scan.people(s.group_id)
    on_duty = await scan.on_duty(s.group_id)
    told = [p for p in people if p.role is Role.COORDINATOR]
    told += [
        p for p in people if p.agency_code == s.agency and p.id in on_duty and p.id != s.member_id
    ]
    return [
        Due(
            f"shift:{s.shift_id}:m{s.member_id}:alert:m{p.id}",
            Kind.MISSED_ALERT,
            s.starts_at + rules.MISSED_ALERT,
            cause_holds=not s.checked_in,
            until=s.ends_at,
            member_id=p.id,
            zone=s.zone,
            text="reminder.missed_alert",
            values={
                "name": member.display_name,
                "agency": s.agency or "–",
                "time": clock_time(s.starts_at, s.zone),
            },
        )
        for p in told
    ]


async def _end_reminders(scan: _Scan, now: datetime) -> list[Due]:
    """A check-out reminder at the planned end; automatic check-out two hours later."""
    found: list[Due] = []
    since = now - rules.AUTO_CHECKOUT_AFTER - HORIZON
    for s, started, continues in await scan.tx.reminders.shifts_to_close(since, now + rules.AHEAD):
        present = started is not None and started < s.ends_at
        base = f"shift:{s.shift_id}:m{s.member_id}"
        found.append(
            Due(
                f"{base}:checkout",
                Kind.CHECKOUT_REMINDER,
                s.ends_at,
                cause_holds=present,
                until=s.ends_at + rules.AUTO_CHECKOUT_AFTER,
                member_id=s.member_id,
                zone=s.zone,
                text="reminder.checkout",
                values={"time": clock_time(s.ends_at, s.zone)},
            )
        )
        closing = s.ends_at + rules.AUTO_CHECKOUT_AFTER
        found.append(
            Due(
                f"{base}:auto",
                Kind.AUTO_CHECKOUT,
                closing,
                cause_holds=present and not continues,
                member_id=s.member_id,
                zone=s.zone,
                text="reminder.auto_checkout",
                values={"time": clock_time(closing, s.zone)},
                action=_auto_checkout(s.member_id, s.group_id, closing),
            )
        )
    return found


def _auto_checkout(member_id: int, group_id: int, at: datetime) -> Action:
    async def act(tx: Tx, now: datetime) -> None:
        await tx.reminders.auto_check_out(member_id, group_id, at)
        await tx.audit.record(
            "presence.auto_check_out", now=now, object_type="member", object_id=member_id
        )

    return act
