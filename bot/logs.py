"""Logging that never shows the bot token or what members typed."""

from __future__ import annotations

import logging

from bot.config import Settings

# Libraries that print values at DEBUG (aiosqlite: every statement with its parameters;
# httpcore: requests) or a line per request or job run at INFO (httpx: URLs, which hold the
# token; apscheduler: "Running job" twice per run, ~86,000 lines a day for the 2-second notice
# refresh alone): held at WARNING whatever LOG_LEVEL says.
QUIET_LIBRARIES = ("aiosqlite", "httpx", "httpcore", "apscheduler")


class RedactToken(logging.Filter):
    """Replace the token wherever it would appear in a log line (URLs of HTTP libraries)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message without the token."""
        message = record.getMessage()
        if self._secret in message:
            record.msg = message.replace(self._secret, "<token>")
            record.args = None
        return True


class RedactingFormatter(logging.Formatter):
    """Format as usual, then take the token out of the whole text, tracebacks included."""

    def __init__(self, fmt: str, secret: str | None) -> None:
        super().__init__(fmt)
        self._secret = secret

    def format(self, record: logging.LogRecord) -> str:
        """The formatted record (message, traceback, stack) without the token."""
        text = super().format(record)
        return text.replace(self._secret, "<token>") if self._secret else text


def setup_logging(settings: Settings) -> None:
    """Configure the root logger at the configured level, with the token redacted."""
    secret = settings.bot_token.get_secret_value() if settings.bot_token is not None else None
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secret)
    )
    if secret is not None:
        handler.addFilter(RedactToken(secret))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    # PTB logs every request's parameters at DEBUG (flag descriptions, notices, handover
    # notes): never below INFO, whatever LOG_LEVEL says.
    logging.getLogger("telegram").setLevel(max(logging.INFO, root.level))
