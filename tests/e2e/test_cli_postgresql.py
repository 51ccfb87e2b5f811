"""`samverkan migrate` and the admin commands on a PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_cli import run_cli
from tests.pg import scratch_database


def test_migrate_twice_on_postgresql_then_a_group_is_there(tmp_path: Path) -> None:
    with scratch_database() as url:
        first = run_cli(tmp_path, "migrate", DATABASE_URL=url)
        assert first.returncode == 0, first.stderr
        assert "0001_init.sql" in first.stdout and "0018_agency_order.sql" in first.stdout
        again = run_cli(tmp_path, "migrate", DATABASE_URL=url)
        assert again.stdout.strip() == "migrated: already up to date"
        added = run_cli(
            tmp_path, "group", "add", "Rinkeby", "--lat", "59.39", "--lon", "17.93",
            "--radius-m", "300", DATABASE_URL=url,
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
        listed = run_cli(tmp_path, "group", "list", DATABASE_URL=url)
        assert "Rinkeby" in listed.stdout
    assert not (tmp_path / "cli.db").exists()  # nothing went to SQLite


def test_an_unreachable_server_is_one_line_without_the_password(tmp_path: Path) -> None:
    url = "postgresql://bot:hunter2@127.0.0.1:1/samverkan"  # nothing listens on port 1
    result = run_cli(tmp_path, "migrate", DATABASE_URL=url)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "cannot open the database at postgresql://bot:***@" in result.stderr
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_db_copy_moves_a_sqlite_deployment_and_says_every_checksum_matches(
    tmp_path: Path,
) -> None:
    lite = f"sqlite:///{tmp_path}/cli.db"
    run_cli(tmp_path, "migrate")
    added = run_cli(
        tmp_path, "group", "add", "Husby", "--lat", "59.41", "--lon", "17.93", "--radius-m", "250"
    )
    assert added.returncode == 0, added.stderr
    with scratch_database() as url:
        copied = run_cli(tmp_path, "db", "copy", "--from", lite, "--to", url)
        assert copied.returncode == 0, copied.stderr
        lines = copied.stdout.splitlines()
        assert any(line.startswith("groups ") and " 1 -> 1 " in line for line in lines)
        assert lines[-1].endswith("every count and checksum matches")
        assert "Husby" in run_cli(tmp_path, "group", "list", DATABASE_URL=url).stdout
        again = run_cli(tmp_path, "db", "copy", "--from", lite, "--to", url)
        assert again.returncode == 1
        assert "the target already holds data" in again.stderr
        assert len(again.stderr.strip().splitlines()) == 1
