"""The command line of action groups: `samverkan group add|list|phase` (and its other actions)."""

from __future__ import annotations

import argparse

from bot import cli_board, cli_staffing
from bot.clock import system_clock
from bot.config import Settings
from bot.domain.worklog import Phase
from bot.services import members as members_service
from bot.services import worklog as worklog_service
from storage.store import Store


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`group add`, `group list`, `group phase`, and the board's and staffing's group actions."""
    group = sub.add_parser("group", help="action groups").add_subparsers(
        dest="action", required=True
    )
    add = group.add_parser("add", help="set up a new group")
    add.add_argument("name")
    add.add_argument("--lat", type=float, required=True)
    add.add_argument("--lon", type=float, required=True)
    add.add_argument("--radius-m", type=int, required=True)
    add.add_argument("--min-per-agency", type=int, default=2)
    add.add_argument("--timezone", default=None)
    group.add_parser("list", help="list groups")
    phase = group.add_parser("phase", help="set a group's phase and target, or show all")
    phase.add_argument("name", nargs="?", help="the group (leave out to list every group's)")
    phase.add_argument("--phase", choices=[p.value for p in Phase])
    phase.add_argument(
        "--target", type=int, help="target share of relationship-building work, percent"
    )
    cli_board.add_group_actions(group)
    cli_staffing.add_group_actions(group)


async def run(store: Store, settings: Settings, args: argparse.Namespace) -> None:
    """Do one `group` action."""
    if args.action == "add":
        await _add(store, settings, args)
    elif args.action == "phase":
        await _phase(store, args)
    elif args.action == "office":
        await cli_board.office(store, args)
    elif args.action == "target":
        await cli_staffing.target(store, args)
    elif args.action == "publish":
        await cli_board.publish(store, settings, args)
    else:
        await _list(store)


async def _add(store: Store, settings: Settings, args: argparse.Namespace) -> None:
    group = await members_service.add_group(
        store,
        name=args.name,
        lat=args.lat,
        lon=args.lon,
        radius_m=args.radius_m,
        min_per_agency=args.min_per_agency,
        timezone=args.timezone or settings.timezone,
        now=system_clock(),
    )
    print(f"group {group.id} {group.name} added")


async def _list(store: Store) -> None:
    for g in await members_service.list_groups(store):
        print(
            f"{g.id}\t{g.name}\t{g.lat:.5f},{g.lon:.5f}\tradius {g.radius_m} m"
            f"\tmin {g.min_per_agency}/agency\t{g.timezone}"
        )


async def _phase(store: Store, args: argparse.Namespace) -> None:
    if args.name is None:
        for g, current in await worklog_service.phases_of(store):
            shown = f"{current.phase.value}\t{current.target_pct}%" if current else "-\t-"
            print(f"{g.id}\t{g.name}\t{shown}")
        return
    if args.phase is None:
        raise ValueError("say which phase: --phase fight or --phase prevent")
    group, phase = await worklog_service.set_phase(
        store, args.name, Phase(args.phase), args.target, system_clock()
    )
    print(f"group {group.name} is now in phase {phase.phase.value}, target {phase.target_pct}%")
