"""A worker process for drawing reports, so the bot keeps answering while one is drawn.

Drawing is CPU-bound Python (matplotlib, openpyxl); in a thread it would hold the GIL the
event loop needs. One process, started on first use and kept, draws one piece at a time;
a fresh interpreter ("spawn") shares no locks or threads with the bot's.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


# A lower scheduling priority for the worker: on a small machine, the bot's answers to other
# members come before drawing (the report takes a little longer; nobody else waits for it).
WORKER_NICENESS = 10


def _yield_to_the_bot() -> None:
    os.nice(WORKER_NICENESS)


class Renderer:
    """Runs drawing functions (module-level, with picklable arguments) off the event loop."""

    def __init__(self, executor: Executor | None = None) -> None:
        self._executor = executor
        self._owned = executor is None

    def _pool(self) -> Executor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_yield_to_the_bot,
            )
        return self._executor

    async def run(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run `function(*args)` in the worker and wait for its result."""
        loop = asyncio.get_running_loop()
        if kwargs:
            raise TypeError("pass positional arguments only")
        return await loop.run_in_executor(self._pool(), function, *args)

    def close(self) -> None:
        """Stop the worker (a drawing in progress is abandoned)."""
        if self._executor is not None and self._owned:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
