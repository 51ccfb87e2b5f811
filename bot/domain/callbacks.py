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
from datetime import UTC, date, datetime, timedelta
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

from bot.domain.flags import DraftStep, Outcome, Urgency
from bot.domain.models import Role
from bot.domain.notices import Audience
from bot.domain.periods import PeriodChoice
from bot.domain.worklog import Kind, LogStep, Residents

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


# Joining and settings


class Language(CallbackData, prefix="lang"):
    code: str


class SetLead(CallbackData, prefix="set:lead"):
    minutes: int


class SetEvening(CallbackData, prefix="set:evening:x"):
    """Turn the evening-before reminder on or off."""


class SetQuiet(CallbackData, prefix="set:quiet"):
    span: str  # a key of the quiet-hour choices, or "off"


# Presence and shifts


class CheckinGroup(CallbackData, prefix="ci:g"):
    group_id: int


class HandoverSkip(CallbackData, prefix="hnd:s"):
    """Check out without a handover note."""


class HandoverAck(CallbackData, prefix="hnd:a"):
    handover_id: int


class HandoverEveryone(CallbackData, prefix="hnd:e"):
    """Address the coming handover note to every agency's next shift, not only my own."""

    presence_id: int


class CheckoutUndo(CallbackData, prefix="co:u"):
    """Take back a check-out made a moment ago: the same check-in is open again."""

    presence_id: int


class SwapOffer(CallbackData, prefix="swp:o"):
    shift_id: int


class CalendarCancel(CallbackData, prefix="cal:x"):
    """Send the cancellation of this (cancelled) shift as a calendar file."""

    shift_id: int


class SwapTake(CallbackData, prefix="swp:t"):
    offer_id: int


class CoverageGroup(CallbackData, prefix="cov:g"):
    group_id: int


class CoverFind(CallbackData, prefix="cov:f"):
    """Offer a planned gap to the agency's colleagues: its start in minutes since
    COVER_EPOCH and its length in minutes (so the largest values still fit in 64 bytes)."""

    group_id: int
    agency: str
    start: Annotated[int, Between(0, 9_999_999)]
    minutes: Annotated[int, Between(1, 7 * 24 * 60)]

    def span(self) -> tuple[datetime, datetime]:
        """The gap as UTC instants."""
        start = COVER_EPOCH + timedelta(minutes=self.start)
        return start, start + timedelta(minutes=self.minutes)

    @classmethod
    def of(cls, group_id: int, agency: str, start: datetime, end: datetime) -> CoverFind:
        """The button for a gap (at most a week long, as /coverage looks a week ahead)."""
        first = int((start - COVER_EPOCH).total_seconds() // 60)
        length = int((end - start).total_seconds() // 60)
        return cls(group_id, agency, first, max(1, min(length, 7 * 24 * 60)))


class ShiftAbsent(CallbackData, prefix="cov:a"):
    """A coordinator marks a planned member absent: the rest of the shift is cancelled."""

    shift_id: int


class CoverTake(CallbackData, prefix="cov:t"):
    """A colleague takes the cover offered."""

    offer_id: int


# Running groups: invites, members, planning


class InviteGroup(CallbackData, prefix="inv:g"):
    group_id: int


class InviteAgency(CallbackData, prefix="inv:a"):
    group_id: int
    agency: str | None


class InviteRole(CallbackData, prefix="inv:r"):
    group_id: int
    agency: str | None
    role: Role


class InviteSize(CallbackData, prefix="inv:s"):
    """How many places and how long: an index into the sizes /invite offers."""

    group_id: int
    agency: str | None
    role: Role
    size: Annotated[int, Between(0, 9)]


class MembersPage(CallbackData, prefix="mem:l"):
    group_id: int
    page: int


class MemberDeactivate(CallbackData, prefix="mem:d"):
    member_id: int


class MemberDeactivateYes(CallbackData, prefix="mem:y"):
    member_id: int


class MemberDeactivateNo(CallbackData, prefix="mem:n"):
    member_id: int


class PlanPress(CallbackData):
    """Every /plan button names the group, which the coordinator must still run."""

    group_id: int


class PlanGroup(PlanPress, prefix="pln:g"):
    """Plan this group: choose the member."""


class PlanMember(PlanPress, prefix="pln:m"):
    member_id: int


class PlanDays(PlanPress, prefix="pln:d"):
    member_id: int


class PlanDay(PlanPress, prefix="pln:s"):
    member_id: int
    day: date


class PlanStart(PlanPress, prefix="pln:l"):
    member_id: int
    day: date
    hour: Hour
    fold: Fold
    quarter: Quarter = 0


class PlanAdd(PlanPress, prefix="pln:a"):
    member_id: int
    day: date
    hour: Hour
    hours: Hours
    fold: Fold
    quarter: Quarter = 0


class PlanCopyWeek(PlanPress, prefix="pln:w"):
    """Plan next week like this one (the group's shifts, a week later by the clock)."""


class PlanCancel(PlanPress, prefix="pln:c"):
    shift_id: int


class PlanTemplate(PlanPress, prefix="pln:t"):
    """Send the group's roster template (CSV) to fill in."""


# Residents' boards: a coordinator's preview (brd)


class BoardHide(CallbackData, prefix="brd:h"):
    group_id: int


class BoardShow(CallbackData, prefix="brd:s"):
    group_id: int


class BoardRetry(CallbackData, prefix="brd:r"):
    group_id: int


# Notices: composing (ntd) and the sent notice (ntc)


class NoticeAudience(CallbackData, prefix="ntd:a"):
    audience: Audience


class NoticeGroup(CallbackData, prefix="ntd:g"):
    group_id: int


class NoticeAgency(CallbackData, prefix="ntd:t"):
    agency: str


class NoticeAgenciesDone(CallbackData, prefix="ntd:d"):
    """The agencies are chosen: show the preview."""


class NoticeToggleConfirm(CallbackData, prefix="ntd:k"):
    """Ask (or stop asking) recipients to confirm they have read it."""


class NoticeSend(CallbackData, prefix="ntd:s"):
    """Send the previewed notice."""


class NoticeCancel(CallbackData, prefix="ntd:x"):
    """Drop the notice being composed."""


class NoticeConfirm(CallbackData, prefix="ntc:c"):
    notice_id: int


class NoticeRemind(CallbackData, prefix="ntc:r"):
    """Remind the unconfirmed: round `round` of reminders (a repeated press is refused)."""

    notice_id: int
    round: int


class NoticeWithdraw(CallbackData, prefix="ntc:w"):
    notice_id: int


class NoticeWho(CallbackData, prefix="ntc:n"):
    """List who has not confirmed the notice, by agency."""

    notice_id: int


class NoticeBack(CallbackData, prefix="ntd:b"):
    """From the preview back to choosing the audience."""


# Flags: the wizard (fd) and a flag's cards (fl)


class FlagAction(StrEnum):
    ACKNOWLEDGE = "a"
    RESOLVE = "r"
    DECLINE = "d"
    COMMENT = "c"
    WITHDRAW = "w"
    MUTE = "m"
    UNMUTE = "u"
    ACT_FOR = "k"  # a coordinator's menu: acknowledge for, pass on, add an agency
    CATEGORISE = "g"  # the raiser's list of categories


class FlagOpen(CallbackData, prefix="fl:v"):
    flag_id: int


class FlagPress(CallbackData, prefix="fl"):
    """A button on a copy of a flag's card."""

    action: FlagAction
    flag_id: int


class FlagRedirect(CallbackData, prefix="fl:rd"):
    flag_id: int
    agency: str | None


class FlagCategory(CallbackData, prefix="fl:cat"):
    """The raiser sets the category."""

    flag_id: int
    category: str


class FlagOutcome(CallbackData, prefix="fl:o"):
    """Resolve my agency's part with this outcome."""

    flag_id: int
    outcome: Outcome


class CoordAct(StrEnum):
    """What a coordinator does for an agency on a flag."""

    ACKNOWLEDGE = "a"  # acknowledge on the agency's behalf
    HAND_ON = "p"  # pass the agency's part on: choose to whom (held while choosing)
    HAND_TO = "t"  # ... to this agency
    ADD = "n"  # add an agency as a target (None: choose which)
    WRITE = "w"  # write to whoever of the agency is on duty


class FlagFor(CallbackData, prefix="fl:k"):
    """A coordinator's press on a flag: an act for (or towards) an agency."""

    flag_id: int
    act: CoordAct
    agency: str | None


class DraftPress(CallbackData):
    """Every wizard button names its draft and the step it was shown on; others are stale."""

    draft: int
    step: DraftStep


class DraftTarget(DraftPress, prefix="fd:t"):
    agency: str


class DraftNext(DraftPress, prefix="fd:n"):
    """Go on from the targets step."""


class DraftCategory(DraftPress, prefix="fd:c"):
    category: str


class DraftUrgency(DraftPress, prefix="fd:u"):
    urgency: Urgency


class DraftGroup(DraftPress, prefix="fd:g"):
    group_id: int


class DraftSkip(DraftPress, prefix="fd:s"):
    """No location."""


class DraftBack(DraftPress, prefix="fd:b"):
    """One step back."""


class DraftCancel(DraftPress, prefix="fd:x"):
    """Drop the draft."""


class DraftRaise(DraftPress, prefix="fd:ok"):
    """Raise the flag as summarised."""


class DraftUrgent(DraftPress, prefix="fd:q"):
    """Take the urgent path (agency, text, send)."""


DRAFT_PRESSES: tuple[type[DraftPress], ...] = (
    DraftTarget,
    DraftNext,
    DraftCategory,
    DraftUrgency,
    DraftGroup,
    DraftSkip,
    DraftBack,
    DraftCancel,
    DraftRaise,
    DraftUrgent,
)


# The work log: /log (lg), a resolved flag's "log what was done" (lg:f), /mylog entries (en)


class LogPress(CallbackData):
    """Every /log button names its draft and the step it was shown on; others are stale."""

    draft: int
    step: LogStep


class LogSame(LogPress, prefix="lg:same"):
    """The same as last time, straight to the summary."""


class LogGroup(LogPress, prefix="lg:g"):
    group_id: int


class LogKind(LogPress, prefix="lg:k"):
    kind: Kind


class LogType(LogPress, prefix="lg:t"):
    type_key: str


class LogPartner(LogPress, prefix="lg:p"):
    agency: str


class LogResidents(LogPress, prefix="lg:r"):
    residents: Residents


class LogDuration(LogPress, prefix="lg:d"):
    minutes: Annotated[int, Between(1, 1440)]


class LogNext(LogPress, prefix="lg:n"):
    """Go on from the partners step, or skip the note or the place."""


class LogBack(LogPress, prefix="lg:b"):
    """One step back."""


class LogCancel(LogPress, prefix="lg:x"):
    """Drop the draft."""


class LogSave(LogPress, prefix="lg:ok"):
    """Save the entry as summarised."""


LOG_PRESSES: tuple[type[LogPress], ...] = (
    LogSame,
    LogGroup,
    LogKind,
    LogType,
    LogPartner,
    LogResidents,
    LogDuration,
    LogNext,
    LogBack,
    LogCancel,
    LogSave,
)


class LogFlag(CallbackData, prefix="lg:f"):
    """Log what was done for a flag just resolved."""

    flag_id: int


class EntryField(StrEnum):
    RESIDENTS = "r"
    MINUTES = "m"
    NOTE = "n"
    DELETE = "d"


class EntryOpen(CallbackData, prefix="en:v"):
    activity_id: int


class EntryGroupList(CallbackData, prefix="en:grp"):
    """The entries of the groups I run, this week."""


class EntryAsk(CallbackData, prefix="en:a"):
    """Change one part of an entry (or delete it): show the choices."""

    activity_id: int
    field: EntryField


class EntryResidents(CallbackData, prefix="en:r"):
    activity_id: int
    residents: Residents


class EntryMinutes(CallbackData, prefix="en:m"):
    activity_id: int
    minutes: Annotated[int, Between(1, 1440)]


class EntryDelete(CallbackData, prefix="en:del"):
    """Yes, delete it."""

    activity_id: int


# /report


class ReportGroup(CallbackData, prefix="rp:g"):
    group_id: int | None  # None: all the groups I may report on


class ReportPeriod(CallbackData, prefix="rp:p"):
    group_id: int | None
    period: PeriodChoice


class MyData(CallbackData, prefix="me:data"):
    """/me: send me everything stored about me."""
