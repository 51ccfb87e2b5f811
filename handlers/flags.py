"""/flag: raise a situation for other agencies, step by step; /flags and the flag buttons."""

from __future__ import annotations

import json
from collections.abc import Awaitable
from datetime import datetime

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.callbacks import (
    DRAFT_PRESSES,
    DraftBack,
    DraftCancel,
    DraftCategory,
    DraftGroup,
    DraftNext,
    DraftRaise,
    DraftSkip,
    DraftTarget,
    DraftUrgency,
    FlagAction,
    FlagOpen,
    FlagPress,
    FlagRedirect,
)
from bot.domain.errors import DomainError
from bot.domain.flags import DraftStep, FlagAct, FlagDraft, Urgency
from bot.i18n import explain, t
from bot.services import flag_drafts as drafts
from bot.services import flags as svc
from bot.services import members as members_service
from bot.services import prompts
from bot.services.flag_texts import category_label
from bot.services.presence import screen
from handlers.access import Guarded, allow
from handlers.common import Choice, answer, edit, in_rows, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry
from handlers.worklog import offer_log

MENU = [
    MenuEntry("flag", Level.MEMBER, "cmd.flag"),
    MenuEntry("flags", Level.MEMBER, "cmd.flags"),
]
PROMPT_REDIRECT = "flag_redirect"
Rows = list[list[Choice]]


async def _step(context: BotContext, draft: FlagDraft) -> tuple[str, Rows]:
    """The text and buttons of the step the draft is at; each button names draft and step."""
    lang, me, at = context.lang, context.me, (draft.id, draft.step)
    nav: list[Choice] = [
        (t(lang, "flag.btn.back"), DraftBack(*at)),
        (t(lang, "flag.btn.cancel"), DraftCancel(*at)),
    ]
    agencies = await members_service.agencies(context.store)
    groups = await members_service.own_groups(context.store, me)
    if draft.step is DraftStep.TARGETS:
        choices: list[Choice] = [
            (("✓ " if a.code in draft.targets else "") + a.code, DraftTarget(*at, a.code))
            for a in agencies
            if a.code != me.agency_code
        ]
        rows = [*in_rows(choices, 4), [(t(lang, "flag.btn.next"), DraftNext(*at)), nav[1]]]
        return t(lang, "flag.step.targets"), rows
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
        return t(lang, "flag.step.description"), [nav]
    if draft.step is DraftStep.LOCATION:
        return t(lang, "flag.step.location"), [[(t(lang, "flag.btn.skip"), DraftSkip(*at))], nav]
    if draft.step is DraftStep.GROUP:
        places: list[Choice] = [(g.name, DraftGroup(*at, g.id)) for g in groups]
        return t(lang, "flag.step.group"), [*in_rows(places), nav]
    group = next((g.name for g in groups if g.id == draft.group_id), "?")
    place = (
        f"{draft.lat:.5f}, {draft.lon:.5f}"
        if draft.lat is not None and draft.lon is not None
        else t(lang, "flag.none_place")
    )
    text = t(
        lang,
        "flag.step.summary",
        targets=", ".join(draft.targets),
        category=category_label(lang, draft.category or ""),
        urgency=t(lang, f"flag.urgency.{draft.urgency or 'routine'}"),
        group=group,
        place=place,
        description=draft.description or "",
    )
    return text, [[(t(lang, "flag.btn.confirm"), DraftRaise(*at))], nav]


async def _show_next(update: Update, context: BotContext, change: Awaitable[FlagDraft]) -> None:
    """Apply a typed or shared answer and send the step it leads to (or why it cannot)."""
    try:
        draft = await change
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    text, rows = await _step(context, draft)
    # Every step is protected: the message a step is shown in may be edited into the summary.
    await reply(update, context, text, keyboard(rows), protect=True)


async def flag(update: Update, context: BotContext) -> None:
    """Start a flag: choose the target agencies."""
    await _show_next(update, context, drafts.start(context.store, context.me, context.now()))


async def draft_button(update: Update, context: BotContext) -> None:
    """One press in the flag flow: choose, go on, go back, cancel or raise."""
    query, press = update.callback_query, pressed(update, *DRAFT_PRESSES)
    if query is None or press is None:
        await stale(update, context)
        return
    store, me, now, policy = context.store, context.me, context.now(), context.bot_data.flag_policy
    at = drafts.DraftAt(press.draft, press.step)
    try:
        match press:
            case DraftCancel():
                await drafts.cancel(store, me, at)
                await answer(update)
                await edit(query, t(context.lang, "flag.cancelled"))
                return
            case DraftRaise():
                raised = await svc.raise_flag(store, me, policy, now, at)
                await answer(update)
                await edit(query, t(context.lang, "flag.raised", number=raised.id))
                return
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
            case _:
                draft = await drafts.back(store, me, now, at)
    except DomainError as exc:
        await answer(update, explain(context.lang, exc), alert=exc.key != "auth.stale_button")
        return
    await answer(update)
    text, rows = await _step(context, draft)
    await edit(query, text, keyboard(rows))


async def description_text(
    update: Update, context: BotContext, text: str, _payload: str | None
) -> None:
    """Take the description (screened) and show the next step."""
    await _show_next(
        update, context, drafts.describe(context.store, context.me, text, context.now())
    )


async def location_shared(update: Update, context: BotContext, lat: float, lon: float) -> None:
    """A location shared on the location step belongs to the flag, not to a check-in."""
    await _show_next(
        update, context, drafts.locate(context.store, context.me, lat, lon, context.now())
    )


async def flag_button(update: Update, context: BotContext) -> None:
    """A button on a flag: acknowledge, resolve, decline, comment, withdraw or view."""
    press = pressed(update, FlagPress, FlagOpen, FlagRedirect)
    if press is None:
        await stale(update, context)
        return
    lang, now = context.lang, context.now()
    try:
        match press:
            case FlagOpen(flag_id=flag_id):
                await svc.open_card(context.store, context.me, flag_id, now)
                await answer(update)
            case FlagRedirect():
                await _redirect(update, context, press)
            case FlagPress(action=FlagAction.DECLINE, flag_id=flag_id):
                await svc.ask_reason(context.store, context.me, flag_id, now)
                await answer(update)
                await reply(update, context, t(lang, "flag.ask_reason", number=flag_id))
            case FlagPress(action=FlagAction.COMMENT, flag_id=flag_id):
                await svc.ask_comment(context.store, context.me, flag_id, now)
                await answer(update)
                await reply(update, context, t(lang, "flag.ask_comment", number=flag_id))
            case FlagPress(action=action, flag_id=flag_id):
                key = await svc.act(context.store, context.me, flag_id, ACTS[action], now)
                await answer(update, t(lang, key))
                if action is FlagAction.RESOLVE:
                    await offer_log(update, context, flag_id)
    except DomainError as exc:
        await answer(update, explain(lang, exc), alert=True)


ACTS = {
    FlagAction.ACKNOWLEDGE: FlagAct.ACKNOWLEDGE,
    FlagAction.RESOLVE: FlagAct.RESOLVE,
    FlagAction.WITHDRAW: FlagAct.WITHDRAW,
}


async def _redirect(update: Update, context: BotContext, press: FlagRedirect) -> None:
    payload = await prompts.held(context.store, context.me, PROMPT_REDIRECT, context.now())
    held = json.loads(payload) if payload else {}
    if held.get("flag") != press.flag_id:
        await stale(update, context)
        return
    await svc.decline(
        context.store,
        context.me,
        press.flag_id,
        held["reason"],
        press.agency,
        context.bot_data.flag_policy,
        context.now(),
    )
    await answer(update, t(context.lang, "flag.declined_ok"))
    assert update.callback_query is not None
    await edit(update.callback_query, t(context.lang, "flag.declined_ok"))


async def reason_text(update: Update, context: BotContext, text: str, payload: str | None) -> None:
    """Keep the reason for declining and ask whether another agency should take the flag."""
    flag_id, lang = prompts.asked_about(payload), context.lang
    try:
        reason = screen(text, 300)
        await svc.visible(context.store, context.me, flag_id)
    except DomainError as exc:
        await reply(update, context, explain(lang, exc))
        return
    held = json.dumps({"flag": flag_id, "reason": reason})
    await prompts.ask(context.store, context.me, PROMPT_REDIRECT, held, context.now())
    agencies = await members_service.agencies(context.store)
    options: list[Choice] = [
        (a.code, FlagRedirect(flag_id, a.code))
        for a in agencies
        if a.code != context.me.agency_code
    ]
    no_one: Choice = (t(lang, "flag.btn.no_redirect"), FlagRedirect(flag_id, None))
    rows: Rows = [*in_rows(options, 4), [no_one]]
    await reply(update, context, t(lang, "flag.ask_redirect"), keyboard(rows))


async def comment_text(
    update: Update, context: BotContext, text: str, payload: str | None
) -> None:
    """Relay a comment on a flag."""
    try:
        await svc.comment(
            context.store, context.me, prompts.asked_about(payload), text, context.now()
        )
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    await reply(update, context, t(context.lang, "flag.comment_sent"))


async def flags(update: Update, context: BotContext) -> None:
    """List open flags I may see, newest first, each opening its card."""
    lang, now = context.lang, context.now()
    listed = await svc.listing(context.store, context.me, now)
    lines = [t(lang, "flags.title")] + ([] if listed else [t(lang, "flags.none")])
    buttons: list[Choice] = []
    for item in listed:
        states = ", ".join(
            t(lang, "flags.target", agency=tg.agency, state=t(lang, f"flags.state.{tg.state}"))
            for tg in item.targets
        )
        lines.append(
            t(
                lang,
                "flags.line",
                number=item.id,
                urgency=t(lang, f"flag.urgency.{item.urgency.value}"),
                category=category_label(lang, item.category),
                age=_age(now, item.created_at),
                states=states,
            )
        )
        buttons.append((f"#{item.id}", FlagOpen(item.id)))
    rows = keyboard(in_rows(buttons, 5)) if buttons else None
    await reply(update, context, "\n".join(lines), rows, protect=True)


def _age(now: datetime, then: datetime) -> str:
    minutes = max(0, int((now - then).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} d"


def build_handlers() -> list[Guarded]:
    """Every member may flag and see their flags; the service checks need to know."""
    return [
        allow(Level.MEMBER, CommandHandler("flag", flag)),
        allow(Level.MEMBER, CommandHandler("flags", flags)),
        allow(Level.MEMBER, CallbackQueryHandler(draft_button, pattern=r"^fd:")),
        allow(Level.MEMBER, CallbackQueryHandler(flag_button, pattern=r"^fl:")),
    ]


PROMPTS = {
    drafts.PROMPT_DESCRIPTION: description_text,
    svc.PROMPT_DECLINE: reason_text,
    svc.PROMPT_COMMENT: comment_text,
}
LOCATION_PROMPTS = {drafts.PROMPT_LOCATION: location_shared}
