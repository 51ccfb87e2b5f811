"""A coordinator acts on a flag for an agency: write to it, acknowledge for it, add one, pass a
part on; anyone may mute a flag; a forged press never acts."""

from __future__ import annotations

from bot.domain.callbacks import CoordAct, FlagAction, FlagFor, FlagOutcome, FlagPress
from bot.domain.flags import Outcome
from bot.services import flags as flags_service
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import FakeClock
from tests.fakebot import FakeBotApi, FakeUser, SentMessage
from tests.flagkit import copies, scene
from tests.scenes import raise_flag

UNKNOWN = "That flag does not exist or is not visible to you."


def _card(user: FakeUser, number: int) -> SentMessage:
    return user.message(next(m for m in user.messages if f"Flag #{number} ·" in m.entities_text))


async def _menu(server: FakeBotApi, coord: FakeUser, number: int) -> SentMessage:
    await coord.press(_card(coord, number), "🧭 For an agency…")
    return await coord.wait_for_message(
        lambda m: f"Flag #{number}: what do you do" in m.entities_text
    )


async def _answer(server: FakeBotApi, query: str) -> str:
    await server.wait_until(lambda: query in server.callback_answers)
    return server.callback_answers[query].get("text") or ""


async def test_write_acknowledge_for_add_and_pass_on(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await scene(bot_store, server)
    anna, tove, fia, alf, coord = (users[u] for u in (601, 611, 621, 651, 600))
    async with bot_store.read() as tx:
        raiser = await tx.members.by_telegram_id(601)
    assert raiser is not None
    number = await raise_flag(bot_store, raiser, ["FK"], clock())
    await server.wait_until(lambda: len(copies(fia, number)) == 1)
    clock.advance(minutes=8 * 60)  # a routine flag's deadline: the coordinator's rung
    from bot.services import reminders

    await reminders.run_due(bot_store, clock())
    await server.wait_until(lambda: len(copies(coord, number)) == 1)

    menu = await _menu(server, coord, number)
    assert menu.protect_content
    assert menu.button_texts() == ["👀 Acknowledge for FK", "↪ Pass on: FK",
                                   "✉ Write to FK on duty", "➕ Add an agency"]  # fmt: skip
    await coord.press(menu, "✉ Write to FK on duty")
    await coord.wait_for_message(
        lambda m: "Write your message to Swedish Social Insurance Agency" in m.entities_text
    )
    await coord.send("Ring mig <nu>")
    await coord.wait_for_message(
        lambda m: "sent to 1 of Swedish Social Insurance Agency" in m.entities_text
    )
    note = await fia.wait_for_message(lambda m: "the coordinator Coord writes" in m.entities_text,
                                      earlier=True)  # fmt: skip
    assert "Ring mig <nu>" in note.entities_text and note.protect_content

    await coord.press(menu, "👀 Acknowledge for FK")
    await server.wait_until(
        lambda: (
            "Swedish Social Insurance Agency — acknowledged by Coord" in copies(anna, number)[0]
            and "(coordinator, for the agency)" in copies(anna, number)[0]
        )
    )
    # FK's part is taken: Fia's card no longer offers to acknowledge it.
    await server.wait_until(lambda: "👀 Acknowledge" not in _card(fia, number).button_texts())
    async with bot_store.read() as tx:
        audit = await tx.audit.recent(10)
    assert any(e.action == "flag.acknowledge_for" and e.detail == "agency=FK" for e in audit)

    await coord.press(menu, "➕ Add an agency")
    await server.wait_until(lambda: "which agency should also get it" in
                            coord.message(menu).entities_text)  # fmt: skip
    await coord.press(coord.message(menu), "Customs")  # buttons: the short form
    await server.wait_until(lambda: len(copies(tove, number)) == 1)

    menu = await _menu(server, coord, number)
    await coord.press(menu, "↪ Pass on: Customs")
    await server.wait_until(lambda: "which agency takes Swedish Customs's part" in
                            coord.message(menu).entities_text)  # fmt: skip
    await coord.press(coord.message(menu), "AF")
    await server.wait_until(lambda: len(copies(alf, number)) == 1)
    await server.wait_until(
        lambda: (
            "Swedish Customs — passed on by Coord → passed to Swedish Public Employment Service"
            in copies(anna, number)[0]
        )
    )
    await server.wait_until(
        lambda: _card(tove, number).button_texts() == ["💬 Comment", "🔕 Mute"]
    )
    assert server.rejections == []


async def test_forged_coordinator_presses_never_act_and_muting_stops_pushes(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await scene(bot_store, server)
    anna, tove, fia, kim, ada = (users[u] for u in (601, 611, 621, 661, 699))
    async with bot_store.read() as tx:
        raiser = await tx.members.by_telegram_id(601)
    assert raiser is not None
    number = await raise_flag(bot_store, raiser, ["FK", "TULL"], clock())
    await server.wait_until(lambda: len(copies(fia, number)) == 1)
    forged = [FlagFor(number, act, "FK") for act in CoordAct] + [
        FlagFor(number, CoordAct.ADD, None), FlagPress(FlagAction.ACT_FOR, number)]  # fmt: skip
    for user, expected in ((anna, "not allowed"), (fia, "not allowed"), (kim, UNKNOWN),
                           (ada, UNKNOWN)):  # fmt: skip
        for press in forged:
            text = await _answer(server, await user.press_data(user.last, press.pack()))
            assert expected in text or text == "This button is no longer valid.", (user, press)
    outcome = FlagOutcome(number, Outcome.HANDLED).pack()  # only a target resolves its part
    for user, expected in ((anna, "not allowed"), (kim, UNKNOWN), (ada, UNKNOWN)):
        assert expected in await _answer(server, await user.press_data(user.last, outcome))
    async with bot_store.read() as tx:
        flag = await tx.flags.get(number)
    assert flag is not None
    assert [(t.agency, t.state.value) for t in flag.targets] == [("FK", "open"), ("TULL", "open")]
    assert not [m for m in fia.messages if "coordinator" in m.entities_text]

    await fia.press(_card(fia, number), "🔕 Mute")
    await server.wait_until(lambda: "🔔 Follow again" in _card(fia, number).button_texts())
    await flags_service.comment(bot_store, raiser, number, "Kolla porten", clock())
    await tove.wait_for_message(lambda m: "Kolla porten" in m.entities_text, earlier=True)
    await server.wait_until(lambda: "Kolla porten" in copies(fia, number)[0])  # on the card
    async with bot_store.db.read() as conn:  # queued with the comment, or never
        pushed = await conn.execute_fetchall(
            "SELECT chat_id FROM outbox WHERE kind = 'send' AND text LIKE '%Comment on flag%'"
        )
    assert sorted(r[0] for r in pushed) == [611]  # Tove (TULL on duty), not Fia (muted)
    assert server.rejections == []
