"""/plan: a coordinator adds or cancels one shift with buttons (group, member, day, times)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.errors import DomainError
from bot.i18n import explain, span, t, when
from bot.services import members as members_service
from bot.services import roster
from bot.services.members import groups_run_by
from bot.services.shifts import upcoming_in_group
from handlers.access import Guarded, allow
from handlers.common import answer, as_int, edit, in_rows, keyboard, reply
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry

MENU = [MenuEntry("plan", Level.COORDINATOR, "cmd.plan")]
DAYS_AHEAD = 14
LENGTHS_H = (4, 6, 8, 10, 12)


async def plan(update: Update, context: BotContext) -> None:
    """Choose the group to plan."""
    groups = await groups_run_by(context.store, context.me)
    buttons = [(g.name, f"pln:g:{g.id}") for g in groups]
    if not buttons:
        await reply(update, context, t(context.lang, "invite.no_groups"))
        return
    await reply(update, context, t(context.lang, "plan.choose_group"), keyboard(in_rows(buttons)))


async def plan_step(update: Update, context: BotContext) -> None:
    """Advance by the button pressed: member, their shifts, day, start, length."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    numbers = [as_int(p) for p in parts[2:]]
    if not numbers or None in numbers or not context.me.coordinates(numbers[0] or 0):
        await answer(update, t(context.lang, "auth.stale_button"))
        return
    ids = [n or 0 for n in numbers]
    await answer(update)
    try:
        await _STEPS.get((parts[1], len(ids)), _stale)(update, context, ids)
    except DomainError as exc:
        await edit(query, explain(context.lang, exc))


async def _stale(update: Update, context: BotContext, _ids: list[int]) -> None:
    assert update.callback_query is not None
    await edit(update.callback_query, t(context.lang, "auth.stale_button"))


async def _members(update: Update, context: BotContext, ids: list[int]) -> None:
    people = await members_service.active_in_group(context.store, ids[0])
    buttons = [
        (f"{m.display_name[:20]} ({m.agency_code or '–'})", f"pln:m:{ids[0]}:{m.id}")
        for m in people
    ]
    assert update.callback_query is not None
    text = t(context.lang, "plan.choose_member" if buttons else "plan.no_members")
    await edit(update.callback_query, text, keyboard(in_rows(buttons)) if buttons else None)


async def _member_shifts(update: Update, context: BotContext, ids: list[int]) -> None:
    group_id, member_id = ids
    lang, now = context.lang, context.now()
    member = await members_service.member(context.store, member_id)
    group = await members_service.group(context.store, group_id)
    upcoming = await upcoming_in_group(context.store, member_id, group_id, now, DAYS_AHEAD)
    if member is None or group is None or group_id not in member.group_ids:
        await _stale(update, context, ids)
        return
    rows = [
        [(f"🗑 {span(lang, s.starts_at, s.ends_at, group.timezone)}", f"pln:c:{group_id}:{s.id}")]
        for s in upcoming
    ]
    rows.append([(t(lang, "plan.add_button"), f"pln:d:{group_id}:{member_id}")])
    assert update.callback_query is not None
    await edit(
        update.callback_query,
        t(lang, "plan.cancel_list", name=member.display_name),
        keyboard(rows),
    )


async def _days(update: Update, context: BotContext, ids: list[int]) -> None:
    group_id, member_id = ids
    zone = await _zone(context, group_id)
    today = context.now().astimezone(zone).date()
    buttons = [
        (
            when(context.lang, datetime.combine(day, datetime.min.time(), zone), str(zone)).rsplit(
                " ", 1
            )[0],
            f"pln:s:{group_id}:{member_id}:{day:%Y%m%d}",
        )
        for day in (today + timedelta(days=n) for n in range(DAYS_AHEAD))
    ]
    name = await _name(context, member_id)
    assert update.callback_query is not None
    await edit(
        update.callback_query,
        t(context.lang, "plan.choose_day", name=name),
        keyboard(in_rows(buttons, 4)),
    )


async def _starts(update: Update, context: BotContext, ids: list[int]) -> None:
    group_id, member_id, day = ids
    buttons = [(f"{h:02d}:00", f"pln:l:{group_id}:{member_id}:{day}:{h}") for h in range(24)]
    name = await _name(context, member_id)
    assert update.callback_query is not None
    await edit(
        update.callback_query,
        t(context.lang, "plan.choose_start", name=name, day=_day_text(day)),
        keyboard(in_rows(buttons, 6)),
    )


async def _lengths(update: Update, context: BotContext, ids: list[int]) -> None:
    group_id, member_id, day, hour = ids
    buttons = [(f"{n} h", f"pln:a:{group_id}:{member_id}:{day}:{hour}:{n}") for n in LENGTHS_H]
    name = await _name(context, member_id)
    assert update.callback_query is not None
    await edit(
        update.callback_query,
        t(
            context.lang,
            "plan.choose_length",
            name=name,
            day=_day_text(day),
            start=f"{hour:02d}:00",
        ),
        keyboard([buttons]),
    )


async def _add(update: Update, context: BotContext, ids: list[int]) -> None:
    group_id, member_id, day, hour, length = ids
    zone = await _zone(context, group_id)
    if not (0 <= hour < 24 and length in LENGTHS_H):
        await _stale(update, context, ids)
        return
    try:
        start = datetime.strptime(f"{day}{hour:02d}", "%Y%m%d%H").replace(tzinfo=zone)
    except ValueError:  # forged or garbled callback data
        await _stale(update, context, ids)
        return
    end = start + timedelta(hours=length)
    await roster.add_shift(
        context.store, context.me, member_id, group_id, start, end, context.now()
    )
    assert update.callback_query is not None
    text = t(
        context.lang,
        "plan.added",
        name=await _name(context, member_id),
        when=span(context.lang, start, end, str(zone)),
    )
    await edit(update.callback_query, text)


async def _cancel(update: Update, context: BotContext, ids: list[int]) -> None:
    shift = await roster.cancel_shift(context.store, context.me, ids[1], context.now())
    zone = await _zone(context, shift.group_id)
    assert update.callback_query is not None
    text = t(
        context.lang,
        "plan.cancelled",
        name=await _name(context, shift.member_id),
        when=span(context.lang, shift.starts_at, shift.ends_at, str(zone)),
    )
    await edit(update.callback_query, text)


async def _zone(context: BotContext, group_id: int) -> ZoneInfo:
    group = await members_service.group(context.store, group_id)
    return ZoneInfo(group.timezone if group else context.settings.timezone)


async def _name(context: BotContext, member_id: int) -> str:
    member = await members_service.member(context.store, member_id)
    return member.display_name if member else "?"


def _day_text(day: int) -> str:
    text = str(day)
    return f"{text[6:8]}/{text[4:6]}"


_STEPS = {
    ("g", 1): _members,
    ("m", 2): _member_shifts,
    ("d", 2): _days,
    ("s", 3): _starts,
    ("l", 4): _lengths,
    ("a", 5): _add,
    ("c", 2): _cancel,
}


def build_handlers() -> list[Guarded]:
    """Planning is for coordinators and admins."""
    return [
        allow(Level.COORDINATOR, CommandHandler("plan", plan)),
        allow(Level.COORDINATOR, CallbackQueryHandler(plan_step, pattern=r"^pln:")),
    ]
