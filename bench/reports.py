"""Reports at city scale: bench/scale's year plus its check-ins, 200,000 activities, 20,000 flags.

Seeds a real SQLite file: `bench.scale.seed` (60 groups x 12 agencies x 10 experts, a year of
a 24/7 rota, about 1.5 million shifts), then one closed check-in per staffed shift (a few
minutes off its start, out at its end: about 1.5 million presences), 200,000 logged
activities (half boundary-setting, half relationship-building, a third with one or two
partner agencies) and 20,000 flags with one to three target agencies (85% acknowledged, at
delays around their deadlines), spread over the year, and 1,440 open check-ins (two per
agency per group) for /onduty. Every group is in a phase.

Then, at "now" = 2026-12-01 12:00 UTC, it measures what the bot and the command do:

1. a group-month report as /report draws it: the facts read and the figures computed in the
   worker process (`reports.gather`), then the five charts drawn there (`chart_png`), with a
   warm worker; `--runs` times, and once with a cold worker (its start-up included);
2. an all-groups, 12-month PDF as `samverkan report --all` writes it (facts, figures, PDF,
   in this process);
3. peak memory (max RSS) of this process and of the worker process;
4. the latency of another member's /onduty (`coverage.on_duty`, called every 20 ms on this
   event loop, as the bot's handler would) while idle, and while the worker draws an
   all-groups 12-month /report (gather, five charts and the workbook) for an admin.

Aims (exit status 1 when one is missed): group-month < 3 s, all-groups 12-month PDF < 30 s,
peak memory < 300 MB per process, /onduty p95 during a report < 2x its idle p95.
Run with `python -m bench.reports` (see --help); `--db PATH` keeps the database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import scale
from bot.domain.flags import DEFAULT_DEADLINES, FlagPolicy
from bot.domain.models import Member
from bot.domain.periods import PeriodChoice, period_for
from bot.domain.worklog import DEFAULT_TYPES, DURATIONS, Kind, Residents, WorkPolicy
from bot.reports.charts import CHARTS, chart_png
from bot.reports.documents import pdf, workbook
from bot.reports.worker import Renderer
from bot.services import coverage as coverage_service
from bot.services import reports
from storage.db import Database
from storage.store import Store

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ACTIVITIES = 200_000
FLAGS = 20_000
AIM_GROUP_MONTH_S = 3.0
AIM_ALL_YEAR_PDF_S = 30.0
AIM_MEMORY_MB = 300.0
AIM_LATENCY_RATIO = 2.0
ONDUTY_EVERY_S = 0.02
ZONE = "Europe/Stockholm"


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _progress(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


def seed_work(path: str, seed_value: int) -> dict[str, float]:
    """Check-ins from the shifts, activities, flags, open check-ins and phases."""
    rng = random.Random(seed_value)
    times: dict[str, float] = {}
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA cache_size = -262144")
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO presences (member_id, group_id, shift_id, checked_in_at, lat, lon,"
            " accuracy_m, distance_m, inside, checked_out_at, checkout_kind)"
            " SELECT member_id, group_id, id,"
            " strftime('%Y-%m-%dT%H:%M:%S+00:00', starts_at,"
            "  ((abs(random()) % 21) - 10) || ' minutes'),"
            " 59.39, 17.93, 10, 50, 1, ends_at, 'manual'"
            " FROM shifts WHERE cancelled_at IS NULL AND ends_at <= ?",
            (_ts(NOW - timedelta(hours=3)),),
        )
        experts = conn.execute(
            "SELECT m.id, m.agency_code, g.group_id FROM members m"
            " JOIN group_memberships g ON g.member_id = m.id WHERE m.role = 'expert'"
        ).fetchall()
        teams: dict[tuple[int, str], list[int]] = {}
        for member_id, agency, group_id in experts:
            teams.setdefault((group_id, agency), []).append(member_id)
        agencies = sorted({a for _, a in teams})
        groups = sorted({g for g, _ in teams})
        conn.executemany(
            "INSERT INTO presences (member_id, group_id, checked_in_at, lat, lon, accuracy_m,"
            " distance_m, inside) VALUES (?, ?, ?, 59.39, 17.93, 10, 50, 1)",
            [
                (member_id, group_id, _ts(NOW - timedelta(hours=2)))
                for (group_id, _), team in sorted(teams.items())
                for member_id in rng.sample(team, 2)
            ],
        )
        times["check-ins"] = time.perf_counter() - started
        started = time.perf_counter()
        year = int((NOW - scale.YEAR_START).total_seconds())
        kinds = list(Kind)
        for activity_id in range(1, ACTIVITIES + 1):
            member_id, agency, group_id = rng.choice(experts)
            kind = kinds[activity_id % 2]
            done = _ts(scale.YEAR_START + timedelta(seconds=rng.randrange(year)))
            conn.execute(
                "INSERT INTO activities (id, group_id, member_id, agency_code, kind, type,"
                " residents, minutes, note, done_at, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    activity_id, group_id, member_id, agency, kind.value,
                    rng.choice(DEFAULT_TYPES[kind]), rng.choice(list(Residents)).value,
                    rng.choice(DURATIONS), "Anteckning" if rng.random() < 0.3 else None,
                    done, done, done,
                ),
            )  # fmt: skip
            if rng.random() < 0.33:
                for partner in rng.sample([a for a in agencies if a != agency], rng.randint(1, 2)):
                    conn.execute(
                        "INSERT INTO activity_partners (activity_id, agency_code) VALUES (?, ?)",
                        (activity_id, partner),
                    )
        times["activities"] = time.perf_counter() - started
        started = time.perf_counter()
        urgencies = list(DEFAULT_DEADLINES)
        for flag_id in range(1, FLAGS + 1):
            member_id, agency, group_id = rng.choice(experts)
            urgency = rng.choice(urgencies)
            created = scale.YEAR_START + timedelta(seconds=rng.randrange(year))
            conn.execute(
                "INSERT INTO flags (id, group_id, raised_by, raiser_agency, category, urgency,"
                " description, created_at, closed_at) VALUES (?, ?, ?, ?, 'other', ?, ?, ?, ?)",
                (flag_id, group_id, member_id, agency, urgency.value, "Ärende", _ts(created),
                 _ts(created + timedelta(days=1))),
            )  # fmt: skip
            allowed = DEFAULT_DEADLINES[urgency]
            for target in rng.sample([a for a in agencies if a != agency], rng.randint(1, 3)):
                acked = rng.random() < 0.85
                delay = allowed * rng.lognormvariate(-0.7, 0.8)
                by = rng.choice(teams[(group_id, target)]) if acked else None
                state = ("resolved" if rng.random() < 0.5 else "acknowledged") if acked else "open"
                conn.execute(
                    "INSERT INTO flag_targets (flag_id, agency_code, state, ack_deadline,"
                    " acknowledged_by, acknowledged_at, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (flag_id, target, state, _ts(created + allowed), by,
                     _ts(created + delay) if acked else None, _ts(created)),
                )  # fmt: skip
        for group_id in groups:
            phase = "fight" if group_id % 3 else "prevent"
            conn.execute(
                "INSERT INTO group_phases (group_id, phase, target_pct, since)"
                " VALUES (?, ?, ?, ?)",
                (group_id, phase, 30 if phase == "fight" else 60, _ts(scale.YEAR_START)),
            )
        conn.execute("COMMIT")
        times["flags"] = time.perf_counter() - started
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return times


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def _children_peak_mb() -> float:
    """The highest peak RSS (VmHWM) among this process's living children: the worker."""
    peak = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) != os.getpid():
                continue
            status = Path(f"/proc/{entry}/status").read_text()
            peak = max(peak, int(status.split("VmHWM:")[1].split()[0]))
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return peak / 1024


async def _admin(store: Store) -> Member:
    async with store.read() as tx:
        admin = await tx.members.get(scale.ADMIN_ID)
    assert admin is not None
    return admin


async def _group_month(
    renderer: Renderer, path: str, request: reports.Request, flags: FlagPolicy
) -> float:
    """Seconds for the figures and five charts of a report, the way /report draws them."""
    begin = time.perf_counter()
    figures, _rows = await renderer.run(reports.gather, path, 5000, request, flags, NOW,
                                        frozenset({"SAPO"}))  # fmt: skip
    for index in range(len(CHARTS)):
        await renderer.run(chart_png, figures, index, "sv")
    return time.perf_counter() - begin


async def _bot_report(
    renderer: Renderer, path: str, request: reports.Request, flags: FlagPolicy
) -> None:
    """An all-groups 12-month /report for an admin: figures, five charts, the workbook."""
    figures, rows = await renderer.run(reports.gather, path, 5000, request, flags, NOW,
                                       frozenset())  # fmt: skip
    for index in range(len(CHARTS)):
        await renderer.run(chart_png, figures, index, "sv")
    await renderer.run(workbook, figures, "sv", WorkPolicy().types, rows)


async def _onduty_latencies(store: Store, member: Member, until: asyncio.Future[None] | None,
                            count: int) -> list[float]:  # fmt: skip
    """/onduty latencies (ms), every 20 ms, `count` of them or for as long as `until` runs."""
    samples: list[float] = []
    while (until is None and len(samples) < count) or (until is not None and not until.done()):
        begin = time.perf_counter()
        await coverage_service.on_duty(store, member, NOW)
        samples.append((time.perf_counter() - begin) * 1000)
        await asyncio.sleep(ONDUTY_EVERY_S)
    return samples


def _p95(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(0.95 * len(ordered)) - 1)]


async def measure(path: str, runs: int) -> dict[str, object]:
    """Every figure of the benchmark."""
    flags = FlagPolicy()
    db = await Database.open(path)
    renderer = Renderer()
    try:
        store = Store(db)
        admin = await _admin(store)
        async with store.read() as tx:
            group = (await tx.groups.all())[0]
            experts = await tx.members.in_groups([group.id], active_only=True)
        asker = next(m for m in experts if m.role.value == "expert")
        month = period_for(PeriodChoice.LAST_MONTH, NOW, ZONE)
        year = period_for(PeriodChoice.LAST_12_MONTHS, NOW, ZONE)
        one = reports.Request((group.id,), month, admin)
        every = reports.Request(tuple(range(1, scale.GROUPS + 1)), year, admin)
        _progress("group-month report, cold worker ...")
        cold = await _group_month(renderer, path, one, flags)
        _progress(f"group-month report x{runs} ...")
        warm = [await _group_month(renderer, path, one, flags) for _ in range(runs)]
        _progress("all-groups 12-month PDF ...")
        begin = time.perf_counter()
        facts = await reports.facts(store, every, flags, NOW)
        read_s = time.perf_counter() - begin
        figures = reports.figures(facts, frozenset())
        figures_s = time.perf_counter() - begin - read_s
        document = pdf(figures, "sv", WorkPolicy().types)
        pdf_s = time.perf_counter() - begin
        del facts
        _progress("/onduty idle ...")
        idle = await _onduty_latencies(store, asker, None, 200)
        _progress("/onduty during an all-groups 12-month /report ...")
        drawing = asyncio.ensure_future(_bot_report(renderer, path, every, flags))
        busy = await _onduty_latencies(store, asker, drawing, 0)
        await drawing
        worker_mb = _children_peak_mb()
    finally:
        renderer.close()
        await db.close()
    return {
        "cold": cold,
        "warm": warm,
        "read_s": read_s,
        "figures_s": figures_s,
        "pdf_s": pdf_s,
        "pdf_bytes": len(document),
        "idle": idle,
        "busy": busy,
        "worker_mb": worker_mb,
    }


def report(result: dict[str, object], seeding: dict[str, float] | None, path: str) -> bool:
    """Print the figures; True when every aim is met."""
    warm = result["warm"]
    idle, busy = result["idle"], result["busy"]
    assert isinstance(warm, list) and isinstance(idle, list) and isinstance(busy, list)
    counts = {}
    conn = sqlite3.connect(path)
    try:
        for table in ("shifts", "presences", "activities", "activity_partners", "flags",
                      "flag_targets"):  # fmt: skip
            counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()
    worst = max(warm)
    pdf_s = float(result["pdf_s"])  # type: ignore[arg-type]
    self_mb, worker_mb = _rss_mb(resource.RUSAGE_SELF), float(result["worker_mb"])  # type: ignore[arg-type]
    ratio = _p95(busy) / _p95(idle)
    if seeding:
        print("Seeding: " + ", ".join(f"{k} {v:.1f} s" for k, v in seeding.items()))
    print("Rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    lines = [
        ("group-month report, figures + 5 charts (warm, worst of "
         f"{len(warm)})", f"{worst:.2f} s (median {statistics.median(warm):.2f} s)",
         worst < AIM_GROUP_MONTH_S, f"< {AIM_GROUP_MONTH_S:.0f} s"),
        ("group-month report, cold worker (start-up included)", f"{result['cold']:.2f} s",
         None, "information"),
        ("all-groups 12-month PDF (read {:.1f} s, figures {:.1f} s)".format(
            result["read_s"], result["figures_s"]), f"{pdf_s:.1f} s",
         pdf_s < AIM_ALL_YEAR_PDF_S, f"< {AIM_ALL_YEAR_PDF_S:.0f} s"),
        ("peak memory, this process (PDF built here)", f"{self_mb:.0f} MB",
         self_mb < AIM_MEMORY_MB, f"< {AIM_MEMORY_MB:.0f} MB"),
        ("peak memory, worker process", f"{worker_mb:.0f} MB", worker_mb < AIM_MEMORY_MB,
         f"< {AIM_MEMORY_MB:.0f} MB"),
        (f"/onduty idle, {len(idle)} calls", f"p50 {statistics.median(idle):.2f} ms, "
         f"p95 {_p95(idle):.2f} ms", None, ""),
        (f"/onduty during the report, {len(busy)} calls",
         f"p50 {statistics.median(busy):.2f} ms, p95 {_p95(busy):.2f} ms ({ratio:.2f}x)",
         ratio < AIM_LATENCY_RATIO, f"p95 < {AIM_LATENCY_RATIO:.0f}x idle"),
    ]  # fmt: skip
    for name, value, met, aim in lines:
        verdict = "" if met is None else ("yes" if met else "NO")
        print(f"{name:<62} {value:<40} {aim:<16} {verdict}")
    return all(met is not False for _, _, met, _ in lines)


async def run(args: argparse.Namespace, path: str) -> bool:
    db = await Database.open(path)
    try:
        await db.migrate()
    finally:
        await db.close()
    seeding: dict[str, float] | None = None
    conn = sqlite3.connect(path)
    try:
        empty = conn.execute("SELECT count(*) FROM activities").fetchone()[0] == 0
    finally:
        conn.close()
    if empty:
        _progress(f"seeding {path} ...")
        seeding = scale.seed(path, args.seed, [0, 0])
        seeding.update(seed_work(path, args.seed))
    _progress("measuring ...")
    result = await measure(path, args.runs)
    return report(result, seeding, path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__)
    parser.add_argument("--db", help="database file to keep (reused when it exists)")
    parser.add_argument("--runs", type=int, default=5, help="warm group-month reports")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    args = parser.parse_args(argv)
    if args.db:
        met = asyncio.run(run(args, args.db))
    else:
        with tempfile.TemporaryDirectory(prefix="samverkan-reports-") as folder:
            met = asyncio.run(run(args, str(Path(folder) / "reports.db")))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
