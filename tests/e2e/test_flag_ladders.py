"""Responders before anything is sent, and escalation ladders: a flag never reaches no one."""

from __future__ import annotations

from bot.domain.ladders import DEFAULT_RUNGS
from bot.services import ladders, reminders
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import FakeClock, make_member
from tests.fakebot import FakeBotApi, FakeUser
from tests.flagkit import (
    copies,
    group_named,
    open_flag,
    pick,
    pick_label,
    picked,
    scene,
    to_description,
)

FK, AF, KBV = (
    "Swedish Social Insurance Agency",
    "Swedish Public Employment Service",
    "Swedish Coast Guard",
)


async def _raise(server: FakeBotApi, user: FakeUser, code: str, text: str) -> tuple[int, str]:
    """Raise a routine flag to one agency; (its number, what the summary said)."""
    wizard = await open_flag(user)
    await to_description(server, user, wizard, code, "URGENT")
    await user.send(text)
    step = await user.wait_for_message(lambda m: "Share a location" in m.entities_text,
                                       earlier=True)  # fmt: skip
    await user.press(step, "Skip")
    await server.wait_until(lambda: "Is this right?" in user.message(step).entities_text)
    summary = user.message(step).entities_text
    await user.press(user.message(step), "🚩 Raise the flag")
    await server.wait_until(lambda: "is raised" in user.message(step).entities_text)
    raised = user.message(step).entities_text
    return int(raised.split("#")[1].split()[0]), summary + "\n" + raised


async def _climb(app: BotApplication, clock: FakeClock, minutes: float) -> None:
    clock.advance(minutes=minutes)
    await reminders.run_due(app.bot_data.store, clock.now)


async def test_the_picker_shows_who_can_answer_and_refuses_an_agency_with_nobody(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await scene(bot_store, server)
    anna = users[601]
    wizard = await open_flag(anna)
    assert pick_label(wizard, "TULL") == "Customs · 1 on duty"  # a button: the short form
    assert pick_label(wizard, "FK") == "FK · nobody on duty"
    assert pick_label(wizard, "KBV") == "KBV · nobody in Rinkeby"
    assert pick_label(wizard, "SKV") == "SKV · nobody in Rinkeby"
    query = await pick(anna, wizard, "KBV")
    await server.wait_until(lambda: query in server.callback_answers)
    answer = server.callback_answers[query]
    assert (
        answer.get("show_alert")
        and "Nobody of Swedish Coast Guard is in Rinkeby" in answer["text"]
    )
    assert not picked(anna, wizard, "KBV")

    rinkeby = await group_named(bot_store, "Rinkeby")
    await ladders.set_ladder(bot_store, rinkeby, None, [await group_named(bot_store, "Tensta")],
                             app.bot_data.clock())  # fmt: skip
    again = await open_flag(anna)
    assert pick_label(again, "KBV") == "KBV · none in Rinkeby → nearby"
    await pick(anna, again, "KBV")
    await server.wait_until(lambda: picked(anna, again, "KBV"))
    assert server.rejections == []


async def test_nobody_on_duty_goes_up_the_ladder_at_once_and_the_raiser_is_told(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await scene(bot_store, server)
    anna, fia, coord = users[601], users[621], users[600]
    number, said = await _raise(server, anna, "FK", "Ingen på plats")
    assert f"{FK}: nobody on duty — goes to all 1 of {FK} in the group" in said  # before Raise
    assert f"{FK}: nobody on duty — sent to everyone of {FK} in the group" in said  # at Raise
    await server.wait_until(lambda: len(copies(fia, number)) == 1)
    assert "Ingen på plats" in copies(fia, number)[0]
    assert (
        "👀 Acknowledge"
        in fia.message(
            next(m for m in fia.messages if f"Flag #{number} ·" in m.entities_text)
        ).button_texts()
    )

    # Alf (AF) blocked the bot: nobody of AF can receive a flag, so it goes straight to the
    # coordinator, who gets the flag with its buttons; the raiser is told so at once.
    async with bot_store.transaction() as tx:
        alf = await tx.members.by_telegram_id(651)
        assert alf is not None
        await tx.members.set_unreachable(alf.id, app.bot_data.clock())
    second, said = await _raise(server, anna, "AF", "Ingen kan ta emot")
    assert f"{AF}: nobody of {AF} can receive it — goes straight to the coordinator" in said
    assert f"{AF}: nobody of {AF} can receive it — the coordinator has been alerted" in said
    await server.wait_until(lambda: len(copies(coord, second)) == 1)
    card = copies(coord, second)[0]
    assert "Ingen kan ta emot" in card and "the coordinator has been alerted" in card
    assert not copies(users[651], second)
    assert server.rejections == []


async def test_the_ladder_climbs_on_the_deadline_to_coordinators_then_next_door_then_admins(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await scene(bot_store, server)
    anna, tove, tim, coord, kim, ada = (users[u] for u in (601, 611, 612, 600, 661, 699))
    rinkeby, tensta = (
        await group_named(bot_store, "Rinkeby"),
        await group_named(bot_store, "Tensta"),
    )
    await ladders.set_ladder(bot_store, rinkeby, DEFAULT_RUNGS, [tensta], clock())

    number, said = await _raise(server, anna, "TULL", "Stege")
    assert (
        "Swedish Customs: 1 on duty get it" in said
        and "Swedish Customs: with those on duty" in said
    )
    await server.wait_until(lambda: len(copies(tove, number)) == 1)
    assert not copies(tim, number)
    await _climb(app, clock, 4.9)  # before the deadline nothing moves
    assert not copies(tim, number)
    await _climb(app, clock, 0.2)  # the deadline (5 min): everyone of TULL in the group
    await server.wait_until(lambda: len(copies(tim, number)) == 1)
    assert not copies(coord, number)
    await _climb(app, clock, 5)  # one more deadline: the coordinator, with the flag itself
    await server.wait_until(lambda: len(copies(coord, number)) == 1)
    await server.wait_until(
        lambda: "the coordinator has been alerted" in copies(anna, number)[0]
    )  # the raiser's own card says so, edited in place
    assert not copies(kim, number)  # Kim is KBV, not TULL: never reached
    await _climb(app, clock, 5)  # next door: TULL in Tensta (none), so on to the admins
    await server.wait_until(lambda: len(copies(ada, number)) == 1)
    await server.wait_until(lambda: "the admins have been alerted" in copies(anna, number)[0])
    await _climb(app, clock, 30)  # the top of the ladder: nothing more, nothing twice
    assert len(copies(ada, number)) == 1 and len(copies(coord, number)) == 1
    assert server.rejections == []


async def test_the_agency_next_door_receives_and_acts_and_a_stranger_next_door_cannot(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await scene(bot_store, server)
    anna, kim = users[601], users[661]
    rinkeby, tensta = (
        await group_named(bot_store, "Rinkeby"),
        await group_named(bot_store, "Tensta"),
    )
    await ladders.set_ladder(bot_store, rinkeby, None, [tensta], clock())
    await make_member(bot_store, 662, agency="KBV", group=tensta, name="Kai", language="en")
    kai = server.user(662, first_name="Kai", language_code="en")
    await kai.send("/help")
    await kai.wait_for_message(lambda m: "What you can do" in m.entities_text)
    # Kai blocks the bot after joining; he is never reached, so he may not see the flag.
    async with bot_store.transaction() as tx:
        member = await tx.members.by_telegram_id(662)
        assert member is not None
        await tx.members.set_unreachable(member.id, clock())

    number, said = await _raise(server, anna, "KBV", "Båt vid kajen")
    assert f"{KBV}: nobody of {KBV} can receive it — goes straight to the coordinator" in said
    await server.wait_until(lambda: len(copies(users[600], number)) == 1)
    query = await kim.press_data(kim.last, f"fl:v:{number}")  # before Kim is reached
    await server.wait_until(lambda: query in server.callback_answers)
    assert server.callback_answers[query]["text"].startswith("That flag does not exist")

    await _climb(app, clock, 5)  # past the coordinator: KBV in the neighbouring Tensta
    await server.wait_until(lambda: len(copies(kim, number)) == 1)
    card = next(m for m in kim.messages if f"Flag #{number} ·" in m.entities_text)
    assert "Båt vid kajen" in kim.message(card).entities_text and card.protect_content
    await kim.press(kim.message(card), "👀 Acknowledge")
    await server.wait_until(lambda: "acknowledged by Kim" in copies(anna, number)[0])
    for action in ("v", "a", "r"):
        query = await kai.press_data(kai.last, f"fl:{action}:{number}")
        await server.wait_until(lambda q=query: q in server.callback_answers)
        assert server.callback_answers[query]["text"].startswith("That flag does not exist")
    assert not copies(kai, number)
    assert server.rejections == []


async def test_coordinators_see_the_ladder_and_experts_do_not(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await scene(bot_store, server)
    rinkeby, tensta = (
        await group_named(bot_store, "Rinkeby"),
        await group_named(bot_store, "Tensta"),
    )
    await ladders.set_ladder(bot_store, rinkeby, None, [tensta], clock())
    await users[600].send("/ladder")
    shown = await users[600].wait_for_message(lambda m: "Escalation ladders" in m.entities_text)
    assert ("Rinkeby\n1. the agency's people on duty\n2. everyone of the agency in the group\n"
            "3. the group's coordinators\n4. the agency in neighbouring groups (Tensta)\n"
            "5. the admins") in shown.entities_text  # fmt: skip
    assert "Tensta\n" not in shown.entities_text  # not a group this coordinator runs
    await users[601].send("/ladder")
    refused = await users[601].wait_for_message()
    assert "Escalation ladders" not in refused.entities_text
