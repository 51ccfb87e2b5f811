"""A notice's messages through the real sender and the fake Bot API: its status message is
edited only when what it shows changes, also while a withdrawal's edits settle."""

from __future__ import annotations

import pytest
from telegram import Bot

from bot.clock import system_clock
from bot.domain.models import Role
from bot.domain.notices import Audience
from bot.services import notice_drafts as drafts
from bot.services import notices as svc
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi, Limits
from tests.senderkit import start_sender


@pytest.fixture
def limits() -> Limits:
    return Limits(enabled=False)


async def _drained(server: FakeBotApi, store: Store, bot: Bot) -> None:
    sender = await start_sender(bot, store)
    try:
        await server.wait_until(lambda: _idle(store), timeout=10)
    finally:
        await sender.stop()


async def _idle(store: Store) -> bool:
    async with store.read() as tx:
        return not await tx.outbox.due(system_clock())


async def test_withdrawing_edits_the_status_once(
    server: FakeBotApi, bot: Bot, store: Store
) -> None:
    group = await make_group(store)
    coord = await make_member(store, 100, role=Role.COORDINATOR, group=group, language="en")
    for uid in (101, 102, 103):
        await make_member(store, uid, group=group, language="en")
    for uid in (100, 101, 102, 103):
        server.user(uid).mark_started()
    status = await bot.send_message(100, "Preview")  # becomes the live status message
    now = system_clock()
    await drafts.start(store, coord, now)
    await drafts.set_text(store, coord, "Möte kl 15", now)
    draft = await drafts.update_draft(store, coord, now, audience=Audience.MINE)
    notice = await drafts.send(
        store, coord, revision=draft.revision, status_message_id=status.message_id, now=now
    )
    await _drained(server, store, bot)
    await svc.refresh_statuses(store, system_clock())
    await _drained(server, store, bot)

    await svc.withdraw(store, coord, notice.id, system_clock())
    await svc.refresh_statuses(store, system_clock())
    await _drained(server, store, bot)  # the status and the three copies' edits settle
    await svc.refresh_statuses(store, system_clock())
    await _drained(server, store, bot)

    to_status = [c for c in server.calls_to("editMessageText") if c.params["chat_id"] == 100]
    assert [c.status for c in to_status] == [200, 200]  # the figures, then "withdrawn"
    (shown,) = [m for m in server.user(100).messages if m.message_id == status.message_id]
    assert "Withdrawn" in shown.entities_text
