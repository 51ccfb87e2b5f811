"""Who read what: the audit trail of a flag, and what a member saw and did (admins only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import NotAllowed, UnknownMember
from bot.domain.models import AuditEntry, Member, Role
from bot.services.flags import UnknownFlag
from storage.store import Store

TRAIL_LIMIT = 200


@dataclass(frozen=True)
class Line:
    """One audit entry with the actor's name (never any content)."""

    at: datetime
    who: str
    action: str
    what: str
    detail: str


@dataclass(frozen=True)
class Trail:
    """The entries about one flag, or by one member, oldest first."""

    subject: str
    lines: list[Line]


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
        return Trail(f"flag #{flag_id}", await _lines(store, entries))


async def member_trail(store: Store, member_id: int, viewer: Member | None = None) -> Trail:
    """What a member saw and did; `viewer` None means the command line."""
    _may(viewer)
    async with store.read() as tx:
        member = await tx.members.get(member_id)
        if member is None:
            raise UnknownMember()
        entries = await tx.audit.by_actor(member_id, TRAIL_LIMIT)
    return Trail(f"{member.display_name} (#{member.id})", await _lines(store, entries))


async def _lines(store: Store, entries: list[AuditEntry]) -> list[Line]:
    async with store.read() as tx:
        ids = {e.actor_member_id for e in entries if e.actor_member_id is not None}
        names = await tx.members.many(ids)
        agencies = await tx.groups.directory()
    lines = []
    for e in entries:
        actor = names.get(e.actor_member_id) if e.actor_member_id is not None else None
        who = (
            f"{actor.display_name} ({agencies.short(actor.agency_code, 'en')}, #{actor.id})"
            if actor is not None
            else "command line"
        )
        what = f"{e.object_type} #{e.object_id}" if e.object_type else ""
        lines.append(Line(e.at, who, e.action, what, e.detail or ""))
    return lines
