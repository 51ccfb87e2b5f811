"""`samverkan privacy`: the policy printout, and the purge with and without --dry-run."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

from tests.e2e.test_cli import run_cli


def test_policy_prints_every_class_with_its_period(tmp_path: Path) -> None:
    result = run_cli(
        tmp_path, "privacy", "policy", RETENTION_FLAG_DAYS="60", PURGE_HOUR="4",
        TIMEZONE="Europe/Helsinki",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    rows = {line.split("\t")[0]: line.split("\t")[1] for line in lines[1:] if "\t" in line}
    assert lines[-1] == (
        "The purge runs daily at 04:00 Europe/Helsinki (drafts and coordinates every 10 min)."
    )
    assert rows["flags"] == "60 days"
    assert rows["locations"] == "24 h"
    assert rows["presences"] == "2 years"
    assert rows["notices"] == "180 days"
    assert len(rows) == 11


def test_purge_dry_run_counts_and_the_purge_deletes(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "migrate").returncode == 0
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        conn.executemany(
            "INSERT INTO audit_log (at, action) VALUES (?, 'x')",
            [("2020-01-01T00:00:00+00:00",), ("2020-01-02T00:00:00+00:00",)],
        )
    dry = run_cli(tmp_path, "privacy", "purge", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "audit\t2" in dry.stdout.splitlines()
    assert "would delete 2 rows" in dry.stdout
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 2
    done = run_cli(tmp_path, "privacy", "purge")
    assert done.returncode == 0, done.stderr
    assert "deleted 2 rows" in done.stdout
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


def _member(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "migrate").returncode == 0
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        conn.execute(
            "INSERT INTO members (id, telegram_user_id, display_name, username, agency_code,"
            " role, language, created_at) VALUES (7, 4242, 'Åsa Öberg', 'asa', 'POL', 'expert',"
            " 'sv', '2026-01-01T00:00:00+00:00')"
        )
        conn.execute(
            "INSERT INTO member_settings (member_id, quiet_from, quiet_to) VALUES (7, '22:00',"
            " '06:00')"
        )


def test_member_export_writes_a_zip_of_their_rows(tmp_path: Path) -> None:
    _member(tmp_path)
    result = run_cli(tmp_path, "member", "export", "7", "--out", "asa.zip")
    assert result.returncode == 0, result.stderr
    assert "2 rows from 2 tables" in result.stdout
    with zipfile.ZipFile(tmp_path / "asa.zip") as archive:
        members_csv = archive.read("members.csv").decode("utf-8-sig")
    assert "Åsa Öberg" in members_csv and "4242" in members_csv
    missing = run_cli(tmp_path, "member", "export", "99")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_member_erase_dry_run_lists_then_erases(tmp_path: Path) -> None:
    _member(tmp_path)
    dry = run_cli(tmp_path, "member", "erase", "7", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert any(line.startswith("member_settings\t1\tdeleted") for line in dry.stdout.splitlines())
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        assert conn.execute("SELECT display_name FROM members").fetchone()[0] == "Åsa Öberg"
    done = run_cli(tmp_path, "member", "erase", "7")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        row = conn.execute("SELECT display_name, username, telegram_user_id, active FROM members")
        assert row.fetchone() == ("–", None, -7, 0)
        assert conn.execute("SELECT count(*) FROM member_settings").fetchone()[0] == 0


def test_audit_flag_and_member_list_who_read_what(tmp_path: Path) -> None:
    _member(tmp_path)
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        conn.execute(
            "INSERT INTO groups (id, name, lat, lon, radius_m, timezone, created_at)"
            " VALUES (1, 'Rinkeby', 59.4, 17.9, 400, 'Europe/Stockholm', 't')"
        )
        conn.execute(
            "INSERT INTO flags (id, group_id, raised_by, raiser_agency, category, urgency,"
            " description, created_at) VALUES (5, 1, 7, 'POL', 'other', 'routine',"
            " 'secret words', '2026-11-30T07:00:00+00:00')"
        )
        conn.executemany(
            "INSERT INTO audit_log (at, actor_member_id, action, object_type, object_id, detail)"
            " VALUES (?, 7, ?, 'flag', 5, ?)",
            [
                ("2026-11-30T07:00:00+00:00", "flag.raise", None),
                ("2026-11-30T07:05:00+00:00", "flag.read", "opened"),
            ],
        )
    flag = run_cli(tmp_path, "audit", "flag", "5")
    assert flag.returncode == 0, flag.stderr
    lines = flag.stdout.splitlines()
    assert lines[0] == "audit trail of flag #5: 2 entries"
    # The agency by its name in the deployment's language (Swedish unless told otherwise).
    assert lines[2] == (
        "2026-11-30 07:05:00\tÅsa Öberg (Polismyndigheten, #7)\tflag.read\tflag #5\topened"
    )
    english = run_cli(tmp_path, "audit", "flag", "5", "--lang", "en").stdout.splitlines()
    assert english[2].startswith("2026-11-30 07:05:00\tÅsa Öberg (Swedish Police Authority, #7)")
    assert "secret" not in flag.stdout
    member = run_cli(tmp_path, "audit", "member", "7")
    assert member.returncode == 0 and "Åsa Öberg (#7): 2 entries" in member.stdout
    unknown = run_cli(tmp_path, "audit", "flag", "6")
    assert unknown.returncode == 1 and "Traceback" not in unknown.stderr
