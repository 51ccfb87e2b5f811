"""Bot API methods about the bot itself rather than messages: identity, webhook, commands,
files and chat actions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.sandbox.botapi.models import ApiError, UploadedFile, bot_user
from bot.sandbox.botapi.state import ChatLog, State

DOWNLOAD_LIMIT = 20 * 1024 * 1024
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_CODE = re.compile(r"[a-z]{2}")

Handler = Callable[[dict[str, Any]], Any]
ChatLookup = Callable[..., ChatLog]


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


class BotSettings:
    def __init__(self, state: State, chat: ChatLookup) -> None:
        self.state = state
        # Resolves a chat_id with Telegram's chat rules; writing=False skips start/block checks.
        self._chat = chat

    def table(self) -> dict[str, Handler]:
        return {
            "getMe": self.get_me,
            "logOut": lambda _: True,
            "close": lambda _: True,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "sendChatAction": self.send_chat_action,
            "setMyCommands": self.set_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "getMyCommands": self.get_my_commands,
            "getFile": self.get_file,
        }

    def get_me(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            **bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def set_webhook(self, p: dict[str, Any]) -> bool:
        if not p["url"]:
            self.state.webhook = None
        elif not p["url"].startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        else:
            self.state.webhook = {k: v for k, v in p.items() if not isinstance(v, UploadedFile)}
            self.state.webhook["has_custom_certificate"] = "certificate" in p
        if p.get("drop_pending_updates"):
            self.state.updates.clear()
        return True

    def delete_webhook(self, p: dict[str, Any]) -> bool:
        self.state.webhook = None
        if p.get("drop_pending_updates"):
            self.state.updates.clear()
        return True

    def get_webhook_info(self, _: dict[str, Any]) -> dict[str, Any]:
        hook = self.state.webhook or {}
        info: dict[str, Any] = {
            "url": hook.get("url", ""),
            "has_custom_certificate": hook.get("has_custom_certificate", False),
            "pending_update_count": len(self.state.updates),
        }
        for key in ("ip_address", "max_connections", "allowed_updates"):
            if key in hook:
                info[key] = hook[key]
        return info

    def send_chat_action(self, p: dict[str, Any]) -> bool:
        self._chat(p["chat_id"])
        if p["action"] not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def set_my_commands(self, p: dict[str, Any]) -> bool:
        commands = p["commands"]
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not _COMMAND.fullmatch(command["command"]):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(p)
        if commands:
            self.state.commands[key] = [(c["command"], c["description"]) for c in commands]
        else:
            # An empty list is how Telegram deletes the commands of a scope.
            self.state.commands.pop(key, None)
        return True

    def delete_my_commands(self, p: dict[str, Any]) -> bool:
        self.state.commands.pop(self._commands_key(p), None)
        return True

    def get_my_commands(self, p: dict[str, Any]) -> list[dict[str, str]]:
        commands = self.state.commands.get(self._commands_key(p), [])
        return [{"command": command, "description": text} for command, text in commands]

    def get_file(self, p: dict[str, Any]) -> dict[str, Any]:
        stored = self.state.files.get(p["file_id"])
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.data) > DOWNLOAD_LIMIT:
            raise bad_request("file is too big")
        return stored.as_file()

    def _commands_key(self, p: dict[str, Any]) -> tuple[str, str]:
        language = p.get("language_code") or ""
        if language and not _LANGUAGE_CODE.fullmatch(language):
            raise bad_request("invalid language code specified")
        return scope_key(p.get("scope"), self._chat), language


def scope_key(scope: dict[str, Any] | None, chat: ChatLookup | None = None) -> str:
    """A stable key for a BotCommandScope: "default", "all_private_chats", "chat:1001", ..."""
    scope = scope or {"type": "default"}
    kind: str = scope["type"]
    if kind in ("chat", "chat_administrators", "chat_member"):
        if chat is not None:
            chat(scope["chat_id"], writing=False)
        kind = f"{kind}:{scope['chat_id']}"
        if "user_id" in scope:
            kind = f"{kind}:{scope['user_id']}"
    return kind
