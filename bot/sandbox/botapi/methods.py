"""Bot API messaging methods, refusing what Telegram refuses with Telegram's wording.

Handlers receive params already decoded and checked against api.json, so they only enforce
Telegram's content and chat rules (the content's own checks are in checks.py, files in
media.py). getUpdates lives in server.py because it waits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bot.sandbox.botapi import checks, media
from bot.sandbox.botapi.formatting import ParsedText, utf16_len
from bot.sandbox.botapi.models import BOT_ID, ApiError, SentMessage, bot_user
from bot.sandbox.botapi.ratelimit import Limits, RateLimiter
from bot.sandbox.botapi.settings import Handler, bad_request
from bot.sandbox.botapi.state import ChannelRecord, ChatLog, State, StoredFile

CALLBACK_ANSWER_LIMIT = 200
# Telegram stops accepting answers to a callback query after roughly this many seconds.
CALLBACK_QUERY_TTL = 15.0
ALBUM_SIZES = range(2, 11)

QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_LIVE_FOREVER = 0x7FFFFFFF


class Methods:
    def __init__(
        self,
        state: State,
        limiter: RateLimiter,
        limits: Callable[[], Limits],
        clock: Callable[[], float],
    ) -> None:
        self.state = state
        self._limiter = limiter
        self._limits = limits
        self._clock = clock

    def table(self) -> dict[str, Handler]:
        return {
            "sendMessage": self.send_message,
            "sendDocument": self.send_document,
            "sendMediaGroup": self.send_media_group,
            "sendPhoto": self.send_photo,
            "sendLocation": self.send_location,
            "sendVenue": self.send_venue,
            "sendVoice": self.send_voice,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
        }

    def send_message(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self.resolve_chat(p["chat_id"])
        parsed = checks.parse(p["text"], p.get("parse_mode"), p.get("entities"), caption=False)
        content: dict[str, Any] = {"text": parsed.text}
        if parsed.entities:
            content["entities"] = parsed.entities
        sent = self._deliver(
            chat, p, content, text=p["text"], entities_text=parsed.text, entities=parsed.entities
        )
        return sent.raw

    def send_document(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self.resolve_chat(p["chat_id"])
        parsed = checks.caption(p)
        stored = media.document(self.state, p["document"])
        content: dict[str, Any] = {"document": stored.as_document()}
        sent = self._deliver_file(chat, p, content, parsed, stored, caption=p.get("caption"))
        self.state.documents.append(sent)
        return sent.raw

    def send_photo(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self.resolve_chat(p["chat_id"])
        stored = media.photo(self.state, p["photo"])
        parsed = checks.caption(p)
        content: dict[str, Any] = {"photo": stored.as_photo()}
        message = self._deliver_file(chat, p, content, parsed, stored, caption=parsed.text or None)
        self.state.photos.append(message)
        return message.raw

    def send_media_group(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self.resolve_chat(p["chat_id"])
        items = p["media"]
        if len(items) not in ALBUM_SIZES:
            raise bad_request("MEDIA_GROUP_COUNT_INVALID: an album holds 2 to 10 items")
        if any(item["type"] != "photo" for item in items):
            raise bad_request("the fake Bot API serves albums of photos only")
        prepared = []
        for item in items:
            prepared.append((media.photo(self.state, item["media"]), checks.caption(item)))
        if p.get("reply_markup") is not None:
            raise bad_request("albums cannot carry a keyboard")
        self._throttle(chat.id, counts_globally=True)
        group_id = f"{13_000_000_000 + self.state.next_sequence()}"
        sent = []
        for stored, parsed in prepared:
            content: dict[str, Any] = {"media_group_id": group_id, "photo": stored.as_photo()}
            message = self._deliver_file(
                chat, {**p, "reply_markup": None}, content, parsed, stored,
                caption=parsed.text or None, throttle=False,
            )  # fmt: skip
            self.state.photos.append(message)
            sent.append(message.raw)
        return sent

    def send_voice(self, p: dict[str, Any]) -> dict[str, Any]:
        """A voice note (by upload or by a known file_id), with its caption."""
        stored = media.document(self.state, p["voice"])
        chat = self.resolve_chat(p["chat_id"])
        parsed = checks.caption(p)
        content: dict[str, Any] = {"voice": media.voice(stored)}
        sent = self._deliver_file(chat, p, content, parsed, stored, caption=parsed.text or None)
        return sent.raw

    def send_location(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self.resolve_chat(p["chat_id"])
        latitude, longitude = p["latitude"], p["longitude"]
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise bad_request("wrong location specified")
        accuracy = p.get("horizontal_accuracy")
        if accuracy is not None and not 0 <= accuracy <= 1500:
            raise bad_request("wrong horizontal accuracy specified")
        live = p.get("live_period")
        if live is not None and not (60 <= live <= 86400 or live == _LIVE_FOREVER):
            raise bad_request("wrong live period specified")
        location: dict[str, Any] = {"latitude": float(latitude), "longitude": float(longitude)}
        for key in ("horizontal_accuracy", "live_period", "heading", "proximity_alert_radius"):
            if p.get(key) is not None:
                location[key] = p[key]
        sent = self._deliver(chat, p, {"location": location}, location=location)
        return sent.raw

    def send_venue(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self.resolve_chat(p["chat_id"])
        latitude, longitude = p["latitude"], p["longitude"]
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise bad_request("wrong location specified")
        if not p["title"].strip():
            raise bad_request("venue title is empty")
        location = {"latitude": float(latitude), "longitude": float(longitude)}
        venue = {"location": location, "title": p["title"], "address": p["address"]}
        # Telegram's venue message carries its location too, as a client shows both.
        content = {"venue": venue, "location": location}
        sent = self._deliver(chat, p, content, location=location, venue=venue)
        return sent.raw

    def edit_message_text(self, p: dict[str, Any]) -> dict[str, Any]:
        chat, sent = self._editable(p)
        if sent.text is None:
            raise bad_request("there is no text in the message to edit")
        if p.get("text") is None:
            raise bad_request("message text is empty")
        parsed = checks.parse(p["text"], p.get("parse_mode"), p.get("entities"), caption=False)
        # Leaving out reply_markup removes the keyboard, exactly as on Telegram.
        inline = checks.inline_markup(p.get("reply_markup"))
        old = sent.raw
        if (parsed.text, parsed.entities, inline) == (
            old.get("text"),
            old.get("entities", []),
            old.get("reply_markup"),
        ):
            raise bad_request(NOT_MODIFIED)
        self._throttle(chat.id, counts_globally=False)
        sent.text, sent.parse_mode = p["text"], p.get("parse_mode")
        sent.entities_text, sent.entities = parsed.text, parsed.entities
        changes: dict[str, Any] = {"text": parsed.text}
        if parsed.entities:
            changes["entities"] = parsed.entities
        return self._apply_edit(chat, sent, p, changes, inline, ("text", "entities"))

    def edit_message_reply_markup(self, p: dict[str, Any]) -> dict[str, Any]:
        chat, sent = self._editable(p)
        inline = checks.inline_markup(p.get("reply_markup"))
        if inline == sent.raw.get("reply_markup"):
            raise bad_request(NOT_MODIFIED)
        self._throttle(chat.id, counts_globally=False)
        return self._apply_edit(chat, sent, p, {}, inline, ())

    def delete_message(self, p: dict[str, Any]) -> bool:
        chat = self.resolve_chat(p["chat_id"], writing=False)
        if p["message_id"] not in chat.messages:
            raise bad_request("message to delete not found")
        del chat.messages[p["message_id"]]
        sent = chat.sent.pop(p["message_id"], None)
        if sent is not None:
            sent.deleted = True
        self.state.changed.notify()
        return True

    def answer_callback_query(self, p: dict[str, Any]) -> bool:
        query_id = p["callback_query_id"]
        created = self.state.pending_queries.get(query_id)
        if created is None or self._clock() - created > CALLBACK_QUERY_TTL:
            raise bad_request(QUERY_TOO_OLD)
        if utf16_len(p.get("text") or "") > CALLBACK_ANSWER_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        del self.state.pending_queries[query_id]
        self.state.callback_answers[query_id] = {
            "text": p.get("text"),
            "show_alert": bool(p.get("show_alert", False)),
            "url": p.get("url"),
            "cache_time": p.get("cache_time"),
        }
        self.state.changed.notify()
        return True

    def resolve_chat(self, chat_id: Any, *, writing: bool = True) -> ChatLog:
        if chat_id == BOT_ID:
            raise ApiError(403, "Forbidden: bot can't send messages to bots")
        chat = self._lookup(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat.channel is not None:
            return self._channel_rules(chat, chat.channel, writing=writing)
        if chat.group is not None:
            refusal = chat.group.refusal() if writing else None
            if refusal is not None:
                raise refusal
            return chat
        assert chat.user is not None
        if writing and not chat.user.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if writing and chat.user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _lookup(self, chat_id: Any) -> ChatLog | None:
        if isinstance(chat_id, int):
            return self.state.chats.get(chat_id)
        # Telegram resolves "@name" for public channels only, never a user's @username.
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            found = self.state.channel_names.get(chat_id[1:].lower())
            return self.state.chats.get(found) if found is not None else None
        return None

    def _channel_rules(self, chat: ChatLog, channel: ChannelRecord, *, writing: bool) -> ChatLog:
        if not channel.bot_is_in and channel.username is None:
            raise bad_request("chat not found")  # a private channel the bot cannot see
        if writing and not channel.bot_is_in:
            raise ApiError(403, "Forbidden: bot is not a member of the channel chat")
        if writing and not (channel.bot_is_admin and channel.can_post_messages):
            raise bad_request("need administrator rights in the channel chat")
        return chat

    def _reply_to(self, chat: ChatLog, p: dict[str, Any]) -> dict[str, Any] | None:
        reply = p.get("reply_parameters")
        if not reply:
            return None
        target_chat = chat
        if reply.get("chat_id") not in (None, chat.id):
            target_chat = self.resolve_chat(reply["chat_id"], writing=False)
        target = target_chat.messages.get(reply["message_id"])
        if target is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return {key: value for key, value in target.items() if key != "reply_to_message"}

    def _throttle(self, chat_id: int, *, counts_globally: bool) -> None:
        wait = self._limiter.acquire(self._limits(), chat_id, counts_globally=counts_globally)
        if wait is not None:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)

    def _deliver_file(
        self,
        chat: ChatLog,
        p: dict[str, Any],
        content: dict[str, Any],
        parsed: ParsedText,
        stored: StoredFile,
        **fields: Any,
    ) -> SentMessage:
        """Deliver a message that carries a stored file and its caption."""
        if parsed.text:
            content["caption"] = parsed.text
        if parsed.entities:
            content["caption_entities"] = parsed.entities
        return self._deliver(
            chat, p, content, entities_text=parsed.text, entities=parsed.entities,
            document_name=stored.file_name, document_bytes=stored.data,
            document_mime=stored.mime_type, **fields,
        )  # fmt: skip

    def _deliver(
        self,
        chat: ChatLog,
        p: dict[str, Any],
        content: dict[str, Any],
        throttle: bool = True,
        **fields: Any,
    ) -> SentMessage:
        inline = checks.inline_markup(p.get("reply_markup"))
        reply_to = self._reply_to(chat, p)
        if throttle:  # an album is one request, throttled once before its messages
            self._throttle(chat.id, counts_globally=True)
        if inline is not None:
            content["reply_markup"] = inline
        if reply_to is not None:
            content["reply_to_message"] = reply_to
        if p.get("protect_content"):
            content["has_protected_content"] = True
        raw = self.state.add_message(chat, bot_user(), content)
        values: dict[str, Any] = {
            "text": None,
            "entities_text": "",
            "location": None,
            "document_name": None,
            "document_bytes": None,
            **fields,
        }
        sent = SentMessage(
            chat_id=chat.id,
            message_id=raw["message_id"],
            parse_mode=p.get("parse_mode"),
            reply_markup=p.get("reply_markup"),
            protect_content=bool(p.get("protect_content")),
            edits=0,
            raw=raw,
            **values,
        )
        chat.sent[sent.message_id] = sent
        chat.history.append(sent)
        self.state.changed.notify()
        return sent

    def _editable(self, p: dict[str, Any]) -> tuple[ChatLog, SentMessage]:
        if p.get("inline_message_id") is not None:
            raise bad_request("MESSAGE_ID_INVALID")
        if p.get("chat_id") is None or p.get("message_id") is None:
            raise bad_request("message identifier is not specified")
        chat = self.resolve_chat(p["chat_id"])
        if p["message_id"] not in chat.messages:
            raise bad_request("message to edit not found")
        sent = chat.sent.get(p["message_id"])
        if sent is None:
            raise bad_request("message can't be edited")
        return chat, sent

    def _apply_edit(
        self,
        chat: ChatLog,
        sent: SentMessage,
        p: dict[str, Any],
        changes: dict[str, Any],
        inline: dict[str, Any] | None,
        replaced: tuple[str, ...],
    ) -> dict[str, Any]:
        dropped = {*replaced, "reply_markup", "edit_date"}
        raw = {key: value for key, value in sent.raw.items() if key not in dropped}
        raw.update(changes)
        if inline is not None:
            raw["reply_markup"] = inline
        raw["edit_date"] = max(int(time.time()), raw["date"])
        sent.raw = raw
        sent.reply_markup = p.get("reply_markup")
        sent.edits += 1
        chat.messages[sent.message_id] = raw
        self.state.changed.notify()
        return raw
