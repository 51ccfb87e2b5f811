"""Where the pacer's slots went in a window, from what `bench/sender_probe.py` recorded.

The pacer gives a slot every 1/29 s. A send that comes less than one slot late keeps its
slot; one later than that restarts the count from its own moment, so the time it was late
is lost (no second may ever hold more than Telegram allows). Each lost stretch is put down
to what the late send's turn was doing: the first send of a round (the `due` read and its
claim), a place among the requests in flight, its claim's transaction, an edit's lookup,
a 429 pause, or else the event loop itself.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from bot.domain.pacing import Limits

INTERVAL_S = 1.0 / Limits().global_per_s


def load(path: Path) -> dict[str, list[Any]] | None:
    """The probe's events, or None when the bot wrote none (it did not stop cleanly)."""
    if not path.exists():
        return None
    data: dict[str, list[Any]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _cause(take: list[Any], paused: list[tuple[float, float]]) -> str:
    at, late, first, _round, acquire_s, claim_s, edit_s = take
    if any(start <= at - late < end + INTERVAL_S for start, end in paused):
        return "a 429 pause"
    if first:
        return "round start (due read, claim)"
    if acquire_s >= late / 2:
        return "waiting for a place in flight"
    if claim_s >= late / 2:
        return "the claim's transaction"
    if edit_s >= late / 2:
        return "an edit's lookup"
    return "other (event loop)"


def _ms(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"p50 {1000 * statistics.median(ordered):.1f}, p95 {1000 * p95:.1f},"
        f" max {1000 * ordered[-1]:.1f} ms"
    )


def where(events: dict[str, list[Any]], start: float, end: float) -> list[str]:
    """Lines saying where the slots of [start, end] went."""
    inside = [t for t in events["takes"] if start <= t[0] <= end]
    answers = [r for r in events["reserves"] if start <= r[1] <= end]
    paused = [(p[0], p[0] + p[1]) for p in events["pauses"] if p[2]]
    capacity = (end - start) / INTERVAL_S
    lost: Counter[str] = Counter()
    late_sends: Counter[str] = Counter()
    for take in inside:
        if take[1] >= INTERVAL_S:
            cause = _cause(take, paused)
            lost[cause] += take[1] / INTERVAL_S
            late_sends[cause] += 1
    first_send = min((t[0] for t in inside), default=end)
    rounds = [r for r in events["rounds"] if start <= r[1] <= end]
    wakeups = [w for w in events["wakeups"] if start <= w <= end]
    commits = [c[1] for c in events["commits"] if start <= c[0] <= end]
    lines = [
        f"slots of the pacer in {end - start:.1f} s: {capacity:.0f}; sender's sends"
        f" {len(inside)}, direct answers {len(answers)}, unused"
        f" {capacity - len(inside) - len(answers):.0f}",
        f"  before the first send (the press handled, the copies queued):"
        f" {(first_send - start) / INTERVAL_S:.1f} slots ({1000 * (first_send - start):.0f} ms)",
    ]
    for cause, slots in lost.most_common():
        lines.append(f"  lost by sends > 1 slot late, {cause}: {slots:.1f} slots"
                     f" ({late_sends[cause]} sends)")  # fmt: skip
    ended_early = sum(1 for r in rounds if r[6])
    lines += [
        f"rounds {len(rounds)} (ended by a wake-up: {ended_early}); sends per round"
        f" {statistics.mean(r[5] for r in rounds) if rounds else 0:.1f}; wake-ups {len(wakeups)}",
        f"  due read: {_ms([r[3] for r in rounds])}",
        f"  round start -> its first send: {_ms(_first_sends(inside, rounds))}",
        f"  commits {len(commits)}: {_ms(commits)}",
        f"  claims: {_ms([t[5] for t in inside])}; waits for a place in flight:"
        f" {_ms([t[4] for t in inside])}",
    ]
    return lines + _writer(events, start, end)


def _writer(events: dict[str, list[Any]], start: float, end: float) -> list[str]:
    """Who held the writer, and what the sender's transactions waited for it."""
    writes = [w for w in events.get("writes", []) if start <= w[0] <= end]
    held: dict[str, list[float]] = {}
    waited: dict[str, list[float]] = {}
    for asked, began, ended, who in writes:
        held.setdefault(who, []).append(ended - began)
        waited.setdefault(who, []).append(began - asked)
    busy = sum(w[2] - w[1] for w in writes) / max(end - start, 1e-9)
    lines = [f"writer: {len(writes)} transactions, busy {busy:.0%} of the time"]
    first = min(writes, default=None)
    if first is not None:
        lines.append(f"  the first, {first[3]}: asked {1000 * (first[0] - start):.0f} ms after"
                     f" the start, held {1000 * (first[2] - first[1]):.0f} ms")  # fmt: skip
    for who, spans in sorted(held.items(), key=lambda kv: -sum(kv[1])):
        lines.append(f"  {who}: {len(spans)}, held {_ms(spans)}; waited {_ms(waited[who])}")
    return lines


def _first_sends(takes: list[list[Any]], rounds: list[list[Any]]) -> list[float]:
    starts = {r[0]: r[1] for r in rounds}
    return [t[0] - starts[t[3]] for t in takes if t[2] and t[3] in starts]
