"""Joining, help, /me and /language through the fake Bot API server."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.models import Role
from bot.services.invites import create_invite
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import START, FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi


async def _invite(store: Store, **kw: object) -> str:
    values: dict[str, object] = {
        "role": Role.EXPERT, "agency_code": "TULL", "group_id": None, "uses": 1,
        "ttl": timedelta(hours=72), "now": START,
    }  # fmt: skip
    values.update(kw)
    return (await create_invite(store, **values)).code  # type: ignore[arg-type]


async def test_invite_link_makes_a_member_greeted_in_their_language(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store, "Järva")
    code = await _invite(bot_store, group_id=group.id)
    user = server.user(1001, first_name="Nora", username="nora", language_code="en")
    await user.send(f"/start {code}")
    welcome = await user.wait_for_message()
    assert "Welcome, Nora" in welcome.entities_text
    assert "registered as expert for Swedish Customs" in welcome.entities_text
    assert "Järva" in welcome.entities_text
    async with bot_store.read() as tx:
        member = await tx.members.by_telegram_id(1001)
    assert member is not None and member.group_ids == (group.id,)
    assert member.language == "en"


async def test_bad_used_or_expired_code_is_refused_politely(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    code = await _invite(bot_store)
    first = server.user(1, first_name="First", language_code="sv")
    await first.send(f"/start {code}")
    await first.wait_for_message(lambda m: "Välkommen" in m.entities_text)
    second = server.user(2, first_name="Second", language_code="en")
    await second.send(f"/start {code}")
    refusal = await second.wait_for_message()
    assert "not valid" in refusal.entities_text
    expiring = await _invite(bot_store)
    clock.advance(hours=73)
    await second.send(f"/start {expiring}")
    assert "not valid" in (await second.wait_for_message()).entities_text
    await second.send("/start " + "x" * 300)
    assert "not valid" in (await second.wait_for_message()).entities_text
    async with bot_store.read() as tx:
        assert await tx.members.by_telegram_id(2) is None
        refused = [e for e in await tx.audit.recent() if e.action == "invite.refused"]
    assert len(refused) == 3


async def test_stranger_gets_only_start_and_help(app: BotApplication, server: FakeBotApi) -> None:
    user = server.user(3, first_name="Stranger", language_code="en")
    await user.send("/help")
    help_text = (await user.wait_for_message()).entities_text
    assert "/start" in help_text and "/me" not in help_text
    for attempt in ("/me", "/members", "/invite", "/language", "/nonsense", "hello"):
        await user.send(attempt)
        answer = await user.wait_for_message()
        assert (
            answer.entities_text
            == "You are not registered. Ask your coordinator for an invite link."
        )


async def test_help_and_menu_follow_the_role(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store)
    expert_code = await _invite(bot_store, group_id=group.id)
    coord_code = await _invite(bot_store, group_id=group.id, role=Role.COORDINATOR)
    expert = server.user(10, first_name="Ex", language_code="sv")
    coord = server.user(11, first_name="Co", language_code="sv")
    await expert.send(f"/start {expert_code}")
    await coord.send(f"/start {coord_code}")
    # Both are answered concurrently: the coordinator's welcome may come before the wait.
    await expert.wait_for_message(earlier=True)
    await coord.wait_for_message(earlier=True)
    await expert.send("/help")
    expert_help = (await expert.wait_for_message()).entities_text
    await coord.send("/help")
    coord_help = (await coord.wait_for_message()).entities_text
    assert "/me" in expert_help and "/invite" not in expert_help
    assert "/invite" in coord_help and "/members" in coord_help
    await server.wait_until(
        lambda: bool(server.commands_for(11)) and bool(server.commands_for(10))
    )
    expert_menu = [c for c, _ in server.commands_for(10)]
    coord_menu = [c for c, _ in server.commands_for(11)]
    assert expert_menu[:3] == ["help", "me", "language"]
    assert {"checkin", "checkout", "shifts", "onduty", "cancel"} <= set(expert_menu)
    coordinating = {"invite", "members", "notice", "notices", "plan", "coverage", "board",
                    "report", "ladder"}  # fmt: skip
    assert not coordinating & set(expert_menu)
    assert coordinating | set(expert_menu) == set(coord_menu)
    assert "start" not in coord_menu
    assert [c for c, _ in server.commands_for(None)] == ["start", "help", "privacy"]


async def test_me_shows_what_is_stored_escaped(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store, "Rinkeby <Norra> & Co")
    code = await _invite(bot_store, group_id=group.id, agency_code="FK")
    user = server.user(20, first_name='<b>Eve</b> & "Bo"', username="eve", language_code="en")
    await user.send(f"/start {code}")
    await user.wait_for_message()
    await user.send("/me")
    card = (await user.wait_for_message()).entities_text
    assert '<b>Eve</b> & "Bo"' in card
    assert "@eve" in card and "Agency: Swedish Social Insurance Agency" in card
    assert "Rinkeby <Norra> & Co" in card and "Telegram id: 20" in card


async def test_language_switch_changes_replies_and_menu(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    await make_member(bot_store, 30, language="sv")
    user = server.user(30, first_name="Sv", language_code="sv")
    await user.send("/language")
    chooser = await user.wait_for_message()
    await user.press(chooser, "English")
    await server.wait_until(
        lambda: user.messages[-1].entities_text == "The language is now English."
    )
    await user.send("/help")
    assert "What you can do" in (await user.wait_for_message()).entities_text
    await server.wait_until(
        lambda: ("me", "Show what the bot stores about you") in server.commands_for(30)
    )


async def test_an_invite_never_changes_an_existing_members_agency(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    first = await make_group(bot_store, "Järva")
    second = await make_group(bot_store, "Husby")
    before = await make_member(bot_store, 40, group=first, agency="POL", language="en")
    code = await _invite(bot_store, group_id=second.id, agency_code="SAPO", role=Role.COORDINATOR)
    user = server.user(40, first_name="Pia", language_code="en")
    await user.send(f"/start {code}")
    welcome = (await user.wait_for_message()).entities_text
    police = "Swedish Police Authority"
    assert welcome.startswith(f"Welcome back, Pia! You are coordinator for {police} in the group")
    assert (
        f"This invite was made for another agency. Your agency is still {police} in all your"
        " groups; an admin can change it." in welcome
    )
    assert "Security Service" not in welcome  # whom the link was meant for is not told
    async with bot_store.read() as tx:
        after = await tx.members.get(before.id)
        redeemed = next(e for e in await tx.audit.recent() if e.action == "invite.redeem")
    assert after is not None and after.agency_code == "POL"
    assert set(after.group_ids) == {first.id, second.id} and after.role is Role.COORDINATOR
    assert redeemed.detail == "agency kept POL, invite for SAPO"

    same = await _invite(bot_store, group_id=second.id, agency_code="POL")
    await user.send(f"/start {same}")
    again = (await user.wait_for_message()).entities_text
    assert "Welcome back" in again and "another agency" not in again

    await make_member(bot_store, 41, role=Role.COORDINATOR, group=first, agency=None)
    coordinator = server.user(41, first_name="Co", language_code="sv")
    await coordinator.send(f"/start {await _invite(bot_store, agency_code='TULL')}")
    told = (await coordinator.wait_for_message()).entities_text
    assert "Du har ingen myndighet registrerad och inbjudan ändrar inte det" in told
    async with bot_store.read() as tx:
        unchanged = await tx.members.by_telegram_id(41)
    assert unchanged is not None and unchanged.agency_code is None
