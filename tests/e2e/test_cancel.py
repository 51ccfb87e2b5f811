"""/cancel in every flow: it names what it stopped, removes any reply keyboard, and leaves
the stopped flow's buttons without effect."""

from __future__ import annotations

from bot.domain.models import Role
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser, SentMessage
from tests.flagkit import open_flag

STALE = "This button is no longer valid."


async def _people(store: Store, server: FakeBotApi) -> dict[str, FakeUser]:
    group = await make_group(store, "Järva")
    people = {"anna": (901, Role.EXPERT, "en"), "coord": (900, Role.COORDINATOR, "en"),
              "sara": (902, Role.EXPERT, "sv")}  # fmt: skip
    users = {}
    for name, (uid, role, lang) in people.items():
        await make_member(store, uid, role=role, group=group, name=name.title(), language=lang)
        users[name] = server.user(uid, first_name=name.title(), language_code=lang)
    return users


async def _cancel(user: FakeUser) -> SentMessage:
    await user.send("/cancel")
    return await user.wait_for_message()


async def test_cancel_names_the_flow_it_stopped_and_removes_the_keyboard(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _people(bot_store, server)
    anna, sara = users["anna"], users["sara"]

    await anna.send("/checkin")
    asked = await anna.wait_for_message(lambda m: "Share your location" in m.entities_text)
    assert "keyboard" in (asked.reply_markup or {})
    stopped = await _cancel(anna)
    assert stopped.entities_text == "Check-in cancelled."
    assert stopped.reply_markup == {"remove_keyboard": True}

    wizard = await open_flag(anna)
    assert (await _cancel(anna)).entities_text == "Flag cancelled — nothing was sent."
    query = await anna.press(wizard, "🔴 Urgent")
    await server.wait_until(lambda: query in server.callback_answers)
    assert server.callback_answers[query].get("text") == STALE

    await anna.send("/log")
    await anna.wait_for_message(lambda m: "Log work" in m.entities_text)
    assert (await _cancel(anna)).entities_text == "Work log entry cancelled — nothing was saved."

    nothing = await _cancel(anna)
    assert nothing.entities_text == "Nothing to cancel."
    assert nothing.reply_markup == {"remove_keyboard": True}

    await sara.send("/checkin")
    await sara.wait_for_message(lambda m: "Dela din position" in m.entities_text)
    assert (await _cancel(sara)).entities_text == "Incheckningen avbröts."
    await sara.send("/flag")
    await sara.wait_for_message(lambda m: "Ny flagga" in m.entities_text)
    assert (await _cancel(sara)).entities_text == "Flaggan avbröts — inget skickades."


async def test_the_notice_prompt_has_a_cancel_button_and_cancel_names_the_notice(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    coord = (await _people(bot_store, server))["coord"]
    await coord.send("/notice")
    asked = await coord.wait_for_message(lambda m: "Write the notice" in m.entities_text)
    await coord.press(asked, "Cancel")
    await server.wait_until(lambda: "not sent" in coord.message(asked).entities_text)
    assert coord.message(asked).buttons() == []
    await coord.send("Möte kl 14")
    assert "did not understand" in (await coord.wait_for_message()).entities_text

    await coord.send("/notice")
    await coord.wait_for_message(lambda m: "Write the notice" in m.entities_text)
    await coord.send("Möte kl 14")
    audiences = await coord.wait_for_message(lambda m: "Who should get it?" in m.entities_text)
    assert (await _cancel(coord)).entities_text == "Notice cancelled — nothing was sent."
    query = await coord.press(audiences, audiences.button_texts()[0])
    await server.wait_until(lambda: query in server.callback_answers)
    no_draft = "No notice is being written. Start with /notice."
    assert server.callback_answers[query].get("text") == no_draft
    assert server.rejections == []


async def test_cancel_stops_planning_and_takes_its_buttons_away(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    coord = (await _people(bot_store, server))["coord"]
    await coord.send("/plan")
    screen = await coord.wait_for_message(lambda m: "Who?" in m.entities_text)
    await coord.send("tomorrow")
    hint = await coord.wait_for_message()
    assert hint.entities_text == "Choose with the buttons above — or /cancel."
    await coord.send("Anna")  # her button's name: taken, the next screen in a new message
    screen = await coord.wait_for_message(lambda m: "upcoming shifts" in m.entities_text)
    stopped = await _cancel(coord)
    assert stopped.entities_text == "Planning cancelled — no shift was changed."
    await server.wait_until(lambda: coord.message(screen).buttons() == [])
    assert (await _cancel(coord)).entities_text == "Nothing to cancel."

    await coord.send("/plan")  # a plan carried to its end leaves nothing to cancel
    screen = await coord.wait_for_message(lambda m: "Who?" in m.entities_text)
    await coord.press(screen, next(b for b in screen.button_texts() if b.startswith("📋")))
    await server.wait_until(lambda: coord.message(screen).buttons() == [])
    assert (await _cancel(coord)).entities_text == "Nothing to cancel."
