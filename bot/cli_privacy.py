"""The command line of privacy: the retention policy, the purge, a person's data, the audit."""

from __future__ import annotations

import argparse

from bot.clock import system_clock
from bot.config import Settings
from bot.domain.retention import describe
from bot.services import privacy
from storage.store import Store


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`privacy policy` and `privacy purge [--dry-run]`."""
    actions = sub.add_parser("privacy", help="retention policy and purge").add_subparsers(
        dest="action", required=True
    )
    actions.add_parser("policy", help="print how long each class of data is kept")
    purge = actions.add_parser("purge", help="delete what is past its time now")
    purge.add_argument("--dry-run", action="store_true", help="only count what would be deleted")


def policy_table(settings: Settings) -> str:
    """The retention policy as a table (the README's Privacy section shows the defaults)."""
    lines = ["class\tkept for\tcounted from\tthen deleted\tkept after"]
    for cls, rule in settings.retention().rules().items():
        lines.append(
            f"{cls.value}\t{describe(rule.period)}\t{rule.counted_from}\t{rule.deleted}"
            f"\t{rule.kept}"
        )
    return "\n".join(lines)


async def run(store: Store, settings: Settings, args: argparse.Namespace) -> None:
    """Carry out one `privacy` command."""
    if args.action == "policy":
        print(policy_table(settings))
        return
    report = await privacy.purge(store, settings.retention(), system_clock(), dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    for cls, count in report.counts.items():
        print(f"{cls.value}\t{count}")
    print(f"{verb} {report.total} rows in {report.total_s:.2f} s", end="")
    if not args.dry_run:
        print(
            f" ({report.transactions} transactions, longest {report.longest_s * 1000:.1f} ms)",
            end="",
        )
    print()
