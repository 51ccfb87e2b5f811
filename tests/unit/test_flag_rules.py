"""Need to know, as one rule: who may see a flag and do what with it (roles × flags × acts).

The same function decides what a list shows, what a card's edit shows, which buttons a card
offers and what the services let a member do, so this table is the whole of it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.flags import Flag, FlagAct, Target, TargetState, Urgency, allowed, may_see
from bot.domain.models import Member, Role

T = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
GROUP, ELSEWHERE = 1, 2


def _member(mid: int, role: Role, agency: str | None, groups: tuple[int, ...],
            active: bool = True) -> Member:  # fmt: skip
    return Member(id=mid, telegram_user_id=1000 + mid, display_name=f"M{mid}", username=None,
                  agency_code=agency, role=role, language="en", active=active, created_at=T,
                  group_ids=groups)  # fmt: skip


ROLES: dict[str, Member | None] = {
    "raiser": _member(1, Role.EXPERT, "POL", (GROUP,)),
    "raiser's colleague": _member(2, Role.EXPERT, "POL", (GROUP,)),
    "target": _member(3, Role.EXPERT, "TULL", (GROUP,)),
    "target elsewhere": _member(4, Role.EXPERT, "TULL", (ELSEWHERE,)),
    "other agency": _member(5, Role.EXPERT, "SKV", (GROUP,)),
    "coordinator": _member(6, Role.COORDINATOR, None, (GROUP,)),
    "coordinator of target": _member(7, Role.COORDINATOR, "TULL", (GROUP,)),
    "coordinator elsewhere": _member(8, Role.COORDINATOR, None, (ELSEWHERE,)),
    "admin in group": _member(9, Role.ADMIN, None, (GROUP,)),
    "admin elsewhere": _member(10, Role.ADMIN, None, (ELSEWHERE,)),
    "deactivated target": _member(11, Role.EXPERT, "TULL", (GROUP,), active=False),
    "deactivated coordinator": _member(12, Role.COORDINATOR, None, (GROUP,), active=False),
    # Reached by the ladder beyond the group (flag_reach): as the agency, or as a coordinator.
    "target next door, reached": _member(13, Role.EXPERT, "TULL", (ELSEWHERE,)),
    "admin elsewhere, reached": _member(14, Role.ADMIN, None, (ELSEWHERE,)),
    "other agency next door, reached": _member(15, Role.EXPERT, "SKV", (ELSEWHERE,)),
    "stranger": None,
}


def _target(agency: str, state: TargetState) -> Target:
    done = state is not TargetState.OPEN
    return Target(agency=agency, state=state, ack_deadline=T + timedelta(minutes=5),
                  no_one_on_duty=False, acknowledged_by=3 if done else None,
                  acknowledged_at=T if done else None,
                  closed_by=3 if state.finished else None, closed_at=T if state.finished else None,
                  decline_reason=None, redirected_to=None)  # fmt: skip


def _flag(tull: TargetState, closed: bool = False, withdrawn: bool = False) -> Flag:
    return Flag(id=5, group_id=GROUP, raised_by=1, raiser_agency="POL", category="other",
                urgency=Urgency.URGENT, description="x", lat=None, lon=None, created_at=T,
                withdrawn_at=T if withdrawn else None, closed_at=T if closed else None,
                targets=(_target("TULL", tull), _target("FK", TargetState.OPEN)),
                reached=frozenset({13, 14, 15}))  # fmt: skip


FLAGS = {
    "open": _flag(TargetState.OPEN),
    "acknowledged": _flag(TargetState.ACKNOWLEDGED),
    "target done": _flag(TargetState.RESOLVED),
    "closed": _flag(TargetState.RESOLVED, closed=True),
    "withdrawn": _flag(TargetState.OPEN, withdrawn=True),
}

S, A, R, D, C, W, K, M, G = (FlagAct.SEE, FlagAct.ACKNOWLEDGE, FlagAct.RESOLVE,
                             FlagAct.DECLINE, FlagAct.COMMENT, FlagAct.WITHDRAW, FlagAct.ACT_FOR,
                             FlagAct.MUTE, FlagAct.CATEGORISE)  # fmt: skip
NONE: set[FlagAct] = set()
ONLY_SEE = {S}
TARGET = {"open": {S, A, R, D, C, M}, "acknowledged": {S, R, D, C, M}, "target done": {S, C, M},
          "closed": ONLY_SEE, "withdrawn": ONLY_SEE}  # fmt: skip
RUNS = {"open": {S, C, K, M}, "acknowledged": {S, C, K, M}, "target done": {S, C, K, M},
        "closed": ONLY_SEE, "withdrawn": ONLY_SEE}  # fmt: skip
# The raiser's agency owns the flag: whoever of it is in the group follows and comments.
OWNER = {"open": {S, C, M}, "acknowledged": {S, C, M}, "target done": {S, C, M},
         "closed": ONLY_SEE, "withdrawn": ONLY_SEE}  # fmt: skip
EXPECTED: dict[str, dict[str, set[FlagAct]]] = {
    "raiser": {"open": {S, C, W, M, G}, "acknowledged": {S, C, W, M, G},
               "target done": {S, C, W, M, G},
               "closed": ONLY_SEE, "withdrawn": ONLY_SEE},
    "raiser's colleague": OWNER,
    "target": TARGET,
    "target elsewhere": dict.fromkeys(FLAGS, NONE),
    "other agency": dict.fromkeys(FLAGS, NONE),
    "coordinator": RUNS,
    "coordinator of target": {k: TARGET[k] | RUNS[k] for k in FLAGS},
    "coordinator elsewhere": dict.fromkeys(FLAGS, NONE),
    "admin in group": RUNS,
    "admin elsewhere": dict.fromkeys(FLAGS, NONE),
    "deactivated target": dict.fromkeys(FLAGS, NONE),
    "deactivated coordinator": dict.fromkeys(FLAGS, NONE),
    "target next door, reached": TARGET,
    "admin elsewhere, reached": RUNS,
    "other agency next door, reached": dict.fromkeys(FLAGS, NONE),
    "stranger": dict.fromkeys(FLAGS, NONE),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", FLAGS)
def test_who_may_see_and_do_what(role: str, state: str) -> None:
    member, flag = ROLES[role], FLAGS[state]
    assert set(allowed(member, flag)) == EXPECTED[role][state]
    assert may_see(member, flag) is (FlagAct.SEE in EXPECTED[role][state])


def test_the_table_covers_every_act() -> None:
    seen = {act for by_flag in EXPECTED.values() for acts in by_flag.values() for act in acts}
    assert seen == set(FlagAct)
