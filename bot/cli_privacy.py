"""The command line of privacy: the retention policy, the purge, a person's data, the audit."""

from __future__ import annotations

import argparse
import asyncio
import html
from pathlib import Path

from bot.clock import system_clock
from bot.config import Settings
from bot.domain.retention import describe
from bot.services import audit_trail, personal_data, privacy
from storage.store import Store


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`privacy policy`, `privacy purge [--dry-run]`, and `audit`."""
    add_audit(sub)
    actions = sub.add_parser("privacy", help="retention policy and purge").add_subparsers(
        dest="action", required=True
    )
    actions.add_parser("policy", help="print how long each class of data is kept")
    purge = actions.add_parser("purge", help="delete what is past its time now")
    purge.add_argument("--dry-run", action="store_true", help="only count what would be deleted")


MEMBER_ACTIONS = ("export", "erase")


def add_member_actions(member: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`member export ID [--out FILE]` and `member erase ID [--dry-run]`."""
    export = member.add_parser("export", help="write everything stored about a member (ZIP)")
    export.add_argument("id", type=int)
    export.add_argument("--out", help="the ZIP file to write (default samverkan-member-ID.zip)")
    erase = member.add_parser(
        "erase", help="erase a member on request (pseudonymise, keep totals)"
    )
    erase.add_argument("id", type=int)
    erase.add_argument("--dry-run", action="store_true", help="only list what would change")


async def member(store: Store, args: argparse.Namespace) -> None:
    """Export or erase one member's data."""
    if args.action == "export":
        export = await personal_data.export_data(store, args.id, system_clock())
        out = Path(args.out or export.filename)
        await asyncio.to_thread(out.write_bytes, export.archive)
        rows = sum(len(r) for r in export.rows.values())
        print(f"wrote {out}: {rows} rows from {len(export.rows)} tables about member {args.id}")
        return
    erasure = await personal_data.erase_member(
        store, args.id, system_clock(), dry_run=args.dry_run
    )
    print("table\trows\twhat erasure does")
    for line in erasure.lines():
        print(line)
    if erasure.done:
        print(f"member {args.id} is erased (deactivated; rows above deleted or pseudonymised)")
    else:
        print(f"dry run: nothing changed; run without --dry-run to erase member {args.id}")


LANG_HELP = "agencies named in this language (default: the deployment's)"


def add_audit(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`audit flag ID` and `audit member ID`."""
    actions = sub.add_parser("audit", help="who read and did what").add_subparsers(
        dest="action", required=True
    )
    for kind, said in (("flag", "who saw and did what with a flag"),
                       ("member", "what a member saw and did")):  # fmt: skip
        trail = actions.add_parser(kind, help=said)
        trail.add_argument("id", type=int)
        trail.add_argument("--lang", choices=["sv", "en"], default=None, help=LANG_HELP)


async def audit(store: Store, args: argparse.Namespace, default_lang: str) -> None:
    """Print an audit trail, oldest first, agencies named in the reader's language."""
    if args.action == "flag":
        trail = await audit_trail.flag_trail(store, args.id)
    else:
        trail = await audit_trail.member_trail(store, args.id)
    lang = args.lang or default_lang
    # The command line's own words are English; only the agencies' names follow `lang`.
    print(f"audit trail of {html.unescape(trail.subject('en'))}: {len(trail.lines)} entries")
    for line in trail.lines:
        who = html.unescape(line.who(lang))
        print(f"{line.at:%Y-%m-%d %H:%M:%S}\t{who}\t{line.action}\t{line.what}\t{line.detail}")


def policy_table(settings: Settings) -> str:
    """The retention policy as a table (the README's Privacy section shows the defaults)."""
    lines = ["class\tkept for\tcounted from\tthen deleted\tkept after"]
    for cls, rule in settings.retention().rules().items():
        lines.append(
            f"{cls.value}\t{describe(rule.period)}\t{rule.counted_from}\t{rule.deleted}"
            f"\t{rule.kept}"
        )
    lines.append(
        f"The purge runs daily at {settings.purge_time():%H:%M} {settings.timezone} (drafts and"
        f" coordinates every {privacy.SHORT_EVERY_S // 60} min)."
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
