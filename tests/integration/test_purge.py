"""The retention purge: nothing past its time remains, what is fresh stays, reports unchanged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.domain.flags import FlagPolicy
from bot.domain.periods import Period
from bot.domain.retention import DataClass, Retention
from bot.services import privacy, reports
from bot.services.reports import Request
from storage.rows import ts
from storage.store import Store
from tests.factories import START, make_group, make_member

NOW = START + timedelta(days=1200)
OLD = NOW - timedelta(days=1000)  # past every class's time
DAYS_40 = NOW - timedelta(days=40)  # past handovers, reminders, outbox, invites
DAYS_100 = NOW - timedelta(days=100)  # past closed flags
DAYS_200 = NOW - timedelta(days=200)  # past notices
DAYS_400 = NOW - timedelta(days=400)  # past work notes
HOURS_30 = NOW - timedelta(hours=30)  # past exact coordinates
FRESH = NOW - timedelta(minutes=20)  # past nothing


async def _sql(
    store: Store, statement: str, params: dict[str, Any] | tuple[Any, ...] = ()
) -> list[Any]:
    async with store.transaction() as tx:
        return list(await tx.privacy._conn.execute_fetchall(statement, params))


async def _one(store: Store, statement: str, params: tuple[Any, ...] = ()) -> Any:
    async with store.read() as tx:
        rows = await tx.privacy._conn.execute_fetchall(statement, params)
    return next(iter(rows))[0]


async def _seed(store: Store) -> dict[str, int]:
    group = await make_group(store)
    m = (await make_member(store, 1, group=group)).id
    g = group.id
    ids: dict[str, int] = {"member": m, "group": g}

    async def insert(statement: str, *params: Any) -> int:
        (row,) = await _sql(store, statement + " RETURNING id", params)
        return int(row[0])

    async def add(statement: str, *params: Any) -> None:
        await _sql(store, statement, params)

    presence = (
        "INSERT INTO presences (member_id, group_id, shift_id, checked_in_at, lat, lon,"
        " accuracy_m, distance_m, inside, checked_out_at) VALUES (?, ?, ?, ?, 59.1, 17.9, 5, 12,"
        " 1, ?)"
    )
    shift = (
        "INSERT INTO shifts (member_id, group_id, starts_at, ends_at, created_at)"
        " VALUES (?, ?, ?, ?, ?)"
    )
    old_shift = await insert(shift, m, g, ts(OLD), ts(OLD + timedelta(hours=8)), ts(OLD))
    ids["old_presence"] = await insert(
        presence, m, g, old_shift, ts(OLD), ts(OLD + timedelta(hours=8))
    )
    await add(
        "INSERT INTO swap_offers (shift_id, offered_by, created_at) VALUES (?, ?, ?)",
        old_shift,
        m,
        ts(OLD),
    )
    ids["located"] = await insert(
        presence, m, g, None, ts(HOURS_30), ts(HOURS_30 + timedelta(hours=2))
    )
    ids["fresh_presence"] = await insert(presence, m, g, None, ts(FRESH), None)
    ids["fresh_shift"] = await insert(
        shift, m, g, ts(FRESH), ts(NOW + timedelta(hours=8)), ts(FRESH)
    )
    p40 = await insert(presence, m, g, None, ts(DAYS_40), ts(DAYS_40 + timedelta(hours=1)))
    handover = await insert(
        "INSERT INTO handovers (presence_id, from_member_id, group_id, note, created_at)"
        " VALUES (?, ?, ?, 'keys are with the caretaker', ?)",
        p40,
        m,
        g,
        ts(DAYS_40),
    )
    await add(
        "INSERT INTO handover_recipients (handover_id, member_id) VALUES (?, ?)", handover, m
    )
    flag = ("INSERT INTO flags (group_id, raised_by, raiser_agency, category, urgency,"
            " description, lat, lon, created_at, closed_at)"
            " VALUES (?, ?, 'POL', 'housing', 'routine',"
            " 'a resident at number 4', 59.1, 17.9, ?, ?)")  # fmt: skip
    target = ("INSERT INTO flag_targets (flag_id, agency_code, state, ack_deadline,"
              " acknowledged_by, acknowledged_at, closed_by, closed_at, added_at)"
              " VALUES (?, 'SKV', 'resolved', ?, ?, ?, ?, ?, ?)")  # fmt: skip
    for name, opened, closed in (("closed_flag", DAYS_100, DAYS_100), ("open_flag", OLD, None)):
        fid = await insert(flag, g, m, ts(opened), ts(closed) if closed else None)
        ids[name] = fid
        await add(
            target,
            fid,
            ts(opened + timedelta(minutes=30)),
            m,
            ts(opened + timedelta(minutes=3)),
            m,
            ts(opened + timedelta(hours=1)),
            ts(opened),
        )
        await add(
            "INSERT INTO flag_reach (flag_id, member_id, added_at) VALUES (?, ?, ?)",
            fid, m, ts(opened),
        )  # fmt: skip
        await add("INSERT INTO flag_mutes (flag_id, member_id) VALUES (?, ?)", fid, m)
        await add(
            "INSERT INTO flag_comments (flag_id, member_id, text, created_at)"
            " VALUES (?, ?, 'seen him at 5', ?)",
            fid,
            m,
            ts(opened),
        )
    notice = (
        "INSERT INTO notices (author_id, text, audience, group_ids, needs_confirmation,"
        " status_chat_id, created_at) VALUES (?, 'meeting moved', 'group', ?, 1, 1, ?)"
    )
    for name, when in (("old_notice", DAYS_200), ("fresh_notice", FRESH)):
        ids[name] = await insert(notice, m, f"[{g}]", ts(when))
        await add(
            "INSERT INTO notice_recipients (notice_id, member_id) VALUES (?, ?)", ids[name], m
        )
    activity = ("INSERT INTO activities (group_id, member_id, agency_code, kind, type, residents,"
                " minutes, note, lat, lon, done_at, created_at, updated_at) VALUES (?, ?, 'POL',"
                " 'relationship', 'dialogue', '6_20', 60, 'talked to the youth club', 59.1, 17.9,"
                " ?, ?, ?)")  # fmt: skip
    for name, when in (("old_work", DAYS_400), ("fresh_work", FRESH)):
        ids[name] = await insert(activity, g, m, ts(when), ts(when), ts(when))
    outbox = (
        "INSERT INTO outbox (dedup_key, kind, member_id, chat_id, ref_type, ref_id, state,"
        " created_at, updated_at) VALUES (?, 'send', ?, 1, ?, ?, 'sent', ?, ?)"
    )
    ids["old_outbox"] = await insert(outbox, "a", m, "test", 1, ts(DAYS_40), ts(DAYS_40))
    ids["live_outbox"] = await insert(
        outbox, "b", m, "flag", ids["open_flag"], ts(DAYS_40), ts(DAYS_40)
    )
    ids["fresh_outbox"] = await insert(outbox, "c", m, "test", 1, ts(FRESH), ts(FRESH))
    done = "INSERT INTO reminders_done (key, outcome, due_at, done_at) VALUES (?, 'sent', ?, ?)"
    await add(done, "lead:1:m1", ts(DAYS_40), ts(DAYS_40))
    await add(done, f"flag:{ids['open_flag']}:SKV:esc:m1", ts(DAYS_40), ts(DAYS_40))
    await add(done, "lead:2:m1", ts(FRESH), ts(FRESH))
    await add(
        "INSERT INTO news_held (key, member_id, text, zone, priority, due_at, created_at)"
        " VALUES ('n1', ?, 'your shift moved', 'Europe/Stockholm', 1, ?, ?)",
        m,
        ts(DAYS_40),
        ts(DAYS_40),
    )
    await add(
        "INSERT INTO invites (code_hash, role, uses_left, expires_at, created_at)"
        " VALUES ('h', 'expert', 1, ?, ?)",
        ts(DAYS_40),
        ts(DAYS_40),
    )
    old_invite = await _one(store, "SELECT id FROM invites WHERE code_hash = 'h'")
    await add("INSERT INTO invite_uses (invite_id, member_id, used_at) VALUES (?, ?, ?)",
                 old_invite, m, ts(DAYS_40))  # fmt: skip
    await add(
        "INSERT INTO cover_offers (group_id, agency_code, starts_at, ends_at, created_by,"
        " created_at, taken_by, taken_at, shift_id) VALUES (?, 'POL', ?, ?, ?, ?, ?, ?, ?)",
        g, ts(OLD), ts(OLD + timedelta(hours=8)), m, ts(OLD), m, ts(OLD), old_shift,
    )  # fmt: skip
    await add(
        "INSERT INTO audit_log (at, actor_member_id, action) VALUES (?, ?, 'x.old')", ts(OLD), m
    )
    for table in ("prompts",):
        await add(
            f"INSERT INTO {table} (member_id, kind, created_at) VALUES (?, 'x', ?)",
            m,
            ts(NOW - timedelta(hours=2)),
        )
    await add(
        "INSERT INTO flag_drafts (member_id, step, description, updated_at)"
        " VALUES (?, 'describe', 'half a thought', ?)",
        m,
        ts(NOW - timedelta(hours=2)),
    )
    await add(
        "INSERT INTO notice_drafts (member_id, text, updated_at) VALUES (?, 'draft', ?)",
        m,
        ts(NOW - timedelta(hours=2)),
    )
    await add(
        "INSERT INTO activity_drafts (member_id, step, note, updated_at)"
        " VALUES (?, 'note', 'draft note', ?)",
        m,
        ts(NOW - timedelta(hours=2)),
    )
    return ids


async def _figures(store: Store, group_id: int) -> reports.ReportFigures:
    # Within the longest retention (check-ins, 2 years): older periods lose their rows.
    first = (NOW - timedelta(days=700)).date()
    request = Request((group_id,), Period(first, NOW.date(), "Europe/Stockholm"), None)
    facts = await reports.facts(store, request, FlagPolicy(), NOW)
    return reports.figures(facts, frozenset())


async def test_after_the_purge_nothing_past_its_time_remains(store: Store) -> None:
    ids = await _seed(store)
    before = await _figures(store, ids["group"])
    dry = await privacy.purge(store, Retention(), NOW, dry_run=True)
    report = await privacy.purge(store, Retention(), NOW, batch=2)
    assert report.counts == dry.counts | {DataClass.PRESENCES: report.counts[DataClass.PRESENCES]}
    checks = {
        # exact coordinates: only the fresh check-in keeps them
        "SELECT group_concat(id) FROM presences WHERE lat IS NOT NULL": str(ids["fresh_presence"]),
        "SELECT count(*) FROM presences WHERE id = ? AND inside = 1 AND distance_m = 12": 1,
        "SELECT count(*) FROM presences WHERE checked_in_at < ?": 0,
        "SELECT count(*) FROM shifts WHERE ends_at < ?": 0,
        "SELECT count(*) FROM swap_offers": 0,
        "SELECT count(*) FROM handovers": 0,
        "SELECT count(*) FROM handover_recipients": 0,
        "SELECT count(*) FROM flag_comments WHERE flag_id = ?": 0,
        "SELECT count(*) FROM flag_reach WHERE flag_id = ?": 0,
        "SELECT count(*) FROM flag_mutes WHERE flag_id = ?": 0,
        "SELECT description FROM flags WHERE id = ? AND lat IS NULL AND lon IS NULL": "",
        "SELECT count(*) FROM flag_targets WHERE flag_id = ? AND acknowledged_by IS NULL"
        " AND closed_by IS NULL AND acknowledged_at IS NOT NULL": 1,
        "SELECT count(*) FROM notices": 1,
        "SELECT count(*) FROM notice_recipients": 1,
        "SELECT count(*) FROM activities WHERE note IS NOT NULL OR lat IS NOT NULL": 1,
        "SELECT count(*) FROM activities": 2,
        "SELECT count(*) FROM outbox": 2,
        "SELECT min(id) || ',' || max(id) FROM outbox":
            f"{ids['live_outbox']},{ids['fresh_outbox']}",
        "SELECT count(*) FROM reminders_done": 2,
        "SELECT min(key) || ',' || max(key) FROM reminders_done":
            f"flag:{ids['open_flag']}:SKV:esc:m1,lead:2:m1",
        "SELECT count(*) FROM news_held": 0,
        "SELECT count(*) FROM invite_uses": 0,
        "SELECT count(*) FROM cover_offers": 0,
        "SELECT count(*) FROM invites WHERE expires_at < ?": 0,
        "SELECT count(*) FROM audit_log WHERE at < ?": 0,
        "SELECT count(*) FROM prompts": 0,
        "SELECT count(*) FROM flag_drafts": 0,
        "SELECT count(*) FROM notice_drafts": 0,
        "SELECT count(*) FROM activity_drafts": 0,
    }  # fmt: skip
    params = {
        "SELECT count(*) FROM presences WHERE id = ? AND inside = 1 AND distance_m = 12":
            (ids["located"],),
        "SELECT count(*) FROM presences WHERE checked_in_at < ?": (ts(NOW - timedelta(days=730)),),
        "SELECT count(*) FROM shifts WHERE ends_at < ?": (ts(NOW - timedelta(days=730)),),
        "SELECT count(*) FROM flag_comments WHERE flag_id = ?": (ids["closed_flag"],),
        "SELECT count(*) FROM flag_reach WHERE flag_id = ?": (ids["closed_flag"],),
        "SELECT count(*) FROM flag_mutes WHERE flag_id = ?": (ids["closed_flag"],),
        "SELECT description FROM flags WHERE id = ? AND lat IS NULL AND lon IS NULL":
            (ids["closed_flag"],),
        "SELECT count(*) FROM flag_targets WHERE flag_id = ? AND acknowledged_by IS NULL"
        " AND closed_by IS NULL AND acknowledged_at IS NOT NULL": (ids["closed_flag"],),
        "SELECT count(*) FROM invites WHERE expires_at < ?": (ts(NOW - timedelta(days=30)),),
        "SELECT count(*) FROM audit_log WHERE at < ?": (ts(NOW - timedelta(days=730)),),
    }  # fmt: skip
    found = {sql: await _one(store, sql, params.get(sql, ())) for sql in checks}
    assert found == checks
    # The open flag keeps its content, and the reports' figures are those from before.
    assert await _one(store, "SELECT count(*) FROM flag_comments WHERE flag_id = ?",
                      (ids["open_flag"],)) == 1  # fmt: skip
    assert await _figures(store, ids["group"]) == before
    again = await privacy.purge(store, Retention(), NOW)
    assert again.total == 0


async def test_each_transaction_handles_one_batch(store: Store) -> None:
    await _seed(store)
    old = await _one(store, "SELECT count(*) FROM audit_log WHERE at <= ?", (ts(OLD),))
    for _ in range(14 - old):
        await _sql(store, "INSERT INTO audit_log (at, action) VALUES (?, 'x.old')", (ts(OLD),))
    report = await privacy.purge(
        store, Retention(), NOW, classes=[DataClass.AUDIT], batch=4, target_s=None
    )
    assert report.counts == {DataClass.AUDIT: 14}
    assert report.transactions == 4  # 4 + 4 + 4 + 2
