"""Composing a flag step by step: targets, category, urgency, description, location, group."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from bot.domain.errors import DomainError
from bot.domain.flags import MAX_DESCRIPTION, DraftStep, FlagDraft, FlagPolicy, Urgency
from bot.domain.geo import valid_coordinates
from bot.domain.models import Member
from bot.services.presence import screen
from storage.store import Store, Tx

STEPS = tuple(DraftStep)
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


async def _save(tx: Tx, draft: FlagDraft, now: datetime) -> FlagDraft:
    draft = await tx.flags.save_draft(draft, now)
    # Free text is expected only on the description step; a location only on its own step.
    if draft.step is DraftStep.DESCRIPTION:
        await tx.prompts.ask(draft.member_id, PROMPT_DESCRIPTION, None, now)
    elif draft.step is DraftStep.LOCATION:
        await tx.prompts.ask(draft.member_id, PROMPT_LOCATION, None, now)
    else:
        await tx.prompts.cancel(draft.member_id)
    return draft


async def start(store: Store, member: Member, now: datetime) -> FlagDraft:
    """Begin a flag (a new draft: the buttons of any earlier one go stale)."""
    if member.agency_code is None or not member.group_ids:
        raise FlagRefused("flag.no_agency")
    async with store.transaction() as tx:
        return await _save(tx, FlagDraft(member_id=member.id, step=DraftStep.TARGETS), now)


async def toggle_target(
    store: Store, member: Member, agency: str, now: datetime, at: DraftAt
) -> FlagDraft:
    """Add or remove a target agency (never my own)."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        known = {a.code for a in await tx.groups.agencies()}
        if (
            agency not in known
            or agency == member.agency_code
            or draft.step is not DraftStep.TARGETS
        ):
            raise FlagRefused("auth.stale_button")
        chosen = tuple(sorted(set(draft.targets) ^ {agency}))
        return await _save(tx, draft.model_copy(update={"targets": chosen}), now)


async def advance(store: Store, member: Member, now: datetime, at: DraftAt) -> FlagDraft:
    """Go on from the targets step, once at least one agency is chosen."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        if draft.step is not DraftStep.TARGETS:
            raise FlagRefused("auth.stale_button")
        return await _advance(tx, member, draft, now)


async def _advance(
    tx: Tx, member: Member, draft: FlagDraft, now: datetime, **changes: object
) -> FlagDraft:
    """Record this step's answer and move to the next step, in the caller's transaction."""
    if draft.step is DraftStep.TARGETS and not draft.targets:
        raise FlagRefused("flag.no_targets")
    draft = draft.model_copy(update=changes)
    step = STEPS[STEPS.index(draft.step) + 1]
    if step is DraftStep.GROUP:
        step, draft = await _settle_group(tx, member, draft)
    return await _save(tx, draft.model_copy(update={"step": step}), now)


async def _settle_group(tx: Tx, member: Member, draft: FlagDraft) -> tuple[DraftStep, FlagDraft]:
    presence = await tx.presences.open_for(member.id)
    if presence is not None:
        return DraftStep.SUMMARY, draft.model_copy(update={"group_id": presence.group_id})
    if len(member.group_ids) == 1:
        return DraftStep.SUMMARY, draft.model_copy(update={"group_id": member.group_ids[0]})
    return DraftStep.GROUP, draft


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
            return await _advance(tx, member, draft, now, group_id=group_id)
    raise FlagRefused("auth.stale_button")


async def describe(store: Store, member: Member, text: str, now: datetime) -> FlagDraft:
    """Take the description, screened for identity numbers; the text is never logged."""
    checked = screen(text, MAX_DESCRIPTION)
    async with store.transaction() as tx:
        draft = await _draft(tx, member)
        if draft.step is not DraftStep.DESCRIPTION:
            raise FlagRefused("flag.no_draft")
        return await _advance(tx, member, draft, now, description=checked)


async def locate(
    store: Store,
    member: Member,
    lat: float | None,
    lon: float | None,
    now: datetime,
    at: DraftAt | None = None,
) -> FlagDraft:
    """Attach a shared location, or none (the Skip button, which says where it was shown)."""
    if lat is not None and lon is not None and not valid_coordinates(lat, lon):
        raise FlagRefused("checkin.bad_location")
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        if draft.step is not DraftStep.LOCATION:
            raise FlagRefused("flag.no_draft" if at is None else "auth.stale_button")
        return await _advance(tx, member, draft, now, lat=lat, lon=lon)


async def back(store: Store, member: Member, now: datetime, at: DraftAt) -> FlagDraft:
    """Go back one step (the group step is skipped when it was settled for the member)."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member, at)
        index = max(STEPS.index(draft.step) - 1, 0)
        if STEPS[index] is DraftStep.GROUP and len(member.group_ids) <= 1:
            index -= 1
        if STEPS[index] is DraftStep.GROUP and await tx.presences.open_for(member.id) is not None:
            index -= 1
        return await _save(tx, draft.model_copy(update={"step": STEPS[index]}), now)


async def cancel(store: Store, member: Member, at: DraftAt) -> None:
    """Forget the draft the button was shown for."""
    async with store.transaction() as tx:
        await _draft(tx, member, at)
        await tx.prompts.cancel(member.id)
        await tx.flags.drop_draft(member.id)
