"""Value objects shared by the fake Bot API server, its user simulation and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal

BOT_ID = 999000
BOT_USERNAME = "samverkan_test_bot"
BOT_FIRST_NAME = "Samverkan"
BOT_TOKEN = "123456:TEST-fake-token-for-tests-only"  # noqa: S105 - the local server's, not a secret

# How a failed request is filed: "rejection" is what Telegram refuses for content or chat
# reasons, "violation" breaks api.json, "flood" is a 429 and "other" (injected faults,
# getUpdates conflicts) only shows up in `calls`.
ErrorKind = Literal["rejection", "violation", "flood", "other"]

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def bot_user() -> dict[str, Any]:
    """The bot as a Telegram User object (the `from` of every message the bot sends)."""
    return {"id": BOT_ID, "is_bot": True, "first_name": BOT_FIRST_NAME, "username": BOT_USERNAME}


def default_description(status: int) -> str:
    """Telegram's wording for an error status without a more specific reason."""
    if status in _DEFAULT_DESCRIPTIONS:
        return _DEFAULT_DESCRIPTIONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"


class ApiError(Exception):
    """An error answer, raised by method handlers and turned into Telegram's envelope."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        kind: ErrorKind = "rejection",
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.kind: ErrorKind = "flood" if status == 429 else kind

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass
class Call:
    """One HTTP request the fake served, with decoded params and the JSON it answered."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def description(self) -> str | None:
        return self.response.get("description")


@dataclass
class SentMessage:
    """A message the bot sent to a private chat, kept up to date with edits and deletion."""

    chat_id: int
    message_id: int
    text: str | None
    parse_mode: str | None
    entities_text: str
    reply_markup: dict[str, Any] | None
    protect_content: bool
    location: dict[str, Any] | None
    document_name: str | None
    document_bytes: bytes | None
    edits: int
    raw: dict[str, Any]
    caption: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    document_mime: str | None = None
    deleted: bool = False
    venue: dict[str, Any] | None = None

    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Keyboard rows as (text, callback_data); reply-keyboard buttons carry None as data."""
        markup = self.reply_markup or {}
        if "inline_keyboard" in markup:
            return [
                [(button["text"], button.get("callback_data")) for button in row]
                for row in markup["inline_keyboard"]
            ]
        if "keyboard" in markup:
            return [
                [
                    (button["text"] if isinstance(button, dict) else str(button), None)
                    for button in row
                ]
                for row in markup["keyboard"]
            ]
        return []

    def button_texts(self) -> list[str]:
        return [text for row in self.buttons() for text, _ in row]

    def __str__(self) -> str:
        if self.location is not None:
            return f"[location {self.location['latitude']}, {self.location['longitude']}]"
        if self.document_name is not None:
            suffix = f" {self.entities_text}" if self.entities_text else ""
            return f"[document {self.document_name}]{suffix}"
        return self.entities_text


# How long the tests' waits allow by default. The per-chat limit (a burst of 3, then 1/s)
# makes a bot that answers a fast-tapping user wait out several 429s, and a loaded CI machine
# adds to that; a wait that is met returns at once, so only failures take this long.
DEFAULT_WAIT_S = 10.0
