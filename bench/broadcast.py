"""Broadcast under Telegram's limits: one coordinator's notice to 1,000 members.

The fake Bot API server (bot/sandbox/botapi, Telegram-like flood limits on) runs in this process;
the bot runs as `python -m bot run` in a subprocess, so it can really be SIGKILLed. The
coordinator composes the notice through the real flow (/notice, the text, "Everyone in my
groups", "Send to 1000"), and the run is timed from that last press until every recipient
has a copy: a message whose text holds the notice's marker.

Two runs, each on a fresh database and a fresh fake server:

- normal: nothing goes wrong;
- crash: once `--crash-at` recipients have their copy the bot is SIGKILLed, the outbox rows
  still 'sending' are counted (the messages in flight), and the bot is started again on the
  same database.

Aims: at least 90% of the limit's throughput (minimum time members / 30 per second), no
429 storm (more than STORM_429 answers in a run), nothing lost, no duplicates without a
crash, and no more duplicates after a crash than messages were in flight.

Run with `python -m bench.broadcast` (see --help); it ends within about four minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.broadcast_db import (
    COORDINATOR_ID,
    expert_ids,
    notices_left,
    outbox_states,
    seed,
    sending_now,
)
from bench.broadcast_process import (
    REPO,
    STOP_TIMEOUT_S,
    BenchError,
    BotProcess,
    kill_leftovers,
    snapshot_code,
)
from bench.broadcast_report import TELEGRAM_PER_S, RunResult, report
from bench.broadcast_watch import CallWatcher, Copies, tally_from_chats
from bot.sandbox.botapi import FakeBotApi, FakeUser, Limits

# bench.lanes drives its own runs with these, through this module.
__all__ = [
    "COORDINATOR_ID",
    "DELIVERY_TIMEOUT_S",
    "MEMBERS",
    "TELEGRAM_PER_S",
    "THINK_S",
    "BenchError",
    "BotProcess",
    "CallWatcher",
    "Copies",
    "Setup",
    "compose_and_press",
    "expert_ids",
    "kill_leftovers",
    "seed",
    "snapshot_code",
]

MEMBERS = 1000
CRASH_AT = 400

BENCH_TIMEOUT_S = 235.0  # everything, a last resort: the per-step limits come first
STEP_TIMEOUT_S = 15.0  # each answer of the coordinator's flow
DELIVERY_TIMEOUT_S = {"normal": 75.0, "crash": 90.0}  # whoever has nothing by then is lost
DRAIN_TIMEOUT_S = 10.0  # after the last first copy, until the outbox has nothing left
LATE_S = 2.0  # and then a little longer, for late duplicates
THINK_S = 1.0  # the coordinator reads each answer before tapping on
DB_POLL_S = 0.25


# -- one run ------------------------------------------------------------------------------


async def compose_and_press(
    server: FakeBotApi, coord: FakeUser, text: str, count: int, think: float
) -> float:
    """The coordinator's flow up to "Send to N"; returns the loop time of that press."""
    await coord.send("/notice")
    await coord.wait_for_message(lambda m: "Write the notice" in m.entities_text, STEP_TIMEOUT_S)
    await asyncio.sleep(think)
    await coord.send(text)
    chooser = await coord.wait_for_message(
        lambda m: "Who should get it?" in m.entities_text, STEP_TIMEOUT_S
    )
    await asyncio.sleep(think)
    await coord.press(chooser, "Everyone in my groups")
    button = f"Send to {count}"
    try:
        await server.wait_until(
            lambda: button in coord.message(chooser).button_texts(), STEP_TIMEOUT_S
        )
    except AssertionError as exc:
        raise BenchError(f"no {button!r} button in the preview:\n{coord.dump()}") from exc
    await asyncio.sleep(think)
    pressed = asyncio.get_running_loop().time()
    await coord.press(coord.message(chooser), button)
    return pressed


async def drain(copies: Copies, db_path: Path) -> None:
    """Wait until the outbox has no notice copy left to send, then a little for stragglers."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DRAIN_TIMEOUT_S
    while loop.time() < deadline:
        try:
            if await asyncio.to_thread(notices_left, db_path) == 0:
                break
        except sqlite3.Error:
            pass  # busy for a moment: ask again
        await copies.wait(lambda: False, DB_POLL_S)
    await copies.wait(lambda: False, LATE_S)


@dataclass(frozen=True)
class Setup:
    template: Path  # the seeded database, copied for each run
    workdir: Path
    code: Path  # the bot's packages, as snapshot_code took them
    members: int
    think: float


async def run_once(setup: Setup, name: str, crash_at: int | None) -> RunResult:
    members, code = setup.members, setup.code
    result = RunResult(name, members)
    rundir = setup.workdir / name
    rundir.mkdir()
    db_path = rundir / "bot.db"
    shutil.copyfile(setup.template, db_path)
    marker = f"BENCH-{uuid.uuid4().hex[:12]}"
    text = f"Broadcast benchmark {marker}: the water is off tomorrow 07-09."
    processes: list[BotProcess] = []
    async with FakeBotApi(limits=Limits()) as server:
        try:
            users = []
            for uid in expert_ids(members):
                user = server.user(uid, first_name=f"M{uid}", language_code="en")
                user.mark_started()
                users.append(user)
            coord = server.user(COORDINATOR_ID, first_name="Coord", language_code="en")

            first = BotProcess(server, db_path, rundir, "bot-1", code)
            processes.append(first)
            since = len(server.calls)
            await first.start()
            ready = await first.wait_ready(since)
            assert first.spawned_at is not None
            result.startup_s.append((first.name, ready - first.spawned_at))

            pressed = await compose_and_press(server, coord, text, members, setup.think)
            copies = Copies(server, marker, list(expert_ids(members)))
            everyone = lambda: copies.covered == members  # noqa: E731
            timeout = DELIVERY_TIMEOUT_S[name]
            if crash_at is not None:
                loop = asyncio.get_running_loop()
                if not await copies.wait(lambda: copies.covered >= crash_at, timeout):
                    raise BenchError(f"only {copies.covered} copies before the crash point")
                await first.kill()
                killed = loop.time()
                result.copies_at_crash = copies.covered
                total, detail = await asyncio.to_thread(sending_now, db_path)
                result.in_flight_at_crash, result.in_flight_detail = total, detail
                second = BotProcess(server, db_path, rundir, "bot-2", code)
                processes.append(second)
                copies.update()
                since = len(server.calls)
                resumed_from = len(copies.seen_at)
                await second.start()
                ready = await second.wait_ready(since, copies.update)
                assert second.spawned_at is not None
                result.startup_s.append((second.name, ready - second.spawned_at))
                result.kill_to_ready_s = ready - killed
                remaining = timeout - (loop.time() - pressed)
                await copies.wait(lambda: len(copies.seen_at) > resumed_from, remaining)
                if len(copies.seen_at) > resumed_from:
                    resumed = copies.seen_at[resumed_from]
                    result.kill_to_resume_s = resumed - killed
                    assert second.spawned_at is not None
                    result.spawn_to_resume_s = resumed - second.spawned_at
                remaining = timeout - (loop.time() - pressed)
                await copies.wait(everyone, max(remaining, 0.0))
            else:
                await copies.wait(everyone, timeout)
            if copies.covered_at is not None:
                result.wall_s = copies.covered_at - pressed
            else:
                result.problems.append(
                    f"only {copies.covered} of {members} had a copy after {timeout:.0f}s"
                )
            if copies.first_at is not None:
                result.first_copy_s = copies.first_at - pressed
            await drain(copies, db_path)
            result.send_ok, result.send_429 = copies.send_ok, copies.send_429
            result.send_errors = copies.send_errors
            result.any_429 = server.count_429
            result.requests = Counter(call.method for call in server.calls)
            result.status_edits = [(seen - pressed, text) for seen, text in copies.status_edits]
            times = copies.seen_at
            if len(times) > 1 and times[-1] > times[0]:
                result.send_rate = (len(times) - 1) / (times[-1] - times[0])
            for call in server.calls:
                if call.status == 429:
                    chat = call.params.get("chat_id")
                    whom = "coordinator" if chat == COORDINATOR_ID else "member"
                    result.where_429[f"{call.method} to {whom}"] += 1
            result.lost, result.duplicates = copies.tally()
            result.copies_by_history = tally_from_chats(users, marker)
            result.violations = len(server.violations)
            result.outbox_after = await asyncio.to_thread(outbox_states, db_path)
            for process in processes:
                if process.alive and not await process.stop():
                    result.problems.append(f"{process.name} ignored SIGTERM for {STOP_TIMEOUT_S}s")
                elif process.proc is not None and process.proc.returncode not in (0, -9):
                    result.problems.append(f"{process.name} exited with {process.proc.returncode}")
        finally:
            for process in processes:
                await process.kill()
        for process in processes:
            result.stderr.append((process.name, process.lines()))
        if crash_at is not None:
            requeued = [line for _, lines in result.stderr for line in lines if "requeued" in line]
            result.requeued_logged = len(requeued)
    return result


# -- main ---------------------------------------------------------------------------------


async def bench(args: argparse.Namespace) -> int:
    results: list[RunResult] = []
    with tempfile.TemporaryDirectory(prefix="samverkan-broadcast-") as tmp:
        workdir = Path(tmp)
        try:
            async with asyncio.timeout(BENCH_TIMEOUT_S):
                code = REPO if args.live_code else workdir / "code"
                if not args.live_code:
                    await asyncio.to_thread(snapshot_code, code)
                template = workdir / "template.db"
                started = time.monotonic()
                await seed(template, args.members, mark_menus=not args.unsynced_menus)
                print(f"seeded {args.members} members in {time.monotonic() - started:.1f}s")
                setup = Setup(template, workdir, code, args.members, args.think)
                for name, crash in (("normal", None), ("crash", args.crash_at)):
                    print(f"{name} run ...", flush=True)
                    results.append(await run_once(setup, name, crash))
        except TimeoutError:
            print(f"bench: gave up after {BENCH_TIMEOUT_S:.0f}s", file=sys.stderr)
            report(results)
            return 1
        except BenchError as exc:
            print(f"bench: {exc}", file=sys.stderr)
            report(results)
            return 1
    return 0 if report(results) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.broadcast", description=__doc__)
    parser.add_argument("--members", type=int, default=MEMBERS, help="recipients (%(default)s)")
    parser.add_argument(
        "--crash-at", type=int, default=CRASH_AT, help="SIGKILL after this many copies"
    )
    parser.add_argument(
        "--unsynced-menus",
        action="store_true",
        help="leave the members' menus unset, so the bot sets them all at start",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=THINK_S,
        help="seconds the coordinator waits before each tap (%(default)s)",
    )
    parser.add_argument(
        "--live-code",
        action="store_true",
        help="run the working tree's code rather than a copy taken at the start",
    )
    args = parser.parse_args(argv)
    if not 0 < args.crash_at < args.members:
        parser.error("--crash-at must be between 0 and --members")
    try:
        return asyncio.run(bench(args))
    finally:
        kill_leftovers()


if __name__ == "__main__":
    sys.exit(main())
