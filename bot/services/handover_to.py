"""Who a handover note goes to: the next shift of my agency, of every agency, or of the
agencies chosen at check-out. Each agency's next shift is its people on duty in the group,
or else whoever of it starts soonest there."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.errors import DomainError
from bot.domain.models import Agency, Group, Member
from storage.store import Store, Tx

PROMPT_HANDOVER = "handover_note"
EVERYONE = "all"  # a handover question held for every agency's next shift
# The question is answered within the hour or not at all (like every prompt).
ASKED_WITHIN = timedelta(hours=1)
# Who the note is for: None every agency, () my own, else the agencies chosen.
Audience = tuple[str, ...] | None


class HandoverGone(DomainError):
    """No handover question of this member about this check-out is open."""

    key = "handover.gone"


def asked(payload: str | None) -> tuple[int, Audience]:
    """(presence, audience) of the handover question the bot holds."""
    presence, _sep, scope = (payload or "").partition(":")
    audience: Audience = None if scope == EVERYONE else tuple(a for a in scope.split(",") if a)
    return (int(presence) if presence.isdecimal() else 0), audience


def _payload(presence_id: int, audience: Audience) -> str:
    return f"{presence_id}:{EVERYONE if audience is None else ','.join(audience)}"


async def _group_of(tx: Tx, member: Member, presence_id: int) -> Group:
    """The group of the member's own check-out (anyone else's is "gone")."""
    presence = await tx.presences.get(presence_id)
    if presence is None or presence.member_id != member.id:
        raise HandoverGone()
    group = await tx.groups.get(presence.group_id)
    assert group is not None
    return group


async def _asked_now(tx: Tx, member: Member, presence_id: int, now: datetime) -> Audience:
    """The audience of the handover question about this check-out, still open (an old
    button must not open it again once the note was written or skipped)."""
    held = await tx.prompts.current(member.id, now - ASKED_WITHIN)
    if held is None or held[0] != PROMPT_HANDOVER or asked(held[1])[0] != presence_id:
        raise HandoverGone()
    return asked(held[1])[1]


async def address_everyone(store: Store, member: Member, presence_id: int, now: datetime) -> None:
    """The handover note the bot waits for goes to every agency's next shift."""
    async with store.transaction() as tx:
        await _group_of(tx, member, presence_id)
        await _asked_now(tx, member, presence_id, now)
        await tx.prompts.ask(member.id, PROMPT_HANDOVER, _payload(presence_id, None), now)


async def choose_agency(
    store: Store, member: Member, presence_id: int, agency: str | None, now: datetime
) -> tuple[list[Agency], tuple[str, ...]]:
    """Start choosing (`agency` None: my own is chosen) or choose/unchoose one agency; the
    group's agencies and those chosen. At least one stays chosen."""
    async with store.transaction() as tx:
        group = await _group_of(tx, member, presence_id)
        here = await agencies_in(tx, group)
        current = await _asked_now(tx, member, presence_id, now) or ()
        chosen = set(current) or {member.agency_code or ""}
        if agency is not None:
            if agency not in {a.code for a in here}:
                raise HandoverGone()
            chosen ^= {agency}
            if not chosen:
                raise HandoverGone("checkout.keep_one")
        ordered = tuple(a.code for a in here if a.code in chosen)
        await tx.prompts.ask(member.id, PROMPT_HANDOVER, _payload(presence_id, ordered), now)
    return here, ordered


async def agencies_in(tx: Tx, group: Group) -> list[Agency]:
    """The agencies with someone in the group, in the deployment's order."""
    codes = {m.agency_code for m in await tx.members.in_groups([group.id], active_only=True)}
    return [a for a in await tx.groups.agencies() if a.code in codes]


async def successors(
    tx: Tx, member: Member, group: Group, now: datetime, audience: Audience
) -> list[Member]:
    """The next shift of each agency the note is for (never the author)."""
    people = [
        m for m in await tx.members.in_groups([group.id], active_only=True) if m.id != member.id
    ]
    codes: set[str | None] = (
        {m.agency_code for m in people if m.agency_code is not None}
        if audience is None
        else set(audience) or {member.agency_code}
    )
    on_duty = {m for m, g, *_ in await tx.presences.on_duty([group.id]) if g == group.id}
    found: list[Member] = []
    for code in sorted(codes, key=str):
        of = [m for m in people if m.agency_code == code]
        present = [m for m in of if m.id in on_duty]
        if present:
            found += present
            continue
        upcoming = await tx.shifts.next_start([m.id for m in of], group.id, now)
        if upcoming:
            soonest = min(start for _, start in upcoming)
            starting = {m for m, start in upcoming if start == soonest}
            found += [m for m in of if m.id in starting]
    return found
