"""How notices and their status read, in each member's language (Telegram HTML)."""

from __future__ import annotations

from bot.domain.callbacks import NoticeConfirm, NoticeRemind, NoticeWho, NoticeWithdraw
from bot.domain.notices import Figures, Notice
from bot.domain.outbox import Button, Keyboard
from bot.i18n import escape, number, t


def notice_text(lang: str, notice: Notice, author: str, reminder: bool = False) -> str:
    """The notice as a recipient sees it: header, the text exactly as typed, and state."""
    parts = []
    if notice.withdrawn_at is not None:
        parts.append(t(lang, "notice.withdrawn_banner"))
    elif reminder:
        parts.append(t(lang, "notice.reminder_banner"))
    parts.append(t(lang, "notice.header", author=author, number=notice.id))
    parts.append(escape(notice.text))
    if notice.needs_confirmation and notice.withdrawn_at is None:
        parts.append(t(lang, "notice.confirm_hint"))
    return "\n\n".join(parts)


def notice_keyboard(lang: str, notice: Notice) -> Keyboard | None:
    """The "I have read it" button, when the notice asks for confirmation."""
    if not notice.needs_confirmation or notice.withdrawn_at is not None:
        return None
    return [[Button(text=t(lang, "notice.confirm_button"), data=NoticeConfirm(notice.id).pack())]]


def status_text(lang: str, notice: Notice, f: Figures) -> str:
    """The coordinator's live status: progress while sending, then the final figures."""
    lines = [t(lang, "notice.status_title", number=notice.id), escape(notice.text), "———"]
    if notice.withdrawn_at is not None:
        lines.append(t(lang, "notice.status_withdrawn"))
    if not f.done:
        sent = f.delivered + f.unreachable + f.failed
        lines.append(
            t(lang, "notice.progress", sent=number(lang, sent), total=number(lang, f.recipients))
        )
    else:
        lines.append(
            t(
                lang,
                "notice.final",
                delivered=number(lang, f.delivered),
                unreachable=number(lang, f.unreachable),
                failed=number(lang, f.failed),
            )
        )
    if notice.needs_confirmation:
        lines.append(
            # Out of everyone it was sent to: a denominator that does not move while sending.
            t(
                lang,
                "notice.confirmed",
                confirmed=number(lang, f.confirmed),
                of=number(lang, f.recipients),
            )
        )
    return "\n".join(lines)


def status_keyboard(lang: str, notice: Notice, f: Figures) -> Keyboard | None:
    """Remind the unconfirmed, or withdraw, while that still makes sense."""
    if notice.withdrawn_at is not None:
        return None
    row = []
    rows: Keyboard = []
    if notice.needs_confirmation and f.confirmed < f.recipients:
        who = Button(text=t(lang, "notice.who_button"), data=NoticeWho(notice.id).pack())
        rows.append([who])
    if notice.needs_confirmation and f.confirmed < f.delivered:
        row.append(
            Button(
                text=t(lang, "notice.remind_button"),
                data=NoticeRemind(notice.id, notice.reminders + 1).pack(),
            )
        )
    row.append(
        Button(text=t(lang, "notice.withdraw_button"), data=NoticeWithdraw(notice.id).pack())
    )
    return [*rows, row]
