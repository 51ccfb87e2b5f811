"""Starting a flow while another draft is unfinished: the bot names it and asks Continue or
Start over, instead of dropping it silently."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, TypeHandler

from bot.domain.agencies import Directory
from bot.domain.callbacks import FlowContinue, FlowRestart
from bot.domain.errors import DomainError
from bot.domain.flags import FlagDraft
from bot.domain.flows import Flow
from bot.domain.notices import Draft as NoticeDraft
from bot.domain.worklog import ActivityDraft
from bot.i18n import explain, t
from bot.reports.text import type_label
from bot.services import flows as svc
from bot.services.flag_texts import category_label
from handlers.access import Guarded, allow, level_of
from handlers.common import Choice, answer, edit, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry

AnyDraft = FlagDraft | ActivityDraft | NoticeDraft
# A feature begins its flow (a work-log entry may be for a flag), or shows its unfinished
# draft's step in the message whose Continue was pressed (and answers the press).
Begin = Callable[[Update, BotContext, int | None], Awaitable[None]]
Resume = Callable[[Update, BotContext, AnyDraft], Awaitable[None]]
# Typed text on a draft's step with buttons: take the button it names (False: it names
# none); and what the step waits for, to say so.
Typed = Callable[[Update, BotContext, str, AnyDraft], Awaitable[bool]]
Hint = Callable[[str, AnyDraft], str]

MENU: list[MenuEntry] = []
# Who may begin a flow from a Start over button (the command itself is guarded the same).
NEEDS = {
    Flow.FLAG: Level.MEMBER,
    Flow.LOG: Level.MEMBER,
    Flow.NOTICE: Level.COORDINATOR,
    Flow.PLAN: Level.COORDINATOR,
}
SNIPPET = 30
# Commands that see to an unfinished draft themselves: the flows (asking first) and /cancel.
ASKS_FIRST = {*Flow, "cancel"}


async def ask_first(
    update: Update, context: BotContext, flow: Flow, flag_id: int | None = None
) -> bool:
    """Before `flow` begins: if another draft is unfinished, name it and ask Continue or
    Start over (True: asked, so the caller does not begin)."""
    found = await svc.unfinished(context.store, context.me)
    if found is None:
        return False
    lang, at = context.lang, (found.flow, found.draft_id, found.step)
    rows: list[list[Choice]] = [
        [(t(lang, "flow.btn.continue"), FlowContinue(*at))],
        [(t(lang, "flow.btn.restart"), FlowRestart(*at, flow, flag_id))],
    ]
    what = _what(context, found.draft, await context.agencies())
    text = t(lang, f"flow.unfinished.{found.flow.value}", what=what)
    # Continue edits this message into the draft's step, which may show a flag's content.
    await reply(update, context, text, keyboard(rows), protect=True)
    return True


def _what(context: BotContext, draft: AnyDraft, agencies: Directory) -> str:
    """The choices the draft holds, as its buttons named them."""
    lang = context.lang
    if isinstance(draft, FlagDraft):
        parts = [category_label(lang, draft.category)] if draft.category else []
        if draft.urgency is not None:
            parts.append(t(lang, f"flag.urgency.{draft.urgency.value}"))
        return ", ".join(parts or [agencies.short(a, lang) for a in draft.targets])
    if isinstance(draft, ActivityDraft):
        parts = [t(lang, f"log.kind.{draft.kind.value}")] if draft.kind else []
        if draft.type:
            parts.append(type_label(lang, draft.type, context.bot_data.work_policy.types))
        return ", ".join(parts)
    text = " ".join((draft.text or "").split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


async def flow_button(update: Update, context: BotContext) -> None:
    """Continue the unfinished draft at its step, or drop it and begin the new flow."""
    query, press = update.callback_query, pressed(update, FlowContinue, FlowRestart)
    if (
        query is None
        or press is None
        or (isinstance(press, FlowRestart) and level_of(context.member) < NEEDS[press.start])
    ):
        await stale(update, context)
        return
    store, me, now = context.store, context.me, context.now()
    at = svc.At(press.flow, press.draft, press.step)
    try:
        if isinstance(press, FlowContinue):
            draft = await svc.resume(store, me, at, now)
            await context.bot_data.resumes[press.flow](update, context, draft)
            return
        await svc.restart(store, me, at, now)
    except DomainError as exc:
        await answer(update, explain(context.lang, exc))
        return
    await answer(update)
    await edit(query, t(context.lang, f"flow.dropped.{press.flow.value}"))
    await context.bot_data.begins[press.start](update, context, press.flag_id)


async def reask(update: Update, context: BotContext) -> None:
    """Show a draft's open question again after a quick command (/help, /onduty: they just
    run), or ask it again once another flow that took its place has ended (a check-in in the
    middle of a flag's description), so the next text answers it."""
    chat, message = update.effective_chat, update.message
    if context.member is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    text = message.text if message is not None and message.text else ""
    command = text[1:].split(" ")[0].split("@")[0] if text.startswith("/") else None
    if command in ASKS_FIRST:
        return  # it asked Continue or Start over itself, or stopped the draft
    found = await svc.waiting(context.store, context.me)
    if found is None or not (found.displaced or command):
        return
    await svc.ask_again(context.store, context.me, found, context.now())
    await context.bot_data.reasks[found.found.flow](update, context, found.found.draft)


def build_reask() -> TypeHandler[Update, BotContext, None]:
    """The draft's question again, to be registered in a group after every feature."""
    return TypeHandler(Update, reask)


def build_handlers() -> list[Guarded]:
    """Every member composes something; each feature checks its own right to."""
    return [allow(Level.MEMBER, CallbackQueryHandler(flow_button, pattern=r"^fw:"))]
