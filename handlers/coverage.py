"""Who is on duty now (/onduty) and where the week's plan falls short (/coverage)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.callbacks import CoverageGroup
from bot.domain.errors import DomainError
from bot.i18n import Markup, escape, explain, span, t
from bot.services import coverage as svc
from bot.services.members import groups_run_by
from handlers.access import Guarded, allow
from handlers.common import answer, in_rows, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry

MENU = [
    MenuEntry("onduty", Level.MEMBER, "cmd.onduty"),
    MenuEntry("coverage", Level.COORDINATOR, "cmd.coverage"),
]
# Well under Telegram's 4,096: a long report is split between lines, never inside one.
CHUNK = 3800


def _now_lines(lang: str, current: svc.GroupNow) -> list[str]:
    lines: list[str] = []
    for row in current.agencies:
        names = Markup(" — " + escape(", ".join(row.present))) if row.present else ""
        lines.append(
            t(
                lang,
                "onduty.line",
                mark="✓" if row.covered else "✗",
                agency=row.agency.code,
                count=len(row.present),
                minimum=row.minimum,
                names=names,
            )
        )
    return lines


async def onduty(update: Update, context: BotContext) -> None:
    """Who is checked in now in my groups, agency by agency, against the minimum."""
    groups = await svc.on_duty(context.store, context.me)
    if not groups:
        await reply(update, context, t(context.lang, "onduty.no_groups"))
        return
    blocks = []
    for current in groups:
        title = t(context.lang, "onduty.group", group=current.group.name)
        blocks.append("\n".join([title, *_now_lines(context.lang, current)]))
    await _send_chunks(update, context, "\n\n".join(blocks).split("\n"))


async def coverage(update: Update, context: BotContext) -> None:
    """Coverage of a group I run: now, and gaps in the plan for the week."""
    groups = await groups_run_by(context.store, context.me)
    if len(groups) == 1:
        await _report(update, context, groups[0].id)
        return
    buttons = [(g.name, CoverageGroup(g.id)) for g in groups]
    text = t(context.lang, "coverage.choose_group")
    await reply(update, context, text, keyboard(in_rows(buttons)) if buttons else None)


async def coverage_group(update: Update, context: BotContext) -> None:
    """Show the coverage of the group pressed."""
    chosen = pressed(update, CoverageGroup)
    if chosen is None:
        await stale(update, context)
        return
    await answer(update)
    await _report(update, context, chosen.group_id)


async def _report(update: Update, context: BotContext, group_id: int) -> None:
    lang = context.lang
    try:
        report = await svc.coverage(context.store, context.me, group_id, context.now())
    except DomainError as exc:
        await reply(update, context, explain(lang, exc))
        return
    group = report.now.group
    lines = [
        t(lang, "coverage.title", group=group.name),
        *_now_lines(lang, report.now),
        "",
        t(lang, "coverage.planned"),
    ]
    found = False
    for agency, agency_gaps in report.planned_gaps.items():
        for gap in agency_gaps:
            found = True
            count = str(gap.lowest) if gap.lowest == gap.highest else f"{gap.lowest}–{gap.highest}"
            lines.append(
                t(
                    lang,
                    "coverage.gap",
                    agency=agency,
                    count=count,
                    minimum=group.min_per_agency,
                    when=span(lang, gap.start, gap.end, group.timezone),
                )
            )
    if not found:
        lines.append(t(lang, "coverage.no_gaps"))
    await _send_chunks(update, context, lines)


async def _send_chunks(update: Update, context: BotContext, lines: list[str]) -> None:
    chunk: list[str] = []
    size = 0
    for line in lines:
        if chunk and size + len(line) + 1 > CHUNK:
            await reply(update, context, "\n".join(chunk))
            chunk, size = [], 0
        chunk.append(line)
        size += len(line) + 1
    if chunk:
        await reply(update, context, "\n".join(chunk))


def build_handlers() -> list[Guarded]:
    """/onduty for members; /coverage for coordinators."""
    return [
        allow(Level.MEMBER, CommandHandler("onduty", onduty)),
        allow(Level.COORDINATOR, CommandHandler("coverage", coverage)),
        allow(Level.COORDINATOR, CallbackQueryHandler(coverage_group, pattern=r"^cov:g:")),
    ]
