"""Composing a work-log entry step by step, or in one tap from the last one ("same again").

Every button names the draft and the step it was shown on (`LogAt`); a press from an older
draft or an earlier step is stale, so a double tap or an old message changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from bot.domain.errors import DomainError
from bot.domain.flags import may_see
from bot.domain.geo import valid_coordinates
from bot.domain.models import Member
from bot.domain.worklog import (
    DURATIONS,
    MAX_NOTE,
    Activity,
    ActivityDraft,
    Kind,
    LogStep,
    Residents,
    WorkPolicy,
)
from bot.services.presence import screen
from storage.store import Store, Tx

STEPS = tuple(LogStep)
PROMPT_NOTE = "log_note"
PROMPT_LOCATION = "log_location"


class LogRefused(DomainError):
    """The work-log action cannot be done (the key says why)."""


class LogAt(NamedTuple):
    """Which draft, at which step, a button was shown for."""

    draft_id: int
    step: LogStep


async def _draft(
    tx: Tx, member: Member, at: LogAt | None = None, hold: bool = False
) -> ActivityDraft:
    draft = await tx.activities.draft(member.id, hold)
    if at is not None and (draft is None or (draft.id, draft.step) != at):
        raise LogRefused("auth.stale_button")
    if draft is None:
        raise LogRefused("log.no_draft")
    return draft


def question(draft: ActivityDraft) -> str | None:
    """The question the draft's step asks: free text only on the note step, a shared
    location only on its own step."""
    return {LogStep.NOTE: PROMPT_NOTE, LogStep.LOCATION: PROMPT_LOCATION}.get(draft.step)


async def _save(tx: Tx, draft: ActivityDraft, now: datetime) -> ActivityDraft:
    draft = await tx.activities.save_draft(draft, now)
    asked = question(draft)
    if asked is not None:
        await tx.prompts.ask(draft.member_id, asked, None, now)
    else:
        await tx.prompts.cancel(draft.member_id)
    return draft


async def _group_now(tx: Tx, member: Member) -> int | None:
    """The group the work belongs to: the current check-in's, else the only one; else ask."""
    presence = await tx.presences.open_for(member.id)
    if presence is not None and presence.group_id in member.group_ids:
        return presence.group_id
    return member.group_ids[0] if len(member.group_ids) == 1 else None


def _check_member(member: Member) -> None:
    if member.agency_code is None or not member.group_ids:
        raise LogRefused("log.no_agency")


async def ask_again(tx: Tx, draft: ActivityDraft, now: datetime) -> None:
    """Going on with the draft: ask its step's question again (it may have been forgotten)."""
    await _save(tx, draft, now)


async def start(
    store: Store, member: Member, now: datetime, flag_id: int | None = None
) -> ActivityDraft:
    """Begin an entry (a new draft; linked to a flag this member may see, when given)."""
    _check_member(member)
    async with store.transaction() as tx:
        group_id = await _group_now(tx, member)
        if flag_id is not None:
            flag = await tx.flags.get(flag_id)
            if flag is None or not may_see(member, flag) or flag.group_id not in member.group_ids:
                raise LogRefused("auth.stale_button")
            group_id = flag.group_id
        step = LogStep.KIND if group_id is not None else LogStep.GROUP
        draft = ActivityDraft(member_id=member.id, step=step, group_id=group_id, flag_id=flag_id)
        return await _save(tx, draft, now)


async def last_entry(store: Store, member: Member) -> Activity | None:
    """The member's last entry, which "same as last time" repeats."""
    async with store.read() as tx:
        return await tx.activities.last_of(member.id)


async def same_again(
    store: Store, member: Member, policy: WorkPolicy, now: datetime, at: LogAt
) -> ActivityDraft:
    """The draft at the summary step with the last entry's answers (no note, no place)."""
    _check_member(member)
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        last = await tx.activities.last_of(member.id)
        if last is None or policy.find(last.kind, last.type) is None:
            raise LogRefused("log.no_last")
        group_id = draft.group_id
        if group_id is None and last.group_id in member.group_ids:
            group_id = last.group_id
        repeated = draft.model_copy(
            update={
                "step": LogStep.SUMMARY if group_id is not None else LogStep.GROUP,
                "group_id": group_id,
                "kind": last.kind,
                "type": last.type,
                "partners": last.partners,
                "residents": last.residents,
                "minutes": last.minutes,
            }
        )
        return await _save(tx, repeated, now)


def _next_step(draft: ActivityDraft) -> LogStep:
    if draft.step is LogStep.GROUP and draft.minutes is not None:
        return LogStep.SUMMARY  # "same again" had all but the group
    return STEPS[STEPS.index(draft.step) + 1]


async def _advance(
    tx: Tx, draft: ActivityDraft, now: datetime, **changes: object
) -> ActivityDraft:
    draft = draft.model_copy(update=changes)
    return await _save(tx, draft.model_copy(update={"step": _next_step(draft)}), now)


async def choose(
    store: Store,
    member: Member,
    policy: WorkPolicy,
    now: datetime,
    at: LogAt,
    *,
    group_id: int | None = None,
    kind: Kind | None = None,
    type_key: str | None = None,
    residents: Residents | None = None,
    minutes: int | None = None,
) -> ActivityDraft:
    """Answer the group, kind, type, residents or duration step from a button."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        step = draft.step
        if step is LogStep.GROUP and group_id is not None and group_id in member.group_ids:
            return await _advance(tx, draft, now, group_id=group_id)
        if step is LogStep.KIND and kind is not None:
            return await _advance(tx, draft, now, kind=kind)
        if step is LogStep.TYPE and draft.kind and type_key and policy.find(draft.kind, type_key):
            return await _advance(tx, draft, now, type=type_key)
        if step is LogStep.RESIDENTS and residents is not None:
            return await _advance(tx, draft, now, residents=residents)
        if step is LogStep.DURATION and minutes in DURATIONS:
            return await _advance(tx, draft, now, minutes=minutes)
    raise LogRefused("auth.stale_button")


async def toggle_partner(
    store: Store, member: Member, agency: str, now: datetime, at: LogAt
) -> ActivityDraft:
    """Add or remove a partner agency (never my own)."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        known = {a.code for a in await tx.groups.agencies()}
        if (
            draft.step is not LogStep.PARTNERS
            or agency not in known
            or agency == member.agency_code
        ):
            raise LogRefused("auth.stale_button")
        chosen = tuple(sorted(set(draft.partners) ^ {agency}))
        return await _save(tx, draft.model_copy(update={"partners": chosen}), now)


async def next_step(store: Store, member: Member, now: datetime, at: LogAt) -> ActivityDraft:
    """Go on from a step that may be left as it is: partners, note or location."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        if draft.step not in (LogStep.PARTNERS, LogStep.NOTE, LogStep.LOCATION):
            raise LogRefused("auth.stale_button")
        return await _advance(tx, draft, now)


async def note(
    store: Store, member: Member, text: str, now: datetime, message_id: int | None = None
) -> ActivityDraft:
    """Take the note, screened like all free text; it is never logged or put in a report.
    The message it came from is kept: editing it changes the note until the entry is saved."""
    checked = screen(text, MAX_NOTE)
    async with store.transaction() as tx:
        draft = await _draft(tx, member)
        if draft.step is not LogStep.NOTE:
            raise LogRefused("log.no_draft")
        draft = await _advance(tx, draft, now, note=checked)
        if message_id is not None:
            await tx.activities.note_note_message(draft.id, message_id)
        return draft


async def renote(
    store: Store, member: Member, message_id: int, text: str, now: datetime
) -> ActivityDraft | None:
    """The note's message was edited: its new text (screened like the first) is the note,
    while the draft is past that step and not saved; None when the message is not the note
    of the member's draft (any more)."""
    async with store.transaction() as tx:
        draft = await tx.activities.draft(member.id)
        if draft is None or await tx.activities.note_message(draft.id) != message_id:
            return None
        if STEPS.index(draft.step) <= STEPS.index(LogStep.NOTE):
            return None
        checked = screen(text, MAX_NOTE)
        return await tx.activities.save_draft(draft.model_copy(update={"note": checked}), now)


async def locate(
    store: Store, member: Member, lat: float, lon: float, now: datetime
) -> ActivityDraft:
    """Attach where the work was done and move on."""
    if not valid_coordinates(lat, lon):
        raise LogRefused("checkin.bad_location")
    async with store.transaction() as tx:
        draft = await _draft(tx, member)
        if draft.step is not LogStep.LOCATION:
            raise LogRefused("log.no_draft")
        return await _advance(tx, draft, now, lat=lat, lon=lon)


async def back(store: Store, member: Member, now: datetime, at: LogAt) -> ActivityDraft:
    """Go back one step (not to the group step when the group settled itself)."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        target = STEPS[max(STEPS.index(draft.step) - 1, 0)]
        if target is LogStep.GROUP and (
            draft.flag_id is not None or await _group_now(tx, member) is not None
        ):
            target = LogStep.KIND
        return await _save(tx, draft.model_copy(update={"step": target}), now)


async def cancel(store: Store, member: Member, at: LogAt) -> None:
    """Forget the draft the button was shown for."""
    async with store.transaction() as tx:
        await _draft(tx, member, at)
        await tx.prompts.cancel(member.id)
        await tx.activities.drop_draft(member.id)


async def confirm(
    store: Store, member: Member, policy: WorkPolicy, now: datetime, at: LogAt, revision: str
) -> Activity:
    """Store the summarised draft (still as its summary showed it: `revision`) as work done
    now."""
    _check_member(member)
    async with store.transaction() as tx:
        # Held: a double tap reaching two instances finds the draft gone the second time.
        draft = await _draft(tx, member, at, hold=True)
        complete = (
            draft.revision == revision
            and draft.step is LogStep.SUMMARY
            and draft.group_id in member.group_ids
            and draft.kind is not None
            and draft.type is not None
            and policy.find(draft.kind, draft.type) is not None
            and draft.residents is not None
            and draft.minutes is not None
        )
        if not complete:
            raise LogRefused("auth.stale_button")
        activity_id = await tx.activities.add(draft, member.agency_code, now)
        await tx.activities.drop_draft(member.id)
        await tx.prompts.cancel(member.id)
        await tx.audit.record(
            "activity.log",
            now=now,
            actor_member_id=member.id,
            object_type="activity",
            object_id=activity_id,
            detail=f"flag={draft.flag_id}" if draft.flag_id else None,
        )
        activity = await tx.activities.get(activity_id)
    assert activity is not None
    return activity


async def partner_choices(store: Store, member: Member, group_id: int | None) -> list[str]:
    """Agencies to offer as partners: those checked in with me right now first."""
    async with store.read() as tx:
        agencies = [a.code for a in await tx.groups.agencies() if a.code != member.agency_code]
        here = await tx.presences.on_duty([group_id]) if group_id is not None else []
    present = {agency for _, _, agency, _ in here}
    return [a for a in agencies if a in present] + [a for a in agencies if a not in present]


async def groups_of(store: Store, member: Member) -> list[tuple[int, str]]:
    """(id, name) of the member's groups, for the group step."""
    async with store.read() as tx:
        return [(g.id, g.name) for g in await tx.groups.many(list(member.group_ids))]
