"""/plan: a coordinator adds or cancels one shift with buttons (group, member, day, times)."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import Update
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
    unpack_any,
)
from bot.domain.errors import DomainError
from bot.domain.flows import Flow
from bot.domain.localtime import hours_of_day, to_utc
from bot.domain.models import Group
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
from handlers.plan_times import clock_change, day_label, start_label
from handlers.typed import named_press

MENU = [MenuEntry("plan", Level.COORDINATOR, "cmd.plan")]
Rows = list[list[Choice]]
Screen = tuple[str, Rows]
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
    if not groups:
        await reply(update, context, t(context.lang, "invite.no_groups"))
        return
    await _show(update, context, None, _first(context, groups))


async def _first(context: BotContext, groups: list[Group]) -> Screen:
    if len(groups) == 1:
        return await _member_screen(context, groups[0].id)
    buttons: list[Choice] = [(g.name, PlanGroup(g.id)) for g in groups]
    return t(context.lang, "plan.choose_group"), in_rows(buttons)


async def plan_text(update: Update, context: BotContext, text: str, payload: str | None) -> None:
    """Text while the plan's buttons wait: the button it names (either language), as if
    pressed, in a new message; else point at the buttons."""
    held = unpack_any(flows.plan_shown(payload)[1], *DRAWN)
    press = await named_press(context, text, lambda: _readable(context, held))
    if not isinstance(press, STEPS) or not context.me.coordinates(press.group_id):
        await reply(update, context, t(context.lang, "flow.use_buttons"))
        return
    if isinstance(press, PlanTemplate):
        await _template(update, context, press)
        return
    await _show(update, context, press, _act(context, press))


async def _readable(context: BotContext, held: PlanPress | None) -> Screen:
    """The buttons shown, as typed text is read: a person's also answer to their name."""
    if held is None:
        text, rows = await _first(context, await groups_run_by(context.store, context.me))
    else:
        text, rows = await _act(context, held)
    names: list[Choice] = [
        (label.rsplit(" (", 1)[0], data)
        for row in rows
        for label, data in row
        if isinstance(data, PlanMember)
    ]
    return text, [*rows, names]


async def _show(
    update: Update, context: BotContext, press: PlanPress | None, drawn: Awaitable[Screen]
) -> None:
    """Send the screen a typed answer leads to; its buttons are the plan's from now on."""
    try:
        text, rows = await drawn
    except DomainError as exc:
        text, rows = explain(context.lang, exc), []
    shown = await reply(update, context, text, keyboard(rows) if rows else None)
    if shown is not None:
        await _remember(context, shown.message_id, press, rows)


async def _remember(
    context: BotContext, message_id: int, press: PlanPress | None, rows: Rows
) -> None:
    """While the plan shows buttons, /cancel takes them away and typed text is read against
    them; once it shows none, it is over."""
    if not rows:
        await prompts.done(context.store, context.me, flows.PLAN)
        return
    held = flows.plan_held(message_id, press.pack() if press else None)
    await prompts.ask(context.store, context.me, flows.PLAN, held, context.now())


async def plan_step(update: Update, context: BotContext) -> None:
    """Advance by the button pressed: member, their shifts, day, start, length."""
    query, step = update.callback_query, pressed(update, *STEPS)
    if query is None or step is None or not context.me.coordinates(step.group_id):
        await stale(update, context)
        return
    await answer(update)
    if isinstance(step, PlanTemplate):
        await _template(update, context, step)
        return
    try:
        text, rows = await _act(context, step)
    except DomainError as exc:
        text, rows = explain(context.lang, exc), []
    await edit(query, text, keyboard(rows) if rows else None)
    if query.message is not None:
        await _remember(context, query.message.message_id, step, rows)


async def _act(context: BotContext, step: PlanPress) -> Screen:
    """The screen a press leads to: the next choice, or what was done (no buttons)."""
    match step:
        case PlanGroup():
            return await _member_screen(context, step.group_id)
        case PlanMember():
            return await _member_shifts(context, step)
        case PlanDays():
            return await _days(context, step)
        case PlanDay():
            return await _starts(context, step)
        case PlanStart():
            return await _lengths(context, step)
        case PlanAdd():
            return await _add(context, step)
        case PlanCancel():
            return await _cancel(context, step)
        case PlanCopyWeek():
            return await _copy_week(context, step)
    return t(context.lang, "auth.stale_button"), []


async def _member_screen(context: BotContext, group_id: int) -> Screen:
    people = await members_service.active_in_group(context.store, group_id)
    agencies = await context.agencies()
    buttons: list[Choice] = [
        (
            f"{m.display_name[:20]} ({agencies.short(m.agency_code, context.lang)})",
            PlanMember(group_id, m.id),
        )
        for m in people
    ]
    text = t(context.lang, "plan.choose_member" if buttons else "plan.no_members")
    if not buttons:
        return text, []
    rows = in_rows(buttons)
    rows.append([(t(context.lang, "plan.copy_week_button"), PlanCopyWeek(group_id))])
    rows.append([(t(context.lang, "roster.template_button"), PlanTemplate(group_id))])
    return text, rows


async def _copy_week(context: BotContext, step: PlanCopyWeek) -> Screen:
    lang = context.lang
    try:
        done = await copy_week(context.store, context.me, step.group_id, context.now())
    except roster.RosterInvalid as exc:
        return t(lang, "plan.copy_refused", count=len(exc.problems)), []
    text = t(
        lang,
        "plan.copied",
        first=day_text(lang, done.monday),
        last=day_text(lang, done.monday + timedelta(days=6)),
        added=done.report.added,
        unchanged=done.report.unchanged,
    )
    return text, []


async def _template(update: Update, context: BotContext, step: PlanTemplate) -> None:
    name, data = await roster_template.roster_template(context.store, context.me, step.group_id)
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        data,
        filename=name,
        caption=t(context.lang, "roster.template_caption"),
    )


async def _member_shifts(context: BotContext, step: PlanMember) -> Screen:
    group_id, member_id = step.group_id, step.member_id
    lang, now = context.lang, context.now()
    member = await members_service.member(context.store, member_id)
    group = await members_service.group(context.store, group_id)
    upcoming = await upcoming_in_group(context.store, member_id, group_id, now, DAYS_AHEAD)
    if member is None or group is None or group_id not in member.group_ids:
        return t(lang, "auth.stale_button"), []
    rows: Rows = [
        [(f"🗑 {span(lang, s.starts_at, s.ends_at, group.timezone)}", PlanCancel(group_id, s.id))]
        for s in upcoming
    ]
    quick = _like_the_last(lang, upcoming, group_id, member_id, group.timezone)
    if quick is not None:
        rows.append([quick])
    rows.append([(t(lang, "plan.add_button"), PlanDays(group_id, member_id))])
    return t(lang, "plan.cancel_list", name=member.display_name), rows


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


async def _days(context: BotContext, step: PlanDays) -> Screen:
    group_id, member_id = step.group_id, step.member_id
    zone = await _zone(context, group_id)
    today = context.now().astimezone(ZoneInfo(zone)).date()
    buttons: list[Choice] = [
        (day_text(context.lang, day), PlanDay(group_id, member_id, day))
        for day in (today + timedelta(days=n) for n in range(DAYS_AHEAD))
    ]
    name = await _name(context, member_id)
    return t(context.lang, "plan.choose_day", name=name), in_rows(buttons, 4)


async def _starts(context: BotContext, step: PlanDay) -> Screen:
    day, zone = step.day, await _zone(context, step.group_id)
    hours = hours_of_day(day, zone)  # 23 on the night the clocks skip an hour, 25 on the other
    buttons: list[Choice] = [
        (
            start_label(hours, hour, fold, zone),
            PlanStart(step.group_id, step.member_id, day, hour, fold),
        )
        for hour, fold, _ in hours
    ]
    name = await _name(context, step.member_id)
    prompt = t(context.lang, "plan.choose_start", name=name, day=day_label(day))
    text = "\n".join([prompt, *clock_change(context.lang, hours, zone)])
    return text, in_rows(buttons, 6)


async def _lengths(context: BotContext, step: PlanStart) -> Screen:
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
    text = t(
        context.lang,
        "plan.choose_length",
        name=name,
        day=day_label(day),
        start=start_label(hours_of_day(day, zone), hour, fold, zone, minute),
    )
    return text, [quarters, buttons]


async def _add(context: BotContext, step: PlanAdd) -> Screen:
    group_id, member_id, length = step.group_id, step.member_id, step.hours
    zone = await _zone(context, group_id)
    if length not in LENGTHS_H:
        return t(context.lang, "auth.stale_button"), []
    # Hours are added to the instant: 8 h from 22:00 on the night the clocks go back ends at
    # 05:00, not 06:00 (which would be 9 hours of work).
    wall = datetime.combine(step.day, time(step.hour, step.quarter * 15))
    start = to_utc(wall, zone, step.fold)
    end = start + timedelta(hours=length)
    await roster.add_shift(
        context.store, context.me, member_id, group_id, start, end, context.now()
    )
    name = await _name(context, member_id)
    return t(context.lang, "plan.added", name=name, when=span(context.lang, start, end, zone)), []


async def _cancel(context: BotContext, step: PlanCancel) -> Screen:
    shift = await roster.cancel_shift(context.store, context.me, step.shift_id, context.now())
    zone = await _zone(context, shift.group_id)
    text = t(
        context.lang,
        "plan.cancelled",
        name=await _name(context, shift.member_id),
        when=span(context.lang, shift.starts_at, shift.ends_at, zone),
    )
    return text, []


async def _zone(context: BotContext, group_id: int) -> str:
    group = await members_service.group(context.store, group_id)
    return group.timezone if group else context.settings.timezone


async def _name(context: BotContext, member_id: int) -> str:
    member = await members_service.member(context.store, member_id)
    return member.display_name if member else "?"


# The presses that draw a screen of buttons (typed text is read against the last one).
DRAWN: tuple[type[PlanPress], ...] = (PlanGroup, PlanMember, PlanDays, PlanDay, PlanStart)
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
