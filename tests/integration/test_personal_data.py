"""A person's rights: the export holds every row that names them (from the schema), and
erasure leaves the reports' totals as they were."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from bot.domain.errors import UnknownMember
from bot.services import personal_data
from storage.store import Store
from tests.integration.test_privacy_coverage import _person_columns
from tests.integration.test_purge import NOW, _figures, _one, _seed


async def _naming(store: Store, member_id: int, telegram_id: int) -> dict[str, int]:
    """Per table, the rows any person column of which names the member (read from the schema)."""
    counts: dict[str, int] = {}
    for table, columns in (await _person_columns(store)).items():
        where = " OR ".join(
            f"{c} = :telegram" if "telegram" in c else f"{c} = :member" for c in sorted(columns)
        )
        async with store.read() as tx:
            rows = await tx.privacy._conn.execute_fetchall(
                f"SELECT count(*) FROM {table} WHERE {where}",  # names from the schema
                {"member": member_id, "telegram": telegram_id},
            )
        n = next(iter(rows))[0]
        if n:
            counts[table] = n
    return counts


async def test_the_export_holds_every_row_that_names_the_person(store: Store) -> None:
    ids = await _seed(store)
    member = ids["member"]
    naming = await _naming(store, member, 1)
    assert len(naming) >= 15  # the seed reaches most tables
    export = await personal_data.export_data(store, member, NOW)
    exported = {table: len(rows) for table, rows in export.rows.items()}
    # Audit entries about the member (not only by them) are theirs too: at least as many.
    assert {t: n for t, n in exported.items() if t != "audit_log"} == {
        t: n for t, n in naming.items() if t != "audit_log"
    }
    assert exported["audit_log"] >= naming["audit_log"]
    with zipfile.ZipFile(io.BytesIO(export.archive)) as archive:
        names = set(archive.namelist())
        document = json.loads(archive.read("data.json"))
        flags_csv = archive.read("flags.csv").decode("utf-8-sig")
        agencies_csv = archive.read("agencies.csv").decode("utf-8-sig")
    assert names == {"README.txt", "data.json", "agencies.csv", *(f"{t}.csv" for t in exported)}
    assert document["tables"]["members"][0]["id"] == member
    # The codes in the export can be read: each agency it mentions, by name.
    code = document["tables"]["members"][0]["agency_code"]
    assert {"code": code, "name": "Polismyndigheten", "name_en": "Swedish Police Authority"} in (
        document["agencies"]
    )
    assert "POL,Polismyndigheten,Swedish Police Authority" in agencies_csv
    assert "a resident at number 4" in flags_csv
    # The export itself is in the audit log, without its content.
    assert (
        await _one(
            store,
            "SELECT count(*) FROM audit_log WHERE action = 'privacy.export' AND object_id = ?"
            " AND detail IS NULL",
            (member,),
        )
        == 1
    )


async def test_erasure_pseudonymises_and_keeps_the_reports_totals(store: Store) -> None:
    ids = await _seed(store)
    member = ids["member"]
    before = await _figures(store, ids["group"])
    dry = await personal_data.erase_member(store, member, NOW, dry_run=True)
    assert not dry.done and dry.rows["presences"] == 4
    assert await _one(store, "SELECT display_name FROM members WHERE id = ?", (member,)) != "–"
    erased = await personal_data.erase_member(store, member, NOW)
    assert erased.done
    assert await _figures(store, ids["group"]) == before
    checks = {
        "SELECT display_name || coalesce(username, '') FROM members WHERE id = ?": "–",
        "SELECT telegram_user_id FROM members WHERE id = ?": -member,
        "SELECT count(*) FROM presences WHERE member_id = ? AND lat IS NOT NULL": 0,
        "SELECT count(*) FROM activities WHERE member_id = ? AND note IS NOT NULL": 0,
        "SELECT count(*) FROM handovers WHERE from_member_id = ? AND note != ''": 0,
        "SELECT count(*) FROM outbox WHERE member_id = ?": 0,
        "SELECT count(*) FROM group_memberships WHERE member_id = ?": 0,
        "SELECT count(*) FROM flag_drafts WHERE member_id = ?": 0,
        "SELECT count(*) FROM audit_log WHERE actor_member_id = ? AND actor_telegram_id"
        " IS NOT NULL": 0,
    }
    assert {sql: await _one(store, sql, (member,)) for sql in checks} == checks
    # No Telegram id of theirs is left anywhere.
    assert await _naming(store, 10**12, 1) == {}


async def test_erasing_someone_unknown_says_so(store: Store) -> None:
    with pytest.raises(UnknownMember):
        await personal_data.erase_member(store, 999, NOW, dry_run=True)
