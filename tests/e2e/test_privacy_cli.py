"""`samverkan privacy`: the policy printout, and the purge with and without --dry-run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.e2e.test_cli import run_cli


def test_policy_prints_every_class_with_its_period(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "privacy", "policy", RETENTION_FLAG_DAYS="60")
    assert result.returncode == 0, result.stderr
    rows = {line.split("\t")[0]: line.split("\t")[1] for line in result.stdout.splitlines()[1:]}
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
