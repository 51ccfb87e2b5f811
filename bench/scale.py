"""Service latency at scale: a year of shifts for 60 groups x 12 agencies x 10 members.

Seeds a real SQLite file (the project's migrations, then direct SQL inserts) with 60 groups,
7,200 experts (10 per agency per group, all 12 agencies of migration 0001), one coordinator per
group, and one year of a 24/7 rota: per group and agency, three 8-hour shifts a day (06-14,
14-22, 22-06 Stockholm time, so the night shift is 7 or 9 hours on the DST nights), each
staffed by two of the ten members in turn (every member works every fifth shift, about 210
shifts a year). About 3% of planned shifts are left unfilled and 1% are cancelled, so the
minimum of two per agency is mostly met with some gaps: about 1.5 million shift rows. Rows
are inserted as coordinators would import them: month by month, group by group.

It then times the service functions themselves (no Telegram), on a `Store` over that file
opened by `Database.open` exactly as the bot opens it:

1. check-in: `presence.check_in` of a random member not checked in, at a random moment of the
   year, near the group's office (checked out again afterwards, outside the timed part);
2. /onduty: `coverage.on_duty` for a random member, with two members per agency per group
   (1,440) checked in;
3. /coverage: `coverage.coverage` by a group's coordinator at a random moment, i.e. who is in
   now and the planned gaps of the coming week.

Each is called `--calls` times after a few untimed warm-up calls; p50 and p95 use
`time.perf_counter()` around the awaited service call. Aim: p95 < 50 ms for each; the exit
status is 1 when one misses it. For information only (outside the aim and the exit status),
it also times /onduty for the one seeded admin, who belongs to no group and so sees all 60
(`--calls` / 5 calls, at least 20).

Run with `python -m bench.scale` (see --help). `--db PATH` keeps the database (and reuses it
when it exists); `--extra-index SQL` creates an index on the benchmark database before
measuring, to measure what an index would change (it is not part of the default run).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.models import Group, Member, Role
from bot.services import coverage as coverage_service
from bot.services import presence as presence_service
from storage.db import Database
from storage.store import Store

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
OPEN_PER_AGENCY = 2  # members per agency per group checked in while /onduty is measured
RADIUS_M = 400
NEAR_M = 300.0  # check-ins land within this many metres of the office
AIM_MS = 50.0
ADMIN_ON_DUTY = "/onduty (admin, 60 groups)"  # information only, outside the aim
WARM_UP = 10

FIRST_NAMES = (
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Anders", "Emma", "Per",
    "Elin", "Mikael", "Lina", "Fredrik", "Sofia", "Nils", "Ida", "Jonas", "Amira", "Ali",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Hussein", "Lindberg",
)  # fmt: skip


@dataclass(frozen=True)
class Stats:
    """Latencies of one measured operation, in milliseconds."""

    name: str
    samples: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return _percentile(self.samples, 0.95)

    @property
    def worst(self) -> float:
        return max(self.samples)


@dataclass(frozen=True)
class Scene:
    """The seeded world as the services see it."""

    groups: dict[int, Group]
    experts: list[Member]
    coordinators: dict[int, Member]  # group id -> its coordinator
    admin: Member | None  # sees every group

    @property
    def everyone(self) -> list[Member]:
        """The members of the groups (not the admin)."""
        return [*self.experts, *self.coordinators.values()]


def _percentile(samples: Sequence[float], q: float) -> float:
    """The q-quantile, linear between closest ranks (as numpy's default)."""
    ordered = sorted(samples)
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


# --- seeding ---------------------------------------------------------------------------


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


# --- the scene and the measurements ----------------------------------------------------


async def load_scene(store: Store) -> Scene:
    """Groups and members as the services get them (the handlers load them the same way)."""
    async with store.read() as tx:
        groups = {g.id: g for g in await tx.groups.all()}
        members = await tx.members.in_groups(None, active_only=True)
    coordinators = {
        m.group_ids[0]: m for m in members if m.role is Role.COORDINATOR and m.group_ids
    }
    experts = [m for m in members if m.role is Role.EXPERT]
    admins = [m for m in members if m.role is Role.ADMIN and not m.group_ids]
    if len(groups) != GROUPS or len(coordinators) != GROUPS:
        raise SystemExit(f"unexpected database: {len(groups)} groups, {len(experts)} experts")
    return Scene(groups, experts, coordinators, admins[0] if admins else None)


def _random_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = rng.uniform(0, (end - start).total_seconds())
    return (start + timedelta(seconds=seconds)).replace(microsecond=0)


def _near(rng: random.Random, group: Group) -> tuple[float, float]:
    """A point within NEAR_M metres of the office (flat-earth offset, fine at this scale)."""
    distance = NEAR_M * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111_320.0
    dlon = distance * math.sin(bearing) / (111_320.0 * math.cos(math.radians(group.lat)))
    return group.lat + dlat, group.lon + dlon


async def reset_presences(store: Store) -> None:
    """Close whatever a previous run left open (only on a reused database)."""
    async with store.db.transaction() as conn:
        await conn.execute(
            "UPDATE presences SET checked_out_at = ?, checkout_kind = 'auto'"
            " WHERE checked_out_at IS NULL",
            (_ts(YEAR_END),),
        )


async def check_in_crowd(store: Store, scene: Scene, rng: random.Random) -> set[int]:
    """Check in OPEN_PER_AGENCY members per agency per group, through the service."""
    teams: dict[tuple[int, str | None], list[Member]] = {}
    for member in scene.experts:
        teams.setdefault((member.group_ids[0], member.agency_code), []).append(member)
    present: set[int] = set()
    for (group_id, _), team in sorted(teams.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        group = scene.groups[group_id]
        for member in rng.sample(team, OPEN_PER_AGENCY):
            lat, lon = _near(rng, group)
            await presence_service.check_in(
                store,
                member,
                lat=lat,
                lon=lon,
                accuracy_m=20.0,
                now=_random_moment(rng, YEAR_START, YEAR_END),
            )
            present.add(member.id)
    return present


async def _timed(name: str, calls: int, once: Callable[[], Awaitable[float]]) -> Stats:
    for _ in range(WARM_UP):
        await once()
    samples = [await once() for _ in range(calls)]
    _progress(f"{name}: {calls} calls")
    return Stats(name, samples)


def _progress(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


async def measure(store: Store, scene: Scene, calls: int, rng: random.Random) -> list[Stats]:
    """Time check-in, /onduty and /coverage, `calls` times each."""
    await reset_presences(store)
    started = time.perf_counter()
    present = await check_in_crowd(store, scene, rng)
    _progress(f"checked in {len(present)} members in {time.perf_counter() - started:.1f} s")
    free = [m for m in scene.experts if m.id not in present]
    everyone = scene.everyone
    coordinators = list(scene.coordinators.values())

    async def check_in_once() -> float:
        member = rng.choice(free)
        group = scene.groups[member.group_ids[0]]
        now = _random_moment(rng, YEAR_START, YEAR_END)
        lat, lon = _near(rng, group)
        accuracy = rng.uniform(5.0, 50.0)
        begin = time.perf_counter()
        await presence_service.check_in(
            store, member, lat=lat, lon=lon, accuracy_m=accuracy, now=now
        )
        elapsed = time.perf_counter() - begin
        await presence_service.check_out(store, member, now + timedelta(hours=8))
        return elapsed * 1000

    async def on_duty_once() -> float:
        member = rng.choice(everyone)
        now = _random_moment(rng, YEAR_START, YEAR_END)
        begin = time.perf_counter()
        await coverage_service.on_duty(store, member, now)
        return (time.perf_counter() - begin) * 1000

    async def coverage_once() -> float:
        coordinator = rng.choice(coordinators)
        now = _random_moment(rng, YEAR_START, YEAR_END - coverage_service.HORIZON)
        begin = time.perf_counter()
        await coverage_service.coverage(store, coordinator, coordinator.group_ids[0], now)
        return (time.perf_counter() - begin) * 1000

    stats = [
        await _timed("check-in", calls, check_in_once),
        await _timed("/onduty", calls, on_duty_once),
        await _timed("/coverage (group-week)", calls, coverage_once),
    ]
    admin = scene.admin
    if admin is not None:

        async def admin_on_duty_once() -> float:
            now = _random_moment(rng, YEAR_START, YEAR_END)
            begin = time.perf_counter()
            await coverage_service.on_duty(store, admin, now)
            return (time.perf_counter() - begin) * 1000

        stats.append(await _timed(ADMIN_ON_DUTY, max(20, calls // 5), admin_on_duty_once))
    return stats


# --- reporting -------------------------------------------------------------------------


COUNTS = {
    "groups": "SELECT count(*) FROM groups",
    "members": "SELECT count(*) FROM members",
    "group_memberships": "SELECT count(*) FROM group_memberships",
    "shifts": "SELECT count(*) FROM shifts",
    "shifts live": "SELECT count(*) FROM shifts WHERE cancelled_at IS NULL",
    "presences": "SELECT count(*) FROM presences",
    "presences open": "SELECT count(*) FROM presences WHERE checked_out_at IS NULL",
    "audit_log": "SELECT count(*) FROM audit_log",
}


def row_counts(path: str) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {name: int(conn.execute(sql).fetchone()[0]) for name, sql in COUNTS.items()}
    finally:
        conn.close()


def file_size_mb(path: str) -> tuple[float, float]:
    """(database file, -wal file) in MB, after a checkpoint."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    wal = Path(path + "-wal")
    return (
        os.path.getsize(path) / 1e6,
        (wal.stat().st_size / 1e6) if wal.exists() else 0.0,
    )


def extra_indexes(path: str, statements: Sequence[str]) -> float:
    """Create the --extra-index indexes (on the benchmark's own database); seconds taken."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        started = time.perf_counter()
        for sql in statements:
            conn.execute(sql)
        return time.perf_counter() - started
    finally:
        conn.close()


def print_report(
    stats: list[Stats],
    counts: dict[str, int],
    sizes: tuple[float, float],
    seeding: dict[str, float] | None,
    short: list[int],
) -> bool:
    print()
    if seeding is None:
        print("Seeding: reused the existing database (--db)")
    else:
        total = sum(seeding.values())
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in seeding.items())
        print(f"Seeding: {total:.1f} s ({parts})")
        print(
            f"Rota: {short[0]:,} of {short[1]:,} agency-shifts ({short[0] / short[1]:.1%})"
            f" planned below the minimum of {PER_SHIFT}"
        )
    print("Rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    main, wal = sizes
    print(f"Database: {main + wal:.1f} MB (file {main:.1f} MB + wal {wal:.1f} MB, checkpointed)")
    print()
    print(f"Service time ({WARM_UP} untimed warm-up calls first):")
    print(
        f"{'operation':<28}{'calls':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        f"  p95 < {AIM_MS:.0f} ms"
    )
    met = True
    for s in stats:
        ok = s.p95 < AIM_MS
        if s.name == ADMIN_ON_DUTY:
            verdict = ("yes" if ok else "no") + " (information only)"
        else:
            met = met and ok
            verdict = "yes" if ok else "NO"
        print(
            f"{s.name:<28}{len(s.samples):>6}{s.p50:>9.2f}{s.p95:>9.2f}{s.worst:>9.2f}  {verdict}"
        )
    return met


async def needs_seeding(path: str) -> bool:
    """Migrate the database at `path`; True when it has no members yet (to be seeded)."""
    db = await Database.open(path)
    try:
        await db.migrate()
        async with db.read() as conn:
            rows = await conn.execute_fetchall("SELECT count(*) FROM members")
            return bool(next(iter(rows))[0] == 0)
    finally:
        await db.close()


async def run(args: argparse.Namespace, path: str) -> bool:
    empty = await needs_seeding(path)
    seeding: dict[str, float] | None = None
    short = [0, 0]
    if empty:
        _progress(f"seeding {path} ...")
        seeding = seed(path, args.seed, short)
    if args.extra_index:
        took = extra_indexes(path, args.extra_index)
        _progress(f"extra indexes created in {took:.1f} s")
    if args.analyze:
        plain = sqlite3.connect(path)
        try:
            plain.execute("ANALYZE")
        finally:
            plain.close()
    db = await Database.open(path)
    try:
        store = Store(db)
        scene = await load_scene(store)
        _progress("measuring ...")
        stats = await measure(store, scene, args.calls, random.Random(args.seed + 1))
    finally:
        await db.close()
    return print_report(stats, row_counts(path), file_size_mb(path), seeding, short)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale", description=__doc__.split("\n")[0] if __doc__ else None
    )
    parser.add_argument("--db", help="database file to keep (reused when it exists)")
    parser.add_argument("--calls", type=int, default=300, help="timed calls per operation")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument(
        "--extra-index",
        action="append",
        default=[],
        metavar="SQL",
        help="a CREATE INDEX statement to run on the benchmark database before measuring"
        " (repeatable; for trying an index, not part of the default run)",
    )
    parser.add_argument(
        "--analyze", action="store_true", help="run ANALYZE before measuring (the bot does not)"
    )
    args = parser.parse_args(argv)
    if args.calls < 1:
        parser.error("--calls must be at least 1")
    if args.db:
        met = asyncio.run(run(args, args.db))
    else:
        with tempfile.TemporaryDirectory(prefix="samverkan-scale-") as folder:
            met = asyncio.run(run(args, str(Path(folder) / "scale.db")))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
