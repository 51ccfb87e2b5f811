"""bench.updates' members: who they are, what they send, their seeded database, the reply check."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.updates_process import ECHO, ECHO_CONCURRENT
from bot.domain.models import Group, Role
from bot.domain.reminders import last_digest_time
from bot.sandbox.botapi import FakeUser
from storage.db import Database
from storage.store import Store
from tests.factories import make_group, make_member

COMMANDS = ("/help", "/me")

FIRST_USER_ID = 500_001
GROUPS = ("Rinkeby", "Tensta", "Husby", "Järva", "Skärholmen")
AGENCIES = ("POL", "TULL", "SKV", "FK", "AF")
COORDINATOR_EVERY = 20  # one member in 20 coordinates their group


@dataclass(frozen=True)
class Person:
    """One simulated member: who they are in the bot's database and on the fake server."""

    user_id: int
    first_name: str
    language: str
    role: Role
    agency: str
    group: int


def people(count: int) -> list[Person]:
    """Half Swedish, half English speakers, spread over groups and agencies; a few coordinators."""
    result = []
    for i in range(count):
        swedish = i % 2 == 0
        result.append(
            Person(
                user_id=FIRST_USER_ID + i,
                first_name=f"Medlem{i}" if swedish else f"Member{i}",
                language="sv" if swedish else "en",
                role=Role.COORDINATOR if i % COORDINATOR_EVERY == 0 else Role.EXPERT,
                agency=AGENCIES[i % len(AGENCIES)],
                group=i % len(GROUPS),
            )
        )
    return result


def script(members: int, updates: int, seed: int) -> list[tuple[int, str]]:
    """(member index, text) for every timed update: members in turn, /help or /me at random."""
    rng = random.Random(seed)
    return [(k % members, rng.choice(COMMANDS)) for k in range(updates)]


async def register(store: Store, members: Sequence[Person]) -> None:
    """Make every simulated person a member, as settled as a long-standing one.

    Named as the fake server shows them, so the gate has no profile to refresh.
    """
    groups: list[Group] = [await make_group(store, name) for name in GROUPS]
    for person in members:
        member = await make_member(
            store,
            person.user_id,
            role=person.role,
            agency=person.agency,
            group=groups[person.group],
            name=person.first_name,
            language=person.language,
        )
        # Established members already have the menu for their role: without this, the
        # warm-up would also set every member's menu (setMyCommands), which long-standing
        # members don't need (see bench/README.md).
        async with store.transaction() as tx:
            await tx.menus.mark_synced(member.id, member.role, member.language)


async def seed(path: Path | str, members: Sequence[Person]) -> None:
    """Create and migrate Samverkan's database with its members, before the bot starts."""
    db = await Database.open(str(path))
    try:
        await db.migrate()
        store = Store(db)
        await register(store, members)
        # The coordinators' morning digest would go out at start-up between 07:00 and 12:00;
        # mark today's (and tomorrow's) as done so the run measures /help and /me alone.
        async with store.transaction() as tx:
            now = datetime.now(UTC)
            for group in await tx.groups.all():
                for coordinator in await tx.members.coordinators_of([group.id]):
                    for days in (0, 1):
                        day = (last_digest_time(now, group.timezone) + timedelta(days=days)).date()
                        key = f"digest:{group.id}:{day}:m{coordinator.id}"
                        await tx.reminders.mark(key, "sent", now, now)
    finally:
        await db.close()


def wrong_answers(
    bot: str, users: Sequence[FakeUser], timed: Sequence[tuple[int, str]]
) -> list[str]:
    """Replies that are not what each update asked for (say, "you are not registered")."""
    asked: dict[int, list[str]] = {}
    for index, text in timed:
        asked.setdefault(index, []).append(text)
    wrong = []
    for index, texts in asked.items():
        user = users[index]
        got = user.messages[-len(texts) :]
        if bot == ECHO_CONCURRENT:
            # Updates run side by side, so one user's echoes may come back in another order.
            if Counter(texts) != Counter(m.text for m in got):
                wrong.append(f"{user} {texts} -> {[m.text for m in got]}")
            continue
        for text, message in zip(texts, got, strict=True):
            if bot == ECHO:
                right = message.text == text
            elif text == "/me":
                right = f"{user.id}" in message.entities_text  # the card shows the Telegram id
            else:
                right = "/me" in message.entities_text  # a member's /help lists /me
            if not right:
                wrong.append(f"{user} {text} -> {message.entities_text[:80]!r}")
    return wrong
