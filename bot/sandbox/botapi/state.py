"""The in-memory world of the fake: users and their private chats, files, pending updates."""

from __future__ import annotations

import asyncio
import mimetypes
import time
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.botapi.models import ApiError, SentMessage
from bot.waiting import wait_at_most

# Update kinds Telegram withholds unless a bot asks for them explicitly in allowed_updates.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class Notifier:
    """Wakes every waiter on any change; waiters re-check their own condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Return on the next change, or after `seconds` at the latest."""
        await wait_at_most(self._event, seconds)


@dataclass
class UserRecord:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    started: bool = False
    blocked: bool = False

    def as_user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                user[key] = getattr(self, key)
        return user

    def as_chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name is not None:
            chat["last_name"] = self.last_name
        if self.username is not None:
            chat["username"] = self.username
        return chat


@dataclass
class ChannelRecord:
    """A channel and the bot's standing in it (bots join channels only as administrators)."""

    id: int
    title: str
    username: str | None = None
    owner: UserRecord | None = None
    # "administrator", "left" or "kicked"; "member" stands for a bot whose rights were removed.
    bot_status: str = "administrator"
    can_post_messages: bool = True
    can_edit_messages: bool = True

    def as_chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": "channel", "title": self.title}
        if self.username is not None:
            chat["username"] = self.username
        return chat

    @property
    def bot_is_admin(self) -> bool:
        return self.bot_status == "administrator"

    @property
    def bot_is_in(self) -> bool:
        return self.bot_status in ("administrator", "member")


@dataclass
class GroupRecord:
    """A group or supergroup (negative id), and the bot's status in it."""

    id: int
    title: str
    type: str = "supergroup"
    # "left", "member", "administrator" or "kicked".
    bot_status: str = "left"

    def as_chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "title": self.title}

    def refusal(self) -> ApiError | None:
        """Why the bot may not write here now (Telegram's 403), or None."""
        if self.bot_status == "kicked":
            return ApiError(403, f"Forbidden: bot was kicked from the {self.type} chat")
        if self.bot_status == "left":
            return ApiError(403, f"Forbidden: bot is not a member of the {self.type} chat")
        return None


@dataclass
class ChatLog:
    """A chat of the bot: private with one user, a channel (`channel` set) or a group
    (`group` set)."""

    user: UserRecord | None
    next_message_id: int = 1
    # Every message still present in the chat, from either side, by message_id.
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Bot messages still present, in send order.
    sent: dict[int, SentMessage] = field(default_factory=dict)
    # Every bot message ever sent, deleted ones included, in send order.
    history: list[SentMessage] = field(default_factory=list)
    channel: ChannelRecord | None = None
    group: GroupRecord | None = None
    # Pinned message ids, the newest last (Telegram shows the newest as "the" pinned message).
    pinned: list[int] = field(default_factory=list)

    @property
    def id(self) -> int:
        if self.channel is not None:
            return self.channel.id
        if self.group is not None:
            return self.group.id
        assert self.user is not None
        return self.user.id

    def as_chat(self) -> dict[str, Any]:
        if self.channel is not None:
            return self.channel.as_chat()
        if self.group is not None:
            return self.group.as_chat()
        assert self.user is not None
        return self.user.as_chat()


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    data: bytes = field(repr=False)
    size: tuple[int, int] | None = None  # a photo's width and height

    def as_photo(self) -> list[dict[str, Any]]:
        """The PhotoSize list a photo message carries (one size: the upload's own)."""
        width, height = self.size or (0, 0)
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": width,
                "height": height,
                "file_size": len(self.data),
            }
        ]

    def as_document(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": len(self.data),
        }

    def as_file(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


class State:
    def __init__(self) -> None:
        self.chats: dict[int, ChatLog] = {}
        # Public channels by lower-case @username, as Telegram resolves chat_id="@name".
        self.channel_names: dict[str, int] = {}
        self.updates: list[dict[str, Any]] = []
        self.next_update_id = 100_001
        self.allowed_updates: list[str] = []
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        # (scope key, language code) -> [(command, description)]
        self.commands: dict[tuple[str, str], list[tuple[str, str]]] = {}
        # callback query id -> clock time it was created
        self.pending_queries: dict[str, float] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.documents: list[SentMessage] = []
        self.photos: list[SentMessage] = []
        self.webhook: dict[str, Any] | None = None
        self.changed = Notifier()
        self._sequence = 0

    def next_sequence(self) -> int:
        self._sequence += 1
        return self._sequence

    def add_message(
        self, chat: ChatLog, sender: dict[str, Any], content: dict[str, Any]
    ) -> dict[str, Any]:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        # A channel post is sent on behalf of the channel: sender_chat, and no `from`.
        author = {"sender_chat": chat.as_chat()} if chat.channel is not None else {"from": sender}
        message = {
            "message_id": message_id,
            **author,
            "chat": chat.as_chat(),
            "date": int(time.time()),
            **content,
        }
        chat.messages[message_id] = message
        return message

    def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self.next_update_id, kind: payload}
        self.next_update_id += 1
        self.updates.append(update)
        self.changed.notify()
        return update

    def confirm(self, offset: int) -> None:
        """getUpdates offset semantics: ids below offset are confirmed and forgotten."""
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def forget(self, update_id: int) -> None:
        """One update was taken (by a webhook), whatever came before it."""
        self.updates = [u for u in self.updates if u["update_id"] != update_id]

    def pending(self, limit: int) -> list[dict[str, Any]]:
        allowed = set(self.allowed_updates)
        kept = []
        for update in self.updates:
            kind = next(key for key in update if key != "update_id")
            if (kind in allowed) if allowed else (kind not in _OPT_IN_UPDATES):
                kept.append(update)
        # Telegram never delivers what the bot opted out of, so drop it for good.
        self.updates = kept
        return kept[:limit]

    def store_file(
        self,
        name: str,
        mime_type: str | None,
        data: bytes,
        size: tuple[int, int] | None = None,
    ) -> StoredFile:
        number = self.next_sequence()
        suffix = "." + name.rsplit(".", 1)[1] if "." in name else ""
        stored = StoredFile(
            file_id=f"BQACAgIAAxkBAAF{number:08d}",
            file_unique_id=f"AgAD{number:06d}",
            file_path=f"documents/file_{number}{suffix}",
            file_name=name,
            mime_type=mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream",
            data=data,
            size=size,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored
