"""Typing instead of pressing: text that names a button of the current step is taken (in
either language, case and accents aside), other text is told what the step waits for, and
a command typed without its slash runs."""

from __future__ import annotations

from handlers.context import BotApplication
from storage.store import Store
from tests.chatkit import people, say, start_notice
from tests.fakebot import FakeBotApi

NOTICE_HINT = "Choose with the buttons above — or /cancel."


async def test_typed_names_of_buttons_drive_the_flag_wizard(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    anna = (await people(bot_store, server, 940))["anna"]
    await anna.send("/flag")
    await anna.wait_for_message(lambda m: "New flag" in m.entities_text)
    picked = await say(anna, "Tullverket")  # its name, though the button shows "Customs"
    assert "✓ Customs" in str(picked.button_texts())
    unpicked = await say(anna, "tull")  # the code, pressed again
    assert not [b for b in unpicked.button_texts() if b.startswith("✓")]
    assert [b for b in (await say(anna, "TULL")).button_texts() if b.startswith("✓ Customs")]
    assert "Category?" in (await say(anna, "next")).entities_text
    hint = await say(anna, "I saw something at the square")
    assert hint.entities_text == "Choose a category with the buttons above — or /cancel."
    assert "How urgent?" in (await say(anna, "svartarbete")).entities_text
    assert "short description" in (await say(anna, "  Brådskande! ")).entities_text
    await anna.send("Svartarbete på bygget vid torget")
    where = await anna.wait_for_message(lambda m: "Share a location" in m.entities_text)
    await anna.press(where, "Skip")
    await server.wait_until(lambda: "Is this right?" in anna.message(where).entities_text)
    summary = anna.message(where)
    hint = await say(anna, "looks good")
    assert hint.entities_text == "Check the summary above and press Raise the flag — or /cancel."
    assert "Is this right?" in summary.entities_text and summary.protect_content
    assert "Undeclared work" in summary.entities_text and "URGENT" in summary.entities_text
    assert (await say(anna, "avbryt")).entities_text == "The flag was not raised."

    assert "Share your location" in (await say(anna, "checkin")).entities_text
    await say(anna, "/cancel")
    assert "What you can do" in (await say(anna, "Hjälp")).entities_text
    assert "did not understand" in (await say(anna, "blah")).entities_text
    assert server.rejections == []


async def test_the_log_and_notice_steps_say_what_they_wait_for(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await people(bot_store, server, 940)
    anna, coord = users["anna"], users["coord"]
    await anna.send("/log")
    await anna.wait_for_message(lambda m: "Log work" in m.entities_text)
    hint = await say(anna, "school")
    assert hint.entities_text == "Choose the kind of work with the buttons above — or /cancel."
    assert "What did you do?" in (await say(anna, "relationsbyggande")).entities_text

    await start_notice(coord)
    await coord.send("Möte kl 14")
    await coord.wait_for_message(lambda m: "Who should get it?" in m.entities_text)
    hint = await say(coord, "everyone")
    assert hint.entities_text == NOTICE_HINT


async def test_skip_typed_on_a_step_that_takes_text_presses_skip(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    anna = (await people(bot_store, server, 940))["anna"]
    await anna.send("/flag")
    await anna.wait_for_message(lambda m: "New flag" in m.entities_text)
    for typed, step in (("TULL", "✓ Customs"), ("next", "Category?"),
                        ("svartarbete", "How urgent?"), ("routine", "short description"),
                        ("Svartarbete på bygget", "Share a location")):  # fmt: skip
        await anna.send(typed)
        await anna.wait_for_message(lambda m, s=step: s in m.entities_text + str(m.buttons()))
    summary = await say(anna, "skip")  # the place step's Skip, not a place named "skip"
    assert "Is this right?" in summary.entities_text
    assert "Location: none" in summary.entities_text and "skip" not in summary.entities_text
    assert (await say(anna, "/cancel")).entities_text == "Flag cancelled — nothing was sent."

    await anna.send("/log")
    await anna.wait_for_message(lambda m: "Log work" in m.entities_text)
    for typed, step in (("relationship-building", "What did you do"),
                        ("dialogue with residents", "Together with"), ("next", "How many"),
                        ("21–100", "How long"), ("half day", "short note")):  # fmt: skip
        await anna.send(typed)
        await anna.wait_for_message(lambda m, s=step: s in m.entities_text)
    where = await say(anna, "Hoppa över")  # the note step's Skip, in the other language
    assert "Share the place" in where.entities_text
    summary = await say(anna, "SKIP")
    assert "Is this right?" in summary.entities_text and "Hoppa" not in summary.entities_text
    assert server.rejections == []


async def test_typed_names_of_buttons_drive_the_notice(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await people(bot_store, server, 940)
    coord, anna, tove = users["coord"], users["anna"], users["tove"]
    await start_notice(coord)
    assert "Who should get it?" in (await say(coord, "Möte kl 14 på kontoret")).entities_text
    assert (await say(coord, "alla")).entities_text == NOTICE_HINT
    picking = await say(coord, "valda myndigheter")  # the Swedish label, read in English
    assert picking.entities_text == "Choose agencies, then press Done."
    assert (await say(coord, "Done")).entities_text == "Choose at least one agency first."
    chosen = await say(coord, "Tullverket")  # its name, though the button shows its short form
    assert [b for b in chosen.button_texts() if b.startswith("✓")] == ["✓ Customs"]
    preview = await say(coord, "KLAR")
    assert "Preview" in preview.entities_text and "Recipients: 1" in preview.entities_text
    assert (await say(coord, "looks good")).entities_text == NOTICE_HINT
    assert "Who should get it?" in (await say(coord, "tillbaka")).entities_text
    preview = await say(coord, "Everyone in my groups")
    assert "Recipients: 2" in preview.entities_text
    assert "Read confirmation: no" in (await say(coord, "confirmation on/off")).entities_text
    status = await say(coord, "Skicka")  # a new message, which becomes the live status
    await server.wait_until(lambda: "Notice #1" in coord.message(status).entities_text)
    for user in (anna, tove):
        got = await user.wait_for_message(lambda m: "Notice #1" in m.entities_text, earlier=True)
        assert "Möte kl 14 på kontoret" in got.entities_text
    await server.wait_until(lambda: "Delivered: 2" in coord.message(status).entities_text)

    await start_notice(coord)
    await coord.send("Inställt")
    await coord.wait_for_message(lambda m: "Who should get it?" in m.entities_text)
    await coord.send("coordinators only")
    await coord.wait_for_message(lambda m: "Preview" in m.entities_text)
    assert (await say(coord, "avbryt")).entities_text == "The notice was not sent."
    assert (await say(coord, "send")).entities_text.startswith("I did not understand")
    assert not [m for m in anna.messages if "Notice #2" in m.entities_text]
    assert server.rejections == []
