"""Who read what: the audit trail of a flag, and what a member saw and did (admins only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import NotAllowed, UnknownMember
from bot.domain.models import Agency, AuditEntry, Member, Role
from bot.i18n import Markup, t
from bot.services.flags import UnknownFlag
from storage.store import Store

TRAIL_LIMIT = 200


@dataclass(frozen=True)
class Line:
    """One audit entry with the actor's name and agency (never any content)."""

    at: datetime
    actor: Member | None  # None: the command line
    agency: Agency | str
    action: str
    what: str
    detail: str

    def who(self, lang: str) -> Markup:
        """The actor as the reader reads them: name, agency by name, member id."""
        if self.actor is None:
            return t(lang, "audit.command_line")
        return t(lang, "audit.who", name=self.actor.display_name, agency=self.agency,
                 id=self.actor.id)  # fmt: skip


@dataclass(frozen=True)
class Trail:
    """The entries about one flag, or by one member, oldest first."""

    lines: list[Line]
    flag_id: int | None = None
    member: Member | None = None

    def subject(self, lang: str) -> Markup:
        """What the trail is of, in the reader's language."""
        if self.member is not None:
            return t(lang, "audit.of_member", name=self.member.display_name, id=self.member.id)
        return t(lang, "audit.of_flag", number=self.flag_id)


def _may(viewer: Member | None) -> None:
    if viewer is not None and viewer.role is not Role.ADMIN:
        raise NotAllowed()


async def flag_trail(store: Store, flag_id: int, viewer: Member | None = None) -> Trail:
    """Who saw and did what with a flag; `viewer` None means the command line."""
    _may(viewer)
    async with store.read() as tx:
        if await tx.flags.get(flag_id) is None:
            raise UnknownFlag()
        entries = await tx.audit.about("flag", flag_id, TRAIL_LIMIT)
        return Trail(await _lines(store, entries), flag_id=flag_id)


async def member_trail(store: Store, member_id: int, viewer: Member | None = None) -> Trail:
    """What a member saw and did; `viewer` None means the command line."""
    _may(viewer)
    async with store.read() as tx:
        member = await tx.members.get(member_id)
        if member is None:
            raise UnknownMember()
        entries = await tx.audit.by_actor(member_id, TRAIL_LIMIT)
    return Trail(await _lines(store, entries), member=member)


async def _lines(store: Store, entries: list[AuditEntry]) -> list[Line]:
    async with store.read() as tx:
        ids = {e.actor_member_id for e in entries if e.actor_member_id is not None}
        names = await tx.members.many(ids)
        agencies = await tx.groups.directory()
    lines = []
    for e in entries:
        actor = names.get(e.actor_member_id) if e.actor_member_id is not None else None
        agency = agencies.entry(actor.agency_code if actor else None)
        what = f"{e.object_type} #{e.object_id}" if e.object_type else ""
        lines.append(Line(e.at, actor, agency, e.action, what, e.detail or ""))
    return lines
