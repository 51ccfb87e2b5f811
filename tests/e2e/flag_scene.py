"""The flag tests' scene (nine people of five agencies in Rinkeby, TULL on duty), a flag
raised through the wizard, and one person's card of it."""

from __future__ import annotations

from bot.domain.models import Role
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser
from tests.flagkit import OFFICE, open_flag, pick, picked

PEOPLE = {  # telegram id: (name, agency, role)
    600: ("Coord", None, Role.COORDINATOR), 601: ("Anna", "POL", Role.EXPERT),
    602: ("Ari", "POL", Role.EXPERT), 611: ("Tove", "TULL", Role.EXPERT),
    612: ("Tim", "TULL", Role.EXPERT), 621: ("Fia", "FK", Role.EXPERT),
    631: ("Sam", "SKV", Role.EXPERT), 641: ("Dan", "TULL", Role.EXPERT),
    651: ("Alf", "AF", Role.EXPERT),
}  # fmt: skip


async def _scene(store: Store, server: FakeBotApi) -> dict[int, FakeUser]:
    group = await make_group(store, "Rinkeby")
    users = {}
    for uid, (name, agency, role) in PEOPLE.items():
        await make_member(store, uid, role=role, agency=agency, group=group, name=name,
                          language="en")  # fmt: skip
        users[uid] = server.user(uid, first_name=name, language_code="en")
        await users[uid].send("/help")
    for uid in (611, 612):  # TULL is on duty; FK and AF are not
        await users[uid].share_location(*OFFICE)
    for user in users.values():
        await user.wait_for_message(lambda m: "What you can do" in m.entities_text, earlier=True)
    for uid in (611, 612):
        await users[uid].wait_for_message(lambda m: "Checked in" in m.entities_text, earlier=True)
    return users


async def _raise(server: FakeBotApi, user: FakeUser, targets: list[str], text: str) -> int:
    wizard = await open_flag(user)
    for code in targets:
        await pick(user, wizard, code)
        await server.wait_until(lambda c=code: picked(user, wizard, c))
    await user.press(user.last, "Next ▶")
    await server.wait_until(lambda: "Category?" in user.last.entities_text)
    await user.press(user.last, "Customs or smuggling")
    await server.wait_until(lambda: "How urgent?" in user.last.entities_text)
    await user.press(user.last, "URGENT")
    await server.wait_until(lambda: "short description" in user.last.entities_text)
    await user.send(text)
    await user.wait_for_message(lambda m: "Share a location" in m.entities_text, earlier=True)
    await user.share_location(59.389, 17.929)
    summary = await user.wait_for_message(lambda m: "Is this right?" in m.entities_text,
                                          earlier=True)  # fmt: skip
    assert text in summary.entities_text and "59.38900, 17.92900" in summary.entities_text
    await user.press(summary, "🚩 Raise the flag")
    await server.wait_until(lambda: "is raised" in user.message(summary).entities_text)
    return int(user.message(summary).entities_text.split("#")[1].split()[0])


def _now(user: FakeUser, number: int):
    """The current state of this user's one copy (AssertionError, i.e. "not yet", if none)."""
    copies = [m for m in user.messages if f"Flag #{number} ·" in m.entities_text]
    assert len(copies) == 1
    return user.message(copies[0])


async def _card(user: FakeUser, number: int):
    """This user's one copy of the flag (waiting for it to arrive), in its current state."""
    copy = await user.wait_for_message(lambda m: f"Flag #{number} ·" in m.entities_text,
                                       timeout=8, earlier=True)  # fmt: skip
    copies = [m for m in user.messages if f"Flag #{number} ·" in m.entities_text]
    assert len(copies) == 1, user.dump()  # one message per flag per person, edited in place
    return user.message(copy)
