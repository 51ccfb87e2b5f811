"""What start-up built is left out of the garbage collector's full passes (bench.purge: a
full pass over the bot's start-up heap held the purge's writer up to 227 ms), and garbage
left by start-up is collected first rather than kept for ever."""

from __future__ import annotations

import gc
import weakref

from bot.runner import settle_heap


class _Node:
    other: _Node | None = None


def test_start_up_objects_are_frozen_and_start_up_garbage_is_collected() -> None:
    garbage = _Node()
    garbage.other = garbage  # a cycle: only the collector frees it
    gone = weakref.ref(garbage)
    del garbage
    kept = [_Node() for _ in range(100)]
    before = gc.get_freeze_count()
    try:
        settle_heap()
        assert gc.get_freeze_count() >= before + len(kept)
        assert gone() is None
    finally:
        gc.unfreeze()
