"""Notices: audiences, drafts and figures as plain data; the text-length rule."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bot.domain.revisions import fingerprint

MAX_NOTICE_UTF16 = 3500


class Audience(StrEnum):
    MINE = "mine"  # everyone in the groups I run
    GROUP = "group"  # everyone in one group
    AGENCIES = "agencies"  # chosen agencies in the groups I run
    ON_DUTY = "on_duty"  # those checked in now in the groups I run
    COORDINATORS = "coordinators"  # coordinators of the groups I run


class NoticeStep(StrEnum):
    """The step of a notice being composed that is shown."""

    TEXT = "text"
    AUDIENCE = "audience"
    GROUP = "group"
    AGENCIES = "agencies"
    PREVIEW = "preview"


def utf16_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji may count two)."""
    return len(text.encode("utf-16-le")) // 2


class Draft(BaseModel):
    """A notice being composed."""

    model_config = ConfigDict(frozen=True)

    member_id: int
    text: str | None
    audience: Audience | None
    group_id: int | None
    agencies: tuple[str, ...]
    needs_confirmation: bool
    step: NoticeStep = NoticeStep.TEXT
    text_message_id: int | None = None  # where its text came from: an edit of it is a new text

    @property
    def revision(self) -> str:
        """A fingerprint of what a preview shows (text, audience, confirmation): its Send
        button carries it, so an older preview cannot send a draft changed since."""
        shown = [self.text, self.audience, self.group_id, self.agencies, self.needs_confirmation]
        return fingerprint(shown)


class Notice(BaseModel):
    """A notice that went out."""

    model_config = ConfigDict(frozen=True)

    id: int
    author_id: int
    text: str
    audience: Audience
    group_ids: tuple[int, ...]
    agencies: tuple[str, ...]
    needs_confirmation: bool
    status_chat_id: int
    created_at: datetime
    withdrawn_at: datetime | None
    reminders: int


class Figures(BaseModel):
    """Where a notice stands."""

    model_config = ConfigDict(frozen=True)

    recipients: int
    delivered: int
    queued: int
    unreachable: int
    failed: int
    cancelled: int
    confirmed: int

    @property
    def done(self) -> bool:
        """Nothing left to send."""
        return self.queued == 0
