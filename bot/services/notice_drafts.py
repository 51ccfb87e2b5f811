"""Composing a coordinator's notice: its draft (text, audience, confirmation), the preview
with the exact number of people it reaches, and sending it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import DomainError, NotAllowed, UnknownAgency, UnknownGroup
from bot.domain.models import Member, Role
from bot.domain.notices import (
    MAX_NOTICE_UTF16,
    Audience,
    Draft,
    Notice,
    NoticeStep,
    utf16_length,
)
from bot.domain.outbox import Notification, Priority
from bot.domain.screening import refuse_identity_numbers
from bot.services.notice_texts import notice_keyboard, notice_text
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


class AgencyFirst(DomainError):
    """Done pressed before any agency is chosen."""

    key = "notice.agency_first"


class PreviewChanged(DomainError):
    """Send pressed under an older preview: the draft changed since it was shown."""

    key = "auth.stale_button"


class NoRecipients(DomainError):
    """The chosen audience has nobody in it."""

    key = "notice.no_recipients"


@dataclass(frozen=True)
class Preview:
    """What the coordinator is about to send, and to how many people."""

    draft: Draft
    recipients: int
    group_names: list[str]


def require_coordinator(member: Member) -> None:
    """NotAllowed unless the member coordinates (or administers)."""
    if not member.role.at_least(Role.COORDINATOR):
        raise NotAllowed()


async def _run_groups(tx: Tx, member: Member) -> list[int]:
    if member.role is Role.ADMIN:
        return [g.id for g in await tx.groups.all()]
    return list(member.group_ids) if member.role is Role.COORDINATOR else []


async def _draft(tx: Tx, member: Member, hold: bool = False) -> Draft:
    draft = await tx.notices.draft(member.id, hold)
    if draft is None:
        raise NoDraft()
    return draft


async def start(store: Store, member: Member, now: datetime) -> Draft:
    """Begin a notice: an empty draft, and the bot waits for its text."""
    require_coordinator(member)
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
    return empty


def question(draft: Draft) -> str | None:
    """The question the draft's step asks: only its text is typed, the rest is buttons."""
    return PROMPT_TEXT if draft.step is NoticeStep.TEXT else None


def _checked(text: str) -> str:
    """The notice's text exactly as typed, within Telegram-safe length and screened."""
    if not text.strip():
        raise NoticeEmpty()
    if utf16_length(text) > MAX_NOTICE_UTF16:
        raise NoticeTooLong()
    return refuse_identity_numbers(text)


async def set_text(
    store: Store, member: Member, text: str, now: datetime, message_id: int | None = None
) -> Draft:
    """Take the notice's text and ask for its audience; the message it came from is kept
    (editing it changes the text until the notice is sent)."""
    require_coordinator(member)
    checked = _checked(text)
    async with store.transaction() as tx:
        draft = (await _draft(tx, member)).model_copy(
            update={"text": checked, "step": NoticeStep.AUDIENCE, "text_message_id": message_id}
        )
        await tx.notices.save_draft(draft, now)
        await tx.prompts.cancel(member.id)
    return draft


async def retext(
    store: Store, member: Member, message_id: int, text: str, now: datetime
) -> Draft | None:
    """The text's message was edited: its new text (checked like the first) is the notice's,
    while it is not sent; None when the message is not the text of the member's draft (only
    a coordinator has one)."""
    async with store.transaction() as tx:
        draft = await tx.notices.draft(member.id)
        if draft is None or draft.text_message_id != message_id:
            return None
        draft = draft.model_copy(update={"text": _checked(text)})
        await tx.notices.save_draft(draft, now)
    return draft


def _shown_after(draft: Draft, changes: dict[str, object]) -> NoticeStep:
    """The step a choice leads to: the group or agencies still to choose, else the preview."""
    chose = "audience" in changes
    if draft.audience is Audience.GROUP and (chose or draft.group_id is None):
        return NoticeStep.GROUP
    if draft.audience is Audience.AGENCIES and (chose or "agencies" in changes):
        return NoticeStep.AGENCIES
    return NoticeStep.PREVIEW


async def update_draft(store: Store, member: Member, now: datetime, **changes: object) -> Draft:
    """Change the audience, group, agencies or confirmation of the draft (and so the step
    shown); `done=True`: the agencies are chosen; `back=True`: choose the audience again."""
    require_coordinator(member)
    async with store.transaction() as tx:
        draft = await _draft(tx, member)
        if draft.text is None:
            raise NoDraft()  # an old button under a notice begun again: its text comes first
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
        done = changes.pop("done", False)
        if done and draft.audience is Audience.AGENCIES and not draft.agencies:
            raise AgencyFirst()
        back = changes.pop("back", False)
        draft = draft.model_copy(update=changes)
        step = NoticeStep.AUDIENCE if back else _shown_after(draft, changes)
        draft = draft.model_copy(update={"step": step})
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
    require_coordinator(member)
    async with store.read() as tx:
        draft = await _draft(tx, member)
        if draft.audience is None:
            raise NoAudience()
        people, group_ids = await _audience(tx, member, draft)
        names = [g.name for g in await tx.groups.many(group_ids)]
    return Preview(draft=draft, recipients=len(people), group_names=names)


async def send(
    store: Store, member: Member, *, revision: str, status_message_id: int, now: datetime
) -> Notice:
    """Send the draft, if it is still the `revision` previewed: the notice, its recipients and
    every message, in one transaction."""
    require_coordinator(member)
    async with store.transaction() as tx:
        # Held: a double tap reaching two instances finds the draft gone the second time.
        draft = await _draft(tx, member, hold=True)
        if draft.text is None:
            raise NoDraft()
        if draft.audience is None:
            raise NoAudience()
        if draft.revision != revision:
            raise PreviewChanged()
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
        # One text and keyboard per language, and every copy queued in one statement: the
        # writer is held while they go in (bench.lanes: 1,000 inserts one by one, 165 ms).
        languages = {person.language for person in people}
        texts = {lang: notice_text(lang, notice, member.display_name) for lang in languages}
        keyboards = {lang: notice_keyboard(lang, notice) for lang in languages}
        copies = [
            Notification(
                dedup_key=f"notice:{notice_id}:{person.id}",
                member_id=person.id,
                chat_id=person.telegram_user_id,
                text=texts[person.language],
                priority=Priority.BULK,
                keyboard=keyboards[person.language],
                ref_type="notice",
                ref_id=notice_id,
            )
            for person in people
        ]
        await tx.outbox.enqueue_many(copies, now)
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
