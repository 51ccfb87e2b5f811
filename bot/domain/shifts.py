"""Shifts, presences and roster lines as plain data; the roster's rules."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from bot.domain.localtime import AmbiguousLocalTime, NoSuchLocalTime, read_local, with_offset

MAX_SHIFT = timedelta(hours=24)  # what storage reads back from; the rule is MAX_WORK
# The Working Hours Act (arbetstidslagen 13 §): at least 11 hours' rest in every 24, so a
# stretch of work (shifts back to back count as one) is at most 13 hours.
MIN_REST = timedelta(hours=11)
MAX_WORK = timedelta(hours=13)
ROSTER_COLUMNS = ("member", "group", "start", "end")
# What each column may be called: English, or Swedish as a Swedish coordinator writes it.
ROSTER_HEADERS = {
    "member": ("member", "medlem", "namn", "name", "person"),
    "group": ("group", "grupp", "område"),
    "start": ("start", "börjar", "från"),
    "end": ("end", "slut", "slutar", "till"),
}
TEMPLATE_HEADER = ("Medlem", "Grupp", "Start", "Slut")
MAX_ROSTER_LINES = 20_000


class Shift(BaseModel):
    """A member's planned presence in a group (UTC)."""

    model_config = ConfigDict(frozen=True)

    id: int
    member_id: int
    group_id: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class OnShift:
    """Someone whose shift runs now, and when they last checked out of its group since it
    began (None: never, so far)."""

    member_id: int
    group_id: int
    agency: str | None
    name: str
    left_at: datetime | None = None


class Presence(BaseModel):
    """A check-in, open until checked out."""

    model_config = ConfigDict(frozen=True)

    id: int
    member_id: int
    group_id: int
    shift_id: int | None
    checked_in_at: datetime
    inside: bool
    distance_m: float
    minutes_late: int | None
    checked_out_at: datetime | None
    checkout_kind: str | None


@dataclass(frozen=True)
class RosterLine:
    """One parsed line of a roster, before members and groups are looked up."""

    line: int
    member: str
    group: str
    start: str
    end: str


@dataclass(frozen=True)
class RosterProblem:
    """What is wrong with one line (line 0: the file as a whole)."""

    line: int
    key: str
    # Text, or a value that reads differently in each language (bot.i18n's Hours).
    detail: object = ""
    names: str = ""
    # The two ways to write a time that happens twice (roster.time_twice).
    first: str = ""
    second: str = ""

    def values(self) -> dict[str, object]:
        """What the problem's catalogue text is filled with."""
        return {
            "detail": self.detail,
            "names": self.names,
            "first": self.first,
            "second": self.second,
        }


# What a workbook begins with: a zip (.xlsx, .ods) or an OLE compound file (.xls).
_BINARY_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def roster_text(raw: bytes) -> str | None:
    """The text of a roster file as uploaded, or None when it is not a text file at all."""
    if raw.startswith(_BINARY_SIGNATURES) or b"\x00" in raw:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # what Excel on Swedish Windows writes
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n")
    return None if controls > len(text) // 100 else text


def parse_roster(text: str) -> tuple[list[RosterLine], list[RosterProblem]]:
    """Read a roster CSV (comma or semicolon separated, with a header line)."""
    text = text.lstrip("\ufeff")  # spreadsheets often save a byte-order mark
    # Excel for Mac ends lines with CR alone; the csv module wants one kind of line end.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows, unreadable = _csv_rows(text, delimiter)
    if unreadable is not None:
        return [], [unreadable]
    if not rows:
        return [], [RosterProblem(0, "roster.empty")]
    header = [h.strip().lower() for h in rows[0]]
    index = {c: _column(header, c) for c in ROSTER_COLUMNS}
    missing = [c for c, i in index.items() if i is None]
    if missing:
        return [], [RosterProblem(1, "roster.columns", ", ".join(missing))]
    if len(rows) > MAX_ROSTER_LINES:
        return [], [RosterProblem(0, "roster.too_many", str(MAX_ROSTER_LINES))]
    lines: list[RosterLine] = []
    problems: list[RosterProblem] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            problems.append(RosterProblem(number, "roster.short_line"))
            continue
        values = {c: row[i].strip() for c, i in index.items() if i is not None}
        if not values["start"] and not values["end"]:
            continue  # the template lists everyone; a line left without times is no shift
        lines.append(
            RosterLine(number, values["member"], values["group"], values["start"], values["end"])
        )
    if not lines and not problems:
        problems.append(RosterProblem(0, "roster.empty"))
    return lines, problems


def _column(header: list[str], column: str) -> int | None:
    for name in ROSTER_HEADERS[column]:
        if name in header:
            return header.index(name)
    return None


def _csv_rows(text: str, delimiter: str) -> tuple[list[list[str]], RosterProblem | None]:
    # strict: a quote opened and never closed is an error, not a field that runs to the end.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    while True:
        starts_at = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return rows, None
        except csv.Error as exc:
            if "end of data" in str(exc) or "EOF" in str(exc):
                return rows, RosterProblem(starts_at, "roster.unclosed_quote")
            return rows, RosterProblem(reader.line_num, "roster.unreadable", str(exc))
        rows.append(row)


def roster_time(text: str, zone: str, line: int) -> datetime | RosterProblem:
    """A roster's ISO 8601 date-time as an instant (UTC), read in the group's zone when it has
    no offset; or what is wrong with it, naming both instants of a time that happens twice."""
    try:
        moment = read_local(text, zone)
    except NoSuchLocalTime:
        return RosterProblem(line, "roster.time_skipped", text)
    except AmbiguousLocalTime as twice:
        first, second = (with_offset(choice, zone) for choice in twice.choices)
        return RosterProblem(line, "roster.time_twice", text, first=first, second=second)
    return RosterProblem(line, "roster.bad_time") if moment is None else moment


def shift_problem(start: datetime, end: datetime) -> str | None:
    """What is wrong with a shift's times (instants, so lengths are real hours), if any."""
    if end <= start:
        return "roster.end_before_start"
    if end - start > MAX_WORK:
        return "roster.too_long"
    return None


@dataclass(frozen=True)
class RestProblem:
    """Why a shift breaks the rest rule: too little rest before or after another shift, or
    a stretch of back-to-back shifts that is too long; `hours` says how much there is."""

    key: str
    hours: float
    other: tuple[datetime, datetime]


def rest_problem(
    start: datetime, end: datetime, others: list[tuple[datetime, datetime]]
) -> RestProblem | None:
    """What the shift [start, end) does to the member's rest, given their other shifts
    (instants; overlapping ones are another rule's business)."""
    stretch_start, stretch_end = start, end
    for a, b in sorted(others):  # shifts back to back make one stretch of work
        if b == stretch_start:
            stretch_start = a
        elif a == stretch_end:
            stretch_end = b
    if stretch_end - stretch_start > MAX_WORK:
        hours = (stretch_end - stretch_start).total_seconds() / 3600
        return RestProblem("shifts.stretch_too_long", hours, (stretch_start, stretch_end))
    for a, b in others:
        if stretch_start - MIN_REST < b < stretch_start:
            return RestProblem("shifts.rest_before", (stretch_start - b).total_seconds() / 3600,
                               (a, b))  # fmt: skip
        if stretch_end < a < stretch_end + MIN_REST:
            return RestProblem("shifts.rest_after", (a - stretch_end).total_seconds() / 3600,
                               (a, b))  # fmt: skip
    return None
