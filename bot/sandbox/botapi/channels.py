"""Channels: the chat-administration methods, and a channel a test can set up and watch.

A bot joins a channel only as an administrator; it posts on behalf of the channel
(`sender_chat`, no `from`), edits its own posts with the right to post, and pins with the
right to edit messages. Without those rights Telegram answers with the errors below.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.sandbox.botapi.models import BOT_ID, DEFAULT_WAIT_S, ApiError, SentMessage, bot_user
from bot.sandbox.botapi.settings import Handler, bad_request
from bot.sandbox.botapi.state import ChannelRecord, ChatLog, State

if TYPE_CHECKING:
    from bot.sandbox.botapi.server import FakeBotApi

ChatLookup = Callable[..., ChatLog]
Predicate = Callable[[SentMessage], bool]

NOT_ENOUGH_RIGHTS_TO_PIN = "not enough rights to manage pinned messages in the chat"
MEMBER_LIST_INACCESSIBLE = "member list is inaccessible"
# Every administrator right a ChatMemberAdministrator must state, and the channel-only ones.
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


def bot_member(channel: ChannelRecord) -> dict[str, Any]:
    """The bot as a ChatMember of the channel, as getChatMember and my_chat_member give it."""
    if channel.bot_is_admin:
        return {
            "status": "administrator",
            "user": bot_user(),
            "can_be_edited": False,
            "is_anonymous": False,
            **dict.fromkeys(_ADMIN_RIGHTS, False),
            "can_manage_chat": True,
            "can_post_messages": channel.can_post_messages,
            "can_edit_messages": channel.can_edit_messages,
        }
    if channel.bot_status == "kicked":
        return {"status": "kicked", "user": bot_user(), "until_date": 0}
    return {"status": channel.bot_status, "user": bot_user()}


class ChannelMethods:
    """getChat, getChatMember, getChatAdministrators, pinChatMessage, unpinChatMessage."""

    def __init__(self, state: State, chat: ChatLookup) -> None:
        self.state = state
        # Resolves a chat_id with Telegram's chat rules; writing=False skips the rights checks.
        self._chat = chat

    def table(self) -> dict[str, Handler]:
        return {
            "getChat": self.get_chat,
            "getChatMember": self.get_chat_member,
            "getChatAdministrators": self.get_chat_administrators,
            "pinChatMessage": self.pin_chat_message,
            "unpinChatMessage": self.unpin_chat_message,
        }

    def get_chat(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p["chat_id"], writing=False)
        info: dict[str, Any] = {
            **chat.as_chat(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        pinned = [m for m in chat.pinned if m in chat.messages]
        if pinned:
            info["pinned_message"] = chat.messages[pinned[-1]]
        return info

    def get_chat_member(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p["chat_id"], writing=False)
        user_id = p["user_id"]
        channel = chat.channel
        if channel is None:
            assert chat.user is not None
            if user_id == BOT_ID:
                return {"status": "member", "user": bot_user()}
            if user_id == chat.user.id:
                return {"status": "member", "user": chat.user.as_user()}
            raise bad_request("user not found")
        if user_id == BOT_ID:
            return bot_member(channel)
        if not channel.bot_is_admin:
            raise bad_request(MEMBER_LIST_INACCESSIBLE)
        if channel.owner is not None and user_id == channel.owner.id:
            return {"status": "creator", "user": channel.owner.as_user(), "is_anonymous": False}
        raise bad_request("user not found")

    def get_chat_administrators(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self._chat(p["chat_id"], writing=False)
        channel = chat.channel
        if channel is None:
            raise bad_request("there are no administrators in the private chat")
        if not channel.bot_is_admin:
            raise bad_request(MEMBER_LIST_INACCESSIBLE)
        admins = [bot_member(channel)]
        if channel.owner is not None:
            owner = {"status": "creator", "user": channel.owner.as_user(), "is_anonymous": False}
            admins.insert(0, owner)
        return admins

    def pin_chat_message(self, p: dict[str, Any]) -> bool:
        chat = self._pinnable(p["chat_id"])
        if p["message_id"] not in chat.messages:
            raise bad_request("message to pin not found")
        if p["message_id"] in chat.pinned:
            chat.pinned.remove(p["message_id"])
        chat.pinned.append(p["message_id"])
        self.state.changed.notify()
        return True

    def unpin_chat_message(self, p: dict[str, Any]) -> bool:
        chat = self._pinnable(p["chat_id"])
        target = p.get("message_id")
        if target is None and chat.pinned:
            target = chat.pinned[-1]
        if target not in chat.pinned:
            raise bad_request("message to unpin not found")
        chat.pinned.remove(target)
        self.state.changed.notify()
        return True

    def _pinnable(self, chat_id: Any) -> ChatLog:
        chat = self._chat(chat_id, writing=False)
        channel = chat.channel
        if channel is not None:
            if not channel.bot_is_in:
                raise ApiError(403, "Forbidden: bot is not a member of the channel chat")
            if not (channel.bot_is_admin and channel.can_edit_messages):
                raise bad_request(NOT_ENOUGH_RIGHTS_TO_PIN)
        return chat


class FakeChannel:
    """A channel as its owner runs it: add the bot as admin, take rights away, read posts."""

    def __init__(self, server: FakeBotApi, chat: ChatLog) -> None:
        assert chat.channel is not None
        self._server = server
        self._chat = chat
        self._record: ChannelRecord = chat.channel

    @property
    def id(self) -> int:
        return self._record.id

    @property
    def username(self) -> str | None:
        return self._record.username

    @property
    def link(self) -> str:
        """The public link a poster or a person would use: t.me/<username>."""
        if self._record.username is None:
            raise AssertionError(f"{self} is private and has no public link")
        return f"https://t.me/{self._record.username}"

    @property
    def messages(self) -> list[SentMessage]:
        """The bot's posts as they are now: edits applied, deleted ones gone."""
        return list(self._chat.sent.values())

    @property
    def history(self) -> list[SentMessage]:
        """Every post the bot ever made here, deleted ones included."""
        return list(self._chat.history)

    @property
    def pinned(self) -> SentMessage | None:
        """The pinned post Telegram shows at the top (the newest pin still present)."""
        for message_id in reversed(self._chat.pinned):
            if message_id in self._chat.sent:
                return self._chat.sent[message_id]
        return None

    def __repr__(self) -> str:
        return f"FakeChannel({self.id}, @{self._record.username})"

    def message(self, message: SentMessage) -> SentMessage:
        """The current state of one of the bot's posts (after any edits)."""
        current = self._chat.sent.get(message.message_id)
        if message.chat_id != self.id or current is None:
            raise AssertionError(f"post {message.message_id} is not (or no longer) in {self}")
        return current

    def set_bot_rights(
        self,
        status: str = "administrator",
        *,
        can_post_messages: bool = True,
        can_edit_messages: bool = True,
    ) -> None:
        """The owner changes the bot's standing; the bot gets a my_chat_member update."""
        old = bot_member(self._record)
        self._record.bot_status = status
        self._record.can_post_messages = can_post_messages
        self._record.can_edit_messages = can_edit_messages
        new = bot_member(self._record)
        if old == new:
            return
        assert self._record.owner is not None
        payload: dict[str, Any] = {
            "chat": self._record.as_chat(),
            "from": self._record.owner.as_user(),
            "date": int(time.time()),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        self._server.state.push_update("my_chat_member", payload)

    async def post(self, text: str) -> dict[str, Any]:
        """An administrator posts in the channel: the bot gets a channel_post, with no `from`."""
        state = self._server.state
        message = state.add_message(self._chat, {}, {"text": text})
        state.push_update("channel_post", message)
        return message

    def delete(self, message: SentMessage) -> None:
        """An administrator deletes one of the bot's posts."""
        self._chat.messages.pop(message.message_id, None)
        gone = self._chat.sent.pop(message.message_id, None)
        if gone is not None:
            gone.deleted = True
        self._server.state.changed.notify()

    def requests(self, *methods: str) -> list[Any]:
        """The bot's requests about this channel (by id or @username), in order."""
        names = {self.id, f"@{self._record.username}"} if self._record.username else {self.id}
        return [
            call
            for call in self._server.calls
            if call.params.get("chat_id") in names and (not methods or call.method in methods)
        ]

    async def wait_for_message(
        self,
        predicate: Predicate | None = None,
        timeout: float = DEFAULT_WAIT_S,  # noqa: ASYNC109 - part of the test-facing signature
    ) -> SentMessage:
        """The first post present now, or later, that matches (edits count: posts change)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for message in self.messages:
                if predicate is None or predicate(message):
                    return message
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"no post matching the predicate in {self} within {timeout}s\n{self.dump()}"
                )
            await self._server.state.changed.wait(min(remaining, 0.05))

    def dump(self) -> str:
        """The channel's posts and the bot's recent requests about it, for assertions."""
        pinned = self.pinned
        lines = [f"{self} (bot {self._record.bot_status}):"]
        for message in self.messages:
            mark = " [pinned]" if pinned is not None and message is pinned else ""
            edited = f" (edited {message.edits}x)" if message.edits else ""
            lines.append(f"  #{message.message_id}{mark}{edited}: {message!s}")
        if not self.messages:
            lines.append("  (no posts from the bot)")
        related = self.requests()
        lines.append(f"Bot requests for this channel ({len(related)}, last 10):")
        for call in related[-10:]:
            outcome = "ok" if call.ok else f"{call.status} {call.description}"
            lines.append(f"  {call.method} -> {outcome}")
        return "\n".join(lines)
