"""Three `samverkan run` processes in webhook mode on one PostgreSQL database, behind a
round-robin balancer: every instance answers the people its posts reach, a notice to many
members arrives once each, and when the leader is killed (SIGKILL) mid-notice another takes
over within 10 s, loses nothing, and repeats at most what was in flight. A flag raised
through one instance is acknowledged through another, and the reminders, the digest and the
coverage alerts of a scan that all three run at once arrive once each."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot

from bot.domain.models import Role
from bot.domain.outbox import Notification, Priority
from bot.sandbox.botapi.webhook import WebhookPusher
from bot.services import members as members_service
from bot.services import reminders, roster, watch
from bot.services.invites import create_invite, redeem_invite
from storage.db import Database
from storage.store import Store
from tests.factories import START, make_member
from tests.fakebot import FakeBotApi, FakeUser, SentMessage
from tests.flagkit import to_description
from tests.pg import MANY_CONNECTIONS, scratch_database
from tests.processes import start_instances

pytestmark = MANY_CONNECTIONS

SECRET = "three-instances_secret"
MEMBERS = 1000  # the notice size: ~35 s at Telegram's 30/s
# The sender's requests in flight at once (bot/delivery.py): what a kill may repeat.
IN_FLIGHT = 8
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
async def database() -> AsyncIterator[str]:
    with scratch_database() as url:
        db = await Database.open(url)
        await db.migrate()
        await db.close()
        yield url


async def test_three_instances_share_the_work_and_survive_the_leaders_death(
    server: FakeBotApi, database: str
) -> None:
    db = await Database.open(database)
    store = Store(db)
    instances = await start_instances(server, database, SECRET, 3)
    urls = [f"http://127.0.0.1:{i.port}/" for i in instances]
    pusher = WebhookPusher(server.state, urls, in_flight=IN_FLIGHT)
    pusher.start()
    try:
        # The deploy step, as `samverkan webhook set` does it (tested on its own).
        async with server_bot(server) as bot:
            await bot.set_webhook("https://bot.example.org/telegram", secret_token=SECRET,
                                  allowed_updates=["message", "callback_query"])  # fmt: skip
        people = [await make_member(store, 7000 + n, language="en") for n in range(MEMBERS)]
        for person in people:
            server.user(person.telegram_user_id).mark_started()

        # Every instance answers what the balancer gives it, one person's taps in order:
        # sent all at once, posted several at a time, each next one after the last's 200.
        talkers = [server.user(p.telegram_user_id, first_name="T", language_code="en")
                   for p in people[:6]]  # fmt: skip
        taps = ("/me", "/help", "/me", "/help", "/me", "/me", "/help")
        for command in taps:
            for talker in talkers:
                await talker.send(command)
        for talker in talkers:
            await talker.wait_for_count(len(taps), timeout=20)
        assert {index for _, index in pusher.delivered} == {0, 1, 2}
        for talker in talkers:
            shown = [
                "/me" if "Telegram id" in m.entities_text else "/help" for m in talker.messages
            ]
            assert shown == list(taps), [m.entities_text[:40] for m in talker.messages]

        # Every instance hears of members whose menu is out of date; each menu is set once,
        # by whichever got to it first, and the strangers' menus once per language, not by
        # every instance that started.
        chats = {p.telegram_user_id for p in people}
        await server.wait_until(lambda: chats <= set(menus_set(server)), timeout=20)
        await server.wait_until(lambda: _menus_in_step(store), timeout=10)
        assert menus_set(server) == Counter({None: 2} | dict.fromkeys(chats, 1))

        (leader,) = [i for i in instances if i.leads]
        async with store.transaction() as tx:
            for person in people:
                await tx.outbox.enqueue(Notification(
                    dedup_key=f"notice:{person.id}", member_id=person.id,
                    chat_id=person.telegram_user_id, text=f"Notice to {person.id}",
                    priority=Priority.BULK,
                ), datetime.now().astimezone())  # fmt: skip

        def notices() -> list[int]:
            sent = [c for c in server.calls_to("sendMessage") if c.status == 200]
            return [int(c.params["chat_id"]) for c in sent if "Notice" in str(c.params["text"])]

        await server.wait_until(lambda: len(notices()) >= MEMBERS // 4, timeout=MEMBERS / 20)
        os.kill(leader.process.pid, signal.SIGKILL)
        killed, before = time.monotonic(), len(notices())
        await server.wait_until(lambda: len(notices()) > before + IN_FLIGHT, timeout=15)
        took_over = time.monotonic() - killed
        await server.wait_until(lambda: len(set(notices())) == MEMBERS, timeout=MEMBERS / 20 + 30)
        got = Counter(notices())
        assert set(got) == {p.telegram_user_id for p in people}  # nobody lost
        assert sum(got.values()) - MEMBERS <= IN_FLIGHT  # repeats: only what was in flight
        assert took_over < 10, f"took {took_over:.1f} s"
        assert sum(1 for i in instances if i.leads) == 2  # one other instance took over
        assert server.calls_to("setWebhook") and len(server.calls_to("setWebhook")) == 1
    finally:
        await pusher.stop()
        for instance in instances:
            await instance.stop()
        await db.close()


def menus_set(server: FakeBotApi) -> Counter[int | None]:
    """How often each chat's command menu was set (None: the default, for strangers)."""
    return Counter(
        (c.params.get("scope") or {}).get("chat_id")
        for c in server.calls_to("setMyCommands")
        if c.status == 200
    )


async def _menus_in_step(store: Store) -> bool:
    async with store.read() as tx:
        return not await tx.menus.out_of_step()


def server_bot(server: FakeBotApi) -> Bot:
    return Bot(server.token, base_url=server.base_url)


async def test_a_flag_crosses_instances_and_timed_messages_arrive_once(
    server: FakeBotApi, database: str
) -> None:
    db = await Database.open(database)
    store = Store(db)
    instances = await start_instances(server, database, SECRET, 3)
    pusher = WebhookPusher(server.state, [f"http://127.0.0.1:{i.port}/" for i in instances])
    pusher.start()
    try:
        async with server_bot(server) as bot:
            await bot.set_webhook("https://bot.example.org/telegram", secret_token=SECRET)
        morning, users = await _scene(store, server)
        coord, anna, tove, tim, bo = (users[u] for u in (800, 801, 811, 812, 802))

        # Raised through instance 0 (the wizard's other steps go round-robin), acknowledged
        # through instance 1: each copy of the card is edited once, on every instance's word.
        number = await _raise(server, pusher, anna)
        cards = [await _card(u, number) for u in (anna, tove, tim)]
        edits_before = len(server.calls_to("editMessageText"))
        pusher.pinned[tove.id] = 1
        await tove.press(cards[1], "👀 Acknowledge")
        await _taken_by(server, pusher, 1)
        for user, card in zip((anna, tove, tim), cards, strict=True):
            await server.wait_until(
                lambda u=user, c=card: "acknowledged by Tove" in u.message(c).entities_text
            )
        await server.wait_until(lambda: _drained(store), timeout=15)
        edited = Counter(
            (int(c.params["chat_id"]), int(c.params["message_id"]))
            for c in server.calls_to("editMessageText")[edits_before:]
            if c.status == 200
        )
        assert edited == Counter({(u.id, c.message_id): 1 for u, c in
                                  zip((anna, tove, tim), cards, strict=True)})  # fmt: skip

        # Time moved by hand: the morning's scans, run by all three at the same moment (as
        # when a leader that was thought dead still runs), and the sender delivers once.
        scanners = [Store(await Database.open(database)) for _ in range(3)]
        try:
            await asyncio.gather(*(reminders.run_due(s, morning) for s in scanners))
            later = morning + timedelta(minutes=90)  # Bo's shift began at 08:00: not here
            await asyncio.gather(*(watch.watch(s, later) for s in scanners))
        finally:
            for scanner in scanners:
                await scanner.db.close()
        expected = {(coord, "Morning digest"), (bo, "starts in 60 min"),
                    (coord, "has 0 of 1 present")}  # fmt: skip
        for user, text in expected:
            await user.wait_for_message(lambda m, x=text: x in m.entities_text, earlier=True)
        await server.wait_until(lambda: _drained(store), timeout=15)
        for user, text in expected:
            assert len([m for m in user.messages if text in m.entities_text]) == 1, text
    finally:
        await pusher.stop()
        for instance in instances:
            await instance.stop()
        await db.close()


PEOPLE = {  # telegram id: (name, agency, role)
    800: ("Coord", None, Role.COORDINATOR), 801: ("Anna", "POL", Role.EXPERT),
    802: ("Bo", "POL", Role.EXPERT), 811: ("Tove", "TULL", Role.EXPERT),
    812: ("Tim", "TULL", Role.EXPERT),
}  # fmt: skip


async def _scene(store: Store, server: FakeBotApi) -> tuple[datetime, dict[int, FakeUser]]:
    """Rinkeby with a coordinator, Anna and Bo (police), Tove and Tim (customs); all joined a
    day from now, so no digest is due for them until the chosen morning, on which Bo works
    08:00-16:00. The morning (07:00 Stockholm) is returned with the people."""
    joined = max(datetime.now(UTC), START) + timedelta(days=1)
    day = joined.astimezone(STOCKHOLM).date() + timedelta(days=1)
    morning = datetime.combine(day, clock_time(7, 0), STOCKHOLM)
    group = await members_service.add_group(
        store, name="Rinkeby", lat=59.388, lon=17.928, radius_m=400, min_per_agency=1,
        timezone="Europe/Stockholm", now=joined,
    )  # fmt: skip
    users = {}
    for uid, (name, agency, role) in PEOPLE.items():
        invite = await create_invite(store, role=role, agency_code=agency, group_id=group.id,
                                     uses=1, ttl=timedelta(hours=1), now=joined)  # fmt: skip
        await redeem_invite(store, code=invite.code, telegram_user_id=uid, display_name=name,
                            username=name.lower(), language="en", now=joined)  # fmt: skip
        users[uid] = server.user(uid, first_name=name, username=name.lower(), language_code="en")
        await users[uid].send("/help")
        await users[uid].wait_for_message(lambda m: "What you can do" in m.entities_text)
    shift = f"{day.isoformat()}T08:00,{day.isoformat()}T16:00"
    await roster.import_roster(store, f"member,group,start,end\n@bo,Rinkeby,{shift}\n", joined)
    return morning, users


async def _raise(server: FakeBotApi, pusher: WebhookPusher, user: FakeUser) -> int:
    """Anna flags customs; the last tap, the one that raises it, through instance 0."""
    await user.send("/flag")
    wizard = await user.wait_for_message(lambda m: "New flag" in m.entities_text)
    await to_description(server, user, wizard, "TULL", "URGENT")
    await user.send("Bil vid torget")
    step = await user.wait_for_message(lambda m: "Share a location" in m.entities_text,
                                       earlier=True)  # fmt: skip
    await user.press(step, "Skip")
    await server.wait_until(lambda: "Is this right?" in user.message(step).entities_text)
    pusher.pinned[user.id] = 0
    await user.press(user.message(step), "🚩 Raise the flag")
    await _taken_by(server, pusher, 0)
    await server.wait_until(lambda: "is raised" in user.message(step).entities_text)
    del pusher.pinned[user.id]
    return int(user.message(step).entities_text.split("#")[1].split()[0])


async def _taken_by(server: FakeBotApi, pusher: WebhookPusher, index: int) -> None:
    """The update just made was posted to the instance at `index`."""
    last = server.state.next_update_id - 1
    await server.wait_until(lambda: any(u == last for u, _ in pusher.delivered))
    assert [i for u, i in pusher.delivered if u == last] == [index]


async def _card(user: FakeUser, number: int) -> SentMessage:
    """The person's one copy of the flag's card."""
    card = await user.wait_for_message(lambda m: f"Flag #{number} ·" in m.entities_text,
                                       earlier=True)  # fmt: skip
    assert len([m for m in user.messages if f"Flag #{number} ·" in m.entities_text]) == 1
    return card


async def _drained(store: Store) -> bool:
    """Nothing is still to go out (or going) through the outbox."""
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')"
        )
    return int(rows[0][0]) == 0
