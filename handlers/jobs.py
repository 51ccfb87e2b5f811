"""The bot's timed work on PTB's JobQueue: reminders and the coverage watch.

The database is the truth: each run derives what is due from rows at the injected clock's
`now`, so a job lost in a crash is simply found again by the next run after start-up.
"""

from __future__ import annotations

import logging
from datetime import time
from typing import cast

from telegram.ext import JobQueue

from bot.services import balance, privacy, reminders, watch
from handlers import board
from handlers.context import BotContext
from storage.errors import StorageBusy

log = logging.getLogger(__name__)

SCAN_INTERVAL_S = 30
WATCH_INTERVAL_S = 180
# A board changes at most every BOARD_INTERVAL_MINUTES; a minute's look keeps it that punctual.
BOARD_INTERVAL_S = 60
# Retention: the short windows (drafts expire with their prompt after an hour, coordinates
# after a day) are looked at often (privacy.SHORT_EVERY_S); everything else once a day.
# A daily purge that found the database locked (another writer past the busy timeout) is
# tried again this much later; what it had deleted by then stays deleted.
PURGE_RETRY_S = 900
NEXT = "reminders-next"


async def scan_reminders(context: BotContext) -> None:
    """Send what is due; then wake again exactly when the next reminder falls due."""
    now = context.now()
    result = await reminders.run_due(context.store, now)
    job_queue = cast("JobQueue[BotContext] | None", context.job_queue)
    if job_queue is None or result.next_due is None:
        return
    delay = (result.next_due - now).total_seconds()
    if 0 < delay < SCAN_INTERVAL_S:
        for job in job_queue.get_jobs_by_name(NEXT):
            job.schedule_removal()
        job_queue.run_once(scan_reminders, delay + 0.05, name=NEXT)


async def watch_coverage(context: BotContext) -> None:
    """Tell coordinators about coverage that fell short or recovered."""
    await watch.watch(context.store, context.now())
    # The work mix against each group's target is watched on the same beat.
    await balance.watch_balance(context.store, context.now())


async def expire_short(context: BotContext) -> None:
    """Drop drafts whose prompt expired and check-in coordinates past their window."""
    await privacy.purge(
        context.store, context.settings.retention(), context.now(), classes=privacy.SHORT
    )


async def purge_data(context: BotContext) -> None:
    """Delete what is past its time, class by class; when the database is locked, later."""
    try:
        await privacy.purge(context.store, context.settings.retention(), context.now())
    except StorageBusy:
        log.warning("purge: the database is busy; trying again in %d s", PURGE_RETRY_S)
        job_queue = cast("JobQueue[BotContext] | None", context.job_queue)
        if job_queue is not None:
            job_queue.run_once(purge_data, PURGE_RETRY_S, name="purge-retry")


def schedule(job_queue: JobQueue[BotContext], purge_at: time) -> None:
    """Start the timed work. A first run falls due a second after start (a job due before the
    scheduler runs would count as missed); the catch-up scan happens before that. The purge
    runs daily at `purge_at`, a local time with its zone: the same hour of the day on either
    side of a clock change (an hour the clocks skip runs when it would have been; one they
    repeat, both times)."""
    job_queue.run_repeating(scan_reminders, interval=SCAN_INTERVAL_S, first=1, name="reminders")
    job_queue.run_repeating(watch_coverage, interval=WATCH_INTERVAL_S, first=10, name="watch")
    job_queue.run_repeating(
        board.refresh_boards, interval=BOARD_INTERVAL_S, first=5, name="boards"
    )
    job_queue.run_repeating(expire_short, interval=privacy.SHORT_EVERY_S, first=120, name="expire")
    job_queue.run_daily(purge_data, purge_at, name="purge")
