"""`samverkan db copy`: move a deployment to another database (SQLite to PostgreSQL)."""

from __future__ import annotations

import argparse
import sys

from storage.copy import copy_database
from storage.db import Database


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`db copy --from URL --to URL`."""
    db = sub.add_parser("db", help="database chores").add_subparsers(dest="action", required=True)
    copy = db.add_parser(
        "copy", help="copy every row to an empty database, then compare counts and checksums"
    )
    copy.add_argument("--from", dest="source", required=True, help="e.g. sqlite:///./data/x.db")
    copy.add_argument("--to", dest="target", required=True, help="e.g. postgresql://host/db")


def _address(url: str) -> str:
    """What Database.open takes: a SQLite path, or a PostgreSQL address as it is."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    if url.startswith(("postgresql://", "postgres://")):
        return url
    raise ValueError(f"not a database address: start with sqlite:/// or postgresql:// ({url!r})")


async def copy(args: argparse.Namespace, busy_timeout_ms: int) -> int:
    """Copy, then print each table's figures; 1 when any table's figures differ."""
    source = await Database.open(_address(args.source), busy_timeout_ms)
    try:
        target = await Database.open(_address(args.target), busy_timeout_ms)
        try:
            report = await copy_database(source, target)
        finally:
            await target.close()
    finally:
        await source.close()
    width = max(len(t.table) for t in report)
    for t in report:
        verdict = "ok" if t.matches else "DIFFERS"
        print(
            f"{t.table:<{width}}  {t.source_rows:>9} -> {t.target_rows:<9}"
            f"  checksum {t.source_sum[:16]} {verdict}"
        )
    bad = [t.table for t in report if not t.matches]
    if bad:
        print(f"samverkan: the copy differs in {', '.join(bad)}", file=sys.stderr)
        return 1
    rows = sum(t.source_rows for t in report)
    print(f"copied {rows} rows in {len(report)} tables; every count and checksum matches")
    return 0
