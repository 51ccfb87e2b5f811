"""Every user-facing string, in Swedish and English, with HTML-safe formatting."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import format_decimal

from bot.catalogue import CATALOGUE
from bot.domain.errors import DomainError
from bot.domain.localtime import instants
from bot.domain.models import Agency

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
    """The catalogue text for `key` in `lang`, with values HTML-escaped unless Markup; an
    `Agency` value reads as its name in `lang` (names, not codes)."""
    entry = CATALOGUE[key]
    template = entry.get(lang) or entry[DEFAULT]
    safe = {
        name: value if isinstance(value, Markup) else html.escape(_text(lang, value), quote=False)
        for name, value in values.items()
    }
    return Markup(template.format(**safe))


@runtime_checkable
class Localised(Protocol):
    """A value that reads differently in each language (a distance, say)."""

    def render(self, lang: str) -> str: ...


def _text(lang: str, value: Any) -> str:
    if isinstance(value, str | int):
        return str(value)  # most values: before the Protocol check, which is slow (~4 µs)
    if isinstance(value, Agency):
        return value.named(lang)
    return value.render(lang) if isinstance(value, Localised) else str(value)


def explain(lang: str, error: DomainError) -> Markup:
    """What a domain error says to the member, with its values filled in."""
    return t(lang, error.key, **error.values)


def escape(text: str) -> Markup:
    """User-provided text made safe to show with HTML parse mode."""
    return Markup(html.escape(text, quote=False))


_WEEKDAYS = {
    "sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def day_text(lang: str, day: date) -> str:
    """A calendar day as people read it: "Tue 30/11"."""
    return f"{_WEEKDAYS.get(lang, _WEEKDAYS[DEFAULT])[day.weekday()]} {day.day}/{day.month}"


def when(lang: str, moment: datetime, zone: str) -> str:
    """A moment as people read it in a group's time zone: "Tue 30/11 07:00"."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{day_text(lang, local.date())} {_clock(local, zone)}"


def when_short(lang: str, moment: datetime, zone: str) -> str:
    """A moment for a button: "Tue 07:00"."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{_WEEKDAYS.get(lang, _WEEKDAYS[DEFAULT])[local.weekday()]} {local:%H:%M}"


def span(lang: str, start: datetime, end: datetime, zone: str) -> str:
    """An interval: "Tue 30/11 07:00–15:00", or across days "Tue 30/11 23:00–Wed 1/12 07:00"."""
    first = when(lang, start, zone)
    local_start, local_end = start.astimezone(ZoneInfo(zone)), end.astimezone(ZoneInfo(zone))
    if local_start.date() == local_end.date():
        return f"{first}–{_clock(local_end, zone)}"
    return f"{first}–{when(lang, end, zone)}"


def clock_time(moment: datetime, zone: str) -> str:
    """Just the time of day in a zone: "07:58"."""
    return _clock(moment.astimezone(ZoneInfo(zone)), zone)


def _clock(local: datetime, zone: str) -> str:
    # In the hour the clocks show twice (02:00-03:00 on the autumn night) "02:30" names two
    # moments; the zone's abbreviation ("02:30 CET") says which.
    if len(instants(local, zone)) > 1:
        return f"{local:%H:%M} {local.tzname()}"
    return f"{local:%H:%M}"


# Numbers as each language writes them, by Babel's CLDR data: "1 000" (a no-break space) and
# "10,3" in Swedish, "1,000" and "10.3" in English; plural forms by the language's own rule.
_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
KILOMETRE = 1000


def _locale(lang: str) -> str:
    return _LOCALES.get(lang, _LOCALES[DEFAULT])


def number(lang: str, value: float, decimals: int = 0) -> str:
    """A number with the language's grouping and decimal sign: "1 334", "10,3"."""
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(round(value, decimals), format=pattern, locale=_locale(lang))


def distance(lang: str, metres: float) -> str:
    """A distance as people say it: "850 m" below a kilometre, then "10,3 km"."""
    if round(metres) < KILOMETRE:
        return f"{number(lang, round(metres))} m"
    return f"{number(lang, metres / KILOMETRE, 1)} km"


def hours(lang: str, value: float) -> str:
    """A number of hours to the tenth, a whole one without decimals: "9,5", "11"."""
    return format_decimal(round(value, 1), format="#,##0.#", locale=_locale(lang))


def plural(lang: str, key: str, count: int, **values: Any) -> Markup:
    """The catalogue text `key.one` or `key.other` (by the language's plural rule for
    `count`), with {count} written as a number of that language."""
    form = Locale.parse(_locale(lang)).plural_form(count)
    chosen = f"{key}.{form}" if f"{key}.{form}" in CATALOGUE else f"{key}.other"
    return t(lang, chosen, count=number(lang, count), **values)


def ago(lang: str, then: datetime, now: datetime) -> Markup:
    """How long ago: "nyss" / "just now" under a minute, then minutes, hours, days."""
    minutes = max(0, int((now - then).total_seconds() // 60))
    if minutes < 1:
        return t(lang, "time.just_now")
    if minutes < 60:
        return plural(lang, "time.minutes_ago", minutes)
    if minutes < 48 * 60:
        return plural(lang, "time.hours_ago", minutes // 60)
    return plural(lang, "time.days_ago", minutes // 1440)


@dataclass(frozen=True)
class Distance:
    """A distance for a text queued before the reader's language is chosen."""

    metres: float

    def render(self, lang: str) -> str:
        return distance(lang, self.metres)


@dataclass(frozen=True)
class Hours:
    """A number of hours for a text rendered later in the reader's language."""

    value: float

    def render(self, lang: str) -> str:
        return hours(lang, self.value)
