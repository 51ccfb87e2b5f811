"""Direct answers and the outbox share Telegram's ~30 messages per second: one pacer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from telegram import Bot

from bot.domain.outbox import Notification, Priority
from bot.domain.pacing import Limits as PaceLimits
from bot.domain.pacing import Pacer
from bot.telegram_request import PacedRequest, paced_request
from storage.store import Store
from tests.factories import make_member
from tests.fakebot import FakeBotApi
from tests.senderkit import start_sender


@pytest.fixture
def pacer() -> Pacer:
    # Well under the fake's 30/s, so a busy test machine's jitter cannot push a second over.
    return Pacer(PaceLimits(global_per_s=25))


@pytest.fixture
async def bot(server: FakeBotApi, pacer: Pacer) -> AsyncIterator[Bot]:
    """A bot whose requests go through the production request, with the shared pacer."""
    request = paced_request(pacer)
    async with Bot(server.token, base_url=server.base_url, request=request) as telegram_bot:
        yield telegram_bot


async def test_answers_and_a_broadcast_together_stay_under_the_limit(
    server: FakeBotApi, bot: Bot, store: Store, pacer: Pacer
) -> None:
    people = []
    for uid in range(1, 61):
        people.append(await make_member(store, uid))
        server.user(uid).mark_started()
    async with store.transaction() as tx:
        for member in people:
            uid = member.telegram_user_id
            note = Notification(dedup_key=f"b:{uid}", member_id=member.id, chat_id=uid,
                                text=f"Notice {uid}", priority=Priority.BULK)  # fmt: skip
            await tx.outbox.enqueue(note, datetime.now().astimezone())
    for uid in range(101, 131):
        server.user(uid).mark_started()
    sender = await start_sender(bot, store, pacer)
    await server.wait_until(lambda: len(server.calls_to("sendMessage")) >= 5, timeout=5)
    # Thirty people are answered at once while the broadcast runs.
    await asyncio.gather(*(bot.send_message(uid, f"Answer {uid}") for uid in range(101, 131)))
    await server.wait_until(lambda: len(server.calls_to("sendMessage")) >= 90, timeout=10)
    await sender.stop()
    assert server.count_429 == 0


async def test_a_429_on_an_answer_is_waited_out_and_pauses_only_that_chat(
    server: FakeBotApi, bot: Bot, pacer: Pacer
) -> None:
    server.user(7).mark_started()
    server.fail_next("sendMessage", 429, retry_after=1)
    loop = asyncio.get_running_loop()
    began = loop.time()
    sent = await bot.send_message(7, "Your answer")
    assert sent.text == "Your answer"
    assert loop.time() - began >= 0.9
    now = loop.time()
    assert pacer.global_wait(now) < 0.1  # the outbox was not paused by it
    statuses = [c.status for c in server.calls_to("sendMessage")]
    assert statuses == [429, 200]


async def test_patience_has_an_end(server: FakeBotApi, bot: Bot) -> None:
    from telegram.error import RetryAfter

    server.user(8).mark_started()
    server.fail_next("sendMessage", 429, retry_after=30)
    with pytest.raises(RetryAfter):
        await bot.send_message(8, "Too long a wait")
    assert len(server.calls_to("sendMessage")) == 1


async def test_an_answer_woken_late_for_its_slot_books_another(server: FakeBotApi) -> None:
    # Left at once, it would reach Telegram bunched with what was booked after it.
    clock = [100.0]
    slept: list[float] = []

    async def late_sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds + (0.3 if len(slept) == 1 else 0.0)  # a busy loop woke it late

    pacer = Pacer(PaceLimits(global_per_s=25))
    for chat in range(1, 6):  # five sends just left: the next slot is 0.2 s ahead
        pacer.take(chat, clock[0])
    request = PacedRequest(pacer, monotonic=lambda: clock[0], sleep=late_sleep)
    server.user(7).mark_started()
    async with Bot(server.token, base_url=server.base_url, request=request) as telegram_bot:
        await telegram_bot.send_message(7, "Your answer")
    assert slept == [pytest.approx(0.2)]
    # Booked again when it woke (its slot long past): the next send comes one slot later.
    assert pacer.global_wait(clock[0]) == pytest.approx(1 / 25)
