"""/ladder: coordinators see who a flag goes to, rung by rung, in each group they run."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.i18n import Markup, t
from bot.services import ladders
from bot.services.members import groups_run_by
from handlers.access import Guarded, allow
from handlers.common import reply
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry

MENU = [MenuEntry("ladder", Level.COORDINATOR, "cmd.ladder")]


async def ladder(update: Update, context: BotContext) -> None:
    """Show each of my groups' escalation ladder."""
    lang, blocks = context.lang, []
    for group in await groups_run_by(context.store, context.me):
        shown, neighbours = await ladders.ladder_of(context.store, group)
        near = ", ".join(g.name for g in neighbours) or t(lang, "ladder.no_neighbours")
        steps = [t(lang, f"ladder.rung.{rung.value}", groups=near) for rung in shown.rungs]
        lines = [f"{i}. {step}" for i, step in enumerate(steps, start=1)]
        blocks.append("\n".join([t(lang, "ladder.group", group=group.name), *lines]))
    text = "\n\n".join([t(lang, "ladder.title"), *blocks, t(lang, "ladder.how")])
    await reply(update, context, Markup(text))


def build_handlers() -> list[Guarded]:
    """Coordinators and admins."""
    return [allow(Level.COORDINATOR, CommandHandler("ladder", ladder))]
