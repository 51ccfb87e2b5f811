"""Buttons of residents' boards and notices."""

from __future__ import annotations

from bot.domain.callbacks.codec import (
    CallbackData,
)
from bot.domain.notices import Audience

# Residents' boards: a coordinator's preview (brd)


class BoardHide(CallbackData, prefix="brd:h"):
    group_id: int


class BoardShow(CallbackData, prefix="brd:s"):
    group_id: int


class BoardRetry(CallbackData, prefix="brd:r"):
    group_id: int


# Notices: composing (ntd) and the sent notice (ntc)


class NoticeAudience(CallbackData, prefix="ntd:a"):
    audience: Audience


class NoticeGroup(CallbackData, prefix="ntd:g"):
    group_id: int


class NoticeAgency(CallbackData, prefix="ntd:t"):
    agency: str


class NoticeAgenciesDone(CallbackData, prefix="ntd:d"):
    """The agencies are chosen: show the preview."""


class NoticeToggleConfirm(CallbackData, prefix="ntd:k"):
    """Ask (or stop asking) recipients to confirm they have read it."""


class NoticeSend(CallbackData, prefix="ntd:s"):
    """Send the previewed notice, if the draft is still what the preview showed (`revision`);
    a button from before revisions reads as stale."""

    revision: str


class NoticeCancel(CallbackData, prefix="ntd:x"):
    """Drop the notice being composed."""


class NoticeConfirm(CallbackData, prefix="ntc:c"):
    notice_id: int


class NoticeRemind(CallbackData, prefix="ntc:r"):
    """Remind the unconfirmed: round `round` of reminders (a repeated press is refused)."""

    notice_id: int
    round: int


class NoticeWithdraw(CallbackData, prefix="ntc:w"):
    notice_id: int


class NoticeWho(CallbackData, prefix="ntc:n"):
    """List who has not confirmed the notice, by agency."""

    notice_id: int


class NoticeBack(CallbackData, prefix="ntd:b"):
    """From the preview back to choosing the audience."""
