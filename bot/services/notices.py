"""Coordinators' notices once sent: confirm, remind, withdraw, and follow their figures
(composing and sending: bot/services/notice_drafts.py)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import DomainError
from bot.domain.models import Member, Role
from bot.domain.notices import Figures, Notice
from bot.domain.outbox import Notification, OutboxState, Priority
from bot.services.notice_drafts import require_coordinator
from bot.services.notice_texts import notice_keyboard, notice_text, status_keyboard, status_text
from storage.store import Store, Tx


class AlreadyReminded(DomainError):
    """This round of reminders went out already (a double tap, or a second coordinator)."""

    key = "notice.already_reminded"


class UnknownNotice(DomainError):
    """No such notice, or not one this member may see."""

    key = "notice.unknown"


async def managed(tx: Tx, member: Member, notice_id: int) -> Notice:
    """A notice this coordinator may follow up (UnknownNotice otherwise)."""
    notice = await tx.notices.get(notice_id)
    runs = notice is not None and (
        member.role is Role.ADMIN
        or (member.role is Role.COORDINATOR and set(notice.group_ids) & set(member.group_ids))
    )
    if notice is None or not runs:
        raise UnknownNotice()
    return notice


async def confirm(
    store: Store, member: Member, notice_id: int, now: datetime
) -> tuple[Notice, str]:
    """Record that a recipient has read a notice; return it and its author's name."""
    async with store.transaction() as tx:
        notice = await tx.notices.get(notice_id)
        if notice is None or notice.withdrawn_at is not None:
            raise UnknownNotice()
        fresh = await tx.notices.confirm(notice_id, member.id, now)
        if fresh is None:
            raise UnknownNotice()
        if fresh:
            await tx.audit.record(
                "notice.confirm",
                now=now,
                actor_member_id=member.id,
                object_type="notice",
                object_id=notice_id,
            )
        author = await tx.members.get(notice.author_id)
    return notice, author.display_name if author else ""


async def remind(
    store: Store, member: Member, notice_id: int, round_no: int, now: datetime
) -> int:
    """Reminder round `round_no`: send the notice again to those who got it and have not
    confirmed; return how many. Each round happens once, however often it is asked for."""
    async with store.transaction() as tx:
        notice = await managed(tx, member, notice_id)
        if notice.withdrawn_at is not None or not notice.needs_confirmation:
            return 0
        pending = await tx.notices.unconfirmed_delivered(notice_id)
        if not pending:
            return 0
        if not await tx.notices.start_reminder_round(notice_id, round_no):
            raise AlreadyReminded()
        author = await tx.members.get(notice.author_id)
        people = await tx.members.many(pending)  # one query, not one per recipient
        for member_id, person in people.items():
            await tx.outbox.enqueue(
                Notification(
                    dedup_key=f"notice:{notice_id}:remind{round_no}:{member_id}",
                    member_id=member_id,
                    chat_id=person.telegram_user_id,
                    text=notice_text(
                        person.language,
                        notice,
                        author.display_name if author else "",
                        reminder=True,
                    ),
                    priority=Priority.BULK,
                    keyboard=notice_keyboard(person.language, notice),
                    ref_type="notice_reminder",
                    ref_id=notice_id,
                ),
                now,
            )
        await tx.audit.record(
            "notice.remind",
            now=now,
            actor_member_id=member.id,
            object_type="notice",
            object_id=notice_id,
            detail=f"recipients={len(pending)}",
        )
    return len(pending)


async def withdraw(store: Store, member: Member, notice_id: int, now: datetime) -> int:
    """Withdraw a notice: nothing more goes out, and copies already sent say so."""
    async with store.transaction() as tx:
        notice = await managed(tx, member, notice_id)
        if not await tx.notices.withdraw(notice_id, now):
            return 0
        cancelled = await tx.outbox.cancel_ref("notice", notice_id, now)
        cancelled += await tx.outbox.cancel_ref("notice_reminder", notice_id, now)
        author = await tx.members.get(notice.author_id)
        withdrawn = notice.model_copy(update={"withdrawn_at": now})
        # What could not be cancelled (delivered, or in flight) is edited: the notice and
        # every reminder of it.
        for ref_type in ("notice", "notice_reminder"):
            for chat_id, language in await tx.outbox.copy_chats(ref_type, notice_id):
                text = notice_text(language, withdrawn, author.display_name if author else "")
                await tx.outbox.enqueue_edit(
                    ref_type=ref_type,
                    ref_id=notice_id,
                    chat_id=chat_id,
                    text=text,
                    keyboard=None,
                    now=now,
                )
        await tx.audit.record(
            "notice.withdraw",
            now=now,
            actor_member_id=member.id,
            object_type="notice",
            object_id=notice_id,
        )
    return cancelled


async def figures(tx: Tx, notice_id: int) -> Figures:
    """Where a notice stands, from its outbox rows and confirmations."""
    states = await tx.outbox.states("notice", notice_id)
    return Figures(
        recipients=await tx.notices.recipients(notice_id),
        delivered=states.get(OutboxState.SENT, 0),
        queued=states.get(OutboxState.PENDING, 0) + states.get(OutboxState.SENDING, 0),
        # Held copies, and those cancelled by a withdrawal while held for someone who still
        # cannot be reached.
        unreachable=await tx.outbox.unreachable("notice", notice_id),
        failed=states.get(OutboxState.FAILED, 0),
        cancelled=states.get(OutboxState.CANCELLED, 0),
        confirmed=await tx.notices.confirmed(notice_id),
    )


async def refresh_statuses(store: Store, now: datetime) -> int:
    """Bring each changed notice's status message up to date; return how many."""
    async with store.read() as tx:
        changed = await tx.notices.changed()
    for notice_id in changed:
        async with store.transaction() as tx:
            notice = await tx.notices.get(notice_id)
            author = await tx.members.get(notice.author_id) if notice else None
            if notice is None or author is None:
                continue
            await tx.notices.shown(notice_id)
            counts = await figures(tx, notice_id)
            await tx.outbox.enqueue_edit(
                ref_type="notice_status",
                ref_id=notice_id,
                chat_id=notice.status_chat_id,
                text=status_text(author.language, notice, counts),
                keyboard=status_keyboard(author.language, notice, counts),
                now=now,
            )
    return len(changed)


async def recent(store: Store, member: Member) -> list[tuple[Notice, Figures]]:
    """The newest notices of the groups this coordinator runs, with their figures."""
    require_coordinator(member)
    async with store.read() as tx:
        scope = None if member.role is Role.ADMIN else list(member.group_ids)
        return [(n, await figures(tx, n.id)) for n in await tx.notices.recent(scope)]
