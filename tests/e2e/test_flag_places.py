"""A flag's place reaches its targets as a real Telegram venue when it has a name (the
group's office, a place typed or chosen in Telegram), else as a location pin; protected."""

from __future__ import annotations

import asyncio

from bot.domain.flags import DraftStep
from bot.services import boards
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import START
from tests.fakebot import FakeBotApi, FakeUser, SentMessage
from tests.flagkit import copies, scene, to_description

GROUP_OFFICE = {"latitude": 59.388, "longitude": 17.928}  # make_group's office
STALE = "This button is no longer valid."
IDENTITY = "The text contains a personal identity or co-ordination number."


async def _drained(store: Store, chat_id: int) -> bool:
    """Nothing for the chat is still to go out (or going) through the outbox."""
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND state IN ('pending', 'sending')",
            (chat_id,),
        )
    return int(rows[0][0]) == 0


async def _held(store: Store, chat_id: int) -> bool:
    """Everything queued for the chat waits for its member to be back."""
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT state FROM outbox WHERE chat_id = ? AND kind = 'send'", (chat_id,)
        )
    return bool(rows) and {r[0] for r in rows} == {"held"}


async def _settle(server: FakeBotApi, store: Store, *chat_ids: int) -> None:
    """Wait until the outbox has sent (or given up) everything for these chats."""
    for chat in chat_ids:
        await server.wait_until(lambda c=chat: _drained(store, c))


async def _next(server: FakeBotApi, user: FakeUser, after: int, needle: str) -> SentMessage:
    """The first message after message `after` that says this (as it is now)."""

    def found() -> SentMessage | None:
        return next((m for m in user.messages
                     if m.message_id > after and needle in m.entities_text), None)  # fmt: skip

    await server.wait_until(lambda: found() is not None)
    message = found()
    assert message is not None
    return message


async def _to_place_step(server: FakeBotApi, user: FakeUser, text: str) -> SentMessage:
    """/flag to TULL, routine, described: the step that asks where."""
    mark = user.last.message_id
    await user.send("/flag")
    wizard = await _next(server, user, mark, "New flag")
    await to_description(server, user, wizard, "TULL", "routine")
    await user.send(text)
    return await _next(server, user, wizard.message_id, "Share a location")


async def _raise(server: FakeBotApi, user: FakeUser, step: SentMessage) -> tuple[int, str]:
    """Raise from the summary that followed the place step; (the number, what it said)."""
    summary = await _next(server, user, step.message_id - 1, "Is this right?")
    said = summary.entities_text
    await user.press(summary, "🚩 Raise the flag")
    await server.wait_until(lambda: "is raised" in user.message(summary).entities_text)
    return int(user.message(summary).entities_text.split("#")[1].split()[0]), said


async def _place(server: FakeBotApi, user: FakeUser, number: int) -> SentMessage:
    """The place message that follows the user's card of the flag."""
    await server.wait_until(lambda: len(copies(user, number)) == 1)
    card = next(m for m in user.messages if f"Flag #{number} ·" in m.entities_text)
    place = await user.wait_for_message(lambda m: m.location is not None, earlier=True)
    assert place.message_id > card.message_id and place.protect_content
    return place


async def _office_scene(
    server: FakeBotApi, store: Store
) -> tuple[dict[int, FakeUser], SentMessage]:
    """The scene, Rinkeby's office on its board, and Anna on the place step of a flag."""
    users = await scene(store, server)
    await boards.set_office(store, "Rinkeby", address="Skolvägen 1", hours=None,
                            contact=None, english=None, now=START)  # fmt: skip
    return users, await _to_place_step(server, users[601], "Bråk vid entrén")


async def test_the_office_goes_as_a_venue(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users, step = await _office_scene(server, bot_store)
    anna, tove = users[601], users[611]
    office = next(d for row in step.buttons() for label, d in row if label == "🏢 At the office")
    await anna.press(step, "🏢 At the office")
    number, summary = await _raise(server, anna, step)
    assert "Location: The office in Rinkeby" in summary
    await _place(server, tove, number)
    await _settle(server, bot_store, 601, 611)
    seen = {uid: len(users[uid].messages) for uid in (601, 611)}
    for presser in (tove, anna):  # someone else's draft, and a draft already raised
        query = await presser.press_data(presser.last, office)
        await server.wait_until(lambda q=query: q in server.callback_answers)
        assert server.callback_answers[query]["text"] == STALE
    await _settle(server, bot_store, 601, 611)
    assert {uid: len(users[uid].messages) for uid in (601, 611)} == seen
    assert not copies(tove, number + 1)

    venue = await _place(server, tove, number)
    assert venue.venue == {"location": GROUP_OFFICE, "title": "The office in Rinkeby",
                           "address": "Skolvägen 1"}  # fmt: skip
    assert "📍 The office in Rinkeby" in copies(tove, number)[0]
    assert server.calls_to("sendLocation") == [] and server.rejections == []


async def test_a_typed_place_with_its_pin_and_a_place_chosen_in_telegram_go_as_venues(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await scene(bot_store, server)
    anna, tove = users[601], users[611]
    step = await _to_place_step(server, anna, "Mopeder på torget")
    await anna.send("Rinkebytorget <norra>")
    asked = await _next(server, anna, step.message_id, "📍 Rinkebytorget <norra>")
    assert "share where it is" in asked.entities_text
    await anna.share_location(59.389, 17.929)
    number, summary = await _raise(server, anna, asked)
    assert "Location: Rinkebytorget <norra>" in summary
    venue = await _place(server, tove, number)
    assert venue.venue == {"location": {"latitude": 59.389, "longitude": 17.929},
                           "title": "Rinkebytorget <norra>", "address": "Rinkeby"}  # fmt: skip

    step = await _to_place_step(server, anna, "Samma mopeder")
    await anna.share_venue(59.3885, 17.9275, "Rinkeby Centrum", "Rinkebytorget 1")
    second, _said = await _raise(server, anna, step)
    await server.wait_until(lambda: len(copies(tove, second)) == 1)
    chosen = await tove.wait_for_message(
        lambda m: m.venue is not None and m.message_id > venue.message_id, earlier=True
    )
    assert chosen.venue == {"location": {"latitude": 59.3885, "longitude": 17.9275},
                            "title": "Rinkeby Centrum", "address": "Rinkebytorget 1"}  # fmt: skip
    assert server.calls_to("sendLocation") == [] and server.rejections == []


async def test_a_bare_pin_goes_as_a_location_and_a_place_without_one_as_text(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await scene(bot_store, server)
    anna, tove = users[601], users[611]
    step = await _to_place_step(server, anna, "Okänd bil")
    await anna.share_location(59.389, 17.929)
    number, _said = await _raise(server, anna, step)
    pin = await _place(server, tove, number)
    assert pin.venue is None and pin.location == {"latitude": 59.389, "longitude": 17.929}

    step = await _to_place_step(server, anna, "Okänd bil igen")
    await anna.send("Bakom skolan")
    asked = await _next(server, anna, step.message_id, "📍 Bakom skolan")
    await anna.press(asked, "Next ▶")
    second, summary = await _raise(server, anna, asked)
    assert "Location: Bakom skolan" in summary
    await server.wait_until(lambda: len(copies(tove, second)) == 1)
    await _settle(server, bot_store, 611)
    assert "📍 Bakom skolan" in copies(tove, second)[0]
    assert len([m for m in tove.messages if m.location is not None]) == 1  # the first only
    assert server.rejections == []


async def test_a_pin_shared_after_going_back_from_the_office_goes_as_a_plain_location(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users, step = await _office_scene(server, bot_store)
    anna, tove = users[601], users[611]
    await anna.press(step, "🏢 At the office")
    summary = await _next(server, anna, step.message_id - 1, "Is this right?")
    await anna.press(summary, "◀ Back")
    again = await _next(server, anna, summary.message_id - 1, "(5/6)")
    asked_anew = again.entities_text
    await anna.share_location(59.389, 17.929)
    number, said = await _raise(server, anna, again)
    assert "The office" not in said
    pin = await _place(server, tove, number)
    assert pin.venue is None and pin.location == {"latitude": 59.389, "longitude": 17.929}
    assert server.calls_to("sendVenue") == [] and server.rejections == []
    assert "Share a location" in asked_anew and "📍" not in asked_anew  # asked afresh


async def test_a_flag_withdrawn_before_its_place_went_out_never_sends_it(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await scene(bot_store, server)
    anna, tove = users[601], users[611]
    late = server.hold("sendMessage", chat_id=611)  # Tove's card, and so her place after it
    step = await _to_place_step(server, anna, "Mopeder på torget")
    await anna.share_venue(59.3885, 17.9275, "Rinkeby Centrum", "Rinkebytorget 1")
    number, _said = await _raise(server, anna, step)
    await asyncio.wait_for(late.arrived.wait(), 5)
    tove.block()  # refused (403): what is queued for her waits until she is back
    late.release()
    await server.wait_until(lambda: _held(bot_store, 611))
    await server.wait_until(lambda: len(copies(anna, number)) == 1)
    card = next(m for m in anna.messages if f"Flag #{number} ·" in m.entities_text)
    await anna.press(anna.message(card), "↩ Withdraw")
    await server.wait_until(lambda: "Withdrawn." in copies(anna, number)[0])
    tove.unblock()
    await tove.send("/help")  # back: what was held for her is released
    await tove.wait_for_message(lambda m: "What you can do" in m.entities_text)
    await _settle(server, bot_store, 611)
    assert "Withdrawn." in copies(tove, number)[0]  # her card went out, as withdrawn
    assert [m for m in tove.messages if m.venue is not None] == []


async def test_a_place_chosen_in_telegram_is_screened_like_a_typed_one(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await scene(bot_store, server)
    anna = users[601]
    step = await _to_place_step(server, anna, "Mopeder på torget")
    for title, address in (("Hos 121212-1212", "Rinkebytorget 1"),
                           ("Rinkeby Centrum", "c/o 19121212-1212")):  # fmt: skip
        mark = anna.last.message_id
        await anna.share_venue(59.3885, 17.9275, title, address)
        refused = await _next(server, anna, mark, IDENTITY)
        assert "121212" not in refused.entities_text
    async with bot_store.read() as tx:
        member = await tx.members.by_telegram_id(601)
        assert member is not None
        draft = await tx.flags.draft(member.id)
    assert draft is not None and draft.step is DraftStep.LOCATION
    assert (draft.place, draft.place_address, draft.lat) == (None, None, None)
    assert "Share a location" in anna.message(step).entities_text
