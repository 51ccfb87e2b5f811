"""bench.broadcast's database: one group, its coordinator and members; outbox reads."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from bot.domain.models import Role
from storage.db import Database
from storage.store import Store
from tests.factories import make_group, make_member

COORDINATOR_ID = 700_000
FIRST_MEMBER_ID = 700_001


async def seed(path: Path, members: int, *, mark_menus: bool = True) -> None:
    """A migrated database with one group, its coordinator and `members` experts.

    They are long-standing members: their menus are marked as set, as bench/updates.py does,
    unless `mark_menus` is off (see --unsynced-menus).
    """
    db = await Database.open(str(path))
    try:
        await db.migrate()
        store = Store(db)
        group = await make_group(store, "Rinkeby")
        people = [
            await make_member(
                store, COORDINATOR_ID, role=Role.COORDINATOR, group=group, name="Coord",
                language="en",
            )
        ]  # fmt: skip
        for uid in expert_ids(members):
            people.append(
                await make_member(
                    store, uid, role=Role.EXPERT, agency="POL", group=group, name=f"M{uid}",
                    language="en",
                )
            )  # fmt: skip
        if mark_menus:
            async with store.transaction() as tx:
                for member in people:
                    await tx.menus.mark_synced(member.id, member.role, member.language)
    finally:
        await db.close()


def expert_ids(members: int) -> range:
    return range(FIRST_MEMBER_ID, FIRST_MEMBER_ID + members)


def read_only(path: Path) -> contextlib.closing[sqlite3.Connection]:
    return contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=2))


def outbox_states(path: Path) -> dict[str, int]:
    """Rows of the outbox by state, `kind:ref_type:state` keys for the copies that matter."""
    with read_only(path) as conn:
        rows = conn.execute(
            "SELECT kind, coalesce(ref_type, '-'), state, count(*) FROM outbox"
            " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        ).fetchall()
    return {f"{kind}:{ref}:{state}": int(n) for kind, ref, state, n in rows}


def sending_now(path: Path) -> tuple[int, dict[str, int]]:
    """Rows in state 'sending' (in flight), and how they split by kind and object."""
    with read_only(path) as conn:
        (total,) = conn.execute("SELECT count(*) FROM outbox WHERE state = 'sending'").fetchone()
        rows = conn.execute(
            "SELECT kind, coalesce(ref_type, '-'), count(*) FROM outbox"
            " WHERE state = 'sending' GROUP BY 1, 2"
        ).fetchall()
    return int(total), {f"{kind}:{ref}": int(n) for kind, ref, n in rows}


def notices_left(path: Path) -> int:
    """Copies of notices still to go (pending or in flight)."""
    with read_only(path) as conn:
        (left,) = conn.execute(
            "SELECT count(*) FROM outbox WHERE ref_type = 'notice' AND kind = 'send'"
            " AND state IN ('pending', 'sending')"
        ).fetchone()
    return int(left)
