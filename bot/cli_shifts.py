"""The command line of planned shifts: `samverkan shifts import|template`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.clock import system_clock
from bot.i18n import t
from bot.services import members as members_service
from bot.services import roster, roster_template
from storage.store import Store


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`shifts import FILE` and `shifts template --group NAME --out FILE`."""
    shifts = sub.add_parser("shifts", help="planned shifts").add_subparsers(
        dest="action", required=True
    )
    importing = shifts.add_parser("import", help="import a roster CSV (all lines or none)")
    importing.add_argument("file")
    template = shifts.add_parser(
        "template", help="write a roster to fill in: the group's members, times left blank"
    )
    template.add_argument("--group", required=True)
    template.add_argument("--out", required=True, help="the CSV file to write")


async def run(store: Store, args: argparse.Namespace, lang: str) -> None:
    """Write a roster template (agencies named in `lang`), or import a filled-in roster."""
    if args.action == "template":
        await _template(store, args.group, args.out, lang)
    else:
        await _import(store, args.file)


async def _import(store: Store, path: str) -> None:
    try:
        raw = await asyncio.to_thread(Path(path).read_bytes)
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc}") from exc
    try:
        report = await roster.import_roster_file(store, raw, system_clock())
    except roster.RosterNotText as exc:
        raise ValueError(t("en", exc.key)) from exc
    except roster.RosterInvalid as exc:
        for problem in exc.problems:
            said = t("en", problem.key, **problem.values())
            print(f"line {problem.line}: {said}", file=sys.stderr)
        raise ValueError("nothing was imported") from exc
    print(
        f"imported {report.added} shifts ({report.unchanged} already there);"
        f" {report.members_told} members told"
    )


async def _template(store: Store, group_name: str, out: str, lang: str) -> None:
    group = await members_service.group_by_name(store, group_name)
    _, data = await roster_template.roster_template(store, None, group.id, lang)
    await asyncio.to_thread(Path(out).write_bytes, data)
    print(f"wrote {out}: fill in Start and Slut, then `samverkan shifts import {out}`")
