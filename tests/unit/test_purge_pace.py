"""The purge's pace: rows per transaction follow how long the last transaction held the
writer, between one row and the step's batch."""

from __future__ import annotations

from bot.services.privacy import next_size

TARGET = 0.010


def test_a_slow_transaction_halves_the_next_one_down_to_a_single_row() -> None:
    assert next_size(50, 0.030, TARGET, 50) == 25
    assert next_size(3, 0.011, TARGET, 50) == 1
    assert next_size(1, 0.500, TARGET, 50) == 1


def test_a_quick_transaction_grows_the_next_one_by_a_quarter_up_to_the_batch() -> None:
    assert next_size(40, 0.004, TARGET, 200) == 50
    assert next_size(1, 0.001, TARGET, 200) == 2
    assert next_size(190, 0.002, TARGET, 200) == 200


def test_sizes_settle_where_transactions_take_about_the_target() -> None:
    # A table where each row costs 1 ms: sizes climb from a quarter of the batch and then
    # stay between half and a little over the 10 rows that take 10 ms.
    size, seen = 50 // 4, []
    for _ in range(40):
        size = next_size(size, size * 0.001, TARGET, 50)
        seen.append(size)
    assert max(seen[10:]) <= 12 and min(seen[10:]) >= 5
