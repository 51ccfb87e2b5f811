"""Pressing the flag picker's buttons in e2e tests: they name agencies with their presence
("Customs · 2 on duty"), so tests find a button by the agency code in its data."""

from __future__ import annotations

from bot.domain.models import Group, Role
from bot.services.members import group_by_name
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser, SentMessage


def pick_data(message: SentMessage, code: str) -> str:
    """The callback data of the picker button for this agency."""
    found = [
        data
        for row in message.buttons()
        for _label, data in row
        if data is not None and data.startswith("fd:t:") and data.endswith(f":{code}")
    ]
    assert len(found) == 1, (code, message.buttons())
    return found[0]


def pick_label(message: SentMessage, code: str) -> str:
    """The text of the picker button for this agency."""
    data = pick_data(message, code)
    return next(label for row in message.buttons() for label, d in row if d == data)


async def open_flag(user: FakeUser) -> SentMessage:
    """Send /flag and wait for the wizard's first step."""
    await user.send("/flag")
    return await user.wait_for_message(lambda m: "New flag" in m.entities_text)


async def pick(user: FakeUser, message: SentMessage, code: str) -> str:
    """Press the picker button for this agency on the message as it is now."""
    current = user.message(message)
    return await user.press_data(current, pick_data(current, code))


def picked(user: FakeUser, message: SentMessage, code: str) -> bool:
    """True when the agency's button is ticked on the message as it is now."""
    return pick_label(user.message(message), code).startswith("✓ ")


OFFICE = (59.3880, 17.9280)
PEOPLE = {  # telegram id: (name, agency, role, group)
    600: ("Coord", None, Role.COORDINATOR, "Rinkeby"),
    601: ("Anna", "POL", Role.EXPERT, "Rinkeby"),
    611: ("Tove", "TULL", Role.EXPERT, "Rinkeby"), 612: ("Tim", "TULL", Role.EXPERT, "Rinkeby"),
    621: ("Fia", "FK", Role.EXPERT, "Rinkeby"), 651: ("Alf", "AF", Role.EXPERT, "Rinkeby"),
    661: ("Kim", "KBV", Role.EXPERT, "Tensta"), 699: ("Ada", None, Role.ADMIN, "Tensta"),
}  # fmt: skip


async def scene(store: Store, server: FakeBotApi) -> dict[int, FakeUser]:
    """Rinkeby with Tove (TULL) on duty, Tim (TULL), Fia (FK), Alf (AF), a coordinator, and
    Tensta with Kim (KBV) and an admin."""
    groups = {name: await make_group(store, name) for name in ("Rinkeby", "Tensta")}
    users = {}
    for uid, (name, agency, role, group) in PEOPLE.items():
        await make_member(store, uid, role=role, agency=agency, group=groups[group], name=name,
                          language="en")  # fmt: skip
        users[uid] = server.user(uid, first_name=name, language_code="en")
        await users[uid].send("/help")
    await users[611].share_location(*OFFICE)  # Tove (TULL) is on duty; Tim is not
    for user in users.values():
        await user.wait_for_message(lambda m: "What you can do" in m.entities_text, earlier=True)
    await users[611].wait_for_message(lambda m: "Checked in" in m.entities_text, earlier=True)
    return users


def copies(user: FakeUser, number: int) -> list[str]:
    """The current text of each of the user's copies of the flag."""
    return [user.message(m).entities_text for m in user.messages
            if f"Flag #{number} ·" in m.entities_text]  # fmt: skip


async def group_named(store: Store, name: str) -> Group:
    """A group by its name."""
    return await group_by_name(store, name)


async def resolve(user: FakeUser, card: SentMessage, outcome: str = "✅ Dealt with") -> None:
    """Press Resolve on a flag's card, then the outcome (one tap from a short list)."""
    number = card.entities_text.split("#")[1].split()[0]
    await user.press(user.message(card), "✅ Resolve")
    asked = await user.wait_for_message(
        lambda m: f"How did flag #{number} end" in m.entities_text, earlier=True
    )
    await user.press(asked, outcome)


async def to_description(
    server: FakeBotApi, user: FakeUser, wizard: SentMessage, code: str, urgency: str
) -> None:
    """On the wizard shown by /flag: one agency, Next, category Other, this urgency; then
    the wizard asks for the description."""
    await pick(user, wizard, code)
    await server.wait_until(lambda: picked(user, wizard, code))
    await user.press(user.message(wizard), "Next ▶")
    await server.wait_until(lambda: "Category?" in user.message(wizard).entities_text)
    await user.press(user.message(wizard), "Other")
    await server.wait_until(lambda: "How urgent?" in user.message(wizard).entities_text)
    await user.press(user.message(wizard), urgency)
    await server.wait_until(lambda: "short description" in user.message(wizard).entities_text)
