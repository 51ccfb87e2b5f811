"""Composing a flag step by step: targets, category, urgency, description, location, group."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from bot.domain.errors import DomainError
from bot.domain.flags import (
    MAX_DESCRIPTION,
    MAX_PLACE,
    OFFICE,
    DraftStep,
    FlagDraft,
    FlagPolicy,
    Urgency,
)
from bot.domain.geo import valid_coordinates
from bot.domain.models import Member
from bot.services.ladders import pickable, presence_in
from bot.services.presence import screen
from storage.store import Store, Tx

# The steps in order; the urgent path asks only for the agency and the text.
STEPS = (
    DraftStep.GROUP,
    DraftStep.TARGETS,
    DraftStep.CATEGORY,
    DraftStep.URGENCY,
    DraftStep.DESCRIPTION,
    DraftStep.LOCATION,
    DraftStep.SUMMARY,
)
QUICK_STEPS = (
    DraftStep.GROUP,
    DraftStep.TARGETS,
    DraftStep.QUICK,
    DraftStep.DESCRIPTION,
    DraftStep.SUMMARY,
)
PROMPT_DESCRIPTION = "flag_description"
PROMPT_LOCATION = "flag_location"


class FlagRefused(DomainError):
    """The flag action cannot be done (the key says why)."""


class DraftAt(NamedTuple):
    """Which draft, at which step, a button was shown for."""

    draft_id: int
    step: DraftStep


async def _draft(tx: Tx, member: Member, at: DraftAt | None = None) -> FlagDraft:
    """The member's draft; with `at`, only if it is still that draft at that step."""
    draft = await tx.flags.draft(member.id)
    if at is not None and (draft is None or (draft.id, draft.step) != at):
        # A double tap, a second /flag, or a message from an earlier draft.
        raise FlagRefused("auth.stale_button")
    if draft is None:
        raise FlagRefused("flag.no_draft")
    return draft


def question(draft: FlagDraft) -> str | None:
    """The question the draft's step asks: free text only on the description step, a
    location (or a place's name) only on its own step."""
    return {DraftStep.DESCRIPTION: PROMPT_DESCRIPTION, DraftStep.LOCATION: PROMPT_LOCATION}.get(
        draft.step
    )


async def _save(tx: Tx, draft: FlagDraft, now: datetime) -> FlagDraft:
    draft = await tx.flags.save_draft(draft, now)
    asked = question(draft)
    if asked is not None:
        await tx.prompts.ask(draft.member_id, asked, None, now)
    else:
        await tx.prompts.cancel(draft.member_id)
    return draft


async def ask_again(tx: Tx, draft: FlagDraft, now: datetime) -> None:
    """Going on with the draft: ask its step's question again (it may have been forgotten)."""
    await _save(tx, draft, now)


async def start(store: Store, member: Member, now: datetime) -> FlagDraft:
    """Begin a flag (a new draft: the buttons of any earlier one go stale). The group comes
    first, so the agency picker can say who is there: the one checked in to, the only one,
    or asked."""
    if member.agency_code is None or not member.group_ids:
        raise FlagRefused("flag.no_agency")
    async with store.transaction() as tx:
        group_id = await _settled_group(tx, member)
        step = DraftStep.GROUP if group_id is None else DraftStep.TARGETS
        draft = FlagDraft(member_id=member.id, step=step, group_id=group_id)
        return await _save(tx, draft, now)


async def _settled_group(tx: Tx, member: Member) -> int | None:
    presence = await tx.presences.open_for(member.id)
    if presence is not None and presence.group_id in member.group_ids:
        return presence.group_id
    return member.group_ids[0] if len(member.group_ids) == 1 else None


async def toggle_target(
    store: Store, member: Member, agency: str, now: datetime, at: DraftAt
) -> FlagDraft:
    """Add or remove a target agency (never my own, never one with nobody to receive it);
    on the urgent path, choose the one agency and go on to the text."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        known = {a.code for a in await tx.groups.agencies()}
        if (
            agency not in known
            or agency == member.agency_code
            or draft.step not in (DraftStep.TARGETS, DraftStep.QUICK)
            or draft.group_id is None
        ):
            raise FlagRefused("auth.stale_button")
        if not pickable(await presence_in(tx, draft.group_id), agency):
            group = await tx.groups.get(draft.group_id)
            raise FlagRefused(
                "flag.not_here",
                agency=await tx.groups.named(agency),
                group=group.name if group else "?",
            )
        if draft.step is DraftStep.QUICK:
            return await _advance(tx, member, draft, now, targets=(agency,))
        chosen = tuple(sorted(set(draft.targets) ^ {agency}))
        return await _save(tx, draft.model_copy(update={"targets": chosen}), now)


async def urgent(store: Store, member: Member, now: datetime, at: DraftAt) -> FlagDraft:
    """Take the urgent path: one agency, the text, send (the category is "other")."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        if draft.step is not DraftStep.TARGETS:
            raise FlagRefused("auth.stale_button")
        quick = {"quick": True, "urgency": Urgency.URGENT, "category": "other", "targets": ()}
        return await _save(tx, draft.model_copy(update={**quick, "step": DraftStep.QUICK}), now)


async def advance(store: Store, member: Member, now: datetime, at: DraftAt) -> FlagDraft:
    """Go on from the targets step, once at least one agency is chosen."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        if draft.step is not DraftStep.TARGETS:
            raise FlagRefused("auth.stale_button")
        return await _advance(tx, member, draft, now)


def _steps(draft: FlagDraft) -> tuple[DraftStep, ...]:
    return QUICK_STEPS if draft.quick else STEPS


async def _advance(
    tx: Tx, member: Member, draft: FlagDraft, now: datetime, **changes: object
) -> FlagDraft:
    """Record this step's answer and move to the next step, in the caller's transaction."""
    if draft.step is DraftStep.TARGETS and not draft.targets:
        raise FlagRefused("flag.no_targets")
    draft = draft.model_copy(update=changes)
    steps = _steps(draft)
    step = steps[steps.index(draft.step) + 1]
    return await _save(tx, draft.model_copy(update={"step": step}), now)


async def choose(
    store: Store,
    member: Member,
    policy: FlagPolicy,
    now: datetime,
    at: DraftAt,
    *,
    category: str | None = None,
    urgency: Urgency | None = None,
    group_id: int | None = None,
) -> FlagDraft:
    """Answer the category, urgency or group step from a button."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        if draft.step is DraftStep.CATEGORY and category in policy.categories:
            return await _advance(tx, member, draft, now, category=category)
        if urgency is not None and draft.step is DraftStep.URGENCY:
            return await _advance(tx, member, draft, now, urgency=urgency)
        if draft.step is DraftStep.GROUP and group_id in member.group_ids:
            return await _advance(tx, member, draft, now, group_id=group_id, targets=())
    raise FlagRefused("auth.stale_button")


async def describe(
    store: Store, member: Member, text: str, now: datetime, message_id: int | None = None
) -> FlagDraft:
    """Take the description, screened for identity numbers; the text is never logged. The
    message it came from is kept: editing it changes the description until the flag is up."""
    checked = screen(text, MAX_DESCRIPTION)
    async with store.transaction() as tx:
        draft = await _draft(tx, member)
        if draft.step is not DraftStep.DESCRIPTION:
            raise FlagRefused("flag.no_draft")
        draft = await _advance(tx, member, draft, now, description=checked)
        if message_id is not None:
            await tx.flags.note_description_message(draft.id, message_id)
        return draft


async def redescribe(
    store: Store, member: Member, message_id: int, text: str, now: datetime
) -> FlagDraft | None:
    """The description's message was edited: its new text (screened like the first) is the
    description, while the draft is past that step and not raised; None when the message is
    not the description of the member's draft (any more)."""
    async with store.transaction() as tx:
        draft = await tx.flags.draft(member.id)
        if draft is None or await tx.flags.description_message(draft.id) != message_id:
            return None
        steps = _steps(draft)
        if steps.index(draft.step) <= steps.index(DraftStep.DESCRIPTION):
            return None
        checked = screen(text, MAX_DESCRIPTION)
        return await tx.flags.save_draft(draft.model_copy(update={"description": checked}), now)


async def locate(
    store: Store,
    member: Member,
    lat: float | None,
    lon: float | None,
    now: datetime,
    at: DraftAt | None = None,
    venue: tuple[str, str] | None = None,
) -> FlagDraft:
    """Attach a shared location (a pin, or a place chosen in Telegram: `venue` is its name
    and address, screened like a typed name), or none (the Skip button, which says where it
    was shown); a place name typed before, still without a point, stays with it."""
    if lat is not None and lon is not None and not valid_coordinates(lat, lon):
        raise FlagRefused("checkin.bad_location")
    if venue:
        venue = (screen(venue[0], MAX_PLACE), screen(venue[1], MAX_PLACE) if venue[1] else "")
    async with store.transaction() as tx:
        draft = await _located(tx, member, at)
        place, address = venue if venue else (_typed_place(draft), None)
        return await _advance(
            tx, member, draft, now, lat=lat, lon=lon, place=place, place_address=address
        )


def _typed_place(draft: FlagDraft) -> str | None:
    """The place name the member typed, which any point shared for it keeps (the office's
    name, or a place's chosen in Telegram, names its own point only)."""
    return draft.place if draft.place != OFFICE and draft.place_address is None else None


async def at_office(store: Store, member: Member, now: datetime, at: DraftAt) -> FlagDraft:
    """The place is the group's office: its point, named in each reader's language."""
    async with store.transaction() as tx:
        draft = await _located(tx, member, at)
        group = await tx.groups.get(draft.group_id) if draft.group_id else None
        if group is None:
            raise FlagRefused("auth.stale_button")
        changes = {"lat": group.lat, "lon": group.lon, "place": OFFICE, "place_address": None}
        return await _advance(tx, member, draft, now, **changes)


async def name_place(store: Store, member: Member, text: str, now: datetime) -> FlagDraft:
    """Take a place name typed on the location step (screened); its pin may follow."""
    name = " ".join(screen(text, MAX_PLACE).split())
    async with store.transaction() as tx:
        draft = await _located(tx, member, None)
        return await _save(tx, draft.model_copy(update={"place": name}), now)


async def _located(tx: Tx, member: Member, at: DraftAt | None) -> FlagDraft:
    draft = await _draft(tx, member, at)
    if draft.step is not DraftStep.LOCATION:
        raise FlagRefused("flag.no_draft" if at is None else "auth.stale_button")
    return draft


MAX_ATTACHMENTS = 5


async def attach(store: Store, member: Member, kind: str, file_id: str, now: datetime) -> int:
    """Attach a photo or voice note to the flag being composed (after the agencies are
    chosen); how many it has now."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member)
        if draft.step in (DraftStep.GROUP, DraftStep.TARGETS, DraftStep.QUICK):
            raise FlagRefused("flag.attach_later")
        if await tx.flags.attached(draft.id) >= MAX_ATTACHMENTS:
            raise FlagRefused("flag.attach_full", most=MAX_ATTACHMENTS)
        return await tx.flags.attach(draft.id, kind, file_id, now)


async def attached(store: Store, draft: FlagDraft) -> int:
    """How many photos and voice notes the draft has."""
    async with store.read() as tx:
        return await tx.flags.attached(draft.id)


async def back(store: Store, member: Member, now: datetime, at: DraftAt) -> FlagDraft:
    """Go back one step (never to the group step when the group was settled for the member;
    leaving the urgent path undoes it)."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        steps = _steps(draft)
        index = max(steps.index(draft.step) - 1, 0)
        if steps[index] is DraftStep.GROUP and await _settled_group(tx, member) is not None:
            index += 1
        changes: dict[str, object] = {"step": steps[index]}
        if draft.quick and steps[index] is DraftStep.TARGETS:
            changes.update(quick=False, urgency=None, category=None, targets=())
        if steps[index] is DraftStep.LOCATION:  # the place is asked again, from scratch
            changes.update(lat=None, lon=None, place=_typed_place(draft), place_address=None)
        return await _save(tx, draft.model_copy(update=changes), now)


async def cancel(store: Store, member: Member, at: DraftAt) -> None:
    """Forget the draft the button was shown for."""
    async with store.transaction() as tx:
        await _draft(tx, member, at)
        await tx.prompts.cancel(member.id)
        await tx.flags.drop_draft(member.id)
