"""Urgent first, and no chat holds up the others: three aims side by side in one run.

1. **Urgent flags during a broadcast.** The bot runs as `python -m bot run` against the fake
   Bot API server with Telegram-like limits (as in `bench.broadcast`). A coordinator sends a
   notice to 1,000 members through the real flow; from 10 s after "Send to 1000", one urgent
   flag a second is raised, 20 in all, each by its own raiser (SKV) in a group of its own
   whose one target (TULL) is checked in. Each raiser went through the wizard beforehand and
   presses "🚩 Raise the flag" on cue. Measured: from that press until the target's copy
   reaches the server, p95 over the 20 flags (aim < 2 s); and that the sender keeps
   Telegram's pipe full meanwhile: every message it sent from the press of "Send to 1000"
   until the last copy (notice copies, flag cards, answers), per second, against Telegram's
   30/s (aim >= 93%), with no copy lost.
2. **One chat does not hold the others.** The sender (`bot/delivery.py`, in this process)
   gets 60 messages queued for chat A, then one for chat B in the same lane, ten times a
   second apart while A's queue drains at 1/s. Measured: from B's commit to its arrival at the
   server, the worst of the ten (aim < 1.5 s).
3. **The reminder scan at bench/scale size** (`bench.scan`: 60 groups, 1.53 M shifts, a
   scan every 30 s through the morning's 06:00 shift change, handlers' work beside it): the
   write lock held per scan, all its transactions together, at its worst (aim < 50 ms), the
   longest single hold (what a handler can wait behind; aim < 50 ms), and the handlers' p95
   during scans against idle (aim <= 2x).

Prints each figure with its aim and yes/NO; exit status 1 when an aim is missed.
Run with `python -m bench.lanes` (about 3 minutes; see --help).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bench import broadcast as bc
from bench import scan as scan_bench
from bench.lanes_chats import second_chat
from bench.lanes_report import Figures, report
from bench.lanes_urgent import seed_flags, urgent_during_notice
from bench.scale import _percentile, load_scene, needs_seeding
from bench.scale import seed as seed_scale
from storage.db import Database
from storage.store import Store


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (5 min {five:.2f})"


# -- 3. the reminder scan (1 and 2 in lanes_urgent.py and lanes_chats.py) -------------------


async def scan(db_path: str, seed: int, figures: Figures) -> None:
    args = argparse.Namespace(seed=seed, day="2026-06-10")
    if await needs_seeding(db_path):
        print("  seeding the bench.scale database ...", file=sys.stderr, flush=True)
        seed_scale(db_path, args.seed, [0, 0])
    rng = random.Random(args.seed)
    db = await Database.open(db_path)
    try:
        store = Store(db)
        scene = await load_scene(store)
        scan_bench._GROUPS.update(scene.groups)
        day = datetime.fromisoformat(args.day)
        scans, handlers = await scan_bench.morning(store, scene, day, rng)
    finally:
        await db.close()
    figures.scan_hold_ms = [s.held_ms for s in scans]
    figures.scan_longest_ms = max(s.longest_ms for s in scans)
    figures.scan_heaviest = [
        f"{s.at.astimezone(scan_bench.ZONE):%H:%M:%S} {s.held_ms:.1f} ms in"
        f" {len(s.holds_ms)} (longest {s.longest_ms:.1f}, {s.sent} sent,"
        f" writer CPU {s.cpu_ms:.1f} ms)"
        for s in sorted(scans, key=lambda s: (s.longest_ms, s.held_ms), reverse=True)[:4]
    ]
    idle = _percentile(handlers.idle, 0.95)
    figures.scan_ratio = _percentile(handlers.during, 0.95) / idle if idle else None


async def bench(args: argparse.Namespace) -> int:
    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="samverkan-lanes-") as tmp:
        workdir = Path(tmp)
        try:
            if "urgent" in args.parts:
                code = workdir / "code"
                await asyncio.to_thread(bc.snapshot_code, code)
                template = workdir / "template.db"
                await bc.seed(template, bc.MEMBERS)
                await seed_flags(template)
                setup = bc.Setup(template, workdir, code, bc.MEMBERS, bc.THINK_S)
                figures.load.append(f"before the notice {_load()}")
                started = time.monotonic()
                await urgent_during_notice(setup, figures)
                print(f"  urgent flags during a notice: {time.monotonic() - started:.0f} s",
                      file=sys.stderr)  # fmt: skip
            if "chats" in args.parts:
                figures.load.append(f"before chat B {_load()}")
                await second_chat(workdir, figures)
            if "scan" in args.parts:
                figures.load.append(f"before the scan {_load()}")
                await scan(args.db or str(workdir / "scale.db"), args.seed, figures)
            figures.load.append(f"at the end {_load()}")
        except bc.BenchError as exc:
            figures.problems.append(str(exc))
    return 0 if report(figures) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.lanes", description=__doc__.split("\n")[0] if __doc__ else None
    )
    parser.add_argument("--db", help="a bench.scale database to reuse for the scan")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the scan")
    parser.add_argument(
        "--parts", nargs="+", choices=("urgent", "chats", "scan"),
        default=["urgent", "chats", "scan"], help="run only some parts (all by default)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    try:
        return asyncio.run(bench(args))
    finally:
        bc.kill_leftovers()


if __name__ == "__main__":
    sys.exit(main())
