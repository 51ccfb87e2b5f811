"""A small district for conversation tests: Anna (Police), Tove (Customs) and their
coordinator in Järva, all in English; what one of them says and the bot's reply."""

from __future__ import annotations

from bot.domain.models import Role
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser, SentMessage


async def people(
    store: Store, server: FakeBotApi, first_id: int, *, started: bool = True
) -> dict[str, FakeUser]:
    """ "coord" (`first_id`), "anna" and "tove" (the next two ids); `started`: each has
    opened the bot already, as Telegram requires before the bot may write first."""
    group = await make_group(store, "Järva")
    users = {}
    for name, uid, agency, role in (("anna", first_id + 1, "POL", Role.EXPERT),
                                    ("tove", first_id + 2, "TULL", Role.EXPERT),
                                    ("coord", first_id, "POL", Role.COORDINATOR)):  # fmt: skip
        await make_member(store, uid, role=role, agency=agency, group=group, name=name.title(),
                          language="en")  # fmt: skip
        users[name] = server.user(uid, first_name=name.title(), language_code="en")
        if started:
            users[name].mark_started()
    return users


async def say(user: FakeUser, text: str) -> SentMessage:
    """Send `text` and return the bot's next message to the user."""
    await user.send(text)
    return await user.wait_for_message()


async def start_notice(coord: FakeUser) -> None:
    """/notice, up to its first question."""
    await coord.send("/notice")
    await coord.wait_for_message(lambda m: "Write the notice" in m.entities_text)
