"""/log and /mylog end to end: three taps with "same as last time", the full flow with a
screened note, need to know on notes, and forged or stale presses."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.callbacks import EntryOpen, LogSave
from bot.domain.models import Role
from bot.domain.worklog import LogStep
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import START, make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser
from tests.scenes import OFFICE, log_work

SAME = "↺ Same as last time: School or youth-centre visit, 1 h"


async def _people(store: Store, server: FakeBotApi) -> dict[str, FakeUser]:
    group = await make_group(store, "Järva")
    people = {
        "anna": (801, "POL", Role.EXPERT), "fia": (802, "FK", Role.EXPERT),
        "ari": (803, "POL", Role.EXPERT), "coord": (800, None, Role.COORDINATOR),
    }  # fmt: skip
    users = {}
    for name, (uid, agency, role) in people.items():
        await make_member(store, uid, role=role, agency=agency, group=group,
                          name=name.title(), language="en")  # fmt: skip
        users[name] = server.user(uid, first_name=name.title(), language_code="en")
        await users[name].send("/help")
        await users[name].wait_for_message(lambda m: "What you can do" in m.entities_text,
                                           earlier=True)  # fmt: skip
    return users


async def _member(store: Store, uid: int):
    async with store.read() as tx:
        return await tx.members.by_telegram_id(uid)


async def _entries(store: Store, uid: int):
    member = await _member(store, uid)
    async with store.read() as tx:
        return await tx.activities.of_member(member.id, START - timedelta(days=1),
                                             START + timedelta(days=1))  # fmt: skip


async def test_log_in_three_taps_with_same_as_last_time(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _people(bot_store, server)
    anna = users["anna"]
    await log_work(bot_store, await _member(bot_store, 801), START - timedelta(hours=2),
                   "relationship", "school_visit", 60, "6_20", ("FK",), note="privat")  # fmt: skip
    answered = len(server.callback_answers)
    await anna.send("/log")  # tap 1: the menu entry
    first = await anna.wait_for_message(lambda m: "Log work" in m.entities_text)
    await anna.press(first, SAME)  # tap 2
    await server.wait_until(lambda: "Is this right?" in anna.message(first).entities_text)
    summary = anna.message(first).entities_text
    assert "School or youth-centre visit" in summary
    assert "Together with: Swedish Social Insurance Agency" in summary
    assert "privat" not in summary  # the note is not repeated
    await anna.press(first, "✅ Save")  # tap 3
    await server.wait_until(lambda: "saved" in anna.message(first).entities_text)
    assert len(server.callback_answers) - answered == 2
    entries = await _entries(bot_store, 801)
    assert len(entries) == 2 and entries[0].done_at == START and entries[0].note is None
    assert (entries[0].type, entries[0].minutes, entries[0].partners) == (
        "school_visit", 60, ("FK",))  # fmt: skip
    # The Save button of a draft already saved is stale: a double tap logs nothing twice.
    await anna.press_data(first, LogSave(1, LogStep.SUMMARY, "0123456789ab").pack())
    await anna.press_data(first, LogSave(999, LogStep.SUMMARY, "0123456789ab").pack())
    await server.wait_until(lambda: len(server.callback_answers) - answered == 4)
    assert len(await _entries(bot_store, 801)) == 2


async def test_full_flow_partners_first_note_screened_and_need_to_know(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _people(bot_store, server)
    anna, fia, ari, coord = (users[n] for n in ("anna", "fia", "ari", "coord"))
    await fia.share_location(*OFFICE)  # FK is checked in: offered first
    await fia.wait_for_message(lambda m: "Checked in" in m.entities_text, earlier=True)
    await anna.send("/log")
    msg = await anna.wait_for_message(lambda m: "Log work" in m.entities_text)
    assert SAME not in msg.button_texts()  # nothing to repeat yet
    await anna.press(msg, "Relationship-building")
    await server.wait_until(lambda: "What did you do" in anna.message(msg).entities_text)
    await anna.press(msg, "Dialogue with residents")
    await server.wait_until(lambda: "Together with" in anna.message(msg).entities_text)
    assert anna.message(msg).button_texts()[0] == "FK"
    await anna.press(msg, "FK")
    await server.wait_until(lambda: "✓ FK" in anna.message(msg).button_texts())
    await anna.press(msg, "Next ▶")
    await server.wait_until(lambda: "How many residents" in anna.message(msg).entities_text)
    await anna.press(msg, "21–100")
    await server.wait_until(lambda: "How long" in anna.message(msg).entities_text)
    await anna.press(msg, "Half day")
    await server.wait_until(lambda: "short note" in anna.message(msg).entities_text)
    await anna.send("Träffade 19811218-9876 vid torget")
    await anna.wait_for_message(lambda m: "co-ordination number" in m.entities_text)
    await anna.send("Samtal <om> läget & tryggheten")
    place = await anna.wait_for_message(lambda m: "Share the place" in m.entities_text)
    await anna.press(place, "Skip")
    await server.wait_until(lambda: "Is this right?" in anna.message(place).entities_text)
    assert "Samtal <om> läget & tryggheten" in anna.message(place).entities_text
    await anna.press(place, "✅ Save")
    await server.wait_until(lambda: "saved" in anna.message(place).entities_text)
    (entry,) = await _entries(bot_store, 801)
    assert entry.note == "Samtal <om> läget & tryggheten" and entry.residents.value == "21_100"
    assert "19811218" not in str(await _entries(bot_store, 801))

    await anna.send("/mylog")
    mine = await anna.wait_for_message(lambda m: "My work this week" in m.entities_text)
    assert f"#{entry.id}" in mine.entities_text and "4.0 h relationship-building" in (
        mine.entities_text)  # fmt: skip
    await anna.press(mine, f"#{entry.id}")
    card = await anna.wait_for_message(lambda m: f"Entry #{entry.id}" in m.entities_text)
    assert "Samtal <om> läget" in card.entities_text and "Delete" in str(card.button_texts())
    await coord.send("/mylog")
    group_list = await coord.wait_for_message(lambda m: "My work this week" in m.entities_text)
    await coord.press(group_list, "Group entries")
    listed = await coord.wait_for_message(lambda m: "Work in my groups" in m.entities_text)
    await coord.press(listed, f"#{entry.id}")
    seen = await coord.wait_for_message(lambda m: f"Entry #{entry.id}" in m.entities_text)
    assert "Samtal <om> läget" in seen.entities_text
    # A colleague of the same agency learns nothing, even with a forged button.
    query = await ari.press_data(mine, EntryOpen(entry.id).pack())
    await server.wait_until(lambda: query in server.callback_answers)
    assert server.callback_answers[query]["text"] == "Unknown entry."
    assert not [m for m in ari.messages if "Samtal" in m.entities_text]
