"""/settings: reminder lead time, the evening-before reminder, quiet hours, language."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.callbacks import Language, SetEvening, SetLead, SetQuiet
from bot.domain.errors import DomainError
from bot.i18n import explain, t
from bot.services import settings as svc
from handlers.access import Guarded, allow
from handlers.common import Choice, answer, edit, in_rows, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry
from storage.reminders import MemberSettings

MENU = [MenuEntry("settings", Level.MEMBER, "cmd.settings")]


def _view(lang: str, current: MemberSettings) -> tuple[str, list[list[Choice]]]:
    quiet = (f"{current.quiet_from}–{current.quiet_to}" if current.quiet_from
             else t(lang, "settings.none"))  # fmt: skip
    text = t(lang, "settings.title", lead=current.lead_minutes, quiet=quiet,
             evening=t(lang, "settings.on" if current.evening_before else "settings.off"),
             language=t(lang, f"language.{lang}"))  # fmt: skip
    leads = [(("✓ " if m == current.lead_minutes else "") + t(lang, "settings.lead", minutes=m),
              SetLead(m)) for m in svc.LEAD_CHOICES]  # fmt: skip
    quiets: list[Choice] = [(t(lang, "settings.quiet", span=f"{a}–{b}"), SetQuiet(key))
                            for key, (a, b) in svc.QUIET_CHOICES.items()]  # fmt: skip
    rows: list[list[Choice]] = [
        *in_rows(leads, 3),
        [(t(lang, "settings.evening"), SetEvening())],
        [*quiets, (t(lang, "settings.quiet_off"), SetQuiet(svc.QUIET_OFF))],
        [("Svenska", Language("sv")), ("English", Language("en"))],
    ]
    return text, rows


async def settings(update: Update, context: BotContext) -> None:
    """Show my settings with buttons to change them."""
    text, rows = _view(context.lang, await svc.current(context.store, context.me))
    await reply(update, context, text, keyboard(rows))


async def setting_chosen(update: Update, context: BotContext) -> None:
    """Change the setting pressed and show the result."""
    query, choice = update.callback_query, pressed(update, SetLead, SetEvening, SetQuiet)
    if query is None or choice is None:
        await stale(update, context)
        return
    what, value = (
        ("lead", str(choice.minutes)) if isinstance(choice, SetLead)
        else ("quiet", choice.span) if isinstance(choice, SetQuiet)
        else ("evening", "")
    )  # fmt: skip
    try:
        changed = await svc.change(context.store, context.me, what, value, context.now())
    except DomainError as exc:
        await answer(update, explain(context.lang, exc))
        return
    await answer(update)
    text, rows = _view(context.lang, changed)
    await edit(query, text, keyboard(rows))


def build_handlers() -> list[Guarded]:
    """Every member has settings."""
    return [
        allow(Level.MEMBER, CommandHandler("settings", settings)),
        allow(Level.MEMBER, CallbackQueryHandler(setting_chosen, pattern=r"^set:")),
    ]
