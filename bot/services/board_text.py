"""The words of a residents' board: Swedish, and English below when the board asks for it."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.board import Board, PublicFacts
from bot.domain.models import Group
from bot.domain.worklog import Kind, WorkPolicy
from bot.i18n import Markup, escape, t, when

SEPARATOR = "\n\n— — —\n\n"
# However many activity types a deployment offers, a board in two languages stays one message.
MAX_WORK_LINES = 8
# Telegram takes 4,096 characters; a coordinator's preview wraps the board in a few lines more.
MAX_BOARD = 3600


def board_text(
    group: Group,
    board: Board,
    facts: PublicFacts,
    *,
    at: datetime,
    week: date,
    policy: WorkPolicy,
) -> Markup:
    """The board as residents read it, showing the group as it was at `at`.

    Always one message, with room to spare for a coordinator's preview around it: when both
    languages would not fit, Swedish alone; when even that would not (a deployment with very
    many agencies), the agencies present are counted rather than named.
    """
    for names in (True, False):
        parts = [
            _one(lang, group, board, facts, at=at, week=week, policy=policy, names=names)
            for lang in (("sv", "en") if board.english else ("sv",))
        ]
        for text in (SEPARATOR.join(parts), parts[0]):
            if len(text) <= MAX_BOARD:
                return Markup(text)
    return Markup(text[:MAX_BOARD])  # unreachable with the bounded office details


def paused_text(group: Group, board: Board) -> Markup:
    """What a paused board shows: only that it is paused."""
    languages = ("sv", "en") if board.english else ("sv",)
    return Markup(SEPARATOR.join(t(lang, "board.paused", group=group.name) for lang in languages))


def replaced_text(group: Group, board: Board, channel: str) -> Markup:
    """What a post says once a newer post (pinned, in `channel`) shows the board instead."""
    languages = ("sv", "en") if board.english else ("sv",)
    return Markup(
        SEPARATOR.join(
            t(lang, "board.replaced", group=group.name, channel=channel) for lang in languages
        )
    )


def work_label(lang: str, policy: WorkPolicy, key: str) -> str:
    """An activity type's name as the deployment labels it."""
    found = policy.find(Kind.RELATIONSHIP, key)
    label = getattr(found, lang, None) if found else None
    return label or t(lang, f"log.type.{key}")


def _one(
    lang: str,
    group: Group,
    board: Board,
    facts: PublicFacts,
    *,
    at: datetime,
    week: date,
    policy: WorkPolicy,
    names: bool,
) -> str:
    lines = [t(lang, "board.title", group=group.name), ""]
    if facts.staffed:
        lines.append(t(lang, "board.staffed"))
        count, total = len(facts.present), facts.agencies
        if names:
            agencies = ", ".join(a.name for a in facts.present)
            lines.append(t(lang, "board.present", agencies=agencies, count=count, total=total))
        else:
            lines.append(t(lang, "board.present_count", count=count, total=total))
    else:
        lines.append(t(lang, "board.unstaffed"))
    office = [
        t(lang, key, value=_multiline(value))
        for key, value in (
            ("board.hours", board.hours),
            ("board.address", board.address),
            ("board.contact", board.contact),
        )
        if value
    ]
    if office:
        lines += ["", *office]
    week_number = week.isocalendar().week
    lines.append("")
    if facts.work:
        lines.append(t(lang, "board.work_title", week=week_number))
        ranked = sorted(facts.work, key=lambda w: -w.count)  # stable: ties keep their order
        shown, rest = ranked[:MAX_WORK_LINES], ranked[MAX_WORK_LINES:]
        lines += [
            t(lang, "board.work_line", label=work_label(lang, policy, w.type), count=w.count)
            for w in shown
        ]
        if rest:
            lines.append(t(lang, "board.work_other", count=sum(w.count for w in rest)))
        if facts.residents_at_least:
            lines.append(t(lang, "board.reached", count=facts.residents_at_least))
    else:
        lines.append(t(lang, "board.no_work", week=week_number))
    lines += ["", t(lang, "board.updated", when=when(lang, at, group.timezone))]
    return "\n".join(lines)


def _multiline(value: str) -> Markup:
    # Office details may span a few lines; later lines are indented under the label.
    return Markup("\n    ".join(escape(line) for line in value.splitlines()))
