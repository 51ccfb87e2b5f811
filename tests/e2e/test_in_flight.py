"""An object changes while one of its copies is on its way to Telegram: the copy that arrives
late is edited like the others (a withdrawn notice, a handover acknowledged, a swap taken)."""

from __future__ import annotations

import asyncio

from bot.domain.models import Role
from bot.services import roster
from handlers.context import BotApplication
from storage.store import Store
from tests.e2e.test_notices import _compose
from tests.factories import START, FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser
from tests.flagkit import copies, scene
from tests.scenes import raise_flag

OFFICE = (59.3880, 17.9280)


async def _members(store: Store, server: FakeBotApi, ids: dict[int, str]) -> dict[int, FakeUser]:
    group = await make_group(store, "Rinkeby")
    users = {}
    for uid, name in ids.items():
        role = Role.COORDINATOR if name == "Coord" else Role.EXPERT
        await make_member(store, uid, role=role, group=group, agency="POL", name=name,
                          username=name.lower(), language="en")  # fmt: skip
        users[uid] = server.user(uid, first_name=name, username=name.lower(), language_code="en")
        await users[uid].send("/help")
        await users[uid].wait_for_message()
    return users


async def test_a_notice_withdrawn_while_a_copy_is_in_flight(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _members(bot_store, server, {200: "Coord", 201: "A", 202: "B", 203: "C"})
    coord = users[200]
    late = server.hold("sendMessage", chat_id=203)
    status = await _compose(server, coord, "Möte kl 15", ["Police"])
    await coord.press(status, "Send to 3")
    for uid in (201, 202):
        await users[uid].wait_for_message(lambda m: "Notice #1" in m.entities_text)
    await asyncio.wait_for(late.arrived.wait(), 5)
    await server.wait_until(lambda: "🚫 Withdraw" in coord.message(status).button_texts())
    await coord.press(coord.message(status), "🚫 Withdraw")
    await server.wait_until(lambda: "Withdrawn" in users[201].last.entities_text)
    late.release()

    copy = await users[203].wait_for_message(lambda m: "Notice #1" in m.entities_text)
    await server.wait_until(lambda: "Withdrawn" in users[203].message(copy).entities_text)
    assert users[203].message(copy).button_texts() == []


async def test_a_handover_acknowledged_while_a_copy_is_in_flight(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _members(bot_store, server, {501: "Anna", 502: "Bo", 504: "Dag"})
    anna, bo, dag = users[501], users[502], users[504]
    for person in (anna, bo, dag):
        await person.share_location(*OFFICE)
        await person.wait_for_message(lambda m: "Checked in" in m.entities_text)
    await anna.send("/checkout")
    await anna.wait_for_message(lambda m: "Checked out" in m.entities_text)
    late = server.hold("sendMessage", chat_id=504)
    await anna.send("Larmet vid porten")
    note = await bo.wait_for_message(lambda m: "Handover from" in m.entities_text)
    await asyncio.wait_for(late.arrived.wait(), 5)
    await bo.press(note, "✅ Acknowledge")
    await server.wait_until(lambda: "Acknowledged by" in bo.message(note).entities_text)
    late.release()

    copy = await dag.wait_for_message(lambda m: "Handover from" in m.entities_text)
    await server.wait_until(lambda: "Acknowledged by Bo" in dag.message(copy).entities_text)
    assert dag.message(copy).button_texts() == []


async def test_a_swap_taken_while_an_offer_is_in_flight(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _members(bot_store, server, {501: "Anna", 502: "Bo", 504: "Dag"})
    anna, bo, dag = users[501], users[502], users[504]
    await roster.import_roster(
        bot_store,
        "member,group,start,end\n@anna,Rinkeby,2026-12-02T08:00,2026-12-02T16:00\n",
        START,
    )
    await anna.send("/shifts")
    week = await anna.wait_for_message(lambda m: "Your shifts" in m.entities_text)
    late = server.hold("sendMessage", chat_id=504)
    await anna.press(week, week.button_texts()[0])
    offer = await bo.wait_for_message(lambda m: "offers" in m.entities_text, earlier=True)
    await asyncio.wait_for(late.arrived.wait(), 5)
    await bo.press(offer, "Take the shift")
    await anna.wait_for_message(lambda m: "took over the shift" in m.entities_text, earlier=True)
    late.release()

    copy = await dag.wait_for_message(lambda m: "offers" in m.entities_text, earlier=True)
    await server.wait_until(lambda: "was taken by Bo" in dag.message(copy).entities_text)
    assert dag.message(copy).button_texts() == []


async def test_the_raisers_card_shows_an_acknowledgement_made_while_it_waited(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await scene(bot_store, server)
    anna, tove = users[601], users[611]
    async with bot_store.read() as tx:
        raiser = await tx.members.by_telegram_id(601)
    assert raiser is not None
    late = server.hold("sendMessage", chat_id=601)
    number = await raise_flag(bot_store, raiser, ["TULL"], clock())
    await asyncio.wait_for(late.arrived.wait(), 5)  # Anna's card is in flight, showing "open"
    await server.wait_until(lambda: _card_state(bot_store, number, 611, "sent"))
    card = next(m for m in tove.messages if f"Flag #{number} ·" in m.entities_text)
    await tove.reply(card, "Vi kollar")  # the card changes while Anna's copy is in flight
    await tove.wait_for_message(lambda m: "The comment was sent." in m.entities_text)
    anna.block()  # refused (403): Anna's card waits for her, still showing "open"
    late.release()
    await server.wait_until(lambda: _card_state(bot_store, number, 601, "held"))
    await tove.press(tove.message(card), "👀 Acknowledge")  # while Anna's card waits
    await server.wait_until(lambda: "acknowledged by Tove" in copies(tove, number)[0])
    anna.unblock()

    await server.wait_until(lambda: len(copies(anna, number)) == 1)
    await server.wait_until(lambda: "acknowledged by Tove" in copies(anna, number)[0])
    assert "Tove: Vi kollar" in copies(anna, number)[0]
    assert len(copies(anna, number)) == 1


async def _card_state(store: Store, number: int, chat_id: int, state: str) -> bool:
    async with store.read() as tx:
        rows = await tx.outbox.of_ref("flag", number)
    return [m.state for m in rows if m.kind == "send" and m.chat_id == chat_id] == [state]
