"""Rest time when planning or taking a shift: the Working Hours Act's 11 hours in 24."""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import DomainError
from bot.domain.models import Member
from bot.domain.shifts import MAX_WORK, MIN_REST, rest_problem
from bot.i18n import Hours, span
from storage.store import Tx

REST_WINDOW = MIN_REST + MAX_WORK  # how far away another shift can still matter


class ShiftInvalid(DomainError):
    """A single shift cannot be planned as asked."""


async def check_rest(
    tx: Tx,
    member: Member,
    start: datetime,
    end: datetime,
    zone: str,
    ignore: int | None = None,
    lang: str | None = None,
) -> None:
    """ShiftInvalid, saying why (in `lang`, the reader's), when the shift leaves the member
    too little rest."""
    nearby = await tx.shifts.of_member(member.id, start - REST_WINDOW, end + REST_WINDOW)
    others = [(s.starts_at, s.ends_at) for s in nearby if s.id != ignore]
    problem = rest_problem(start, end, others)
    if problem is not None:
        raise ShiftInvalid(
            problem.key,
            hours=Hours(problem.hours),
            when=span(lang or member.language, *problem.other, zone),
        )
