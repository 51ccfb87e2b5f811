"""The `samverkan` command as an admin runs it: set-up, invites, and clear failures."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.services.invites import redeem_invite
from storage.db import Database
from storage.store import Store

SAMVERKAN = Path(sys.executable).with_name("samverkan")  # the installed console script


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "WEBHOOK_"))}
    clean.update({"DATABASE_URL": f"sqlite:///{tmp_path}/cli.db", **env})
    return subprocess.run(
        [str(SAMVERKAN), *args],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
        ({"WEBHOOK_PORT": "99999"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_URL": "https://example.invalid/hook"}, "WEBHOOK_SECRET"),
    ],
)
def test_malformed_setting_is_one_line_and_status_2(
    tmp_path: Path, env: dict[str, str], needle: str
) -> None:
    result = run_cli(tmp_path, "run", **env)
    assert result.returncode == 2
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_token_never_printed(tmp_path: Path) -> None:
    secret = "123456:" + "S" * 35
    result = run_cli(tmp_path, "migrate", BOT_TOKEN=secret, TIMEZONE="nowhere")
    assert result.returncode == 2
    assert "S" * 35 not in result.stderr + result.stdout


def test_setup_from_the_command_line(tmp_path: Path) -> None:
    assert "0001_init.sql" in run_cli(tmp_path, "migrate").stdout
    added = run_cli(
        tmp_path, "group", "add", "Rinkeby", "--lat", "59.388", "--lon", "17.928",
        "--radius-m", "400", "--min-per-agency", "3",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = run_cli(tmp_path, "group", "list").stdout
    assert "Rinkeby" in listed and "min 3/agency" in listed and "Europe/Stockholm" in listed
    duplicate = run_cli(
        tmp_path, "group", "add", "rinkeby", "--lat", "1", "--lon", "1", "--radius-m", "50"
    )
    assert duplicate.returncode == 1 and "exists" in duplicate.stderr

    invite = run_cli(
        tmp_path, "invite", "--role", "expert", "--agency", "POL", "--group", "Rinkeby",
        "--uses", "2", "--expires", "24h",
    )  # fmt: skip
    assert invite.returncode == 0, invite.stderr
    code = invite.stdout.strip().splitlines()[-1]
    assert len(code) >= 20 and code.replace("-", "").replace("_", "").isalnum()

    bad = run_cli(tmp_path, "invite", "--role", "expert", "--group", "Nowhere")
    assert bad.returncode == 1 and "group" in bad.stderr.lower()
    assert run_cli(tmp_path, "members", "list").returncode == 0
    missing = run_cli(tmp_path, "member", "deactivate", "999")
    assert missing.returncode == 1 and "member" in missing.stderr.lower()


def test_an_admin_moves_a_member_to_another_agency_with_an_audit_entry(tmp_path: Path) -> None:
    run_cli(tmp_path, "group", "add", "Tensta", "--lat", "59.39", "--lon", "17.90",
            "--radius-m", "300")  # fmt: skip
    code = run_cli(tmp_path, "invite", "--role", "expert", "--agency", "POL",
                   "--group", "Tensta").stdout.strip().splitlines()[-1]  # fmt: skip
    asyncio.run(_redeem(tmp_path / "cli.db", code, telegram_user_id=77))
    db = sqlite3.connect(tmp_path / "cli.db")
    (member_id,) = db.execute("SELECT id FROM members WHERE telegram_user_id = 77").fetchone()
    moved = run_cli(tmp_path, "member", "agency", str(member_id), "tull")
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.strip() == f"member {member_id} (Vera) is now of TULL (Tullverket)"
    assert db.execute("SELECT agency_code FROM members WHERE id = ?", (member_id,)).fetchone() == (
        "TULL",
    )
    audit = db.execute(
        "SELECT actor_member_id, object_id, detail FROM audit_log WHERE action = 'member.agency'"
    ).fetchall()
    assert audit == [(None, member_id, "POL -> TULL")]
    unknown = run_cli(tmp_path, "member", "agency", str(member_id), "NOPE")
    assert unknown.returncode == 1 and "agency" in unknown.stderr.lower()
    missing = run_cli(tmp_path, "member", "agency", "999", "POL")
    assert missing.returncode == 1 and "member" in missing.stderr.lower()
    assert db.execute("SELECT agency_code FROM members WHERE id = ?", (member_id,)).fetchone() == (
        "TULL",
    )
    db.close()


def test_a_wrong_agency_code_is_answered_with_the_valid_codes_and_their_names(
    tmp_path: Path,
) -> None:
    run_cli(tmp_path, "group", "add", "Tensta", "--lat", "59.39", "--lon", "17.90",
            "--radius-m", "300")  # fmt: skip
    wrong = run_cli(tmp_path, "invite", "--role", "expert", "--agency", "POLIS")
    assert wrong.returncode == 1 and "no agency 'POLIS'" in wrong.stderr
    assert "  POL\tPolismyndigheten\tSwedish Police Authority\tPolisen / Police\n" in wrong.stderr
    assert "  SAPO\tSäkerhetspolisen\tSwedish Security Service\tSäpo\n" in wrong.stderr
    target = run_cli(tmp_path, "group", "target", "Tensta", "--agency", "XX", "--min", "2")
    assert target.returncode == 1 and "  MIGR\tMigrationsverket" in target.stderr
    listed = run_cli(tmp_path, "agencies").stdout.splitlines()
    assert (
        len(listed) == 12
        and listed[0] == "STHLM\tStockholms stad\tCity of Stockholm\tStaden / City"
    )
    for command in (("invite",), ("member", "agency"), ("group", "target")):
        shown = run_cli(tmp_path, *command, "--help").stdout
        assert "AM (Åklagarmyndigheten)" in " ".join(shown.split()), command


def test_a_unit_within_an_agency_is_added_listed_and_checked(tmp_path: Path) -> None:
    made = run_cli(tmp_path, "agencies", "add", "FALT", "--name", "Fältassistenterna", "--name-en",
                   "Field assistants", "--short", "Fältass", "--within", "sthlm")  # fmt: skip
    assert made.returncode == 0, made.stderr
    line = "FALT\tFältassistenterna\tField assistants\tFältass\twithin STHLM"
    assert made.stdout.strip() == f"added {line}"
    assert run_cli(tmp_path, "agencies").stdout.splitlines()[-1] == line
    again = run_cli(tmp_path, "agencies", "add", "FALT", "--name", "Igen")
    assert again.returncode == 1 and "the code FALT is taken" in again.stderr
    orphan = run_cli(tmp_path, "agencies", "add", "SOC", "--name", "Soc", "--within", "NOPE")
    assert orphan.returncode == 1 and "no agency 'NOPE'" in orphan.stderr
    bad = run_cli(tmp_path, "agencies", "add", "S", "--name", "Soc")
    assert bad.returncode == 1 and "cannot be a code" in bad.stderr
    assert len(run_cli(tmp_path, "agencies").stdout.splitlines()) == 13  # nothing else added


async def _redeem(path: Path, code: str, telegram_user_id: int) -> None:
    db = await Database.open(str(path))
    try:
        await redeem_invite(
            Store(db), code=code, telegram_user_id=telegram_user_id, display_name="Vera",
            username=None, language="sv", now=datetime.now(UTC),
        )  # fmt: skip
    finally:
        await db.close()


def test_roster_import_from_the_command_line(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "migrate").returncode == 0
    added = run_cli(tmp_path, "group", "add", "Tensta", "--lat", "59.39", "--lon", "17.90",
                    "--radius-m", "300")  # fmt: skip
    assert added.returncode == 0, added.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("member,group,start,end\n@nobody,Tensta,2026-12-01T08:00,2026-12-01T16:00\n")
    refused = run_cli(tmp_path, "shifts", "import", str(bad))
    assert refused.returncode == 1
    assert "line 2: unknown member @nobody" in refused.stderr
    assert "nothing was imported" in refused.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("member,group,start,end\n")
    assert "line 0: the file is empty" in run_cli(tmp_path, "shifts", "import", str(empty)).stderr
    missing = run_cli(tmp_path, "shifts", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_group_phase_is_set_listed_and_checked(tmp_path: Path) -> None:
    add = run_cli(tmp_path, "group", "add", "Järva", "--lat", "59.41", "--lon", "17.92",
                  "--radius-m", "500")  # fmt: skip
    assert add.returncode == 0, add.stderr
    assert run_cli(tmp_path, "group", "phase").stdout.split("\t")[2:] == ["-", "-\n"]
    done = run_cli(tmp_path, "group", "phase", "järva", "--phase", "prevent", "--target", "60")
    assert done.returncode == 0, done.stderr
    assert "phase prevent, target 60%" in done.stdout
    fight = run_cli(tmp_path, "group", "phase", "Järva", "--phase", "fight")
    assert "target 30%" in fight.stdout  # the phase's default
    listing = run_cli(tmp_path, "group", "phase").stdout
    assert listing.strip().endswith("Järva\tfight\t30%")
    for bad, needle in (
        (("Järva", "--phase", "prevent", "--target", "130"), "percentage"),
        (("Nowhere", "--phase", "prevent"), "group"),
        (("Järva",), "--phase"),
    ):
        result = run_cli(tmp_path, "group", "phase", *bad)
        assert result.returncode == 1 and needle in result.stderr.lower(), result.stderr
        assert "Traceback" not in result.stderr


def test_a_busy_database_honours_the_timeout_and_says_so(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "migrate").returncode == 0
    other = sqlite3.connect(tmp_path / "cli.db", isolation_level=None)  # another writer
    try:
        other.execute("BEGIN IMMEDIATE")
        result = run_cli(
            tmp_path, "group", "add", "Husby", "--lat", "59.41", "--lon", "17.93",
            "--radius-m", "300", DATABASE_BUSY_TIMEOUT_MS="250",
        )  # fmt: skip
    finally:
        other.close()
    assert result.returncode == 1
    assert result.stderr.strip() == "samverkan: the database is busy (waited 0.25 s); try again"
    assert "Husby" not in run_cli(tmp_path, "group", "list").stdout


def test_ladder_is_shown_set_and_checked(tmp_path: Path) -> None:
    for name, lat in (("Rinkeby", "59.38"), ("Tensta", "59.39"), ("Husby", "59.41")):
        add = run_cli(tmp_path, "group", "add", name, "--lat", lat, "--lon", "17.92",
                      "--radius-m", "500")  # fmt: skip
        assert add.returncode == 0, add.stderr
    shown = run_cli(tmp_path, "ladder", "show", "Rinkeby")
    assert shown.stdout == (
        "Rinkeby: on_duty → agency → coordinators → neighbours (none set) → admins\n"
    )
    done = run_cli(tmp_path, "ladder", "set", "Rinkeby", "--neighbours", "Tensta, Husby")
    assert done.returncode == 0, done.stderr
    assert (
        "neighbours (Husby, Tensta)" in done.stdout or "neighbours (Tensta, Husby)" in done.stdout
    )
    short = run_cli(tmp_path, "ladder", "set", "Rinkeby", "--rungs", "on_duty,coordinators,admins")
    assert short.stdout.startswith("Rinkeby: on_duty → coordinators → admins"), short.stderr
    every = run_cli(tmp_path, "ladder", "show").stdout.splitlines()
    assert len(every) == 3 and every[2].startswith("Tensta: on_duty → agency")
    for bad, needle in (
        (("set", "Rinkeby", "--rungs", "agency,admins"), "starts with on_duty"),
        (("set", "Rinkeby", "--rungs", "on_duty,boss,admins"), "rungs are"),
        (("set", "Rinkeby", "--rungs", "on_duty,agency,agency,admins"), "twice"),
        (("set", "Rinkeby", "--neighbours", "Nowhere"), "no such group"),
        (("set", "Rinkeby"), "say what to set"),
    ):
        result = run_cli(tmp_path, "ladder", *bad)
        assert result.returncode == 1 and needle in result.stderr.lower(), result.stderr
        assert "Traceback" not in result.stderr
    assert run_cli(tmp_path, "ladder", "show", "Rinkeby").stdout.startswith(
        "Rinkeby: on_duty → coordinators → admins"
    )  # nothing changed by the refusals
