"""The demo district: Järva with its office, the twelve agencies, a roster, a flag, a notice.

Everything goes through the services, as the bot and the command line would do it, so the
demo is a state the bot can really reach. Times are relative to the sandbox clock's now: the
roster is always "today's", whenever the sandbox starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.domain.board import Channel
from bot.domain.flags import FlagDraft, FlagPolicy, Urgency
from bot.domain.models import Member, Role
from bot.domain.notices import Audience
from bot.i18n import t
from bot.services import boards, flag_drafts, flags, notice_drafts, presence, roster
from bot.services import members as members_service
from bot.services.flag_drafts import DraftAt
from bot.services.invites import create_invite, redeem_invite
from storage.store import Store

GROUP = "Järva"
OFFICE = (59.4117, 17.9289)  # Rinkebytorget
RADIUS_M = 400
ZONE = "Europe/Stockholm"
CHANNEL = Channel(id=-1001000000042, name="aktionsgruppen_jarva", title="Aktionsgruppen Järva")
MARK = "sandbox"  # the meta key that tells a sandbox database from a real one


@dataclass(frozen=True)
class Person:
    """One persona: who they are on Telegram and in the bot, and their shift today."""

    user_id: int
    first: str
    last: str
    agency: str | None
    role: Role = Role.EXPERT
    # "now": planned from two hours ago and checked in; "soon": starts in a few minutes, not
    # checked in; "later": the evening shift; None: nothing today.
    shift: str | None = "now"

    @property
    def username(self) -> str:
        agency = (self.agency or self.role.value).lower()
        return f"{self.first.lower()}_{agency}".replace("å", "a").replace("ä", "a")


# Gaps now: EBM plans nobody until the evening, FK one of two; SKV and AF have one expert each
# starting in a few minutes (the sandbox's check-in and missed check-in scenes).
PEOPLE = (
    Person(5001, "Cecilia", "Holm", None, Role.COORDINATOR, shift=None),
    Person(5002, "Adam", "Berg", None, Role.ADMIN, shift=None),
    Person(5101, "Anna", "Lindqvist", "POL"),
    Person(5102, "Peter", "Nilsson", "POL"),
    Person(5103, "Omar", "Haddad", "POL", shift="later"),
    Person(5111, "Sven", "Larsson", "SKV"),
    Person(5112, "Stina", "Ek", "SKV", shift="soon"),
    Person(5121, "Elin", "Sjöberg", "STHLM"),
    Person(5122, "Jonas", "Wikström", "STHLM"),
    Person(5123, "Maja", "Forsberg", "STHLM", shift="later"),
    Person(5131, "Ali", "Yusuf", "AF", shift="soon"),
    Person(5132, "Karin", "Lund", "AF"),
    Person(5141, "Erik", "Strand", "EBM", shift="later"),
    Person(5142, "Eva", "Dahl", "EBM", shift="later"),
    Person(5151, "Tove", "Andersson", "TULL"),
    Person(5152, "Tim", "Persson", "TULL"),
    Person(5161, "Fredrik", "Olsson", "FK"),
    Person(5162, "Fatima", "Ahmed", "FK", shift=None),
    Person(5171, "Klara", "Johansson", "KVV"),
    Person(5172, "Kalle", "Mattsson", "KVV"),
    Person(5181, "Sam", "Eriksson", "SAPO"),
    Person(5182, "Selma", "Björk", "SAPO"),
    Person(5191, "Kim", "Holmberg", "KBV"),
    Person(5192, "Kerstin", "Nyberg", "KBV"),
    Person(5201, "Mira", "Karlsson", "MIGR"),
    Person(5202, "Mats", "Engström", "MIGR"),
    Person(5203, "Moa", "Lindgren", "MIGR", shift="later"),
    Person(5211, "Amir", "Rahimi", "AM"),
    Person(5212, "Agnes", "Sundberg", "AM"),
)
COORDINATOR = 5001
FLAG_FROM = 5151  # Tove (TULL) has raised a flag for POL that nobody has acknowledged yet
FLAG_TEXT = "Lastbil med cigaretter utan skattemärken vid Rinkebytorget, ärende T-2026-118"
NOTICE_TEXT = (
    "Välkomna till veckans pass! Genomgång i lokalen kl. 18.00 om helgens insatser"
    " vid torget. Bekräfta att du har läst."
)


async def mark(store: Store) -> None:
    """Record that this database is the sandbox's own (so a reset may delete it)."""
    async with store.transaction() as tx:
        await tx.meta.put(MARK, "1")


async def is_sandbox(store: Store) -> bool:
    """True for a database the sandbox made."""
    async with store.read() as tx:
        return await tx.meta.get(MARK) == "1"


async def seed_demo(store: Store, now: datetime) -> dict[int, Member]:
    """Järva, its people, today's roster and check-ins, an open flag and the board."""
    group = await members_service.add_group(
        store, name=GROUP, lat=OFFICE[0], lon=OFFICE[1], radius_m=RADIUS_M, min_per_agency=2,
        timezone=ZONE, now=now - timedelta(days=1),
    )  # fmt: skip
    people: dict[int, Member] = {}
    for person in PEOPLE:
        invite = await create_invite(
            store, role=person.role, agency_code=person.agency,
            group_id=None if person.role is Role.ADMIN else group.id, uses=1,
            ttl=timedelta(hours=1), now=now - timedelta(days=1),
        )  # fmt: skip
        redeemed = await redeem_invite(
            store, code=invite.code, telegram_user_id=person.user_id,
            display_name=f"{person.first} {person.last}", username=person.username,
            language="sv", now=now - timedelta(days=1),
        )  # fmt: skip
        people[person.user_id] = redeemed.member
    await roster.import_roster(store, roster_csv(now), now - timedelta(hours=3))
    for person in PEOPLE:
        if person.shift == "now":
            await presence.check_in(
                store, people[person.user_id], lat=OFFICE[0] + 0.0004, lon=OFFICE[1] - 0.0003,
                accuracy_m=12, now=now - timedelta(minutes=90),
            )  # fmt: skip
    # The office's details first: the flag's place is the office, with its address.
    await boards.set_office(
        store, GROUP, address="Rinkebytorget 1, Spånga", hours="Mån–fre 9–17\\nLör 10–14",
        contact="08-123 45 67", english=True, now=now,
    )  # fmt: skip
    await _raise_flag(store, people[FLAG_FROM], now - timedelta(minutes=4))
    await boards.publish(store, GROUP, CHANNEL, now)
    return people


def roster_csv(now: datetime) -> str:
    """Today's roster as a coordinator would send it (times in UTC, with their offset)."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    soon = now.replace(second=0, microsecond=0) + timedelta(minutes=3)
    spans = {
        "now": (hour - timedelta(hours=2), hour + timedelta(hours=6)),
        "soon": (soon, soon + timedelta(hours=8)),
        "later": (hour + timedelta(hours=6), hour + timedelta(hours=14)),
    }
    lines = ["member,group,start,end"]
    for person in PEOPLE:
        if person.shift is not None:
            start, end = spans[person.shift]
            lines.append(f"@{person.username},{GROUP},{_iso(start)},{_iso(end)}")
    return "\n".join(lines) + "\n"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="minutes")


async def _raise_flag(store: Store, member: Member, now: datetime) -> None:
    """A priority flag from TULL to POL, through the same steps as /flag."""
    policy = FlagPolicy()

    def at(draft: FlagDraft) -> DraftAt:
        return DraftAt(draft.id, draft.step)

    draft = await flag_drafts.start(store, member, now)
    draft = await flag_drafts.toggle_target(store, member, "POL", now, at(draft))
    draft = await flag_drafts.advance(store, member, now, at(draft))
    draft = await flag_drafts.choose(store, member, policy, now, at(draft), category="smuggling")
    draft = await flag_drafts.choose(
        store, member, policy, now, at(draft), urgency=Urgency.PRIORITY
    )
    draft = await flag_drafts.describe(store, member, FLAG_TEXT, now)
    draft = await flag_drafts.at_office(store, member, now, at(draft))  # a place, not a pin
    await flags.raise_flag(store, member, policy, now, at(draft), draft.revision)


async def prepare_notice(store: Store, coordinator: Member, now: datetime) -> str:
    """Draft the coordinator's notice to everyone in Järva; the placeholder status text."""
    await notice_drafts.start(store, coordinator, now)
    await notice_drafts.set_text(store, coordinator, NOTICE_TEXT, now)
    await notice_drafts.update_draft(store, coordinator, now, audience=Audience.MINE)
    return t(coordinator.language, "notice.status_title", number="…")


async def send_notice(
    store: Store, coordinator: Member, status_message_id: int, now: datetime
) -> None:
    """Send the drafted notice; its status message is the one the bot just sent."""
    shown = await notice_drafts.preview(store, coordinator)
    await notice_drafts.send(
        store,
        coordinator,
        revision=shown.draft.revision,
        status_message_id=status_message_id,
        now=now,
    )
