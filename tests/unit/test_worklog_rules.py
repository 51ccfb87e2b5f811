"""Work-log rules: configured types, and who may read, change and report (a table)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.models import Member, Role
from bot.domain.worklog import (
    Activity,
    Kind,
    Residents,
    WorkPolicy,
    may_change,
    may_read_note,
    may_report,
    parse_work_types,
    sees_confidential,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def member(mid: int, role: Role, groups: tuple[int, ...], active: bool = True) -> Member:
    return Member(
        id=mid, telegram_user_id=mid, display_name=f"M{mid}", username=None,
        agency_code="POL", role=role, language="sv", active=active, created_at=NOW,
        group_ids=groups,
    )  # fmt: skip


ENTRY = Activity(
    id=1, group_id=1, member_id=10, agency_code="POL", kind=Kind.BOUNDARY, type="control",
    partners=(), residents=Residents.NONE, minutes=30, note="x", lat=None, lon=None,
    flag_id=None, done_at=NOW, created_at=NOW,
)  # fmt: skip

PEOPLE = {
    "author": member(10, Role.EXPERT, (1,)),
    "colleague": member(11, Role.EXPERT, (1,)),
    "coordinator": member(12, Role.COORDINATOR, (1,)),
    "other coordinator": member(13, Role.COORDINATOR, (2,)),
    "admin in group": member(14, Role.ADMIN, (1,)),
    "admin elsewhere": member(15, Role.ADMIN, ()),
    "deactivated author": member(10, Role.EXPERT, (1,), active=False),
}
# who: (reads note, changes within a day, changes after a day, reports on group 1)
TABLE = {
    "author": (True, True, False, False),
    "colleague": (False, False, False, False),
    "coordinator": (True, True, True, True),
    "other coordinator": (False, False, False, False),
    "admin in group": (True, True, True, True),
    "admin elsewhere": (False, False, False, True),
    "deactivated author": (False, False, False, False),
}


@pytest.mark.parametrize("who", TABLE)
def test_who_may_do_what_with_an_entry(who: str) -> None:
    person = PEOPLE[who]
    got = (
        may_read_note(person, ENTRY),
        may_change(person, ENTRY, NOW + timedelta(hours=23)),
        may_change(person, ENTRY, NOW + timedelta(hours=25)),
        may_report(person, 1),
    )
    assert got == TABLE[who]


def test_only_admins_and_the_command_line_see_confidential_agencies() -> None:
    assert sees_confidential(None) and sees_confidential(PEOPLE["admin elsewhere"])
    assert not sees_confidential(PEOPLE["coordinator"])


def test_work_types_default_or_configured_with_labels() -> None:
    assert [w.key for w in parse_work_types(Kind.BOUNDARY, "")][:2] == ["control", "joint_control"]
    custom = parse_work_types(Kind.RELATIONSHIP, "dialogue, sport=Idrott/Sports")
    assert [(w.key, w.sv, w.en) for w in custom] == [
        ("dialogue", None, None),
        ("sport", "Idrott", "Sports"),
    ]
    for bad in ("sport", "Sport=Idrott/Sports", "sport=Idrott", "dialogue,dialogue"):
        with pytest.raises(ValueError):
            parse_work_types(Kind.RELATIONSHIP, bad)
    policy = WorkPolicy(types=custom)
    assert policy.find(Kind.RELATIONSHIP, "sport") is not None
    assert policy.find(Kind.BOUNDARY, "sport") is None


def test_settings_read_the_work_policy_and_refuse_a_bad_list() -> None:
    from pydantic import ValidationError

    from bot.config import Settings

    settings = Settings(
        _env_file=None, work_types_boundary="control,raid=Razzia/Raid", confidential_agencies=""
    )
    policy = settings.work_policy()
    assert [w.key for w in policy.of_kind(Kind.BOUNDARY)] == ["control", "raid"]
    assert len(policy.of_kind(Kind.RELATIONSHIP)) == 6 and policy.confidential == frozenset()
    assert Settings(_env_file=None).work_policy().confidential == frozenset({"SAPO"})
    with pytest.raises(ValidationError, match="raid"):
        Settings(_env_file=None, work_types_boundary="raid")
