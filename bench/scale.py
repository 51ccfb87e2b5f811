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
import math
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bench.scale_report import (
    ADMIN_ON_DUTY,
    WARM_UP,
    Stats,
    _percentile,
    extra_indexes,
    file_size_mb,
    print_report,
    row_counts,
)
from bench.scale_seed import ADMIN_ID, GROUPS, YEAR_END, YEAR_START, _coordinator_id, _ts, seed
from bot.domain.models import Group, Member, Role
from bot.services import coverage as coverage_service
from bot.services import presence as presence_service
from storage.db import Database
from storage.store import Store

# bench.scan, bench.lanes, bench.reports and bench.purge use the world through this module.
__all__ = [
    "ADMIN_ID",
    "GROUPS",
    "YEAR_START",
    "Scene",
    "_coordinator_id",
    "_near",
    "_percentile",
    "load_scene",
    "needs_seeding",
    "seed",
]

OPEN_PER_AGENCY = 2  # members per agency per group checked in while /onduty is measured
NEAR_M = 300.0  # check-ins land within this many metres of the office


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
