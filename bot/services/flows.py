"""What a member is in the middle of (a flag, a notice or a work-log entry being composed, or
a question the bot asked): finding an unfinished draft, going on with it, and stopping it."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from bot.domain.errors import DomainError
from bot.domain.flags import DraftStep, FlagDraft
from bot.domain.flows import Flow
from bot.domain.models import Member
from bot.domain.notices import Audience
from bot.domain.notices import Draft as NoticeDraft
from bot.domain.worklog import ActivityDraft, LogStep
from bot.services import flag_drafts, log_drafts, notice_drafts
from bot.services.prompts import PROMPT_TTL
from storage.store import Store, Tx

# Questions asked on a step of a draft: the draft names the flow they belong to.
OF_DRAFT = {
    flag_drafts.PROMPT_DESCRIPTION: Flow.FLAG,
    flag_drafts.PROMPT_LOCATION: Flow.FLAG,
    notice_drafts.PROMPT_TEXT: Flow.NOTICE,
    log_drafts.PROMPT_NOTE: Flow.LOG,
    log_drafts.PROMPT_LOCATION: Flow.LOG,
}
# /plan keeps no draft: its question holds the id of the message whose buttons plan a shift,
# so stopping it can take those buttons away, and the press that drew them (typed text is
# read against them).
PLAN = "plan"


def plan_held(message_id: int, press: str | None) -> str:
    """The payload of /plan's question: its message, and the press that drew its buttons."""
    return f"{message_id} {press}" if press else str(message_id)


def plan_shown(payload: str | None) -> tuple[int | None, str | None]:
    """The message and press a payload of /plan's question holds (None: not there)."""
    shown, _, press = (payload or "").partition(" ")
    return (int(shown) if shown.isdecimal() else None), press or None


class Stopped(NamedTuple):
    """What /cancel stopped: each draft's flow, and the question's kind when it belongs to no
    draft (empty when there was nothing); the message whose buttons belonged to it."""

    flows: list[str]
    message_id: int | None


class Unfinished(NamedTuple):
    """A draft with something in it: a new flow would drop it."""

    flow: Flow
    draft_id: int  # 0 for a notice, whose draft has no id
    step: int  # where it is (a step's place): a button shown before it moved on is stale
    draft: FlagDraft | ActivityDraft | NoticeDraft


class NotUnfinished(DomainError):
    """The draft a button was shown for was finished, dropped or replaced since."""

    key = "auth.stale_button"


async def stop(store: Store, member: Member, now: datetime) -> Stopped:
    """Drop the open question and every draft."""
    async with store.transaction() as tx:
        asked = await tx.prompts.current(member.id, now - PROMPT_TTL)
        await tx.prompts.cancel(member.id)
        had_notice = await tx.notices.draft(member.id) is not None
        await tx.notices.drop_draft(member.id)
        had = {
            Flow.FLAG: await tx.flags.drop_draft(member.id),
            Flow.NOTICE: had_notice,
            Flow.LOG: await tx.activities.drop_draft(member.id),
        }
    stopped: list[str] = [flow for flow, dropped in had.items() if dropped]
    flow = OF_DRAFT.get(asked[0], asked[0]) if asked is not None else None
    if flow is not None and flow not in stopped:
        stopped.insert(0, flow)
    shown = plan_shown(asked[1])[0] if asked is not None and asked[0] == PLAN else None
    return Stopped(stopped, shown)


async def unfinished(store: Store, member: Member) -> Unfinished | None:
    """The member's draft that holds a choice or a text (one that holds nothing is simply
    replaced when a flow starts: nothing is lost)."""
    async with store.read() as tx:
        return await _unfinished(tx, member)


async def drafted(store: Store, member: Member) -> Unfinished | None:
    """The draft the member is composing, holding anything yet or not."""
    async with store.read() as tx:
        return await _unfinished(tx, member, begun=False)


async def _unfinished(tx: Tx, member: Member, begun: bool = True) -> Unfinished | None:
    flag = await tx.flags.draft(member.id)
    if flag is not None and (flag.targets or flag.category or flag.description or not begun):
        return Unfinished(Flow.FLAG, flag.id, list(DraftStep).index(flag.step), flag)
    entry = await tx.activities.draft(member.id)
    if entry is not None and (entry.kind is not None or not begun):
        return Unfinished(Flow.LOG, entry.id, list(LogStep).index(entry.step), entry)
    notice = await tx.notices.draft(member.id)
    if notice is not None and (notice.text is not None or not begun):
        step = 0 if notice.audience is None else 1 + list(Audience).index(notice.audience)
        return Unfinished(Flow.NOTICE, 0, step, notice)
    return None


class Waiting(NamedTuple):
    """A draft whose step asks a question in words (or for a location)."""

    found: Unfinished
    question: str
    displaced: bool  # another flow's question took its place and has ended since


async def waiting(store: Store, member: Member) -> Waiting | None:
    """The draft whose step asks a question, unless another question is open now."""
    async with store.read() as tx:
        asked = await tx.prompts.current(member.id)
        found = await _unfinished(tx, member, begun=False)
    question = _question(found.draft) if found is not None else None
    if found is None or question is None or (asked is not None and asked[0] != question):
        return None
    return Waiting(found, question, asked is None)


async def ask_again(store: Store, member: Member, found: Waiting, now: datetime) -> None:
    """Ask the waiting draft's question again (the hour it stays open starts anew)."""
    async with store.transaction() as tx:
        await tx.prompts.ask(member.id, found.question, None, now)


def _question(draft: FlagDraft | ActivityDraft | NoticeDraft) -> str | None:
    if isinstance(draft, FlagDraft):
        return flag_drafts.question(draft)
    if isinstance(draft, ActivityDraft):
        return log_drafts.question(draft)
    return notice_drafts.question(draft)


class At(NamedTuple):
    """Which unfinished draft, at which step, a Continue or Start over button was shown for."""

    flow: Flow
    draft_id: int
    step: int


def _is(found: Unfinished | None, at: At) -> bool:
    return found is not None and (found.flow, found.draft_id, found.step) == at


async def resume(
    store: Store, member: Member, at: At, now: datetime
) -> FlagDraft | ActivityDraft | NoticeDraft:
    """Go on with the unfinished draft the button named: its step's question is asked again
    (NotUnfinished if that draft is not the unfinished one any more)."""
    async with store.transaction() as tx:
        found = await _unfinished(tx, member)
        if found is None or not _is(found, at):
            raise NotUnfinished()
        # A notice with its text asks nothing more in words: its steps are buttons.
        if isinstance(found.draft, FlagDraft):
            await flag_drafts.ask_again(tx, found.draft, now)
        elif isinstance(found.draft, ActivityDraft):
            await log_drafts.ask_again(tx, found.draft, now)
        return found.draft


async def restart(store: Store, member: Member, at: At, now: datetime) -> None:
    """Drop everything unfinished, if the button's draft is still the unfinished one."""
    if not _is(await unfinished(store, member), at):
        raise NotUnfinished()
    await stop(store, member, now)
