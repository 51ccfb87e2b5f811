"""An older summary or preview keeps its buttons in the chat after the draft changed (typed
answers post each step anew): its Send, Raise or Save is stale, never acting on what the draft
holds now, which that message never showed."""

from __future__ import annotations

from datetime import timedelta

from handlers.context import BotApplication
from storage.store import Store
from tests.chatkit import people, say, start_notice
from tests.e2e.test_worklog import SAME, _entries, _member
from tests.e2e.test_worklog import _people as log_people
from tests.factories import START
from tests.fakebot import FakeBotApi, FakeUser, SentMessage
from tests.scenes import log_work

STALE = "This button is no longer valid."


async def _notices(store: Store) -> int:
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall("SELECT COUNT(*) FROM notices")
    return int(rows[0][0])


async def test_an_old_preview_does_not_send_to_the_audience_chosen_later(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await people(bot_store, server, 940)
    coord, anna = users["coord"], users["anna"]
    await start_notice(coord)
    for answer in ("Möte kl 14", "valda myndigheter", "Tullverket"):
        await say(coord, answer)
    old = await say(coord, "KLAR")
    assert "Send to 1" in old.button_texts()  # Tove, of Customs
    await say(coord, "tillbaka")
    new = await say(coord, "Everyone in my groups")
    assert "Send to 2" in new.button_texts()
    query = await coord.press(old, "Send to 1")
    await server.wait_until(lambda: query in server.callback_answers)
    assert server.callback_answers[query].get("text") == STALE
    assert await _notices(bot_store) == 0
    before_revisions = await coord.press_data(new, "ntd:s")  # a Send sent by an older bot
    await server.wait_until(lambda: before_revisions in server.callback_answers)
    assert server.callback_answers[before_revisions].get("text") == STALE
    await coord.press(new, "Send to 2")
    await anna.wait_for_message(lambda m: "Möte kl 14" in m.entities_text)
    assert await _notices(bot_store) == 1


async def _flags(store: Store) -> list[str]:
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall("SELECT description FROM flags")
    return [str(r[0]) for r in rows]


async def _summary_of(server: FakeBotApi, anna: FakeUser, description: str) -> SentMessage:
    """Type the description, skip the place: the summary (the skipped step's message)."""
    await anna.send(description)
    where = await anna.wait_for_message(lambda m: "Share a location" in m.entities_text)
    await anna.press(where, "Skip")
    await server.wait_until(lambda: "Is this right?" in anna.message(where).entities_text)
    return anna.message(where)


async def test_an_old_summary_does_not_raise_the_flag_changed_since(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    anna = (await people(bot_store, server, 940))["anna"]
    await anna.send("/flag")
    await anna.wait_for_message(lambda m: "New flag" in m.entities_text)
    for answer in ("Tullverket", "next", "svartarbete", "Brådskande!"):
        await say(anna, answer)
    old = await _summary_of(server, anna, "Svartarbete på bygget vid torget")
    await say(anna, "back")  # to the place, then to the description: the same draft
    assert "short description" in (await say(anna, "back")).entities_text
    new = await _summary_of(server, anna, "Hot mot personal vid stationen")
    query = await anna.press(old, "🚩 Raise the flag")  # it shows the building site
    await server.wait_until(lambda: query in server.callback_answers)
    assert server.callback_answers[query].get("text") == STALE
    assert await _flags(bot_store) == []
    before_revisions = await anna.press_data(new, f"fd:ok:{_draft_of(new)}:summary")
    await server.wait_until(lambda: before_revisions in server.callback_answers)
    assert server.callback_answers[before_revisions].get("text") == STALE
    await anna.press(new, "🚩 Raise the flag")
    await server.wait_until(lambda: "#1" in anna.message(new).entities_text)
    assert await _flags(bot_store) == ["Hot mot personal vid stationen"]


def _draft_of(summary: SentMessage) -> str:
    """The draft id a summary's Raise names (fd:ok:<draft>:summary:<revision>)."""
    data = [b["callback_data"] for row in summary.raw["reply_markup"]["inline_keyboard"]
            for b in row if str(b["callback_data"]).startswith("fd:ok:")]  # fmt: skip
    return str(data[0]).split(":")[2]


async def test_an_old_work_log_summary_does_not_save_the_entry_changed_since(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    anna = (await log_people(bot_store, server))["anna"]
    await log_work(bot_store, await _member(bot_store, 801), START - timedelta(hours=2),
                   "relationship", "school_visit", 60, "6_20", ("FK",))  # fmt: skip
    await anna.send("/log")
    old = await anna.wait_for_message(lambda m: "Log work" in m.entities_text)
    await anna.press(old, SAME)
    await server.wait_until(lambda: "Is this right?" in anna.message(old).entities_text)
    await say(anna, "back")  # to the place, then to the note: the same draft
    await say(anna, "back")
    await say(anna, "Samtal med rektorn")
    new = await say(anna, "skip")
    assert "Samtal med rektorn" in new.entities_text
    query = await anna.press(anna.message(old), "✅ Save")  # it shows no note
    await server.wait_until(lambda: query in server.callback_answers)
    assert server.callback_answers[query].get("text") == STALE
    assert len(await _entries(bot_store, 801)) == 1
    await anna.press(new, "✅ Save")
    await server.wait_until(lambda: "saved" in anna.message(new).entities_text)
    assert [e.note for e in await _entries(bot_store, 801)] == ["Samtal med rektorn", None]
