"""Logging never shows the token, request URLs or what members typed."""

from __future__ import annotations

import logging

import pytest

from bot.config import Settings
from bot.logs import setup_logging

TOKEN = "123456:" + "T" * 35


def test_debug_logging_keeps_libraries_quiet_and_redacts_the_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        setup_logging(Settings(_env_file=None, bot_token=TOKEN, log_level="DEBUG"))  # type: ignore[call-arg]
        logging.getLogger("telegram.Bot").debug("Calling endpoint with parameters {'text': 'x'}")
        logging.getLogger("httpx").info("HTTP Request: POST https://api/bot%s/getMe", TOKEN)
        logging.getLogger("bot.app").warning("something about %s", TOKEN)
        err = capsys.readouterr().err
        assert "parameters" not in err and "HTTP Request" not in err
        assert "something about <token>" in err and "T" * 35 not in err
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        logging.getLogger("telegram").setLevel(logging.NOTSET)
        logging.getLogger("httpx").setLevel(logging.NOTSET)
