"""Publishing a board and printing its poster from the command line, as the README says,
against the fake Bot API while the bot runs."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from pathlib import Path

import pypdfium2
import zxingcpp
from pypdf import PdfReader

from bot.domain.models import Role
from handlers.board import refresh_boards
from handlers.context import BotApplication, BotContext
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi

A3_MM = (297, 420)


async def cli(tmp_path: Path, server: FakeBotApi, *args: str) -> tuple[int, str, str]:
    """Run `samverkan …` in a process of its own, on the running bot's database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "WEBHOOK_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        BOT_TOKEN=server.token,
        TELEGRAM_API_URL=server.base_url,
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_publish_checks_the_bot_is_admin_then_the_board_and_poster_follow(
    app: BotApplication, server: FakeBotApi, bot_store: Store, tmp_path: Path
) -> None:
    group = await make_group(bot_store, "Järva")
    await make_group(bot_store, "Rinkeby")
    await make_member(bot_store, 910, role=Role.COORDINATOR, group=group, agency=None)
    channel = server.channel(-1001000000001, "Aktionsgruppen Järva", "aktionsgruppen_jarva")
    server.channel(-1001000000002, "Fel kanal", "fel_kanal", bot_status="left")
    server.channel(-1001000000003, "Halv", "halv_kanal", can_edit_messages=False)

    code, out, err = await cli(
        tmp_path, server, "group", "office", "Järva", "--address", "Rinkebytorget 1, Spånga",
        "--hours", r"Mån–fre 9–17\nLör 10–14", "--contact", "08-123 45 67", "--english",
    )  # fmt: skip
    assert code == 0, err
    assert "hours: Mån–fre 9–17 / Lör 10–14" in out and "Swedish, English below" in out

    publish = ("group", "publish", "Järva", "--channel")
    code, out, err = await cli(tmp_path, server, *publish, "@fel_kanal")
    assert code == 1 and "Traceback" not in err
    assert "The bot @samverkan_test_bot is not an administrator of @fel_kanal" in err
    assert "with the rights to post and to edit messages" in err
    code, _, err = await cli(tmp_path, server, *publish, "@halv_kanal")
    assert code == 1 and "may not edit messages (it pins the board with it)" in err
    code, _, err = await cli(tmp_path, server, *publish, "@ingen")
    assert code == 1 and "The channel @ingen does not exist" in err
    code, _, err = await cli(tmp_path, server, "group", "publish", "Nowhere", "--channel", "@x")
    assert code == 1 and "No such group" in err
    async with bot_store.read() as tx:
        board = await tx.boards.get(group.id)
    assert board is not None and board.channel is None, "a refused channel is never stored"

    code, out, err = await cli(
        tmp_path, server, "group", "publish", "Järva", "--channel", "aktionsgruppen_jarva"
    )
    assert code == 0, err
    assert "goes to @aktionsgruppen_jarva" in out and "10 minutes late" in out

    await refresh_boards(BotContext(app))
    post = await channel.wait_for_message()
    await server.wait_until(lambda: post.message_id in server.state.chats[channel.id].sent)
    text = channel.message(post).entities_text
    assert "Öppettider: Mån–fre 9–17\n    Lör 10–14" in text
    assert "Opening hours: Mån–fre 9–17" in text, "English below the Swedish"
    assert text.index("Kontoret") < text.index("The office")

    poster = tmp_path / "poster.pdf"
    code, out, err = await cli(
        tmp_path, server, "poster", "Järva", "--out", str(poster), "--size", "A3"
    )
    assert code == 0, err
    pdf = poster.read_bytes()
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == A3_MM
    words = reader.pages[0].extract_text()
    for expected in ("Järva", "Polismyndigheten", "Rinkebytorget 1, Spånga", "08-123 45 67"):
        assert expected in words
    assert "Säkerhetspolisen" not in words
    page = pypdfium2.PdfDocument(pdf)[0]
    codes = zxingcpp.read_barcodes(page.render(scale=1).to_pil())
    assert [c.text for c in codes] == [channel.link] == ["https://t.me/aktionsgruppen_jarva"]
    assert codes[0].format == zxingcpp.BarcodeFormat.QRCode

    code, _, err = await cli(tmp_path, server, "poster", "Rinkeby", "--out", "x.pdf")
    assert code == 1 and "no board in a public channel yet" in err
    assert not (tmp_path / "x.pdf").exists()
