"""The composition root: every handler, job and resource of the bot is wired here."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes, Defaults

from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.delivery import Sender
from bot.domain.pacing import Limits, Pacer
from bot.leader import Leadership
from bot.ordering import PerPersonUpdateProcessor
from bot.reports.worker import Renderer
from bot.services import reminders
from bot.telegram_request import paced_request
from handlers import (
    access,
    admin,
    board,
    coverage,
    edits,
    fallback,
    flag_coord,
    flag_wizard,
    flags,
    flows,
    jobs,
    ladder,
    mylog,
    notices,
    onboarding,
    planning,
    preferences,
    presence,
    privacy,
    prompts,
    reachability,
    report,
    shifts,
    upkeep,
    worklog,
)
from handlers.access import Guarded, guard
from handlers.context import BotApplication, BotContext, BotData
from handlers.errors import on_error
from handlers.levels import Level
from handlers.menu import MenuEntry, set_default_menus, sync_menus
from storage.db import Database
from storage.store import Store

log = logging.getLogger(__name__)

MENU_SYNC_INTERVAL_S = 60
# Coordinators watch a notice's figures change; more often would only cost edits.
NOTICE_STATUS_INTERVAL_S = 2

# Feature modules in menu and dispatch order; each has build_handlers() and MENU.
FEATURES = (
    # Edited messages first: no command or text handler may take an edit for a new message.
    edits,
    onboarding,
    privacy,
    presence,
    shifts,
    coverage,
    flag_wizard,
    flags,
    flag_coord,
    ladder,
    preferences,
    admin,
    planning,
    notices,
    worklog,
    mylog,
    report,
    board,
    reachability,
    flows,
    # Plain text answers what the bot asked; it must come after every command handler.
    prompts,
)

# Handler groups: the gate runs first and finds the member. Features and catch-alls share one
# group, catch-alls last, because within a group only the first matching handler runs. Upkeep
# (profile, reachability, menu) runs after them, so its failure can never fail the update.
GATE_GROUP = -1
FEATURE_GROUP = 0
UPKEEP_GROUP = 1
# After all of that, a draft whose question another flow took over (a check-in in the middle
# of a flag) or a quick command pushed out of sight is shown again.
REASK_GROUP = 2


def build_application(settings: Settings, clock: Clock = system_clock) -> BotApplication:
    """Build the bot exactly as production runs it; tests call this too."""
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is not set")
    # One pacer for the outbox and every direct answer: they share Telegram's ~30/s.
    pacer = Pacer(Limits(global_per_s=settings.telegram_messages_per_s))
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token.get_secret_value())
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .request(paced_request(pacer))
        .concurrent_updates(PerPersonUpdateProcessor())
        .post_init(open_resources)
        # run_polling/run_webhook call post_stop before closing the HTTP client and
        # post_shutdown after: the sender must be done before the client goes.
        .post_stop(stop_sending)
        .post_shutdown(close_resources)
    )
    if settings.telegram_api_url:
        builder = builder.base_url(settings.telegram_api_url)
    if settings.telegram_file_url:
        builder = builder.base_file_url(settings.telegram_file_url)
    app: BotApplication = builder.build()  # type: ignore[assignment]
    app.bot_data.settings = settings
    app.bot_data.clock = clock
    app.bot_data.pacer = pacer
    app.bot_data.menu = menu()
    app.bot_data.menu_lock = asyncio.Lock()
    app.bot_data.location_prompts = registry("LOCATION_PROMPTS")
    app.bot_data.flag_policy = settings.flag_policy()
    app.bot_data.work_policy = settings.work_policy()
    app.bot_data.renderer = Renderer()
    app.bot_data.reports_running = set()
    app.bot_data.prompts = registry("PROMPTS")
    app.bot_data.begins = registry("BEGINS")
    app.bot_data.resumes = registry("RESUMES")
    app.bot_data.typed = registry("TYPED")
    app.bot_data.hints = registry("HINTS")
    app.bot_data.reasks = registry("REASKS")
    app.bot_data.revisions = registry("REVISIONS")
    app.add_handler(access.build_gate(), group=GATE_GROUP)
    # Every handler is registered guarded: the catch-alls need a member like any other.
    guarded = [guard(g.level, g.handler) for g in feature_handlers()]
    app.add_handlers(guarded, group=FEATURE_GROUP)
    # A command typed without its slash ("checkin") runs it, guarded the same.
    app.bot_data.commands = {
        name: h.callback for h in guarded if isinstance(h, CommandHandler) for name in h.commands
    }
    app.add_handlers(
        [guard(Level.MEMBER, h) for h in fallback.build_handlers()], group=FEATURE_GROUP
    )
    app.add_handler(upkeep.build_upkeep(), group=UPKEEP_GROUP)
    app.add_handler(flows.build_reask(), group=REASK_GROUP)
    app.add_error_handler(on_error)
    return app


def registry(name: str) -> dict[Any, Any]:
    """One table every feature may add to (PROMPTS, BEGINS, HINTS, ...), merged."""
    return {
        key: value for feature in FEATURES for key, value in getattr(feature, name, {}).items()
    }


def feature_handlers() -> list[Guarded]:
    """Every feature's handlers, in the order of FEATURES."""
    return [handler for feature in FEATURES for handler in feature.build_handlers()]


def menu() -> list[MenuEntry]:
    """Every feature's menu entries, in the order of FEATURES."""
    return [entry for feature in FEATURES for entry in feature.MENU]


async def open_resources(app: BotApplication) -> None:
    """Open and migrate the database, set the menus, and start the bot's jobs."""
    settings = app.bot_data.settings
    settings.ensure_database_dir()
    db = await Database.open(settings.database_path, settings.database_busy_timeout_ms)
    applied = await db.migrate()
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    store = Store(db)
    app.bot_data.store = store
    async with app.bot_data.store.transaction() as tx:
        await tx.meta.put("bot_username", app.bot.username)
    await set_default_menus(BotContext(app), app.bot_data.menu)
    if db.engine == "postgresql" and isinstance(app.update_processor, PerPersonUpdateProcessor):
        app.update_processor.across = db.person_turn  # other instances serve people too
    leadership = Leadership(db, lambda: start_leading(app), lambda: stop_leading(app))
    app.bot_data.leadership = leadership
    await leadership.check()  # on SQLite: leads, and everything below has started
    if db.engine == "postgresql":
        leadership.start()  # another instance may lead now, or die and leave it to this one


async def start_leading(app: BotApplication) -> None:
    """Start the work only the leading instance does: the timed jobs and the sender."""
    store = app.bot_data.store
    # The sender paces and retries on real time, whatever clock the business rules use.
    sender = Sender(app.bot, store, system_clock, pacer=app.bot_data.pacer)
    store.on_outbox = sender.wake
    app.bot_data.sender = sender
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            sync_menus, interval=MENU_SYNC_INTERVAL_S, first=1, name="menu-sync"
        )
        app.job_queue.run_repeating(
            notices.refresh_statuses,
            interval=NOTICE_STATUS_INTERVAL_S,
            first=1,
            name="notice-status",
        )
        jobs.schedule(app.job_queue, app.bot_data.settings.purge_time())
    # Catch up at once on what came due while the bot was down (the down-time rule decides).
    caught_up = await reminders.run_due(store, app.bot_data.clock())
    if caught_up.sent or caught_up.dropped:
        log.info("start-up reminders: %d sent, %d dropped", caught_up.sent, caught_up.dropped)
    await sender.start()
    if app.bot_data.poll_when_leading is not None and app.updater is not None:
        # Telegram serves getUpdates to one poller per token: the leader's.
        await app.updater.start_polling(**app.bot_data.poll_when_leading)
    if store.db.engine == "postgresql":
        # Messages queued by the other instances wake this sender too (LISTEN/NOTIFY).
        app.bot_data.outbox_watch = asyncio.create_task(
            store.db.watch_outbox(sender.wake), name="outbox-watch"
        )


async def stop_leading(app: BotApplication) -> None:
    """Stop the leader's work: no more polling and timed jobs here, and the sender lets what
    is in flight settle (what it had claimed the next leader requeues)."""
    polling = app.bot_data.poll_when_leading is not None
    if polling and app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.job_queue is not None and app.job_queue.scheduler.running:
        for job in app.job_queue.jobs():
            job.schedule_removal()
    app.bot_data.store.on_outbox = None
    watch = getattr(app.bot_data, "outbox_watch", None)
    if watch is not None:
        watch.cancel()
        await asyncio.gather(watch, return_exceptions=True)
    sender = getattr(app.bot_data, "sender", None)
    if sender is not None:
        await sender.stop()


async def stop_sending(app: BotApplication) -> None:
    """Stop the sender and let messages in flight settle, while Telegram can still be reached."""
    leadership = getattr(app.bot_data, "leadership", None)
    if leadership is not None:
        await leadership.stop()


async def close_resources(app: BotApplication) -> None:
    """Close the database (the sender stopped in post_stop)."""
    # PTB skips post_stop when the application never started (stopped during post_init).
    await stop_sending(app)
    app.bot_data.renderer.close()
    store = getattr(app.bot_data, "store", None)
    if store is not None:
        await store.db.close()
