"""Residents' boards: set them up, keep each channel's post up to date, pause and preview.

The database is the truth: each refresh derives what a board should show from rows at the
injected clock's `now` (check-ins, logged work, the board's row), queues the post or its edit
in the outbox, and reads back from the outbox whether Telegram took it. A board whose post
Telegram refused stops until someone with the rights publishes it again: one message to its
coordinators, no retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.board import (
    Board,
    BoardState,
    Channel,
    PostStatus,
    PublicFacts,
    Timing,
    clean_office_field,
    post_status,
    public_facts,
)
from bot.domain.errors import NotAllowed, UnknownGroup
from bot.domain.models import Group, Member
from bot.domain.outbox import Notification, Priority
from bot.domain.periods import PeriodChoice, period_for
from bot.domain.worklog import Kind, WorkPolicy
from bot.i18n import Markup, t, when
from bot.services.board_text import board_text, paused_text, replaced_text
from bot.services.notify import notify
from storage.store import Store, Tx

REF = "board"


@dataclass(frozen=True)
class PinJob:
    """A post that reached its channel and still has to be pinned."""

    group_id: int
    post_id: int
    channel_id: int
    message_id: int


@dataclass(frozen=True)
class Preview:
    """What a coordinator sees of a board before it goes public."""

    group: Group
    board: Board
    text: str  # the board with the figures of now, undelayed
    public_from: datetime  # when figures of now are on the board at the earliest


async def set_office(
    store: Store,
    group_name: str,
    *,
    address: str | None,
    hours: str | None,
    contact: str | None,
    english: bool | None,
    now: datetime,
) -> tuple[Group, Board]:
    """Set a group's office details (what is not given stays as it was)."""
    cleaned = {
        name: clean_office_field(value)
        for name, value in (("address", address), ("hours", hours), ("contact", contact))
    }
    async with store.transaction() as tx:
        group = await _group(tx, group_name)
        await tx.boards.set_office(group.id, **cleaned, english=english, now=now)
        board = await tx.boards.get(group.id)
        await tx.audit.record("board.office", now=now, object_type="group", object_id=group.id)
    assert board is not None
    return group, board


async def publish(
    store: Store, group_name: str, channel: Channel, now: datetime
) -> tuple[Group, Board]:
    """Keep the group's board in this channel (checked with Telegram) from the next refresh."""
    async with store.transaction() as tx:
        group = await _group(tx, group_name)
        await _retire_post(tx, group, channel, now)
        await tx.boards.publish(group.id, channel, now)
        board = await tx.boards.get(group.id)
        await tx.audit.record(
            "board.publish", now=now, object_type="group", object_id=group.id, detail=channel.shown
        )
    assert board is not None
    return group, board


async def republish(
    store: Store, member: Member, group_id: int, channel: Channel, now: datetime
) -> Board:
    """A coordinator publishes a stopped board again, once Telegram says the rights are back."""
    if not member.coordinates(group_id):
        raise NotAllowed()
    async with store.transaction() as tx:
        group = await tx.groups.get(group_id)
        assert group is not None
        await _retire_post(tx, group, channel, now)
        await tx.boards.publish(group_id, channel, now)
        board = await tx.boards.get(group_id)
        await tx.audit.record(
            "board.publish", now=now, actor_member_id=member.id, object_type="group",
            object_id=group_id, detail=channel.shown,
        )  # fmt: skip
    assert board is not None
    return board


async def board_of(store: Store, group_name: str) -> tuple[Group, Board | None]:
    """A group and its board, if it has one."""
    async with store.read() as tx:
        group = await _group(tx, group_name)
        return group, await tx.boards.get(group.id)


async def managed_board(store: Store, member: Member, group_id: int) -> tuple[Group, Board]:
    """A board the member runs, or NotAllowed (whether it exists or not)."""
    if not member.coordinates(group_id):
        raise NotAllowed()
    async with store.read() as tx:
        group = await tx.groups.get(group_id)
        board = await tx.boards.get(group_id)
    if group is None or board is None:
        raise NotAllowed()
    return group, board


async def refresh(store: Store, now: datetime, timing: Timing, policy: WorkPolicy) -> list[PinJob]:
    """Bring every live board up to date; return the posts that still need pinning."""
    async with store.read() as tx:
        live = await tx.boards.in_state(BoardState.LIVE)
    pins: list[PinJob] = []
    for board in live:
        async with store.transaction() as tx:
            pin = await _refresh_one(tx, board.group_id, now, timing, policy)
        if pin is not None:
            pins.append(pin)
    return pins


async def pinned(store: Store, pin: PinJob) -> None:
    """The post is pinned in its channel."""
    async with store.transaction() as tx:
        await tx.boards.pinned(pin.post_id)


async def refused(store: Store, group_id: int, reason: str, now: datetime) -> None:
    """Telegram refused something for a live board (a pin, say): stop it, tell coordinators."""
    async with store.transaction() as tx:
        await _stop(tx, group_id, reason, now)


async def channel_changed(
    store: Store, channel_id: int, *, may_keep: bool, status: str, now: datetime
) -> int:
    """Telegram says the bot's standing in a channel changed; stop its boards at once if the
    bot may no longer keep them (rather than wait for an edit to be refused). How many?"""
    if may_keep:
        return 0  # rights given back: a coordinator publishes again with "Try again"
    stopped = 0
    async with store.transaction() as tx:
        for board in await tx.boards.by_channel(channel_id):
            reason = f"bot rights removed in the channel (status: {status})"
            if await _stop(tx, board.group_id, reason, now, key="board.lost_rights"):
                stopped += 1
    return stopped


async def hide(store: Store, member: Member, group_id: int, now: datetime) -> Board:
    """Hide a board at once: its post shows only that it is paused, until shown again."""
    group, _ = await managed_board(store, member, group_id)
    async with store.transaction() as tx:
        changed = await tx.boards.set_state(
            group_id, BoardState.PAUSED, now, expect=(BoardState.LIVE, BoardState.STOPPED)
        )
        board = await tx.boards.get(group_id)
        assert board is not None
        if changed and board.channel is not None and board.post_id is not None:
            text = paused_text(group, board)
            # Not delayed, and before anything else queued for the post: hiding is urgent.
            await tx.outbox.enqueue_edit(
                ref_type=REF, ref_id=board.post_id, chat_id=board.channel.id, text=text,
                keyboard=None, now=now,
            )  # fmt: skip
            await tx.boards.queued(
                group_id, snapshot_at=board.snapshot_at or now, text=text, now=now
            )
        if changed:
            await tx.audit.record(
                "board.hide", now=now, actor_member_id=member.id, object_type="group",
                object_id=group_id,
            )  # fmt: skip
    return board


async def show(store: Store, member: Member, group_id: int, now: datetime) -> Board:
    """Show a paused board again, from the next refresh (still delayed as always)."""
    await managed_board(store, member, group_id)
    async with store.transaction() as tx:
        if await tx.boards.set_state(group_id, BoardState.LIVE, now, expect=(BoardState.PAUSED,)):
            await tx.audit.record(
                "board.show", now=now, actor_member_id=member.id, object_type="group",
                object_id=group_id,
            )  # fmt: skip
        board = await tx.boards.get(group_id)
    assert board is not None
    return board


async def previews(
    store: Store, member: Member, now: datetime, timing: Timing, policy: WorkPolicy
) -> list[Preview]:
    """Each board the member runs, as it would look with the figures of now."""
    async with store.read() as tx:
        groups = {g.id: g for g in await tx.groups.all() if member.coordinates(g.id)}
        found = []
        for board in await tx.boards.of_groups(list(groups)):
            group = groups[board.group_id]
            text = await _text(tx, group, board, now, policy)
            found.append(Preview(group, board, text, timing.public_from(now)))
    return found


async def _refresh_one(
    tx: Tx, group_id: int, now: datetime, timing: Timing, policy: WorkPolicy
) -> PinJob | None:
    board = await tx.boards.get(group_id)
    group = await tx.groups.get(group_id)
    if board is None or group is None or board.state is not BoardState.LIVE:
        return None  # paused or stopped since the list was read
    assert board.channel is not None
    pin = None
    if board.post_id is not None:
        status, reason, message_id = post_status(await tx.outbox.of_ref(REF, board.post_id))
        if status is PostStatus.REFUSED:
            await _stop(tx, group_id, reason or "refused", now)
            return None
        if status is PostStatus.SHOWN and board.queued_at != board.shown_at:
            assert board.queued_at is not None
            await tx.boards.shown(group_id, board.queued_at)
        if status is PostStatus.SHOWN and not board.pinned and message_id is not None:
            pin = PinJob(group_id, board.post_id, board.channel.id, message_id)
    snapshot = timing.snapshot(now)
    if board.snapshot_at is not None and snapshot <= board.snapshot_at:
        return pin
    text = await _text(tx, group, board, snapshot, policy)
    if board.post_id is None:
        post_id = await tx.boards.new_post(group_id, board.channel.id, now)
        await tx.outbox.enqueue(
            Notification(
                dedup_key=f"{REF}:{post_id}",
                member_id=None,
                chat_id=board.channel.id,
                text=text,
                # Not bulk: a board changes a few times an hour at most, and its lane is its
                # edits' lane, where "hide the board now" must not wait behind a broadcast.
                priority=Priority.NORMAL,
                ref_type=REF,
                ref_id=post_id,
            ),
            now,
        )
    elif text != board.public_text:
        await tx.outbox.enqueue_edit(
            ref_type=REF, ref_id=board.post_id, chat_id=board.channel.id, text=text,
            keyboard=None, now=now,
        )  # fmt: skip
    await tx.boards.queued(group_id, snapshot_at=snapshot, text=text, now=now)
    return pin


async def _text(tx: Tx, group: Group, board: Board, at: datetime, policy: WorkPolicy) -> str:
    week = period_for(PeriodChoice.LAST_WEEK, at, group.timezone)
    facts = await _facts(tx, group, at, week.start, week.end, policy)
    return board_text(group, board, facts, at=at, week=week.first, policy=policy)


async def _facts(
    tx: Tx, group: Group, at: datetime, start: int, end: int, policy: WorkPolicy
) -> PublicFacts:
    work = await tx.board_facts.work(
        group.id,
        Kind.RELATIONSHIP,
        datetime.fromtimestamp(start, UTC),
        datetime.fromtimestamp(end, UTC),
    )
    return public_facts(
        await tx.groups.agencies(),
        await tx.board_facts.agencies_present(group.id, at),
        work,
        policy.confidential,
        [w.key for w in policy.of_kind(Kind.RELATIONSHIP)],
    )


async def _retire_post(tx: Tx, group: Group, channel: Channel, now: datetime) -> None:
    """Before a board moves to a new post, its old post says so (if Telegram lets it)."""
    old = await tx.boards.get(group.id)
    if old is None or old.post_id is None or old.channel is None:
        return
    await tx.outbox.enqueue_edit(
        ref_type=REF, ref_id=old.post_id, chat_id=old.channel.id, keyboard=None, now=now,
        text=replaced_text(group, old, channel.shown),
    )  # fmt: skip


async def _stop(
    tx: Tx, group_id: int, reason: str, now: datetime, key: str = "board.stopped"
) -> bool:
    if not await tx.boards.set_state(
        group_id, BoardState.STOPPED, now, expect=(BoardState.LIVE,), problem=reason[:300]
    ):
        return False
    group = await tx.groups.get(group_id)
    board = await tx.boards.get(group_id)
    assert group is not None and board is not None and board.channel is not None
    for coordinator in await tx.members.coordinators_of([group_id]):
        await notify(
            tx, coordinator, key, dedup=f"board-stopped:{group_id}:{now.isoformat()}",
            now=now, priority=Priority.NORMAL, group=group.name, channel=board.channel.shown,
            reason=reason,
        )  # fmt: skip
    await tx.audit.record("board.stopped", now=now, object_type="group", object_id=group_id)
    return True


async def _group(tx: Tx, name: str) -> Group:
    group = await tx.groups.by_name(name)
    if group is None:
        raise UnknownGroup()
    return group


async def digest_lines(tx: Tx, group: Group, lang: str) -> list[Markup]:
    """What the morning digest says about a group's board: when it was last updated."""
    board = await tx.boards.get(group.id)
    if board is None or board.channel is None:
        return []
    channel, zone = board.channel.shown, group.timezone
    lines: list[Markup]
    if board.shown_at is None:
        lines = [t(lang, "digest.board_never", channel=channel)]
    else:
        lines = [t(lang, "digest.board", channel=channel, when=when(lang, board.shown_at, zone))]
    if board.state is BoardState.PAUSED:
        lines.append(t(lang, "digest.board_paused", since=when(lang, board.state_since, zone)))
    if board.state is BoardState.STOPPED:
        lines.append(t(lang, "digest.board_stopped", problem=board.problem or ""))
    return lines
