"""The reminder scan: every reminder, escalation and digest is derived from rows at `now`.

Each occurrence has a key; the scan records it as sent or dropped in the same transaction as
the messages it queues (whose outbox dedup key is the same), so running the scan twice, or
after a crash, neither repeats nor loses one. Nothing is kept in memory between scans.

The scan reads on a reader connection, asks the database only for what falls due by the
end of its look-ahead and was not done, and renders text only for that; the write lock is
taken for short batches of what is due, so handlers' writes slip in between.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import reminders as rules
from bot.domain.outbox import Priority
from bot.domain.reminders import Kind
from bot.i18n import Markup, clock_time, span, t, when
from bot.services import checkout_undo
from bot.services.escalations import digests, flag_reminders, handover_reminders, held_news
from bot.services.ladders import climbs
from bot.services.notify import note
from bot.services.reminder_items import Action, Due, Render, Scan, ScanResult, at_time
from storage.outbox import PreparedSend, prepare
from storage.reminders import OpenPresence, ShiftRow
from storage.store import Store, Tx

# The job runs every 30 s; what falls due within that is found now, so the job can wake
# exactly when it does.
LOOKAHEAD = timedelta(seconds=30)
# Items a scan settles, in one write transaction (a few milliseconds of lock); the rest
# are left to a scan CONTINUE_AFTER later. Telegram takes about 30 messages a second, so
# the 1,300 reminders of a whole shift change take 45 s to go out however fast they are
# queued: queued 150 every 4 s, the sender never runs dry and none goes out later, while no
# scan holds the write lock for long and handlers' writes go between.
LIMIT = 150
CONTINUE_AFTER = timedelta(seconds=4)
LONGEST_LEAD = timedelta(minutes=rules.MAX_LEAD_MINUTES)
LONGEST_SHIFT = timedelta(hours=24)


async def run_due(
    store: Store, now: datetime, lookahead: timedelta = LOOKAHEAD, limit: int = LIMIT
) -> ScanResult:
    """Send every reminder due at `now` that still makes sense, drop the stale ones; the
    urgent first, and beyond `limit` items leave the rest to a scan `CONTINUE_AFTER` later."""
    until = now + lookahead
    async with store.read(background=True) as tx:
        scan = Scan(tx)
        found = await _candidates(scan, now, until)
        ready = await scan.finish([item for item in found if item.due <= now])
    result = ScanResult()
    later = [item.due for item in found if item.due > now]
    result.next_due = min(later, default=None)
    settled = 0
    for batch in _batches(sorted(ready, key=_order), limit):
        if settled >= limit:
            result.more = True
            result.next_due = min(now + CONTINUE_AFTER, result.next_due or now + lookahead)
            break
        decided = _decide(batch, now, result)
        if not decided.items:
            continue  # all held by quiet hours: nothing to write
        # Not durable: the commit does not wait for the disk, which once held the lock
        # 81 ms (bench.scan). A power cut can undo it only with what it marked done, its
        # actions and its messages together, and the next scan finds those due again; none
        # of its messages left, as a claim is a durable commit made after it.
        async with store.transaction(durable=False) as tx:
            await _settle(tx, decided, now, result)
        settled += len(decided.items)
    return result


def _order(item: Due) -> tuple[int, datetime, str]:
    """Lane, then due time; an occurrence's items stay together."""
    lane = Priority.URGENT if item.urgent else item.priority
    return int(lane), item.due, item.occurrence or item.key


def _batches(items: list[Due], size: int) -> list[list[Due]]:
    """Batches of about `size` items that never split an occurrence."""
    batches: list[list[Due]] = [[]]
    for _, group in itertools.groupby(items, key=lambda i: i.occurrence or i.key):
        members = list(group)
        if batches[-1] and len(batches[-1]) + len(members) > size:
            batches.append([])
        batches[-1].extend(members)
    return [b for b in batches if b]


@dataclass
class _Decided:
    """A batch decided before its transaction: each item's outcome (the ones held by quiet
    hours left out), and its message ready to queue, so the write lock holds only SQL."""

    items: list[tuple[Due, bool]] = field(default_factory=list)
    sends: dict[str, PreparedSend] = field(default_factory=dict)


def _decide(batch: list[Due], now: datetime, result: ScanResult) -> _Decided:
    decided = _Decided()
    for item in batch:
        member = item.member
        relevant = rules.still_relevant(
            item.kind, item.due, now, cause_holds=item.cause_holds, until=item.until
        ) and (item.member_id is None or (member is not None and member.active))
        if relevant and member is not None and _quiet(item, now):
            result.deferred += 1
            continue
        decided.items.append((item, relevant))
        if not relevant or member is None:
            continue
        text = item.render(member.language) if item.text is None and item.render else item.text
        if text:
            lane = Priority.URGENT if item.urgent else item.priority
            message = note(member, text, dedup=item.dedup or item.key, priority=lane)
            decided.sends[item.key] = prepare(message, now)
    return decided


async def _settle(tx: Tx, decided: _Decided, now: datetime, result: ScanResult) -> None:
    """Mark a batch sent or dropped (one statement) and queue what is sent (one more)."""
    # Another scan may have settled some in the meantime: only the keys marked now count.
    marked = await tx.reminders.mark_many(
        [(i.key, "sent" if relevant else "dropped", i.due) for i, relevant in decided.items],
        now,
    )
    sends = []
    for item, relevant in decided.items:
        if item.key not in marked:
            continue
        if not relevant:
            result.dropped += 1
            continue
        if item.action is not None:
            await item.action(tx, now)
        if item.key in decided.sends:
            sends.append(decided.sends[item.key])
        result.sent += 1
    await tx.outbox.enqueue_prepared(sends)


def _quiet(item: Due, now: datetime) -> bool:
    if item.kind in rules.ALWAYS or item.urgent:
        return False
    quiet = item.settings
    return rules.in_quiet_hours(now, item.zone, quiet.quiet_from, quiet.quiet_to)


async def _candidates(scan: Scan, now: datetime, until: datetime) -> list[Due]:
    found: list[Due] = []
    found += await _leads(scan, now, until)
    found += await _evenings(scan, now, until)
    found += await _missed(scan, now, until)
    found += await _checkouts(scan, now, until)
    found += await _auto_checkouts(scan, now, until)
    found += await handover_reminders(scan, now, until)
    found += await flag_reminders(scan, now, until)
    found += await climbs(scan, now, until)
    found += await digests(scan, now, until)
    found += await held_news(scan, until)
    found += await checkout_undo.offers_ending(scan, now, until)
    return found


def _about(key: str, s: ShiftRow, **values: object) -> Render:
    """A shift's message: its catalogue text with the shift's span in the reader's language."""

    def render(lang: str) -> Markup:
        return t(lang, key, when=span(lang, s.starts_at, s.ends_at, s.zone), **values)

    return render


async def _leads(scan: Scan, now: datetime, until: datetime) -> list[Due]:
    """ "Your shift starts in N min", N counted when it is sent."""
    found = []
    for s, lead in await scan.tx.reminders.leads_due(now, until, LONGEST_LEAD):
        due = s.starts_at - timedelta(minutes=lead)
        minutes = rules.minutes_left(s.starts_at, max(now, due))
        found.append(
            Due(
                f"shift:{s.shift_id}:m{s.member_id}:lead",
                Kind.SHIFT_LEAD,
                due,
                until=s.starts_at,
                member_id=s.member_id,
                zone=s.zone,
                render=_about("reminder.shift_lead", s, minutes=minutes),
            )
        )
    return found


async def _evenings(scan: Scan, now: datetime, until: datetime) -> list[Due]:
    """21:00 the evening before an early shift; never "tomorrow" once that day has begun."""
    found = []
    for s in await scan.tx.reminders.early_shifts(now, now + rules.AHEAD):
        evening = rules.evening_before(s.starts_at, s.zone)
        if evening is None or evening[0] > until:
            continue
        found.append(
            Due(
                f"shift:{s.shift_id}:m{s.member_id}:evening",
                Kind.EVENING_BEFORE,
                evening[0],
                until=evening[1],
                member_id=s.member_id,
                zone=s.zone,
                render=_about("reminder.evening_before", s),
            )
        )
    return found


async def _missed(scan: Scan, now: datetime, until: datetime) -> list[Due]:
    """A missed check-in: the member is reminded, then coordinators and colleagues of the
    agency on duty are told (however long the bot was down, while the shift runs)."""
    rows = await scan.tx.reminders.missed_due(
        now, until - rules.MISSED_REMINDER, until - rules.MISSED_ALERT, LONGEST_SHIFT
    )
    groups = {s.group_id for s, _, alert in rows if alert}
    coordinators = await scan.coordinators(groups)
    on_duty = await scan.on_duty(groups)
    names = await scan.tx.members.many({s.member_id for s, _, alert in rows if alert})
    agencies = await scan.agencies()
    found: list[Due] = []
    for s, remind, alert in rows:
        base = f"shift:{s.shift_id}:m{s.member_id}"
        if remind:
            found.append(
                Due(
                    f"{base}:missed",
                    Kind.MISSED_REMINDER,
                    s.starts_at + rules.MISSED_REMINDER,
                    until=s.ends_at,
                    member_id=s.member_id,
                    zone=s.zone,
                    render=_about("reminder.missed", s),
                )
            )
        member = names.get(s.member_id)
        if not alert or member is None:
            continue
        told = [p.id for p in coordinators[s.group_id]]
        told += [m for m, agency in on_duty[s.group_id] if agency == s.agency and m != s.member_id]
        for person in dict.fromkeys(told):
            found.append(
                Due(
                    f"{base}:alert:m{person}",
                    Kind.MISSED_ALERT,
                    s.starts_at + rules.MISSED_ALERT,
                    until=s.ends_at,
                    member_id=person,
                    zone=s.zone,
                    occurrence=f"{base}:alert",
                    render=at_time(
                        "reminder.missed_alert",
                        s.starts_at,
                        s.zone,
                        name=member.display_name,
                        agency=agencies.entry(s.agency),
                    ),
                )
            )
    return found


async def _checkouts(scan: Scan, now: datetime, until: datetime) -> list[Due]:
    """A check-out reminder at the planned end, while the member is still checked in."""
    return [
        Due(
            f"shift:{s.shift_id}:m{s.member_id}:checkout",
            Kind.CHECKOUT_REMINDER,
            s.ends_at,
            until=s.ends_at + rules.AUTO_CHECKOUT_AFTER,
            member_id=s.member_id,
            zone=s.zone,
            render=at_time("reminder.checkout", s.ends_at, s.zone),
        )
        for s in await scan.tx.reminders.checkouts_due(now - rules.AUTO_CHECKOUT_AFTER, until)
    ]


async def _auto_checkouts(scan: Scan, now: datetime, until: datetime) -> list[Due]:
    """Close a check-in two hours after the shift it covers ended (not in the middle of a
    double shift), or twelve hours after it began if it covers none; however long ago that
    was: an open check-in makes the agency look covered."""
    found = []
    for p in await scan.tx.reminders.open_presences(
        until - rules.AUTO_CHECKOUT_AFTER,
        rules.AUTO_CHECKOUT_AFTER,
        rules.UNPLANNED_CHECKOUT_AFTER,
    ):
        if p.shift_id is not None and p.shift_ends_at is not None:
            closing = p.shift_ends_at + rules.AUTO_CHECKOUT_AFTER
            key, text = f"shift:{p.shift_id}:m{p.member_id}:auto", "reminder.auto_checkout"
        else:
            closing = p.since + rules.UNPLANNED_CHECKOUT_AFTER
            key, text = f"presence:{p.presence_id}:auto", "reminder.auto_checkout_unplanned"
        if closing > until:
            continue
        found.append(
            Due(
                key,
                Kind.AUTO_CHECKOUT,
                closing,
                member_id=p.member_id,
                zone=p.zone,
                render=_closed_at(text, closing, max(now, closing), p.zone),
                action=_auto_checkout(p, closing),
            )
        )
    return found


def _closed_at(key: str, closing: datetime, now: datetime, zone: str) -> Render:
    """ "At 20:00", or with the day when that was not today (after down-time)."""

    tz = ZoneInfo(zone)
    same_day = closing.astimezone(tz).date() == now.astimezone(tz).date()

    def render(lang: str) -> Markup:
        return t(
            lang, key, time=clock_time(closing, zone) if same_day else when(lang, closing, zone)
        )

    return render


def _auto_checkout(p: OpenPresence, at: datetime) -> Action:
    async def act(tx: Tx, now: datetime) -> None:
        if await tx.reminders.auto_check_out(p.presence_id, at):
            await tx.audit.record(
                "presence.auto_check_out", now=now, object_type="member", object_id=p.member_id
            )

    return act
