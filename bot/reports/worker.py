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
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


# A lower scheduling priority for the worker: on a small machine, the bot's answers to other
# members come before drawing (the report takes a little longer; nobody else waits for it).
WORKER_NICENESS = 10
# How long one piece (the figures, one chart, the workbook) may take. A year of a large
# district draws in seconds; a worker silent for this long is stuck, and waiting for it would
# keep the report's task, and the bot's shutdown that awaits it, waiting for ever.
RENDER_TIMEOUT_S = 120.0


def _yield_to_the_bot() -> None:
    os.nice(WORKER_NICENESS)


class RenderFailed(RuntimeError):
    """The report worker died or did not answer in time (the next drawing gets a new one)."""


class Renderer:
    """Runs drawing functions (module-level, with picklable arguments) off the event loop."""

    def __init__(self, executor: Executor | None = None, timeout_s: float = RENDER_TIMEOUT_S):
        self._executor = executor
        self._owned = executor is None
        self.timeout_s = timeout_s

    def _pool(self) -> Executor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_yield_to_the_bot,
            )
        return self._executor

    async def run(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run `function(*args)` in the worker and wait for its result, or RenderFailed."""
        if kwargs:
            raise TypeError("pass positional arguments only")
        loop = asyncio.get_running_loop()
        try:
            submitted = loop.run_in_executor(self._pool(), function, *args)
        except BrokenExecutor:
            # The worker died while idle: nothing of this piece ran, so a new worker takes it.
            self._discard()
            submitted = loop.run_in_executor(self._pool(), function, *args)
        try:
            return await asyncio.wait_for(submitted, self.timeout_s)
        except TimeoutError:
            self._discard()
            raise RenderFailed(
                f"the report worker did not answer within {self.timeout_s:g} s and was stopped"
            ) from None
        except BrokenExecutor:
            self._discard()
            raise RenderFailed("the report worker process died") from None

    def close(self) -> None:
        """Stop the worker (a drawing in progress is abandoned, and fails)."""
        self._discard()

    def _discard(self) -> None:
        """Stop this worker for good, even in the middle of a piece (a new one starts on use)."""
        executor, self._executor = self._executor, None
        if executor is None or not self._owned:
            self._executor = executor
            return
        assert isinstance(executor, ProcessPoolExecutor)
        # Taken before shutdown, which forgets them. A worker stuck in a piece would otherwise
        # keep running, and the executor's thread (which the interpreter joins at exit) with
        # it. Once it is killed, every piece given to it, drawn or waiting, fails at once as a
        # broken pool (cancelling the waiting ones instead would look like a cancelled task).
        processes = list((executor._processes or {}).values())
        executor.shutdown(wait=False)
        for process in processes:
            process.kill()
