"""Tests of the fake Bot API's conversation flows: edits, buttons, files, commands, and a
real python-telegram-bot Application talking to it."""

# Optional PTB attributes are dereferenced directly: a None there fails the test anyway.
# mypy: disable-error-code="union-attr"

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.fakebot import FakeBotApi, FakeUser
from tests.fakebot.conftest import keyboard, spec_conform


async def test_edits(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    message = await bot.send_message(anna.id, "Fråga?", reply_markup=keyboard(("Ja", "yes")))
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "Fråga?", anna.id, message.message_id, reply_markup=keyboard(("Ja", "yes"))
        )
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(
            anna.id, message.message_id, reply_markup=keyboard(("Ja", "yes"))
        )
    edited = await bot.edit_message_text(
        "<b>Svar</b>", anna.id, message.message_id, parse_mode="HTML"
    )
    assert edited.text == "Svar" and edited.edit_date is not None
    assert edited.reply_markup is None, "an edit without reply_markup drops the keyboard"
    assert anna.last.edits == 1 and anna.last.entities_text == "Svar"
    assert anna.last.buttons() == []
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", anna.id, 9999)
    await bot.delete_message(anna.id, message.message_id)
    assert anna.messages == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(anna.id, message.message_id)
    assert len(server.rejections) == 4


async def test_press_produces_callback_query(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    await bot.send_message(
        anna.id, "Kommer du?", reply_markup=keyboard(("Ja", "rsvp:1"), ("Nej", "rsvp:0"))
    )
    query_id = await anna.press(anna.last, "Ja")
    await anna.press(anna.last, "rsvp:0")
    forged = await anna.press_data(anna.last, "admin:delete_all")
    with pytest.raises(AssertionError, match=r"(?i)no inline button 'Kanske'"):
        await anna.press(anna.last, "Kanske")
    raw_update = server.state.updates[-3]
    parsed = Update.de_json(raw_update, bot)
    assert parsed.callback_query.id == query_id and parsed.callback_query.data == "rsvp:1"
    assert parsed.callback_query.message.message_id == anna.last.message_id
    assert parsed.callback_query.message.reply_markup.inline_keyboard[0][1].text == "Nej"
    updates = await bot.get_updates(timeout=0)
    assert [u.callback_query.data for u in updates[-3:]] == [
        "rsvp:1",
        "rsvp:0",
        "admin:delete_all",
    ]
    assert await bot.answer_callback_query(query_id, "Tack!", show_alert=True)
    assert server.callback_answers[query_id] == {
        "text": "Tack!",
        "show_alert": True,
        "url": None,
        "cache_time": None,
    }
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("123")
    assert forged in server.state.pending_queries


async def test_reply_and_location_from_user(bot: Bot, anna: FakeUser) -> None:
    await bot.send_message(anna.id, "Var är du?")
    await anna.reply(anna.last, "Här")
    await anna.share_location(59.41, 17.92, horizontal_accuracy=20.0)
    updates = await bot.get_updates(timeout=0)
    reply, location = updates[-2].message, updates[-1].message
    assert reply.reply_to_message.text == "Var är du?" and reply.text == "Här"
    assert (location.location.latitude, location.location.horizontal_accuracy) == (59.41, 20.0)


async def test_venues_both_ways(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    sent = await bot.send_venue(anna.id, 59.389, 17.929, "Torget", "Rinkeby", protect_content=True)
    assert (sent.venue.title, sent.venue.address, sent.location.latitude) == (
        "Torget", "Rinkeby", 59.389)  # fmt: skip
    assert anna.last.venue == {"location": {"latitude": 59.389, "longitude": 17.929},
                               "title": "Torget", "address": "Rinkeby"}  # fmt: skip
    assert anna.last.protect_content
    with pytest.raises(BadRequest, match="rong location"):
        await bot.send_venue(anna.id, 91.0, 17.929, "Torget", "Rinkeby")
    await anna.share_venue(59.4, 17.9, "Rinkeby Centrum", "Rinkebytorget 1")
    message = (await bot.get_updates(timeout=0))[-1].message
    assert (message.venue.title, message.venue.address) == ("Rinkeby Centrum", "Rinkebytorget 1")
    assert message.location.latitude == 59.4 and server.violations == []


async def test_documents_round_trip(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    content = b"namn,roll\nAnna,samordnare\n"
    await anna.upload_document("roster.csv", content, mime_type="text/csv", caption="Lista")
    update = (await bot.get_updates(timeout=0))[-1]
    document = update.message.document
    assert (document.file_name, document.mime_type, update.message.caption) == (
        "roster.csv",
        "text/csv",
        "Lista",
    )
    telegram_file = await bot.get_file(document.file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == content
    assert server.calls[-1].method == "downloadFile" and server.calls[-1].status == 200

    sent = await bot.send_document(
        anna.id, b"rapport", filename="rapport.txt", caption="<b>Vecka 1</b>", parse_mode="HTML"
    )
    assert sent.document.file_name == "rapport.txt" and sent.caption == "Vecka 1"
    assert server.documents[-1].document_bytes == b"rapport"
    assert server.documents[-1].document_name == "rapport.txt"
    assert str(anna.last) == "[document rapport.txt] Vecka 1"
    again = await bot.send_document(anna.id, sent.document.file_id)
    assert again.document.file_id == sent.document.file_id
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(anna.id, "no-such-file-id")
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("no-such-file-id")


async def test_commands_per_scope(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    await bot.set_my_commands([BotCommand("start", "Starta")])
    await bot.set_my_commands(
        [BotCommand("start", "Starta"), BotCommand("skift", "Mina skift")],
        scope=BotCommandScopeChat(anna.id),
    )
    assert server.commands_for(anna.id) == [("start", "Starta"), ("skift", "Mina skift")]
    assert server.commands_for(None) == [("start", "Starta")]
    fetched = await bot.get_my_commands(scope=BotCommandScopeChat(anna.id))
    assert [c.command for c in fetched] == ["start", "skift"]
    await bot.delete_my_commands(scope=BotCommandScopeChat(anna.id))
    assert server.commands_for(anna.id) == [] and server.commands_for(None) != []
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start", "Versaler")])
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.set_my_commands([BotCommand("a", "b")], scope=BotCommandScopeChat(777))
    assert server.violations == []


async def test_webhook_blocks_polling(server: FakeBotApi, bot: Bot) -> None:
    assert await bot.set_webhook("https://samverkan.example/hook", secret_token="s3cret")
    assert (await bot.get_webhook_info()).url == "https://samverkan.example/hook"
    with pytest.raises(Exception, match=r"(?i)webhook is active"):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()


async def test_wait_for_message_times_out_with_dump(
    server: FakeBotApi, bot: Bot, anna: FakeUser
) -> None:
    await bot.send_message(anna.id, "gammalt")
    with pytest.raises(AssertionError, match=r"(?i)no new message") as caught:
        await anna.wait_for_message(timeout=0.05)
    assert "gammalt" in str(caught.value)
    waiter = asyncio.create_task(anna.wait_for_message(lambda m: "nytt" in m.entities_text))
    await bot.send_message(anna.id, "annat")
    await bot.send_message(anna.id, "nytt")
    assert (await asyncio.wait_for(waiter, 2)).entities_text == "nytt"
    await anna.wait_for_count(3, timeout=0.1)


async def test_responses_conform_to_spec(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    await bot.send_message(
        anna.id, "<b>a</b>", parse_mode="HTML", reply_markup=keyboard(("a", "b"))
    )
    await anna.press(anna.last, "a")
    await anna.upload_document("x.csv", b"1,2")
    anna.block()
    anna.unblock()
    await bot.edit_message_text("c", anna.id, anna.last.message_id)
    await bot.send_document(anna.id, b"doc", filename="d.txt", protect_content=True)
    await bot.send_location(anna.id, 1.5, 2.5)
    await bot.get_updates(timeout=0)
    await bot.get_webhook_info()
    assert spec_conform(server) >= 7


async def test_ptb_application_end_to_end(server: FakeBotApi) -> None:
    user = server.user(1001, first_name="Anna", username="anna", language_code="sv")

    async def start(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_html(
            f"Hej <b>{update.message.from_user.first_name}</b>!",
            reply_markup=keyboard(("Ja", "yes")),
        )

    async def pressed(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Tack")
        await query.edit_message_text(f"Du svarade {query.data}")

    app = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            await user.send("/start")
            greeting = await user.wait_for_message()
            assert greeting.entities_text == "Hej Anna!" and greeting.button_texts() == ["Ja"]
            await user.press(greeting, "Ja")
            await server.wait_until(lambda: user.last.edits == 1)
        finally:
            await app.updater.stop()
            await app.stop()
    assert user.last.entities_text == "Du svarade yes"
    assert [a["text"] for a in server.callback_answers.values()] == ["Tack"]
    assert server.violations == [] and server.rejections == []


async def test_group_chats(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    await bot.get_updates(offset=-1, timeout=0)  # anna's /start is not the subject here
    team = server.group(-1001234567890, "Rinkeby team")
    with pytest.raises(Forbidden, match="not a member of the supergroup"):
        await bot.send_message(team.id, "hello?")
    team.add_bot(by=anna)
    await team.send(anna, "/flags@samverkan_test_bot")
    await team.send(anna, "just chatting")
    updates = await bot.get_updates(offset=-3, timeout=0)
    joined, command, chatting = updates[-3:]
    change = joined.my_chat_member
    assert change.chat.type == "supergroup" and change.chat.title == "Rinkeby team"
    assert change.from_user.id == anna.id
    assert (change.old_chat_member.status, change.new_chat_member.status) == ("left", "member")
    assert command.message.chat.id == team.id and command.message.from_user.id == anna.id
    assert command.message.entities[0].length == len("/flags@samverkan_test_bot")
    assert chatting.effective_chat.type == "supergroup"
    await bot.send_message(team.id, "Write to me privately")
    assert [m.entities_text for m in team.messages] == ["Write to me privately"]
    assert anna.messages == []  # nothing reached her private chat
    team.remove_bot(by=anna)
    with pytest.raises(Forbidden):
        await bot.send_message(team.id, "still here?")
    assert server.violations == []


async def test_channel_posts(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    await bot.get_updates(offset=-1, timeout=0)
    board = server.channel(-1009876543210, "Rinkeby board", owner=anna, bot_status="left")
    board.set_bot_rights("administrator")
    await board.post("Open Monday 9-17")
    joined, post = (await bot.get_updates(offset=-2, timeout=0))[-2:]
    assert joined.my_chat_member.new_chat_member.status == "administrator"
    assert post.channel_post.sender_chat.id == board.id and post.effective_user is None
    assert post.channel_post.text == "Open Monday 9-17"


async def test_edited_message(server: FakeBotApi, bot: Bot, anna: FakeUser) -> None:
    await bot.get_updates(offset=-1, timeout=0)
    sent = await anna.send("/checkin")
    await anna.edit(sent, "/flags")
    original, edited = (await bot.get_updates(offset=-2, timeout=0))[-2:]
    assert original.message.text == "/checkin"
    assert edited.edited_message.message_id == sent["message_id"]
    assert edited.edited_message.text == "/flags" and edited.edited_message.edit_date
    assert edited.edited_message.entities[0].type == "bot_command"
