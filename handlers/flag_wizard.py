"""/flag: raise a situation for other agencies, step by step, or urgently in three taps."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.agencies import Directory
from bot.domain.callbacks import (
    DRAFT_PRESSES,
    DraftBack,
    DraftCancel,
    DraftCategory,
    DraftGroup,
    DraftNext,
    DraftOffice,
    DraftPress,
    DraftRaise,
    DraftSkip,
    DraftTarget,
    DraftUrgency,
    DraftUrgent,
)
from bot.domain.errors import DomainError
from bot.domain.flags import DraftStep, Flag, FlagDraft, Urgency
from bot.domain.flows import Flow
from bot.domain.models import Agency
from bot.i18n import Markup, explain, t
from bot.services import flag_drafts as drafts
from bot.services import flags as svc
from bot.services import ladders
from bot.services import members as members_service
from bot.services.flag_texts import category_label, place_text
from bot.services.ladders import Presence, Reach
from handlers import flows
from handlers.access import Guarded, allow
from handlers.common import Choice, in_rows, reply
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry, Section
from handlers.typed import Wizard

MENU = [MenuEntry("flag", Level.MEMBER, "cmd.flag", task=Section.SHIFT)]
Rows = list[list[Choice]]


def _label(lang: str, agency: Agency, seen: Presence | None, group: str) -> str:
    """An agency as the picker shows it: who of it can answer in this group."""
    if seen is not None and seen.on_duty:
        return t(lang, "flag.pick.on_duty", name=agency.short(lang), count=seen.on_duty)
    if seen is not None and seen.members:
        return t(lang, "flag.pick.off_duty", name=agency.short(lang))
    if seen is not None and seen.nearby:
        return t(lang, "flag.pick.nearby", name=agency.short(lang), group=group)
    return t(lang, "flag.pick.nobody", name=agency.short(lang), group=group)


async def _pickers(context: BotContext, draft: FlagDraft, group: str) -> list[Choice]:
    agencies = await members_service.agencies(context.store)
    assert draft.group_id is not None
    seen = await ladders.presence(context.store, draft.group_id)
    at = (draft.id, draft.step)
    return [
        (
            ("✓ " if a.code in draft.targets else "")
            + _label(context.lang, a, seen.get(a.code), group),
            DraftTarget(*at, a.code),
        )
        for a in agencies
        if a.code != context.me.agency_code
    ]


def reach_lines(
    lang: str, found: list[Reach | None], codes: tuple[str, ...], agencies: Directory
) -> Markup:
    """Where each target goes: those on duty, or the rung the ladder passes it to."""
    lines = [
        t(lang, f"flag.reach.{r.rung.value}", agency=agencies.name(a, lang), count=len(r.people))
        if r is not None
        else t(lang, "flag.reach.none", agency=agencies.name(a, lang))
        for a, r in zip(codes, found, strict=True)
    ]
    return Markup("\n".join(lines))


async def _step(context: BotContext, draft: FlagDraft) -> tuple[str, Rows]:
    """The text and buttons of the step the draft is at; each button names draft and step."""
    lang, me, at = context.lang, context.me, (draft.id, draft.step)
    nav: list[Choice] = [
        (t(lang, "flag.btn.back"), DraftBack(*at)),
        (t(lang, "flag.btn.cancel"), DraftCancel(*at)),
    ]
    groups = await members_service.own_groups(context.store, me)
    group = next((g.name for g in groups if g.id == draft.group_id), "?")
    if draft.step is DraftStep.GROUP:
        places: list[Choice] = [(g.name, DraftGroup(*at, g.id)) for g in groups]
        return t(lang, "flag.step.group"), [*in_rows(places), [nav[1]]]
    if draft.step is DraftStep.TARGETS:
        urgent: list[Choice] = [(t(lang, "flag.btn.urgent"), DraftUrgent(*at))]
        picks = await _pickers(context, draft, group)
        rows = [urgent, *in_rows(picks, 1), [(t(lang, "flag.btn.next"), DraftNext(*at)), nav[1]]]
        return t(lang, "flag.step.targets"), rows
    if draft.step is DraftStep.QUICK:
        picks = await _pickers(context, draft, group)
        return t(lang, "flag.step.quick"), [*in_rows(picks, 1), nav]
    if draft.step is DraftStep.CATEGORY:
        categories = context.bot_data.flag_policy.categories
        cats: list[Choice] = [(category_label(lang, c), DraftCategory(*at, c)) for c in categories]
        return t(lang, "flag.step.category"), [*in_rows(cats, 2), nav]
    if draft.step is DraftStep.URGENCY:
        levels: list[Choice] = [
            (t(lang, f"flag.urgency.{u.value}"), DraftUrgency(*at, u)) for u in Urgency
        ]
        return t(lang, "flag.step.urgency"), [levels, nav]
    if draft.step is DraftStep.DESCRIPTION:
        key = "flag.step.quick_description" if draft.quick else "flag.step.description"
        return t(lang, key), [nav]
    if draft.step is DraftStep.LOCATION:
        return _location_step(lang, draft, group, nav)
    place = place_text(lang, draft.place, draft.lat, draft.lon, group) or t(
        lang, "flag.none_place"
    )
    assert draft.group_id is not None
    found = await ladders.reaches(context.store, draft.group_id, draft.targets, me.id)
    agencies = await context.agencies()
    text = t(
        lang,
        "flag.step.summary",
        targets=agencies.names(draft.targets, lang),
        category=category_label(lang, draft.category or ""),
        urgency=t(lang, f"flag.urgency.{draft.urgency or 'routine'}"),
        group=group,
        place=place,
        description=draft.description or "",
    )
    files = await drafts.attached(context.store, draft)
    media = f"\n{t(lang, 'flag.attached', count=files)}" if files else ""
    text = Markup(f"{text}{media}\n\n{reach_lines(lang, found, draft.targets, agencies)}")
    return text, [[(t(lang, "flag.btn.confirm"), DraftRaise(*at, draft.revision))], nav]


def _location_step(lang: str, draft: FlagDraft, group: str, nav: list[Choice]) -> tuple[str, Rows]:
    """Where: a pin or a place chosen in Telegram, the office, a typed name, or nothing."""
    at = (draft.id, draft.step)
    office: list[Choice] = [(t(lang, "flag.btn.office"), DraftOffice(*at))]
    if draft.place is None:
        skip: list[Choice] = [(t(lang, "flag.btn.skip"), DraftSkip(*at))]
        return t(lang, "flag.step.location"), [office, skip, nav]
    named = place_text(lang, draft.place, None, None, group)
    text = t(lang, "flag.step.location_named", place=named)
    return text, [office, [(t(lang, "flag.btn.next"), DraftSkip(*at))], nav]


async def flag(update: Update, context: BotContext) -> None:
    """Start a flag (after asking about an unfinished draft)."""
    if not await flows.ask_first(update, context, Flow.FLAG):
        await begin(update, context, None)


async def begin(update: Update, context: BotContext, _flag_id: int | None) -> None:
    """A new draft: the group if it is not settled, then the target agencies."""
    await WIZARD.show_next(update, context, drafts.start(context.store, context.me, context.now()))


def raised_text(lang: str, flag: Flag, agencies: Directory) -> Markup:
    """What the raiser is told at once: where each target went."""
    lines = [
        t(lang, f"flag.went.{tg.rung.value}", agency=agencies.name(tg.agency, lang))
        for tg in flag.targets
    ]
    return t(lang, "flag.raised_where", number=flag.id, reach=Markup("\n".join(lines)))


async def _act(context: BotContext, press: DraftPress) -> tuple[str, Rows]:
    """Do what a press (or the typed name of a button) asks: the step it leads to, or the
    last word (cancelled, raised) with no buttons."""
    store, me, now, policy = context.store, context.me, context.now(), context.bot_data.flag_policy
    at = drafts.DraftAt(press.draft, press.step)
    match press:
        case DraftCancel():
            await drafts.cancel(store, me, at)
            return t(context.lang, "flag.cancelled"), []
        case DraftRaise(revision=revision):
            raised = await svc.raise_flag(store, me, policy, now, at, revision)
            return raised_text(context.lang, raised, await context.agencies()), []
        case DraftUrgent():
            draft = await drafts.urgent(store, me, now, at)
        case DraftTarget(agency=agency):
            draft = await drafts.toggle_target(store, me, agency, now, at)
        case DraftNext():
            draft = await drafts.advance(store, me, now, at)
        case DraftCategory(category=category):
            draft = await drafts.choose(store, me, policy, now, at, category=category)
        case DraftUrgency(urgency=urgency):
            draft = await drafts.choose(store, me, policy, now, at, urgency=urgency)
        case DraftGroup(group_id=group_id):
            draft = await drafts.choose(store, me, policy, now, at, group_id=group_id)
        case DraftSkip():
            draft = await drafts.locate(store, me, None, None, now, at)
        case DraftOffice():
            draft = await drafts.at_office(store, me, now, at)
        case _:
            draft = await drafts.back(store, me, now, at)
    return await _step(context, draft)


# Every step is protected: the message a step is shown in may be edited into the summary.
WIZARD = Wizard(FlagDraft, DRAFT_PRESSES, _step, _act, protect=True)


def hint(lang: str, draft: object) -> str:
    """What the step waits for, when what came was not it."""
    assert isinstance(draft, FlagDraft)
    return t(lang, f"flag.hint.{draft.step.value}")


async def description_text(
    update: Update, context: BotContext, text: str, _payload: str | None
) -> None:
    """Take the description (screened) and show the next step."""
    message_id = update.effective_message.message_id if update.effective_message else None
    change = drafts.describe(context.store, context.me, text, context.now(), message_id)
    await WIZARD.show_next(update, context, change)


async def description_edited(update: Update, context: BotContext, text: str) -> bool:
    """The description's message was edited before the flag is up: the draft takes the new
    text and its step is shown again (False: the message is not that description)."""
    assert update.effective_message is not None
    message_id, now = update.effective_message.message_id, context.now()
    change = drafts.redescribe(context.store, context.me, message_id, text, now)
    return await WIZARD.revised(update, context, change, "flag.description_edited")


async def location_shared(update: Update, context: BotContext, lat: float, lon: float) -> None:
    """A location shared on the location step belongs to the flag, not to a check-in (a
    place chosen in Telegram keeps its name and address)."""
    venue = update.message.venue if update.message else None
    named = (venue.title, venue.address) if venue else None
    change = drafts.locate(context.store, context.me, lat, lon, context.now(), venue=named)
    await WIZARD.show_next(update, context, change)


async def place_named(
    update: Update, context: BotContext, text: str, _payload: str | None
) -> None:
    """A place name typed on the location step: ask for its pin (or go on without)."""
    change = drafts.name_place(context.store, context.me, text, context.now())
    await WIZARD.show_next(update, context, change)


async def attachment(update: Update, context: BotContext) -> None:
    """A photo or voice note sent while composing a flag is attached to it."""
    message = update.message
    assert message is not None
    kind, file_id = (
        ("photo", message.photo[-1].file_id)
        if message.photo
        else ("voice", message.voice.file_id if message.voice else "")
    )
    try:
        count = await drafts.attach(context.store, context.me, kind, file_id, context.now())
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    await reply(update, context, t(context.lang, "flag.attached_ok", count=count))


def build_handlers() -> list[Guarded]:
    """Every member may raise a flag."""
    media = filters.UpdateType.MESSAGE & (filters.PHOTO | filters.VOICE)
    return [
        allow(Level.MEMBER, CommandHandler("flag", flag)),
        allow(Level.MEMBER, MessageHandler(media, attachment)),
        allow(Level.MEMBER, CallbackQueryHandler(WIZARD.button, pattern=r"^fd:")),
    ]


PROMPTS = {drafts.PROMPT_DESCRIPTION: description_text, drafts.PROMPT_LOCATION: place_named}
LOCATION_PROMPTS = {drafts.PROMPT_LOCATION: location_shared}
BEGINS = {Flow.FLAG: begin}
RESUMES = {Flow.FLAG: WIZARD.resume}
REASKS = {Flow.FLAG: WIZARD.again}
TYPED = {Flow.FLAG: WIZARD.typed}
HINTS = {Flow.FLAG: hint}
REVISIONS = {drafts.PROMPT_DESCRIPTION: description_edited}
