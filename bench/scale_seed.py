"""bench.scale's world: its shape, and seeding a year of a 24/7 rota into SQLite."""

from __future__ import annotations

import itertools
import random
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

GROUPS = 60
AGENCIES = ("STHLM", "SKV", "AF", "EBM", "TULL", "FK", "KVV", "SAPO", "KBV", "MIGR", "POL", "AM")
PER_AGENCY = 10
PER_SHIFT = 2  # the groups' min_per_agency: the rota staffs each shift with exactly that
ROTATION = PER_AGENCY // PER_SHIFT  # a member works every fifth shift
SHIFT_HOURS_LOCAL = (6, 14, 22)
ZONE = "Europe/Stockholm"
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
YEAR_END = datetime(2027, 1, 1, tzinfo=UTC)
UNFILLED = 0.03  # planned shifts nobody took: the gaps
CANCELLED = 0.01  # shifts cancelled after the import (kept as rows, cancelled_at set)
RADIUS_M = 400

FIRST_NAMES = (
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Anders", "Emma", "Per",
    "Elin", "Mikael", "Lina", "Fredrik", "Sofia", "Nils", "Ida", "Jonas", "Amira", "Ali",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Hussein", "Lindberg",
)  # fmt: skip


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _slots() -> list[tuple[str, str, int]]:
    """Every shift of the year as (start, end, month index), 24/7, in local shift hours."""
    zone = ZoneInfo(ZONE)
    day = datetime(YEAR_START.year - 1, 12, 31)  # the night shift into 1 January
    bounds: list[datetime] = []
    while day < datetime(YEAR_END.year, 1, 2):
        for hour in SHIFT_HOURS_LOCAL:
            bounds.append(day.replace(hour=hour, tzinfo=zone).astimezone(UTC))
        day += timedelta(days=1)
    slots: list[tuple[str, str, int]] = []
    for start, end in itertools.pairwise(bounds):
        if end > YEAR_START and start < YEAR_END:
            month = (start.year - YEAR_START.year) * 12 + start.month - 1
            slots.append((_ts(start), _ts(end), max(0, month)))
    return slots


def _expert_id(group_index: int, agency_index: int, number: int) -> int:
    return 1 + (group_index * len(AGENCIES) + agency_index) * PER_AGENCY + number


def _coordinator_id(group_index: int) -> int:
    return GROUPS * len(AGENCIES) * PER_AGENCY + 1 + group_index


ADMIN_ID = _coordinator_id(GROUPS)


def _shift_rows(
    rng: random.Random, created_at: str, short: list[int]
) -> Iterator[tuple[object, ...]]:
    """The year's shifts, month by month and group by group, as a roster import adds them.

    `short` gets [team shifts below the minimum, team shifts] (a team: a group's agency).
    """
    slots = _slots()
    months: dict[int, list[tuple[int, str, str]]] = {}
    for index, (start, end, month) in enumerate(slots):
        months.setdefault(month, []).append((index, start, end))
    # Each group-agency team starts its rotation at its own point.
    offsets = [rng.randrange(ROTATION) for _ in range(GROUPS * len(AGENCIES))]
    for month in sorted(months):
        for g in range(GROUPS):
            group_id = g + 1
            for a in range(len(AGENCIES)):
                offset = offsets[g * len(AGENCIES) + a]
                for index, start, end in months[month]:
                    pair = (index + offset) % ROTATION
                    staffed = 0
                    for number in (pair, pair + ROTATION):
                        draw = rng.random()
                        if draw < UNFILLED:
                            continue
                        cancelled = created_at if draw < UNFILLED + CANCELLED else None
                        staffed += cancelled is None
                        yield (
                            _expert_id(g, a, number),
                            group_id,
                            start,
                            end,
                            created_at,
                            cancelled,
                        )
                    short[0] += staffed < PER_SHIFT
                    short[1] += 1


def _group_rows(rng: random.Random, created_at: str) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for g in range(GROUPS):
        lat = round(rng.uniform(55.4, 67.8), 5)
        lon = round(rng.uniform(12.0, 23.5), 5)
        rows.append(
            (g + 1, f"Område {g + 1:02d}", lat, lon, RADIUS_M, PER_SHIFT, ZONE, created_at)
        )
    return rows


def _member_rows(rng: random.Random, created_at: str) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for g in range(GROUPS):
        for a, agency in enumerate(AGENCIES):
            for number in range(PER_AGENCY):
                member_id = _expert_id(g, a, number)
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                language = "en" if rng.random() < 0.2 else "sv"
                rows.append((member_id, 10_000_000 + member_id, name, None, agency, "expert",
                             language, created_at))  # fmt: skip
        member_id = _coordinator_id(g)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        rows.append((member_id, 10_000_000 + member_id, name, None, "STHLM", "coordinator",
                     "sv", created_at))  # fmt: skip
    rows.append((ADMIN_ID, 10_000_000 + ADMIN_ID, "Admin", None, None, "admin", "sv", created_at))
    return rows


def _membership_rows(created_at: str) -> list[tuple[int, int, str]]:
    rows: list[tuple[int, int, str]] = []
    for g in range(GROUPS):
        for a in range(len(AGENCIES)):
            for number in range(PER_AGENCY):
                rows.append((_expert_id(g, a, number), g + 1, created_at))
        rows.append((_coordinator_id(g), g + 1, created_at))
    return rows


def seed(path: str, seed_value: int, short: list[int]) -> dict[str, float]:
    """Fill a migrated, empty database; return the time each step took (seconds)."""
    rng = random.Random(seed_value)
    created_at = _ts(YEAR_START - timedelta(days=30))
    times: dict[str, float] = {}
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -262144")  # 256 MiB, for the seeding only
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO groups (id, name, lat, lon, radius_m, min_per_agency, timezone,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            _group_rows(rng, created_at),
        )
        conn.executemany(
            "INSERT INTO members (id, telegram_user_id, display_name, username, agency_code,"
            " role, language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            _member_rows(rng, created_at),
        )
        conn.executemany(
            "INSERT INTO group_memberships (member_id, group_id, joined_at) VALUES (?, ?, ?)",
            _membership_rows(created_at),
        )
        conn.executemany(
            "INSERT INTO shifts (member_id, group_id, starts_at, ends_at, created_at,"
            " cancelled_at) VALUES (?, ?, ?, ?, ?, ?)",
            _shift_rows(rng, created_at, short),
        )
        conn.execute("COMMIT")
        times["insert"] = time.perf_counter() - started
        started = time.perf_counter()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        times["checkpoint"] = time.perf_counter() - started
    finally:
        conn.close()
    return times
