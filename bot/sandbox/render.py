"""A chat as the web page shows it: each message as JSON, its text as Telegram's HTML.

The HTML is rebuilt from the entities the local Bot API server parsed, never passed through
from the bot: every character of text is escaped and the only tags are the ones Telegram
formats with, so nothing the bot (or a user) wrote can put markup of its own on the page.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlsplit

from bot.sandbox.botapi.methods import NOT_MODIFIED
from bot.sandbox.botapi.models import SentMessage
from bot.sandbox.botapi.server import FakeBotApi
from bot.sandbox.botapi.state import ChatLog

# Entity type -> (opening tag, closing tag); an entity not listed is shown as plain text.
_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ('<span class="tg-spoiler">', "</span>"),
    "code": ("<code>", "</code>"),
    "pre": ("<pre>", "</pre>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ("<blockquote>", "</blockquote>"),
}
_LINKS = ("text_link", "url")
_SAFE_SCHEMES = ("http", "https", "tg", "mailto")


def entities_html(text: str, entities: list[dict[str, Any]]) -> str:
    """Text with its entities as Telegram's HTML subset; everything else escaped."""
    units = text.encode("utf-16-le")

    def piece(start: int, end: int) -> str:
        return units[start * 2 : end * 2].decode("utf-16-le")

    opens: dict[int, list[dict[str, Any]]] = {}
    for entity in sorted(entities, key=lambda e: (e["offset"], -e["length"])):
        if entity["type"] in _TAGS or entity["type"] in _LINKS:
            opens.setdefault(entity["offset"], []).append(entity)
    ends = {e["offset"] + e["length"] for chosen in opens.values() for e in chosen}
    cuts = sorted({0, len(units) // 2, *opens, *ends})
    out: list[str] = []
    stack: list[tuple[int, str]] = []
    for here, following in zip(cuts, [*cuts[1:], None], strict=True):
        while stack and stack[-1][0] <= here:
            out.append(stack.pop()[1])
        for entity in opens.get(here, []):
            opening, closing = _tags(entity, piece(here, here + entity["length"]))
            out.append(opening)
            stack.append((here + entity["length"], closing))
        if following is not None:
            out.append(escape(piece(here, following)))
    out.extend(closing for _, closing in reversed(stack))
    return "".join(out)


def _tags(entity: dict[str, Any], covered: str) -> tuple[str, str]:
    if entity["type"] not in _LINKS:
        return _TAGS[entity["type"]]
    href = entity.get("url") or covered
    if urlsplit(href).scheme.lower() not in _SAFE_SCHEMES:
        return "", ""
    return f'<a href="{escape(href)}" target="_blank" rel="noopener noreferrer">', "</a>"


def message_json(raw: dict[str, Any], sent: SentMessage | None, file_url: str) -> dict[str, Any]:
    """One message, from the bot (`sent` given) or from the person, for the page."""
    if "caption" in raw:
        html = entities_html(raw["caption"], raw.get("caption_entities", []))
    else:
        html = entities_html(raw.get("text", ""), raw.get("entities", []))
    shown: dict[str, Any] = {
        "id": raw["message_id"],
        "mine": sent is None and "sender_chat" not in raw,
        "html": html,
        "edited": "edit_date" in raw,
        "protected": bool(raw.get("has_protected_content")),
        "album": raw.get("media_group_id"),
        "inline": _inline(raw.get("reply_markup")),
    }
    if "location" in raw:
        shown["location"] = {k: raw["location"][k] for k in ("latitude", "longitude")}
    if "venue" in raw:
        shown["venue"] = {k: raw["venue"][k] for k in ("title", "address")}
    if "photo" in raw:
        shown["photo"] = f"{file_url}/{raw['message_id']}"
    elif "document" in raw:
        shown["document"] = {
            "name": raw["document"].get("file_name", "document"),
            "size": raw["document"].get("file_size", 0),
            "url": f"{file_url}/{raw['message_id']}",
        }
    return shown


def _inline(markup: dict[str, Any] | None) -> list[list[dict[str, Any]]]:
    rows = (markup or {}).get("inline_keyboard", [])
    return [
        [{"text": b["text"], "url": b.get("url"), "press": "callback_data" in b} for b in row]
        for row in rows
    ]


def reply_keyboard(chat: ChatLog) -> dict[str, Any] | None:
    """The reply keyboard the person sees now: the last one the bot sent, unless it was
    removed since, or it was one-time and the person has written since."""
    last: SentMessage | None = None
    for sent in chat.history:
        markup = sent.reply_markup or {}
        if "keyboard" in markup or "remove_keyboard" in markup:
            last = sent
    if last is None or "keyboard" not in (last.reply_markup or {}):
        return None
    markup = last.reply_markup or {}
    if markup.get("one_time_keyboard") and any(
        message_id > last.message_id and "from" in raw and not raw["from"].get("is_bot")
        for message_id, raw in chat.messages.items()
    ):
        return None
    rows = [
        [
            {
                "text": b["text"] if isinstance(b, dict) else str(b),
                "location": bool(isinstance(b, dict) and b.get("request_location")),
            }
            for b in row
        ]
        for row in markup["keyboard"]
    ]
    return {"rows": rows, "placeholder": markup.get("input_field_placeholder")}


class Refusals:
    """What the local server refused the bot, by chat: each shown as an error bubble after
    the message that was the chat's last when it happened."""

    def __init__(self, api: FakeBotApi) -> None:
        self._api = api
        self._seen = 0
        self._by_chat: dict[int, list[dict[str, Any]]] = {}

    def of(self, chat_id: int) -> list[dict[str, Any]]:
        self.scan()
        return list(self._by_chat.get(chat_id, []))

    def scan(self) -> None:
        """File the refusals among the calls since the last scan."""
        calls = self._api.calls
        for call in calls[self._seen :]:
            chat_id = call.params.get("chat_id")
            description = call.description or ""
            if call.status != 400 or not isinstance(chat_id, int) or NOT_MODIFIED in description:
                continue
            chat = self._api.state.chats.get(chat_id)
            text = call.params.get("text") or call.params.get("caption") or ""
            self._by_chat.setdefault(chat_id, []).append(
                {
                    "after": chat.next_message_id - 1 if chat else 0,
                    "method": call.method,
                    "description": description,
                    "text": str(text)[:300],
                }
            )
        self._seen = len(calls)

    async def watch(self) -> None:
        """Scan on every change of the server, so a refusal lands where it happened."""
        while True:
            self.scan()
            await self._api.state.changed.wait(5.0)
