"""What one broadcast run measured, and the report: the table, the aims, the details."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

TELEGRAM_PER_S = 30.0
AIM_THROUGHPUT = 0.9
STORM_429 = 3  # more 429 answers than this in one run is a storm


@dataclass
class RunResult:
    name: str
    members: int
    wall_s: float | None = None  # press of "Send to N" until everyone has a copy
    first_copy_s: float | None = None  # press until the first copy
    send_ok: int = 0  # sendMessage answered 200 carrying the notice
    send_429: int = 0  # sendMessage answered 429, for any chat
    any_429: int = 0  # 429 answers to any method
    send_errors: Counter[str] = field(default_factory=Counter)  # other failed sendMessage
    where_429: Counter[str] = field(default_factory=Counter)  # "method to whom" of each 429
    send_rate: float | None = None  # copies per second, first copy to last
    requests: Counter[str] = field(default_factory=Counter)  # every call, by method
    status_edits: list[tuple[float, str]] = field(default_factory=list)  # since the press
    lost: int = 0
    duplicates: int = 0
    copies_by_history: tuple[int, int] | None = None  # (lost, duplicates) from the chats
    violations: int = 0
    outbox_after: dict[str, int] = field(default_factory=dict)
    in_flight_at_crash: int | None = None
    in_flight_detail: dict[str, int] = field(default_factory=dict)
    copies_at_crash: int | None = None
    startup_s: list[tuple[str, float]] = field(default_factory=list)  # spawn until polling
    kill_to_ready_s: float | None = None  # SIGKILL until the new bot polls
    kill_to_resume_s: float | None = None  # SIGKILL until the new bot's first notice copy
    spawn_to_resume_s: float | None = None
    requeued_logged: int | None = None
    stderr: list[tuple[str, list[str]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def minimum_s(self) -> float:
        return self.members / TELEGRAM_PER_S

    @property
    def throughput(self) -> float | None:
        return None if not self.wall_s else self.minimum_s / self.wall_s


def _fmt(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def table(results: Sequence[RunResult]) -> str:
    head = (
        f"{'run':<7} {'wall s':>7} {'min s':>6} {'thru %':>6} {'1st s':>6} {'sent':>5}"
        f" {'429s':>5} {'lost':>5} {'dups':>5} {'in flight':>9} {'resume s':>8}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        thru = None if r.throughput is None else 100 * r.throughput
        in_flight = "-" if r.in_flight_at_crash is None else str(r.in_flight_at_crash)
        lines.append(
            f"{r.name:<7} {_fmt(r.wall_s):>7} {r.minimum_s:>6.1f} {_fmt(thru):>6}"
            f" {_fmt(r.first_copy_s, '.2f'):>6} {r.send_ok:>5} {r.any_429:>5} {r.lost:>5}"
            f" {r.duplicates:>5} {in_flight:>9} {_fmt(r.kill_to_resume_s, '.2f'):>8}"
        )
    return "\n".join(lines)


def aims(normal: RunResult | None, crash: RunResult | None) -> list[tuple[str, str, bool]]:
    rows: list[tuple[str, str, bool]] = []
    if normal is not None:
        thru = normal.throughput
        rows.append(
            (
                f"throughput >= {AIM_THROUGHPUT:.0%} of the limit (normal run)",
                _fmt(None if thru is None else 100 * thru) + "%",
                thru is not None and thru >= AIM_THROUGHPUT,
            )
        )
    runs = [r for r in (normal, crash) if r is not None]
    rows.append(
        (
            f"no 429 storm (<= {STORM_429} per run)",
            " / ".join(str(r.any_429) for r in runs),
            all(r.any_429 <= STORM_429 for r in runs),
        )
    )
    rows.append(
        ("nothing lost", " / ".join(str(r.lost) for r in runs), all(r.lost == 0 for r in runs))
    )
    if normal is not None:
        rows.append(
            ("no duplicates without a crash", str(normal.duplicates), not normal.duplicates)
        )
    if crash is not None and crash.in_flight_at_crash is not None:
        rows.append(
            (
                "duplicates after the crash <= in flight",
                f"{crash.duplicates} <= {crash.in_flight_at_crash}",
                crash.duplicates <= crash.in_flight_at_crash,
            )
        )
    return rows


def details(r: RunResult) -> Iterator[str]:
    yield f"[{r.name}]"
    if r.copies_by_history is not None:
        lost, dups = r.copies_by_history
        agree = "agrees" if (lost, dups) == (r.lost, r.duplicates) else "DISAGREES"
        yield f"  members' chats: lost {lost}, duplicates {dups} ({agree} with the calls)"
    yield f"  sendMessage 429s: {r.send_429}, 429s to any method: {r.any_429}" + (
        " (" + ", ".join(f"{n}x {k}" for k, n in r.where_429.most_common()) + ")"
        if r.where_429
        else ""
    )
    if r.send_errors:
        yield "  other failed sendMessage: " + ", ".join(
            f"{n}x {what}" for what, n in r.send_errors.most_common()
        )
    yield f"  spec violations: {r.violations}"
    if r.send_rate is not None:
        yield f"  copies per second, first to last: {r.send_rate:.2f} (Telegram's limit 30)"
    yield "  requests: " + ", ".join(f"{m}={n}" for m, n in r.requests.most_common())
    if r.status_edits:
        yield "  the coordinator's status message, edited at (s after the press):"
        for seconds, text in r.status_edits:
            lines = [line for line in text.splitlines() if line.strip()]
            yield f"    {seconds:6.2f}  {' | '.join(lines)[:110]}"
    yield "  outbox at the end: " + ", ".join(f"{k}={n}" for k, n in r.outbox_after.items())
    if r.in_flight_at_crash is not None:
        split = ", ".join(f"{k}={n}" for k, n in r.in_flight_detail.items()) or "none"
        yield (
            f"  crash after {r.copies_at_crash} copies: {r.in_flight_at_crash} rows 'sending'"
            f" ({split}); requeued warnings logged: {r.requeued_logged}"
        )
        yield (
            f"  restart: SIGKILL -> polling {_fmt(r.kill_to_ready_s, '.2f')} s,"
            f" -> first copy {_fmt(r.kill_to_resume_s, '.2f')} s"
            f" (spawn -> first copy {_fmt(r.spawn_to_resume_s, '.2f')} s)"
        )
    if r.startup_s:
        yield "  start-up (spawn -> polling): " + ", ".join(
            f"{name} {seconds:.2f} s" for name, seconds in r.startup_s
        )
    for name, lines in r.stderr:
        yield f"  {name} output: {len(lines)} line(s)"
        seen: Counter[str] = Counter()
        for line in lines:
            # Drop the timestamp so repeats of one message count together.
            key = line.split(" ", 2)[-1] if line[:4].isdigit() else line
            seen[key] += 1
        for line, n in list(seen.items())[:12]:
            yield f"    {n:>4}x {line[:150]}"
    for problem in r.problems:
        yield f"  PROBLEM: {problem}"


def report(results: Sequence[RunResult]) -> bool:
    normal = next((r for r in results if r.name == "normal"), None)
    crash = next((r for r in results if r.name == "crash"), None)
    print()
    if not results:
        print("no run finished")
        return False
    print(table(results))
    print()
    checks = aims(normal, crash)
    width = max(len(label) for label, _, _ in checks)
    print("aims")
    for label, value, ok in checks:
        print(f"  {label:<{width}}  {value:>12}  {'met' if ok else 'NOT MET'}")
    print()
    for r in results:
        for line in details(r):
            print(line)
    return all(ok for _, _, ok in checks)
