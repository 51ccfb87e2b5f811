"""Services over real storage: invites, membership, authority over members."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.errors import (
    GroupExists,
    InviteInvalid,
    MemberDeactivated,
    NotAllowed,
    UnknownAgency,
    UnknownMember,
)
from bot.domain.models import Role
from bot.services import members as svc
from bot.services.invites import create_invite, hash_code, redeem_invite
from storage.store import Store
from tests.factories import START, make_group, make_member


async def _redeem(store: Store, code: str, uid: int = 500, when=START):
    return await redeem_invite(
        store,
        code=code,
        telegram_user_id=uid,
        display_name="Nora",
        username="nora",
        language="en",
        now=when,
    )


async def test_invite_code_is_stored_only_as_hash(store: Store) -> None:
    new = await create_invite(
        store, role=Role.EXPERT, agency_code="pol", group_id=None, uses=2,
        ttl=timedelta(hours=1), now=START,
    )  # fmt: skip
    assert new.agency_code == "POL"
    async with store.db.read() as conn, conn.execute("SELECT * FROM invites") as cur:
        row = dict(await cur.fetchone())
    assert new.code not in str(row.values())
    assert row["code_hash"] == hash_code(new.code)


async def test_redeem_makes_member_with_role_agency_group(store: Store) -> None:
    group = await make_group(store)
    new = await create_invite(
        store, role=Role.EXPERT, agency_code="TULL", group_id=group.id, uses=1,
        ttl=timedelta(hours=1), now=START,
    )  # fmt: skip
    result = await _redeem(store, new.code)
    assert result.new_member
    assert result.member.agency_code == "TULL"
    assert result.member.role is Role.EXPERT
    assert result.member.group_ids == (group.id,)
    assert result.member.language == "en"


async def test_used_up_expired_and_unknown_codes_are_refused_with_audit(store: Store) -> None:
    new = await create_invite(
        store, role=Role.EXPERT, agency_code=None, group_id=None, uses=1,
        ttl=timedelta(hours=1), now=START,
    )  # fmt: skip
    await _redeem(store, new.code, uid=1)
    with pytest.raises(InviteInvalid):
        await _redeem(store, new.code, uid=2)
    late = await create_invite(
        store, role=Role.EXPERT, agency_code=None, group_id=None, uses=5,
        ttl=timedelta(hours=1), now=START,
    )  # fmt: skip
    with pytest.raises(InviteInvalid):
        await _redeem(store, late.code, uid=3, when=START + timedelta(hours=1, seconds=1))
    with pytest.raises(InviteInvalid):
        await _redeem(store, "not-a-code", uid=4)
    with pytest.raises(InviteInvalid):
        await _redeem(store, "<script>" * 20, uid=5)
    async with store.read() as tx:
        assert await tx.members.by_telegram_id(2) is None
        assert await tx.members.by_telegram_id(3) is None
        actions = [e.action for e in await tx.audit.recent()]
    assert actions.count("invite.refused") == 4


async def test_second_invite_adds_group_and_never_lowers_role(store: Store) -> None:
    a = await make_group(store, "A")
    b = await make_group(store, "B")
    coord = await make_member(store, 9, role=Role.COORDINATOR, group=a)
    again = await create_invite(
        store, role=Role.EXPERT, agency_code="POL", group_id=b.id, uses=1,
        ttl=timedelta(hours=1), now=START,
    )  # fmt: skip
    result = await _redeem(store, again.code, uid=9)
    assert not result.new_member
    assert result.member.id == coord.id
    assert result.member.role is Role.COORDINATOR
    assert result.member.group_ids == (a.id, b.id)


async def test_deactivated_member_cannot_come_back_by_invite(store: Store) -> None:
    member = await make_member(store, 11)
    await svc.deactivate_member(store, member.id, START)
    new = await create_invite(
        store, role=Role.ADMIN, agency_code=None, group_id=None, uses=1,
        ttl=timedelta(hours=1), now=START,
    )  # fmt: skip
    with pytest.raises(MemberDeactivated):
        await _redeem(store, new.code, uid=11)
    again = await svc.activate_member(store, member.id, START)
    assert again.active and again.role is Role.EXPERT


async def test_coordinator_invites_experts_only_for_own_groups(store: Store) -> None:
    mine = await make_group(store, "Mine")
    other = await make_group(store, "Other")
    coord = await make_member(store, 20, role=Role.COORDINATOR, group=mine)
    ok = await create_invite(
        store, role=Role.EXPERT, agency_code="FK", group_id=mine.id, uses=1,
        ttl=timedelta(hours=1), now=START, creator=coord,
    )  # fmt: skip
    assert ok.group is not None and ok.group.id == mine.id
    for role, group_id in (
        (Role.EXPERT, other.id),
        (Role.COORDINATOR, mine.id),
        (Role.EXPERT, None),
    ):
        with pytest.raises(NotAllowed):
            await create_invite(
                store, role=role, agency_code="FK", group_id=group_id, uses=1,
                ttl=timedelta(hours=1), now=START, creator=coord,
            )  # fmt: skip
    with pytest.raises(UnknownAgency):
        await create_invite(
            store, role=Role.EXPERT, agency_code="NOPE", group_id=mine.id, uses=1,
            ttl=timedelta(hours=1), now=START,
        )  # fmt: skip


async def test_invite_limits(store: Store) -> None:
    for uses, ttl in ((0, timedelta(hours=1)), (1, timedelta(days=31)), (1, timedelta(0))):
        with pytest.raises(ValueError):
            await create_invite(
                store, role=Role.EXPERT, agency_code=None, group_id=None, uses=uses,
                ttl=ttl, now=START,
            )  # fmt: skip


async def test_coordinator_sees_and_deactivates_only_own_group_members(store: Store) -> None:
    mine = await make_group(store, "Mine")
    other = await make_group(store, "Other")
    coord = await make_member(store, 30, role=Role.COORDINATOR, group=mine)
    inside = await make_member(store, 31, group=mine)
    outside = await make_member(store, 32, group=other)
    assert [m.id for m in await svc.list_members(store, coord, mine.id)] == [coord.id, inside.id]
    with pytest.raises(NotAllowed):
        await svc.list_members(store, coord, other.id)
    with pytest.raises(UnknownMember):
        await svc.deactivate_member(store, outside.id, START, actor=coord)
    with pytest.raises(NotAllowed):
        await svc.deactivate_member(store, coord.id, START, actor=coord)
    done = await svc.deactivate_member(store, inside.id, START, actor=coord)
    assert not done.active


async def test_group_names_are_unique_and_validated(store: Store) -> None:
    await make_group(store, "Husby")
    with pytest.raises(GroupExists):
        await make_group(store, "husby")
    with pytest.raises(ValueError):
        await make_group(store, "Far", lat=123.0)
    with pytest.raises(ValueError):
        await make_group(store, "Zone", timezone="Mars/Base")


async def test_an_unanswered_question_is_forgotten_after_an_hour(store: Store) -> None:
    from bot.services.prompts import open_prompt

    member = await make_member(store, 77)
    async with store.transaction() as tx:
        await tx.prompts.ask(member.id, "handover_note", "12", START)
    assert await open_prompt(store, member, START + timedelta(minutes=59)) == (
        "handover_note",
        "12",
    )
    assert await open_prompt(store, member, START + timedelta(minutes=61)) is None
