"""`samverkan report`: the PDF for the city executive board and its workbook, from a real file."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from pypdf import PdfReader

from storage.db import Database
from storage.store import Store
from tests.e2e.test_cli import run_cli
from tests.scenes import report_scene

# The command reports on the past only (it cuts a period at the real now): a day last week.
TODAY = datetime.now(ZoneInfo("Europe/Stockholm")).date()
FIRST = TODAY - timedelta(days=7)
DAY = datetime(FIRST.year, FIRST.month, FIRST.day, tzinfo=ZoneInfo("Europe/Stockholm")).astimezone(
    UTC
)


async def _seed(tmp_path: Path) -> None:
    db = await Database.open(str(tmp_path / "cli.db"))
    await db.migrate()
    await report_scene(Store(db), DAY)
    await db.close()


async def test_report_writes_the_pdf_and_the_workbook(tmp_path: Path) -> None:
    await _seed(tmp_path)
    out, xlsx = tmp_path / "report.pdf", tmp_path / "report.xlsx"
    result = run_cli(tmp_path, "report", "--group", "järva", "--from", FIRST.isoformat(),
                     "--to", FIRST.isoformat(), "--out", str(out), "--xlsx", str(xlsx),
                     "--lang", "en")  # fmt: skip
    assert result.returncode == 0, result.stderr
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 6
    first = reader.pages[0].extract_text()
    assert "Hours staffed 11.0" in first  # 07–15 and 19–22 local
    assert "Flags raised 1" in first and "Flags acknowledged 1" in first
    assert "Residents reached (at least) 27" in first
    # The board sees every agency (the command line is the deployment's admin) but no names
    # and no free text.
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Säpo" in text  # the key figures list each agency by its short form
    assert "Anna" not in text and "Hemlig" not in text and "K-1" not in text
    book = load_workbook(io.BytesIO(xlsx.read_bytes()))
    summary = dict(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert summary["Hours staffed"] == 11.0 and summary["Flags raised"] == 1
    attendance = list(book["Attendance"].iter_rows(min_row=2, values_only=True))
    assert ("Anna Polis", "Swedish Police Authority", 8.0) in attendance
    with sqlite3.connect(tmp_path / "cli.db") as conn:  # the export is audited, not its figures
        exports = conn.execute(
            "SELECT actor_member_id, detail FROM audit_log WHERE action = 'report.export'"
        ).fetchall()
    assert exports == [(None, f"groups 1 {FIRST.isoformat()}..{FIRST.isoformat()}")]


async def test_report_for_all_groups_and_bad_input(tmp_path: Path) -> None:
    await _seed(tmp_path)
    out = tmp_path / "all.pdf"
    ok = run_cli(tmp_path, "report", "--all", "--from", (FIRST - timedelta(days=30)).isoformat(),
                 "--to", TODAY.isoformat(),
                 "--out", str(out))  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert len(PdfReader(io.BytesIO(out.read_bytes())).pages) == 6
    for args, needle in (
        (("--group", "Nowhere", "--from", "2026-11-01", "--to", "2026-11-30"), "group"),
        (("--all", "--from", "2026-11-30", "--to", "2026-11-01"), "period"),
        (("--all", "--from", "30/11", "--to", "2026-11-01"), "yyyy-mm-dd"),
    ):
        bad = run_cli(tmp_path, "report", *args, "--out", str(tmp_path / "x.pdf"))
        assert bad.returncode == 1 and needle in bad.stderr.lower(), bad.stderr
        assert "Traceback" not in bad.stderr
