"""Failing at start in one line: what is wrong, never a traceback, never the token."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError

from bot.config import Settings
from storage.db import Database
from storage.errors import StorageBusy, StorageError

TELEGRAM_API = "https://api.telegram.org/bot"


class StartFailed(Exception):
    """The command could not start; the message is the one line the admin reads."""


async def open_database(settings: Settings) -> tuple[Database, list[str]]:
    """Open and migrate the database (and the migrations applied now), or StartFailed."""
    try:
        settings.ensure_database_dir()
        db = await Database.open(settings.database_path, settings.database_busy_timeout_ms)
    except (OSError, sqlite3.Error, StorageError) as exc:
        raise StartFailed(explain(exc, settings)) from None
    try:
        applied = await db.migrate()
    except (OSError, sqlite3.Error, StorageError) as exc:
        await db.close()
        raise StartFailed(explain(exc, settings)) from None
    return db, applied


def explain(exc: BaseException, settings: Settings) -> str:
    """One line for an admin; the token never appears, whatever a library put in it."""
    if isinstance(exc, InvalidToken):
        line = (
            "Telegram refused BOT_TOKEN (401 Unauthorized): copy the token from @BotFather again"
        )
    elif isinstance(exc, Conflict):
        line = (
            "another process is already taking this bot's updates: stop it first"
            " (or delete its webhook)"
        )
    elif isinstance(exc, NetworkError):
        host = urlsplit(settings.telegram_api_url or TELEGRAM_API).netloc
        line = f"cannot reach the Telegram Bot API at {host} ({_reason(exc)}): check the network"
        if settings.telegram_api_url:
            line += " and TELEGRAM_API_URL"
    elif isinstance(exc, TelegramError):
        line = f"Telegram answered: {exc.message}"
    elif isinstance(exc, StorageBusy):
        line = str(exc)  # it opened; another writer holds it for now
    elif isinstance(exc, StorageError | sqlite3.Error):
        line = f"cannot open the database at {settings.database_shown}: {exc}"
    elif isinstance(exc, OSError) and exc.filename is not None:
        line = f"cannot open the database at {settings.database_shown}: {exc.strerror}"
    elif isinstance(exc, OSError):
        line = f"cannot start: {exc.strerror or exc}"
    else:
        line = f"cannot start: {type(exc).__name__}"
    secret = settings.bot_token.get_secret_value() if settings.bot_token else None
    return line.replace(secret, "<token>") if secret else line


def _reason(exc: NetworkError) -> str:
    # PTB wraps httpx's error as "httpx.ConnectError: ..."; the cause says it more plainly.
    cause = exc.__cause__
    return f"{type(cause).__name__}: {cause}" if cause is not None else exc.message
