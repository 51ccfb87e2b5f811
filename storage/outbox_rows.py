"""Outbox rows as models, and sends prepared for the queue (text hashed, keyboard serialised)."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from pydantic import TypeAdapter

from bot.domain.outbox import Keyboard, Notification, OutboxMessage, OutboxState, Priority
from storage.rows import parse_ts, ts

_KEYBOARD = TypeAdapter(Keyboard)


def keyboard_json(keyboard: Keyboard | None) -> str | None:
    return None if keyboard is None else _KEYBOARD.dump_json(keyboard).decode()


def content_hash(text: str, markup: str | None) -> str:
    """What a message shows, as a fingerprint: settled rows keep this, not the text."""
    return hashlib.sha256(f"{text}\x00{markup or ''}".encode()).hexdigest()[:32]


def outbox_message(row: sqlite3.Row) -> OutboxMessage:
    markup = row["reply_markup"]
    return OutboxMessage(
        id=row["id"],
        dedup_key=row["dedup_key"],
        kind=row["kind"],
        member_id=row["member_id"],
        chat_id=row["chat_id"],
        ref_type=row["ref_type"],
        ref_id=row["ref_id"],
        text=row["text"] or "",  # a settled row keeps no text
        keyboard=_KEYBOARD.validate_json(markup) if markup else None,
        protect_content=bool(row["protect_content"]),
        state=OutboxState(row["state"]),
        generation=row["generation"],
        attempts=row["attempts"],
        not_before=parse_ts(row["not_before"]) if row["not_before"] else None,
        message_id=row["message_id"],
        error=row["error"],
        edits=row["edits"],
        priority=Priority(row["priority"]),
        location=parse_location(row["location"]),
        media=row["media"],
    )


# A member known to be unreachable gets the message held, not attempted.
INSERT_SEND = (
    "INSERT INTO outbox (dedup_key, kind, member_id, chat_id, ref_type, ref_id, text,"
    " reply_markup, content_hash, protect_content, priority, location, media, state,"
    " not_before, created_at, updated_at) VALUES (:key, 'send', :member, :chat, :ref_type,"
    " :ref_id, :text, :markup, :hash, :protect, :priority, :location, :media,"
    " CASE WHEN (SELECT unreachable_since FROM members WHERE id = :member)"
    " IS NULL THEN 'pending' ELSE 'held' END, NULL, :now, :now)"
    " ON CONFLICT (dedup_key) DO NOTHING"
)


def send_values(note: Notification, now: datetime) -> dict[str, object]:
    return {
        "key": note.dedup_key,
        "member": note.member_id,
        "chat": note.chat_id,
        "ref_type": note.ref_type,
        "ref_id": note.ref_id,
        "text": note.text,
        "markup": keyboard_json(note.keyboard),
        "hash": content_hash(note.text, keyboard_json(note.keyboard)),
        "protect": int(note.protect_content),
        "priority": int(note.priority),
        "location": f"{note.location[0]!r},{note.location[1]!r}" if note.location else None,
        "media": note.media,
        "now": ts(now),
    }


@dataclass(frozen=True)
class PreparedSend:
    """A send as its row will be stored (text hashed, keyboard serialised), made ahead of
    the transaction that queues it."""

    values: dict[str, object]


def prepare(note: Notification, now: datetime) -> PreparedSend:
    """A send ready for `enqueue_prepared`, queued with the time `now`."""
    return PreparedSend(send_values(note, now))


def parse_location(text: str | None) -> tuple[float, float] | None:
    if not text:
        return None
    lat, lon = text.split(",")
    return float(lat), float(lon)
