"""Every table that mentions a person, and what export, erasure and the purge do with it.

One registry, so a new table cannot be forgotten: a test reads the schema and fails when a
table with a member reference is missing here, or names a member in a column not listed.
Statements bind `:member` (the member's id), `:telegram` (their Telegram id) and `:now`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.retention import DataClass


@dataclass(frozen=True)
class TableRule:
    """What privacy does with one table."""

    table: str
    # Columns that name a person (a member id, or a Telegram user id).
    member_columns: tuple[str, ...]
    # The person's rows, for their export (`:member`).
    export: str
    # Erasure: statements run in one transaction, and what they do, in words.
    erase: tuple[str, ...]
    erased: str
    # The retention class whose purge deletes these rows, or None with the reason kept.
    purge: DataClass | None
    kept: str = ""


RULES: tuple[TableRule, ...] = (
    TableRule(
        "members", ("id", "telegram_user_id"),
        "SELECT id, telegram_user_id, display_name, username, agency_code, role, language,"
        " active, created_at, deactivated_at, unreachable_since FROM members WHERE id = :member",
        ("UPDATE members SET display_name = '–', username = NULL, telegram_user_id = -id,"
         " active = 0, deactivated_at = coalesce(deactivated_at, :now), menu_synced = NULL,"
         " unreachable_since = NULL WHERE id = :member",),
        "name, @username and Telegram id removed; the agency stays for the reports' totals",
        None, "the member's own row, while they are a member; erasure pseudonymises it"),
    TableRule(
        "group_memberships", ("member_id",),
        "SELECT group_id, joined_at FROM group_memberships WHERE member_id = :member",
        ("DELETE FROM group_memberships WHERE member_id = :member",), "deleted",
        None, "which groups a member belongs to, while they do"),
    TableRule(
        "member_settings", ("member_id",),
        "SELECT lead_minutes, evening_before, quiet_from, quiet_to FROM member_settings"
        " WHERE member_id = :member",
        ("DELETE FROM member_settings WHERE member_id = :member",), "deleted",
        None, "the member's own settings, while they are a member"),
    TableRule(
        "invites", ("created_by",),
        "SELECT id, role, agency_code, group_id, uses_left, expires_at, created_at FROM invites"
        " WHERE created_by = :member",
        ("UPDATE invites SET created_by = NULL WHERE created_by = :member",),
        "who created them removed", DataClass.INVITES),
    TableRule(
        "invite_uses", ("member_id",),
        "SELECT invite_id, used_at FROM invite_uses WHERE member_id = :member",
        ("DELETE FROM invite_uses WHERE member_id = :member",), "deleted", DataClass.INVITES),
    TableRule(
        "cover_offers", ("created_by", "taken_by"),
        "SELECT id, group_id, agency_code, starts_at, ends_at, created_by, created_at, taken_by,"
        " taken_at, shift_id FROM cover_offers WHERE created_by = :member OR taken_by = :member",
        (), "kept with the shifts, under the erased member's number", DataClass.PRESENCES),
    TableRule(
        "audit_log", ("actor_member_id", "actor_telegram_id"),
        "SELECT id, at, actor_member_id, action, object_type, object_id, detail FROM audit_log"
        " WHERE actor_member_id = :member OR actor_telegram_id = :telegram"
        " OR (object_type = 'member' AND object_id = :member) ORDER BY id",
        ("UPDATE audit_log SET actor_telegram_id = NULL"
         " WHERE actor_member_id = :member OR actor_telegram_id = :telegram",),
        "pseudonymised: kept under the erased member's number, Telegram id removed",
        DataClass.AUDIT),
    TableRule(
        "outbox", ("member_id",),
        "SELECT id, kind, ref_type, ref_id, state, created_at, updated_at, text FROM outbox"
        " WHERE member_id = :member ORDER BY id",
        ("DELETE FROM outbox WHERE member_id = :member OR chat_id = :telegram",),
        "deleted", DataClass.OUTBOX),
    TableRule(
        "notices", ("author_id",),
        "SELECT id, text, audience, group_ids, agencies, needs_confirmation, created_at,"
        " withdrawn_at FROM notices WHERE author_id = :member",
        (), "kept until their retention, under the erased member's number", DataClass.NOTICES),
    TableRule(
        "notice_recipients", ("member_id",),
        "SELECT notice_id, confirmed_at FROM notice_recipients WHERE member_id = :member",
        (), "kept (the notices' figures), under the erased member's number", DataClass.NOTICES),
    TableRule(
        "notice_drafts", ("member_id",),
        "SELECT step, text, audience, group_id, agencies, needs_confirmation, updated_at"
        " FROM notice_drafts WHERE member_id = :member",
        ("DELETE FROM notice_drafts WHERE member_id = :member",), "deleted", DataClass.DRAFTS),
    TableRule(
        "prompts", ("member_id",),
        "SELECT kind, created_at FROM prompts WHERE member_id = :member",
        ("DELETE FROM prompts WHERE member_id = :member",), "deleted", DataClass.DRAFTS),
    TableRule(
        "flag_drafts", ("member_id",),
        "SELECT step, targets, category, urgency, description, lat, lon, place, place_address,"
        " group_id, updated_at FROM flag_drafts WHERE member_id = :member",
        ("DELETE FROM flag_drafts WHERE member_id = :member",), "deleted", DataClass.DRAFTS),
    TableRule(
        "activity_drafts", ("member_id",),
        "SELECT step, group_id, kind, type, partners, residents, minutes, note, lat, lon,"
        " flag_id, updated_at FROM activity_drafts WHERE member_id = :member",
        ("DELETE FROM activity_drafts WHERE member_id = :member",), "deleted", DataClass.DRAFTS),
    TableRule(
        "shifts", ("member_id",),
        "SELECT id, group_id, starts_at, ends_at, created_at, cancelled_at FROM shifts"
        " WHERE member_id = :member"
        " ORDER BY starts_at",
        (), "kept (coverage history), under the erased member's number", DataClass.PRESENCES),
    TableRule(
        "presences", ("member_id",),
        "SELECT id, group_id, shift_id, checked_in_at, lat, lon, accuracy_m, distance_m, inside,"
        " minutes_late, checked_out_at, checkout_kind FROM presences WHERE member_id = :member"
        " ORDER BY checked_in_at",
        ("UPDATE presences SET lat = NULL, lon = NULL, accuracy_m = NULL"
         " WHERE member_id = :member",),
        "coordinates removed; kept for the reports' hours, under the erased member's number",
        DataClass.PRESENCES),
    TableRule(
        "handovers", ("from_member_id", "acknowledged_by"),
        "SELECT id, presence_id, from_member_id, group_id, agency_code, note, created_at,"
        " acknowledged_by, acknowledged_at FROM handovers"
        " WHERE from_member_id = :member OR acknowledged_by = :member",
        ("UPDATE handovers SET note = '' WHERE from_member_id = :member",),
        "their notes emptied", DataClass.HANDOVERS),
    TableRule(
        "handover_recipients", ("member_id",),
        "SELECT handover_id FROM handover_recipients WHERE member_id = :member",
        ("DELETE FROM handover_recipients WHERE member_id = :member",), "deleted",
        DataClass.HANDOVERS),
    TableRule(
        "swap_offers", ("offered_by", "taken_by"),
        "SELECT id, shift_id, offered_by, created_at, taken_by, taken_at, withdrawn_at"
        " FROM swap_offers WHERE offered_by = :member OR taken_by = :member",
        (), "kept with their shifts, under the erased member's number", DataClass.PRESENCES),
    TableRule(
        "flags", ("raised_by",),
        "SELECT id, group_id, raiser_agency, category, urgency, description, lat, lon, place,"
        " place_address, created_at, withdrawn_at, closed_at FROM flags WHERE raised_by = :member",
        (), "kept (an agency's record) until their retention, under the erased member's number",
        DataClass.FLAGS),
    TableRule(
        "flag_targets", ("acknowledged_by", "closed_by"),
        "SELECT flag_id, agency_code, state, acknowledged_by, acknowledged_at, closed_by,"
        " closed_at, decline_reason FROM flag_targets"
        " WHERE acknowledged_by = :member OR closed_by = :member",
        (), "kept (an agency's record), under the erased member's number", DataClass.FLAGS),
    TableRule(
        "flag_comments", ("member_id",),
        "SELECT id, flag_id, text, created_at FROM flag_comments WHERE member_id = :member",
        (), "kept (an agency's record) until the flag's retention, under the erased member's"
        " number", DataClass.FLAGS),
    TableRule(
        "flag_reach", ("member_id",),
        "SELECT flag_id, added_at FROM flag_reach WHERE member_id = :member",
        ("DELETE FROM flag_reach WHERE member_id = :member",), "deleted", DataClass.FLAGS),
    TableRule(
        "flag_mutes", ("member_id",),
        "SELECT flag_id FROM flag_mutes WHERE member_id = :member",
        ("DELETE FROM flag_mutes WHERE member_id = :member",), "deleted", DataClass.FLAGS),
    TableRule(
        "activities", ("member_id",),
        "SELECT id, group_id, agency_code, kind, type, residents, minutes, note, lat, lon,"
        " flag_id, done_at, created_at, updated_at FROM activities WHERE member_id = :member"
        " ORDER BY done_at",
        ("UPDATE activities SET note = NULL, lat = NULL, lon = NULL WHERE member_id = :member",),
        "notes and locations removed; kept for the reports' totals", DataClass.WORK_NOTES),
    TableRule(
        "group_phases", ("set_by",),
        "SELECT group_id, phase, target_pct, since FROM group_phases WHERE set_by = :member",
        ("UPDATE group_phases SET set_by = NULL WHERE set_by = :member",),
        "who set them removed",
        None, "a group's phase history, which reports draw each week against"),
    TableRule(
        "news_held", ("member_id",),
        "SELECT key, text, due_at, created_at FROM news_held WHERE member_id = :member",
        ("DELETE FROM news_held WHERE member_id = :member",), "deleted", DataClass.REMINDERS),
)  # fmt: skip


def rule(table: str) -> TableRule:
    """The rule of one table (KeyError when it has none)."""
    found = {r.table: r for r in RULES}
    return found[table]
