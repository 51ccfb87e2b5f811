"""The poster for the office window: the group, its agencies, hours and a QR code to its board.

The QR code is made by segno and drawn as vector squares, so it prints sharp at any size; the
page is drawn with matplotlib's object API (no pyplot, no display) into a one-page PDF whose
text stays text. Confidential agencies are left off, as on the board itself.
"""

from __future__ import annotations

import asyncio
import html
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.domain.board import public_facts
from bot.domain.worklog import WorkPolicy
from bot.i18n import t
from bot.services import boards
from storage.store import Store

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from segno import QRCode

# Paper sizes (ISO 216), portrait, in inches as matplotlib takes them.
SIZES = {"A4": (210 / 25.4, 297 / 25.4), "A3": (297 / 25.4, 420 / 25.4)}
DARK = "#1b2a41"
# matplotlib's path codes (Path.MOVETO, …), as plain ints.
_MOVE, _LINE, _CLOSE = 1, 2, 79
_SEAM = 0.04  # of a module
ACCENT = "#1f6f8b"


class PosterUnavailable(ValueError):
    """The group has no board in a public channel to point the QR code at."""


@dataclass(frozen=True)
class PosterContent:
    """Everything printed on a poster, as plain text."""

    heading: str
    group: str
    agencies_title: str
    agencies: tuple[str, ...]
    office: tuple[str, ...]  # "Öppettider: …", "Adress: …", "Kontakt: …" lines
    qr_caption: str
    link: str
    footer: str


async def poster_for(
    store: Store, group_name: str, *, size: str, lang: str, policy: WorkPolicy
) -> bytes:
    """The PDF poster of a group whose board is in a public channel."""
    group, board = await boards.board_of(store, group_name)
    if board is None or board.channel is None or board.channel.link is None:
        raise PosterUnavailable(
            f"{group.name} has no board in a public channel yet: publish it with"
            f" `samverkan group publish {group.name} --channel @name` first"
        )
    async with store.read() as tx:
        agencies = await tx.groups.agencies()
    facts = public_facts(agencies, [], [], policy.confidential, [])
    office = tuple(
        _plain(t(lang, key, value=value.replace("\n", " · ")))
        for key, value in (
            ("poster.hours", board.hours),
            ("poster.address", board.address),
            ("poster.contact", board.contact),
        )
        if value
    )
    content = PosterContent(
        heading=_plain(t(lang, "poster.heading")),
        group=group.name,
        agencies_title=_plain(t(lang, "poster.agencies", count=facts.agencies)),
        agencies=tuple(a.name for a in agencies if a.code.upper() not in policy.confidential),
        office=office,
        qr_caption=_plain(t(lang, "poster.qr", channel=board.channel.shown)),
        link=board.channel.link,
        footer=_plain(t(lang, "poster.footer")),
    )
    return await asyncio.to_thread(render_poster, content, size)


def render_poster(content: PosterContent, size: str = "A4") -> bytes:
    """Draw the poster on one page and return the PDF."""
    import segno
    from matplotlib import rc_context
    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.figure import Figure

    width, height = SIZES[size]
    scale = width / SIZES["A4"][0]  # type sizes grow with the paper
    figure = Figure(figsize=(width, height))
    FigureCanvasPdf(figure)
    figure.patch.set_facecolor("white")

    def text(y: float, words: str, points: float, **style: object) -> None:
        figure.text(0.5, y, words, ha="center", va="top", fontsize=points * scale, **style)  # type: ignore[arg-type]

    text(0.95, content.heading, 16, color=ACCENT)
    text(0.92, content.group, 44, color=DARK, weight="bold")
    text(0.83, content.agencies_title, 15, color=DARK, weight="bold")
    half = (len(content.agencies) + 1) // 2
    for column, names in ((0.28, content.agencies[:half]), (0.72, content.agencies[half:])):
        for row, name in enumerate(names):
            figure.text(
                column, 0.78 - row * 0.027, name, ha="center", va="baseline",
                fontsize=12.5 * scale, color=DARK,
            )  # fmt: skip
    top = 0.795 - half * 0.027 - 0.02
    for row, line in enumerate(content.office):
        text(top - row * 0.03, line, 13, color=DARK)
    qr_top = top - len(content.office) * 0.03 - 0.02
    qr_size = min(0.42 * height, (qr_top - 0.14) * height) / height
    _draw_qr(figure, segno.make(content.link, error="m"), qr_top, qr_size, width / height)
    text(qr_top - qr_size - 0.01, content.qr_caption, 13, color=DARK, weight="bold")
    text(qr_top - qr_size - 0.04, content.link, 12, color=ACCENT)
    text(0.05, content.footer, 10, color="#555555", style="italic")
    out = io.BytesIO()
    # Type 42 fonts: the text of the PDF stays text (searchable, and readable by a test).
    with rc_context({"pdf.fonttype": 42}):
        figure.savefig(out, format="pdf", metadata={"Title": content.group})
    return out.getvalue()


def _draw_qr(figure: Figure, qr: QRCode, top: float, size: float, aspect: float) -> None:
    """Dark modules as one vector path of squares, with the quiet zone the standard asks."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    rows = [list(row) for row in qr.matrix_iter(border=4)]
    modules = len(rows)
    width = size / aspect  # the same physical width as height
    axes = figure.add_axes((0.5 - width / 2, top - size, width, size))
    axes.set_xlim(0, modules)
    axes.set_ylim(modules, 0)
    axes.set_axis_off()
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for y, row in enumerate(rows):
        x = 0
        while x < modules:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < modules and row[x]:
                x += 1  # a run of dark modules is one rectangle
            # A hair of overlap, so viewers show no seams between neighbouring squares.
            right, bottom = x + _SEAM, y + 1 + _SEAM
            vertices += [(start, y), (right, y), (right, bottom), (start, bottom), (start, y)]
            codes += [_MOVE, _LINE, _LINE, _LINE, _CLOSE]
    axes.add_patch(PathPatch(Path(vertices, codes), facecolor="black", edgecolor="none"))


def _plain(text: str) -> str:
    # Catalogue texts are Telegram HTML; a poster prints the characters themselves.
    return html.unescape(text)
