"""Plain texts for drawn reports, and the numbers as people read them in each language."""

from __future__ import annotations

from bot.catalogue import CATALOGUE
from bot.domain.worklog import WorkType
from bot.i18n import number


def plain(lang: str, key: str, **values: object) -> str:
    """A catalogue text filled in without HTML escaping: it is drawn, never parsed."""
    entry = CATALOGUE[key]
    return (entry.get(lang) or entry["sv"]).format(**values)


def percent(lang: str, share: float | None) -> str:
    """A 0–1 share as a whole percentage ("–" when there is nothing to divide)."""
    if share is None:
        return "–"
    return f"{round(share * 100)} %" if lang == "sv" else f"{round(share * 100)}%"


def minutes(lang: str, value: float | None) -> str:
    """A duration in minutes as people read it: "12 min", "3,5 h"."""
    if value is None:
        return "–"
    if value < 90:
        return f"{number(lang, value)} min"
    return f"{number(lang, value / 60, 1)} h"


def type_label(lang: str, key: str, types: tuple[WorkType, ...] = ()) -> str:
    """An activity type's name: configured labels first, then the catalogue, then the key."""
    configured = next((w for w in types if w.key == key), None)
    if configured is not None and configured.sv and configured.en:
        return configured.sv if lang == "sv" else configured.en
    catalogued = f"log.type.{key}"
    return plain(lang, catalogued) if catalogued in CATALOGUE else key
