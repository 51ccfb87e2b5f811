"""Command menus: what each chat's Telegram menu shows, kept in step with the database."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import IntEnum
from typing import cast

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import JobQueue

from bot.domain.models import Role
from bot.i18n import t
from bot.services import menus
from handlers.context import BotContext
from handlers.levels import Level

log = logging.getLogger(__name__)

SYNC_NOW = "menu-sync-now"


class Section(IntEnum):
    """The tasks /help groups commands by, in the order it shows them (the menu follows)."""

    START = 0  # "Start here": knowing oneself, one's shifts and settings
    SHIFT = 1  # "During a shift"
    COORDINATING = 2
    ADMIN = 3


# A command's section when its entry does not name one: what its level is for.
_SECTION_OF_LEVEL = {
    Level.ANYONE: Section.START,
    Level.MEMBER: Section.START,
    Level.COORDINATOR: Section.COORDINATING,
    Level.ADMIN: Section.ADMIN,
}


@dataclass(frozen=True)
class MenuEntry:
    """One command as the menu and /help show it."""

    command: str
    level: Level
    description_key: str
    strangers_only: bool = False
    task: Section | None = None

    @property
    def section(self) -> Section:
        """Where /help lists it."""
        return self.task if self.task is not None else _SECTION_OF_LEVEL[self.level]


ROLE_LEVEL = {
    Role.EXPERT: Level.MEMBER,
    Role.COORDINATOR: Level.COORDINATOR,
    Role.ADMIN: Level.ADMIN,
}


def entries_for(menu: list[MenuEntry], level: Level) -> list[MenuEntry]:
    """The commands a level may use, section by section (features' order within one)."""
    if level is Level.ANYONE:
        usable = [e for e in menu if e.level is Level.ANYONE]
    else:
        usable = [e for e in menu if e.level <= level and not e.strangers_only]
    return sorted(usable, key=lambda e: e.section)


def commands(menu: list[MenuEntry], level: Level, lang: str) -> list[BotCommand]:
    """The Telegram menu for a level in a language."""
    return [BotCommand(e.command, t(lang, e.description_key)) for e in entries_for(menu, level)]


async def set_default_menus(context: BotContext, menu: list[MenuEntry]) -> None:
    """The menu strangers see, in Swedish and for English clients: set by the one instance
    that finds it changed since it was last set, not by every instance at every start."""
    sv, en = commands(menu, Level.ANYONE, "sv"), commands(menu, Level.ANYONE, "en")
    plain = [[(c.command, c.description) for c in lang] for lang in (sv, en)]
    was = await menus.claim_defaults(context.store, context.bot.username, plain)
    if was is None:
        return
    try:
        await context.bot.set_my_commands(sv)
        await context.bot.set_my_commands(en, language_code="en")
    except TelegramError:
        await menus.release_defaults(context.store, was)
        raise


async def sync_menus(context: BotContext) -> None:
    """Give every member whose role, language or access changed the menu that fits now."""
    # The periodic run and a run asked for now must not set the same menus twice.
    async with context.bot_data.menu_lock:
        await _sync(context)


async def _sync(context: BotContext) -> None:
    # Claimed a batch at a time: another instance syncing at once takes other members.
    after = 0
    while batch := await menus.claim(context.store, after):
        after = batch[-1].member_id
        for index, change in enumerate(batch):
            try:
                await _set(context, change)
            except RetryAfter:
                await menus.release(context.store, batch[index:])
                return  # the next run picks up where this one stopped
            except (BadRequest, Forbidden) as exc:
                # Not in step: the member's next message to the bot tries again.
                log.info("menu for member %s not set: %s", change.member_id, exc.message)
                await menus.release(context.store, [change])
            except Exception:
                # Telegram unreachable (or this run stopped): the rest of the batch was
                # recorded as set when claimed, and no later run would set it.
                await menus.release(context.store, batch[index:])
                raise


async def _set(context: BotContext, change: menus.MenuChange) -> None:
    scope = BotCommandScopeChat(change.chat_id)
    if change.role is None:
        await context.bot.delete_my_commands(scope=scope)
    else:
        menu: list[MenuEntry] = context.bot_data.menu
        level = ROLE_LEVEL[change.role]
        await context.bot.set_my_commands(commands(menu, level, change.language), scope=scope)


def schedule_menu_sync(context: BotContext) -> None:
    """Bring menus in step now rather than at the next periodic run."""
    job_queue = cast("JobQueue[BotContext] | None", context.job_queue)
    # Many members writing at once must not start one sync each: one queued run covers all.
    if job_queue is not None and not job_queue.get_jobs_by_name(SYNC_NOW):
        job_queue.run_once(sync_menus, 0, name=SYNC_NOW)
