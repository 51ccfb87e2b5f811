"""Resolving a flag offers to log what was done; the entry is linked to the flag."""

from __future__ import annotations

from bot.domain.callbacks import LogFlag
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import START, make_group, make_member
from tests.fakebot import FakeBotApi
from tests.flagkit import resolve
from tests.scenes import raise_flag


async def test_a_resolved_flag_is_linked_to_the_work_logged_for_it(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store, "Järva")
    anna = await make_member(bot_store, 901, agency="POL", group=group, language="en")
    tove_member = await make_member(bot_store, 911, agency="TULL", group=group, language="en")
    tove = server.user(911, first_name="Tove", language_code="en")
    await tove.send("/help")
    await tove.wait_for_message(lambda m: "What you can do" in m.entities_text, earlier=True)
    number = await raise_flag(bot_store, anna, ["TULL"], START)
    card = await tove.wait_for_message(lambda m: f"Flag #{number} ·" in m.entities_text,
                                       earlier=True)  # fmt: skip
    await tove.press(card, "👀 Acknowledge")
    await server.wait_until(lambda: "✅ Resolve" in tove.message(card).button_texts())
    await resolve(tove, card, "ℹ No action needed")  # one tap for how it ended
    offer = await tove.wait_for_message(lambda m: "Log what was done?" in m.entities_text)
    await tove.send("Kontrollerat, inget att göra")  # the optional note
    await tove.wait_for_message(lambda m: "The note was saved." in m.entities_text)
    async with bot_store.read() as tx:
        resolved = await tx.flags.get(number)
    assert (
        resolved is not None and resolved.targets[0].outcome_note == "Kontrollerat, inget att göra"
    )
    assert resolved.targets[0].outcome is not None
    assert resolved.targets[0].outcome.value == "no_action"
    await tove.press(offer, "📝 Log work")
    wizard = await tove.wait_for_message(lambda m: f"for flag #{number}" in m.entities_text)
    steps = [("Boundary-setting", "What did you do"), ("Intervention", "Together with"),
             ("Next ▶", "How many residents"), ("None", "How long"), ("30 min", "short note"),
             ("Skip", "Share the place"), ("Skip", "Is this right?")]  # fmt: skip
    for button, next_text in steps:
        await tove.press(tove.message(wizard), button)
        await server.wait_until(lambda t=next_text: t in tove.message(wizard).entities_text)
    assert f"Flag: #{number}" in tove.message(wizard).entities_text
    await tove.press(tove.message(wizard), "✅ Save")
    await server.wait_until(lambda: "saved" in tove.message(wizard).entities_text)
    async with bot_store.read() as tx:
        entry = await tx.activities.last_of(tove_member.id)
        audit = await tx.audit.recent(3)
    assert entry is not None and entry.flag_id == number and entry.group_id == group.id
    assert (entry.type, entry.minutes, entry.done_at) == ("intervention", 30, START)
    assert any(e.action == "activity.log" and e.detail == f"flag={number}" for e in audit)
    # Someone who may not see the flag cannot log work against it with a forged button.
    outsider = await make_member(bot_store, 921, agency="FK", group=group, language="en")
    assert outsider.id != tove_member.id
    fia = server.user(921, first_name="Fia", language_code="en")
    await fia.send("/help")
    await fia.wait_for_message(lambda m: "What you can do" in m.entities_text, earlier=True)
    query = await fia.press_data(fia.last, LogFlag(number).pack())
    await server.wait_until(lambda: query in server.callback_answers)
    assert server.callback_answers[query]["text"] == "This button is no longer valid."
