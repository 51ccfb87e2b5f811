"""A database locked by another writer: a short lock is waited out; a long one gets a clear
"try again" and loses nothing once the lock is gone. An answer never says "nothing was saved"
about something that was saved, before or after it says so."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.app import build_application
from bot.domain.models import Role
from bot.lifecycle import start_application
from handlers.context import BotApplication
from storage.store import Store
from tests.e2e.conftest import settings_for, stop_bot
from tests.factories import FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi

OFFICE = (59.3880, 17.9280)
BUSY = "The database is busy right now and nothing was saved. Try again in a moment."


@pytest.fixture
async def busy_app(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[BotApplication]:
    """The bot with a short busy timeout, so a test can hold the lock past it."""
    settings = settings_for(server, tmp_path / "busy.db").model_copy(
        update={"database_busy_timeout_ms": 300}
    )
    app = build_application(settings, clock=clock)
    await start_application(app)
    yield app
    await stop_bot(app)


def lock(app: BotApplication) -> sqlite3.Connection:
    """Another writer (the command line, say) holding the database's write lock."""
    other = sqlite3.connect(app.bot_data.settings.database_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


async def test_locked_database_answers_busy_then_works(
    server: FakeBotApi, busy_app: BotApplication
) -> None:
    store = busy_app.bot_data.store
    group = await make_group(store)
    # Telegram shows another name than the stored one, so the profile is refreshed too.
    member = await make_member(store, 950, group=group, language="en")
    user = server.user(950, first_name="Busy", language_code="en")

    other = lock(busy_app)
    await user.share_location(*OFFICE)
    busy = await user.wait_for_message()
    assert busy.entities_text == BUSY
    other.execute("COMMIT")  # the lock goes at once: nothing may be saved after "nothing saved"
    other.close()
    await asyncio.sleep(0.8)
    async with store.read() as tx:
        assert await tx.presences.open_for(member.id) is None
    assert [m.entities_text for m in user.messages] == [BUSY]

    other = lock(busy_app)
    await user.share_location(*OFFICE)
    await asyncio.sleep(0.1)
    other.execute("COMMIT")  # released within the busy timeout: the check-in waits it out
    other.close()
    done = await user.wait_for_message(lambda m: "Checked in" in m.entities_text,
                                       earlier=True)  # fmt: skip
    assert "Rinkeby" in done.entities_text
    async with store.read() as tx:
        assert await tx.presences.open_for(member.id) is not None
    assert [m.entities_text for m in user.messages].count(BUSY) == 1


async def test_a_read_is_answered_while_the_profile_cannot_be_written(
    server: FakeBotApi, busy_app: BotApplication
) -> None:
    store = busy_app.bot_data.store
    group = await make_group(store)
    member = await make_member(store, 951, group=group, language="en")
    user = server.user(951, first_name="Renamed", language_code="en")

    other = lock(busy_app)
    try:
        await user.send("/me")
        card = await user.wait_for_message()
        await asyncio.sleep(0.8)  # the profile refresh gives up behind the lock meanwhile
    finally:
        other.execute("COMMIT")
        other.close()
    assert "Renamed" in card.entities_text  # the name Telegram shows now
    assert len(user.messages) == 1  # and no "busy" for a write the member never asked for
    await user.send("/me")
    await user.wait_for_message()
    await server.wait_until(
        lambda: _named(store, member.id, "Renamed"), message="the profile is refreshed later"
    )


async def _named(store: Store, member_id: int, name: str) -> bool:
    async with store.read() as tx:
        found = await tx.members.get(member_id)
    return found is not None and found.display_name == name


async def test_an_error_after_the_commit_does_not_say_nothing_was_saved(
    server: FakeBotApi, busy_app: BotApplication
) -> None:
    store = busy_app.bot_data.store
    group = await make_group(store)
    member = await make_member(store, 952, group=group, name="Keep", language="en")
    user = server.user(952, first_name="Keep", language_code="en")

    server.fail_next("sendMessage", 400, description="Bad Request: something odd")
    await user.share_location(*OFFICE)
    said = await user.wait_for_message()
    async with store.read() as tx:
        assert await tx.presences.open_for(member.id) is not None  # the check-in was saved
    assert "nothing was saved" not in said.entities_text
    assert said.entities_text == (
        "Your change was saved, but something went wrong while answering."
        " Check the result before you try again."
    )


async def test_an_error_before_the_features_ends_the_update(
    server: FakeBotApi, busy_app: BotApplication
) -> None:
    store = busy_app.bot_data.store
    group = await make_group(store)
    await make_member(store, 953, group=group, language="en")
    user = server.user(953, language_code="en")

    async def failing(update: object, context: object) -> None:
        raise RuntimeError("a gate that fails, for whatever reason")

    # Before the gate, as any failure there: no feature may run after the member was answered.
    busy_app.add_handler(TypeHandler(Update, failing), group=-2)
    await user.send("/me")
    said = await user.wait_for_message()
    await asyncio.sleep(0.5)
    assert said.entities_text == "Something went wrong and nothing was saved. Please try again."
    assert len(user.messages) == 1


async def test_a_notice_sent_while_the_database_is_locked_leaves_no_sending_behind(
    server: FakeBotApi, busy_app: BotApplication
) -> None:
    store = busy_app.bot_data.store
    group = await make_group(store)
    await make_member(store, 953, role=Role.EXPERT, group=group, name="Anna", language="en")
    await make_member(store, 952, role=Role.COORDINATOR, group=group, name="Co", language="en")
    coord = server.user(952, first_name="Co", language_code="en")
    server.user(953, first_name="Anna", language_code="en").mark_started()
    await coord.send("/notice")
    await coord.wait_for_message(lambda m: "Write the notice" in m.entities_text)
    await coord.send("Möte kl 14")
    await coord.wait_for_message(lambda m: "Who should get it" in m.entities_text)
    await coord.send("Everyone in my groups")
    await coord.wait_for_message(lambda m: any(b.startswith("Send") for b in m.button_texts()))
    other = lock(busy_app)
    await coord.send("Send")
    await coord.wait_for_message(lambda m: m.entities_text == BUSY)
    other.execute("COMMIT")
    other.close()
    sending = [m for m in coord.messages if "Sending" in m.entities_text and not m.deleted]
    assert sending == []
