"""Edited messages: an edit changes the answer it gave while its step is open (a flag's
description until the flag is raised), is screened like a sent message, never runs a
command again, and changes nothing once its step has passed."""

from __future__ import annotations

from typing import Any

from handlers.context import BotApplication
from storage.store import Store
from tests.chatkit import people, start_notice
from tests.fakebot import FakeBotApi, FakeUser
from tests.flagkit import open_flag, pick, picked

ID_NUMBER = "19811218-9876"
SCREENED = "The text contains a personal identity or co-ordination number."


async def _quiet_edit(user: FakeUser, message: dict[str, Any], text: str) -> None:
    """Edit a message and see that the bot says nothing about it (the next answer is the
    one to the message sent after the edit)."""
    before = len(user.messages)
    await user.edit(message, text)
    await user.send("/cancel")
    answer = await user.wait_for_message()
    assert answer.entities_text == "Nothing to cancel.", user.dump()
    assert len(user.messages) == before + 1


async def test_an_edited_description_changes_the_flag_until_it_is_raised(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await people(bot_store, server, 950)
    anna, tove = users["anna"], users["tove"]
    wizard = await open_flag(anna)
    await pick(anna, wizard, "TULL")
    await server.wait_until(lambda: picked(anna, wizard, "TULL"))
    for button, step in (("Next ▶", "Category?"), ("Customs or smuggling", "How urgent?"),
                         ("URGENT", "short description")):  # fmt: skip
        await anna.press(wizard, button)
        await server.wait_until(lambda s=step: s in anna.message(wizard).entities_text)
    sent = await anna.send("Bil vid torget")
    await anna.wait_for_message(lambda m: "Share a location" in m.entities_text)

    await anna.edit(sent, "Blå bil vid torget")
    changed = await anna.wait_for_message()
    assert changed.entities_text.startswith("✏️ The description is changed.")
    assert "Share a location" in changed.entities_text and changed.protect_content
    await anna.press(changed, "Skip")
    summary = await anna.wait_for_message(lambda m: "Is this right?" in m.entities_text,
                                          earlier=True)  # fmt: skip
    await server.wait_until(lambda: "Blå bil vid torget" in anna.message(summary).entities_text)
    assert "Bil vid torget" not in anna.message(summary).entities_text

    await anna.edit(sent, f"Blå bil, ägaren {ID_NUMBER}")  # screened like a sent message
    assert SCREENED in (await anna.wait_for_message()).entities_text
    await anna.edit(sent, "Röd bil vid torget")
    summary = await anna.wait_for_message()
    assert (
        "Röd bil vid torget" in summary.entities_text and "Is this right?" in summary.entities_text
    )
    await anna.press(summary, "🚩 Raise the flag")
    card = await tove.wait_for_message(lambda m: "Flag #" in m.entities_text, earlier=True)
    assert "Röd bil vid torget" in card.entities_text and ID_NUMBER not in card.entities_text

    await _quiet_edit(anna, sent, "Grön bil")  # the flag is up: its step has passed
    assert "Röd bil vid torget" in tove.message(card).entities_text


async def test_an_edit_never_runs_a_command_and_answers_only_an_open_question(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await people(bot_store, server, 950)
    anna, coord = users["anna"], users["coord"]
    helped = await anna.send("/help")
    await anna.wait_for_message(lambda m: "What you can do" in m.entities_text)
    await _quiet_edit(anna, helped, "/checkin")
    await _quiet_edit(anna, helped, "checkin")

    await start_notice(coord)
    refused = await coord.send(f"Möte om {ID_NUMBER}")
    assert SCREENED in (await coord.wait_for_message()).entities_text
    await coord.edit(refused, f"Möte kl 14, inte {ID_NUMBER}")
    assert SCREENED in (await coord.wait_for_message()).entities_text
    await coord.edit(refused, "Möte kl 14")  # the refused answer, mended
    await coord.wait_for_message(lambda m: "Who should get it?" in m.entities_text)
    await coord.send("/cancel")
    assert (await coord.wait_for_message()).entities_text.startswith("Notice cancelled")
    await _quiet_edit(coord, refused, "Möte kl 15")  # cancelled: its step has passed
    assert server.rejections == []


async def test_an_edited_notice_text_changes_the_notice_until_it_is_sent(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await people(bot_store, server, 950)
    coord, anna = users["coord"], users["anna"]
    await start_notice(coord)
    sent = await coord.send("Möte kl 14")
    await coord.wait_for_message(lambda m: "Who should get it?" in m.entities_text)
    await coord.edit(sent, "Möte kl 15")
    changed = await coord.wait_for_message()
    assert changed.entities_text.startswith("✏️ The notice's text is changed.")
    assert "Who should get it?" in changed.entities_text
    await coord.press(changed, "Everyone in my groups")
    await server.wait_until(lambda: "Preview" in coord.message(changed).entities_text)
    assert "Möte kl 15" in coord.message(changed).entities_text

    await coord.edit(sent, f"Möte om {ID_NUMBER}")  # screened like a sent message
    assert SCREENED in (await coord.wait_for_message()).entities_text
    await coord.edit(sent, "Möte kl 16")
    preview = await coord.wait_for_message()
    assert preview.entities_text.startswith("✏️ The notice's text is changed.")
    assert "Preview" in preview.entities_text and "Möte kl 16" in preview.entities_text
    await coord.press(preview, "Send to 2")
    copy = await anna.wait_for_message(lambda m: "Notice #1" in m.entities_text)
    assert "Möte kl 16" in copy.entities_text and ID_NUMBER not in copy.entities_text

    await _quiet_edit(coord, sent, "Möte kl 17")  # sent: its step has passed
    assert "Möte kl 16" in anna.message(copy).entities_text
    assert server.rejections == []


async def test_an_edited_note_changes_the_work_log_entry_until_it_is_saved(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    anna = (await people(bot_store, server, 950))["anna"]
    await anna.send("/log")
    await anna.wait_for_message(lambda m: "Log work" in m.entities_text)
    for typed, step in (("relationship-building", "What did you do"),
                        ("dialogue with residents", "Together with"), ("next", "How many"),
                        ("21–100", "How long"), ("half day", "short note")):  # fmt: skip
        await anna.send(typed)
        await anna.wait_for_message(lambda m, s=step: s in m.entities_text)
    sent = await anna.send("Samtal vid torget")
    await anna.wait_for_message(lambda m: "Share the place" in m.entities_text)
    await anna.edit(sent, f"Samtal med {ID_NUMBER}")
    assert SCREENED in (await anna.wait_for_message()).entities_text
    await anna.edit(sent, "Samtal om tryggheten")
    changed = await anna.wait_for_message()
    assert changed.entities_text.startswith("✏️ The note is changed.")
    await anna.press(changed, "Skip")
    await server.wait_until(lambda: "Is this right?" in anna.message(changed).entities_text)
    assert "Samtal om tryggheten" in anna.message(changed).entities_text
    await anna.press(changed, "✅ Save")
    await server.wait_until(lambda: "saved" in anna.message(changed).entities_text)
    await _quiet_edit(anna, sent, "Samtal om annat")  # saved: its step has passed
