"""Urgent flags: time from "Raise" to the first copy with someone who can act on it.

The production Application (bot/app.py, built and started as the e2e tests do) polls the fake
Bot API server (bot/sandbox/botapi, Telegram's flood limits on) in this process. For each case
a fresh database and server; each raiser's urgent draft (urgent path: agency, text) is made
through the services, and the raiser presses the real "Raise" button. The time runs from that
press until the fake server has accepted the sendMessage of the flag's card to someone the
flag's ladder chose (never the raiser):

- on-duty: the target agency has someone checked in (the first rung);
- off-duty: the agency has members in the group, none checked in (the second rung, at once);
- nobody: the agency has nobody in the group, only next door (the coordinators, at once).

Aim: p95 < 2 s in every case. Run with `python -m bench.flags [--flags 20]`; about a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.domain.callbacks import DraftRaise
from bot.domain.flags import DraftStep
from bot.domain.models import Role
from bot.sandbox.botapi import FakeBotApi, FakeUser, Limits
from bot.services import flag_drafts, ladders, presence
from bot.services.flag_drafts import DraftAt
from handlers.context import BotApplication
from tests.e2e.conftest import start_bot, stop_bot
from tests.factories import FakeClock, make_group, make_member

AIM_P95_S = 2.0
CASES = {"on-duty": "TULL", "off-duty": "FK", "nobody": "KBV"}
OFFICE = (59.388, 17.928)
COORDINATOR, TULL, FK, KBV, FIRST_RAISER = 900_000, 900_001, 900_002, 900_003, 910_000
GAP_S = 1.1  # between flags: each recipient's chat takes about one message a second
WAIT_S = 15.0


@dataclass
class Case:
    name: str
    seconds: list[float]

    def quantile(self, q: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _scene(app: BotApplication, server: FakeBotApi, raisers: int) -> dict[int, FakeUser]:
    store, now = app.bot_data.store, app.bot_data.clock()
    group = await make_group(store, "Rinkeby")
    await make_member(store, COORDINATOR, role=Role.COORDINATOR, agency=None, group=group)
    tove = await make_member(store, TULL, agency="TULL", group=group)
    await make_member(store, FK, agency="FK", group=group)
    await presence.check_in(store, tove, lat=OFFICE[0], lon=OFFICE[1], accuracy_m=10, now=now)
    # KBV is in the neighbouring Tensta only, so it can be flagged from Rinkeby (its ladder
    # then goes to Rinkeby's coordinator at once, and next door a deadline later).
    tensta = await make_group(store, "Tensta", lat=59.39, lon=17.9)
    await make_member(store, KBV, agency="KBV", group=tensta)
    await ladders.set_ladder(store, group, None, [tensta], now)
    users = {}
    for uid in range(FIRST_RAISER, FIRST_RAISER + raisers):
        await make_member(store, uid, agency="POL", group=group)
        users[uid] = server.user(uid, first_name="P")
        await users[uid].send("/help")
    for uid in (COORDINATOR, TULL, FK):  # each has opened a chat with the bot
        users[uid] = server.user(uid, first_name="R")
        await users[uid].send("/help")
    for user in users.values():
        await server.wait_until(lambda u=user: bool(u.messages), timeout=WAIT_S)
    return users


async def _draft(app: BotApplication, uid: int, agency: str) -> DraftRaise:
    store, now = app.bot_data.store, app.bot_data.clock()
    async with store.read() as tx:
        member = await tx.members.by_telegram_id(uid)
    assert member is not None
    draft = await flag_drafts.start(store, member, now)
    draft = await flag_drafts.urgent(store, member, now, DraftAt(draft.id, draft.step))
    draft = await flag_drafts.toggle_target(
        store, member, agency, now, DraftAt(draft.id, draft.step)
    )
    draft = await flag_drafts.describe(store, member, "Bänk: brådskande", now)
    assert draft.step is DraftStep.SUMMARY
    return DraftRaise(draft.id, draft.step, draft.revision)


async def run_case(name: str, flags: int) -> Case:
    agency = CASES[name]
    receiver = {"on-duty": TULL, "off-duty": FK, "nobody": COORDINATOR}[name]
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeBotApi(limits=Limits()) as server:
            app = await start_bot(server, Path(tmp) / "bench.db", FakeClock())
            try:
                users = await _scene(app, server, flags)
                await asyncio.sleep(GAP_S)  # the recipients' chats were just answered
                seconds = []
                for i, uid in enumerate(range(FIRST_RAISER, FIRST_RAISER + flags), start=1):
                    raise_it = await _draft(app, uid, agency)
                    raiser, target = users[uid], users[receiver]

                    def arrived(n: int = i, who: FakeUser = target) -> bool:
                        return any(f" #{n} · " in m.entities_text for m in who.messages)

                    start = time.perf_counter()
                    await raiser.press_data(raiser.last, raise_it.pack())
                    await server.wait_until(arrived, timeout=WAIT_S)
                    seconds.append(time.perf_counter() - start)
                    await asyncio.sleep(GAP_S)
                if server.violations:
                    raise SystemExit(f"requests against the Bot API spec: {server.violations[:3]}")
            finally:
                await stop_bot(app)
    return Case(name, seconds)


def report(cases: Sequence[Case]) -> bool:
    """Print the table and the aim; True when every case meets it."""
    head = f"{'case':<10} {'flags':>5} {'p50 s':>7} {'p95 s':>7} {'max s':>7}"
    print(f"{head}  aim p95 < {AIM_P95_S} s")
    met = True
    for case in cases:
        p95 = case.quantile(0.95)
        ok = p95 < AIM_P95_S
        met &= ok
        print(
            f"{case.name:<10} {len(case.seconds):>5} {statistics.median(case.seconds):>7.3f}"
            f" {p95:>7.3f} {max(case.seconds):>7.3f}  {'met' if ok else 'NOT met'}"
        )
    return met


async def bench(flags: int) -> int:
    cases = [await run_case(name, flags) for name in CASES]
    return 0 if report(cases) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.flags", description=__doc__)
    parser.add_argument("--flags", type=int, default=20, help="urgent flags per case")
    args = parser.parse_args(argv)
    return asyncio.run(bench(args.flags))


if __name__ == "__main__":
    sys.exit(main())
