"""The units of the reminder scan: one due occurrence, the reads a scan shares, and what a
scan did."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.agencies import Directory
from bot.domain.models import Member, Role
from bot.domain.outbox import Priority
from bot.domain.reminders import Kind
from bot.i18n import Markup, clock_time, t
from storage.reminders import MemberSettings
from storage.store import Tx

HORIZON = timedelta(hours=24)
Action = Callable[[Tx, datetime], Awaitable[None]]
# Renders a message in a language; called only for what a scan queues, outside the write lock.
Render = Callable[[str], Markup]


def fixed(key: str, **values: object) -> Render:
    """A catalogue text with values known now."""

    def render(lang: str) -> Markup:
        return t(lang, key, **values)

    return render


def at_time(key: str, moment: datetime, zone: str, **values: object) -> Render:
    """A catalogue text naming the time of day of `moment` in `zone`, worked out only when
    it is rendered: a scan builds many candidates (the night shift's 1,300 check-outs at
    06:00) and renders the few it sends (bench.scan: a 15 ms stretch of the event loop)."""

    def render(lang: str) -> Markup:
        return t(lang, key, time=clock_time(moment, zone), **values)

    return render


@dataclass
class Due:
    """One reminder occurrence for one recipient (or one action).

    `occurrence` groups the Due items that are settled together (the alerts about one missed
    shift to everyone told of it), so a crash never leaves half of them sent.
    """

    key: str
    kind: Kind
    due: datetime
    cause_holds: bool = True
    until: datetime | None = None
    member_id: int | None = None
    zone: str = "Europe/Stockholm"
    render: Render | None = None
    dedup: str | None = None  # the outbox key (before ":<member>"); the reminder key if None
    urgent: bool = False  # sent in quiet hours too, in the urgent lane
    priority: Priority = Priority.NORMAL
    action: Action | None = None
    occurrence: str = ""
    member: Member | None = None
    settings: MemberSettings = field(default_factory=MemberSettings)
    text: Markup | None = None


@dataclass
class ScanResult:
    """What one scan did, and when the next scan is needed: the next reminder falls due
    (within the look-ahead), or sooner when `more` are due than one scan settles."""

    sent: int = 0
    dropped: int = 0
    deferred: int = 0
    next_due: datetime | None = None
    more: bool = False


class Scan:
    """Reads shared by one scan, each one query however many items need it."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self._coordinators: dict[int, list[Member]] = {}
        self._on_duty: dict[int, list[tuple[int, str | None]]] = {}
        self._people: dict[int, list[Member]] = {}
        self._agencies: Directory | None = None

    async def agencies(self) -> Directory:
        """The agencies by code, to name them in reminders (read once per scan)."""
        if self._agencies is None:
            self._agencies = await self.tx.groups.directory()
        return self._agencies

    async def coordinators(self, group_ids: set[int]) -> dict[int, list[Member]]:
        """The active coordinators of each group."""
        missing = sorted(group_ids - self._coordinators.keys())
        if missing:
            for group_id in missing:
                self._coordinators[group_id] = []
            for member in await self.tx.members.coordinators_of(missing):
                for group_id in set(member.group_ids) & set(missing):
                    self._coordinators[group_id].append(member)
        return {g: self._coordinators[g] for g in group_ids}

    async def on_duty(self, group_ids: set[int]) -> dict[int, list[tuple[int, str | None]]]:
        """(member, agency) of everyone checked in now, per group."""
        missing = sorted(group_ids - self._on_duty.keys())
        if missing:
            for group_id in missing:
                self._on_duty[group_id] = []
            for member_id, group_id, agency, _ in await self.tx.presences.on_duty(missing):
                self._on_duty[group_id].append((member_id, agency))
        return {g: self._on_duty[g] for g in group_ids}

    async def people(self, group_id: int) -> list[Member]:
        """The active members of a group."""
        if group_id not in self._people:
            self._people[group_id] = await self.tx.members.in_groups([group_id], active_only=True)
        return self._people[group_id]

    async def finish(self, items: list[Due]) -> list[Due]:
        """Attach each item's member and settings (two queries in all); the text is rendered
        when the item is settled, so a scan renders only what it queues."""
        ids = {i.member_id for i in items if i.member_id is not None}
        members = await self.tx.members.many(ids)
        settings = await self.tx.reminders.settings_of(sorted(ids))
        for item in items:
            if item.member_id is None:
                continue
            item.member = members.get(item.member_id)
            item.settings = settings[item.member_id]
        return items


def is_coordinator(member: Member) -> bool:
    """Coordinators hear of missed shifts, flags and handovers in their groups."""
    return member.role is Role.COORDINATOR
