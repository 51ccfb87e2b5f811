"""Pacing and retry rules, without a clock of their own."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.outbox import BACKOFF_CAP_S, MAX_ATTEMPTS, backoff, gives_up
from bot.domain.pacing import Limits, Pacer
from tests.factories import START


def test_global_pace_is_even() -> None:
    pacer = Pacer(Limits(global_per_s=20))
    now, times = 100.0, []
    for chat in range(5):
        now += pacer.global_wait(now)
        pacer.take(chat, now)
        times.append(round(now, 6))
    assert times == [100.0, 100.05, 100.1, 100.15, 100.2]  # one every 50 ms, no burst


def test_per_chat_interval_and_group_interval() -> None:
    pacer = Pacer()
    pacer.take(42, 10.0)
    assert pacer.chat_wait(42, 10.0) == 1.0
    assert pacer.chat_wait(43, 10.0) == 0.0
    pacer.take(-100, 10.0)
    assert pacer.chat_wait(-100, 11.0) == 2.0


def test_a_channel_is_paced_like_a_group_chat() -> None:
    # Channel ids are negative (-100…) too: a residents' board gets at most 20 posts a minute.
    pacer = Pacer()
    pacer.take(-1001234567890, 10.0)
    assert pacer.chat_wait(-1001234567890, 10.0) == Limits().group_interval_s == 3.0


def test_pause_holds_everything() -> None:
    pacer = Pacer()
    pacer.pause(5, 10.0)
    assert pacer.global_wait(12.0) == 3.0


@given(st.lists(st.floats(min_value=0, max_value=0.02), min_size=1, max_size=300))
def test_no_one_second_window_exceeds_the_limit(gaps: list[float]) -> None:
    # However eagerly (or late) the sender asks, the sends it is allowed fit the pace in
    # every window of a second, leaving one of Telegram's 30 for requests arriving bunched.
    pacer = Pacer(Limits(global_per_s=29))
    now, sent = 0.0, []
    for gap in gaps:
        now += gap
        now += pacer.global_wait(now)
        pacer.take(len(sent), now)
        sent.append(now)
    for i, start in enumerate(sent):
        in_window = [t for t in sent[i:] if t < start + 1.0 - 1e-9]
        assert len(in_window) <= 29


def test_backoff_grows_is_capped_and_jittered() -> None:
    rng = random.Random(1)
    first = backoff(1, START, rng) - START
    assert timedelta(seconds=0.5) <= first <= timedelta(seconds=1)
    fifth = backoff(5, START, rng) - START
    assert timedelta(seconds=8) <= fifth <= timedelta(seconds=16)
    assert backoff(30, START, rng) - START <= timedelta(seconds=BACKOFF_CAP_S)
    assert not gives_up(MAX_ATTEMPTS - 1) and gives_up(MAX_ATTEMPTS)


def test_small_lateness_does_not_slow_the_pace() -> None:
    pacer = Pacer(Limits(global_per_s=20))
    now = 0.0
    for chat in range(100):
        now = max(now, now + pacer.global_wait(now)) + 0.002  # every send 2 ms late
        pacer.take(chat, now)
    assert now < 100 / 20 + 0.01  # 100 sends still take 5 s, not 5 s + 100 × 2 ms


def test_direct_answers_take_slots_from_the_same_pace() -> None:
    pacer = Pacer(Limits(global_per_s=20))
    pacer.take(1, 100.0)  # the outbox sends one now
    waits = [round(pacer.reserve(chat, 100.0), 6) for chat in (2, 3, 4)]
    assert waits == [0.05, 0.1, 0.15]  # three answers at once are spaced, after the outbox's
    assert round(pacer.global_wait(100.0), 6) == 0.2  # and the outbox's next waits for them


def test_a_direct_answer_does_not_wait_for_its_chat_but_spaces_the_outbox() -> None:
    pacer = Pacer()
    pacer.take(42, 10.0)
    assert pacer.reserve(42, 10.5) == 0.0  # the person typing is answered at once
    assert pacer.chat_wait(42, 10.5) == 1.0  # the outbox's next message to them waits


def test_one_chat_refused_pauses_that_chat_two_pause_everything() -> None:
    pacer = Pacer()
    assert not pacer.refused(42, 3.0, 10.0)
    assert pacer.chat_wait(42, 10.0) == 3.0 and pacer.global_wait(10.0) == 0.0
    assert not pacer.refused(42, 3.0, 11.0)  # the same chat again: still that chat's flood
    assert pacer.refused(43, 2.0, 12.0)  # another chat within the wait: the bot's limit
    assert pacer.global_wait(12.0) == 2.0
    assert not pacer.refused(44, 1.0, 20.0)  # long after: one chat again


def test_a_pause_for_one_chat_leaves_the_others_alone() -> None:
    pacer = Pacer()
    pacer.pause_chat(42, 3.0, 10.0)
    assert pacer.chat_wait(42, 10.0) == 3.0
    assert pacer.global_wait(10.0) == 0.0
    assert pacer.chat_wait(43, 10.0) == 0.0
