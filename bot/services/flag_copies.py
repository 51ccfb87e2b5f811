"""The copies of a flag: one message per flag per person, sent protected and edited in place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.agencies import Directory
from bot.domain.flags import OFFICE, Flag, Urgency, may_see
from bot.domain.models import Member
from bot.domain.outbox import VENUE, Notification, Priority, venue_text
from bot.services.flag_texts import card, gone, venue
from storage.store import Tx

LAST_COMMENTS = 3
# The photos, voice notes and place sent after a person's card: never edited, but cancelled
# while still queued when the flag is withdrawn or the person may no longer see it.
EXTRAS = "flag-extra"


async def names(tx: Tx, flag: Flag, extra: set[int] | None = None) -> dict[int, str]:
    """Display names of everyone the card mentions."""
    ids = (
        {flag.raised_by}
        | (extra or set())
        | {i for t in flag.targets for i in (t.acknowledged_by, t.closed_by) if i is not None}
    )
    found = await tx.members.many(ids)
    return {i: found[i].display_name if i in found else "?" for i in ids}


def lane(flag: Flag) -> Priority:
    """An urgent flag, and all news of it, goes ahead of everything else."""
    return Priority.URGENT if flag.urgency is Urgency.URGENT else Priority.NORMAL


@dataclass(frozen=True)
class View:
    """What a card names besides the flag: people, the last comments, agencies."""

    who: dict[int, str]
    comments: list[tuple[int, str, datetime]]
    agencies: Directory


async def _view(tx: Tx, flag: Flag) -> View:
    comments = await tx.flags.comments(flag.id, LAST_COMMENTS)
    who = await names(tx, flag, {c[0] for c in comments})
    return View(who, comments, await tx.groups.directory())


async def send_copy(
    tx: Tx,
    flag: Flag,
    person: Member,
    now: datetime,
    dedup: str | None = None,
    why: str = "routed",
) -> None:
    """Queue the person's copy of the flag (once per flag and person unless `dedup` says);
    who got the content, and why, is audited (never the content)."""
    group = await tx.groups.get(flag.group_id)
    view = await _view(tx, flag)
    muted = person.id in await tx.flags.muted(flag.id)
    text, keyboard = card(person, flag, view.who, group, view.agencies, view.comments, muted)
    queued = await tx.outbox.enqueue(
        Notification(
            dedup_key=dedup or f"flag:{flag.id}:{person.id}",
            member_id=person.id,
            chat_id=person.telegram_user_id,
            text=text,
            priority=lane(flag),
            keyboard=keyboard,
            protect_content=True,
            ref_type="flag",
            ref_id=flag.id,
        ),
        now,
    )
    if queued:
        await tx.audit.record(
            "flag.read", now=now, actor_member_id=person.id, object_type="flag",
            object_id=flag.id, detail=why,
        )  # fmt: skip
    if not may_see(person, flag):
        return
    for attachment_id, kind, file_id in await tx.flags.attachments(flag.id):
        await tx.outbox.enqueue(
            Notification(
                dedup_key=f"flag-media:{attachment_id}:{person.id}",
                member_id=person.id,
                chat_id=person.telegram_user_id,
                text=f"#{flag.id}",
                priority=lane(flag),
                protect_content=True,
                media=f"{kind}:{file_id}",
                ref_type=EXTRAS,
                ref_id=flag.id,
            ),
            now,
        )
    if flag.lat is not None and flag.lon is not None:
        # The place as a real pin after the card, a venue when it has a name (never edited,
        # so not one of the card's copies).
        board = await tx.boards.get(flag.group_id) if flag.place == OFFICE else None
        named = venue(person.language, flag, group, board.address if board else None)
        await tx.outbox.enqueue(
            Notification(
                dedup_key=f"flag-pin:{flag.id}:{person.id}",
                member_id=person.id,
                chat_id=person.telegram_user_id,
                text=venue_text(*named) if named else f"#{flag.id}",
                priority=lane(flag),
                protect_content=True,
                location=(flag.lat, flag.lon),
                media=VENUE if named else None,
                ref_type=EXTRAS,
                ref_id=flag.id,
            ),
            now,
        )


async def refresh(tx: Tx, flag_id: int, now: datetime) -> Flag:
    """Edit every copy of the flag in place to show each target's current state.

    Each holder's copy shows what `card` lets that holder see now: a holder who may no
    longer see the flag gets the neutral text (once: the outbox skips an unchanged edit).
    """
    flag = await tx.flags.get(flag_id)
    assert flag is not None
    group = await tx.groups.get(flag.group_id)
    view = await _view(tx, flag)
    muted = await tx.flags.muted(flag_id)
    holders = await tx.members.many(await tx.outbox.holders("flag", flag_id))
    for person in holders.values():
        if not person.active:
            await _retire(tx, flag, person, now)
            continue
        if not may_see(person, flag):
            await tx.outbox.cancel_ref(EXTRAS, flag_id, now, person.telegram_user_id)
        text, keyboard = card(
            person, flag, view.who, group, view.agencies, view.comments, person.id in muted
        )
        await tx.outbox.enqueue_edit(
            ref_type="flag",
            ref_id=flag_id,
            chat_id=person.telegram_user_id,
            text=text,
            keyboard=keyboard,
            now=now,
        )
    return flag


async def retire_copies(tx: Tx, member: Member, now: datetime) -> int:
    """Edit the member's copies of every flag to the neutral text (they were deactivated);
    returns how many flags. Runs in the caller's transaction."""
    flag_ids = await tx.outbox.held_refs(member.id, "flag")
    for flag_id in flag_ids:
        flag = await tx.flags.get(flag_id)
        if flag is not None:
            await _retire(tx, flag, member, now)
    return len(flag_ids)


async def recheck_copies(tx: Tx, member: Member, now: datetime) -> int:
    """Edit the member's copies of every flag to what they may see now (their agency
    changed): the card with their buttons, or the neutral text. Returns how many flags."""
    flag_ids = await tx.outbox.held_refs(member.id, "flag")
    for flag_id in flag_ids:
        flag = await tx.flags.get(flag_id)
        if flag is None:
            continue
        view = await _view(tx, flag)
        group = await tx.groups.get(flag.group_id)
        text, keyboard = card(member, flag, view.who, group, view.agencies, view.comments)
        if not may_see(member, flag):
            await tx.outbox.cancel_ref(EXTRAS, flag_id, now, member.telegram_user_id)
        await tx.outbox.enqueue_edit(
            ref_type="flag",
            ref_id=flag_id,
            chat_id=member.telegram_user_id,
            text=text,
            keyboard=keyboard,
            now=now,
        )
    return len(flag_ids)


async def _retire(tx: Tx, flag: Flag, member: Member, now: datetime) -> None:
    text, _none = gone(member, flag)
    await tx.outbox.enqueue_last_edit(
        ref_type="flag", ref_id=flag.id, chat_id=member.telegram_user_id, text=text, now=now
    )
