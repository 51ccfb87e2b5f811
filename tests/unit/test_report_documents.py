"""Report figures from a small hand-computed day, and the charts, workbook and PDF."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from bot.domain import figures as fig
from bot.domain.checkins import Checkins
from bot.domain.periods import Period
from bot.domain.report import GroupFacts, ReportInput, compute, hide
from bot.reports import tables
from bot.reports.charts import CHARTS, chart_png
from bot.reports.documents import pdf, workbook

ZONE = "Europe/Stockholm"
AGENCIES = ("POL", "TULL", "SAPO", "FK")
DAY = Period(date(2026, 11, 30), date(2026, 11, 30), ZONE)  # a Monday, UTC+1
H = 3600
T0 = DAY.start  # 00:00 local


def facts() -> ReportInput:
    spans = [
        fig.Span(1, "POL", 1, T0 + 8 * H, T0 + 16 * H),
        fig.Span(1, "POL", 2, T0 + 8 * H, T0 + 16 * H),
        fig.Span(1, "TULL", 3, T0 + 8 * H, T0 + 12 * H),
        fig.Span(1, "SAPO", 4, T0 + 20 * H, T0 + 24 * H),
        fig.Span(1, "SAPO", 5, T0 + 20 * H, T0 + 24 * H),
    ]
    work = [
        fig.WorkFact(1, "POL", "boundary", "control", 60, 0, T0 + 9 * H, ("TULL",)),
        fig.WorkFact(1, "POL", "relationship", "dialogue", 120, 6, T0 + 10 * H, ("SAPO",)),
        fig.WorkFact(1, "SAPO", "relationship", "outreach", 60, 21, T0 + 21 * H, ("POL",)),
    ]
    targets = [
        fig.TargetFact(1, 1, "POL", "TULL", "urgent", T0 + 9 * H, T0 + 9 * H + 300,
                       T0 + 9 * H + 120, True),
        fig.TargetFact(1, 1, "POL", "SAPO", "urgent", T0 + 9 * H, T0 + 9 * H + 300,
                       T0 + 9 * H + 600, False),
        fig.TargetFact(2, 1, "SAPO", "FK", "routine", T0 + 21 * H, T0 + 29 * H, None, False),
    ]  # fmt: skip
    return ReportInput(
        period=DAY,
        start=DAY.start,
        end=DAY.end,
        groups=(GroupFacts(1, "Järva", 2, ((T0 - 5 * 86400, 30), (T0 + 12 * H, 60))),),
        agencies=AGENCIES,
        checkins=Checkins.of(spans, AGENCIES),
        work=work,
        targets=targets,
        deadlines={"urgent": 300, "priority": 1800, "routine": 28800},
    )


def test_figures_of_a_day_by_hand() -> None:
    got = compute(facts())
    key = got.key
    assert key.hours_in_period == 24 and key.staffed_hours == 12  # 08–16 and 20–24
    assert got.met == {"POL": 8 / 24, "TULL": 0.0, "SAPO": 4 / 24, "FK": 0.0}
    assert got.heat["POL"][8] == 2.0 and got.heat["POL"][16] == 0.0  # Monday 08:00 and 16:00
    assert got.heat["TULL"][11] == 1.0 and len(got.heat["POL"]) == 168
    assert (key.flags_raised, key.flags_acknowledged, key.flags_resolved) == (2, 1, 1)
    assert key.median_ack_minutes == 6.0  # 2 and 10 minutes
    assert key.minutes_by_kind == {"boundary": 60, "relationship": 180}
    assert key.relationship_pct == 75 and key.residents_at_least == 27
    assert key.target_pct == 60  # the target changed at noon; the period ends at midnight
    assert got.week_targets == (60,)
    assert got.flags_matrix == {("POL", "TULL"): 1, ("POL", "SAPO"): 1, ("SAPO", "FK"): 1}
    assert key.in_time_share == 1 / 3 and key.joint_activities == 3


def test_confidential_agencies_count_in_totals_but_are_never_broken_out() -> None:
    full = compute(facts())
    shown = hide(full, frozenset({"SAPO"}))
    assert "SAPO" not in shown.agencies and "SAPO" not in shown.heat and "SAPO" not in shown.met
    assert all("SAPO" not in pair for pair in [*shown.flags_matrix, *shown.joint_matrix])
    assert "SAPO" not in shown.responses
    assert shown.key == full.key  # totals keep them
    assert shown.key.staffed_hours == 12  # the SAPO evening counts
    book = load_workbook(io.BytesIO(workbook(shown, "en")))
    cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert "SAPO" not in cells and "POL" in cells
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf(shown, "en"))).pages)
    assert "SAPO" not in text and "POL" in text


@pytest.mark.parametrize("index", range(len(CHARTS)))
def test_each_chart_decodes_as_a_png_of_the_expected_size(index: int) -> None:
    data = chart_png(hide(compute(facts()), frozenset({"SAPO"})), index, "sv")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1200, 675)


def test_charts_of_an_empty_period_still_draw() -> None:
    empty = ReportInput(DAY, DAY.start, DAY.start, (GroupFacts(1, "Järva", 2),), AGENCIES,
                        Checkins.empty(AGENCIES), [], [], {})  # fmt: skip
    for index in range(len(CHARTS)):
        assert Image.open(io.BytesIO(chart_png(compute(empty), index, "en"))).size == (1200, 675)


def test_the_workbook_totals_equal_the_pdfs() -> None:
    figures = hide(compute(facts()), frozenset({"SAPO"}))
    reader = PdfReader(io.BytesIO(pdf(figures, "en")))
    assert len(reader.pages) == 6  # key figures, then the five charts
    first_page = reader.pages[0].extract_text()
    book = load_workbook(io.BytesIO(workbook(figures, "en", attendance=[("Anna", "POL", 8)])))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    expected = dict(tables.key_rows(figures, "en"))
    assert summary == {k: v for k, v in expected.items()}
    assert summary["Hours staffed"] == 12 and summary["Flags raised"] == 2
    for label, value in expected.items():
        assert f"{label} {'–' if value is None else value}" in first_page
    assert [s.title for s in book.worksheets][-1] == "Attendance"
    assert list(book["Attendance"].iter_rows(values_only=True))[1] == ("Anna", "POL", 8)
    mix = list(book["Work mix"].iter_rows(min_row=2, values_only=True))
    assert mix == [("2026-W49", 1.0, 3.0, 0.75, 0.6)]


def test_the_pdf_speaks_the_asked_language() -> None:
    figures = compute(facts())
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf(figures, "sv"))).pages)
    assert "Samverkan – nyckeltal" in text and "Bemannade timmar 12.0" in text
    assert "Hours staffed" not in text
