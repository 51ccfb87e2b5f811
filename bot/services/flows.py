"""What a member is in the middle of (a flag, a notice or a work-log entry being composed, or
a question the bot asked), and stopping it."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from bot.domain.models import Member
from bot.services import flag_drafts, log_drafts
from bot.services import notices as notices_service
from bot.services.prompts import PROMPT_TTL
from storage.store import Store

FLAG, NOTICE, LOG = "flag", "notice", "log"
# /plan keeps no draft: its question holds the id of the message whose buttons plan a shift,
# so stopping it can take those buttons away.
PLAN = "plan"
# Questions asked on a step of a draft: the draft names the flow they belong to.
OF_DRAFT = {
    flag_drafts.PROMPT_DESCRIPTION: FLAG,
    flag_drafts.PROMPT_LOCATION: FLAG,
    notices_service.PROMPT_TEXT: NOTICE,
    log_drafts.PROMPT_NOTE: LOG,
    log_drafts.PROMPT_LOCATION: LOG,
}


class Stopped(NamedTuple):
    """What /cancel stopped: each draft's flow, and the question's kind when it belongs to no
    draft (empty when there was nothing); the message whose buttons belonged to it."""

    flows: list[str]
    message_id: int | None


async def stop(store: Store, member: Member, now: datetime) -> Stopped:
    """Drop the open question and every draft."""
    async with store.transaction() as tx:
        asked = await tx.prompts.current(member.id, now - PROMPT_TTL)
        await tx.prompts.cancel(member.id)
        had_notice = await tx.notices.draft(member.id) is not None
        await tx.notices.drop_draft(member.id)
        had = {
            FLAG: await tx.flags.drop_draft(member.id),
            NOTICE: had_notice,
            LOG: await tx.activities.drop_draft(member.id),
        }
    stopped = [flow for flow, dropped in had.items() if dropped]
    flow = OF_DRAFT.get(asked[0], asked[0]) if asked is not None else None
    if flow is not None and flow not in stopped:
        stopped.insert(0, flow)
    shown = asked[1] if asked is not None and asked[0] == PLAN else None
    return Stopped(stopped, int(shown) if shown and shown.isdecimal() else None)
