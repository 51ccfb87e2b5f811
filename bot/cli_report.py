"""The command line of the evaluation report: `samverkan report`."""

from __future__ import annotations

import argparse
import asyncio
from datetime import date
from pathlib import Path

from bot.clock import system_clock
from bot.config import Settings
from bot.domain.periods import Period
from bot.services import members as members_service
from bot.services import reports
from storage.store import Store


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`report --group NAME|--all --from DAY --to DAY --out PDF [--xlsx FILE] [--lang sv|en]`."""
    report = sub.add_parser("report", help="write the evaluation report (PDF, optionally Excel)")
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--group", help="one group, by name")
    which.add_argument("--all", action="store_true", help="every group together")
    report.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD")
    report.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD")
    report.add_argument("--out", required=True, help="the PDF to write")
    report.add_argument("--xlsx", help="also write the tables to this Excel file")
    report.add_argument("--lang", choices=["sv", "en"], default=None)


async def run(store: Store, settings: Settings, args: argparse.Namespace) -> None:
    """Write the PDF (and the Excel file if asked) for one group or all, over the period."""
    from bot.reports.documents import pdf, workbook

    groups = await members_service.list_groups(store)
    if args.group:
        group = await members_service.group_by_name(store, args.group)
        chosen, zone = [group], group.timezone
    else:
        chosen, zone = groups, settings.timezone
    if not chosen:
        raise ValueError("there are no groups to report on")
    try:
        period = Period(date.fromisoformat(args.first), date.fromisoformat(args.last), zone)
    except ValueError as exc:
        raise ValueError(f"the period: {exc} (use --from and --to as YYYY-MM-DD)") from None
    request = reports.Request(tuple(g.id for g in chosen), period, viewer=None)
    facts = await reports.facts(store, request, settings.flag_policy(), system_clock())
    policy = settings.work_policy()
    figures = reports.figures(facts, reports.hidden_for(None, policy))
    lang = args.lang or settings.default_language
    document = await asyncio.to_thread(pdf, figures, lang, policy.types)
    await asyncio.to_thread(Path(args.out).write_bytes, document)
    print(f"wrote {args.out} ({len(document):,} bytes, 6 pages)")
    await reports.record_export(store, request, system_clock())
    if args.xlsx:
        rows = await reports.attendance(store, facts, frozenset())
        book = await asyncio.to_thread(workbook, figures, lang, policy.types, rows)
        await asyncio.to_thread(Path(args.xlsx).write_bytes, book)
        print(f"wrote {args.xlsx} ({len(book):,} bytes)")
