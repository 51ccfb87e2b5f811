"""Coordinators and admins running groups: /invite, /members, deactivation, forged buttons."""

from __future__ import annotations

from bot.domain.models import Role
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi


async def test_coordinator_invites_an_expert_through_buttons(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store, "Husby")
    await make_member(bot_store, 100, role=Role.COORDINATOR, group=group, language="en")
    coord = server.user(100, first_name="Coord", language_code="en")
    await coord.send("/invite")
    step = await coord.wait_for_message()
    await coord.press(step, "Husby")
    await server.wait_until(lambda: "Which agency?" in coord.last.entities_text)
    assert "coordinator" not in " ".join(coord.last.button_texts())
    await coord.press(coord.last, "SKV")
    await server.wait_until(lambda: "How many places?" in coord.last.entities_text)
    await coord.press(coord.last, "1 person · 3 days")
    await server.wait_until(lambda: "t.me/" in coord.last.entities_text)
    link = coord.last.entities_text.split()[-1]
    assert link.startswith(f"https://t.me/{server.bot_username}?start=")
    code = link.split("start=")[1]

    newcomer = server.user(101, first_name="New", language_code="en")
    await newcomer.send(f"/start {code}")
    welcome = await newcomer.wait_for_message()
    assert "for Swedish Tax Agency in the group Husby" in welcome.entities_text


async def test_admin_may_invite_a_coordinator(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    await make_group(bot_store, "Tensta")
    await make_member(bot_store, 110, role=Role.ADMIN, agency=None, language="en")
    admin = server.user(110, first_name="Admin", language_code="en")
    await admin.send("/invite")
    await admin.press(await admin.wait_for_message(), "Tensta")
    await server.wait_until(lambda: "Which agency?" in admin.last.entities_text)
    await admin.press(admin.last, "No agency")
    await server.wait_until(lambda: "Which role?" in admin.last.entities_text)
    await admin.press(admin.last, "coordinator")
    await server.wait_until(lambda: "How many places?" in admin.last.entities_text)
    await admin.press(admin.last, "1 person · 3 days")
    await server.wait_until(lambda: "t.me/" in admin.last.entities_text)
    code = admin.last.entities_text.split("start=")[1].split()[0]
    person = server.user(111, first_name="Lead", language_code="en")
    await person.send(f"/start {code}")
    assert "coordinator" in (await person.wait_for_message()).entities_text


async def test_expert_cannot_use_coordinator_commands_or_buttons(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store)
    await make_member(bot_store, 120, group=group, language="en")
    expert = server.user(120, first_name="Ex", language_code="en")
    for command in ("/invite", "/members"):
        await expert.send(command)
        assert (await expert.wait_for_message()).entities_text == "You are not allowed to do that."
    await expert.send("/me")
    await expert.wait_for_message()
    query_id = await expert.press_data(expert.last, f"inv:a:{group.id}:POL")
    await server.wait_until(lambda: query_id in server.callback_answers)
    assert server.callback_answers[query_id]["text"] == "You are not allowed to do that."
    async with bot_store.read() as tx:
        made = [e for e in await tx.audit.recent() if e.action == "invite.create"]
    assert [e.actor_member_id for e in made] == [None]  # only the factory's own invite


async def test_coordinator_deactivates_a_member_who_then_loses_access(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store, "Rinkeby")
    await make_member(bot_store, 130, role=Role.COORDINATOR, group=group, language="en")
    await make_member(bot_store, 131, agency="TULL", group=group, name="Tove", language="en")
    coord = server.user(130, first_name="Coord", language_code="en")
    tove = server.user(131, first_name="Tove", language_code="en")
    await tove.send("/me")
    await tove.wait_for_message()
    await server.wait_until(lambda: bool(server.commands_for(131)))

    await coord.send("/members")
    listing = await coord.wait_for_message()
    assert "Swedish Customs\n• Tove" in listing.entities_text
    await coord.press(listing, "Deactivate Tove")
    await server.wait_until(lambda: "They lose all access" in coord.last.entities_text)
    await coord.press(coord.last, "Yes, deactivate")
    await server.wait_until(lambda: coord.last.entities_text == "Tove is deactivated.")

    await tove.send("/me")
    refusal = await tove.wait_for_message()
    assert "deactivated" in refusal.entities_text
    await server.wait_until(lambda: server.commands_for(131) == [])


async def test_coordinator_cannot_touch_members_of_other_groups(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    mine = await make_group(bot_store, "Mine")
    other = await make_group(bot_store, "Other")
    await make_member(bot_store, 140, role=Role.COORDINATOR, group=mine, language="en")
    outsider = await make_member(bot_store, 141, group=other)
    coord = server.user(140, first_name="Coord", language_code="en")
    await coord.send("/members")
    listing = await coord.wait_for_message()
    for data in (f"mem:y:{outsider.id}", f"mem:l:{other.id}:0", "mem:y:abc", "mem:zz", "nope:1"):
        query_id = await coord.press_data(listing, data)
        await server.wait_until(lambda q=query_id: q in server.callback_answers)
    async with bot_store.read() as tx:
        still = await tx.members.get(outsider.id)
    assert still is not None and still.active
    assert "Other" not in coord.last.entities_text
