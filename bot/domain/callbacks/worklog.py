"""Buttons of the work log, /mylog entries, /report and /me."""

from __future__ import annotations

from enum import StrEnum
from typing import (
    Annotated,
)

from bot.domain.callbacks.codec import (
    Between,
    CallbackData,
)
from bot.domain.periods import PeriodChoice
from bot.domain.worklog import Kind, LogStep, Residents

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
    """Save the entry as summarised, if the draft is still what the summary showed
    (`revision`); a Save from before revisions reads as stale."""

    revision: str


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
