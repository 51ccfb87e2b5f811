"""bench.lanes' sizes and aims, what a run measured, and the report of it against the aims."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bench import broadcast as bc
from bench.scale import _percentile
from bench.scan_report import LOCK_AIM_MS, SLOWDOWN_AIM

FLAGS = 20
URGENT_AIM_S = 2.0
PIPE_AIM = 0.93
QUEUED_FOR_A = 60
B_TRIALS = 10
B_AIM_S = 1.5
# What the pipe counted until 2026-11-29, leaving out the flags' location pins.
OLD_COUNT = ("sendMessage", "editMessageText", "editMessageReplyMarkup")


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
        "-" if held is None else f"{held:.1f} ms", f"< {LOCK_AIM_MS:.0f} ms",
        held is not None and held < LOCK_AIM_MS,
    ))  # fmt: skip
    rows.append((
        "scan: longest single hold of the write lock",
        f"{f.scan_longest_ms:.1f} ms" if f.scan_hold_ms else "-",
        f"< {LOCK_AIM_MS:.0f} ms",
        bool(f.scan_hold_ms) and f.scan_longest_ms < LOCK_AIM_MS,
    ))  # fmt: skip
    ratio = f.scan_ratio
    rows.append((
        "scan: handlers' p95 during a scan / idle",
        "-" if ratio is None else f"{ratio:.2f}x", f"<= {SLOWDOWN_AIM:.0f}x",
        ratio is not None and ratio <= SLOWDOWN_AIM,
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
