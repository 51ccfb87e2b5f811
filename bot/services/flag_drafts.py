"""Composing a flag step by step: targets, category, urgency, description, location, group."""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import DomainError
from bot.domain.flags import MAX_DESCRIPTION, FlagDraft, FlagPolicy, Urgency
from bot.domain.geo import valid_coordinates
from bot.domain.models import Member
from bot.services.presence import screen
from storage.store import Store, Tx

STEPS = ("targets", "category", "urgency", "description", "location", "group", "summary")
PROMPT_DESCRIPTION = "flag_description"
PROMPT_LOCATION = "flag_location"


class FlagRefused(DomainError):
    """The flag action cannot be done (the key says why)."""


async def _draft(tx: Tx, member: Member) -> FlagDraft:
    draft = await tx.flags.draft(member.id)
    if draft is None:
        raise FlagRefused("flag.no_draft")
    return draft


async def _save(tx: Tx, draft: FlagDraft, now: datetime) -> FlagDraft:
    await tx.flags.save_draft(draft, now)
    # Free text is expected only on the description step; a location only on its own step.
    if draft.step == "description":
        await tx.prompts.ask(draft.member_id, PROMPT_DESCRIPTION, None, now)
    elif draft.step == "location":
        await tx.prompts.ask(draft.member_id, PROMPT_LOCATION, None, now)
    else:
        await tx.prompts.cancel(draft.member_id)
    return draft


async def start(store: Store, member: Member, now: datetime) -> FlagDraft:
    """Begin a flag; only a member of an agency in some group can raise one."""
    if member.agency_code is None or not member.group_ids:
        raise FlagRefused("flag.no_agency")
    async with store.transaction() as tx:
        return await _save(tx, FlagDraft(member_id=member.id, step="targets"), now)


async def toggle_target(store: Store, member: Member, agency: str, now: datetime) -> FlagDraft:
    """Add or remove a target agency (never my own)."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member)
        known = {a.code for a in await tx.groups.agencies()}
        if agency not in known or agency == member.agency_code or draft.step != "targets":
            raise FlagRefused("auth.stale_button")
        chosen = tuple(sorted(set(draft.targets) ^ {agency}))
        return await _save(tx, draft.model_copy(update={"targets": chosen}), now)


async def advance(store: Store, member: Member, now: datetime, **changes: object) -> FlagDraft:
    """Record this step's answer and move to the next step."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member)
        if draft.step == "targets" and not draft.targets:
            raise FlagRefused("flag.no_targets")
        draft = draft.model_copy(update=changes)
        step = STEPS[STEPS.index(draft.step) + 1]
        if step == "group":
            step, draft = await _settle_group(tx, member, draft)
        return await _save(tx, draft.model_copy(update={"step": step}), now)


async def _settle_group(tx: Tx, member: Member, draft: FlagDraft) -> tuple[str, FlagDraft]:
    presence = await tx.presences.open_for(member.id)
    if presence is not None:
        return "summary", draft.model_copy(update={"group_id": presence.group_id})
    if len(member.group_ids) == 1:
        return "summary", draft.model_copy(update={"group_id": member.group_ids[0]})
    return "group", draft


async def choose(
    store: Store,
    member: Member,
    policy: FlagPolicy,
    now: datetime,
    *,
    category: str | None = None,
    urgency: str | None = None,
    group_id: int | None = None,
) -> FlagDraft:
    """Answer the category, urgency or group step from a button."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member)
    if category is not None and draft.step == "category" and category in policy.categories:
        return await advance(store, member, now, category=category)
    if urgency is not None and draft.step == "urgency" and urgency in set(Urgency):
        return await advance(store, member, now, urgency=Urgency(urgency))
    if group_id is not None and draft.step == "group" and group_id in member.group_ids:
        return await advance(store, member, now, group_id=group_id)
    raise FlagRefused("auth.stale_button")


async def describe(store: Store, member: Member, text: str, now: datetime) -> FlagDraft:
    """Take the description, screened for identity numbers; the text is never logged."""
    checked = screen(text, MAX_DESCRIPTION)
    async with store.transaction() as tx:
        if (await _draft(tx, member)).step != "description":
            raise FlagRefused("flag.no_draft")
    return await advance(store, member, now, description=checked)


async def locate(
    store: Store, member: Member, lat: float | None, lon: float | None, now: datetime
) -> FlagDraft:
    """Attach a location (or none) and move on."""
    if lat is not None and lon is not None and not valid_coordinates(lat, lon):
        raise FlagRefused("checkin.bad_location")
    async with store.transaction() as tx:
        if (await _draft(tx, member)).step != "location":
            raise FlagRefused("flag.no_draft")
    return await advance(store, member, now, lat=lat, lon=lon)


async def back(store: Store, member: Member, now: datetime) -> FlagDraft:
    """Go back one step (the group step is skipped when it was settled for the member)."""
    async with store.transaction() as tx:
        draft = await _draft(tx, member)
        index = max(STEPS.index(draft.step) - 1, 0)
        if STEPS[index] == "group" and len(member.group_ids) <= 1:
            index -= 1
        if STEPS[index] == "group" and await tx.presences.open_for(member.id) is not None:
            index -= 1
        return await _save(tx, draft.model_copy(update={"step": STEPS[index]}), now)


async def cancel(store: Store, member: Member) -> bool:
    """Forget the draft; True if there was one."""
    async with store.transaction() as tx:
        await tx.prompts.cancel(member.id)
        return await tx.flags.drop_draft(member.id)
