"""The residents' board: what may reach a public channel, and when.

Safe by construction. A board shows the group as it was at a *snapshot* moment: a point on a
fixed grid (every `interval`, counted from the epoch in UTC) at least `delay` in the past. So a
change is public no sooner than `delay` after it happened and only at grid resolution, and the
board changes at most once per `interval`, whatever happens in between: watching it cannot time
when an agency arrives or leaves. It holds only aggregates (which agencies, how many pieces of
work of each type), never a person, never a moment of a check-in, and never a confidential
agency: `public_facts` is the one place that decides, and every board text is made from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bot.domain.models import Agency
from bot.domain.outbox import OutboxMessage, OutboxState
from bot.domain.worklog import Residents

MAX_OFFICE_FIELD = 200  # address, hours, contact: each a line or two on the board and poster
MAX_OFFICE_LINES = 4
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class BoardState(StrEnum):
    """Where a board stands."""

    OFF = "off"  # office details only, no channel yet
    LIVE = "live"  # kept up to date in its channel
    PAUSED = "paused"  # hidden by a coordinator: the post shows only that it is paused
    STOPPED = "stopped"  # Telegram refused a post, edit or pin: waits for the rights


class Channel(BaseModel):
    """A channel the bot may keep a board in (checked with Telegram)."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str | None  # the public @name without "@", if the channel has one
    title: str

    @property
    def link(self) -> str | None:
        """The public link residents open (and the poster's QR code holds)."""
        return f"https://t.me/{self.name}" if self.name else None

    @property
    def shown(self) -> str:
        """How people refer to it: @name, or the title of a private channel."""
        return f"@{self.name}" if self.name else self.title


class Board(BaseModel):
    """One group's board: its office details, its channel and its post there."""

    model_config = ConfigDict(frozen=True)

    group_id: int
    channel: Channel | None
    address: str | None
    hours: str | None
    contact: str | None
    english: bool
    state: BoardState
    state_since: datetime
    post_id: int | None  # the post showing the board now (the outbox's ref 'board')
    pinned: bool
    snapshot_at: datetime | None  # the moment the public text shows
    queued_at: datetime | None  # when that text was queued for the channel
    shown_at: datetime | None  # when the public text last reached the channel
    public_text: str | None
    problem: str | None  # Telegram's reason when the board stopped


@dataclass(frozen=True)
class Timing:
    """How late, and how often at most, a board shows what happened."""

    delay: timedelta
    interval: timedelta

    def __post_init__(self) -> None:
        if self.delay <= timedelta(0) or self.interval <= timedelta(0):
            raise ValueError("a board's delay and interval are positive")

    def snapshot(self, now: datetime) -> datetime:
        """The moment a board may show at `now`: the last grid point `delay` ago or earlier."""
        step = self.interval.total_seconds()
        since = (now - self.delay - _EPOCH).total_seconds()
        return _EPOCH + timedelta(seconds=step * (since // step))

    def public_from(self, moment: datetime) -> datetime:
        """When a change at `moment` is first on the board (the next grid point, plus delay)."""
        step = self.interval.total_seconds()
        since = (moment - _EPOCH).total_seconds()
        grid = _EPOCH + timedelta(seconds=step * -(-since // step))
        return grid + self.delay


class WorkCount(BaseModel):
    """Relationship-building work of one type in a week: how many times, residents reached."""

    model_config = ConfigDict(frozen=True)

    type: str
    count: int
    residents_at_least: int


class WorkRow(BaseModel):
    """One group of logged work as storage counts it (before the public rule is applied)."""

    model_config = ConfigDict(frozen=True)

    agency_code: str | None
    type: str
    residents: Residents
    count: int


class PublicFacts(BaseModel):
    """Everything a board may say, already stripped of what it must never say."""

    model_config = ConfigDict(frozen=True)

    present: tuple[Agency, ...]  # by name, in the deployment's order
    agencies: int  # how many agencies a board may ever name
    work: tuple[WorkCount, ...]
    residents_at_least: int

    @property
    def staffed(self) -> bool:
        """Someone from an agency the board may name is there."""
        return bool(self.present)


def public_facts(
    agencies: Iterable[Agency],
    present_codes: Iterable[str | None],
    work: Iterable[WorkRow],
    confidential: frozenset[str],
    work_types: Iterable[str],
) -> PublicFacts:
    """The only way to a board's content: confidential agencies leave no trace in it.

    Presence counts only agencies that may be named; a confidential agency's own work is left
    out of every figure (on a public board even a total could tell that it was there); work
    of types the deployment no longer offers is left out rather than shown by its key.
    """
    confidential = frozenset(code.upper() for code in confidential)
    public = [a for a in agencies if a.code.upper() not in confidential]
    here = {code.upper() for code in present_codes if code}
    offered = list(work_types)
    counts = {key: [0, 0] for key in offered}
    for row in work:
        if row.agency_code is not None and row.agency_code.upper() in confidential:
            continue
        if row.type not in counts:
            continue
        counts[row.type][0] += row.count
        counts[row.type][1] += row.count * row.residents.at_least
    return PublicFacts(
        present=tuple(a for a in public if a.code.upper() in here),
        agencies=len(public),
        work=tuple(
            WorkCount(type=key, count=counts[key][0], residents_at_least=counts[key][1])
            for key in offered
            if counts[key][0]
        ),
        residents_at_least=sum(reached for _, reached in counts.values()),
    )


class PostStatus(StrEnum):
    """Where a board's post stands in the outbox."""

    WAITING = "waiting"  # queued or on its way
    SHOWN = "shown"  # everything queued reached the channel
    REFUSED = "refused"  # Telegram refused the post or an edit of it


def post_status(rows: Iterable[OutboxMessage]) -> tuple[PostStatus, str | None, int | None]:
    """The post's status, Telegram's reason when refused, and the post's message id."""
    rows = list(rows)
    message_id = next((r.message_id for r in rows if r.kind == "send"), None)
    refused = next((r for r in rows if r.state is OutboxState.FAILED), None)
    if refused is not None:
        return PostStatus.REFUSED, refused.error or "refused", message_id
    waiting = (OutboxState.PENDING, OutboxState.SENDING, OutboxState.HELD)
    if not rows or any(r.state in waiting for r in rows):
        return PostStatus.WAITING, None, message_id
    return PostStatus.SHOWN, None, message_id


def clean_office_field(value: str | None) -> str | None:
    """An office detail as the board shows it: each line trimmed, blank lines gone, not long."""
    if value is None:
        return None
    lines = [" ".join(line.split()) for line in value.replace("\\n", "\n").splitlines()]
    text = "\n".join(line for line in lines if line)
    if len(text) > MAX_OFFICE_FIELD or text.count("\n") >= MAX_OFFICE_LINES:
        raise ValueError(
            f"at most {MAX_OFFICE_FIELD} characters on {MAX_OFFICE_LINES} lines, please:"
            f" {text[:40]}…"
        )
    return text or None
