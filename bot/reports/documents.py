"""The report's workbook (openpyxl) and PDF (matplotlib's PdfPages): figures, not names.

The workbook may carry per-member attendance, which the caller passes only for the group's
coordinators and admins; the PDF never does.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.report import ReportFigures
from bot.domain.worklog import WorkType
from bot.reports import tables
from bot.reports.charts import CHARTS, DPI, HEIGHT_IN, WIDTH_IN
from bot.reports.text import percent, plain

# (name, agency, hours checked in)
Attendance = Sequence[tuple[str, str, float]]


def _sheet(book: Workbook, title: str, header: Sequence[str], rows: Sequence[tables.Row]) -> None:
    sheet: Worksheet = book.create_sheet(title[:31])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.column_dimensions["A"].width = 28


def workbook(
    figures: ReportFigures,
    lang: str,
    types: tuple[WorkType, ...] = (),
    attendance: Attendance | None = None,
) -> bytes:
    """The report's tables as an .xlsx file."""
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = plain(lang, "sheet.summary")[:31]
    summary.append([plain(lang, "col.figure"), plain(lang, "col.value")])
    for label, value in tables.key_rows(figures, lang):
        summary.append([label, value])
    summary.column_dimensions["A"].width = 45
    summary.column_dimensions["B"].width = 30

    def col(key: str) -> str:
        return plain(lang, key)

    def named(rows: Sequence[tables.Row]) -> list[tables.Row]:
        return [(figures.name(str(row[0]), lang), *row[1:]) for row in rows]

    _sheet(
        book,
        col("sheet.coverage"),
        [col("col.agency"), col("col.met")],
        named(tables.met_rows(figures)),
    )
    _sheet(
        book,
        col("sheet.mix"),
        [
            col("col.week"),
            col("col.boundary_h"),
            col("col.relationship_h"),
            col("col.share"),
            col("col.target"),
        ],
        tables.mix_rows(figures),
    )
    _sheet(
        book,
        col("sheet.types"),
        [col("col.kind"), col("col.type"), col("col.count"), col("col.hours")],
        tables.type_rows(figures, lang, types),
    )
    corner = [col("col.from_to"), *(figures.short(a, lang) for a in figures.agencies)]
    flags, joint = figures.flags_matrix, figures.joint_matrix
    _sheet(book, col("sheet.flags"), corner, named(tables.matrix_rows(figures, flags)))
    _sheet(book, col("sheet.joint"), corner, named(tables.matrix_rows(figures, joint)))
    _sheet(
        book,
        col("sheet.response"),
        [col("col.agency"), col("col.flags"), col("col.acknowledged"), col("col.in_time"),
         col("col.median_min"), col("col.p90_min")],
        named(tables.response_rows(figures)),
    )  # fmt: skip
    _sheet(
        book,
        col("sheet.reach"),
        [col("col.week"), col("col.residents"), col("col.activities")],
        tables.reach_rows(figures),
    )
    _sheet(
        book,
        col("chart.coverage.by_hour" if figures.hourly else "chart.coverage.by_day"),
        [col("col.agency"), *figures.heat_columns],
        named(tables.heat_rows(figures)),
    )
    if attendance is not None:
        _sheet(
            book,
            col("sheet.attendance"),
            [col("col.member"), col("col.agency"), col("col.hours_in")],
            [
                (name, figures.name(agency, lang), round(hours, 1))
                for name, agency, hours in attendance
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def key_page(figures: ReportFigures, lang: str, types: tuple[WorkType, ...] = ()) -> Figure:
    """The PDF's first page: the key figures as a table of text."""
    page = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    page.text(0.04, 0.94, plain(lang, "key.title"), fontsize=18, weight="bold")
    y = 0.87
    for label, value in tables.key_rows(figures, lang):
        page.text(0.04, y, label, fontsize=10)
        page.text(0.40, y, "–" if value is None else str(value), fontsize=10)
        y -= 0.045
    page.text(0.58, 0.87, plain(lang, "key.met_title"), fontsize=10, weight="bold")
    y = 0.82
    for agency, share in tables.met_rows(figures):
        page.text(0.58, y, figures.short(str(agency), lang), fontsize=9)
        page.text(0.68, y, percent(lang, float(share or 0)), fontsize=9)
        y -= 0.035
    page.text(0.76, 0.82 - 0.035 * 0, plain(lang, "key.types_title"), fontsize=10, weight="bold")
    y = 0.78
    for row in tables.type_rows(figures, lang, types):
        page.text(0.76, y, f"{row[1]}: {row[2]}, {row[3]}", fontsize=8)
        y -= 0.03
    if figures.hidden:
        page.text(0.04, 0.03, plain(lang, "chart.hidden"), fontsize=8, color="#555555")
    return page


def pdf(figures: ReportFigures, lang: str, types: tuple[WorkType, ...] = ()) -> bytes:
    """The report for the city executive board: key figures, then the five charts."""
    buffer = io.BytesIO()
    meta = {"Title": plain(lang, "key.title"), "Creator": "Samverkan"}
    # TrueType (42) rather than Type 3 fonts: the text can be searched and copied.
    with rc_context({"pdf.fonttype": 42}), PdfPages(buffer, metadata=meta) as out:
        out.savefig(key_page(figures, lang, types))
        for chart in CHARTS:
            out.savefig(chart(figures, lang))
    return buffer.getvalue()
