"""The unit of work: one transaction, with every repository bound to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import aiosqlite

from storage.activities import ActivityRepository
from storage.audit import AuditRepository, MetaRepository
from storage.board_facts import BoardFactRepository
from storage.boards import BoardRepository
from storage.db import Database, committed_here, forget_commits
from storage.flags import FlagRepository
from storage.groups import GroupRepository
from storage.invites import InviteRepository
from storage.ladders import LadderRepository
from storage.members import MemberRepository
from storage.menus import MenuRepository
from storage.notices import NoticeRepository
from storage.outbox import OutboxRepository
from storage.presences import PresenceRepository
from storage.privacy import PrivacyRepository
from storage.prompts import PromptRepository
from storage.reminders import ReminderRepository
from storage.report_facts import ReportFactRepository
from storage.shifts import ShiftRepository


class Tx:
    """The repositories of one transaction (or one consistent read)."""

    def __init__(self, conn: aiosqlite.Connection, writing: bool = False) -> None:
        # A write transaction may take row locks; a read-only one may not (PostgreSQL).
        self.writing = writing
        self.members = MemberRepository(conn)
        self.groups = GroupRepository(conn)
        self.invites = InviteRepository(conn)
        self.audit = AuditRepository(conn)
        self.meta = MetaRepository(conn)
        self.menus = MenuRepository(conn)
        self.outbox = OutboxRepository(conn)
        self.notices = NoticeRepository(conn)
        self.prompts = PromptRepository(conn)
        self.shifts = ShiftRepository(conn)
        self.presences = PresenceRepository(conn)
        self.flags = FlagRepository(conn)
        self.ladders = LadderRepository(conn)
        self.reminders = ReminderRepository(conn)
        self.activities = ActivityRepository(conn)
        self.report_facts = ReportFactRepository(conn)
        self.boards = BoardRepository(conn)
        self.board_facts = BoardFactRepository(conn)
        self.privacy = PrivacyRepository(conn)


class Store:
    """Entry point of the storage layer for services."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # Called after a commit that queued outgoing messages, to wake the sender.
        self.on_outbox: Callable[[], None] | None = None

    @asynccontextmanager
    async def transaction(self, *, durable: bool = True) -> AsyncIterator[Tx]:
        """A write transaction: everything inside commits together or not at all (not
        synced at its commit when not `durable`: see `Database.transaction`)."""
        async with self.db.transaction(durable=durable) as conn:
            tx = Tx(conn, writing=True)
            yield tx
            if tx.outbox.touched:
                await self.db.announce_outbox(conn)
        if tx.outbox.touched and self.on_outbox is not None:
            self.on_outbox()

    @staticmethod
    def forget_commits() -> None:
        """Start afresh for a new update: nothing of it committed yet."""
        forget_commits()

    @staticmethod
    def committed_here() -> bool:
        """True when the update at hand has committed anything (so "nothing saved" is false)."""
        return committed_here()

    @asynccontextmanager
    async def read(self, *, background: bool = False) -> AsyncIterator[Tx]:
        """A read-only view, consistent for its duration (`background`: see Database.read)."""
        async with self.db.read(background=background) as conn:
            yield Tx(conn)
