"""Fixtures shared by every tier."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from storage.store import Store
from tests.factories import FakeClock, migrated_sqlite
from tests.pg import instances_turn


def pytest_configure(config: pytest.Config) -> None:
    # Opt in to PTB's coming timedelta retry_after now; the code handles both forms.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    # Property tests check what the code computes, not how fast: on a loaded 2-core machine with
    # four workers, Hypothesis's timing checks (deadline, slow generation) failed tests whose
    # properties held. Each example still runs; only the timing verdicts are off.
    settings.register_profile(
        "loaded", deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    settings.load_profile("loaded")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with migrated_sqlite(tmp_path / "test.db") as migrated:
        yield migrated


@pytest.fixture
def postgresql_instances_turn() -> Iterator[None]:
    """One multi-instance PostgreSQL test at a time (tests.pg.MANY_CONNECTIONS)."""
    with instances_turn():
        yield
