"""A roster to fill in: the group's members, times left blank (bot and command line)."""

from __future__ import annotations

import csv
import io

from bot.domain.errors import NotAllowed, UnknownGroup
from bot.domain.models import Member
from bot.domain.shifts import TEMPLATE_HEADER
from bot.i18n import DEFAULT
from storage.store import Store


async def roster_template(
    store: Store, actor: Member | None, group_id: int, lang: str | None = None
) -> tuple[str, bytes]:
    """A roster to fill in: one line per active member of the group, times left blank, each
    agency by its name in `lang` (by default the actor's, Swedish for the command line).

    Semicolons and a byte-order mark, so Excel with Swedish settings opens it in columns.
    """
    if actor is not None and not actor.coordinates(group_id):
        raise NotAllowed()
    async with store.read() as tx:
        group = await tx.groups.get(group_id)
        if group is None:
            raise UnknownGroup()
        people = await tx.members.in_groups([group_id], active_only=True)
        agencies = await tx.groups.directory()
    reader = lang or (actor.language if actor else DEFAULT)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    for m in people:
        agency = f" ({agencies.name(m.agency_code, reader)})" if m.agency_code else ""
        writer.writerow([f"{m.id} {m.display_name}{agency}", group.name, "", ""])
    return f"roster-{group.name}.csv", out.getvalue().encode("utf-8-sig")
