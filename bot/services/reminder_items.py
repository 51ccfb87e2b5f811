"""The units of the reminder scan: one due occurrence, and what a scan did."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.domain.reminders import Kind
from storage.store import Tx

HORIZON = timedelta(hours=24)
Action = Callable[[Tx, datetime], Awaitable[None]]


@dataclass
class Due:
    """One reminder occurrence for one recipient (or one action)."""

    key: str
    kind: Kind
    due: datetime
    cause_holds: bool
    until: datetime | None = None
    member_id: int | None = None
    zone: str = "Europe/Stockholm"
    text: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    urgent: bool = False
    action: Action | None = None


@dataclass
class ScanResult:
    """What one scan did, and when the next reminder falls due."""

    sent: int = 0
    dropped: int = 0
    deferred: int = 0
    next_due: datetime | None = None
