"""The words of a residents' board: Swedish, and English below when the board asks for it."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.board import Board, PublicFacts
from bot.domain.models import Group
from bot.domain.worklog import Kind, WorkPolicy
from bot.i18n import Markup, escape, t, when

SEPARATOR = "\n\n— — —\n\n"


def board_text(
    group: Group,
    board: Board,
    facts: PublicFacts,
    *,
    at: datetime,
    week: date,
    policy: WorkPolicy,
) -> Markup:
    """The board as residents read it, showing the group as it was at `at`."""
    languages = ("sv", "en") if board.english else ("sv",)
    return Markup(
        SEPARATOR.join(
            _one(lang, group, board, facts, at=at, week=week, policy=policy) for lang in languages
        )
    )


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
) -> str:
    lines = [t(lang, "board.title", group=group.name), ""]
    if facts.staffed:
        names = ", ".join(a.name for a in facts.present)
        lines.append(t(lang, "board.staffed"))
        count, total = len(facts.present), facts.agencies
        lines.append(t(lang, "board.present", agencies=names, count=count, total=total))
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
        lines += [
            t(lang, "board.work_line", label=work_label(lang, policy, w.type), count=w.count)
            for w in facts.work
        ]
        if facts.residents_at_least:
            lines.append(t(lang, "board.reached", count=facts.residents_at_least))
    else:
        lines.append(t(lang, "board.no_work", week=week_number))
    lines += ["", t(lang, "board.updated", when=when(lang, at, group.timezone))]
    return "\n".join(lines)


def _multiline(value: str) -> Markup:
    # Office details may span a few lines; later lines are indented under the label.
    return Markup("\n    ".join(escape(line) for line in value.splitlines()))
