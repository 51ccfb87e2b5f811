"""Logging that never shows the bot token."""

from __future__ import annotations

import logging

from bot.config import Settings


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


def setup_logging(settings: Settings) -> None:
    """Configure the root logger at the configured level, with the token redacted."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if settings.bot_token is not None:
        handler.addFilter(RedactToken(settings.bot_token.get_secret_value()))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # PTB logs every request's parameters at DEBUG (flag descriptions, notices, handover
    # notes): never below INFO, whatever LOG_LEVEL says.
    logging.getLogger("telegram").setLevel(max(logging.INFO, root.level))
