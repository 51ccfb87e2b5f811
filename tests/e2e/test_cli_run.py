"""`samverkan run` as an admin starts it: the real command against the fake Bot API server,
a closed port, a bad token. Every failure at start is one line that never holds the token and
never a traceback; a good start says who the bot is and what to do next, and at INFO the log
does not grow with every job run."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from tests.fakebot import FakeBotApi

SAMVERKAN = Path(sys.executable).with_name("samverkan")  # the installed console script
REPO = Path(__file__).resolve().parents[2]
WRONG_TOKEN = "123456:" + "W" * 35


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOT_", "WEBHOOK_", "TELEGRAM_", "LOG_"))
    }
    clean.update({"DATABASE_URL": f"sqlite:///{tmp_path}/run.db", "LOG_LEVEL": "INFO"})
    clean.update(settings)
    return clean


async def start(tmp_path: Path, *args: str, **settings: str) -> asyncio.subprocess.Process:
    assert SAMVERKAN.exists(), "the project is installed with its console script"
    return await asyncio.create_subprocess_exec(
        str(SAMVERKAN),
        *args,
        cwd=tmp_path,
        env=environment(tmp_path, **settings),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finish(process: asyncio.subprocess.Process) -> tuple[int, str, str]:
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nobody listens once the probe is closed


async def test_a_wrong_token_is_one_line_without_the_token(
    server: FakeBotApi, tmp_path: Path
) -> None:
    process = await start(tmp_path, "run", BOT_TOKEN=WRONG_TOKEN, TELEGRAM_API_URL=server.base_url)
    code, out, err = await finish(process)
    assert code == 1
    assert err.strip() == (
        "samverkan: Telegram refused BOT_TOKEN (401 Unauthorized): copy the token from"
        " @BotFather again"
    )
    assert "W" * 35 not in out + err and out == ""


async def test_no_network_is_one_line_without_a_traceback(tmp_path: Path) -> None:
    # Held bound but never listening: connecting is refused, and no other test's server can
    # take the port meanwhile (a port closed after probing was once taken by a fake Bot API).
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        port = int(held.getsockname()[1])
        process = await start(
            tmp_path,
            "run",
            BOT_TOKEN=WRONG_TOKEN,
            TELEGRAM_API_URL=f"http://127.0.0.1:{port}/bot",
        )
        code, out, err = await finish(process)
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"samverkan: cannot reach the Telegram Bot API at 127.0.0.1:{port}")
    assert "Traceback" not in err and "W" * 35 not in out + err


async def test_a_database_that_cannot_be_opened_is_one_line(
    server: FakeBotApi, tmp_path: Path
) -> None:
    (tmp_path / "occupied").write_text("a file where the database folder should be")
    bad = f"sqlite:///{tmp_path}/occupied/run.db"
    for command in ("migrate", "run"):
        process = await start(
            tmp_path,
            command,
            BOT_TOKEN=server.token,
            TELEGRAM_API_URL=server.base_url,
            DATABASE_URL=bad,
        )
        code, _, err = await finish(process)
        assert code == 1, (command, err)
        assert len(err.strip().splitlines()) == 1, (command, err)
        assert err.startswith("samverkan: cannot open the database"), (command, err)
        assert server.token not in err


async def test_a_good_start_says_who_and_what_next_and_logs_little(
    server: FakeBotApi, tmp_path: Path
) -> None:
    process = await start(
        tmp_path,
        "run",
        BOT_TOKEN=server.token,
        TELEGRAM_API_URL=server.base_url,
        TELEGRAM_FILE_URL=server.base_file_url,
    )
    assert process.stdout is not None
    first = await asyncio.wait_for(process.stdout.readline(), 30)
    await asyncio.sleep(5)  # the notice refresh runs every 2 s, the menu sync after 1 s
    process.send_signal(signal.SIGINT)
    code, out, err = await finish(process)
    said = first.decode() + out
    assert code == 0, err
    assert said.startswith("running as @samverkan_test_bot"), said
    assert "sandbox" not in said and not (tmp_path / "sandbox.db").exists()  # on "Telegram"
    assert "samverkan invite --role admin" in said  # no admin yet: the first step
    assert "Traceback" not in err and server.token not in said + err
    assert "Running job" not in err and "executed successfully" not in err
    assert len(err.splitlines()) <= 6, err  # start and stop, not a line per job run


async def test_webhook_set_points_telegram_at_the_balancer_once(
    server: FakeBotApi, tmp_path: Path
) -> None:
    settings = {
        "BOT_TOKEN": server.token,
        "TELEGRAM_API_URL": server.base_url,
        "WEBHOOK_URL": "https://bot.example.org/telegram",
        "WEBHOOK_SECRET": "s3cret-header-value",
    }
    code, out, err = await finish(await start(tmp_path, "webhook", "set", **settings))
    assert code == 0, err
    assert len(server.calls_to("setWebhook")) == 1
    assert out.strip() == (
        "webhook set: Telegram posts this bot's updates to https://bot.example.org/telegram"
    )
    assert server.state.webhook is not None
    assert server.state.webhook["url"] == "https://bot.example.org/telegram"
    assert server.state.webhook["secret_token"] == "s3cret-header-value"
    assert server.state.webhook["allowed_updates"] == [
        "message", "edited_message", "callback_query", "my_chat_member"
    ]  # fmt: skip
    del settings["WEBHOOK_SECRET"]
    code, out, err = await finish(await start(tmp_path, "webhook", "set", **settings))
    assert code == 2 and "WEBHOOK_SECRET" in err and len(err.strip().splitlines()) == 1


async def test_make_run_with_a_wrong_token_is_one_line(server: FakeBotApi, tmp_path: Path) -> None:
    """What a person types first: make adds no "*** Error 1" line of its own."""
    process = await asyncio.create_subprocess_exec(
        "make", "--no-print-directory", "-o", ".venv/.installed", "run",
        f"BIN={SAMVERKAN.parent}",
        cwd=REPO,
        env=environment(tmp_path, BOT_TOKEN=WRONG_TOKEN, TELEGRAM_API_URL=server.base_url),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, out, err = await finish(process)
    assert (out + err).strip().splitlines() == [
        "samverkan: Telegram refused BOT_TOKEN (401 Unauthorized): copy the token from"
        " @BotFather again"
    ]


async def test_run_in_webhook_mode_listens_without_setting_the_webhook(
    server: FakeBotApi, tmp_path: Path
) -> None:
    settings = {
        "BOT_TOKEN": server.token,
        "TELEGRAM_API_URL": server.base_url,
        "TELEGRAM_FILE_URL": server.base_file_url,
        "WEBHOOK_URL": "https://bot.example.org/telegram",
        "WEBHOOK_SECRET": "s3cret-header-value",
        "WEBHOOK_PORT": str(closed_port()),
    }
    errors = []
    for step in ("run", "set", "run"):
        if step == "set":
            code, _, err = await finish(await start(tmp_path, "webhook", "set", **settings))
            assert code == 0, err
            continue
        process = await start(tmp_path, "run", **settings)
        assert process.stdout is not None
        first = await asyncio.wait_for(process.stdout.readline(), 30)
        assert first.decode().startswith("running as @samverkan_test_bot (webhook)"), first
        process.send_signal(signal.SIGTERM)
        code, _, err = await finish(process)
        assert code == 0, err
        errors.append(err)
    assert len(server.calls_to("setWebhook")) == 1  # the deploy step's, none at start
    not_set = "run `samverkan webhook set` once for this deploy"
    assert not_set in errors[0]  # started before the deploy step: told what to do
    assert not_set not in errors[1]
