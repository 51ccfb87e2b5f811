"""Every user-facing string, in Swedish and English, with HTML-safe formatting."""

from __future__ import annotations

import html
from typing import Any

from bot.catalogue import CATALOGUE

DEFAULT = "sv"


class Markup(str):
    """Text that is already valid Telegram HTML and must not be escaped again."""

    __slots__ = ()


def language_for(telegram_language_code: str | None, default: str = DEFAULT) -> str:
    """The language for someone we know only from their Telegram client."""
    if telegram_language_code and telegram_language_code.lower().startswith("en"):
        return "en"
    if telegram_language_code and telegram_language_code.lower().startswith("sv"):
        return "sv"
    return default


def t(lang: str, key: str, **values: Any) -> Markup:
    """The catalogue text for `key` in `lang`, with values HTML-escaped unless Markup."""
    entry = CATALOGUE[key]
    template = entry.get(lang) or entry[DEFAULT]
    safe = {
        name: value if isinstance(value, Markup) else html.escape(str(value), quote=False)
        for name, value in values.items()
    }
    return Markup(template.format(**safe))


def escape(text: str) -> Markup:
    """User-provided text made safe to show with HTML parse mode."""
    return Markup(html.escape(text, quote=False))
