"""Files the fake Bot API accepts: uploads and file_ids, photos checked as Telegram checks them."""

from __future__ import annotations

from typing import Any

from bot.sandbox.botapi.models import ApiError, UploadedFile
from bot.sandbox.botapi.settings import bad_request
from bot.sandbox.botapi.state import State, StoredFile

UPLOAD_LIMIT = 50 * 1024 * 1024
PHOTO_LIMIT = 10 * 1024 * 1024


def voice(stored: StoredFile) -> dict[str, Any]:
    """The Voice object a voice note carries (the fake does not decode audio: 1 s)."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "duration": 1,
        "mime_type": stored.mime_type,
        "file_size": len(stored.data),
    }


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG, or None when the bytes are neither."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        size = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        return size if min(size) > 0 else None
    if data[:3] != b"\xff\xd8\xff":
        return None
    i = 2
    while i + 9 < len(data) and data[i] == 0xFF:
        marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
            height, width = (int.from_bytes(data[i + 5 + k : i + 7 + k], "big") for k in (0, 2))
            return (width, height) if width and height else None
        i += 2 + length
    return None


def photo(state: State, value: UploadedFile | str) -> StoredFile:
    """An uploaded photo stored (refused as Telegram refuses it), or a known file_id's file."""
    if not isinstance(value, UploadedFile):
        return document(state, value)
    if not value.data:
        raise bad_request("file must be non-empty")
    if len(value.data) > PHOTO_LIMIT:
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    size = image_size(value.data)
    if size is None:
        raise bad_request("IMAGE_PROCESS_FAILED")
    width, height = size
    if width + height > 10_000 or max(width, height) > 20 * min(width, height):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    return state.store_file(value.filename or "photo.png", value.content_type or None,
                            value.data, size=size)  # fmt: skip


def document(state: State, value: UploadedFile | str) -> StoredFile:
    """An uploaded file stored, or a known file_id's file; URLs are refused (no network)."""
    if isinstance(value, UploadedFile):
        if not value.data:
            raise bad_request("file must be non-empty")
        if len(value.data) > UPLOAD_LIMIT:
            raise ApiError(413, "Request Entity Too Large")
        generic = value.content_type in ("", "application/octet-stream")
        mime = None if generic else value.content_type
        return state.store_file(value.filename or "document", mime, value.data)
    if value in state.files:
        return state.files[value]
    if value.startswith(("http://", "https://")):
        # The fake has no network; a bot sending documents by URL cannot be tested here.
        raise bad_request("failed to get HTTP URL content")
    raise bad_request("wrong file identifier/HTTP URL specified")
