"""Settings: a self-hosted Bot API server's file URL is derived from its API URL, or the one
line that says how to set it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import Settings


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


def test_the_file_url_of_a_self_hosted_server_is_derived() -> None:
    local = settings(telegram_api_url="http://127.0.0.1:8081/bot")
    assert local.telegram_file_url == "http://127.0.0.1:8081/file/bot"
    slash = settings(telegram_api_url="http://bots.internal/telegram/bot/")
    assert slash.telegram_file_url == "http://bots.internal/telegram/file/bot"


def test_a_given_file_url_is_kept_and_telegram_needs_none() -> None:
    both = settings(
        telegram_api_url="http://127.0.0.1:8081/bot",
        telegram_file_url="http://files.internal/file/bot",
    )
    assert both.telegram_file_url == "http://files.internal/file/bot"
    assert settings().telegram_file_url is None  # Telegram's own servers: PTB's defaults


def test_an_api_url_that_cannot_be_read_is_explained() -> None:
    with pytest.raises(ValidationError, match="TELEGRAM_FILE_URL") as caught:
        settings(telegram_api_url="http://127.0.0.1:8081/api")
    assert "/file/bot" in str(caught.value)
