"""Following a notice up: who has not confirmed it, by agency (for its coordinators)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bot.domain.models import Member
from bot.services.notices import managed
from storage.store import Store


@dataclass(frozen=True)
class Unconfirmed:
    """Who has not confirmed a notice, agency by agency, out of all its recipients."""

    notice_id: int
    by_agency: dict[str, list[str]]
    recipients: int

    @property
    def count(self) -> int:
        """How many have not confirmed."""
        return sum(len(names) for names in self.by_agency.values())


async def unconfirmed(store: Store, member: Member, notice_id: int) -> Unconfirmed:
    """The names of the recipients who have not confirmed, by agency (the set-up order)."""
    async with store.read() as tx:
        notice = await managed(tx, member, notice_id)
        people = await tx.members.many(await tx.notices.unconfirmed(notice.id))
        total = await tx.notices.recipients(notice.id)
        order = [a.code for a in await tx.groups.agencies()]
    grouped: dict[str, list[str]] = defaultdict(list)
    for person in people.values():
        grouped[person.agency_code or ""].append(person.display_name)
    ranked = sorted(grouped, key=lambda c: order.index(c) if c in order else len(order))
    return Unconfirmed(notice_id, {c: sorted(grouped[c]) for c in ranked}, total)
