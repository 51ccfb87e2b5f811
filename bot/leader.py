"""One instance leads: it alone runs the timed jobs and the outbox sender.

Several instances on one PostgreSQL server ask every LEAD_CHECK_S whether they lead (an
advisory lock, `Database.lead`); the one that does starts the work, and when it dies its
session ends, the lock is free, and the next instance to ask takes over. On SQLite the one
process always leads, at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from storage.db import Database

log = logging.getLogger(__name__)

LEAD_CHECK_S = 2.0


class Leadership:
    """Whether this instance leads, asked of the database; the work follows the answer."""

    def __init__(
        self,
        db: Database,
        gain: Callable[[], Awaitable[None]],
        lose: Callable[[], Awaitable[None]],
        interval_s: float = LEAD_CHECK_S,
    ) -> None:
        self._db = db
        self._gain = gain
        self._lose = lose
        self._interval_s = interval_s
        self._task: asyncio.Task[None] | None = None
        self.leading = False

    async def check(self) -> bool:
        """Ask once; start or stop the work when the answer changed."""
        now = await self._db.lead()
        if now and not self.leading:
            self.leading = True
            log.info("this instance leads now: timed jobs and sending start here")
            await self._gain()
        elif not now and self.leading:
            self.leading = False
            log.warning("this instance no longer leads: timed jobs and sending stop here")
            await self._lose()
        return now

    def start(self) -> None:
        """Keep asking in the background (only where another instance may lead)."""
        self._task = asyncio.create_task(self._run(), name="leadership")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval_s)
            try:
                await self.check()
            except Exception:
                log.exception("leadership check failed; asking again")

    async def stop(self) -> None:
        """Stop asking, and stop the work if it runs here."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self.leading:
            self.leading = False
            await self._lose()
