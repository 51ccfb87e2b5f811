"""Logging never shows the token, request URLs, SQL values or what members typed, and at INFO
does not write a line for every job run."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import aiosqlite
import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram import Bot

from bot.config import Settings
from bot.logs import setup_logging
from tests.fakebot import FakeBotApi

TOKEN = "123456:" + "T" * 35
SECRET = "Hot mot handläggare vid porten"  # what a member might type into a flag


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """setup_logging changes process-wide loggers: put them back for the other tests."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    names = ("telegram", "httpx", "httpcore", "aiosqlite", "apscheduler")
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def configure(level: str, token: str = TOKEN) -> None:
    setup_logging(Settings(_env_file=None, bot_token=token, log_level=level))  # type: ignore[call-arg]


def test_debug_logging_keeps_libraries_quiet_and_redacts_the_token(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    configure("DEBUG")
    logging.getLogger("telegram.Bot").debug("Calling endpoint with parameters {'text': 'x'}")
    logging.getLogger("httpx").info("HTTP Request: POST https://api/bot%s/getMe", TOKEN)
    logging.getLogger("bot.app").warning("something about %s", TOKEN)
    err = capsys.readouterr().err
    assert "parameters" not in err and "HTTP Request" not in err
    assert "something about <token>" in err and "T" * 35 not in err


async def test_sql_values_never_reach_the_log(
    capsys: pytest.CaptureFixture[str], restore_logging: None, tmp_path: Path
) -> None:
    configure("DEBUG")
    async with aiosqlite.connect(tmp_path / "x.db") as conn:
        await conn.execute("CREATE TABLE flags (description TEXT)")
        await conn.execute("INSERT INTO flags VALUES (?)", (SECRET,))
        await conn.commit()
    assert SECRET not in capsys.readouterr().err


async def test_http_requests_never_reach_the_log(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    async with FakeBotApi() as server:
        configure("DEBUG", token=server.token)
        user = server.user(1001)
        await user.send("/start")
        async with Bot(server.token, base_url=server.base_url) as bot:
            await bot.send_message(1001, SECRET)
    err = capsys.readouterr().err
    assert SECRET not in err and server.token not in err
    assert "getMe" not in err and "sendMessage" not in err  # no request lines at all


async def test_job_runs_are_not_logged_and_their_arguments_never(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    configure("DEBUG")
    ran = asyncio.Event()
    scheduler = AsyncIOScheduler()
    scheduler.add_job(lambda text: ran.set(), "interval", seconds=0.05, args=[SECRET])
    scheduler.start()
    try:
        await asyncio.wait_for(ran.wait(), 5)
        await asyncio.sleep(0.2)  # a few runs
    finally:
        scheduler.shutdown(wait=False)
    err = capsys.readouterr().err
    assert SECRET not in err
    assert "Running job" not in err and "executed successfully" not in err


def test_the_token_is_redacted_in_tracebacks_too(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    configure("INFO")
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.invalid/bot{TOKEN}/getMe")
    except ConnectionError:
        logging.getLogger("bot.runner").exception("start failed")
    err = capsys.readouterr().err
    assert "ConnectionError" in err and "<token>" in err
    assert "T" * 35 not in err
