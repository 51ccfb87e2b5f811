"""bench.lanes, part 1: urgent flags raised through the real flow while a notice to 1,000
goes out, timed from the press of Raise to the target's copy, beside the sender's pipe."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench import broadcast as bc
from bench import slots
from bench.lanes_report import FLAGS, Figures
from bot.domain.models import Role
from bot.sandbox.botapi import Call, FakeBotApi, FakeUser, Limits
from bot.services import presence as presence_service
from bot.telegram_request import COUNTED
from storage.db import Database
from storage.store import Store
from tests.factories import make_group, make_member
from tests.flagkit import pick, picked

FLAG_AFTER_S = 10.0  # into the notice
FLAG_EVERY_S = 1.0
RAISER = 710_001  # + k
TARGET = 720_001  # + k
STEP_S = 15.0
PROBE = "sender_probe.py"  # run beside the bot's packages: where the sender's slots go


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
