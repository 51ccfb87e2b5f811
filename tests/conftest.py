"""Fixtures shared by every tier."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.store import Store
from tests.factories import FakeClock, migrated_sqlite


def pytest_configure(config: pytest.Config) -> None:
    # Opt in to PTB's coming timedelta retry_after now; the code handles both forms.
    os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with migrated_sqlite(tmp_path / "test.db") as migrated:
        yield migrated
