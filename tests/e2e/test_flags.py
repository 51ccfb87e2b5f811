"""Flags end to end: life cycle, routing, races, redirect, withdrawal, the wizard's buttons
and edits."""

from __future__ import annotations

import asyncio
import logging

import pytest

from handlers.context import BotApplication
from storage.store import Store
from tests.e2e.flag_scene import _card, _now, _raise, _scene
from tests.fakebot import FakeBotApi, FakeUser, SentMessage
from tests.flagkit import open_flag, pick, picked, resolve

TEXT = 'Bil <ABC 123> & "släp" vid torget — ärende K-2026-77'


async def test_life_cycle_across_three_agencies_with_race_and_redirect(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _scene(bot_store, server)
    anna, tove, tim, fia, alf, coord = (users[u] for u in (601, 611, 612, 621, 651, 600))
    number = await _raise(server, anna, ["TULL", "FK"], TEXT)
    for user in (tove, tim, fia):
        await server.wait_until(lambda u=user: any(f"Flag #{number}" in m.entities_text
                                                   for m in u.messages))  # fmt: skip
    card = await _card(tove, number)
    assert TEXT in card.entities_text and card.protect_content
    # The place follows the card as a real Telegram location, protected like it.
    pin = await tove.wait_for_message(lambda m: m.location is not None, earlier=True)
    assert pin.location == {"latitude": 59.389, "longitude": 17.929} and pin.protect_content
    assert pin.message_id > card.message_id
    fk = (await _card(fia, number)).entities_text
    fk_name = "Swedish Social Insurance Agency"
    assert f"{fk_name} — open" in fk and f"(no one on duty — sent to everyone of {fk_name}" in fk
    assert "From Swedish Police Authority (Anna)" in fk  # names, not codes
    # The coordinator is the ladder's next rung: not before a deadline has passed.
    assert not [m for m in coord.messages if "Flag #" in m.entities_text]
    assert not [m for m in users[631].messages if "Flag #" in m.entities_text]  # SKV
    assert not [m for m in users[631].messages if m.location is not None]
    assert not [m for m in users[602].messages if "Flag #" in m.entities_text]  # POL colleague

    first, second = await asyncio.gather(
        tove.press(card, "👀 Acknowledge"), tim.press(await _card(tim, number), "👀 Acknowledge")
    )
    await server.wait_until(lambda: first in server.callback_answers
                            and second in server.callback_answers)  # fmt: skip
    answers = sorted(server.callback_answers[q]["text"] for q in (first, second))
    assert answers[0] == "Acknowledged."
    assert answers[1].startswith("Already acknowledged by ")
    # The raiser's own card says so, edited in place: no push for every change.
    await server.wait_until(
        lambda: "Swedish Customs — acknowledged by T" in _now(anna, number).entities_text
    )
    assert not [m for m in anna.messages if "acknowledged your flag" in m.entities_text]

    await fia.press(await _card(fia, number), "🛑 Decline")
    await fia.wait_for_message(lambda m: "Why do you decline" in m.entities_text, earlier=True)
    await fia.send("Inte vårt område")
    choice = await fia.wait_for_message(lambda m: "another agency" in m.entities_text,
                                        earlier=True)  # fmt: skip
    await fia.press(choice, "AF")  # a button: the short form
    await alf.wait_for_message(lambda m: f"Flag #{number}" in m.entities_text, earlier=True)
    await server.wait_until(
        lambda: "passed to Swedish Public Employment Service" in _now(anna, number).entities_text
    )

    await resolve(tove, await _card(tove, number))
    await resolve(alf, await _card(alf, number), "↪ Referred on")
    for user in (anna, tove, tim, fia, alf):
        await server.wait_until(
            lambda u=user: "Closed." in _now(u, number).entities_text, timeout=8
        )
        assert await u_buttons(user, number) == []
    closed = _now(anna, number).entities_text
    assert "Swedish Customs — resolved by T" in closed and ": ✅ Dealt with" in closed
    assert "Swedish Public Employment Service — resolved by Alf: ↪ Referred on" in closed


async def u_buttons(user: FakeUser, number: int) -> list[str]:
    return (await _card(user, number)).button_texts()


async def test_withdraw_and_comment(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _scene(bot_store, server)
    anna, tove = users[601], users[611]
    number = await _raise(server, anna, ["TULL"], "Kontroll vid porten")
    await server.wait_until(lambda: any(f"Flag #{number}" in m.entities_text
                                        for m in tove.messages))  # fmt: skip
    await tove.press(await _card(tove, number), "👀 Acknowledge")
    await server.wait_until(lambda: "acknowledged by Tove" in
                            _now(tove, number).entities_text)  # fmt: skip
    await anna.press((await _card(anna, number)), "💬 Comment")
    await anna.wait_for_message(lambda m: "Write your comment" in m.entities_text, earlier=True)
    await anna.send("Kolla <b>bakdörren</b> & garaget")
    relayed = await tove.wait_for_message(lambda m: "Comment on flag" in m.entities_text,
                                          earlier=True)  # fmt: skip
    assert "Kolla <b>bakdörren</b> & garaget" in relayed.entities_text
    await anna.press((await _card(anna, number)), "↩ Withdraw")
    await server.wait_until(lambda: "Withdrawn." in _now(tove, number).entities_text)
    assert await u_buttons(tove, number) == []


async def test_identity_numbers_are_refused_and_never_stored(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _scene(bot_store, server)
    anna = users[601]
    wizard = await open_flag(anna)
    await pick(anna, wizard, "TULL")
    await server.wait_until(lambda: picked(anna, wizard, "TULL"))
    await anna.press(anna.last, "Next ▶")
    await server.wait_until(lambda: "Category?" in anna.last.entities_text)
    await anna.press(anna.last, "Other")
    await server.wait_until(lambda: "How urgent?" in anna.last.entities_text)
    await anna.press(anna.last, "routine")
    await server.wait_until(lambda: "short description" in anna.last.entities_text)
    for bad in ("Person 19811218-9876 syns", "pnr 8112189876", "samordn. 701063-2391"):
        await anna.send(bad)
        refusal = await anna.wait_for_message()
        assert "personal identity" in refusal.entities_text
    await anna.send("Ärende 811218-9875 (fel kontrollsiffra) och tel 070-123 45 67")
    await anna.wait_for_message(lambda m: "Share a location" in m.entities_text)
    async with bot_store.db.read() as conn:
        rows = await conn.execute_fetchall("SELECT description FROM flag_drafts")
    assert [r[0] for r in rows] == [
        "Ärende 811218-9875 (fel kontrollsiffra) och tel 070-123 45 67"
    ]


STALE = "This button is no longer valid."


def _data(message: SentMessage, text: str) -> str:
    data = next(d for row in message.buttons() for label, d in row if label == text)
    assert data is not None
    return data


def _answers(server: FakeBotApi, queries: list[str]) -> list[str | None]:
    return [server.callback_answers[q].get("text") for q in queries]


async def test_wizard_buttons_belong_to_their_step_and_their_draft(
    app: BotApplication, server: FakeBotApi, bot_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    users = await _scene(bot_store, server)
    anna = users[601]
    first = await open_flag(anna)
    await pick(anna, first, "TULL")
    await server.wait_until(lambda: picked(anna, first, "TULL"))
    # A triple tap on Next: once the category step was skipped, then the summary was
    # reached with no category or description (and raising it failed).
    taps = [await anna.press_data(first, _data(anna.message(first), "Next ▶")) for _ in "123"]
    await server.wait_until(lambda: all(q in server.callback_answers for q in taps))
    assert sorted(_answers(server, taps), key=str) == [None, STALE, STALE]
    assert "Category?" in anna.message(first).entities_text
    category_step = anna.message(first)

    await anna.send("/flag")  # a second /flag, started over: the first one's buttons go
    await anna.press(await anna.wait_for_message(), "↺ Start over")
    second = await anna.wait_for_message(lambda m: "New flag" in m.entities_text)
    old = [await anna.press(category_step, label) for label in ("Other", "◀ Back", "✖ Cancel")]
    await server.wait_until(lambda: all(q in server.callback_answers for q in old))
    assert _answers(server, old) == [STALE, STALE, STALE]
    assert anna.message(first).entities_text == category_step.entities_text
    await pick(anna, second, "FK")  # the new draft was not cancelled by the old Cancel
    await server.wait_until(lambda: picked(anna, second, "FK"))
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert server.rejections == []


def _edits(server: FakeBotApi) -> int:
    """Edits Telegram took (a 429 asks the bot to try the same edit again)."""
    return len([c for c in server.calls_to("editMessageText") if c.status != 429])


async def test_edits_that_change_nothing_are_not_sent(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _scene(bot_store, server)
    anna = users[601]
    first = await open_flag(anna)
    draft = _data(first, "Next ▶").split(":")[2]
    await anna.send("/settings")
    settings = await anna.wait_for_message(lambda m: "Settings" in m.entities_text)
    current = next(b for b in settings.button_texts() if b.startswith("✓ "))
    edits = _edits(server)
    # Back on the first step (only a forged or old button can ask it), and a setting
    # chosen again at its current value: Telegram refuses such edits as "not modified".
    presses = [
        await anna.press_data(first, f"fd:b:{draft}:targets"),
        await anna.press(settings, current),
    ]
    await server.wait_until(lambda: all(q in server.callback_answers for q in presses))
    assert _edits(server) == edits
    other = next(b for b in settings.button_texts() if b.startswith("⏰ "))
    await anna.press(settings, other)  # a real change is still shown
    await server.wait_until(lambda: f"✓ {other}" in anna.message(settings).button_texts())
    assert _edits(server) == edits + 1
    assert server.rejections == []
