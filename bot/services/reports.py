"""Reports: who may have one, the facts behind it, and need to know applied to its figures."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from bot.domain.checkins import Checkins, seconds_by_member
from bot.domain.errors import NotAllowed, UnknownGroup
from bot.domain.flags import FlagPolicy
from bot.domain.models import Group, Member
from bot.domain.periods import Period
from bot.domain.report import GroupFacts, ReportFigures, ReportInput, compute, hide
from bot.domain.worklog import WorkPolicy, may_report, sees_confidential
from storage.db import Database
from storage.store import Store


@dataclass(frozen=True)
class Request:
    """What to report on, for whom (None: the command line, which sees everything)."""

    group_ids: tuple[int, ...]
    period: Period
    viewer: Member | None


async def reportable_groups(store: Store, member: Member) -> list[Group]:
    """The groups a member may report on: coordinators their own, admins every group."""
    async with store.read() as tx:
        groups = await tx.groups.all()
    return [g for g in groups if may_report(member, g.id)]


async def check(store: Store, request: Request) -> list[Group]:
    """The request's groups, each one the viewer may report on (else NotAllowed)."""
    async with store.read() as tx:
        groups = await tx.groups.many(list(request.group_ids))
    if not groups or len(groups) != len(set(request.group_ids)):
        raise UnknownGroup()
    if request.viewer is not None and not all(may_report(request.viewer, g.id) for g in groups):
        raise NotAllowed()
    return groups


async def facts(store: Store, request: Request, flags: FlagPolicy, now: datetime) -> ReportInput:
    """Read everything the report needs in one consistent snapshot."""
    groups = await check(store, request)
    ids = [g.id for g in groups]
    start = datetime.fromtimestamp(request.period.start, UTC)
    end_at = min(request.period.end, max(request.period.start, int(now.timestamp())))
    end = datetime.fromtimestamp(end_at, UTC)
    async with store.read() as tx:
        agencies = tuple(a.code for a in await tx.groups.agencies())
        names = await tx.groups.directory()
        phases = await tx.activities.phases(ids)
        checkins = await tx.report_facts.checkins(ids, agencies, start, end, now)
        work = await tx.report_facts.work(ids, start, end)
        targets = await tx.report_facts.targets(ids, start, end)
    history: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for p in phases:
        history[p.group_id].append((int(p.since.timestamp()), p.target_pct))
    return ReportInput(
        period=request.period,
        start=request.period.start,
        end=end_at,
        groups=tuple(
            GroupFacts(g.id, g.name, g.min_per_agency, tuple(history[g.id])) for g in groups
        ),
        agencies=agencies,
        checkins=checkins,
        work=work,
        targets=targets,
        deadlines={u.value: int(d.total_seconds()) for u, d in flags.deadlines.items()},
        names=names,
    )


async def record_export(store: Store, request: Request, now: datetime) -> None:
    """Audit that a report left the bot (who, which groups and period; never its figures)."""
    period = request.period
    async with store.transaction() as tx:
        await tx.audit.record(
            "report.export",
            now=now,
            actor_member_id=request.viewer.id if request.viewer else None,
            detail=f"groups {','.join(map(str, request.group_ids))}"
            f" {period.first.isoformat()}..{period.last.isoformat()}",
        )


def hidden_for(viewer: Member | None, policy: WorkPolicy) -> frozenset[str]:
    """The agencies this viewer must not see apart from the others."""
    return frozenset() if sees_confidential(viewer) else policy.confidential


def figures(report: ReportInput, hidden: frozenset[str]) -> ReportFigures:
    """The report's figures with need to know applied (pure; runs in a worker process)."""
    return hide(compute(report), hidden)


async def attendance(
    store: Store, report: ReportInput, hidden: frozenset[str]
) -> list[tuple[str, str, float]]:
    """Hours each member was checked in (for the workbook of coordinators and admins).

    Members of confidential agencies are left out for those who may not see them apart.
    """
    shown = report.checkins
    if hidden:
        keep = [i for i, code in enumerate(shown.agencies) if code not in hidden]
        mask = np.isin(shown.agency, keep)
        shown = Checkins(
            shown.agencies,
            shown.group[mask],
            shown.agency[mask],
            shown.member[mask],
            shown.start[mask],
            shown.end[mask],
        )
    seconds = seconds_by_member(shown, report.start, report.end)
    async with store.read() as tx:
        names = await tx.report_facts.names(list(seconds))
    rows = [(names[m][0], names[m][1], total / 3600) for m, total in seconds.items() if m in names]
    return sorted(rows, key=lambda row: (row[1], row[0]))


def gather(
    database_path: str,
    busy_timeout_ms: int,
    request: Request,
    flags: FlagPolicy,
    now: datetime,
    hidden: frozenset[str],
) -> tuple[ReportFigures, list[tuple[str, str, float]]]:
    """Read and compute a report inside a worker process, on connections of its own.

    A year of a city's check-ins is over a million rows: turning them into figures here, not
    in the bot's process, keeps the event loop free, and only the small figures come back.
    """
    return asyncio.run(_gather(database_path, busy_timeout_ms, request, flags, now, hidden))


async def _gather(
    database_path: str,
    busy_timeout_ms: int,
    request: Request,
    flags: FlagPolicy,
    now: datetime,
    hidden: frozenset[str],
) -> tuple[ReportFigures, list[tuple[str, str, float]]]:
    db = await Database.open(database_path, busy_timeout_ms)
    try:
        store = Store(db)
        report = await facts(store, request, flags, now)
        rows = await attendance(store, report, hidden)
    finally:
        await db.close()
    return figures(report, hidden), rows
