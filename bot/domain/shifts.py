"""Shifts, presences and roster lines as plain data; the roster's rules."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

MAX_SHIFT = timedelta(hours=24)
ROSTER_COLUMNS = ("member", "group", "start", "end")
MAX_ROSTER_LINES = 20_000


class Shift(BaseModel):
    """A member's planned presence in a group (UTC)."""

    model_config = ConfigDict(frozen=True)

    id: int
    member_id: int
    group_id: int
    starts_at: datetime
    ends_at: datetime


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
    detail: str = ""


def parse_roster(text: str) -> tuple[list[RosterLine], list[RosterProblem]]:
    """Read a roster CSV (comma or semicolon separated, with a header line)."""
    text = text.lstrip("\ufeff")  # spreadsheets often save a byte-order mark
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        return [], [RosterProblem(0, "roster.empty")]
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in ROSTER_COLUMNS if c not in header]
    if missing:
        return [], [RosterProblem(1, "roster.columns", ", ".join(missing))]
    if len(rows) > MAX_ROSTER_LINES:
        return [], [RosterProblem(0, "roster.too_many", str(MAX_ROSTER_LINES))]
    index = {c: header.index(c) for c in ROSTER_COLUMNS}
    lines: list[RosterLine] = []
    problems: list[RosterProblem] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            problems.append(RosterProblem(number, "roster.short_line"))
            continue
        values = {c: row[i].strip() for c, i in index.items()}
        lines.append(
            RosterLine(number, values["member"], values["group"], values["start"], values["end"])
        )
    if not lines and not problems:
        problems.append(RosterProblem(0, "roster.empty"))
    return lines, problems


def local_time(text: str, zone: str) -> datetime | None:
    """An ISO 8601 date-time; without an offset it is read in the group's time zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment


def shift_problem(start: datetime, end: datetime) -> str | None:
    """What is wrong with a shift's times, if anything."""
    if end <= start:
        return "roster.end_before_start"
    if end - start > MAX_SHIFT:
        return "roster.too_long"
    return None
