"""/plan: a coordinator adds or cancels one shift with buttons (group, member, day, times)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.callbacks import (
    PlanAdd,
    PlanCancel,
    PlanCopyWeek,
    PlanDay,
    PlanDays,
    PlanGroup,
    PlanMember,
    PlanPress,
    PlanStart,
    PlanTemplate,
)
from bot.domain.errors import DomainError
from bot.domain.flows import Flow
from bot.domain.localtime import hours_of_day, to_utc
from bot.domain.shifts import Shift
from bot.i18n import day_text, explain, span, t
from bot.services import flows, prompts, roster, roster_template
from bot.services import members as members_service
from bot.services.members import groups_run_by
from bot.services.plan_week import copy_week
from bot.services.shifts import upcoming_in_group
from handlers.access import Guarded, allow
from handlers.common import Choice, answer, edit, in_rows, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.flows import ask_first
from handlers.levels import Level
from handlers.menu import MenuEntry

MENU = [MenuEntry("plan", Level.COORDINATOR, "cmd.plan")]
DAYS_AHEAD = 14
LENGTHS_H = (4, 6, 8, 10, 12)


async def plan(update: Update, context: BotContext) -> None:
    """Plan shifts (after asking about an unfinished draft: planning takes several screens,
    so it is a flow like /log, not a quick look in between)."""
    if not await ask_first(update, context, Flow.PLAN):
        await begin(update, context, None)


async def begin(update: Update, context: BotContext, _flag_id: int | None) -> None:
    """Choose the group to plan (straight to its people when there is one)."""
    groups = await groups_run_by(context.store, context.me)
    buttons = [(g.name, PlanGroup(g.id)) for g in groups]
    if not buttons:
        await reply(update, context, t(context.lang, "invite.no_groups"))
        return
    if len(groups) == 1:
        text, markup = await _member_screen(context, groups[0].id)
    else:
        text, markup = t(context.lang, "plan.choose_group"), keyboard(in_rows(buttons))
    shown = await reply(update, context, text, markup)
    if shown is not None and markup is not None:
        # /cancel takes these buttons away; typed text meanwhile is pointed at them.
        await prompts.ask(context.store, context.me, flows.PLAN, str(shown.message_id),
                          context.now())  # fmt: skip


async def plan_text(update: Update, context: BotContext, _text: str, _payload: str | None) -> None:
    """Text while the plan's buttons wait: point at them."""
    await reply(update, context, t(context.lang, "flow.use_buttons"))


async def plan_step(update: Update, context: BotContext) -> None:
    """Advance by the button pressed: member, their shifts, day, start, length."""
    query, step = update.callback_query, pressed(update, *STEPS)
    if query is None or step is None or not context.me.coordinates(step.group_id):
        await stale(update, context)
        return
    await answer(update)
    try:
        match step:
            case PlanGroup():
                await _members(update, context, step)
            case PlanMember():
                await _member_shifts(update, context, step)
            case PlanDays():
                await _days(update, context, step)
            case PlanDay():
                await _starts(update, context, step)
            case PlanStart():
                await _lengths(update, context, step)
            case PlanAdd():
                await _add(update, context, step)
            case PlanCancel():
                await _cancel(update, context, step)
            case PlanTemplate():
                await _template(update, context, step)
            case PlanCopyWeek():
                await _copy_week(update, context, step)
    except DomainError as exc:
        await edit(query, explain(context.lang, exc))
    if isinstance(step, PlanAdd | PlanCancel | PlanCopyWeek):
        await prompts.done(context.store, context.me, flows.PLAN)  # its message has no buttons


async def _stale(update: Update, context: BotContext) -> None:
    assert update.callback_query is not None
    await edit(update.callback_query, t(context.lang, "auth.stale_button"))


async def _members(update: Update, context: BotContext, step: PlanGroup) -> None:
    text, markup = await _member_screen(context, step.group_id)
    assert update.callback_query is not None
    await edit(update.callback_query, text, markup)


async def _member_screen(
    context: BotContext, group_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    people = await members_service.active_in_group(context.store, group_id)
    agencies = await context.agencies()
    buttons = [
        (
            f"{m.display_name[:20]} ({agencies.short(m.agency_code, context.lang)})",
            PlanMember(group_id, m.id),
        )
        for m in people
    ]
    text = t(context.lang, "plan.choose_member" if buttons else "plan.no_members")
    if not buttons:
        return text, None
    rows = in_rows(buttons)
    rows.append([(t(context.lang, "plan.copy_week_button"), PlanCopyWeek(group_id))])
    rows.append([(t(context.lang, "roster.template_button"), PlanTemplate(group_id))])
    return text, keyboard(rows)


async def _copy_week(update: Update, context: BotContext, step: PlanCopyWeek) -> None:
    lang, query = context.lang, update.callback_query
    assert query is not None
    try:
        done = await copy_week(context.store, context.me, step.group_id, context.now())
    except roster.RosterInvalid as exc:
        await edit(query, t(lang, "plan.copy_refused", count=len(exc.problems)))
        return
    text = t(
        lang,
        "plan.copied",
        first=day_text(lang, done.monday),
        last=day_text(lang, done.monday + timedelta(days=6)),
        added=done.report.added,
        unchanged=done.report.unchanged,
    )
    await edit(query, text)


async def _template(update: Update, context: BotContext, step: PlanTemplate) -> None:
    name, data = await roster_template.roster_template(context.store, context.me, step.group_id)
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        data,
        filename=name,
        caption=t(context.lang, "roster.template_caption"),
    )


async def _member_shifts(update: Update, context: BotContext, step: PlanMember) -> None:
    group_id, member_id = step.group_id, step.member_id
    lang, now = context.lang, context.now()
    member = await members_service.member(context.store, member_id)
    group = await members_service.group(context.store, group_id)
    upcoming = await upcoming_in_group(context.store, member_id, group_id, now, DAYS_AHEAD)
    if member is None or group is None or group_id not in member.group_ids:
        await _stale(update, context)
        return
    rows: list[list[Choice]] = [
        [(f"🗑 {span(lang, s.starts_at, s.ends_at, group.timezone)}", PlanCancel(group_id, s.id))]
        for s in upcoming
    ]
    quick = _like_the_last(lang, upcoming, group_id, member_id, group.timezone)
    if quick is not None:
        rows.append([quick])
    rows.append([(t(lang, "plan.add_button"), PlanDays(group_id, member_id))])
    assert update.callback_query is not None
    await edit(
        update.callback_query,
        t(lang, "plan.cancel_list", name=member.display_name),
        keyboard(rows),
    )


def _like_the_last(
    lang: str, upcoming: list[Shift], group_id: int, member_id: int, zone: str
) -> Choice | None:
    """One tap for the usual: the day after the last planned shift, at the same time."""
    if not upcoming:
        return None
    last = upcoming[-1]
    start, length = last.starts_at.astimezone(ZoneInfo(zone)), last.ends_at - last.starts_at
    hours = int(length.total_seconds() // 3600)
    if hours not in LENGTHS_H or length != timedelta(hours=hours) or start.minute % 15:
        return None  # not a shift /plan's buttons could make
    day = start.date() + timedelta(days=1)
    try:
        first = to_utc(datetime.combine(day, start.time()), zone)
    except DomainError:
        return None  # that time does not exist, or exists twice, on that day
    when = span(lang, first, first + length, zone)
    button = PlanAdd(group_id, member_id, day, start.hour, hours, 0, start.minute // 15)
    return (t(lang, "plan.like_last", when=when), button)


async def _days(update: Update, context: BotContext, step: PlanDays) -> None:
    group_id, member_id = step.group_id, step.member_id
    zone = await _zone(context, group_id)
    today = context.now().astimezone(ZoneInfo(zone)).date()
    buttons = [
        (day_text(context.lang, day), PlanDay(group_id, member_id, day))
        for day in (today + timedelta(days=n) for n in range(DAYS_AHEAD))
    ]
    name = await _name(context, member_id)
    assert update.callback_query is not None
    await edit(
        update.callback_query,
        t(context.lang, "plan.choose_day", name=name),
        keyboard(in_rows(buttons, 4)),
    )


async def _starts(update: Update, context: BotContext, step: PlanDay) -> None:
    day, zone = step.day, await _zone(context, step.group_id)
    hours = hours_of_day(day, zone)  # 23 on the night the clocks skip an hour, 25 on the other
    buttons = [
        (
            _start_label(hours, hour, fold, zone),
            PlanStart(step.group_id, step.member_id, day, hour, fold),
        )
        for hour, fold, _ in hours
    ]
    name = await _name(context, step.member_id)
    prompt = t(context.lang, "plan.choose_start", name=name, day=_day_text(day))
    text = "\n".join([prompt, *_clock_change(context.lang, hours, zone)])
    assert update.callback_query is not None
    await edit(update.callback_query, text, keyboard(in_rows(buttons, 6)))


async def _lengths(update: Update, context: BotContext, step: PlanStart) -> None:
    day, hour, fold, zone = step.day, step.hour, step.fold, await _zone(context, step.group_id)
    minute = step.quarter * 15
    to_utc(datetime.combine(day, time(hour, minute)), zone, fold)  # refuses a skipped time
    quarters: list[Choice] = [
        (
            f"{hour:02d}:{q * 15:02d}",
            PlanStart(step.group_id, step.member_id, day, hour, fold, q),
        )
        for q in range(4)  # a start on the quarter hour, one tap away
    ]
    buttons: list[Choice] = [
        (f"{n} h", PlanAdd(step.group_id, step.member_id, day, hour, n, fold, step.quarter))
        for n in LENGTHS_H
    ]
    name = await _name(context, step.member_id)
    assert update.callback_query is not None
    await edit(
        update.callback_query,
        t(
            context.lang,
            "plan.choose_length",
            name=name,
            day=_day_text(day),
            start=_start_label(hours_of_day(day, zone), hour, fold, zone, minute),
        ),
        keyboard([quarters, buttons]),
    )


async def _add(update: Update, context: BotContext, step: PlanAdd) -> None:
    group_id, member_id, length = step.group_id, step.member_id, step.hours
    zone = await _zone(context, group_id)
    if length not in LENGTHS_H:
        await _stale(update, context)
        return
    # Hours are added to the instant: 8 h from 22:00 on the night the clocks go back ends at
    # 05:00, not 06:00 (which would be 9 hours of work).
    wall = datetime.combine(step.day, time(step.hour, step.quarter * 15))
    start = to_utc(wall, zone, step.fold)
    end = start + timedelta(hours=length)
    await roster.add_shift(
        context.store, context.me, member_id, group_id, start, end, context.now()
    )
    assert update.callback_query is not None
    text = t(
        context.lang,
        "plan.added",
        name=await _name(context, member_id),
        when=span(context.lang, start, end, zone),
    )
    await edit(update.callback_query, text)


async def _cancel(update: Update, context: BotContext, step: PlanCancel) -> None:
    shift = await roster.cancel_shift(context.store, context.me, step.shift_id, context.now())
    zone = await _zone(context, shift.group_id)
    assert update.callback_query is not None
    text = t(
        context.lang,
        "plan.cancelled",
        name=await _name(context, shift.member_id),
        when=span(context.lang, shift.starts_at, shift.ends_at, zone),
    )
    await edit(update.callback_query, text)


async def _zone(context: BotContext, group_id: int) -> str:
    group = await members_service.group(context.store, group_id)
    return group.timezone if group else context.settings.timezone


def _start_label(
    hours: list[tuple[int, int, datetime]], hour: int, fold: int, zone: str, minute: int = 0
) -> str:
    """ "02:00", or "02:00 CEST" / "02:00 CET" for an hour the clocks show twice that night."""
    named = _zone_names(hours, hour, zone)
    shown = f"{hour:02d}:{minute:02d}"
    return shown if len(named) < 2 else f"{shown} {named[fold]}"


def _zone_names(hours: list[tuple[int, int, datetime]], hour: int, zone: str) -> list[str]:
    return [m.astimezone(ZoneInfo(zone)).tzname() or "" for h, _, m in hours if h == hour]


def _clock_change(lang: str, hours: list[tuple[int, int, datetime]], zone: str) -> list[str]:
    """A line saying which hours the clocks skip or repeat on this day, if they change."""
    shown = [hour for hour, _, _ in hours]
    skipped = [hour for hour in range(24) if hour not in shown]
    doubled = sorted({hour for hour in shown if shown.count(hour) > 1})
    lines: list[str] = []
    if skipped:
        start, end = f"{skipped[0]:02d}:00", f"{skipped[-1] + 1:02d}:00"
        lines.append(t(lang, "plan.clocks_forward", start=start, end=end))
    if doubled:
        start, end = f"{doubled[0]:02d}:00", f"{doubled[-1] + 1:02d}:00"
        first, second = _zone_names(hours, doubled[0], zone)
        lines.append(t(lang, "plan.clocks_back", start=start, end=end, first=first, second=second))
    return lines


async def _name(context: BotContext, member_id: int) -> str:
    member = await members_service.member(context.store, member_id)
    return member.display_name if member else "?"


def _day_text(day: date) -> str:
    return f"{day:%d/%m}"


STEPS: tuple[type[PlanPress], ...] = (
    PlanGroup,
    PlanMember,
    PlanDays,
    PlanDay,
    PlanStart,
    PlanAdd,
    PlanCancel,
    PlanTemplate,
    PlanCopyWeek,
)


def build_handlers() -> list[Guarded]:
    """Planning is for coordinators and admins."""
    return [
        allow(Level.COORDINATOR, CommandHandler("plan", plan)),
        allow(Level.COORDINATOR, CallbackQueryHandler(plan_step, pattern=r"^pln:")),
    ]


PROMPTS = {flows.PLAN: plan_text}
BEGINS = {Flow.PLAN: begin}
