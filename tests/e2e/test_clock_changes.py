"""The nights the clocks change, through the bot and the command line (Europe/Stockholm:
2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00): /plan adds real hours, offers no
hour the clocks skip and both of an hour they repeat; a roster names what it cannot mean."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.callbacks import PlanAdd, PlanStart
from bot.domain.models import Group, Role
from handlers.context import BotApplication
from storage.db import Database
from storage.store import Store
from tests.e2e.test_cli import run_cli
from tests.factories import FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser, SentMessage

AUTUMN = datetime(2026, 10, 20, 10, 0, tzinfo=UTC)
SPRING = datetime(2026, 3, 25, 10, 0, tzinfo=UTC)
SKIPPED = (
    "2026-03-29 02:00 does not exist in Europe/Stockholm: the clocks go forward that night"
    " and skip it. Choose another time."
)
# Either 02:30 of the autumn night, and a time that does not exist in spring.
ROSTER = [
    "member,group,start,end",
    "@kim,Husby,2026-10-24T20:00,2026-10-25T02:30",
    "@kim,Husby,2026-03-29T02:30,2026-03-29T10:00",
]
TWICE_LINE = (
    "2026-10-25T02:30 happens twice that night (the clocks go back):"
    " write 2026-10-25T02:30+02:00 or 2026-10-25T02:30+01:00"
)
SKIPPED_LINE = "2026-03-29T02:30 does not exist: the clocks go forward that night and skip it"


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> FakeClock:
    """A week before the autumn change, unless a test asks for another moment."""
    return FakeClock(getattr(request, "param", AUTUMN))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


async def scene(store: Store, server: FakeBotApi) -> tuple[Group, FakeUser, FakeUser]:
    group = await make_group(store, "Husby")
    await make_member(store, 960, role=Role.COORDINATOR, group=group, agency=None,
                      language="en")  # fmt: skip
    await make_member(store, 961, group=group, agency="KVV", name="Kim", language="en",
                      username="kim")  # fmt: skip
    coord = server.user(960, first_name="Coord", language_code="en")
    kim = server.user(961, first_name="Kim", language_code="en", username="kim")
    kim.mark_started()
    return group, coord, kim


async def until(server: FakeBotApi, condition) -> None:
    await server.wait_until(condition, timeout=15)


async def to_starts(server: FakeBotApi, coord: FakeUser, day: str) -> SentMessage:
    """/plan → Kim (Husby, the one group) → New shift → `day`: the start hours."""
    await coord.send("/plan")
    # One group: /plan goes straight to its people.
    flow = await coord.wait_for_message(lambda m: m.entities_text == "Who?")
    await coord.press(coord.message(flow), "Kim (KVV)")
    await until(server, lambda: "upcoming shifts" in coord.message(flow).entities_text)
    await coord.press(coord.message(flow), "➕ New shift")
    await until(server, lambda: "which day?" in coord.message(flow).entities_text)
    await coord.press(coord.message(flow), day)
    await until(server, lambda: "start?" in coord.message(flow).entities_text)
    return coord.message(flow)


async def shifts_of(store: Store, group: Group) -> list[tuple[datetime, datetime]]:
    async with store.read() as tx:
        shifts = await tx.shifts.of_group(group.id, utc(2026, 3, 1), utc(2026, 11, 30))
    return [(s.starts_at, s.ends_at) for s in shifts]


async def test_eight_hours_from_22_00_on_the_autumn_night_end_at_05_00(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group, coord, kim = await scene(bot_store, server)
    flow = await to_starts(server, coord, "Sat 24/10")
    assert "clocks" not in flow.entities_text  # the 24th itself has 24 ordinary hours
    await coord.press(flow, "22:00")
    await until(server, lambda: "how long?" in coord.message(flow).entities_text)
    await coord.press(coord.message(flow), "8 h")
    await until(server, lambda: "Shift planned" in coord.message(flow).entities_text)
    assert "Kim, Sat 24/10 22:00–Sun 25/10 05:00" in coord.message(flow).entities_text
    # 22:00 CEST is 20:00 UTC; eight real hours later the clocks (now CET) show 05:00.
    assert await shifts_of(bot_store, group) == [(utc(2026, 10, 24, 20), utc(2026, 10, 25, 4))]
    told = await kim.wait_for_message(lambda m: "New shift" in m.entities_text, earlier=True)
    assert "Sat 24/10 22:00–Sun 25/10 05:00 at Husby" in told.entities_text


async def test_the_hour_the_clocks_repeat_is_offered_twice(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group, coord, kim = await scene(bot_store, server)
    flow = await to_starts(server, coord, "Sun 25/10")
    assert (
        "The clocks go back that night: 02:00–03:00 happens twice, first as CEST (summer"
        " time), then as CET." in flow.entities_text
    )
    hours = flow.button_texts()
    assert hours[:5] == ["00:00", "01:00", "02:00 CEST", "02:00 CET", "03:00"]
    assert len(hours) == 25
    await coord.press(flow, "02:00 CET")
    await until(server, lambda: "02:00 CET: how long?" in coord.message(flow).entities_text)
    await coord.press(coord.message(flow), "4 h")
    await until(server, lambda: "Shift planned" in coord.message(flow).entities_text)
    assert "Kim, Sun 25/10 02:00 CET–06:00" in coord.message(flow).entities_text
    assert await shifts_of(bot_store, group) == [(utc(2026, 10, 25, 1), utc(2026, 10, 25, 5))]


@pytest.mark.parametrize("clock", [SPRING], indirect=True)
async def test_the_hour_the_clocks_skip_is_not_offered_and_refused_if_forged(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group, coord, _ = await scene(bot_store, server)
    flow = await to_starts(server, coord, "Sun 29/3")
    assert "The clocks go forward that night: there is no 02:00–03:00." in flow.entities_text
    hours = flow.button_texts()
    assert hours[:3] == ["00:00", "01:00", "03:00"] and len(hours) == 23
    kim = await bot_store_member(bot_store, "kim")
    day = date(2026, 3, 29)
    await coord.press_data(flow, PlanStart(group.id, kim, day, 2, 0).pack())
    await until(server, lambda: coord.message(flow).entities_text == SKIPPED)
    again = await to_starts(server, coord, "Sun 29/3")
    await coord.press_data(again, PlanAdd(group.id, kim, day, 2, 8, 0).pack())
    await until(server, lambda: coord.message(again).entities_text == SKIPPED)
    assert await shifts_of(bot_store, group) == []


async def bot_store_member(store: Store, username: str) -> int:
    async with store.read() as tx:
        member = await tx.members.by_username(username)
    assert member is not None
    return member.id


async def test_a_roster_file_names_what_the_clocks_cannot_mean(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group, coord, kim = await scene(bot_store, server)
    await coord.upload_document("roster.csv", "\n".join(ROSTER).encode())
    said = await coord.wait_for_message(lambda m: "not imported" in m.entities_text)
    assert f"Line 2: {TWICE_LINE}" in said.entities_text
    assert f"Line 3: {SKIPPED_LINE}" in said.entities_text
    assert await shifts_of(bot_store, group) == []
    fixed = [ROSTER[0], ROSTER[1].replace("02:30", "02:30+01:00")]
    await coord.upload_document("roster.csv", "\n".join(fixed).encode())
    done = await coord.wait_for_message(lambda m: "Roster imported" in m.entities_text)
    assert "1 new shifts" in done.entities_text
    assert await shifts_of(bot_store, group) == [
        (utc(2026, 10, 24, 18), utc(2026, 10, 25, 1, 30))  # 7.5 real hours
    ]


async def test_the_command_line_names_them_too(tmp_path: Path) -> None:
    db = await Database.open(str(tmp_path / "cli.db"))
    await db.migrate()
    store = Store(db)
    group = await make_group(store, "Husby")
    await make_member(store, 961, group=group, agency="KVV", name="Kim", username="kim")
    await db.close()
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join(ROSTER) + "\n")
    refused = run_cli(tmp_path, "shifts", "import", str(roster))
    assert refused.returncode == 1
    assert f"line 2: {TWICE_LINE}" in refused.stderr
    assert f"line 3: {SKIPPED_LINE}" in refused.stderr
    assert "nothing was imported" in refused.stderr
    roster.write_text(f"{ROSTER[0]}\n{ROSTER[1].replace('02:30', '02:30+02:00')}\n")
    done = run_cli(tmp_path, "shifts", "import", str(roster))
    assert done.returncode == 0, done.stderr
    db = await Database.open(str(tmp_path / "cli.db"))
    shifts = await shifts_of(Store(db), group)
    await db.close()
    assert shifts == [(utc(2026, 10, 24, 18), utc(2026, 10, 25, 0, 30))]
    assert shifts[0][1] - shifts[0][0] == timedelta(hours=6, minutes=30)
