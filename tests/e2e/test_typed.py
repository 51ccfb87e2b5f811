"""Typing instead of pressing: text that names a button of the current step is taken (in
either language, case and accents aside), other text is told what the step waits for, and
a command typed without its slash runs."""

from __future__ import annotations

from bot.domain.models import Role
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser, SentMessage

NOTICE_HINT = "Choose with the buttons above — or /cancel."


async def _people(store: Store, server: FakeBotApi) -> dict[str, FakeUser]:
    group = await make_group(store, "Järva")
    users = {}
    for name, uid, agency, role in (("anna", 941, "POL", Role.EXPERT),
                                    ("tove", 942, "TULL", Role.EXPERT),
                                    ("coord", 940, "POL", Role.COORDINATOR)):  # fmt: skip
        await make_member(store, uid, role=role, agency=agency, group=group, name=name.title(),
                          language="en")  # fmt: skip
        users[name] = server.user(uid, first_name=name.title(), language_code="en")
        users[name].mark_started()
    return users


async def _say(user: FakeUser, text: str) -> SentMessage:
    await user.send(text)
    return await user.wait_for_message()


async def test_typed_names_of_buttons_drive_the_flag_wizard(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    anna = (await _people(bot_store, server))["anna"]
    await anna.send("/flag")
    await anna.wait_for_message(lambda m: "New flag" in m.entities_text)
    picked = await _say(anna, "Tullverket")  # its name, though the button shows "Customs"
    assert "✓ Customs" in str(picked.button_texts())
    unpicked = await _say(anna, "tull")  # the code, pressed again
    assert not [b for b in unpicked.button_texts() if b.startswith("✓")]
    assert [b for b in (await _say(anna, "TULL")).button_texts() if b.startswith("✓ Customs")]
    assert "Category?" in (await _say(anna, "next")).entities_text
    hint = await _say(anna, "I saw something at the square")
    assert hint.entities_text == "Choose a category with the buttons above — or /cancel."
    assert "How urgent?" in (await _say(anna, "svartarbete")).entities_text
    assert "short description" in (await _say(anna, "  Brådskande! ")).entities_text
    await anna.send("Svartarbete på bygget vid torget")
    where = await anna.wait_for_message(lambda m: "Share a location" in m.entities_text)
    await anna.press(where, "Skip")
    await server.wait_until(lambda: "Is this right?" in anna.message(where).entities_text)
    summary = anna.message(where)
    hint = await _say(anna, "looks good")
    assert hint.entities_text == "Check the summary above and press Raise the flag — or /cancel."
    assert "Is this right?" in summary.entities_text and summary.protect_content
    assert "Undeclared work" in summary.entities_text and "URGENT" in summary.entities_text
    assert (await _say(anna, "avbryt")).entities_text == "The flag was not raised."

    assert "Share your location" in (await _say(anna, "checkin")).entities_text
    await _say(anna, "/cancel")
    assert "What you can do" in (await _say(anna, "Hjälp")).entities_text
    assert "did not understand" in (await _say(anna, "blah")).entities_text
    assert server.rejections == []


async def test_the_log_and_notice_steps_say_what_they_wait_for(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _people(bot_store, server)
    anna, coord = users["anna"], users["coord"]
    await anna.send("/log")
    await anna.wait_for_message(lambda m: "Log work" in m.entities_text)
    hint = await _say(anna, "school")
    assert hint.entities_text == "Choose the kind of work with the buttons above — or /cancel."
    assert "What did you do?" in (await _say(anna, "relationsbyggande")).entities_text

    await coord.send("/notice")
    await coord.wait_for_message(lambda m: "Write the notice" in m.entities_text)
    await coord.send("Möte kl 14")
    await coord.wait_for_message(lambda m: "Who should get it?" in m.entities_text)
    hint = await _say(coord, "everyone")
    assert hint.entities_text == NOTICE_HINT


async def test_skip_typed_on_a_step_that_takes_text_presses_skip(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    anna = (await _people(bot_store, server))["anna"]
    await anna.send("/flag")
    await anna.wait_for_message(lambda m: "New flag" in m.entities_text)
    for typed, step in (("TULL", "✓ Customs"), ("next", "Category?"),
                        ("svartarbete", "How urgent?"), ("routine", "short description"),
                        ("Svartarbete på bygget", "Share a location")):  # fmt: skip
        await anna.send(typed)
        await anna.wait_for_message(lambda m, s=step: s in m.entities_text + str(m.buttons()))
    summary = await _say(anna, "skip")  # the place step's Skip, not a place named "skip"
    assert "Is this right?" in summary.entities_text
    assert "Location: none" in summary.entities_text and "skip" not in summary.entities_text
    assert (await _say(anna, "/cancel")).entities_text == "Flag cancelled — nothing was sent."

    await anna.send("/log")
    await anna.wait_for_message(lambda m: "Log work" in m.entities_text)
    for typed, step in (("relationship-building", "What did you do"),
                        ("dialogue with residents", "Together with"), ("next", "How many"),
                        ("21–100", "How long"), ("half day", "short note")):  # fmt: skip
        await anna.send(typed)
        await anna.wait_for_message(lambda m, s=step: s in m.entities_text)
    where = await _say(anna, "Hoppa över")  # the note step's Skip, in the other language
    assert "Share the place" in where.entities_text
    summary = await _say(anna, "SKIP")
    assert "Is this right?" in summary.entities_text and "Hoppa" not in summary.entities_text
    assert server.rejections == []


async def test_typed_names_of_buttons_drive_the_notice(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _people(bot_store, server)
    coord, anna, tove = users["coord"], users["anna"], users["tove"]
    await coord.send("/notice")
    await coord.wait_for_message(lambda m: "Write the notice" in m.entities_text)
    assert "Who should get it?" in (await _say(coord, "Möte kl 14 på kontoret")).entities_text
    assert (await _say(coord, "alla")).entities_text == NOTICE_HINT
    picking = await _say(coord, "valda myndigheter")  # the Swedish label, read in English
    assert picking.entities_text == "Choose agencies, then press Done."
    assert (await _say(coord, "Done")).entities_text == "Choose at least one agency first."
    chosen = await _say(coord, "Tullverket")  # its name, though the button shows its short form
    assert [b for b in chosen.button_texts() if b.startswith("✓")] == ["✓ Customs"]
    preview = await _say(coord, "KLAR")
    assert "Preview" in preview.entities_text and "Recipients: 1" in preview.entities_text
    assert (await _say(coord, "looks good")).entities_text == NOTICE_HINT
    assert "Who should get it?" in (await _say(coord, "tillbaka")).entities_text
    preview = await _say(coord, "Everyone in my groups")
    assert "Recipients: 2" in preview.entities_text
    assert "Read confirmation: no" in (await _say(coord, "confirmation on/off")).entities_text
    status = await _say(coord, "Skicka")  # a new message, which becomes the live status
    await server.wait_until(lambda: "Notice #1" in coord.message(status).entities_text)
    for user in (anna, tove):
        got = await user.wait_for_message(lambda m: "Notice #1" in m.entities_text, earlier=True)
        assert "Möte kl 14 på kontoret" in got.entities_text
    await server.wait_until(lambda: "Delivered: 2" in coord.message(status).entities_text)

    await coord.send("/notice")
    await coord.wait_for_message(lambda m: "Write the notice" in m.entities_text)
    await coord.send("Inställt")
    await coord.wait_for_message(lambda m: "Who should get it?" in m.entities_text)
    await coord.send("coordinators only")
    await coord.wait_for_message(lambda m: "Preview" in m.entities_text)
    assert (await _say(coord, "avbryt")).entities_text == "The notice was not sent."
    assert (await _say(coord, "send")).entities_text.startswith("I did not understand")
    assert not [m for m in anna.messages if "Notice #2" in m.entities_text]
    assert server.rejections == []
