"""An older summary or preview keeps its buttons in the chat after the draft changed (typed
answers post each step anew): its Send or Raise is stale, never acting on what the draft holds
now, which that message never showed."""

from __future__ import annotations

from handlers.context import BotApplication
from storage.store import Store
from tests.e2e.test_typed import _people, _say
from tests.fakebot import FakeBotApi

STALE = "This button is no longer valid."


async def _notices(store: Store) -> int:
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall("SELECT COUNT(*) FROM notices")
    return int(rows[0][0])


async def test_an_old_preview_does_not_send_to_the_audience_chosen_later(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _people(bot_store, server)
    coord, anna = users["coord"], users["anna"]
    await coord.send("/notice")
    await coord.wait_for_message(lambda m: "Write the notice" in m.entities_text)
    for answer in ("Möte kl 14", "valda myndigheter", "Tullverket"):
        await _say(coord, answer)
    old = await _say(coord, "KLAR")
    assert "Send to 1" in old.button_texts()  # Tove, of Customs
    await _say(coord, "tillbaka")
    new = await _say(coord, "Everyone in my groups")
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
