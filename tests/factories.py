"""Test helpers: a clock that tests move, and a migrated store on a real SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.models import Group, Member, Role
from bot.services import members as members_service
from bot.services.invites import create_invite, redeem_invite
from storage.db import Database
from storage.store import Store

START = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


class FakeClock:
    """A clock that stands still until the test moves it."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@asynccontextmanager
async def migrated_sqlite(path: Path) -> AsyncIterator[Store]:
    """A store on a new, migrated SQLite file, closed afterwards."""
    db = await Database.open(str(path))
    await db.migrate()
    try:
        yield Store(db)
    finally:
        await db.close()


async def make_group(store: Store, name: str = "Rinkeby", **overrides: object) -> Group:
    values: dict[str, object] = {
        "lat": 59.388,
        "lon": 17.928,
        "radius_m": 400,
        "min_per_agency": 2,
        "timezone": "Europe/Stockholm",
    }
    values.update(overrides)
    return await members_service.add_group(store, name=name, now=START, **values)  # type: ignore[arg-type]


async def make_member(
    store: Store,
    telegram_user_id: int,
    *,
    role: Role = Role.EXPERT,
    agency: str | None = "POL",
    group: Group | None = None,
    name: str | None = None,
    username: str | None = None,
    language: str = "sv",
) -> Member:
    invite = await create_invite(
        store,
        role=role,
        agency_code=agency,
        group_id=group.id if group else None,
        uses=1,
        ttl=timedelta(hours=1),
        now=START,
    )
    result = await redeem_invite(
        store,
        code=invite.code,
        telegram_user_id=telegram_user_id,
        display_name=name or f"User {telegram_user_id}",
        username=username,
        language=language,
        now=START,
    )
    return result.member
