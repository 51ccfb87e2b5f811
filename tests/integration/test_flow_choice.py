"""Which of a member's drafts typed text goes to: the one whose question is open, else the
one changed last; a flow that begins drops the drafts that hold nothing."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.flags import DraftStep, FlagDraft
from bot.domain.flows import Flow
from bot.domain.models import Role
from bot.domain.notices import Draft as NoticeDraft
from bot.domain.worklog import ActivityDraft, Kind, LogStep
from bot.services import flag_drafts, flows
from storage.store import Store
from tests.factories import START, make_group, make_member


async def test_the_open_question_then_the_latest_change_decides(store: Store) -> None:
    group = await make_group(store)
    member = await make_member(store, 71, group=group)
    flag = FlagDraft(member_id=member.id, step=DraftStep.CATEGORY, targets=("TULL",))
    entry = ActivityDraft(member_id=member.id, step=LogStep.TYPE, kind=Kind.RELATIONSHIP)
    async with store.transaction() as tx:
        flag = await tx.flags.save_draft(flag, START)
        await tx.activities.save_draft(entry, START + timedelta(minutes=5))
    assert (found := await flows.drafted(store, member)) and found.flow is Flow.LOG
    assert (found := await flows.unfinished(store, member)) and found.flow is Flow.LOG

    described = flag.model_copy(update={"step": DraftStep.DESCRIPTION})
    async with store.transaction() as tx:  # its question asked, but changed earlier
        await tx.flags.save_draft(described, START)
        await tx.prompts.ask(member.id, flag_drafts.PROMPT_DESCRIPTION, None, START)
    assert (found := await flows.drafted(store, member)) and found.flow is Flow.FLAG


async def test_a_flow_beginning_drops_the_drafts_that_hold_nothing(store: Store) -> None:
    group = await make_group(store)
    member = await make_member(store, 72, group=group, role=Role.COORDINATOR)
    empty = NoticeDraft(member_id=member.id, text=None, audience=None, group_id=None,
                        agencies=(), needs_confirmation=True)  # fmt: skip
    begun = FlagDraft(member_id=member.id, step=DraftStep.CATEGORY, targets=("TULL",))
    async with store.transaction() as tx:
        await tx.notices.save_draft(empty, START + timedelta(minutes=5))
        await tx.prompts.ask(member.id, "notice_text", None, START + timedelta(minutes=5))
        await tx.flags.save_draft(begun, START)
    found = await flows.before_start(store, member)
    assert found is not None and found.flow is Flow.FLAG
    async with store.read() as tx:
        assert await tx.notices.draft(member.id) is None
        assert await tx.prompts.current(member.id) is None
        assert await tx.flags.draft(member.id) is not None
