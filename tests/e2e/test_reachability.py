"""Blocking the bot: held at once, coordinators told once, released on return."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.models import Role
from bot.domain.outbox import Notification, OutboxState, Priority
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi


async def test_block_notice_holds_messages_without_a_failed_send(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store)
    await make_member(bot_store, 400, role=Role.COORDINATOR, group=group, language="en")
    member = await make_member(bot_store, 401, group=group, name="Kim", language="en")
    coord = server.user(400, first_name="Coord", language_code="en")
    kim = server.user(401, first_name="Kim", language_code="en")
    await coord.send("/help")
    await kim.send("/help")
    await kim.wait_for_count(1)
    await coord.wait_for_count(1)
    kim.block()
    alert = await coord.wait_for_message(
        lambda m: "Kim (Swedish Police Authority) cannot be reached" in m.entities_text
    )

    async with bot_store.transaction() as tx:
        await tx.outbox.enqueue(
            Notification(
                dedup_key="k1",
                member_id=member.id,
                chat_id=401,
                text="For Kim",
                priority=Priority.NORMAL,
                ref_type="test",
                ref_id=1,
            ),
            datetime.now(UTC),
        )
    async with bot_store.read() as tx:
        assert await tx.outbox.states("test", 1) == {OutboxState.HELD: 1}
    assert not [c for c in server.calls_to("sendMessage") if c.status == 403]

    await kim.send("/me")  # writing again unblocks (Telegram's "Restart") and releases
    await kim.wait_for_message(lambda m: m.entities_text == "For Kim")
    # The coordinator's one message about it is edited, not followed by another.
    await server.wait_until(
        lambda: coord.message(alert).entities_text == "✅ Everyone can be reached again."
    )
    assert coord.messages[-1].message_id == alert.message_id
