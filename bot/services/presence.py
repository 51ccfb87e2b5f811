"""Check-in and check-out, and the handover note that goes to the next colleague."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.callbacks import HandoverAck
from bot.domain.errors import DomainError
from bot.domain.geo import distance_m, valid_coordinates, within_area
from bot.domain.models import Group, Member
from bot.domain.outbox import Button, Priority
from bot.domain.screening import contains_identity_number
from bot.domain.shifts import Presence, Shift
from bot.i18n import Distance, clock_time, t
from bot.services import flag_shifts
from bot.services.handover_to import PROMPT_HANDOVER, Audience, successors
from bot.services.notify import notify
from storage.store import Store, Tx

# A check-in this long before a shift starts still belongs to that shift.
EARLY_CHECK_IN = timedelta(minutes=60)
MAX_NOTE = 1000
# A handover older than this is no longer "waiting" for whoever checks in next.
HANDOVER_FRESH = timedelta(hours=24)


class CheckInRefused(DomainError):
    """The check-in could not be recorded (the key says why)."""


class AlreadyCheckedIn(DomainError):
    """The member has an open check-in: where and since when are in `current`."""

    key = "checkin.already"

    def __init__(self, current: CurrentPresence) -> None:
        super().__init__()
        self.current = current


class ChooseGroup(DomainError):
    """The member belongs to several groups and the location does not settle which."""

    key = "checkin.choose_group"

    def __init__(self, groups: list[Group]) -> None:
        super().__init__()
        self.groups = groups


class VagueLocation(CheckInRefused):
    """The fix is less accurate than the area is wide: it cannot say inside or outside."""

    key = "checkin.vague"


class NoteRefused(DomainError):
    """A free-text note cannot be stored as written (the key says why)."""


@dataclass(frozen=True)
class CurrentPresence:
    """An open check-in and the group it is in."""

    presence: Presence
    group: Group


@dataclass(frozen=True)
class CheckedIn:
    """A recorded check-in and what it means."""

    presence_id: int
    group: Group
    inside: bool
    distance_m: float
    shift: Shift | None
    minutes_late: int | None
    open_flags: int = 0  # of the member's agency in the group (their cards follow)
    handovers: int = 0  # of the member's agency in the group, not acknowledged yet


def screen(text: str, limit: int = MAX_NOTE) -> str:
    """Free text fit to store: not empty, not too long, no personal identity number."""
    text = text.strip()
    if not text:
        raise NoteRefused("note.empty")
    if len(text) > limit:
        raise NoteRefused("note.too_long")
    if contains_identity_number(text):
        raise NoteRefused("note.identity_number")
    return text


async def check_in(
    store: Store,
    member: Member,
    *,
    lat: float,
    lon: float,
    accuracy_m: float | None,
    now: datetime,
    group_id: int | None = None,
) -> CheckedIn:
    """Record presence at a location, in the member's group that the location points to."""
    if not valid_coordinates(lat, lon):
        raise CheckInRefused("checkin.bad_location")
    async with store.transaction() as tx:
        already = await _open(tx, member)
        if already is not None:
            raise AlreadyCheckedIn(already)
        group = await _choose_group(tx, member, lat, lon, accuracy_m, group_id)
        if accuracy_m is not None and accuracy_m > group.radius_m:
            raise VagueLocation(
                accuracy=Distance(accuracy_m), radius=Distance(group.radius_m), group=group.name
            )
        distance = distance_m(group.lat, group.lon, lat, lon)
        inside = within_area(distance, group.radius_m, accuracy_m)
        shift = await _current_shift(tx, member, group, now)
        late = max(0, int((now - shift.starts_at).total_seconds() // 60)) if shift else None
        presence_id = await tx.presences.check_in(
            member_id=member.id,
            group_id=group.id,
            shift_id=shift.id if shift else None,
            now=now,
            lat=lat,
            lon=lon,
            accuracy_m=accuracy_m,
            distance_m=distance,
            inside=inside,
            minutes_late=late,
        )
        if presence_id is None:  # a second device raced this one
            raced = await _open(tx, member)
            raise AlreadyCheckedIn(raced) if raced else DomainError()
        if not inside:
            await _tell_outside(tx, member, group, presence_id, distance, now)
        # The audit says where in terms of inside/outside only, never coordinates.
        await tx.audit.record(
            "presence.check_in",
            now=now,
            actor_member_id=member.id,
            object_type="presence",
            object_id=presence_id,
            detail=f"group={group.id} inside={int(inside)}",
        )
        flags = await flag_shifts.arrive(tx, member, group.id, now)
        waiting = await tx.presences.handovers_waiting(
            group.id, member.agency_code, member.id, now - HANDOVER_FRESH
        )
    return CheckedIn(presence_id, group, inside, distance, shift, late, flags, waiting)


async def current(store: Store, member: Member) -> CurrentPresence | None:
    """The member's open check-in with its group, or None when not checked in."""
    async with store.read() as tx:
        return await _open(tx, member)


async def _open(tx: Tx, member: Member) -> CurrentPresence | None:
    presence = await tx.presences.open_for(member.id)
    group = await tx.groups.get(presence.group_id) if presence else None
    return CurrentPresence(presence, group) if presence and group else None


async def _tell_outside(
    tx: Tx, member: Member, group: Group, presence_id: int, distance: float, now: datetime
) -> None:
    """Coordinators hear once per check-in that it is outside the area (and not counted)."""
    for coordinator in await tx.members.coordinators_of([group.id]):
        if coordinator.id == member.id:
            continue
        await notify(
            tx,
            coordinator,
            "checkin.outside_coordinator",
            dedup=f"outside:{presence_id}",
            now=now,
            priority=Priority.NORMAL,
            name=member.display_name,
            agency=await tx.groups.named(member.agency_code),
            group=group.name,
            distance=Distance(distance),
        )


async def _choose_group(
    tx: Tx, member: Member, lat: float, lon: float, accuracy: float | None, group_id: int | None
) -> Group:
    groups = await tx.groups.many(member.group_ids)
    if not groups:
        raise CheckInRefused("checkin.no_group")
    if group_id is not None:
        chosen = [g for g in groups if g.id == group_id]
        if not chosen:
            raise CheckInRefused("checkin.no_group")
        return chosen[0]
    if len(groups) == 1:
        return groups[0]
    near = [
        g for g in groups if within_area(distance_m(g.lat, g.lon, lat, lon), g.radius_m, accuracy)
    ]
    if len(near) == 1:
        return near[0]
    raise ChooseGroup(sorted(groups, key=lambda g: distance_m(g.lat, g.lon, lat, lon)))


async def _current_shift(tx: Tx, member: Member, group: Group, now: datetime) -> Shift | None:
    shifts = await tx.shifts.of_member(member.id, now, now + EARLY_CHECK_IN)
    mine = [s for s in shifts if s.group_id == group.id and s.ends_at > now]
    return mine[0] if mine else None


async def check_out(store: Store, member: Member, now: datetime) -> Presence:
    """End the member's presence; the bot then asks for a handover note."""
    async with store.transaction() as tx:
        presence = await tx.presences.check_out(member.id, now, "manual")
        if presence is None:
            raise CheckInRefused("checkout.not_checked_in")
        await flag_shifts.leave(tx, member, presence.group_id, now)
        await tx.prompts.ask(member.id, PROMPT_HANDOVER, str(presence.id), now)
        await tx.audit.record(
            "presence.check_out",
            now=now,
            actor_member_id=member.id,
            object_type="presence",
            object_id=presence.id,
        )
    return presence


async def skip_handover(store: Store, member: Member) -> None:
    """The member has nothing to hand over."""
    async with store.transaction() as tx:
        await tx.prompts.cancel(member.id)


async def hand_over(
    store: Store,
    member: Member,
    presence_id: int,
    note: str,
    now: datetime,
    audience: Audience = (),
) -> int:
    """Deliver a handover note to the next shift of my agency, every agency (`audience`
    None) or the agencies chosen; return how many got it."""
    text = screen(note)
    async with store.transaction() as tx:
        presence = await tx.presences.get(presence_id)
        if presence is None or presence.member_id != member.id:
            raise NoteRefused("handover.gone")
        group = await tx.groups.get(presence.group_id)
        assert group is not None
        recipients = await successors(tx, member, group, now, audience)
        handover_id = await tx.presences.add_handover(
            presence_id=presence_id,
            from_member_id=member.id,
            group_id=group.id,
            agency_code=member.agency_code,
            note=text,
            recipient_ids=[r.id for r in recipients],
            now=now,
        )
        for person in recipients:
            ack = [
                [
                    Button(
                        text=t(person.language, "handover.ack_button"),
                        data=HandoverAck(handover_id).pack(),
                    )
                ]
            ]
            await notify(
                tx,
                person,
                "handover.note",
                dedup=f"handover:{handover_id}",
                now=now,
                priority=Priority.NORMAL,
                keyboard=ack,
                ref=("handover", handover_id),
                protect=True,
                name=member.display_name,
                agency=await tx.groups.named(member.agency_code),
                group=group.name,
                note=text,
            )
        await tx.prompts.cancel(member.id)
        await tx.audit.record(
            "handover.create",
            now=now,
            actor_member_id=member.id,
            object_type="handover",
            object_id=handover_id,
            detail=f"recipients={len(recipients)}",
        )
    return len(recipients)


async def acknowledge_handover(
    store: Store, member: Member, handover_id: int, now: datetime
) -> bool:
    """Acknowledge a handover; the first acknowledgement tells its author. True if first."""
    async with store.transaction() as tx:
        row = await tx.presences.handover(handover_id)
        if row is None or not await tx.presences.is_handover_recipient(handover_id, member.id):
            raise NoteRefused("handover.gone")
        first = await tx.presences.acknowledge(handover_id, member.id, now)
        if not first:
            return False
        author = await tx.members.get(row["from_member_id"])
        group = await tx.groups.get(row["group_id"])
        zone = group.timezone if group else "UTC"
        if author is not None:
            await notify(
                tx,
                author,
                "handover.acknowledged",
                dedup=f"handover-ack:{handover_id}",
                now=now,
                priority=Priority.NORMAL,
                name=member.display_name,
                time=clock_time(now, zone),
            )
        for chat_id, language in await tx.outbox.copy_chats("handover", handover_id):
            text = t(
                language,
                "handover.note_acked",
                name=author.display_name if author else "?",
                note=row["note"],
                by=member.display_name,
                time=clock_time(now, zone),
            )
            await tx.outbox.enqueue_edit(
                ref_type="handover",
                ref_id=handover_id,
                chat_id=chat_id,
                text=text,
                keyboard=None,
                now=now,
            )
        await tx.audit.record(
            "handover.acknowledge",
            now=now,
            actor_member_id=member.id,
            object_type="handover",
            object_id=handover_id,
        )
    return True
