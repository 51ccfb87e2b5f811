"""Roster files as coordinators really send them: Excel for Mac's CR-only lines, a workbook
renamed .csv, random bytes, an unclosed quote. Each is imported, or answered with what is
wrong with it, never "Something went wrong"; the command line reads the same bytes the same
way. And a self-hosted Bot API server's files are fetched from it, not from Telegram."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path

import pytest

from bot.app import build_application
from bot.domain.models import Role
from bot.lifecycle import start_application
from handlers.context import BotApplication
from storage.store import Store
from tests.e2e.conftest import settings_for, stop_bot
from tests.e2e.test_cli import run_cli
from tests.factories import FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser

ROSTER_LINES = [
    "member,group,start,end",
    "@anna,Rinkeby,2026-12-01T08:00,2026-12-01T16:00",
    "@anna,Rinkeby,2026-12-02T08:00,2026-12-02T16:00",
]


@pytest.fixture
async def local_server_app(
    server: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[BotApplication]:
    """The bot configured for a self-hosted Bot API server with TELEGRAM_FILE_URL unset."""
    settings = settings_for(server, tmp_path / "bot.db").model_copy(
        update={"telegram_file_url": None}
    )
    settings = type(settings).model_validate(settings.model_dump())  # as read from .env
    app = build_application(settings, clock=clock)
    await start_application(app)
    yield app
    await stop_bot(app)


async def coordinator(store: Store, server: FakeBotApi) -> FakeUser:
    group = await make_group(store, "Rinkeby")
    await make_member(store, 600, role=Role.COORDINATOR, group=group, agency=None,
                      language="en", username="coord")  # fmt: skip
    await make_member(store, 601, group=group, language="en", username="anna", name="Anna")
    return server.user(600, first_name="Coord", username="coord", language_code="en")


async def shifts_of_anna(store: Store) -> int:
    async with store.read() as tx:
        anna = await tx.members.by_username("anna")
        assert anna is not None
        return len(await tx.shifts.of_member(anna.id, *_december()))


def _december() -> tuple[object, object]:
    from datetime import UTC, datetime

    return datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)


async def test_a_self_hosted_servers_files_come_from_it(
    local_server_app: BotApplication, server: FakeBotApi
) -> None:
    coord = await coordinator(local_server_app.bot_data.store, server)
    await coord.upload_document("roster.csv", "\n".join(ROSTER_LINES).encode())
    done = await coord.wait_for_message(lambda m: "Roster imported" in m.entities_text)
    assert "2 new shifts" in done.entities_text
    assert server.calls_to("downloadFile")[-1].status == 200


async def test_excel_for_mac_line_endings_are_read(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    coord = await coordinator(bot_store, server)
    await coord.upload_document("roster.csv", "\r".join(ROSTER_LINES).encode("utf-8"))
    done = await coord.wait_for_message(lambda m: "Roster imported" in m.entities_text)
    assert "2 new shifts" in done.entities_text
    assert await shifts_of_anna(bot_store) == 2


def _workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:  # what an .xlsx is inside
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    return buffer.getvalue()


NOT_TEXT = (
    "This file is not a CSV text file (an Excel workbook renamed .csv, perhaps)."
    " In Excel choose Save as → CSV (comma or semicolon separated) and send that file."
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_workbook(), NOT_TEXT),
        (random.Random(9).randbytes(3000), NOT_TEXT),
        (
            (
                "\n".join(ROSTER_LINES) + '\n"@anna,Rinkeby,2026-12-03T08:00,2026-12-03T16:00\n'
            ).encode(),
            'Line 4: a quotation mark (") is opened here and never closed',
        ),
    ],
    ids=["xlsx", "random-bytes", "unclosed-quote"],
)
async def test_a_file_that_is_not_a_roster_gets_the_reason(
    app: BotApplication, server: FakeBotApi, bot_store: Store, data: bytes, expected: str
) -> None:
    coord = await coordinator(bot_store, server)
    await coord.upload_document("roster.csv", data)
    said = await coord.wait_for_message()
    assert expected in said.entities_text
    assert "Something went wrong" not in said.entities_text
    assert await shifts_of_anna(bot_store) == 0


def test_the_command_line_reads_the_same_bytes_the_same_way(tmp_path: Path) -> None:
    cli = partial(run_cli, tmp_path)
    assert cli("group", "add", "Rinkeby", "--lat", "59.39", "--lon", "17.93",
               "--radius-m", "300").returncode == 0  # fmt: skip
    workbook = tmp_path / "roster.csv"
    workbook.write_bytes(_workbook())
    refused = cli("shifts", "import", str(workbook))
    assert refused.returncode == 1
    assert "not a CSV text file" in refused.stderr and "Traceback" not in refused.stderr
