"""The web chat's HTML comes from Telegram's entities: only Telegram's tags, all text escaped."""

from __future__ import annotations

from bot.sandbox.botapi.formatting import parse_text
from bot.sandbox.botapi.models import SentMessage
from bot.sandbox.botapi.state import ChatLog, UserRecord
from bot.sandbox.render import entities_html, reply_keyboard


def html_of(markup: str) -> str:
    """What the page shows for a message the bot sent with parse_mode HTML."""
    parsed = parse_text(markup, "HTML", None)
    return entities_html(parsed.text, parsed.entities)


def test_telegram_formatting_comes_back_as_its_tags() -> None:
    shown = html_of("<b>Flagga #1</b> · <i>prioriterad</i>\n<code>K-1</code> <s>gammal</s>")
    assert shown == "<b>Flagga #1</b> · <i>prioriterad</i>\n<code>K-1</code> <s>gammal</s>"


def test_nested_entities_close_in_order() -> None:
    assert html_of("<b>fet <i>och kursiv</i></b> slut") == "<b>fet <i>och kursiv</i></b> slut"


def test_text_that_looks_like_markup_is_escaped() -> None:
    shown = html_of("&lt;script&gt;alert(1)&lt;/script&gt; &amp; <b>&lt;img onerror=x&gt;</b>")
    assert "<script>" not in shown and "<img" not in shown
    assert shown == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <b>&lt;img onerror=x&gt;</b>"


def test_offsets_are_utf16_so_emoji_do_not_shift_the_tags() -> None:
    assert html_of("🚩 <b>Flagga</b> 📍 <i>plats</i>") == "🚩 <b>Flagga</b> 📍 <i>plats</i>"


def test_links_keep_only_safe_schemes() -> None:
    text = "a b"
    safe = entities_html(text, [{"type": "text_link", "offset": 0, "length": 1,
                                 "url": "https://t.me/x"}])  # fmt: skip
    unsafe = entities_html(text, [{"type": "text_link", "offset": 2, "length": 1,
                                   "url": "javascript:alert(1)"}])  # fmt: skip
    assert safe.startswith('<a href="https://t.me/x" target="_blank"')
    assert unsafe == "a b"


def test_entities_the_page_does_not_style_are_plain_text() -> None:
    entities = [
        {"type": "bot_command", "offset": 0, "length": 6},
        {"type": "hashtag", "offset": 7, "length": 4},
    ]
    shown = entities_html("/start #tag", entities)
    assert shown == "/start #tag"


def sent(chat: ChatLog, message_id: int, markup: dict[str, object] | None) -> None:
    message = SentMessage(
        chat_id=1, message_id=message_id, text="x", parse_mode=None, entities_text="x",
        reply_markup=markup, protect_content=False, location=None, document_name=None,
        document_bytes=None, edits=0, raw={"message_id": message_id, "from": {"is_bot": True}},
    )  # fmt: skip
    chat.sent[message_id] = message
    chat.history.append(message)
    chat.messages[message_id] = message.raw


def test_reply_keyboard_is_the_last_one_until_removed_or_used_once() -> None:
    chat = ChatLog(UserRecord(1, "Anna"))
    assert reply_keyboard(chat) is None
    keyboard = {"keyboard": [[{"text": "📍 Dela plats", "request_location": True}],
                             ["Avbryt"]], "one_time_keyboard": True}  # fmt: skip
    sent(chat, 1, keyboard)
    sent(chat, 2, None)  # a message without a keyboard leaves it up
    shown = reply_keyboard(chat)
    assert shown is not None
    assert shown["rows"] == [
        [{"text": "📍 Dela plats", "location": True}],
        [{"text": "Avbryt", "location": False}],
    ]
    chat.messages[3] = {"message_id": 3, "from": {"is_bot": False}, "location": {}}
    assert reply_keyboard(chat) is None  # one-time: gone once the person answered
    sent(chat, 4, {"keyboard": [["Ja"]]})
    sent(chat, 5, {"remove_keyboard": True})
    assert reply_keyboard(chat) is None
