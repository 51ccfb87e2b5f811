"""Menus claimed for setting are not lost when Telegram fails in the middle of a batch."""

from __future__ import annotations

import pytest

from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi


@pytest.mark.parametrize("status", [500, 502])
async def test_menus_after_a_server_error_are_set_on_the_next_run(
    app: BotApplication, server: FakeBotApi, bot_store: Store, status: int
) -> None:
    group = await make_group(bot_store, "Järva")
    ids = (961, 962, 963)
    for uid in ids:
        await make_member(bot_store, uid, group=group, name=f"M{uid}", language="en")
        server.user(uid, first_name="M", language_code="en").mark_started()
    await server.wait_until(lambda: bool(server.commands_for(None)))  # the default is set
    server.fail_next("setMyCommands", status)  # the first member's menu: a server error
    await server.wait_until(lambda: any(c.status == status for c in server.calls))
    sync = app.job_queue.get_jobs_by_name("menu-sync")
    await sync[0].run(app)  # the next periodic run sets what the failed one had claimed
    assert all(server.commands_for(uid) for uid in ids)
