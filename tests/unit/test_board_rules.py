"""The residents' board's rules: the delay grid, what may be public, and the post's status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.board import (
    Board,
    BoardState,
    Channel,
    PostStatus,
    Timing,
    WorkRow,
    clean_office_field,
    post_status,
    public_facts,
)
from bot.domain.models import Agency, Group
from bot.domain.outbox import OutboxMessage, OutboxState
from bot.domain.worklog import Kind, Residents, WorkPolicy, WorkType
from bot.services.board_text import board_text

TEN = Timing(delay=timedelta(minutes=10), interval=timedelta(minutes=10))
AGENCIES = [
    Agency(code="POL", name="Polismyndigheten"),
    Agency(code="SAPO", name="Säkerhetspolisen"),
    Agency(code="SKV", name="Skatteverket"),
]
T0 = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


def test_snapshot_is_a_grid_point_at_least_the_delay_ago() -> None:
    assert TEN.snapshot(T0) == datetime(2026, 11, 30, 6, 50, tzinfo=UTC)
    assert TEN.snapshot(T0 + timedelta(minutes=9, seconds=59)) == TEN.snapshot(T0)
    assert TEN.snapshot(T0 + timedelta(minutes=10)) == T0
    odd = Timing(delay=timedelta(minutes=7), interval=timedelta(minutes=15))
    assert odd.snapshot(T0) == datetime(2026, 11, 30, 6, 45, tzinfo=UTC)


@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
    ),
    st.integers(min_value=1, max_value=180),
    st.integers(min_value=1, max_value=180),
)
def test_a_change_is_public_only_after_the_delay_and_on_the_grid(
    moment: datetime, delay: int, interval: int
) -> None:
    timing = Timing(delay=timedelta(minutes=delay), interval=timedelta(minutes=interval))
    public = timing.public_from(moment)
    assert public - moment >= timing.delay
    assert public - moment < timing.delay + timing.interval
    # At `public` the board shows a moment at or after the change; a second earlier, not yet.
    assert timing.snapshot(public) >= moment
    assert timing.snapshot(public - timedelta(seconds=1)) < moment
    # The snapshot only moves at grid points: at most one change per interval.
    step = timing.interval.total_seconds()
    assert timing.snapshot(moment).timestamp() % step == 0


def test_timing_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="positive"):
        Timing(delay=timedelta(0), interval=timedelta(minutes=10))


@pytest.mark.parametrize("confidential", [{"SAPO"}, {"sapo"}])
def test_confidential_agencies_leave_no_trace(confidential: set[str]) -> None:
    work = [
        WorkRow(agency_code="POL", type="dialogue", residents=Residents.SOME, count=2),
        WorkRow(agency_code="SAPO", type="dialogue", residents=Residents.CROWD, count=5),
        WorkRow(agency_code="SAPO", type="outreach", residents=Residents.FEW, count=1),
        WorkRow(agency_code=None, type="school_visit", residents=Residents.NONE, count=1),
        WorkRow(agency_code="SKV", type="retired_type", residents=Residents.FEW, count=9),
    ]
    facts = public_facts(
        AGENCIES, ["sapo", "POL", None], work, frozenset(confidential),
        ["dialogue", "school_visit", "outreach"],
    )  # fmt: skip
    assert [a.code for a in facts.present] == ["POL"]
    assert facts.agencies == 2 and facts.staffed
    assert [(w.type, w.count, w.residents_at_least) for w in facts.work] == [
        ("dialogue", 2, 12),
        ("school_visit", 1, 0),
    ]
    assert facts.residents_at_least == 12
    only_sapo = public_facts(AGENCIES, ["SAPO"], [], frozenset(confidential), [])
    assert not only_sapo.staffed, "a confidential agency alone does not make the office staffed"


def _board(english: bool, **office: str | None) -> Board:
    return Board(
        group_id=1, channel=Channel(id=-100, name="x", title="X"), address=office.get("address"),
        hours=office.get("hours"), contact=office.get("contact"), english=english,
        state=BoardState.LIVE, state_since=T0, post_id=None, pinned=False, snapshot_at=None,
        queued_at=None, shown_at=None, public_text=None, problem=None,
    )  # fmt: skip


GROUP = Group(
    id=1, name="Järva & co", lat=59.0, lon=17.0, radius_m=400, min_per_agency=2,
    timezone="Europe/Stockholm",
)  # fmt: skip


def test_board_text_in_swedish_with_english_below_escaped_and_short() -> None:
    policy = WorkPolicy(
        types=(WorkType(key="fika", kind=Kind.RELATIONSHIP, sv="Fika <öppet>", en="Coffee"),)
    )
    work = [WorkRow(agency_code="POL", type="fika", residents=Residents.SOME, count=3)]
    facts = public_facts(AGENCIES, ["POL", "SAPO"], work, frozenset({"SAPO"}), ["fika"])
    long = "x" * 199
    text = board_text(
        GROUP, _board(True, address=long, hours=long, contact=long), facts, at=T0,
        week=datetime(2026, 11, 23).date(), policy=policy,
    )  # fmt: skip
    swedish, english = text.split("— — —")
    assert "Järva &amp; co" in swedish and "<b>Järva" in swedish
    assert "Fika &lt;öppet&gt;: 3" in swedish and "Coffee: 3" in english
    assert "1 av 2 myndigheter" in swedish and "1 of 2 agencies" in english
    assert "v. 48" in swedish and "week 48" in english
    assert "Uppdaterad mån 30/11 08:00" in swedish and "Updated Mon 30/11 08:00" in english
    assert "Säkerhetspolisen" not in text and "SAPO" not in text
    assert len(text) < 4096


def _row(i: int, kind: str, state: OutboxState) -> OutboxMessage:
    failed = state is OutboxState.FAILED
    return OutboxMessage(
        id=i, dedup_key=str(i), kind=kind, member_id=None, chat_id=-100, ref_type="board",
        ref_id=1, text="x", keyboard=None, protect_content=False, state=state, generation=0,
        attempts=0, not_before=None, message_id=77 if kind == "send" else None,
        error="Forbidden: bot is not a member" if failed else None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([], PostStatus.WAITING),
        ([("send", OutboxState.PENDING)], PostStatus.WAITING),
        ([("send", OutboxState.SENT), ("edit", OutboxState.SENDING)], PostStatus.WAITING),
        ([("send", OutboxState.SENT), ("edit", OutboxState.SENT)], PostStatus.SHOWN),
        ([("send", OutboxState.SENT), ("edit", OutboxState.CANCELLED)], PostStatus.SHOWN),
        ([("send", OutboxState.SENT), ("edit", OutboxState.FAILED)], PostStatus.REFUSED),
        ([("send", OutboxState.FAILED)], PostStatus.REFUSED),
    ],
)
def test_post_status(states: list[tuple[str, OutboxState]], expected: PostStatus) -> None:
    rows = [_row(i, kind, state) for i, (kind, state) in enumerate(states)]
    status, reason, message_id = post_status(rows)
    assert status is expected
    assert (reason is not None) == (expected is PostStatus.REFUSED)
    assert message_id == (77 if rows else None)


def test_office_fields_are_tidied_and_bounded() -> None:
    assert clean_office_field("  Mån–fre  9–17\\nLör 10–14 \n\n") == "Mån–fre 9–17\nLör 10–14"
    assert clean_office_field("   ") is None and clean_office_field(None) is None
    with pytest.raises(ValueError, match="at most 200"):
        clean_office_field("x" * 201)
    with pytest.raises(ValueError, match="4 lines"):
        clean_office_field("a\nb\nc\nd\ne")


def test_many_work_types_fit_in_one_message() -> None:
    keys = [f"type_{n:02d}" for n in range(30)]
    policy = WorkPolicy(
        types=tuple(
            WorkType(key=k, kind=Kind.RELATIONSHIP, sv=f"Sv {k} " * 4, en=f"En {k} " * 4)
            for k in keys
        )
    )
    work = [
        WorkRow(agency_code="POL", type=k, residents=Residents.FEW, count=n + 1)
        for n, k in enumerate(keys)
    ]
    facts = public_facts(AGENCIES * 4, ["POL"], work, frozenset({"SAPO"}), keys)
    long = "x" * 66 + "\n" + "y" * 66 + "\n" + "z" * 66
    board = _board(True, address=long, hours=long, contact=long)
    text = board_text(GROUP, board, facts, at=T0, week=T0.date(), policy=policy)
    assert len(text) < 4096
    swedish = text.split("— — —")[0]
    assert swedish.count("• ") == 9  # the 8 most frequent types, then the rest together
    assert "type_29" in swedish and "type_22" in swedish and "type_21" not in swedish
    assert f"• Annat relationsbyggande arbete: {sum(range(1, 23))}" in swedish
    assert f"Minst {sum(range(1, 31))} boende nåddes." in swedish


def test_a_board_with_very_many_agencies_still_fits() -> None:
    agencies = [Agency(code=f"A{i}", name=f"Myndighet nummer {i} " + "x" * 25) for i in range(60)]
    long = "\n".join(["x" * 48] * 4)
    board = _board(True, address=long, hours=long, contact=long)

    def text_with(present: int) -> str:
        here = agencies[:present]
        facts = public_facts(here, [a.code for a in here], [], frozenset(), [])
        return board_text(GROUP, board, facts, at=T0, week=T0.date(), policy=WorkPolicy())

    both = text_with(10)
    assert "Myndighet nummer 7" in both and "The office is staffed" in both
    swedish = text_with(40)  # named in one language fits, in two it would not
    assert "Myndighet nummer 7" in swedish and "The office is staffed" not in swedish
    counted = text_with(60)  # not even in one: counted, in both languages
    assert "På plats: 60 av 60 myndigheter" in counted and "Here: 60 of 60" in counted
    assert "nummer 7" not in counted
    assert max(len(both), len(swedish), len(counted)) <= 3600
