"""The callback codec: every kind fits in 64 bytes, reads back what it packed, and reads
nothing it could not have packed."""

from __future__ import annotations

import dataclasses
import types
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, get_args, get_origin, get_type_hints

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import callbacks as cb
from bot.domain.flags import DraftStep, Urgency

KINDS = cb.kinds()
TOKEN = r"[A-Za-z0-9_][A-Za-z0-9_-]{0,23}"


def _hints(kind: type[cb.CallbackData]) -> dict[str, Any]:
    hints = get_type_hints(kind, include_extras=True)
    return {f.name: hints[f.name] for f in dataclasses.fields(kind)}  # type: ignore[arg-type]


def _largest(hint: Any) -> Any:
    """The value of this type that packs longest."""
    if get_origin(hint) is Annotated:
        bounds = next(a for a in get_args(hint) if isinstance(a, cb.Between))
        return bounds.high
    if isinstance(hint, types.UnionType):
        return _largest(next(a for a in get_args(hint) if a is not type(None)))
    if hint is int:
        return cb.MAX_ID
    if hint is str:
        return "A" * 24
    if hint is date:
        return date(9999, 12, 31)
    assert issubclass(hint, StrEnum)
    return max(hint, key=lambda member: len(member.value))


def _strategy(hint: Any) -> st.SearchStrategy[Any]:
    if get_origin(hint) is Annotated:
        bounds = next(a for a in get_args(hint) if isinstance(a, cb.Between))
        return st.integers(bounds.low, bounds.high)
    if isinstance(hint, types.UnionType):
        inner = next(a for a in get_args(hint) if a is not type(None))
        return st.none() | _strategy(inner)
    if hint is int:
        return st.integers(0, cb.MAX_ID)
    if hint is str:
        return st.from_regex(TOKEN, fullmatch=True)
    if hint is date:
        return st.dates()
    return st.sampled_from(list(hint))


def test_there_is_a_kind_for_every_button_the_bot_makes() -> None:
    prefixes = {kind.prefix for kind in KINDS}
    made = ("lang", "set:lead", "ci:g", "hnd:a", "swp:t", "cov:g", "inv:r", "mem:l", "pln:a",
            "ntd:a", "ntc:c", "fl", "fl:v", "fl:rd", "fd:t", "fd:ok")  # fmt: skip
    assert set(made) <= prefixes


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
def test_every_kind_fits_in_64_bytes_with_its_largest_values(kind: type[cb.CallbackData]) -> None:
    largest = kind(**{name: _largest(hint) for name, hint in _hints(kind).items()})
    data = largest.pack()
    assert len(data.encode()) <= cb.MAX_BYTES, data
    assert kind.unpack(data) == largest


@st.composite
def _any_button(draw: st.DrawFn) -> cb.CallbackData:
    kind = draw(st.sampled_from(KINDS))
    return kind(**{name: draw(_strategy(hint)) for name, hint in _hints(kind).items()})


@given(_any_button())
def test_every_button_reads_back_as_itself_and_as_no_other_kind(button: cb.CallbackData) -> None:
    data = button.pack()
    assert type(button).unpack(data) == button
    readers = [kind for kind in KINDS if kind.unpack(data) is not None]
    assert readers == [type(button)]
    assert cb.unpack_any(data, *KINDS) == button


MALFORMED = [
    None, "", ":", "x" * 64, "fl", "fl:", "fl:a", "fl:a:", "fl:a:1:", ":fl:a:1", "FL:a:1",
    "fl:a:²", "fl:a:٣", "fl:a:１", "fl:a:-1", "fl:a:+1", "fl:a:01", "fl:a: 1", "fl:a:1 ",
    "fl:a:1\n", "fl:a:1.0", "fl:a:1e3", "fl:a:9223372036854775808", "fl:a:" + "9" * 60,
    "fl:zz:1", "fl:A:1", "fl:rd", "fl:rd:1", "fl:rd:1:POL:x", "fl:rd:1:PO L", "fl:rd:1:",
    "fl:rd:1:" + "A" * 25, "fl:rd:1:<b>", "fl:rd:1:--", "flv:v:1", "fl:v:1:2",
    "fd:n", "fd:n:1", "fd:n:1:nowhere", "fd:n:1:targets:x", "fd:u:1:urgency:URGENT",
    "fd:c:1:category:", "fd:c:1:category:a:b", "fd:ok:1", "fd:t:1:targets:Ä",
    "pln:a:1:1:20260230:8:8:0", "pln:a:1:1:2026031:8:8:0", "pln:a:1:1:202603011:8:8:0",
    "pln:a:1:1:20260301:24:8:0", "pln:a:1:1:20260301:8:0:0", "pln:a:1:1:20260301:8:25:0",
    "pln:a:1:1:20260301:8:8:2", "pln:a:1:1:20260301:8:8:-", "pln:a:1:1:20260301:8:8",
    "pln:l:1:1:20260301:²:0", "pln:l:1:1:20260301:2:01", "pln:s:1:1:２0260301",
    "pln:g", "pln:g:1:1",
    "inv:r:1:POL:superuser", "inv:r:1:POL:Expert", "inv:a:1", "mem:l:1", "mem:y:",
    "lang:", "lang", "set:evening", "set:evening:y", "set:evening:x:1", "set:lead:²",
    "ntd:a:everyone", "ntd:g:x", "ntd:k:1", "ntc:c:abc", "hnd:a", "hnd:s:1", "ci:g:1:2",
    "fl:a:1" + "\x00", "fl:a:1" + " " * 60,
]  # fmt: skip


@pytest.mark.parametrize("data", MALFORMED)
def test_malformed_data_is_read_as_nothing(data: str | None) -> None:
    assert [kind.__name__ for kind in KINDS if kind.unpack(data) is not None] == []
    assert cb.unpack_any(data, *KINDS) is None


@given(st.text(max_size=80) | st.from_regex(r"(fl|fd|pln|ntd|inv|mem|set):[a-z0-9:²٣-]{0,40}"))
def test_whatever_a_client_sends_is_read_only_as_what_pack_makes(data: str) -> None:
    pressed = cb.unpack_any(data, *KINDS)  # never raises
    if pressed is not None:
        assert pressed.pack() == data


@pytest.mark.parametrize(
    "button",
    [
        cb.FlagPress(cb.FlagAction.ACKNOWLEDGE, -1),
        cb.FlagPress(cb.FlagAction.ACKNOWLEDGE, cb.MAX_ID + 1),
        cb.FlagRedirect(1, "PO:L"),
        cb.FlagRedirect(1, "A" * 25),
        cb.FlagRedirect(1, ""),
        cb.DraftCategory(1, DraftStep.CATEGORY, "Bostad & boende"),
        cb.PlanAdd(1, 1, date(2026, 3, 1), 24, 8, 0),
        cb.PlanStart(1, 1, date(2026, 10, 25), 2, 2),
        cb.SetLead(True),
    ],
)
def test_pack_refuses_what_could_not_be_read_back(button: cb.CallbackData) -> None:
    with pytest.raises(ValueError):
        button.pack()


def test_a_wizard_button_carries_its_draft_and_step() -> None:
    button = cb.DraftUrgency(draft=7, step=DraftStep.URGENCY, urgency=Urgency.URGENT)
    assert button.pack() == "fd:u:7:urgency:urgent"
    assert cb.unpack_any("fd:u:7:urgency:urgent", *cb.DRAFT_PRESSES) == button
    assert cb.FlagPress.unpack("fl:a:12") == cb.FlagPress(cb.FlagAction.ACKNOWLEDGE, 12)


def test_a_configured_flag_category_must_fit_in_a_button() -> None:
    from pydantic import ValidationError

    from bot.config import Settings

    token = "123:" + "a" * 30
    ok = Settings(_env_file=None, bot_token=token, flag_categories=" gang_crime , other")  # type: ignore[call-arg]
    assert ok.flag_policy().categories == ("gang_crime", "other")
    for bad in ("Bostad & boende", "a:b", "x" * 25):
        with pytest.raises(ValidationError, match="FLAG_CATEGORIES"):
            Settings(_env_file=None, bot_token=token, flag_categories=bad)  # type: ignore[call-arg]
