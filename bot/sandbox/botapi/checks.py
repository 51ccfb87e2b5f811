"""What Telegram checks in a message's content: its text or caption and its inline keyboard."""

from __future__ import annotations

from typing import Any

from bot.sandbox.botapi.formatting import (
    EntityParseError,
    ParsedText,
    UnsupportedParseMode,
    parse_text,
)
from bot.sandbox.botapi.settings import bad_request

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
# Button fields that decorate a button rather than say what pressing it does.
_BUTTON_DECORATION = frozenset({"text", "icon_custom_emoji_id", "style"})


def parse(text: str, parse_mode: str | None, entities: Any, *, caption: bool) -> ParsedText:
    """The text with its entities, or Telegram's refusal of a bad, long or empty one."""
    try:
        parsed = parse_text(text, parse_mode, entities)
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None
    except UnsupportedParseMode:
        raise bad_request("unsupported parse_mode") from None
    if caption and parsed.length > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    if not caption and parsed.length > TEXT_LIMIT:
        raise bad_request("message is too long")
    if not caption and not parsed.text:
        raise bad_request("message text is empty")
    return parsed


def caption(source: dict[str, Any]) -> ParsedText:
    """The caption of a request or of an album's item, checked as Telegram checks it."""
    if source.get("caption") is None:
        return ParsedText("")
    return parse(
        source["caption"], source.get("parse_mode"), source.get("caption_entities"), caption=True
    )


def inline_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Check reply_markup like Telegram; return the inline keyboard a Message carries."""
    rows = (markup or {}).get("inline_keyboard")
    if rows is None:
        # Reply keyboards, ForceReply and keyboard removal are not part of the Message.
        return None
    for row in rows:
        for button in row:
            if not [key for key in button if key not in _BUTTON_DECORATION]:
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                raise bad_request("BUTTON_DATA_INVALID")
            if button.get("url") is not None and not button["url"].strip():
                raise bad_request("BUTTON_URL_INVALID")
    return markup if any(rows) else None
