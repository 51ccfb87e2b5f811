"""Coordinators' notices: compose, preview, send, confirm, remind, withdraw, follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import DomainError, NotAllowed, UnknownAgency, UnknownGroup
from bot.domain.models import Member, Role
from bot.domain.notices import MAX_NOTICE_UTF16, Audience, Draft, Figures, Notice, utf16_length
from bot.domain.outbox import Notification, OutboxState, Priority
from bot.domain.screening import refuse_identity_numbers
from bot.services.notice_texts import notice_keyboard, notice_text, status_keyboard, status_text
from storage.store import Store, Tx

PROMPT_TEXT = "notice_text"


class NoticeEmpty(DomainError):
    """A notice needs some text."""

    key = "notice.empty"


class NoticeTooLong(DomainError):
    """Longer than a notice may be."""

    key = "notice.too_long"


class NoDraft(DomainError):
    """No notice is being composed (it was sent or cancelled)."""

    key = "notice.no_draft"


class NoAudience(DomainError):
    """The preview's buttons pressed before an audience was chosen (an old or forged one)."""

    key = "notice.audience_first"


class NoRecipients(DomainError):
    """The chosen audience has nobody in it."""

    key = "notice.no_recipients"


class AlreadyReminded(DomainError):
    """This round of reminders went out already (a double tap, or a second coordinator)."""

    key = "notice.already_reminded"


class UnknownNotice(DomainError):
    """No such notice, or not one this member may see."""

    key = "notice.unknown"


@dataclass(frozen=True)
class Preview:
    """What the coordinator is about to send, and to how many people."""

    draft: Draft
    recipients: int
    group_names: list[str]


def _require_coordinator(member: Member) -> None:
    if not member.role.at_least(Role.COORDINATOR):
        raise NotAllowed()


async def _run_groups(tx: Tx, member: Member) -> list[int]:
    if member.role is Role.ADMIN:
        return [g.id for g in await tx.groups.all()]
    return list(member.group_ids) if member.role is Role.COORDINATOR else []


async def _draft(tx: Tx, member: Member) -> Draft:
    draft = await tx.notices.draft(member.id)
    if draft is None:
        raise NoDraft()
    return draft


async def start(store: Store, member: Member, now: datetime) -> None:
    """Begin a notice: an empty draft, and the bot waits for its text."""
    _require_coordinator(member)
    async with store.transaction() as tx:
        empty = Draft(
            member_id=member.id,
            text=None,
            audience=None,
            group_id=None,
            agencies=(),
            needs_confirmation=True,
        )
        await tx.notices.save_draft(empty, now)
        await tx.prompts.ask(member.id, PROMPT_TEXT, None, now)


async def set_text(store: Store, member: Member, text: str, now: datetime) -> Draft:
    """Take the notice's text exactly as typed, within Telegram-safe length and screened."""
    _require_coordinator(member)
    if not text.strip():
        raise NoticeEmpty()
    if utf16_length(text) > MAX_NOTICE_UTF16:
        raise NoticeTooLong()
    refuse_identity_numbers(text)
    async with store.transaction() as tx:
        draft = (await _draft(tx, member)).model_copy(update={"text": text})
        await tx.notices.save_draft(draft, now)
        await tx.prompts.cancel(member.id)
    return draft


async def update_draft(store: Store, member: Member, now: datetime, **changes: object) -> Draft:
    """Change the audience, group, agencies or confirmation of the draft."""
    _require_coordinator(member)
    async with store.transaction() as tx:
        draft = await _draft(tx, member)
        group_id = changes.get("group_id")
        if group_id is not None and group_id not in await _run_groups(tx, member):
            raise UnknownGroup()
        agency = changes.pop("toggle_agency", None)
        if agency is not None:
            if await tx.groups.agency(str(agency)) is None:
                raise UnknownAgency()
            chosen = set(draft.agencies) ^ {str(agency)}
            changes["agencies"] = tuple(sorted(chosen))
        if changes.pop("toggle_confirmation", False):
            if draft.audience is None:
                raise NoAudience()
            changes["needs_confirmation"] = not draft.needs_confirmation
        draft = draft.model_copy(update=changes)
        await tx.notices.save_draft(draft, now)
    return draft


async def cancel(store: Store, member: Member) -> None:
    """Forget the draft and stop waiting for text."""
    async with store.transaction() as tx:
        await tx.notices.drop_draft(member.id)
        await tx.prompts.cancel(member.id)


async def _audience(tx: Tx, member: Member, draft: Draft) -> tuple[list[Member], list[int]]:
    run = await _run_groups(tx, member)
    groups = [draft.group_id] if draft.audience is Audience.GROUP and draft.group_id else run
    if draft.audience is Audience.GROUP and (draft.group_id not in run):
        raise UnknownGroup()
    people = await tx.members.in_groups(groups, active_only=True)
    if draft.audience is Audience.AGENCIES:
        people = [m for m in people if m.agency_code in draft.agencies]
    elif draft.audience is Audience.COORDINATORS:
        people = [m for m in people if m.role is Role.COORDINATOR]
    elif draft.audience is Audience.ON_DUTY:
        on_duty = {member_id for member_id, *_ in await tx.presences.on_duty(groups)}
        people = [m for m in people if m.id in on_duty]
    return [m for m in people if m.id != member.id], groups


async def preview(store: Store, member: Member) -> Preview:
    """The draft and the exact number of people it would reach now."""
    _require_coordinator(member)
    async with store.read() as tx:
        draft = await _draft(tx, member)
        if draft.audience is None:
            raise NoAudience()
        people, group_ids = await _audience(tx, member, draft)
        names = [g.name for g in await tx.groups.many(group_ids)]
    return Preview(draft=draft, recipients=len(people), group_names=names)


async def send(store: Store, member: Member, *, status_message_id: int, now: datetime) -> Notice:
    """Send the draft: the notice, its recipients and every message, in one transaction."""
    _require_coordinator(member)
    async with store.transaction() as tx:
        draft = await _draft(tx, member)
        if draft.text is None:
            raise NoDraft()
        if draft.audience is None:
            raise NoAudience()
        people, group_ids = await _audience(tx, member, draft)
        if not people:
            raise NoRecipients()
        notice_id = await tx.notices.add(
            author_id=member.id,
            text=draft.text,
            audience=draft.audience,
            group_ids=group_ids,
            agencies=draft.agencies,
            needs_confirmation=draft.needs_confirmation,
            status_chat_id=member.telegram_user_id,
            recipient_ids=[m.id for m in people],
            now=now,
        )
        notice = await tx.notices.get(notice_id)
        assert notice is not None
        for person in people:
            await tx.outbox.enqueue(
                Notification(
                    dedup_key=f"notice:{notice_id}:{person.id}",
                    member_id=person.id,
                    chat_id=person.telegram_user_id,
                    text=notice_text(person.language, notice, member.display_name),
                    priority=Priority.BULK,
                    keyboard=notice_keyboard(person.language, notice),
                    ref_type="notice",
                    ref_id=notice_id,
                ),
                now,
            )
        # The preview message becomes the live status message, edited through the outbox.
        await tx.outbox.adopt(
            ref_type="notice_status",
            ref_id=notice_id,
            chat_id=member.telegram_user_id,
            member_id=member.id,
            message_id=status_message_id,
            # The coordinator watches it: its edits go ahead of the notice's copies.
            priority=Priority.NORMAL,
            now=now,
        )
        await tx.notices.drop_draft(member.id)
        detail = f"audience={draft.audience.value} recipients={len(people)}"
        await tx.audit.record(
            "notice.send",
            now=now,
            actor_member_id=member.id,
            object_type="notice",
            object_id=notice_id,
            detail=detail,
        )
    return notice


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
    _require_coordinator(member)
    async with store.read() as tx:
        scope = None if member.role is Role.ADMIN else list(member.group_ids)
        return [(n, await figures(tx, n.id)) for n in await tx.notices.recent(scope)]
