"""Outgoing messages as plain data, and the rules for retrying them."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum

from pydantic import BaseModel, ConfigDict

MAX_ATTEMPTS = 6
# A sender holds what it claimed for this long, and renews it every LEASE_RENEW_S while the
# message is in flight; a lease that ran out (its sender crashed, or lost the database) lets
# any sender take the message again. Short, so a crash delays its few messages by seconds.
LEASE = timedelta(seconds=15)
LEASE_RENEW_S = 5.0
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 60.0


class Button(BaseModel):
    """An inline button: what it says and the callback data it sends (at most 64 bytes),
    or the link it opens (`url`, e.g. tg://user?id=… to write to a person)."""

    model_config = ConfigDict(frozen=True)

    text: str
    data: str = ""
    url: str | None = None


Keyboard = list[list[Button]]


class Priority(IntEnum):
    """The sender's lanes, served in this order; within a lane, edits then the oldest first."""

    URGENT = 0  # urgent flags, and everything that escalates or follows them
    NORMAL = 1  # other flags, handovers, reminders, swaps, direct answers
    BULK = 2  # notices and their reminders, digests, alerts about many members


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    HELD = "held"
    CANCELLED = "cancelled"


class OutboxMessage(BaseModel):
    """One queued send or edit."""

    model_config = ConfigDict(frozen=True)

    id: int
    dedup_key: str
    kind: str
    member_id: int | None
    chat_id: int
    ref_type: str | None
    ref_id: int | None
    text: str
    keyboard: Keyboard | None
    protect_content: bool
    state: OutboxState
    generation: int
    attempts: int
    not_before: datetime | None
    message_id: int | None
    error: str | None
    edits: int | None = None  # for an edit: the outbox id of the message it changes
    priority: Priority = Priority.NORMAL
    location: tuple[float, float] | None = None  # a send that is a location pin, not text
    # A send that is a photo or voice note ("photo:<file_id>"), or with a location, VENUE.
    media: str | None = None


VENUE = "venue"  # the media of a location send that is a named place: its text is the name


def venue_text(title: str, address: str) -> str:
    """A named place as a location send's text (the name on one line, the address after)."""
    return f"{' '.join(title.split())}\n{address}"


def venue_parts(text: str) -> tuple[str, str]:
    """(title, address) of a named place's text."""
    title, _sep, address = text.partition("\n")
    return title, address


class Notification(BaseModel):
    """A message a service wants sent to one member, born in the service's transaction."""

    model_config = ConfigDict(frozen=True)

    dedup_key: str
    member_id: int | None  # None: a channel post (a residents' board), no member behind it
    chat_id: int
    text: str
    priority: Priority  # no default: whoever queues a message says which lane it takes
    keyboard: Keyboard | None = None
    protect_content: bool = False
    ref_type: str | None = None
    ref_id: int | None = None
    location: tuple[float, float] | None = None  # send a location pin instead of the text
    media: str | None = None  # "photo:<file_id>" or "voice:<file_id>", the text its caption


class EditPlan(StrEnum):
    """What the sender does with an edit, given where the message it changes stands."""

    EDIT = "edit"  # the message is on Telegram: edit it
    FOLD = "fold"  # the message is still queued: it takes the new content, no edit needed
    WAIT = "wait"  # the message is in flight: try again shortly (counted, so not for ever)
    DROP = "drop"  # the message failed or was cancelled: there is nothing to edit


def edit_plan(original: OutboxMessage | None) -> EditPlan:
    """Decide an edit by the state of its original message."""
    if original is None or original.state in (OutboxState.FAILED, OutboxState.CANCELLED):
        return EditPlan.DROP
    if original.state in (OutboxState.PENDING, OutboxState.HELD):
        return EditPlan.FOLD
    if original.state is OutboxState.SENDING:
        return EditPlan.WAIT
    return EditPlan.EDIT if original.message_id is not None else EditPlan.DROP


def backoff(attempts: int, now: datetime, rng: random.Random | None = None) -> datetime:
    """When to try again after `attempts` transient failures: exponential, capped, jittered."""
    ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** max(attempts - 1, 0))
    # "Full jitter" spreads retries of many messages so they don't return as one wave.
    delay = (rng or random.Random()).uniform(ceiling / 2, ceiling)  # noqa: S311
    return now + timedelta(seconds=delay)


def gives_up(attempts: int) -> bool:
    """True when a message has failed transiently often enough to be marked failed."""
    return attempts >= MAX_ATTEMPTS
