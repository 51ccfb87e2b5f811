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
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from telegram import Bot

from bench import broadcast as bc
from bench import scan as scan_bench
from bench import slots
from bench.scale import _percentile, load_scene, needs_seeding
from bench.scale import seed as seed_scale
from bot.delivery import Sender
from bot.domain.models import Role
from bot.domain.outbox import Notification, Priority
from bot.sandbox.botapi import Call, FakeBotApi, FakeUser, Limits
from bot.services import presence as presence_service
from bot.telegram_request import COUNTED
from storage.db import Database
from storage.store import Store
from tests.factories import make_group, make_member
from tests.flagkit import pick, picked

FLAGS = 20
FLAG_AFTER_S = 10.0  # into the notice
FLAG_EVERY_S = 1.0
RAISER = 710_001  # + k
TARGET = 720_001  # + k
URGENT_AIM_S = 2.0
PIPE_AIM = 0.93
CHAT_A, CHAT_B = 730_001, 730_002
QUEUED_FOR_A = 60
B_TRIALS = 10
B_AIM_S = 1.5
STEP_S = 15.0
# What the pipe counted until 2026-11-29, leaving out the flags' location pins.
OLD_COUNT = ("sendMessage", "editMessageText", "editMessageReplyMarkup")
PROBE = "sender_probe.py"  # run beside the bot's packages: where the sender's slots go


@dataclass
class Figures:
    """What the run measured, for the report."""

    load: list[str] = field(default_factory=list)
    flag_s: list[float] = field(default_factory=list)
    notice_wall_s: float | None = None
    notice_lost: int | None = None
    sent_during: int = 0  # every message the bot sent while the notice went out
    sent_methods: Counter[str] = field(default_factory=Counter)
    any_429: int = 0
    where_429: list[str] = field(default_factory=list)
    chat_b_s: list[float] = field(default_factory=list)
    scan_hold_ms: list[float] = field(default_factory=list)  # per scan, all transactions
    scan_longest_ms: float = 0.0
    scan_heaviest: list[str] = field(default_factory=list)
    scan_ratio: float | None = None
    slots: list[str] = field(default_factory=list)  # where the sender's slots went
    problems: list[str] = field(default_factory=list)

    @property
    def pipe(self) -> float | None:
        if not self.notice_wall_s:
            return None
        return self.sent_during / self.notice_wall_s / bc.TELEGRAM_PER_S


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (5 min {five:.2f})"


# -- 1. urgent flags during a broadcast -----------------------------------------------------


async def seed_flags(path: Path) -> None:
    """Twenty small groups, each with a raiser (SKV) and a checked-in target (TULL)."""
    db = await Database.open(str(path))
    try:
        store = Store(db)
        for k in range(FLAGS):
            group = await make_group(store, f"Flagga {k + 1}")
            raiser = await make_member(store, RAISER + k, agency="SKV", group=group,
                                       name=f"R{k}", language="en")  # fmt: skip
            target = await make_member(store, TARGET + k, agency="TULL", group=group,
                                       name=f"T{k}", language="en")  # fmt: skip
            await presence_service.check_in(
                store, target, lat=group.lat, lon=group.lon, accuracy_m=10.0,
                now=datetime.now(UTC),
            )  # fmt: skip
            async with store.transaction() as tx:
                for member in (raiser, target):
                    await tx.menus.mark_synced(member.id, Role.EXPERT, "en")
    finally:
        await db.close()


async def to_summary(server: FakeBotApi, raiser: FakeUser, k: int) -> None:
    """The wizard up to its summary, so that only the press of Raise is left."""
    await raiser.send("/flag")
    wizard = await raiser.wait_for_message(lambda m: "New flag" in m.entities_text, STEP_S)
    await pick(raiser, wizard, "TULL")
    await server.wait_until(lambda: picked(raiser, wizard, "TULL"), STEP_S)
    await raiser.press(raiser.last, "Next ▶")
    await server.wait_until(lambda: "Category?" in raiser.last.entities_text, STEP_S)
    await raiser.press(raiser.last, "Customs or smuggling")
    await server.wait_until(lambda: "How urgent?" in raiser.last.entities_text, STEP_S)
    await raiser.press(raiser.last, "URGENT")
    await server.wait_until(lambda: "short description" in raiser.last.entities_text, STEP_S)
    await raiser.send(f"Bench flag {k}: a van at the square")
    await raiser.wait_for_message(
        lambda m: "Share a location" in m.entities_text, STEP_S, earlier=True
    )
    await raiser.share_location(59.389, 17.929)
    await raiser.wait_for_message(
        lambda m: "Is this right?" in m.entities_text, STEP_S, earlier=True
    )


class Arrivals(bc.CallWatcher):
    """When the first flag card reaches each target, seen from the fake server's calls."""

    def __init__(self, server: FakeBotApi) -> None:
        super().__init__(server)
        self.at: dict[int, float] = {}

    def seen(self, call: Call, now: float) -> None:
        chat = call.params.get("chat_id")
        text = str(call.params.get("text") or "")
        first = isinstance(chat, int) and chat >= TARGET and chat not in self.at
        if call.method == "sendMessage" and call.ok and first and "Flag #" in text:
            assert isinstance(chat, int)
            self.at[chat] = now

    async def watch(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.update()
            await self._server.state.changed.wait(0.02)


async def urgent_during_notice(setup: bc.Setup, figures: Figures) -> None:
    rundir = setup.workdir / "urgent"
    rundir.mkdir()
    db_path = rundir / "bot.db"
    shutil.copyfile(setup.template, db_path)
    marker = f"BENCH-{uuid.uuid4().hex[:12]}"
    text = f"Lanes benchmark {marker}: the water is off tomorrow 07-09."
    async with FakeBotApi(limits=Limits()) as server:
        experts = []
        for uid in bc.expert_ids(setup.members):
            user = server.user(uid, first_name=f"M{uid}", language_code="en")
            user.mark_started()
            experts.append(user)
        raisers = [server.user(RAISER + k, first_name=f"R{k}", language_code="en")
                   for k in range(FLAGS)]  # fmt: skip
        for k in range(FLAGS):
            server.user(TARGET + k, first_name=f"T{k}", language_code="en").mark_started()
        coord = server.user(bc.COORDINATOR_ID, first_name="Coord", language_code="en")
        probe = rundir / "sender.json"
        shutil.copyfile(Path(__file__).with_name(PROBE), setup.code / PROBE)
        bot = bc.BotProcess(server, db_path, rundir, "bot", setup.code, module="sender_probe",
                            extra_env={"SENDER_PROBE_OUT": str(probe)})  # fmt: skip
        try:
            since = len(server.calls)
            await bot.start()
            await bot.wait_ready(since)
            await asyncio.gather(*(to_summary(server, r, k) for k, r in enumerate(raisers)))
            await asyncio.sleep(2.0)  # the wizards' last answers settle
            loop = asyncio.get_running_loop()
            pressed = await bc.compose_and_press(server, coord, text, setup.members, setup.think)
            first_call = len(server.calls)
            copies = bc.Copies(server, marker, list(bc.expert_ids(setup.members)))
            arrivals, stop = Arrivals(server), asyncio.Event()
            watcher = asyncio.create_task(arrivals.watch(stop))
            raised: dict[int, float] = {}
            for k, raiser in enumerate(raisers):
                cue = pressed + FLAG_AFTER_S + k * FLAG_EVERY_S
                await copies.wait(lambda: False, max(0.0, cue - loop.time()))
                summary = next(m for m in raiser.messages if "Is this right?" in m.entities_text)
                raised[TARGET + k] = loop.time()
                await raiser.press(summary, "🚩 Raise the flag")
            await copies.wait(
                lambda: copies.covered == setup.members, bc.DELIVERY_TIMEOUT_S["normal"]
            )
            await copies.wait(lambda: len(arrivals.at) == FLAGS, 10.0)
            stop.set()
            await watcher
            end = copies.covered_at
            if end is None:
                figures.problems.append(f"only {copies.covered} of {setup.members} had the notice")
            else:
                figures.notice_wall_s = end - pressed
            figures.notice_lost, _dups = copies.tally()
            # Every method Telegram counts against its 30/s (the pacer's list).
            counted = [c for c in server.calls[first_call:] if c.ok and c.method in COUNTED]
            # Up to the last notice copy: what the pipe carried while the notice went out.
            last = next((i for i in range(len(counted) - 1, -1, -1)
                         if marker in str(counted[i].params.get("text") or "")), -1)  # fmt: skip
            figures.sent_during = last + 1
            figures.sent_methods = Counter(c.method for c in counted[: last + 1])
            figures.any_429 = server.count_429
            figures.where_429 = [
                f"{c.method} to {_whom(c.params.get('chat_id'))}"
                for c in server.calls
                if c.status == 429
            ]
            for chat, at in raised.items():
                if chat in arrivals.at:
                    figures.flag_s.append(arrivals.at[chat] - at)
                else:
                    figures.problems.append(f"flag for {chat} never arrived")
            await bot.stop()
            events = slots.load(probe)
            if events is not None and end is not None:
                figures.slots = slots.where(events, pressed, end)
        finally:
            await bot.kill()
        if server.violations:
            figures.problems.append(f"{len(server.violations)} spec violations")


def _whom(chat: object) -> str:
    if not isinstance(chat, int):
        return "?"
    if chat >= TARGET:
        return "a target"
    if chat >= RAISER:
        return "a raiser"
    return "the coordinator" if chat == bc.COORDINATOR_ID else "a member"


# -- 2. a chat behind another's queue -------------------------------------------------------


async def second_chat(workdir: Path, figures: Figures) -> None:
    db = await Database.open(str(workdir / "chats.db"))
    try:
        await db.migrate()
        store = Store(db)
        a = await make_member(store, CHAT_A, language="en")
        b = await make_member(store, CHAT_B, language="en")
        async with FakeBotApi(limits=Limits()) as server:
            for uid in (CHAT_A, CHAT_B):
                server.user(uid, first_name=str(uid)).mark_started()
            async with Bot(server.token, base_url=server.base_url) as bot:
                sender = Sender(bot, store, time_now)
                store.on_outbox = sender.wake
                await sender.start()
                try:
                    async with store.transaction() as tx:
                        for n in range(QUEUED_FOR_A):
                            await tx.outbox.enqueue(_note(a.id, CHAT_A, f"a{n}"), time_now())
                    loop = asyncio.get_running_loop()
                    for trial in range(B_TRIALS):
                        key = f"b{trial}"
                        before = len(server.calls)
                        async with store.transaction() as tx:
                            await tx.outbox.enqueue(_note(b.id, CHAT_B, key), time_now())
                        queued = loop.time()
                        await server.wait_until(partial(_arrived, server, key, before), 10.0)
                        figures.chat_b_s.append(loop.time() - queued)
                        await asyncio.sleep(max(0.0, queued + 1.0 - loop.time()))
                finally:
                    await sender.stop(grace_s=2.0)
    finally:
        await db.close()


def _arrived(server: FakeBotApi, key: str, since: int) -> bool:
    return any(
        c.method == "sendMessage" and c.ok and f"Message {key}" == c.params.get("text")
        for c in server.calls[since:]
    )


def time_now() -> datetime:
    return datetime.now(UTC)


def _note(member_id: int, chat_id: int, key: str) -> Notification:
    return Notification(
        dedup_key=f"lanes:{key}", member_id=member_id, chat_id=chat_id,
        text=f"Message {key}", priority=Priority.NORMAL,
    )  # fmt: skip


# -- 3. the reminder scan -------------------------------------------------------------------


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


# -- the report -----------------------------------------------------------------------------


def aims(f: Figures) -> list[tuple[str, str, str, bool]]:
    """(what, figure, aim, met) for each aim."""
    rows: list[tuple[str, str, str, bool]] = []
    p95 = _percentile(f.flag_s, 0.95) if len(f.flag_s) == FLAGS else None
    rows.append((
        f"urgent flag, Raise -> target's copy, p95 of {FLAGS}",
        "-" if p95 is None else f"{p95:.2f} s", f"< {URGENT_AIM_S:.0f} s",
        p95 is not None and p95 < URGENT_AIM_S,
    ))  # fmt: skip
    pipe = f.pipe
    rows.append((
        "the sender during the notice, of Telegram's 30/s",
        "-" if pipe is None else f"{100 * pipe:.1f}%", f">= {PIPE_AIM:.0%}",
        pipe is not None and pipe >= PIPE_AIM,
    ))  # fmt: skip
    rows.append((
        "notice copies lost", "-" if f.notice_lost is None else str(f.notice_lost), "0",
        f.notice_lost == 0,
    ))  # fmt: skip
    worst_b = max(f.chat_b_s, default=None)
    rows.append((
        f"chat B behind {QUEUED_FOR_A} for chat A, worst of {B_TRIALS}",
        "-" if worst_b is None else f"{worst_b:.2f} s", f"< {B_AIM_S} s",
        worst_b is not None and len(f.chat_b_s) == B_TRIALS and worst_b < B_AIM_S,
    ))  # fmt: skip
    held = max(f.scan_hold_ms, default=None)
    rows.append((
        "scan: write lock held per scan, worst",
        "-" if held is None else f"{held:.1f} ms", f"< {scan_bench.LOCK_AIM_MS:.0f} ms",
        held is not None and held < scan_bench.LOCK_AIM_MS,
    ))  # fmt: skip
    rows.append((
        "scan: longest single hold of the write lock",
        f"{f.scan_longest_ms:.1f} ms" if f.scan_hold_ms else "-",
        f"< {scan_bench.LOCK_AIM_MS:.0f} ms",
        bool(f.scan_hold_ms) and f.scan_longest_ms < scan_bench.LOCK_AIM_MS,
    ))  # fmt: skip
    ratio = f.scan_ratio
    rows.append((
        "scan: handlers' p95 during a scan / idle",
        "-" if ratio is None else f"{ratio:.2f}x", f"<= {scan_bench.SLOWDOWN_AIM:.0f}x",
        ratio is not None and ratio <= scan_bench.SLOWDOWN_AIM,
    ))  # fmt: skip
    return rows


def _old_pipe(f: Figures) -> str:
    old = sum(f.sent_methods[m] for m in OLD_COUNT)
    wall = f.notice_wall_s or float("nan")
    return f"{old} = {100 * old / wall / bc.TELEGRAM_PER_S:.1f}%"


def report(f: Figures) -> bool:
    rows = aims(f)
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'':<{width}}  {'figure':>9}  {'aim':>8}  met")
    for what, figure, aim, met in rows:
        print(f"{what:<{width}}  {figure:>9}  {aim:>8}  {'yes' if met else 'NO'}")
    print()
    if f.flag_s:
        ordered = ", ".join(f"{s:.2f}" for s in sorted(f.flag_s))
        print(f"urgent flags, s (sorted): {ordered}")
    if f.notice_wall_s is not None:
        print(
            f"notice: 1,000 copies in {f.notice_wall_s:.1f} s (minimum at 30/s"
            f" {bc.MEMBERS / bc.TELEGRAM_PER_S:.1f} s); {f.sent_during} messages sent meanwhile"
            f" ({', '.join(f'{m} {n}' for m, n in f.sent_methods.most_common())});"
            f" 429 answers: {f.any_429}" + (f" ({', '.join(f.where_429)})" if f.where_429 else "")
        )
        print(f"notice: counting sendMessage and edits only (as until 2026-11-29): {_old_pipe(f)}")
    for line in f.slots:
        print(f"sender: {line}")
    if f.chat_b_s:
        print("chat B, s: " + ", ".join(f"{s:.3f}" for s in f.chat_b_s))
    if f.scan_hold_ms:
        heavy = sorted(f.scan_hold_ms, reverse=True)[:5]
        print(
            f"scan: {len(f.scan_hold_ms)} scans; lock held per scan, heaviest five:"
            f" {', '.join(f'{h:.1f}' for h in heavy)} ms"
        )
        print("scan: longest holds: " + "; ".join(f.scan_heaviest))
    print("load: " + "; ".join(f.load))
    for problem in f.problems:
        print(f"PROBLEM: {problem}")
    return all(r[3] for r in rows) and not f.problems


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
