"""Who is on duty now (/onduty) and where the week's plan falls short (/coverage)."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.callbacks import CoverageGroup, CoverFind, CoverTake, ShiftAbsent
from bot.domain.errors import DomainError
from bot.i18n import Markup, clock_time, escape, explain, plural, span, t, when_short
from bot.reports.coverage_week import week_png
from bot.services import coverage as svc
from bot.services import members as members_service
from bot.services.members import groups_run_by
from handlers.access import Guarded, allow
from handlers.common import (
    Choice,
    answer,
    attempt,
    carry_out,
    edit,
    in_rows,
    keyboard,
    pressed,
    reply,
    stale,
)
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry, Section

MENU = [
    MenuEntry("onduty", Level.MEMBER, "cmd.onduty", task=Section.SHIFT),
    MenuEntry("coverage", Level.COORDINATOR, "cmd.coverage"),
]
# Well under Telegram's 4,096: a long report is split between lines, never inside one.
CHUNK = 3800
MAX_COVER_BUTTONS = 12


def _now_lines(lang: str, current: svc.GroupNow) -> list[str]:
    zone = current.group.timezone
    lines = [_agency_line(lang, row, zone) for row in current.agencies]
    return lines or [t(lang, "onduty.nobody")]


def _agency_line(lang: str, row: svc.AgencyNow, zone: str) -> str:
    outside = [t(lang, "onduty.outside", name=name) for name in row.outside]
    here = [escape(name) for name in row.present] + outside
    names = Markup(" — " + ", ".join(here)) if here else ""
    if row.missing:
        missing = t(lang, "onduty.missing", names=", ".join(row.missing))
        names = Markup(f"{names} · {missing}")
    for name, at in row.left:
        names = Markup(f"{names} · {t(lang, 'onduty.left', name=name, time=clock_time(at, zone))}")
    if row.minimum == 0:  # outside the target's hours, or not in the target
        return t(lang, "onduty.line_free", agency=row.agency.named(lang), names=names)
    return t(
        lang,
        "onduty.line",
        mark="✓" if row.covered else "✗",
        agency=row.agency.named(lang),
        count=len(row.present),
        minimum=row.minimum,
        names=names,
    )


async def onduty(update: Update, context: BotContext) -> None:
    """Who is checked in now in my groups, agency by agency, against the minimum."""
    groups = await svc.on_duty(context.store, context.me, context.now())
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
    lines: list[str] = [t(lang, "coverage.title", group=group.name), t(lang, "coverage.planned")]
    buttons: list[Choice] = []
    for found in report.gaps:  # earliest first: the next gap is the one to fill
        gap = found.gap
        count = str(gap.lowest) if gap.lowest == gap.highest else f"{gap.lowest}–{gap.highest}"
        when = span(lang, gap.start, gap.end, group.timezone)
        lines.append(
            t(
                lang,
                "coverage.gap",
                agency=found.agency.named(lang),
                count=count,
                minimum=found.minimum,
                when=when,
            )
        )
        if len(buttons) < MAX_COVER_BUTTONS:
            label = t(lang, "coverage.find_cover", agency=found.agency.short(lang),
                      when=when_short(lang, gap.start, group.timezone))  # fmt: skip
            button = CoverFind.of(group.id, found.agency.code, gap.start, gap.end)
            buttons.append((label, button))
    if not report.gaps:
        lines.append(t(lang, "coverage.no_gaps"))
    lines += ["", t(lang, "coverage.now"), *_now_lines(lang, report.now)]
    await _send_chunks(update, context, lines, keyboard(in_rows(buttons, 1)) if buttons else None)
    agencies = await context.agencies()
    chart = await asyncio.to_thread(
        week_png, report.targets, report.planned, report.start, report.end, group.timezone,
        t(lang, "coverage.chart_title", group=group.name),
        {tg.agency: agencies.short(tg.agency, lang) for tg in report.targets},
    )  # fmt: skip
    assert update.effective_chat is not None
    await context.bot.send_photo(update.effective_chat.id, chart, caption=t(
        lang, "coverage.chart_caption"))  # fmt: skip


async def find_cover(update: Update, context: BotContext) -> None:
    """Offer the gap pressed to the agency's free colleagues in the group."""
    chosen = pressed(update, CoverFind)
    if chosen is None or not context.me.coordinates(chosen.group_id):
        await stale(update, context)
        return
    lang = context.lang
    start, end = chosen.span()
    count = await attempt(update, context, lambda: svc.find_cover(
        context.store, context.me, chosen.group_id, chosen.agency, start, end, context.now(),
    ))  # fmt: skip
    if count is None:
        return
    agency = (await context.agencies()).name(chosen.agency, lang)
    await answer(update, plural(lang, "cover.sent", count, agency=agency), alert=True)


async def mark_absent(update: Update, context: BotContext) -> None:
    """Mark a planned member absent (from a watch alert); offer to find cover."""
    done = await carry_out(update, context, ShiftAbsent, lambda b: svc.mark_absent(
        context.store, context.me, b.shift_id, context.now()))  # fmt: skip
    if done is None:
        return
    await answer(update)
    lang, shift, group = context.lang, done.shift, done.group
    cover = CoverFind.of(group.id, done.member.agency_code or "", done.gap_start, shift.ends_at)
    text = t(lang, "absent.done", name=done.member.display_name,
             when=span(lang, shift.starts_at, shift.ends_at, group.timezone))  # fmt: skip
    buttons = [(t(lang, "cover.find_button"), cover)] if done.member.agency_code else []
    await reply(update, context, text, keyboard([buttons]) if buttons else None)


async def take_cover(update: Update, context: BotContext) -> None:
    """Take a gap a coordinator offered: the first to press gets the shift."""
    shift = await carry_out(update, context, CoverTake, lambda b: svc.take_cover(
        context.store, context.me, b.offer_id, context.now()))  # fmt: skip
    if shift is None or update.callback_query is None:
        return
    lang = context.lang
    group = await members_service.group(context.store, shift.group_id)
    zone = group.timezone if group else context.settings.timezone
    await answer(update)
    await edit(
        update.callback_query,
        t(lang, "swap.you_took", when=span(lang, shift.starts_at, shift.ends_at, zone)),
    )


async def _send_chunks(
    update: Update,
    context: BotContext,
    lines: list[str],
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    chunk: list[str] = []
    size = 0
    for line in lines:
        if chunk and size + len(line) + 1 > CHUNK:
            await reply(update, context, "\n".join(chunk), markup)
            chunk, size, markup = [], 0, None  # the buttons go with the first part (the gaps)
        chunk.append(line)
        size += len(line) + 1
    if chunk:
        await reply(update, context, "\n".join(chunk), markup)


def build_handlers() -> list[Guarded]:
    """/onduty for members; /coverage for coordinators."""
    return [
        allow(Level.MEMBER, CommandHandler("onduty", onduty)),
        allow(Level.COORDINATOR, CommandHandler("coverage", coverage)),
        allow(Level.COORDINATOR, CallbackQueryHandler(coverage_group, pattern=r"^cov:g:")),
        allow(Level.COORDINATOR, CallbackQueryHandler(find_cover, pattern=r"^cov:f:")),
        allow(Level.MEMBER, CallbackQueryHandler(take_cover, pattern=r"^cov:t:")),
        allow(Level.COORDINATOR, CallbackQueryHandler(mark_absent, pattern=r"^cov:a:")),
    ]
