"""/mylog: my entries this week, each entry's card, corrections and deletions."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.agencies import Directory
from bot.domain.callbacks import (
    EntryAsk,
    EntryDelete,
    EntryField,
    EntryGroupList,
    EntryMinutes,
    EntryOpen,
    EntryResidents,
)
from bot.domain.errors import DomainError
from bot.domain.worklog import DURATIONS, Activity, Residents
from bot.i18n import Markup, escape, explain, t, when
from bot.reports.text import type_label
from bot.services import worklog as svc
from handlers.access import Guarded, allow
from handlers.common import Choice, answer, edit, in_rows, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry, Section
from handlers.worklog import duration_label

MENU = [MenuEntry("mylog", Level.MEMBER, "cmd.mylog", task=Section.SHIFT)]
WEEK = timedelta(days=7)


def _zone(context: BotContext) -> str:
    return context.settings.timezone


def _line(context: BotContext, entry: Activity) -> str:
    return t(
        context.lang,
        "mylog.line",
        number=entry.id,
        when=when(context.lang, entry.done_at, _zone(context)),
        type=type_label(context.lang, entry.type, context.bot_data.work_policy.types),
        duration=duration_label(context.lang, entry.minutes),
    )


async def _mix_line(context: BotContext) -> str:
    """The group's last 7 days against its target: the aggregate every expert may see."""
    lang, now = context.lang, context.now()
    # Work logged this very second counts: the window's end is exclusive.
    end = now + timedelta(seconds=1)
    mix = await svc.mix(context.store, list(context.me.group_ids), end - WEEK, end)
    target = (
        t(lang, "mylog.target", target=mix.target_pct, phase=t(lang, f"phase.{mix.phase.value}"))
        if mix.target_pct is not None and mix.phase is not None
        else ""
    )
    share = "–" if mix.relationship_pct is None else f"{mix.relationship_pct} %"
    return t(
        lang,
        "mylog.mix",
        boundary=round(mix.boundary / 60, 1),
        relationship=round(mix.relationship / 60, 1),
        share=share,
        target=Markup(target),
    )


async def mylog(update: Update, context: BotContext) -> None:
    """List my entries this week, each opening its card, and my group's mix."""
    me, lang = context.me, context.lang
    entries = await svc.my_week(context.store, me, context.now(), _zone(context))
    lines: list[str] = [t(lang, "mylog.title", count=len(entries))]
    lines += [_line(context, e) for e in entries] or [t(lang, "mylog.none")]
    if me.group_ids:
        lines.append(await _mix_line(context))
    rows: list[list[Choice]] = in_rows([(f"#{e.id}", EntryOpen(e.id)) for e in entries], 5)
    if any(me.coordinates(g) for g in me.group_ids):
        rows.append([(t(lang, "mylog.btn.group"), EntryGroupList())])
    await reply(update, context, "\n".join(lines), keyboard(rows) if rows else None)


def card(
    context: BotContext, entry: Activity, note_ok: bool, group: str, agencies: Directory
) -> str:
    """An entry as its author or a coordinator reads it (the note only for those allowed)."""
    lang = context.lang
    return t(
        lang,
        "entry.card",
        number=entry.id,
        when=when(lang, entry.done_at, _zone(context)),
        kind=t(lang, f"log.kind.{entry.kind.value}"),
        type=type_label(lang, entry.type, context.bot_data.work_policy.types),
        partners=agencies.names(entry.partners, lang) or t(lang, "log.nobody"),
        residents=t(lang, f"log.residents.{entry.residents.value}"),
        duration=duration_label(lang, entry.minutes),
        group=group,
        agency=agencies.name(entry.agency_code, lang),
        flag=t(lang, "log.flag_part", number=entry.flag_id) if entry.flag_id else "",
        note=t(lang, "log.note_part", note=escape(entry.note)) if note_ok and entry.note else "",
    )


def _buttons(context: BotContext, entry: Activity, note_ok: bool) -> list[list[Choice]]:
    lang, i = context.lang, entry.id
    rows: list[list[Choice]] = [
        [
            (t(lang, "entry.btn.residents"), EntryAsk(i, EntryField.RESIDENTS)),
            (t(lang, "entry.btn.duration"), EntryAsk(i, EntryField.MINUTES)),
        ]
    ]
    if note_ok:
        rows.append([(t(lang, "entry.btn.note"), EntryAsk(i, EntryField.NOTE))])
    rows.append([(t(lang, "entry.btn.delete"), EntryAsk(i, EntryField.DELETE))])
    return rows


async def _show(update: Update, context: BotContext, activity_id: int, fresh: bool) -> None:
    """Send (or edit into place) an entry's card; UnknownEntry before anything is answered."""
    entry, note_ok, changeable = await svc.view(
        context.store, context.me, activity_id, context.now()
    )
    group = await svc.group_name(context.store, entry.group_id)
    text = card(context, entry, note_ok, group, await context.agencies())
    markup = keyboard(_buttons(context, entry, note_ok)) if changeable else None
    await answer(update)
    query = update.callback_query
    if fresh or query is None:
        await reply(update, context, text, markup)
    else:
        await edit(query, text, markup)


async def entry_button(update: Update, context: BotContext) -> None:
    """A press on an entry: open it, ask what to change, change it or delete it."""
    press = pressed(update, EntryOpen, EntryAsk, EntryResidents, EntryMinutes, EntryDelete)
    if press is None:
        await stale(update, context)
        return
    store, me, now, lang = context.store, context.me, context.now(), context.lang
    try:
        match press:
            case EntryOpen(activity_id=i):
                await _show(update, context, i, fresh=True)
                return
            case EntryAsk(activity_id=i, field=EntryField.NOTE):
                await svc.ask_note(store, me, i, now)
                await answer(update)
                await reply(update, context, t(lang, "entry.ask_note", number=i))
                return
            case EntryAsk(activity_id=i, field=field):
                await _ask(update, context, i, field)
                return
            case EntryResidents(activity_id=i, residents=residents):
                await svc.change(store, me, i, now, residents=residents)
            case EntryMinutes(activity_id=i, minutes=minutes):
                await svc.change(store, me, i, now, minutes=minutes)
            case EntryDelete(activity_id=i):
                await svc.delete(store, me, i, now)
                await answer(update, t(lang, "entry.deleted", number=i))
                assert update.callback_query is not None
                await edit(update.callback_query, t(lang, "entry.deleted", number=i))
                return
    except DomainError as exc:
        await answer(update, explain(lang, exc), alert=True)
        return
    assert isinstance(press, EntryResidents | EntryMinutes)
    await _show(update, context, press.activity_id, fresh=False)


async def _ask(update: Update, context: BotContext, activity_id: int, field: EntryField) -> None:
    """Offer the choices for one part of an entry, after checking it may still be changed."""
    lang = context.lang
    _entry, _note_ok, changeable = await svc.view(
        context.store, context.me, activity_id, context.now()
    )
    if not changeable:
        await answer(update, t(lang, "log.too_late"), alert=True)
        return
    if field is EntryField.RESIDENTS:
        options: list[Choice] = [
            (t(lang, f"log.residents.{r.value}"), EntryResidents(activity_id, r))
            for r in Residents
        ]
        text = t(lang, "entry.pick_residents")
    elif field is EntryField.MINUTES:
        options = [(duration_label(lang, m), EntryMinutes(activity_id, m)) for m in DURATIONS]
        text = t(lang, "entry.pick_duration")
    else:
        options = [(t(lang, "entry.btn.delete"), EntryDelete(activity_id))]
        text = t(lang, "entry.confirm_delete", number=activity_id)
    await answer(update)
    assert update.callback_query is not None
    await edit(update.callback_query, text, keyboard(in_rows(options, 3)))


async def group_entries(update: Update, context: BotContext) -> None:
    """This week's entries in the groups I run (coordinators)."""
    lang = context.lang
    try:
        entries = await svc.group_week(context.store, context.me, context.now(), _zone(context))
    except DomainError as exc:
        await answer(update, explain(lang, exc), alert=True)
        return
    await answer(update)
    lines: list[str] = [t(lang, "mylog.group_title", count=len(entries))]
    agencies = await context.agencies()
    lines += [f"{_line(context, e)} · {agencies.short(e.agency_code, lang)}" for e in entries]
    if not entries:
        lines.append(t(lang, "mylog.none"))
    rows = in_rows([(f"#{e.id}", EntryOpen(e.id)) for e in entries], 5)
    await reply(update, context, "\n".join(lines), keyboard(rows) if rows else None)


async def note_text(update: Update, context: BotContext, text: str, payload: str | None) -> None:
    """Take the corrected note (screened) for the entry asked about."""
    activity_id = int(payload) if payload and payload.isdigit() else 0
    try:
        await svc.change(context.store, context.me, activity_id, context.now(), note=text)
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    await reply(update, context, t(context.lang, "entry.changed", number=activity_id))


def build_handlers() -> list[Guarded]:
    """Members see their own entries; the service checks who may see and change each one."""
    return [
        allow(Level.MEMBER, CommandHandler("mylog", mylog)),
        allow(Level.COORDINATOR, CallbackQueryHandler(group_entries, pattern=r"^en:grp$")),
        allow(Level.MEMBER, CallbackQueryHandler(entry_button, pattern=r"^en:")),
    ]


PROMPTS = {svc.PROMPT_EDIT_NOTE: note_text}
