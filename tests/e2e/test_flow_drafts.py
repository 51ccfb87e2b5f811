"""Several flows begun one after another: typed text goes to the draft whose question is
open (the latest), an empty draft left for another flow is dropped, a capitalised command is
answered once, and a draft's own question stays open as long as the draft."""

from __future__ import annotations

from bot.domain.retention import DataClass, Retention
from bot.services import privacy
from handlers.context import BotApplication
from storage.store import Store
from tests.chatkit import people, say, start_notice
from tests.e2e.test_unfinished import WAITING, _flag_up_to_the_description
from tests.factories import FakeClock
from tests.fakebot import FakeBotApi, FakeUser, SentMessage


async def _member_id(store: Store, telegram_id: int) -> int:
    async with store.read() as tx:
        member = await tx.members.by_telegram_id(telegram_id)
    assert member is not None
    return member.id


async def _replies_to(server: FakeBotApi, user: FakeUser, text: str) -> list[SentMessage]:
    """Every message the bot sent for `text`, the flag waiting at its description (a /help
    after it marks where they end: one person's updates are handled in turn; the help
    shows the flag's question again after it)."""
    before = len(user.messages)
    await user.send(text)
    await user.send("/help")
    helped = await user.wait_for_message(lambda m: "What you can do" in m.entities_text)
    end = user.messages.index(helped)
    await server.wait_until(
        lambda: any(m.entities_text.startswith(WAITING) for m in user.messages[end:])
    )
    return user.messages[before:end]


async def test_text_typed_after_a_second_flow_begins_goes_to_that_flow(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    anna = (await people(bot_store, server, 940))["anna"]
    await anna.send("/flag")  # and nothing chosen: nothing would be lost
    await anna.wait_for_message(lambda m: "New flag" in m.entities_text)
    await anna.send("/log")
    await anna.wait_for_message(lambda m: "Log work" in m.entities_text)
    assert "What did you do?" in (await say(anna, "relationsbyggande")).entities_text
    async with bot_store.read() as tx:
        assert await tx.flags.draft(await _member_id(bot_store, 941)) is None
    assert (await say(anna, "Tullverket")).entities_text != "✓ Customs"
    cancelled = await say(anna, "/cancel")
    assert cancelled.entities_text == "Work log entry cancelled — nothing was saved."


async def test_an_empty_notice_left_for_a_flag_is_not_asked_again(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    coord = (await people(bot_store, server, 940))["coord"]
    await start_notice(coord)
    await coord.send("/flag")
    await coord.wait_for_message(lambda m: "New flag" in m.entities_text)
    await say(coord, "Tullverket")
    await say(coord, "next")
    await say(coord, "svartarbete")
    await say(coord, "Brådskande!")
    await coord.send("Svartarbete på bygget vid torget")
    where = await coord.wait_for_message(lambda m: "Share a location" in m.entities_text)
    await coord.press(where, "Skip")
    await server.wait_until(lambda: "Is this right?" in coord.message(where).entities_text)
    shown = len(coord.messages)
    await coord.press(where, "🚩 Raise the flag")
    await server.wait_until(lambda: "Is this right?" not in coord.message(where).entities_text)
    await coord.send("/help")
    await coord.wait_for_message(lambda m: "What you can do" in m.entities_text)
    assert not [m for m in coord.messages[shown:] if "Write the notice" in m.entities_text]
    async with bot_store.read() as tx:
        assert await tx.notices.draft(await _member_id(bot_store, 940)) is None


async def test_a_capitalised_flow_command_is_answered_once(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    anna = (await people(bot_store, server, 940))["anna"]
    await _flag_up_to_the_description(server, anna)
    for command in ("/log", "/Log", "/LOG", "/Flag"):
        replies = await _replies_to(server, anna, command)
        assert [m.entities_text[:30] for m in replies] == ["You have an unfinished flag (T"]
        assert not [m for m in replies if m.entities_text.startswith(WAITING)]


async def test_a_description_typed_after_the_hour_is_taken(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    anna = (await people(bot_store, server, 940))["anna"]
    await _flag_up_to_the_description(server, anna)
    clock.advance(minutes=61)
    got = await say(anna, "Hot mot personal vid torget")
    assert "Share a location" in got.entities_text


async def test_a_question_asked_again_keeps_its_draft_from_the_purge(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    anna = (await people(bot_store, server, 940))["anna"]
    await _flag_up_to_the_description(server, anna)
    clock.advance(minutes=50)
    await anna.send("/onduty")  # a quick command: the draft's question is shown again
    await anna.wait_for_message(lambda m: m.entities_text.startswith(WAITING))
    clock.advance(minutes=20)
    await privacy.purge(bot_store, Retention(), clock(), classes=[DataClass.DRAFTS])
    got = await say(anna, "Hot mot personal vid torget")
    assert "Share a location" in got.entities_text
