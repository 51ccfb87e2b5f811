"""Callback data: one small frozen dataclass per kind of button, packed and parsed only here.

Telegram gives a button at most 64 bytes of data and hands back whatever a client put there,
so the data is a hint of what was pressed, never a permission. `pack` makes `prefix:field:…`
and refuses (ValueError) anything over the limit or that would not read back the same;
`unpack` returns None for every string `pack` could not have made. Handlers still check that
the member may do this to this object now. Modelled on aiogram's CallbackData; the formats of
buttons already sent before this codec existed are kept, so old messages keep working.
"""

from __future__ import annotations

import dataclasses
import re
import types
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import (
    Annotated,
    Any,
    ClassVar,
    Self,
    TypeVar,
    dataclass_transform,
    get_args,
    get_origin,
    get_type_hints,
)

COVER_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)  # CoverFind counts minutes from here
MAX_BYTES = 64  # Telegram's limit for callback_data
MAX_ID = 2**63 - 1  # the largest integer SQLite stores, so the largest id there can be
SEP = ":"
NONE = "-"  # an optional field left empty
# ASCII digits only, no sign, no leading zero: "²".isdigit() is true but int("²") fails.
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,18}")
# Agency codes, category keys, enum values: short enough that every kind fits in 64 bytes
# with the largest ids (tests/unit/test_callbacks.py packs each one so).
_TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,23}")
_DAY = re.compile(r"[0-9]{8}")
_PREFIX = re.compile(r"[a-z]+(?::[a-z]+)*")

K = TypeVar("K", bound="CallbackData")


@dataclasses.dataclass(frozen=True)
class Between:
    """A small number's range, checked when it is read back."""

    low: int
    high: int


Hour = Annotated[int, Between(0, 23)]
Hours = Annotated[int, Between(1, 24)]
# Which of two instants a wall-clock time names on the night the clocks go back: 0 the first.
Fold = Annotated[int, Between(0, 1)]
Quarter = Annotated[int, Between(0, 3)]  # minutes past the hour, in quarters


def is_token(text: str) -> bool:
    """True when callback data can carry this text (an agency code, a category key)."""
    return _TOKEN.fullmatch(text) is not None


@dataclass_transform(frozen_default=True)
class CallbackData:
    """A kind of button: every subclass is a frozen dataclass, named with `prefix=`."""

    prefix: ClassVar[str]
    _readers: ClassVar[tuple[tuple[str, Callable[[str], Any]], ...]] = ()
    _kinds: ClassVar[dict[str, type[CallbackData]]] = {}

    def __init_subclass__(cls, prefix: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(frozen=True)(cls)
        hints = get_type_hints(cls, include_extras=True)
        cls._readers = tuple(
            (f.name, _reader(hints[f.name]))
            for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        )
        if prefix is None:
            return  # a base that shares fields; not a kind of its own
        if not _PREFIX.fullmatch(prefix) or prefix in CallbackData._kinds:
            raise TypeError(f"callback prefix {prefix!r} is malformed or taken")
        CallbackData._kinds[prefix] = cls
        cls.prefix = prefix

    def pack(self) -> str:
        """The callback data; ValueError if it would not fit or not read back the same."""
        values = (getattr(self, f.name) for f in dataclasses.fields(self))  # type: ignore[arg-type]
        data = SEP.join([self.prefix, *(_encode(v) for v in values)])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data of {type(self).__name__} is over {MAX_BYTES} bytes")
        if type(self).unpack(data) != self:
            raise ValueError(f"{type(self).__name__} holds a value callback data cannot carry")
        return data

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        """The button this data stands for, or None if `pack` could not have made it."""
        if data is None or len(data.encode()) > MAX_BYTES:
            return None
        parts = data.split(SEP)
        head = cls.prefix.split(SEP)
        readers = cls._readers
        if parts[: len(head)] != head or len(parts) != len(head) + len(readers):
            return None
        try:
            values = {name: read(text) for (name, read), text in zip(
                readers, parts[len(head):], strict=True)}  # fmt: skip
        except ValueError:
            return None
        return cls(**values)


def kinds() -> list[type[CallbackData]]:
    """Every kind of button there is."""
    return list(CallbackData._kinds.values())


def unpack_any(data: str | None, *kinds: type[K]) -> K | None:
    """The first of these kinds the data stands for, or None."""
    for kind in kinds:
        pressed = kind.unpack(data)
        if pressed is not None:
            return pressed
    return None


def _encode(value: object) -> str:
    if value is None:
        return NONE
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, bool):
        raise ValueError("callback data has no booleans")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return f"{value.year:04d}{value.month:02d}{value.day:02d}"
    if isinstance(value, str):
        return value
    raise ValueError(f"callback data cannot carry a {type(value).__name__}")


def _int(text: str) -> int:
    if not _DECIMAL.fullmatch(text) or int(text) > MAX_ID:
        raise ValueError("not an id")
    return int(text)


def _token(text: str) -> str:
    if not _TOKEN.fullmatch(text):
        raise ValueError("not a token")
    return text


def _day(text: str) -> date:
    if not _DAY.fullmatch(text):
        raise ValueError("not a day")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))  # ValueError for 20260230


def _reader(hint: Any) -> Callable[[str], Any]:
    args = get_args(hint)
    if get_origin(hint) is Annotated:
        read, bounds = _reader(args[0]), next(a for a in args[1:] if isinstance(a, Between))

        def bounded(text: str) -> Any:
            value = read(text)
            if not bounds.low <= value <= bounds.high:
                raise ValueError("out of range")
            return value

        return bounded
    if isinstance(hint, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _reader(next(a for a in args if a is not type(None)))
        return lambda text: None if text == NONE else inner(text)
    if hint is int:
        return _int
    if hint is str:
        return _token
    if hint is date:
        return _day
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return hint  # ValueError for anything but a member's value
    raise TypeError(f"callback data cannot carry {hint!r}")
