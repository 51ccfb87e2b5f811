"""Coordinators' notices end to end: compose, mixed audience, confirmations, progress,
a blocked member, reminders, withdrawal, and a restart with messages still queued."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.domain.models import Role
from handlers.context import BotApplication
from storage.store import Store
from tests.e2e.conftest import start_bot, stop_bot
from tests.factories import FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser, SentMessage

TEXT = 'Vatten & el <avstängt> i morgon 07–09 🚧\nAnvänd "reservkontoret".'


async def _compose(
    server: FakeBotApi, coord: FakeUser, text: str, agencies: list[str]
) -> SentMessage:
    """Compose a notice up to its preview, and return the preview."""
    await coord.send("/notice")
    await coord.wait_for_message(lambda m: "Write the notice" in m.entities_text)
    await coord.send(text)
    chooser = await coord.wait_for_message(lambda m: "Who should get it?" in m.entities_text)
    await coord.press(chooser, "Chosen agencies")
    # The chooser is edited in place; other messages (a member who cannot be reached) may come
    # to the coordinator meanwhile, so follow this message, not the chat's last one.
    await server.wait_until(lambda: "Choose agencies" in coord.message(chooser).entities_text)
    for code in agencies:  # the buttons show each agency's short form
        await coord.press(coord.message(chooser), code)
        await server.wait_until(lambda c=code: f"✓ {c}" in coord.message(chooser).button_texts())
    await coord.press(coord.message(chooser), "Done")
    await server.wait_until(lambda: "Preview" in coord.message(chooser).entities_text)
    return coord.message(chooser)


async def test_notice_with_confirmation_to_a_mixed_audience(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store, "Rinkeby")
    other = await make_group(bot_store, "Husby")
    await make_member(bot_store, 200, role=Role.COORDINATOR, group=group, language="en")
    people = {
        201: ("POL", group, "en"), 202: ("POL", group, "sv"), 203: ("TULL", group, "en"),
        204: ("FK", group, "en"), 205: ("TULL", other, "en"), 206: ("AF", group, "en"),
    }  # fmt: skip
    users = {}
    for uid, (agency, grp, lang) in people.items():
        await make_member(bot_store, uid, agency=agency, group=grp, language=lang, name=f"P{uid}")
        users[uid] = server.user(uid, first_name=f"P{uid}", language_code=lang)
        await users[uid].send("/help")
        await users[uid].wait_for_message()
    users[204].block()
    coord = server.user(200, first_name="Coord", language_code="en")

    preview = await _compose(server, coord, TEXT, ["Police", "Customs", "FK"])
    assert "Recipients: 4" in preview.entities_text  # 201, 202, 203, 204; not 205 nor 206
    assert TEXT in preview.entities_text
    assert (  # by name
        "To: Chosen agencies: Swedish Social Insurance Agency, Swedish Police Authority,"
        " Swedish Customs (Rinkeby)" in preview.entities_text
    )
    await coord.press(preview, "Send to 4")

    for uid in (201, 202, 203):
        got = await users[uid].wait_for_message(lambda m: "Notice #1" in m.entities_text
                                                or "Meddelande #1" in m.entities_text)  # fmt: skip
        assert TEXT in got.entities_text
        assert len(got.button_texts()) == 1
        # Each in their own language, the text and the button (one of each made per language).
        own = "Meddelande #1" if people[uid][2] == "sv" else "Notice #1"
        assert own in got.entities_text
        assert got.button_texts() == (["✅ Jag har läst det"] if people[uid][2] == "sv"
                                      else ["✅ I have read it"])  # fmt: skip
    blocked = "P204 (Swedish Social Insurance Agency) cannot be reached"
    await server.wait_until(lambda: any(blocked in m.entities_text for m in coord.messages))
    status = preview  # the preview message became the live status message
    await server.wait_until(
        lambda: "Delivered: 3 · Unreachable: 1 · Failed: 0" in coord.message(status).entities_text,
        timeout=8,
    )
    assert "Confirmed: 0 of 4" in coord.message(status).entities_text

    copy = users[201].last
    await users[201].press(copy, "✅ I have read it")
    await server.wait_until(lambda: "You confirmed at" in users[201].message(copy).entities_text)
    assert users[201].message(copy).button_texts() == []
    await server.wait_until(
        lambda: "Confirmed: 1 of 4" in coord.message(status).entities_text, timeout=8
    )

    shown = coord.message(status)
    await coord.press(shown, "⏰ Remind those who have not confirmed")
    again = await coord.press(shown, "⏰ Remind those who have not confirmed")  # a double tap
    reminders = {}
    for uid in (202, 203):
        reminder = await users[uid].wait_for_message(lambda m: "#1" in m.entities_text)
        assert "Reminder" in reminder.entities_text or "Påminnelse" in reminder.entities_text
        reminders[uid] = reminder
    await server.wait_until(lambda: again in server.callback_answers)
    assert server.callback_answers[again]["text"] == (
        "Those who had not confirmed were reminded already."
    )
    await asyncio.sleep(1.5)  # a second reminder would be on its way by now
    for uid in (202, 203):
        assert len([m for m in users[uid].messages if "#1" in m.entities_text]) == 2
    assert len([m for m in users[201].messages if "#1" in m.entities_text]) == 1
    for uid in (205, 206):
        assert not [m for m in users[uid].messages if "#1" in m.entities_text]

    await coord.press(coord.message(status), "🚫 Withdraw")
    await server.wait_until(lambda: "Withdrawn" in users[203].message(
        users[203].messages[-2]).entities_text, timeout=8)  # fmt: skip
    await server.wait_until(lambda: "Withdrawn" in coord.message(status).entities_text, timeout=8)
    # P204 still blocks the bot: still unreachable, not gone from the figures.
    assert "Delivered: 3 · Unreachable: 1 · Failed: 0" in coord.message(status).entities_text
    for uid, reminder in reminders.items():  # the reminders say so too, with no button left
        await server.wait_until(
            lambda u=uid, r=reminder: (
                "Återkallat" in users[u].message(r).entities_text
                or "Withdrawn" in users[u].message(r).entities_text
            )
        )
        assert users[uid].message(reminder).button_texts() == []
    users[204].unblock()
    await users[204].send("/help")  # back: held messages are released, but not the notice
    await users[204].wait_for_message(lambda m: "What you can do" in m.entities_text)
    await server.wait_until(lambda: "Withdrawn" in coord.message(status).entities_text, timeout=8)
    assert not [m for m in users[204].messages if "#1" in m.entities_text]
    await asyncio.sleep(2.5)  # the status refresher ran since: nothing Telegram refused
    assert [c.description for c in server.calls_to("editMessageText") if c.status == 400] == []

    await coord.send("/notices")
    listing = await coord.wait_for_message(lambda m: "Recent notices" in m.entities_text)
    assert "#1" in listing.entities_text and "Confirmed: 1 of 4" in listing.entities_text


async def test_text_too_long_or_empty_is_refused_and_can_be_retyped(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store)
    await make_member(bot_store, 210, role=Role.COORDINATOR, group=group, language="en")
    coord = server.user(210, first_name="Coord", language_code="en")
    await coord.send("/notice")
    await coord.wait_for_message()
    await coord.send("🚧" * 1751)  # 3,502 UTF-16 units
    assert "too long" in (await coord.wait_for_message()).entities_text
    await coord.send("x" * 3500)
    assert "Who should get it?" in (await coord.wait_for_message()).entities_text
    await coord.send("/cancel")
    assert "Notice cancelled" in (await coord.wait_for_message()).entities_text


async def test_expert_cannot_compose_or_manage_notices(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store)
    await make_member(bot_store, 220, group=group, language="en")
    expert = server.user(220, first_name="Ex", language_code="en")
    await expert.send("/notice")
    assert (await expert.wait_for_message()).entities_text == "You are not allowed to do that."
    await expert.send("/me")
    card = await expert.wait_for_message()
    for data in ("ntc:w:1", "ntd:s", "ntc:c:999"):
        query = await expert.press_data(card, data)
        await server.wait_until(lambda q=query: q in server.callback_answers)
    assert server.callback_answers[query]["text"] == "That notice does not exist or was withdrawn."


async def test_restart_with_notice_messages_still_queued(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> None:
    db = tmp_path / "restart.db"
    first = await start_bot(server, db, clock)
    store = first.bot_data.store
    group = await make_group(store)
    await make_member(store, 300, role=Role.COORDINATOR, group=group, language="en")
    recipients = []
    for uid in range(301, 341):
        await make_member(store, uid, agency="POL", group=group, language="en")
        recipients.append(server.user(uid, first_name=f"R{uid}", language_code="en"))
        await recipients[-1].send("/me")
    await server.wait_until(lambda: all(u.messages for u in recipients), timeout=30)
    coord = server.user(300, first_name="Coord", language_code="en")
    preview = await _compose(server, coord, "Möte kl 15", ["Police"])
    await coord.press(preview, "Send to 40")
    await server.wait_until(lambda: any("Notice #1" in m.entities_text
                                        for u in recipients for m in u.messages))  # fmt: skip
    await stop_bot(first)
    delivered_before = sum(
        1 for u in recipients for m in u.messages if "Notice #1" in m.entities_text
    )
    assert delivered_before < 40  # the restart really had work left

    second = await start_bot(server, db, clock)
    await server.wait_until(lambda: all(any("Notice #1" in m.entities_text for m in u.messages)
                                        for u in recipients), timeout=20)  # fmt: skip
    await stop_bot(second)
    copies = [sum(1 for m in u.messages if "Notice #1" in m.entities_text) for u in recipients]
    assert copies == [1] * 40
