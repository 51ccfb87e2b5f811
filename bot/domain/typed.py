"""Typed text read as the name of a button: case, accents, emoji and spacing aside."""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Sequence

from bot.domain.callbacks import CallbackData

# A button's fields that say where it was shown, not what it names.
_PLACE_FIELDS = {"draft", "step"}


def fold(text: str) -> str:
    """Text as typed answers are compared: "Brådskande!" and "bradskande" are the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = (" " if not c.isalnum() else c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(kept).split())


def _names(label: str, data: CallbackData) -> set[str]:
    """What a button answers to: its label, the label before " · " (the flag picker's
    "Tullverket · 1 on duty"), and the codes it carries ("TULL", "undeclared_work")."""
    names = {fold(label), fold(label.split("·")[0])}
    for field in dataclasses.fields(data):  # type: ignore[arg-type]
        value = getattr(data, field.name)
        if field.name not in _PLACE_FIELDS and isinstance(value, str):
            names.add(fold(value))
    return names - {""}


def pick(text: str, choices: Sequence[tuple[str, CallbackData]]) -> CallbackData | None:
    """The one button the text names; None when it names none, or more than one."""
    wanted = fold(text)
    found = {data for label, data in choices if wanted in _names(label, data)}
    return found.pop() if len(found) == 1 else None
