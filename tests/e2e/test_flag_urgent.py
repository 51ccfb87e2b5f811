"""The urgent path: /flag → 🔴 Urgent → agency → the text → send, three taps in all."""

from __future__ import annotations

import copy

from bot.domain.callbacks import FlagCategory
from handlers.context import BotApplication
from storage.store import Store
from tests.fakebot import FakeBotApi
from tests.flagkit import copies, open_flag, pick, pick_data, pick_label, scene

STALE = "This button is no longer valid."


async def test_an_urgent_flag_in_three_taps_plus_the_text(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await scene(bot_store, server)
    anna, tove = users[601], users[611]
    before = len(server.calls_to("answerCallbackQuery"))
    wizard = await open_flag(anna)
    await anna.press(wizard, "🔴 Urgent")  # tap 1
    await server.wait_until(lambda: "Urgent flag" in anna.message(wizard).entities_text)
    assert pick_label(anna.message(wizard), "TULL") == "Customs · 1 on duty"
    await pick(anna, wizard, "TULL")  # tap 2: one agency, and on to the text
    await server.wait_until(
        lambda: "Write what is happening" in anna.message(wizard).entities_text
    )
    await anna.send("Slagsmål vid torget, kniv")
    summary = await anna.wait_for_message(lambda m: "Is this right?" in m.entities_text)
    assert (
        "Urgency: URGENT" in summary.entities_text
        and "To: Swedish Customs" in summary.entities_text
    )
    assert summary.protect_content
    await anna.press(summary, "🚩 Raise the flag")  # tap 3
    await server.wait_until(lambda: "is raised" in anna.message(summary).entities_text)
    assert len(server.calls_to("answerCallbackQuery")) - before == 3
    await server.wait_until(lambda: len(copies(tove, 1)) == 1)
    assert "URGENT" in copies(tove, 1)[0] and "Slagsmål vid torget, kniv" in copies(tove, 1)[0]
    assert "URGENT · Other" in copies(tove, 1)[0]

    # The category is set later, by the raiser only; every copy follows.
    forged = await tove.press_data(tove.last, FlagCategory(1, "threats").pack())
    await server.wait_until(lambda: forged in server.callback_answers)
    assert "not allowed" in server.callback_answers[forged]["text"]
    assert (
        "🏷 Category"
        not in tove.message(
            next(m for m in tove.messages if "Flag #1 ·" in m.entities_text)
        ).button_texts()
    )
    card = await anna.wait_for_message(lambda m: "Flag #1 ·" in m.entities_text, earlier=True)
    await anna.press(anna.message(card), "🏷 Category")
    ask = await anna.wait_for_message(lambda m: "Which category is flag #1" in m.entities_text)
    assert ask.protect_content
    await anna.press(ask, "Threats or violence")
    await server.wait_until(lambda: "URGENT · Threats or violence" in copies(tove, 1)[0])
    await server.wait_until(lambda: "URGENT · Threats or violence" in copies(anna, 1)[0])
    assert server.rejections == []


async def test_the_urgent_path_refuses_stale_and_forged_presses_and_goes_back(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await scene(bot_store, server)
    anna = users[601]
    wizard = await open_flag(anna)
    targets_step = copy.deepcopy(anna.message(wizard))  # edits change the message in place
    await anna.press(wizard, "🔴 Urgent")
    await server.wait_until(lambda: "Urgent flag" in anna.message(wizard).entities_text)
    quick = anna.message(wizard)
    # The targets step's buttons are stale now: Urgent again, Next, a tick.
    stale = [
        await anna.press_data(targets_step, data)
        for data in (
            next(d for row in targets_step.buttons() for label, d in row if label == "🔴 Urgent"),
            next(d for row in targets_step.buttons() for label, d in row if label == "Next ▶"),
            pick_data(targets_step, "FK"),
        )
    ]
    await server.wait_until(lambda: all(q in server.callback_answers for q in stale))
    assert [server.callback_answers[q]["text"] for q in stale] == [STALE] * 3
    # An agency with nobody in the group or next door cannot be chosen on the urgent path.
    refused = await pick(anna, quick, "SKV")
    await server.wait_until(lambda: refused in server.callback_answers)
    assert "Nobody of Swedish Tax Agency is in Rinkeby" in server.callback_answers[refused]["text"]
    assert "Urgent flag" in anna.message(wizard).entities_text
    await anna.press(anna.message(wizard), "◀ Back")  # leaves the urgent path
    await server.wait_until(lambda: "New flag" in anna.message(wizard).entities_text)
    assert "🔴 Urgent" in anna.message(wizard).button_texts()
    async with bot_store.db.read() as conn:
        rows = await conn.execute_fetchall("SELECT quick, urgency, targets FROM flag_drafts")
    assert [tuple(r) for r in rows] == [(0, None, "[]")]
    assert server.rejections == []
