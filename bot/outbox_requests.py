"""The Bot API request that delivers one outbox message: a text, a place, a photo or voice
note, or an edit of a message sent before."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.domain.outbox import VENUE, Keyboard, OutboxMessage, venue_parts


def markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """The Telegram form of a stored keyboard."""
    if keyboard is None:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.text, url=b.url)
                if b.url
                else InlineKeyboardButton(b.text, callback_data=b.data)
                for b in row
            ]
            for row in keyboard
        ]
    )


async def request(bot: Bot, message: OutboxMessage, target: int | None) -> int | None:
    """Send (or edit) one message; Telegram's id of the message sent, None for an edit."""
    if message.kind == "send" and message.location is not None and message.media == VENUE:
        title, address = venue_parts(message.text)
        place = await bot.send_venue(
            message.chat_id,
            latitude=message.location[0],
            longitude=message.location[1],
            title=title,
            address=address,
            protect_content=message.protect_content or None,
        )
        return place.message_id
    if message.kind == "send" and message.location is not None:
        pin = await bot.send_location(
            message.chat_id,
            latitude=message.location[0],
            longitude=message.location[1],
            protect_content=message.protect_content or None,
        )
        return pin.message_id
    if message.kind == "send" and message.media is not None:
        kind, _sep, file_id = message.media.partition(":")
        send = bot.send_photo if kind == "photo" else bot.send_voice
        sent_file = await send(
            message.chat_id,
            file_id,
            caption=message.text or None,
            parse_mode=ParseMode.HTML,
            protect_content=message.protect_content or None,
        )
        return sent_file.message_id
    if message.kind == "send":
        sent = await bot.send_message(
            message.chat_id,
            message.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(message.keyboard),
            protect_content=message.protect_content or None,
        )
        return sent.message_id
    await bot.edit_message_text(
        message.text,
        chat_id=message.chat_id,
        message_id=target,
        parse_mode=ParseMode.HTML,
        reply_markup=markup(message.keyboard),
    )
    return None
