"""/flag: raise a situation for other agencies, step by step; /flags and the flag buttons."""

from __future__ import annotations

import json
from collections.abc import Awaitable
from datetime import datetime

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.delivery import markup
from bot.domain.errors import DomainError
from bot.domain.flags import FlagDraft, Urgency
from bot.i18n import explain, t
from bot.services import flag_drafts as drafts
from bot.services import flags as svc
from bot.services import members as members_service
from bot.services import prompts
from bot.services.flag_texts import category_label
from bot.services.presence import screen
from handlers.access import Guarded, allow
from handlers.common import answer, as_int, edit, in_rows, keyboard, reply
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry

MENU = [
    MenuEntry("flag", Level.MEMBER, "cmd.flag"),
    MenuEntry("flags", Level.MEMBER, "cmd.flags"),
]
PROMPT_REDIRECT = "flag_redirect"
Rows = list[list[tuple[str, str]]]


async def _step(context: BotContext, draft: FlagDraft) -> tuple[str, Rows]:
    """The text and buttons of the step the draft is at."""
    lang, me = context.lang, context.me
    nav: list[tuple[str, str]] = [
        (t(lang, "flag.btn.back"), "fd:b"),
        (t(lang, "flag.btn.cancel"), "fd:x"),
    ]
    agencies = await members_service.agencies(context.store)
    groups = await members_service.own_groups(context.store, me)
    if draft.step == "targets":
        choices = [
            (("✓ " if a.code in draft.targets else "") + a.code, f"fd:t:{a.code}")
            for a in agencies
            if a.code != me.agency_code
        ]
        rows = [*in_rows(choices, 4), [(t(lang, "flag.btn.next"), "fd:n"), nav[1]]]
        return t(lang, "flag.step.targets"), rows
    if draft.step == "category":
        cats = [
            (category_label(lang, c), f"fd:c:{c}") for c in context.bot_data.flag_policy.categories
        ]
        return t(lang, "flag.step.category"), [*in_rows(cats, 2), nav]
    if draft.step == "urgency":
        levels: list[tuple[str, str]] = [
            (t(lang, f"flag.urgency.{u.value}"), f"fd:u:{u.value}") for u in Urgency
        ]
        return t(lang, "flag.step.urgency"), [levels, nav]
    if draft.step == "description":
        return t(lang, "flag.step.description"), [nav]
    if draft.step == "location":
        return t(lang, "flag.step.location"), [[(t(lang, "flag.btn.skip"), "fd:s")], nav]
    if draft.step == "group":
        return t(lang, "flag.step.group"), [
            *in_rows([(g.name, f"fd:g:{g.id}") for g in groups]),
            nav,
        ]
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
    return text, [[(t(lang, "flag.btn.confirm"), "fd:ok")], nav]


async def _show_next(update: Update, context: BotContext, change: Awaitable[FlagDraft]) -> None:
    """Apply a typed or shared answer and send the step it leads to (or why it cannot)."""
    try:
        draft = await change
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    text, rows = await _step(context, draft)
    await reply(update, context, text, keyboard(rows))


async def flag(update: Update, context: BotContext) -> None:
    """Start a flag: choose the target agencies."""
    await _show_next(update, context, drafts.start(context.store, context.me, context.now()))


async def draft_button(update: Update, context: BotContext) -> None:
    """One press in the flag flow: choose, go on, go back, cancel or raise."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    action, arg = parts[1], parts[2] if len(parts) > 2 else ""
    me, now, policy = context.me, context.now(), context.bot_data.flag_policy
    try:
        if action == "x":
            await drafts.cancel(context.store, me)
            await answer(update)
            await edit(query, t(context.lang, "flag.cancelled"))
            return
        if action == "ok":
            raised = await svc.raise_flag(context.store, me, policy, now)
            await answer(update)
            await edit(query, t(context.lang, "flag.raised", number=raised.id))
            return
        draft = await {
            "t": lambda: drafts.toggle_target(context.store, me, arg, now),
            "n": lambda: drafts.advance(context.store, me, now),
            "c": lambda: drafts.choose(context.store, me, policy, now, category=arg),
            "u": lambda: drafts.choose(context.store, me, policy, now, urgency=arg),
            "g": lambda: drafts.choose(context.store, me, policy, now, group_id=as_int(arg)),
            "s": lambda: drafts.locate(context.store, me, None, None, now),
            "b": lambda: drafts.back(context.store, me, now),
        }.get(action, _stale)()
    except DomainError as exc:
        await answer(update, explain(context.lang, exc), alert=True)
        return
    await answer(update)
    text, rows = await _step(context, draft)
    await edit(query, text, keyboard(rows))


async def _stale() -> FlagDraft:
    raise drafts.FlagRefused("auth.stale_button")


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
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    flag_id, lang, now = (
        as_int(parts[-1] if parts[1] != "rd" else parts[2]) or 0,
        context.lang,
        context.now(),
    )
    try:
        if parts[1] in ("a", "r", "w"):
            action = {"a": "acknowledge", "r": "resolve", "w": "withdraw"}[parts[1]]
            key = await svc.act(context.store, context.me, flag_id, action, now)
            await answer(update, t(lang, key))
        elif parts[1] == "d":
            await svc.ask_reason(context.store, context.me, flag_id, now)
            await answer(update)
            await reply(update, context, t(lang, "flag.ask_reason", number=flag_id))
        elif parts[1] == "c":
            await svc.ask_comment(context.store, context.me, flag_id, now)
            await answer(update)
            await reply(update, context, t(lang, "flag.ask_comment", number=flag_id))
        elif parts[1] == "v":
            text, buttons = await svc.detail(context.store, context.me, flag_id)
            await answer(update)
            await reply(update, context, text, markup(buttons))
        elif parts[1] == "rd" and len(parts) == 4:
            await _redirect(update, context, flag_id, parts[3])
        else:
            await answer(update, t(lang, "auth.stale_button"))
    except DomainError as exc:
        await answer(update, explain(lang, exc), alert=True)


async def _redirect(update: Update, context: BotContext, flag_id: int, agency: str) -> None:
    payload = await prompts.held(context.store, context.me, PROMPT_REDIRECT, context.now())
    held = json.loads(payload) if payload else {}
    if held.get("flag") != flag_id:
        await answer(update, t(context.lang, "auth.stale_button"))
        return
    await svc.decline(
        context.store,
        context.me,
        flag_id,
        held["reason"],
        None if agency == "-" else agency,
        context.bot_data.flag_policy,
        context.now(),
    )
    await answer(update, t(context.lang, "flag.declined_ok"))
    assert update.callback_query is not None
    await edit(update.callback_query, t(context.lang, "flag.declined_ok"))


async def reason_text(update: Update, context: BotContext, text: str, payload: str | None) -> None:
    """Keep the reason for declining and ask whether another agency should take the flag."""
    flag_id, lang = as_int(payload or "") or 0, context.lang
    try:
        reason = screen(text, 300)
        _text, _buttons = await svc.detail(context.store, context.me, flag_id)
    except DomainError as exc:
        await reply(update, context, explain(lang, exc))
        return
    held = json.dumps({"flag": flag_id, "reason": reason})
    await prompts.ask(context.store, context.me, PROMPT_REDIRECT, held, context.now())
    agencies = await members_service.agencies(context.store)
    options = [
        (a.code, f"fl:rd:{flag_id}:{a.code}") for a in agencies if a.code != context.me.agency_code
    ]
    rows: Rows = [*in_rows(options, 4), [(t(lang, "flag.btn.no_redirect"), f"fl:rd:{flag_id}:-")]]
    await reply(update, context, t(lang, "flag.ask_redirect"), keyboard(rows))


async def comment_text(
    update: Update, context: BotContext, text: str, payload: str | None
) -> None:
    """Relay a comment on a flag."""
    try:
        await svc.comment(
            context.store, context.me, as_int(payload or "") or 0, text, context.now()
        )
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    await reply(update, context, t(context.lang, "flag.comment_sent"))


async def flags(update: Update, context: BotContext) -> None:
    """List open flags I may see, newest first, each opening its card."""
    lang, now = context.lang, context.now()
    listed = await svc.listing(context.store, context.me)
    lines = [t(lang, "flags.title")] + ([] if listed else [t(lang, "flags.none")])
    buttons = []
    for item in listed:
        states = ", ".join(f"{tg.agency} {tg.state.value}" for tg in item.targets)
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
        buttons.append((f"#{item.id}", f"fl:v:{item.id}"))
    await reply(
        update, context, "\n".join(lines), keyboard(in_rows(buttons, 5)) if buttons else None
    )


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
