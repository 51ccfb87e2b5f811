"""The report worker process: when it dies or hangs, the drawing fails clearly and in bounded
time, and the next drawing gets a fresh worker; closing never leaves one running."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.reports.worker import Renderer, RenderFailed

# Bounds for the test itself, so a regression fails instead of hanging the run.
BOUND_S = 60.0


@pytest.fixture
async def renderer() -> AsyncIterator[Renderer]:
    drawing = Renderer()
    yield drawing
    drawing.close()


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def _gone(pid: int) -> None:
    deadline = time.monotonic() + BOUND_S
    while _alive(pid):
        assert time.monotonic() < deadline, f"worker {pid} still runs"
        await asyncio.sleep(0.05)


async def test_a_worker_killed_mid_drawing_fails_that_drawing_and_the_next_gets_a_new_one(
    renderer: Renderer,
) -> None:
    worker = await renderer.run(os.getpid)
    drawing = asyncio.create_task(renderer.run(time.sleep, 3600))
    os.kill(worker, signal.SIGKILL)
    with pytest.raises(RenderFailed, match="report worker process died"):
        await asyncio.wait_for(drawing, BOUND_S)
    fresh = await asyncio.wait_for(renderer.run(os.getpid), BOUND_S)
    assert fresh != worker


async def test_a_worker_that_died_while_idle_is_replaced_for_the_next_drawing(
    renderer: Renderer,
) -> None:
    worker = await renderer.run(os.getpid)
    os.kill(worker, signal.SIGKILL)
    await _gone(worker)
    assert await asyncio.wait_for(renderer.run(os.getpid), BOUND_S) != worker


async def test_a_worker_that_hangs_is_stopped_after_the_timeout(renderer: Renderer) -> None:
    worker = await renderer.run(os.getpid)  # started with the generous default
    os.kill(worker, signal.SIGSTOP)  # alive, but it will never answer
    renderer.timeout_s = 0.5
    with pytest.raises(RenderFailed, match=r"did not answer within 0\.5 s"):
        await asyncio.wait_for(renderer.run(os.getpid), BOUND_S)
    await _gone(worker)
    renderer.timeout_s = BOUND_S
    assert await renderer.run(os.getpid) != worker


async def test_closing_stops_a_worker_in_the_middle_of_a_drawing(renderer: Renderer) -> None:
    worker = await renderer.run(os.getpid)
    drawing = asyncio.create_task(renderer.run(time.sleep, 3600))
    waiting = asyncio.create_task(renderer.run(os.getpid))  # behind it: one worker, one piece
    await asyncio.sleep(0)  # both are handed to the worker's executor
    renderer.close()
    for piece in (drawing, waiting):
        with pytest.raises(RenderFailed, match="report worker process died"):
            await asyncio.wait_for(piece, BOUND_S)
    await _gone(worker)
