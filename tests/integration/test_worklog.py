"""The work log over real storage: composing, same again, corrections, need to know, phases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.models import Role
from bot.domain.worklog import Kind, LogStep, Phase, Residents, WorkPolicy
from bot.services import log_drafts as drafts
from bot.services import presence
from bot.services import worklog as svc
from bot.services.presence import NoteRefused
from storage.store import Store
from tests.factories import START, make_group, make_member
from tests.scenes import log_work

POLICY = WorkPolicy()
OFFICE = (59.388, 17.928)


def at(draft) -> drafts.LogAt:
    return drafts.LogAt(draft.id, draft.step)


async def _log(store: Store, member, now=START, note: str | None = None, partners=("TULL",)):
    d = await drafts.start(store, member, now)
    d = await drafts.choose(store, member, POLICY, now, at(d), kind=Kind.RELATIONSHIP)
    d = await drafts.choose(store, member, POLICY, now, at(d), type_key="school_visit")
    for code in partners:
        d = await drafts.toggle_partner(store, member, code, now, at(d))
    d = await drafts.next_step(store, member, now, at(d))
    d = await drafts.choose(store, member, POLICY, now, at(d), residents=Residents.SOME)
    d = await drafts.choose(store, member, POLICY, now, at(d), minutes=60)
    assert d.step is LogStep.NOTE
    if note is None:
        d = await drafts.next_step(store, member, now, at(d))
    else:
        d = await drafts.note(store, member, note, now)
    assert d.step is LogStep.LOCATION
    d = await drafts.next_step(store, member, now, at(d))
    assert d.step is LogStep.SUMMARY
    return await drafts.confirm(store, member, POLICY, now, at(d), d.revision)


async def test_an_entry_is_composed_step_by_step_and_stored(store: Store) -> None:
    group = await make_group(store)
    anna = await make_member(store, 1, agency="POL", group=group)
    entry = await _log(store, anna, note="Samtal med rektorn, ärende K-77")
    assert entry.group_id == group.id and entry.agency_code == "POL"
    assert (entry.kind, entry.type, entry.partners) == (
        Kind.RELATIONSHIP,
        "school_visit",
        ("TULL",),
    )
    assert (entry.residents, entry.minutes) == (Residents.SOME, 60)
    assert entry.note == "Samtal med rektorn, ärende K-77" and entry.done_at == START
    async with store.read() as tx:
        assert await tx.activities.draft(anna.id) is None
        assert await tx.prompts.current(anna.id) is None


async def test_same_again_repeats_the_last_entry_without_note(store: Store) -> None:
    group = await make_group(store)
    anna = await make_member(store, 1, agency="POL", group=group)
    empty = await drafts.start(store, anna, START)
    with pytest.raises(drafts.LogRefused, match="no_last"):
        await drafts.same_again(store, anna, POLICY, START, at(empty))
    first = await _log(store, anna, note="privat anteckning")
    later = START + timedelta(hours=3)
    fresh = await drafts.start(store, anna, later)
    with pytest.raises(drafts.LogRefused, match="stale"):  # the first draft's button
        await drafts.same_again(store, anna, POLICY, later, at(empty))
    draft = await drafts.same_again(store, anna, POLICY, later, at(fresh))
    assert draft.step is LogStep.SUMMARY and draft.note is None and draft.id == fresh.id
    second = await drafts.confirm(store, anna, POLICY, later, at(draft), draft.revision)
    with pytest.raises(drafts.LogRefused):  # a double tap on Save
        await drafts.confirm(store, anna, POLICY, later, at(draft), draft.revision)
    assert second.id != first.id and second.done_at == later
    same = ("kind", "type", "partners", "residents", "minutes", "group_id")
    assert [getattr(second, f) for f in same] == [getattr(first, f) for f in same]
    assert second.note is None


async def test_the_group_comes_from_the_check_in_or_is_asked(store: Store) -> None:
    north = await make_group(store, "Rinkeby")
    south = await make_group(store, "Skärholmen", lat=59.27, lon=17.88)
    anna = await make_member(store, 1, agency="POL", group=north)
    async with store.transaction() as tx:
        await tx.members.join_group(anna.id, south.id, START)
        anna = await tx.members.get(anna.id)
    d = await drafts.start(store, anna, START)
    assert d.step is LogStep.GROUP
    with pytest.raises(drafts.LogRefused):
        await drafts.choose(store, anna, POLICY, START, at(d), group_id=999)
    d = await drafts.choose(store, anna, POLICY, START, at(d), group_id=south.id)
    assert d.step is LogStep.KIND
    await presence.check_in(store, anna, lat=OFFICE[0], lon=OFFICE[1], accuracy_m=10, now=START)
    draft = await drafts.start(store, anna, START)
    assert (draft.step, draft.group_id) == (LogStep.KIND, north.id)


async def test_partners_checked_in_with_me_come_first(store: Store) -> None:
    group = await make_group(store)
    anna = await make_member(store, 1, agency="POL", group=group)
    fia = await make_member(store, 2, agency="FK", group=group)
    await presence.check_in(store, fia, lat=OFFICE[0], lon=OFFICE[1], accuracy_m=10, now=START)
    order = await drafts.partner_choices(store, anna, group.id)
    assert order[0] == "FK" and "POL" not in order and len(order) == 11


async def test_a_note_with_an_identity_number_is_refused_and_nothing_stored(store: Store) -> None:
    group = await make_group(store)
    anna = await make_member(store, 1, agency="POL", group=group)
    with pytest.raises(NoteRefused):
        await _log(store, anna, note="Pratade med 19811218-9876 om läget")
    async with store.read() as tx:
        assert await tx.activities.last_of(anna.id) is None
        assert (await tx.activities.draft(anna.id)).step is LogStep.NOTE


async def test_forged_answers_are_refused(store: Store) -> None:
    group = await make_group(store)
    anna = await make_member(store, 1, agency="POL", group=group)
    d = await drafts.start(store, anna, START)
    for forged in ({"minutes": 7}, {"type_key": "dialogue"}, {"residents": Residents.NONE}):
        with pytest.raises(drafts.LogRefused):
            await drafts.choose(store, anna, POLICY, START, at(d), **forged)
    with pytest.raises(drafts.LogRefused):
        await drafts.toggle_partner(store, anna, "TULL", START, at(d))  # not the partner step
    with pytest.raises(drafts.LogRefused):
        await drafts.confirm(store, anna, POLICY, START, at(d), d.revision)
    with pytest.raises(drafts.LogRefused, match="stale"):
        await drafts.choose(store, anna, POLICY, START, drafts.LogAt(d.id, LogStep.TYPE),
                            type_key="control")  # fmt: skip


async def test_author_edits_within_a_day_coordinator_corrects_later_audited(store: Store) -> None:
    group = await make_group(store)
    other = await make_group(store, "Husby", lat=59.41, lon=17.93)
    anna = await make_member(store, 1, agency="POL", group=group)
    tove = await make_member(store, 2, agency="TULL", group=group)
    coord = await make_member(store, 3, role=Role.COORDINATOR, agency=None, group=group)
    stranger = await make_member(store, 4, role=Role.COORDINATOR, agency=None, group=other)
    entry = await _log(store, anna, note="hemligt")
    changed = await svc.change(store, anna, entry.id, START + timedelta(hours=23), minutes=120)
    assert changed.minutes == 120
    late = START + timedelta(hours=25)
    with pytest.raises(svc.UnknownEntry, match=r"log\.too_late"):
        await svc.change(store, anna, entry.id, late, minutes=30)
    with pytest.raises(svc.UnknownEntry, match=r"log\.unknown"):
        await svc.change(store, tove, entry.id, START, minutes=30)
    with pytest.raises(svc.UnknownEntry, match=r"log\.unknown"):
        await svc.view(store, stranger, entry.id, START)
    fixed = await svc.change(store, coord, entry.id, late, residents="21_100")
    assert fixed.residents is Residents.MANY
    async with store.read() as tx:
        audit = [(e.action, e.detail) for e in await tx.audit.recent(5)]
    assert ("activity.correct", "residents") in audit and ("activity.edit", "minutes") in audit
    assert not any("hemligt" in (d or "") for _, d in audit)
    await svc.delete(store, coord, entry.id, late)
    async with store.read() as tx:
        assert await tx.activities.get(entry.id) is None


async def test_notes_are_read_by_the_author_and_the_groups_coordinators_only(store: Store) -> None:
    group = await make_group(store)
    anna = await make_member(store, 1, agency="POL", group=group)
    coord = await make_member(store, 3, role=Role.COORDINATOR, agency=None, group=group)
    admin = await make_member(store, 5, role=Role.ADMIN, agency=None)
    entry = await _log(store, anna, note="hemligt")
    assert (await svc.view(store, anna, entry.id, START))[1] is True
    assert (await svc.view(store, coord, entry.id, START))[1] is True
    # An admin outside the group runs it and may see the entry, but is not its coordinator.
    assert (await svc.view(store, admin, entry.id, START))[1] is False
    with pytest.raises(svc.UnknownEntry):
        await svc.change(store, admin, entry.id, START, note="ny text")


async def test_phases_and_the_mix_against_the_target(store: Store) -> None:
    group = await make_group(store, "Järva")
    anna = await make_member(store, 1, agency="POL", group=group)
    _, phase = await svc.set_phase(store, "järva", Phase.PREVENT, None, START)
    assert phase.target_pct == 60
    await svc.set_phase(store, "Järva", Phase.FIGHT, 35, START + timedelta(minutes=1))
    with pytest.raises(ValueError, match="percentage"):
        await svc.set_phase(store, "Järva", Phase.FIGHT, 130, START)
    await _log(store, anna)
    await log_work(store, anna, START, "boundary", "control", 30)
    mix = await svc.mix(store, [group.id], START - timedelta(days=7), START + timedelta(1))
    assert (mix.boundary, mix.relationship, mix.relationship_pct) == (30, 60, 67)
    assert (mix.target_pct, mix.phase) == (35, Phase.FIGHT)
    listed = await svc.phases_of(store)
    assert listed[0][1] is not None and listed[0][1].target_pct == 35
