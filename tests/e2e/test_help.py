"""/help grouped by task ("Start here", "During a shift", "Coordinating", and for admins
"Admin"), showing only what the member's role can use, in their language; the command menu
lists the same commands in the same order."""

from __future__ import annotations

import re

from bot.domain.models import Role
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi, SentMessage

START_HERE = ["help", "me", "language", "privacy", "shifts", "calendar", "settings"]
DURING = ["checkin", "checkout", "onduty", "flag", "flags", "log", "mylog", "cancel"]
COORDINATING = ["coverage", "ladder", "invite", "members", "plan", "notice", "notices",
                "report", "board"]  # fmt: skip


def sections(message: SentMessage) -> dict[str, list[str]]:
    """Each heading of the help text with the commands listed under it."""
    found: dict[str, list[str]] = {}
    heading = ""
    for line in message.entities_text.split("\n")[1:]:
        command = re.match(r"/(\w+) — ", line)
        if command:
            found[heading].append(command.group(1))
        elif line.strip():
            heading = line.strip()
            found[heading] = []
    return found


async def test_help_is_grouped_by_task_for_each_role_and_matches_the_menu(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store, "Rinkeby")
    cast = {41: Role.EXPERT, 42: Role.COORDINATOR, 43: Role.ADMIN}
    helps = {}
    for uid, role in cast.items():
        await make_member(bot_store, uid, role=role, group=group, language="en")
        user = server.user(uid, first_name=role.value, language_code="en")
        await user.send("/help")
        helps[role] = sections(await user.wait_for_message())
    assert helps[Role.EXPERT] == {"Start here": START_HERE, "During a shift": DURING}
    assert helps[Role.COORDINATOR] == {
        "Start here": START_HERE, "During a shift": DURING, "Coordinating": COORDINATING,
    }  # fmt: skip
    assert helps[Role.ADMIN] == {
        "Start here": START_HERE, "During a shift": DURING, "Coordinating": COORDINATING,
        "Admin": ["audit"],
    }  # fmt: skip
    for uid, role in cast.items():
        listed = [c for commands in helps[role].values() for c in commands]
        await server.wait_until(lambda uid=uid: bool(server.commands_for(uid)))
        assert [c for c, _ in server.commands_for(uid)] == listed  # the menu, in help's order

    stranger = server.user(49, first_name="Ny", language_code="sv")
    await stranger.send("/help")
    told = await stranger.wait_for_message()
    assert sections(told)["Börja här"] == ["start", "help", "privacy"]
    assert [c for c, _ in server.commands_for(None)] == ["start", "help", "privacy"]


async def test_help_in_swedish(app: BotApplication, server: FakeBotApi, bot_store: Store) -> None:
    group = await make_group(bot_store, "Rinkeby")
    await make_member(bot_store, 44, role=Role.COORDINATOR, group=group, language="sv")
    user = server.user(44, first_name="Samordnare", language_code="sv")
    await user.send("/help")
    shown = await user.wait_for_message()
    assert shown.entities_text.startswith("Det här kan du göra\n")
    assert list(sections(shown)) == ["Börja här", "Under passet", "Samordning"]
    assert "/checkin — Checka in på plats" in shown.entities_text
