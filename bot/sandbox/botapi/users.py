"""Simulated Telegram users: what a person does in their private chat with the bot, and in
group chats the bot was added to."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from bot.sandbox.botapi.formatting import utf16_len
from bot.sandbox.botapi.media import image_size, voice
from bot.sandbox.botapi.models import DEFAULT_WAIT_S, SentMessage, bot_user
from bot.sandbox.botapi.state import ChatLog, GroupRecord, UserRecord

if TYPE_CHECKING:
    from bot.sandbox.botapi.server import FakeBotApi

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")

Predicate = Callable[[SentMessage], bool]
# The record behind a chat the test drives: a user's private chat, or a group.
Record = TypeVar("Record", UserRecord, GroupRecord)


def text_content(text: str) -> dict[str, Any]:
    """A text message's content; a leading /command gets a bot_command entity."""
    content: dict[str, Any] = {"text": text}
    command = _COMMAND.match(text)
    if command:
        length = utf16_len(command.group())
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return content


def chat_member(status: str) -> dict[str, Any]:
    """The bot as a ChatMember with this status, with the fields api.json requires."""
    member: dict[str, Any] = {"user": bot_user(), "status": status}
    if status == "kicked":
        member["until_date"] = 0  # Telegram marks a permanent ban with until_date 0
    if status == "administrator":
        rights = (
            "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members"
            " can_promote_members can_change_info can_invite_users can_post_stories"
            " can_edit_stories can_delete_stories can_post_messages can_edit_messages"
        )
        member.update({"can_be_edited": False, "is_anonymous": False})
        member.update(dict.fromkeys(rights.split(), True))
    return member


class ChatView(Generic[Record]):
    """What the bot sent to one chat, and waiting for more."""

    def __init__(self, server: FakeBotApi, record: Record) -> None:
        self._server = server
        self._record: Record = record

    @property
    def id(self) -> int:
        return self._record.id

    @property
    def messages(self) -> list[SentMessage]:
        """Bot messages in this chat as they are now: edits applied, deleted ones gone."""
        return list(self._chat.sent.values())

    @property
    def last(self) -> SentMessage:
        messages = self.messages
        if not messages:
            raise AssertionError(f"the bot has sent nothing to {self}\n{self.dump()}")
        return messages[-1]

    async def wait_for_message(
        self,
        predicate: Predicate | None = None,
        timeout: float = DEFAULT_WAIT_S,  # noqa: ASYNC109 - part of the test-facing signature
        *,
        earlier: bool = False,
    ) -> SentMessage:
        """The first message sent to this chat after this call began that matches predicate.

        With `earlier`, messages sent before the call count too: for a notification that
        another user's action may have caused before the test got round to waiting.
        """
        history = self._chat.history
        start = 0 if earlier else len(history)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for message in history[start:]:
                if predicate is None or predicate(message):
                    return message
            remaining = deadline - loop.time()
            if remaining <= 0:
                what = "message" if predicate is None else "message matching the predicate"
                raise AssertionError(
                    f"no new {what} to {self} within {timeout}s; "
                    f"{len(history) - start} other(s) arrived\n{self.dump()}"
                )
            await self._server.state.changed.wait(min(remaining, 0.05))

    async def wait_for_count(
        self,
        count: int,
        timeout: float = DEFAULT_WAIT_S,  # noqa: ASYNC109 - part of the test-facing signature
    ) -> list[SentMessage]:
        """Wait until the chat holds at least `count` bot messages; returns them."""
        await self._server.wait_until(
            lambda: len(self.messages) >= count,
            timeout,
            f"{self} to have {count} message(s), has {len(self.messages)}\n{self.dump()}",
        )
        return self.messages

    def dump(self) -> str:
        """The chat and the bot's recent requests about it, for assertion messages."""
        lines = [f"Chat with {self}{self._state_note()}:"]
        for message in self.messages:
            edited = f" (edited {message.edits}x)" if message.edits else ""
            buttons = f" buttons={message.button_texts()}" if message.button_texts() else ""
            lines.append(f"  #{message.message_id}{edited}: {message!s}{buttons}")
        if not self.messages:
            lines.append("  (no messages from the bot)")
        related = [c for c in self._server.calls if c.params.get("chat_id") == self.id]
        lines.append(f"Bot requests for this chat ({len(related)}, last 10):")
        for call in related[-10:]:
            outcome = "ok" if call.ok else f"{call.status} {call.description}"
            lines.append(f"  {call.method} -> {outcome}")
        if self._server.violations:
            lines.append("Spec violations (last 5):")
            lines.extend(f"  {v}" for v in self._server.violations[-5:])
        return "\n".join(lines)

    def message(self, message: SentMessage) -> SentMessage:
        """The current state of a message the bot sent to this chat (after any edits)."""
        return self._current(message)

    @property
    def _chat(self) -> ChatLog:
        return self._server.state.chats[self.id]

    def _state_note(self) -> str:
        return ""

    def _current(self, message: SentMessage) -> SentMessage:
        if message.chat_id != self.id:
            raise AssertionError(f"message {message.message_id} was sent to another chat")
        current = self._chat.sent.get(message.message_id)
        if current is None:
            raise AssertionError(f"message {message.message_id} to {self} has been deleted")
        return current

    def _push_message(self, sender: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        """A message from `sender` (a Telegram User) in this chat, as an update to the bot."""
        state = self._server.state
        message = state.add_message(self._chat, sender, content)
        state.push_update("message", message)
        return message

    def _push_callback(self, sender: dict[str, Any], message: dict[str, Any], data: str) -> str:
        """`sender` pressed a button of `message` that sends `data`; returns the query id."""
        state = self._server.state
        query_id = str(4_000_000_000_000_000_000 + state.next_sequence())
        state.pending_queries[query_id] = self._server.clock()
        payload = {
            "id": query_id,
            "from": sender,
            "message": message,
            "chat_instance": str(-7_000_000_000_000 - abs(self.id)),
            "data": data,
        }
        state.push_update("callback_query", payload)
        return query_id

    def _push_bot_status(self, by: dict[str, Any], old: str, new: str) -> None:
        """`by` changed the bot's standing in this chat: a my_chat_member update."""
        payload = {
            "chat": self._record.as_chat(),
            "from": by,
            "date": int(time.time()),
            "old_chat_member": chat_member(old),
            "new_chat_member": chat_member(new),
        }
        self._server.state.push_update("my_chat_member", payload)


class FakeUser(ChatView[UserRecord]):
    @property
    def first_name(self) -> str:
        return self._record.first_name

    @property
    def username(self) -> str | None:
        return self._record.username

    @property
    def started(self) -> bool:
        """True once the user has sent the bot anything (so the bot may write to them)."""
        return self._record.started

    @property
    def blocked(self) -> bool:
        return self._record.blocked

    def __repr__(self) -> str:
        return f"FakeUser({self.id}, {self.first_name!r})"

    async def send(self, text: str) -> dict[str, Any]:
        """The user sends a text message; a leading /command gets a bot_command entity."""
        return self._post(text_content(text))

    async def edit(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        """The user edits a text message they sent; the bot gets an edited_message update."""
        chat = self._chat
        if chat.messages.get(message["message_id"]) is None:
            raise AssertionError(f"message {message['message_id']} is not in {self}'s chat")
        edited = {key: value for key, value in message.items() if key not in ("text", "entities")}
        edited.update(text_content(text))
        edited["edit_date"] = max(int(time.time()), message["date"])
        chat.messages[message["message_id"]] = edited
        self._server.state.push_update("edited_message", edited)
        return edited

    async def share_location(
        self,
        latitude: float,
        longitude: float,
        horizontal_accuracy: float | None = None,
        live_period: int | None = None,
    ) -> dict[str, Any]:
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if horizontal_accuracy is not None:
            location["horizontal_accuracy"] = horizontal_accuracy
        if live_period is not None:
            location["live_period"] = live_period
        return self._post({"location": location})

    async def share_venue(
        self, latitude: float, longitude: float, title: str, address: str
    ) -> dict[str, Any]:
        """The user sends a named place (a client's "Send location" → a place from the list)."""
        location = {"latitude": latitude, "longitude": longitude}
        venue = {"location": location, "title": title, "address": address}
        return self._post({"venue": venue, "location": location})

    async def reply(self, message: SentMessage, text: str) -> dict[str, Any]:
        """The user replies to one of the bot's messages."""
        target = self._current(message).raw
        quoted = {key: value for key, value in target.items() if key != "reply_to_message"}
        return self._post({"text": text, "reply_to_message": quoted})

    async def upload_document(
        self,
        filename: str,
        data: bytes,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """The user sends a file; the bot can fetch it with getFile and a download."""
        stored = self._server.state.store_file(filename, mime_type, data)
        content: dict[str, Any] = {"document": stored.as_document()}
        if caption is not None:
            content["caption"] = caption
        return self._post(content)

    async def send_photo(self, data: bytes, caption: str | None = None) -> dict[str, Any]:
        """The user sends a photo (PNG or JPEG bytes); the bot can send it on by file_id."""
        size = image_size(data)
        if size is None:
            raise ValueError("send_photo takes PNG or JPEG bytes")
        stored = self._server.state.store_file("photo.jpg", "image/jpeg", data, size=size)
        content: dict[str, Any] = {"photo": stored.as_photo()}
        if caption is not None:
            content["caption"] = caption
        return self._post(content)

    async def send_voice(self, data: bytes) -> dict[str, Any]:
        """The user records a voice note; the bot can send it on by file_id."""
        stored = self._server.state.store_file("voice.ogg", "audio/ogg", data)
        return self._post({"voice": voice(stored)})

    async def press(self, message: SentMessage, button: str) -> str:
        """Press an inline button, found by its text or else by its callback_data.

        Returns the callback query id the bot should answer.
        """
        current = self._current(message)
        keyboard = current.raw.get("reply_markup", {}).get("inline_keyboard", [])
        buttons = [b for row in keyboard for b in row]
        chosen = next((b for b in buttons if b["text"] == button), None)
        if chosen is None:
            chosen = next((b for b in buttons if b.get("callback_data") == button), None)
        if chosen is None:
            raise AssertionError(
                f"message {current.message_id} to {self} has no inline button {button!r}; "
                f"buttons: {current.buttons()}"
            )
        if chosen.get("callback_data") is None:
            kinds = sorted(set(chosen) - {"text"})
            raise AssertionError(f"button {button!r} sends no callback_data (it has {kinds})")
        return self._callback(current.raw, chosen["callback_data"])

    async def press_data(self, message: SentMessage, data: str) -> str:
        """A callback query with arbitrary data, as a modified client could forge."""
        current = self._chat.sent.get(message.message_id)
        return self._callback(current.raw if current else message.raw, data)

    def block(self) -> None:
        """The user blocks the bot; the bot gets a my_chat_member update and 403s from now on."""
        if not self._record.blocked:
            self._record.blocked = True
            self._member_update("member", "kicked")

    def unblock(self) -> None:
        if self._record.blocked:
            self._record.blocked = False
            self._member_update("kicked", "member")

    def mark_started(self) -> None:
        """Let the bot write to this user, as if they had started it long ago.

        Unlike `send`, no update is queued, so the bot sees nothing: for scenes (such as
        benchmarks) of members who talked to the bot before the test began.
        """
        self._record.started = True

    def _state_note(self) -> str:
        return f" (started={self.started}, blocked={self.blocked})"

    def _activate(self) -> None:
        # A blocked bot only takes messages again after the user presses "Restart".
        self.unblock()
        self._record.started = True

    def _post(self, content: dict[str, Any]) -> dict[str, Any]:
        self._activate()
        return self._push_message(self._record.as_user(), content)

    def _callback(self, message: dict[str, Any], data: str) -> str:
        self._activate()
        return self._push_callback(self._record.as_user(), message, data)

    def _member_update(self, old: str, new: str) -> None:
        self._push_bot_status(self._record.as_user(), old, new)

    def as_user(self) -> dict[str, Any]:
        """This user as a Telegram User object."""
        return self._record.as_user()


class FakeGroup(ChatView[GroupRecord]):
    """A group or supergroup: people add the bot and write there (channels: FakeChannel)."""

    @property
    def bot_status(self) -> str:
        return self._record.bot_status

    def __repr__(self) -> str:
        return f"FakeGroup({self.id}, {self._record.title!r}, {self._record.type})"

    def add_bot(self, by: FakeUser, status: str = "member") -> None:
        """`by` adds the bot (as a member, or an administrator)."""
        self._set_bot_status(by, status)

    def remove_bot(self, by: FakeUser) -> None:
        self._set_bot_status(by, "left")

    async def send(self, user: FakeUser, text: str) -> dict[str, Any]:
        """`user` writes in the group; a leading /command gets a bot_command entity."""
        return self._post(user, text_content(text))

    async def share_location(self, user: FakeUser, latitude: float, longitude: float) -> None:
        self._post(user, {"location": {"latitude": latitude, "longitude": longitude}})

    async def press_data(self, user: FakeUser, message: dict[str, Any], data: str) -> str:
        """A callback query from a message in the group, as a modified client could forge."""
        return self._push_callback(user.as_user(), message, data)

    def _state_note(self) -> str:
        return f" (bot {self.bot_status})"

    def _post(self, user: FakeUser, content: dict[str, Any]) -> dict[str, Any]:
        return self._push_message(user.as_user(), content)

    def _set_bot_status(self, by: FakeUser, status: str) -> None:
        old, self._record.bot_status = self._record.bot_status, status
        self._push_bot_status(by.as_user(), old, status)
