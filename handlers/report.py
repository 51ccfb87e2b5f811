"""/report: a coordinator's (or admin's) charts and workbook, drawn in a worker process.

The drawing runs as a task of its own, so neither the bot nor the asking member waits on it;
one message shows its progress, edited in place.
"""

from __future__ import annotations

import logging

from telegram import InputMediaPhoto, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.callbacks import ReportGroup, ReportPeriod
from bot.domain.errors import DomainError
from bot.domain.models import Member
from bot.domain.periods import PeriodChoice, period_for
from bot.domain.report import ReportFigures
from bot.i18n import explain, t
from bot.reports.charts import CHARTS, chart_png, response_minutes
from bot.reports.documents import workbook
from bot.reports.text import percent
from bot.services import reports
from handlers.access import Guarded, allow
from handlers.common import (
    Choice,
    answer,
    edit,
    in_rows,
    keyboard,
    pressed,
    reply,
    stale,
)
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry

log = logging.getLogger(__name__)

MENU = [MenuEntry("report", Level.COORDINATOR, "cmd.report")]


async def report(update: Update, context: BotContext) -> None:
    """Start a report: which group (or all of mine), unless I run only one."""
    lang = context.lang
    groups = await reports.reportable_groups(context.store, context.me)
    if not groups:
        await reply(update, context, t(lang, "report.no_groups"))
        return
    if len(groups) == 1:
        await _periods(update, context, groups[0].id, groups[0].name, fresh=True)
        return
    choices: list[Choice] = [(g.name, ReportGroup(g.id)) for g in groups]
    choices.append((t(lang, "report.all_groups"), ReportGroup(None)))
    await reply(update, context, t(lang, "report.pick_groups"), keyboard(in_rows(choices, 2)))


async def _periods(
    update: Update, context: BotContext, group_id: int | None, name: str, fresh: bool
) -> None:
    lang = context.lang
    choices: list[Choice] = [
        (t(lang, f"report.period.{p.value}"), ReportPeriod(group_id, p)) for p in PeriodChoice
    ]
    text, markup = t(lang, "report.pick_period", groups=name), keyboard(in_rows(choices, 2))
    query = update.callback_query
    if fresh or query is None:
        await reply(update, context, text, markup)
    else:
        await edit(query, text, markup)


async def report_button(update: Update, context: BotContext) -> None:
    """A press in /report: the group, then the period, which starts the drawing."""
    press = pressed(update, ReportGroup, ReportPeriod)
    if press is None:
        await stale(update, context)
        return
    lang, me = context.lang, context.me
    allowed = await reports.reportable_groups(context.store, me)
    ids = [g.id for g in allowed] if press.group_id is None else [press.group_id]
    # Re-checked on every press: the data only names what was pressed.
    if not allowed or not set(ids) <= {g.id for g in allowed}:
        await answer(update, t(lang, "auth.not_allowed"), alert=True)
        return
    name = (
        t(lang, "report.all_groups")
        if press.group_id is None
        else next(g.name for g in allowed if g.id == press.group_id)
    )
    if isinstance(press, ReportGroup):
        await answer(update)
        await _periods(update, context, press.group_id, name, fresh=False)
        return
    running = context.bot_data.reports_running
    if me.id in running:
        await answer(update, t(lang, "report.busy"), alert=True)
        return
    zone = (
        next(g.timezone for g in allowed if g.id == ids[0])
        if len(ids) == 1
        else (context.settings.timezone)
    )
    request = reports.Request(tuple(ids), period_for(press.period, context.now(), zone), me)
    await answer(update)
    assert update.callback_query is not None and update.effective_chat is not None
    await edit(update.callback_query, t(lang, "report.progress.data"))
    running.add(me.id)
    context.application.create_task(
        _draw(context, me, request, name, update.callback_query.message, update.effective_chat.id),
        name=f"report-{me.id}",
    )


async def _draw(
    context: BotContext,
    me: Member,
    request: reports.Request,
    name: str,
    progress: object,
    chat_id: int,
) -> None:
    """Gather, draw and send the report, editing the progress message as it goes."""
    lang, renderer = context.lang, context.bot_data.renderer
    try:
        policy = context.bot_data.work_policy
        hidden = reports.hidden_for(me, policy)
        settings = context.settings
        figures, rows = await renderer.run(
            reports.gather,
            settings.database_path,
            settings.database_busy_timeout_ms,
            request,
            context.bot_data.flag_policy,
            context.now(),
            hidden,
        )
        pictures = []
        for index in range(len(CHARTS)):
            await _progress(
                progress, t(lang, "report.progress.chart", number=index + 1, total=len(CHARTS))
            )
            pictures.append(await renderer.run(chart_png, figures, index, lang))
        await _progress(progress, t(lang, "report.progress.workbook"))
        book = await renderer.run(workbook, figures, lang, policy.types, rows)
        await _progress(progress, t(lang, "report.progress.sending"))
        media = [
            InputMediaPhoto(picture, caption=caption, filename=f"chart-{i + 1}.png")
            for i, (picture, caption) in enumerate(
                zip(pictures, captions(figures, lang), strict=True)
            )
        ]
        # Both wait their turn, and out short 429s, below the handlers (bot/telegram_request.py).
        await context.bot.send_media_group(chat_id, media, protect_content=True)
        await context.bot.send_document(
            chat_id, book, filename=_file_name(figures), protect_content=True
        )
        await reports.record_export(context.store, request, context.now())
        period = request.period
        await _progress(
            progress,
            t(
                lang,
                "report.done",
                groups=name,
                first=period.first.isoformat(),
                last=period.last.isoformat(),
            ),
        )
    except DomainError as exc:
        await _progress(progress, explain(lang, exc))
    except (TelegramError, OSError, RuntimeError) as exc:
        # The worker died or Telegram refused: say so, and log the kind of failure only.
        log.warning("report for member %s failed: %s", me.id, type(exc).__name__)
        await _progress(progress, t(lang, "report.failed"))
    finally:
        context.bot_data.reports_running.discard(me.id)


async def _progress(message: object, text: str) -> None:
    if not isinstance(message, Message):
        return
    try:
        await message.edit_text(text)
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise


def _file_name(figures: ReportFigures) -> str:
    return f"samverkan-{figures.period.first.isoformat()}-{figures.period.last.isoformat()}.xlsx"


def captions(figures: ReportFigures, lang: str) -> list[str]:
    """One line per chart, each holding its key number (numbers and codes only)."""
    key = figures.key
    target = (
        t(lang, "caption.mix_target", target=round(key.target_pct))
        if key.target_pct is not None
        else ""
    )
    share = "–" if key.relationship_pct is None else percent(lang, key.relationship_pct / 100)
    return [
        t(lang, "caption.coverage", share=percent(lang, key.met_overall)),
        t(lang, "caption.mix", share=share, target=target),
        t(lang, "caption.together", flags=key.flag_targets, joint=key.joint_activities),
        t(
            lang,
            "caption.response",
            share=percent(lang, key.in_time_share),
            median=response_minutes(
                lang, None if key.median_ack_minutes is None else key.median_ack_minutes * 60
            ),
        ),
        t(
            lang,
            "caption.reach",
            people=key.residents_at_least,
            count=key.count_by_kind["relationship"],
        ),
    ]


def build_handlers() -> list[Guarded]:
    """Coordinators and admins; every press re-checks which groups they may report on."""
    return [
        allow(Level.COORDINATOR, CommandHandler("report", report)),
        allow(Level.COORDINATOR, CallbackQueryHandler(report_button, pattern=r"^rp:")),
    ]
