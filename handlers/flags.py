"""/flags and the buttons on a flag's card (raising one is in flag_wizard.py)."""

from __future__ import annotations

import json
from collections.abc import Awaitable

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.callbacks import (
    FlagAction,
    FlagCategory,
    FlagFor,
    FlagOpen,
    FlagOutcome,
    FlagPress,
    FlagRedirect,
)
from bot.domain.errors import DomainError
from bot.domain.flags import FlagAct, Outcome
from bot.i18n import ago, explain, t
from bot.services import flag_coord as coord_svc
from bot.services import flag_outcomes as outcomes
from bot.services import flags as svc
from bot.services import members as members_service
from bot.services import prompts
from bot.services.flag_texts import category_label
from bot.services.presence import screen
from handlers import flag_coord
from handlers.access import Guarded, allow
from handlers.common import Choice, answer, edit, in_rows, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry, Section
from handlers.worklog import offer_log

MENU = [MenuEntry("flags", Level.MEMBER, "cmd.flags", task=Section.SHIFT)]
PROMPT_REDIRECT = "flag_redirect"
Rows = list[list[Choice]]


async def flag_button(update: Update, context: BotContext) -> None:
    """A button on a flag: acknowledge, resolve, decline, comment, withdraw or view."""
    press = pressed(update, FlagPress, FlagOpen, FlagRedirect, FlagFor, FlagOutcome, FlagCategory)
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
            case FlagFor():
                await flag_coord.for_press(update, context, press)
            case FlagPress(action=FlagAction.ACT_FOR, flag_id=flag_id):
                await flag_coord.menu(update, context, flag_id)
            case FlagPress(action=FlagAction.MUTE | FlagAction.UNMUTE as action, flag_id=flag_id):
                muted = action is FlagAction.MUTE
                await coord_svc.mute(context.store, context.me, flag_id, muted, now)
                await answer(update, t(lang, "flag.muted_ok" if muted else "flag.unmuted_ok"))
            case FlagPress(action=FlagAction.DECLINE, flag_id=flag_id):
                await svc.ask_reason(context.store, context.me, flag_id, now)
                await answer(update)
                await reply(update, context, t(lang, "flag.ask_reason", number=flag_id))
            case FlagPress(action=FlagAction.COMMENT, flag_id=flag_id):
                await svc.ask_comment(context.store, context.me, flag_id, now)
                await answer(update)
                await reply(update, context, t(lang, "flag.ask_comment", number=flag_id))
            case FlagPress(action=FlagAction.RESOLVE, flag_id=flag_id):
                await outcomes.may_resolve(context.store, context.me, flag_id)
                await answer(update)
                choices: list[Choice] = [
                    (t(lang, f"flag.outcome.{o.value}"), FlagOutcome(flag_id, o)) for o in Outcome
                ]
                await reply(update, context, t(lang, "flag.ask_outcome", number=flag_id),
                            keyboard(in_rows(choices, 2)), protect=True)  # fmt: skip
            case FlagPress(action=FlagAction.CATEGORISE, flag_id=flag_id):
                await outcomes.may_categorise(context.store, context.me, flag_id)
                await answer(update)
                cats: list[Choice] = [
                    (category_label(lang, c), FlagCategory(flag_id, c))
                    for c in context.bot_data.flag_policy.categories
                ]
                await reply(update, context, t(lang, "flag.ask_category", number=flag_id),
                            keyboard(in_rows(cats, 2)), protect=True)  # fmt: skip
            case FlagCategory(flag_id=flag_id, category=category):
                policy = context.bot_data.flag_policy
                await outcomes.categorise(
                    context.store, context.me, flag_id, category, policy, now
                )
                await answer(update)
                assert update.callback_query is not None
                label = category_label(lang, category)
                done = t(lang, "flag.category_set", number=flag_id, category=label)
                await edit(update.callback_query, done)
            case FlagOutcome(flag_id=flag_id, outcome=outcome):
                await outcomes.resolve(context.store, context.me, flag_id, outcome, now)
                await answer(update, t(lang, "flag.resolved_ok"))
                assert update.callback_query is not None
                label = t(lang, f"flag.outcome.{outcome.value}")
                done = t(lang, "flag.resolved_note", number=flag_id, outcome=label)
                await edit(update.callback_query, done)
                await offer_log(update, context, flag_id)
            case FlagPress(action=action, flag_id=flag_id):
                key = await svc.act(context.store, context.me, flag_id, ACTS[action], now)
                await answer(update, t(lang, key))
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
        (a.short(lang), FlagRedirect(flag_id, a.code))
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
    flag_id = prompts.asked_about(payload)
    sent = svc.comment(context.store, context.me, flag_id, text, context.now())
    await _done_or_why_not(update, context, sent, "flag.comment_sent")


async def comment_reply(update: Update, context: BotContext) -> bool:
    """A Telegram reply to a flag's card is a comment on that flag; False if it is not one."""
    message = update.message
    replied = message.reply_to_message if message else None
    if message is None or message.text is None or replied is None:
        return False
    flag_id = await svc.replied_flag(context.store, context.me, replied.message_id)
    if flag_id is None:
        return False
    await comment_text(update, context, message.text, str(flag_id))
    return True


async def flags(update: Update, context: BotContext) -> None:
    """List open flags I may see, newest first, each opening its card."""
    lang, now = context.lang, context.now()
    listed = await svc.listing(context.store, context.me, now)
    lines = [t(lang, "flags.title")] + ([] if listed else [t(lang, "flags.none")])
    buttons: list[Choice] = []
    agencies = await context.agencies()
    for item in listed:
        states = ", ".join(
            t(
                lang,
                "flags.target",
                agency=agencies.short(tg.agency, lang),
                state=t(lang, f"flags.state.{tg.state}"),
            )
            for tg in item.targets
        )
        lines.append(
            t(
                lang,
                "flags.line",
                number=item.id,
                urgency=t(lang, f"flag.urgency.{item.urgency.value}"),
                category=category_label(lang, item.category),
                age=ago(lang, item.created_at, now),
                states=states,
            )
        )
        buttons.append((f"#{item.id}", FlagOpen(item.id)))
    rows = keyboard(in_rows(buttons, 5)) if buttons else None
    await reply(update, context, "\n".join(lines), rows, protect=True)


def build_handlers() -> list[Guarded]:
    """Every member may flag and see their flags; the service checks need to know."""
    return [
        allow(Level.MEMBER, CommandHandler("flags", flags)),
        allow(Level.MEMBER, CallbackQueryHandler(flag_button, pattern=r"^fl:")),
    ]


async def outcome_note_text(
    update: Update, context: BotContext, text: str, payload: str | None
) -> None:
    """Keep the optional note on how a resolved part ended."""
    flag_id = prompts.asked_about(payload)
    kept = outcomes.note(context.store, context.me, flag_id, text, context.now())
    await _done_or_why_not(update, context, kept, "flag.note_saved")


async def _done_or_why_not(
    update: Update, context: BotContext, work: Awaitable[object], done: str
) -> None:
    """Await the service's work on a typed text; say it is done, or why it was refused."""
    try:
        await work
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    await reply(update, context, t(context.lang, done))


PROMPTS = {
    svc.PROMPT_DECLINE: reason_text,
    svc.PROMPT_COMMENT: comment_text,
    outcomes.PROMPT_NOTE: outcome_note_text,
}
