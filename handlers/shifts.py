"""An expert's shifts (/shifts, /calendar, swaps) and coordinators' roster uploads."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.callbacks import CalendarCancel, SwapOffer, SwapTake
from bot.domain.errors import DomainError
from bot.i18n import clock_time, explain, plural, span, t
from bot.services import members as members_service
from bot.services import roster
from bot.services import shifts as svc
from handlers.access import Guarded, allow
from handlers.common import answer, edit, in_rows, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry

MENU = [
    MenuEntry("shifts", Level.MEMBER, "cmd.shifts"),
    MenuEntry("calendar", Level.MEMBER, "cmd.calendar"),
]
MAX_ROSTER_BYTES = 1_000_000
MAX_PROBLEMS_SHOWN = 30


async def shifts(update: Update, context: BotContext) -> None:
    """List my shifts for the next 7 days and whether I am checked in now."""
    lang, now = context.lang, context.now()
    week = await svc.my_week(context.store, context.me, now)
    lines: list[str] = [t(lang, "shifts.title")]
    lines += [
        t(lang, "shifts.line", when=span(lang, s.starts_at, s.ends_at, g.timezone), group=g.name)
        for s, g in week.shifts
    ] or [t(lang, "shifts.none")]
    if week.presence and week.presence_group:
        since = clock_time(week.presence.checked_in_at, week.presence_group.timezone)
        lines.append(
            "\n" + t(lang, "shifts.checked_in", group=week.presence_group.name, since=since)
        )
    else:
        lines.append("\n" + t(lang, "shifts.not_checked_in"))
    offers = [
        (
            t(lang, "shifts.offer_button", when=span(lang, s.starts_at, s.ends_at, g.timezone)),
            SwapOffer(s.id),
        )
        for s, g in week.shifts
        if s.starts_at > now
    ]
    await reply(
        update, context, "\n".join(lines), keyboard(in_rows(offers, 1)) if offers else None
    )


async def calendar(update: Update, context: BotContext) -> None:
    """Send my upcoming shifts as an .ics file."""
    data = await svc.calendar(context.store, context.me, context.now())
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        data,
        filename="samverkan.ics",
        caption=t(context.lang, "shifts.ics_caption"),
    )


async def calendar_cancel(update: Update, context: BotContext) -> None:
    """Send the cancellation of a cancelled shift of mine, so my phone's calendar follows."""
    button = pressed(update, CalendarCancel)
    if button is None:
        await stale(update, context)
        return
    try:
        data = await svc.cancellation(context.store, context.me, button.shift_id, context.now())
    except DomainError as exc:
        await answer(update, explain(context.lang, exc), alert=True)
        return
    await answer(update)
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        data,
        filename="samverkan-cancel.ics",
        caption=t(context.lang, "shifts.ics_cancel_caption"),
    )


async def swap(update: Update, context: BotContext) -> None:
    """Offer one of my shifts, or take a colleague's offer."""
    query, button = update.callback_query, pressed(update, SwapOffer, SwapTake)
    if query is None or button is None:
        await stale(update, context)
        return
    lang, now = context.lang, context.now()
    try:
        if isinstance(button, SwapOffer):
            count = await svc.offer_swap(context.store, context.me, button.shift_id, now)
            await answer(update, plural(lang, "swap.offer_sent", count), alert=True)
        else:
            shift = await svc.take_swap(context.store, context.me, button.offer_id, now)
            group = await members_service.group(context.store, shift.group_id)
            zone = group.timezone if group else context.settings.timezone
            await answer(update)
            await edit(
                query,
                t(lang, "swap.you_took", when=span(lang, shift.starts_at, shift.ends_at, zone)),
            )
    except DomainError as exc:
        await answer(update, explain(lang, exc), alert=True)


async def roster_file(update: Update, context: BotContext) -> None:
    """Import a roster CSV sent as a file: all lines or none."""
    assert update.message is not None and update.message.document is not None
    doc, lang = update.message.document, context.lang
    if (doc.file_size or 0) > MAX_ROSTER_BYTES or not (doc.file_name or "").lower().endswith(
        (".csv", ".txt")
    ):
        await reply(update, context, t(lang, "roster.not_csv"))
        return
    raw = bytes(await (await context.bot.get_file(doc.file_id)).download_as_bytearray())
    try:
        report = await roster.import_roster_file(context.store, raw, context.now(), context.me)
    except roster.RosterInvalid as exc:
        await reply(update, context, _problems(lang, exc))
        return
    except DomainError as exc:
        await reply(update, context, explain(lang, exc))
        return
    await reply(
        update,
        context,
        t(
            lang,
            "roster.imported",
            added=report.added,
            unchanged=report.unchanged,
            told=report.members_told,
        ),
    )


def _problems(lang: str, exc: roster.RosterInvalid) -> str:
    lines = [explain(lang, exc)]
    for problem in exc.problems[:MAX_PROBLEMS_SHOWN]:
        described = t(lang, problem.key, **problem.values())
        lines.append(t(lang, "roster.problem", line=problem.line, problem=described))
    if len(exc.problems) > MAX_PROBLEMS_SHOWN:
        lines.append(t(lang, "roster.more", count=len(exc.problems) - MAX_PROBLEMS_SHOWN))
    return "\n".join(lines)


def build_handlers() -> list[Guarded]:
    """Experts see and swap their shifts; coordinators upload rosters."""
    return [
        allow(Level.MEMBER, CommandHandler("shifts", shifts)),
        allow(Level.MEMBER, CommandHandler("calendar", calendar)),
        allow(Level.MEMBER, CallbackQueryHandler(swap, pattern=r"^swp:")),
        allow(Level.MEMBER, CallbackQueryHandler(calendar_cancel, pattern=r"^cal:x:")),
        allow(
            Level.COORDINATOR,
            MessageHandler(filters.UpdateType.MESSAGE & filters.Document.ALL, roster_file),
        ),
    ]
