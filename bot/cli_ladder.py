"""`samverkan ladder`: show and set each group's escalation ladder."""

from __future__ import annotations

import argparse

from bot.clock import system_clock
from bot.domain.ladders import Ladder, Rung, parse_rungs
from bot.domain.models import Group
from bot.services import ladders
from bot.services import members as members_service
from storage.store import Store


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`ladder show [GROUP]` and `ladder set GROUP [--rungs …] [--neighbours …]`."""
    ladder = sub.add_parser("ladder", help="who a flag goes to when no one acknowledges")
    actions = ladder.add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="every group's ladder, or one group's")
    show.add_argument("name", nargs="?")
    change = actions.add_parser("set", help="set a group's rungs and neighbouring groups")
    change.add_argument("name")
    change.add_argument(
        "--rungs",
        help="in order, comma-separated, from on_duty to admins: "
        + ",".join(r.value for r in Rung),
    )
    change.add_argument(
        "--neighbours", help='groups whose members of the agency come next, e.g. "Tensta,Husby"'
    )


def describe(ladder: Ladder, group: Group, neighbours: list[Group]) -> str:
    """One line: the rungs in order, the neighbours named where they come."""
    near = ", ".join(g.name for g in neighbours) or "none set"
    steps = [f"neighbours ({near})" if r is Rung.NEIGHBOURS else r.value for r in ladder.rungs]
    return f"{group.name}: {' → '.join(steps)}"


async def run(store: Store, args: argparse.Namespace) -> None:
    """Show or set ladders."""
    if args.action == "show":
        chosen = (
            [await members_service.group_by_name(store, args.name)]
            if args.name
            else await members_service.list_groups(store)
        )
        for group in chosen:
            print(describe(*await _shown(store, group)))
        return
    group = await members_service.group_by_name(store, args.name)
    rungs = parse_rungs(args.rungs) if args.rungs is not None else None
    neighbours = None
    if args.neighbours is not None:
        names = [n.strip() for n in args.neighbours.split(",") if n.strip()]
        neighbours = [await members_service.group_by_name(store, n) for n in names]
    if rungs is None and neighbours is None:
        raise ValueError("say what to set: --rungs and/or --neighbours")
    await ladders.set_ladder(store, group, rungs, neighbours, system_clock())
    print(describe(*await _shown(store, group)))


async def _shown(store: Store, group: Group) -> tuple[Ladder, Group, list[Group]]:
    ladder, neighbours = await ladders.ladder_of(store, group)
    return ladder, group, neighbours
