"""/log: log a piece of work step by step, or "same as last time" in one tap."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.callbacks import (
    LOG_PRESSES,
    LogBack,
    LogCancel,
    LogDuration,
    LogFlag,
    LogGroup,
    LogKind,
    LogNext,
    LogPartner,
    LogPress,
    LogResidents,
    LogSame,
    LogSave,
    LogType,
)
from bot.domain.errors import DomainError
from bot.domain.flows import Flow
from bot.domain.worklog import DURATIONS, Activity, ActivityDraft, Kind, LogStep, Residents
from bot.i18n import escape, explain, t
from bot.reports.text import type_label
from bot.services import log_drafts as drafts
from handlers import flows
from handlers.access import Guarded, allow
from handlers.common import Choice, answer, in_rows, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry, Section
from handlers.typed import Wizard

MENU = [MenuEntry("log", Level.MEMBER, "cmd.log", task=Section.SHIFT)]
Rows = list[list[Choice]]


def duration_label(lang: str, minutes: int) -> str:
    """15 min, 1 h, half a day: a duration as the buttons name it."""
    return t(lang, f"log.minutes.{minutes}") if minutes in DURATIONS else f"{minutes} min"


def _type(context: BotContext, key: str | None) -> str:
    return type_label(context.lang, key or "", context.bot_data.work_policy.types)


def _same_label(context: BotContext, last: Activity) -> str:
    what = f"{_type(context, last.type)}, {duration_label(context.lang, last.minutes)}"
    return t(context.lang, "log.btn.same", what=what)


async def _step(context: BotContext, draft: ActivityDraft) -> tuple[str, Rows]:
    """The text and buttons of the step the draft is at; each button names draft and step."""
    lang, at = context.lang, (draft.id, draft.step)
    policy = context.bot_data.work_policy
    nav: list[Choice] = [
        (t(lang, "log.btn.back"), LogBack(*at)),
        (t(lang, "log.btn.cancel"), LogCancel(*at)),
    ]
    if draft.step is LogStep.GROUP:
        groups = await drafts.groups_of(context.store, context.me)
        return t(lang, "log.step.group"), [
            *in_rows([(name, LogGroup(*at, gid)) for gid, name in groups]),
            [nav[1]],
        ]
    if draft.step is LogStep.KIND:
        kinds: list[Choice] = [(t(lang, f"log.kind.{k.value}"), LogKind(*at, k)) for k in Kind]
        rows: Rows = [kinds]
        last = await drafts.last_entry(context.store, context.me)
        if last is not None and policy.find(last.kind, last.type) is not None:
            rows.insert(0, [(_same_label(context, last), LogSame(*at))])
        key = "log.step.kind_flag" if draft.flag_id else "log.step.kind"
        return t(lang, key, number=draft.flag_id or 0), [*rows, [nav[1]]]
    if draft.step is LogStep.TYPE:
        assert draft.kind is not None
        types: list[Choice] = [
            (_type(context, w.key), LogType(*at, w.key)) for w in policy.of_kind(draft.kind)
        ]
        return t(lang, "log.step.type"), [*in_rows(types, 1), nav]
    if draft.step is LogStep.PARTNERS:
        codes = await drafts.partner_choices(context.store, context.me, draft.group_id)
        agencies = await context.agencies()
        marks: list[Choice] = [
            (("✓ " if c in draft.partners else "") + agencies.short(c, lang), LogPartner(*at, c))
            for c in codes
        ]
        return t(lang, "log.step.partners"), [
            *in_rows(marks, 4),
            [(t(lang, "log.btn.next"), LogNext(*at))],
            nav,
        ]
    if draft.step is LogStep.RESIDENTS:
        bands: list[Choice] = [
            (t(lang, f"log.residents.{r.value}"), LogResidents(*at, r)) for r in Residents
        ]
        return t(lang, "log.step.residents"), [*in_rows(bands, 3), nav]
    if draft.step is LogStep.DURATION:
        lengths: list[Choice] = [(duration_label(lang, m), LogDuration(*at, m)) for m in DURATIONS]
        return t(lang, "log.step.duration"), [*in_rows(lengths, 3), nav]
    if draft.step is LogStep.NOTE:
        return t(lang, "log.step.note"), [[(t(lang, "log.btn.skip"), LogNext(*at))], nav]
    if draft.step is LogStep.LOCATION:
        return t(lang, "log.step.location"), [[(t(lang, "log.btn.skip"), LogNext(*at))], nav]
    return await _summary(context, draft), [
        [(t(lang, "log.btn.confirm"), LogSave(*at, draft.revision))],
        nav,
    ]


async def _summary(context: BotContext, draft: ActivityDraft) -> str:
    lang = context.lang
    groups = dict(await drafts.groups_of(context.store, context.me))
    return t(
        lang,
        "log.step.summary",
        kind=t(lang, f"log.kind.{draft.kind.value if draft.kind else 'boundary'}"),
        type=_type(context, draft.type),
        partners=(await context.agencies()).names(draft.partners, lang) or t(lang, "log.nobody"),
        residents=t(lang, f"log.residents.{draft.residents.value if draft.residents else 'none'}"),
        duration=duration_label(lang, draft.minutes or 0),
        group=groups.get(draft.group_id or 0, "?"),
        flag=t(lang, "log.flag_part", number=draft.flag_id) if draft.flag_id else "",
        note=t(lang, "log.note_part", note=escape(draft.note)) if draft.note else "",
    )


async def log(update: Update, context: BotContext) -> None:
    """Start logging work (after asking about an unfinished draft)."""
    if not await flows.ask_first(update, context, Flow.LOG):
        await begin(update, context, None)


async def begin(update: Update, context: BotContext, flag_id: int | None) -> None:
    """A new entry (for a flag just resolved, or not): the kind, or the same as last time."""
    start = drafts.start(context.store, context.me, context.now(), flag_id)
    await WIZARD.show_next(update, context, start)


async def offer_log(update: Update, context: BotContext, flag_id: int) -> None:
    """After a flag is resolved: offer to log what was done, linked to the flag."""
    button: Choice = (t(context.lang, "log.btn.log_flag"), LogFlag(flag_id))
    await reply(update, context, t(context.lang, "log.ask_after_flag", number=flag_id),
                keyboard([[button]]))  # fmt: skip


async def log_for_flag(update: Update, context: BotContext) -> None:
    """After resolving a flag: log what was done, linked to the flag."""
    press = pressed(update, LogFlag)
    if press is None:
        await stale(update, context)
        return
    if await flows.ask_first(update, context, Flow.LOG, press.flag_id):
        await answer(update)
        return
    try:
        draft = await drafts.start(context.store, context.me, context.now(), press.flag_id)
    except DomainError as exc:
        await answer(update, explain(context.lang, exc), alert=True)
        return
    await answer(update)
    text, rows = await _step(context, draft)
    await reply(update, context, text, keyboard(rows))


async def _act(context: BotContext, press: LogPress) -> tuple[str, Rows]:
    """Do what a press (or the typed name of a button) asks: the step it leads to, or the
    last word (cancelled, saved) with no buttons."""
    store, me, now, policy = context.store, context.me, context.now(), context.bot_data.work_policy
    at = drafts.LogAt(press.draft, press.step)
    match press:
        case LogCancel():
            await drafts.cancel(store, me, at)
            return t(context.lang, "log.cancelled"), []
        case LogSave(revision=revision):
            saved = await drafts.confirm(store, me, policy, now, at, revision)
            return _saved(context, saved), []
        case LogSame():
            draft = await drafts.same_again(store, me, policy, now, at)
        case LogGroup(group_id=group_id):
            draft = await drafts.choose(store, me, policy, now, at, group_id=group_id)
        case LogKind(kind=kind):
            draft = await drafts.choose(store, me, policy, now, at, kind=kind)
        case LogType(type_key=type_key):
            draft = await drafts.choose(store, me, policy, now, at, type_key=type_key)
        case LogPartner(agency=agency):
            draft = await drafts.toggle_partner(store, me, agency, now, at)
        case LogResidents(residents=residents):
            draft = await drafts.choose(store, me, policy, now, at, residents=residents)
        case LogDuration(minutes=minutes):
            draft = await drafts.choose(store, me, policy, now, at, minutes=minutes)
        case LogNext():
            draft = await drafts.next_step(store, me, now, at)
        case _:
            draft = await drafts.back(store, me, now, at)
    return await _step(context, draft)


WIZARD = Wizard(ActivityDraft, LOG_PRESSES, _step, _act)


def hint(lang: str, draft: object) -> str:
    """What the step waits for, when what came was not it."""
    assert isinstance(draft, ActivityDraft)
    return t(lang, f"log.hint.{draft.step.value}")


def _saved(context: BotContext, saved: Activity) -> str:
    return t(
        context.lang,
        "log.saved",
        number=saved.id,
        type=_type(context, saved.type),
        duration=duration_label(context.lang, saved.minutes),
    )


async def note_text(update: Update, context: BotContext, text: str, _payload: str | None) -> None:
    """Take the note (screened) and show the next step."""
    message_id = update.effective_message.message_id if update.effective_message else None
    await WIZARD.show_next(
        update, context, drafts.note(context.store, context.me, text, context.now(), message_id)
    )


async def note_edited(update: Update, context: BotContext, text: str) -> bool:
    """The note's message was edited before the entry is saved: the draft takes the new text
    and its step is shown again (False: the message is not that note)."""
    assert update.effective_message is not None
    message_id, now = update.effective_message.message_id, context.now()
    change = drafts.renote(context.store, context.me, message_id, text, now)
    return await WIZARD.revised(update, context, change, "log.note_edited")


async def location_shared(update: Update, context: BotContext, lat: float, lon: float) -> None:
    """A location shared on the location step belongs to the entry, not to a check-in."""
    await WIZARD.show_next(
        update, context, drafts.locate(context.store, context.me, lat, lon, context.now())
    )


def build_handlers() -> list[Guarded]:
    """Every member may log work; the service checks agency, group and the draft."""
    return [
        allow(Level.MEMBER, CommandHandler("log", log)),
        allow(Level.MEMBER, CallbackQueryHandler(log_for_flag, pattern=r"^lg:f:")),
        allow(Level.MEMBER, CallbackQueryHandler(WIZARD.button, pattern=r"^lg:")),
    ]


PROMPTS = {drafts.PROMPT_NOTE: note_text}
LOCATION_PROMPTS = {drafts.PROMPT_LOCATION: location_shared}
BEGINS = {Flow.LOG: begin}
RESUMES = {Flow.LOG: WIZARD.resume}
REASKS = {Flow.LOG: WIZARD.again}
TYPED = {Flow.LOG: WIZARD.typed}
HINTS = {Flow.LOG: hint}
REVISIONS = {drafts.PROMPT_NOTE: note_edited}
