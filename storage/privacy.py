"""Privacy in SQL: a person's rows (export), their erasure, and the retention purge in batches.

The purge deletes by steps: each step selects at most `limit` ids past their time, then
changes or deletes those rows, so one transaction stays short however much is due.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.retention import DataClass
from storage.privacy_rules import RULES
from storage.rows import Repository, ts


@dataclass(frozen=True)
class Step:
    """Select up to `:limit` ids past `:cutoff`, then run `changes` on them (`:ids`)."""

    table: str
    select: str
    changes: tuple[str, ...]
    # A share of the purge's batch: deleting from a table with many indexes on random keys
    # (the outbox, reminder records) writes more pages per row (bench.purge).
    share: float = 1.0


def _settled_outbox(which: str) -> str:
    """Settled delivery records `which` past :cutoff, but none of an object that can still
    change: its copies are edited, so the record of where they are is kept."""
    return (
        "SELECT id FROM outbox o WHERE state IN ('sent', 'failed', 'cancelled')"  # noqa: S608
        f" AND updated_at < :cutoff AND {which}"
        " AND NOT (ref_type = 'flag' AND EXISTS (SELECT 1 FROM flags f WHERE f.id = ref_id"
        " AND f.closed_at IS NULL))"
        " AND NOT (ref_type IN ('notice', 'notice_status', 'notice_reminder')"
        " AND EXISTS (SELECT 1 FROM notices n WHERE n.id = ref_id))"
        " AND NOT (ref_type = 'handover' AND EXISTS (SELECT 1 FROM handovers h"
        " WHERE h.id = ref_id))"
        " AND NOT (ref_type = 'swap' AND EXISTS (SELECT 1 FROM swap_offers s WHERE s.id = ref_id"
        " AND s.taken_by IS NULL AND s.withdrawn_at IS NULL))"
        " AND NOT (ref_type = 'board' AND EXISTS (SELECT 1 FROM boards b"
        " WHERE b.post_id = ref_id))"
        " LIMIT :limit"
    )


STEPS: dict[DataClass, tuple[Step, ...]] = {
    DataClass.DRAFTS: (
        Step("prompts",
             "SELECT member_id FROM prompts WHERE created_at < :cutoff LIMIT :limit",
             ("DELETE FROM prompts WHERE member_id IN (SELECT value FROM json_each(:ids))",)),
        Step("flag_drafts",
             "SELECT member_id FROM flag_drafts WHERE updated_at < :cutoff LIMIT :limit",
             ("DELETE FROM flag_drafts WHERE member_id IN (SELECT value FROM json_each(:ids))",)),
        Step("notice_drafts",
             "SELECT member_id FROM notice_drafts WHERE updated_at < :cutoff LIMIT :limit",
             ("DELETE FROM notice_drafts WHERE member_id IN"
              " (SELECT value FROM json_each(:ids))",)),
        Step("activity_drafts",
             "SELECT member_id FROM activity_drafts WHERE updated_at < :cutoff LIMIT :limit",
             ("DELETE FROM activity_drafts WHERE member_id IN"
              " (SELECT value FROM json_each(:ids))",)),
    ),
    DataClass.LOCATIONS: (
        Step("presences",
             "SELECT id FROM presences WHERE lat IS NOT NULL AND checked_in_at < :cutoff"
             " LIMIT :limit",
             ("UPDATE presences SET lat = NULL, lon = NULL, accuracy_m = NULL"
              " WHERE id IN (SELECT value FROM json_each(:ids))",)),
    ),
    DataClass.FLAGS: (
        Step("flags",
             "SELECT id FROM flags WHERE purged_at IS NULL AND closed_at < :cutoff LIMIT :limit",
             ("DELETE FROM flag_comments WHERE flag_id IN (SELECT value FROM json_each(:ids))",
              "DELETE FROM flag_reach WHERE flag_id IN (SELECT value FROM json_each(:ids))",
              "DELETE FROM flag_mutes WHERE flag_id IN (SELECT value FROM json_each(:ids))",
              "UPDATE flag_targets SET acknowledged_by = NULL, closed_by = NULL,"
              " decline_reason = NULL WHERE flag_id IN (SELECT value FROM json_each(:ids))",
              "UPDATE flags SET description = '', lat = NULL, lon = NULL, place = NULL,"
              " place_address = NULL, purged_at = :now"
              " WHERE id IN (SELECT value FROM json_each(:ids))")),
    ),
    DataClass.HANDOVERS: (
        Step("handovers",
             "SELECT id FROM handovers WHERE created_at < :cutoff LIMIT :limit",
             ("DELETE FROM handovers WHERE id IN (SELECT value FROM json_each(:ids))",)),
    ),
    DataClass.NOTICES: (
        # Recipients first, one notice's per transaction: a batch of notices would take a
        # hundred recipients each with it (ON DELETE CASCADE) into one long transaction.
        Step("notice_recipients",
             "SELECT n.id FROM notices n WHERE n.created_at < :cutoff"
             " AND EXISTS (SELECT 1 FROM notice_recipients r WHERE r.notice_id = n.id)"
             " LIMIT :limit",
             ("DELETE FROM notice_recipients WHERE notice_id IN"
              " (SELECT value FROM json_each(:ids))",), 0.005),
        Step("notices",
             "SELECT id FROM notices WHERE created_at < :cutoff LIMIT :limit",
             ("DELETE FROM notices WHERE id IN (SELECT value FROM json_each(:ids))",)),
    ),
    DataClass.WORK_NOTES: (
        Step("activities",
             "SELECT id FROM activities WHERE done_at < :cutoff"
             " AND (note IS NOT NULL OR lat IS NOT NULL) LIMIT :limit",
             ("UPDATE activities SET note = NULL, lat = NULL, lon = NULL"
              " WHERE id IN (SELECT value FROM json_each(:ids))",)),
    ),
    DataClass.OUTBOX: (
        # Edits first: an original goes only once nothing refers to it.
        Step("outbox", _settled_outbox("kind = 'edit'"),
             ("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(:ids))",), 0.25),
        Step("outbox",
             _settled_outbox("kind = 'send'"
                             " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.edits = o.id)"),
             ("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(:ids))",), 0.25),
    ),
    DataClass.REMINDERS: (
        # What was done about an open flag or handover is kept: its reminders are derived
        # from the open rows however old, and would be sent again.
        Step("reminders_done",
             "SELECT key FROM reminders_done r WHERE done_at < :cutoff"
             # Reminders of flags and handovers are derived from open rows however old: their
             # records go with the check-ins (two years), not after a month.
             " AND key NOT LIKE 'flag:%' AND key NOT LIKE 'handover:%'"
             " LIMIT :limit",
             ("DELETE FROM reminders_done WHERE key IN (SELECT value FROM json_each(:ids))",),
             0.25),
        Step("news_held",
             "SELECT key FROM news_held WHERE due_at < :cutoff LIMIT :limit",
             ("DELETE FROM news_held WHERE key IN (SELECT value FROM json_each(:ids))",)),
    ),
    DataClass.INVITES: (
        Step("invites",
             "SELECT id FROM invites WHERE expires_at < :cutoff"
             " OR (uses_left = 0 AND created_at < :cutoff) LIMIT :limit",
             ("DELETE FROM invite_uses WHERE invite_id IN (SELECT value FROM json_each(:ids))",
              "DELETE FROM invites WHERE id IN (SELECT value FROM json_each(:ids))")),
    ),
    DataClass.PRESENCES: (
        Step("swap_offers",
             "SELECT o.id FROM swap_offers o JOIN shifts s ON s.id = o.shift_id"
             " WHERE s.ends_at < :cutoff LIMIT :limit",
             ("DELETE FROM swap_offers WHERE id IN (SELECT value FROM json_each(:ids))",)),
        Step("handovers",
             "SELECT h.id FROM handovers h JOIN presences p ON p.id = h.presence_id"
             " WHERE p.checked_out_at < :cutoff LIMIT :limit",
             ("DELETE FROM handovers WHERE id IN (SELECT value FROM json_each(:ids))",)),
        Step("reminders_done",
             "SELECT key FROM reminders_done WHERE done_at < :cutoff LIMIT :limit",
             ("DELETE FROM reminders_done WHERE key IN (SELECT value FROM json_each(:ids))",),
             0.25),
        Step("cover_offers",
             "SELECT id FROM cover_offers WHERE ends_at < :cutoff LIMIT :limit",
             ("DELETE FROM cover_offers WHERE id IN (SELECT value FROM json_each(:ids))",)),
        Step("presences",
             "SELECT id FROM presences WHERE checked_out_at < :cutoff LIMIT :limit",
             ("DELETE FROM presences WHERE id IN (SELECT value FROM json_each(:ids))",)),
        Step("shifts",
             "SELECT id FROM shifts s WHERE ends_at < :cutoff"
             " AND NOT EXISTS (SELECT 1 FROM presences p WHERE p.shift_id = s.id)"
             " AND NOT EXISTS (SELECT 1 FROM swap_offers o WHERE o.shift_id = s.id)"
             " AND NOT EXISTS (SELECT 1 FROM cover_offers c WHERE c.shift_id = s.id)"
             " LIMIT :limit",
             ("DELETE FROM shifts WHERE id IN (SELECT value FROM json_each(:ids))",)),
    ),
    DataClass.AUDIT: (
        Step("audit_log",
             "SELECT id FROM audit_log WHERE at < :cutoff LIMIT :limit",
             ("DELETE FROM audit_log WHERE id IN (SELECT value FROM json_each(:ids))",)),
    ),
}  # fmt: skip

# Tables whose rows go with another's (ON DELETE CASCADE), by class.
_CASCADES = {
    DataClass.HANDOVERS: ("handover_recipients",),
    DataClass.FLAGS: ("flag_targets", "flag_comments", "flag_reach", "flag_mutes"),
    DataClass.INVITES: ("invite_uses",),
}
PURGED_TABLES: dict[DataClass, frozenset[str]] = {
    cls: frozenset([s.table for s in steps] + list(_CASCADES.get(cls, ())))
    for cls, steps in STEPS.items()
}


class PrivacyRepository(Repository):
    """A person's rows, their erasure, and one batch of the purge at a time."""

    async def export(self, member_id: int, telegram_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row about the person, by table (tables with none are left out)."""
        params = {"member": member_id, "telegram": telegram_id}
        out: dict[str, list[dict[str, Any]]] = {}
        for rule in RULES:
            rows = await self._all(rule.export, params)
            if rows:
                out[rule.table] = [dict(r) for r in rows]
        return out

    async def mentions(self, member_id: int, telegram_id: int) -> dict[str, int]:
        """How many rows of each table are about the person (an erasure's dry run)."""
        params = {"member": member_id, "telegram": telegram_id}
        counts: dict[str, int] = {}
        for rule in RULES:
            rows = await self._all(rule.export, params)
            if rows:
                counts[rule.table] = len(rows)
        return counts

    async def erase(self, member_id: int, telegram_id: int, now: datetime) -> None:
        """Delete or pseudonymise the person's rows, table by table (see RULES)."""
        params = {"member": member_id, "telegram": telegram_id, "now": ts(now)}
        # The member's own row last: the other statements find rows by their Telegram id.
        for rule in sorted(RULES, key=lambda r: r.table == "members"):
            for statement in rule.erase:
                await self._conn.execute(statement, params)

    async def purge_batch(self, step: Step, cutoff: datetime, now: datetime, limit: int) -> int:
        """Apply one step to at most `limit` rows past their time; return how many."""
        rows = await self._all(step.select, {"cutoff": ts(cutoff), "limit": limit})
        if not rows:
            return 0
        ids = json.dumps([r[0] for r in rows])
        for statement in step.changes:
            await self._conn.execute(statement, {"ids": ids, "now": ts(now)})
        return len(rows)

    async def due(self, step: Step, cutoff: datetime) -> int:
        """How many rows a step would change now (a dry run)."""
        # The step's own query (constant, from STEPS above) without its limit, counted.
        count = "SELECT count(*) FROM (" + step.select + ") AS due"  # noqa: S608
        row = await self._one(count, {"cutoff": ts(cutoff), "limit": 2**62})
        return int(row[0]) if row else 0
