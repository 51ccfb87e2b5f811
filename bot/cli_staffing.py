"""The command line of staffing targets: `samverkan group target`."""

from __future__ import annotations

import argparse

from bot.cli_agencies import CODE_HELP
from bot.domain.staffing import parse_hours
from bot.services import staffing
from storage.store import Store


def add_group_actions(group: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`group target NAME [--agency CODE --min N [--hours 07-19] | --agency CODE --remove]`."""
    target = group.add_parser(
        "target",
        help="show or set which agencies a group should have, how many, and in which hours",
    )
    target.add_argument("name")
    target.add_argument("--agency", help=CODE_HELP)
    target.add_argument("--min", type=int, help="how many of the agency at least")
    target.add_argument(
        "--hours", default="0-24", help="e.g. 07-19, 22-06 (overnight); default 0-24"
    )
    target.add_argument("--remove", action="store_true", help="leave the agency out of the target")


async def target(store: Store, args: argparse.Namespace) -> None:
    """Show a group's target, or change one agency's line of it."""
    if args.agency and args.remove:
        removed = await staffing.remove_target(store, args.name, args.agency)
        print(f"{args.agency.upper()} {'removed from' if removed else 'was not in'} the target")
    elif args.agency:
        if args.min is None:
            raise ValueError("say how many: --min N (or --remove)")
        hours = parse_hours(args.hours)
        made = await staffing.set_target(store, args.name, args.agency, args.min, hours)
        print(f"{args.name}: {made.agency} at least {made.minimum}, {made.hours_text()}")
    group, targets = await staffing.targets(store, args.name)
    if not targets:
        print(
            f"{group.name}: no target set: {group.min_per_agency} of each agency with members"
            " in the group, round the clock"
        )
        return
    print(f"{group.name}: agency, at least, hours ({group.timezone})")
    for t in targets:
        print(f"{t.agency}\t{t.minimum}\t{t.hours_text()}")
