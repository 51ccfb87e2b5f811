"""Notices as a tired coordinator uses them: "Done" does nothing until an agency is chosen
(it says so), the preview has Back, and the status keeps the notice's text, counts against a
denominator that does not move, and names who has not confirmed, by agency, on request."""

from __future__ import annotations

from bot.domain.models import Role
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import make_group, make_member
from tests.fakebot import FakeBotApi

TEXT = "Larmövning i morgon 10:00 — samling vid <entrén>."


async def test_done_back_and_who_has_not_confirmed(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store, "Rinkeby")
    await make_member(bot_store, 200, role=Role.COORDINATOR, group=group, language="en")
    users = {}
    for uid, agency in ((201, "POL"), (202, "POL"), (203, "TULL")):
        await make_member(bot_store, uid, agency=agency, group=group, language="en",
                          name=f"P{uid}")  # fmt: skip
        users[uid] = server.user(uid, first_name=f"P{uid}", language_code="en")
        users[uid].mark_started()
    coord = server.user(200, first_name="Coord", language_code="en")

    await coord.send("/notice")
    await coord.wait_for_message(lambda m: "Write the notice" in m.entities_text)
    await coord.send(TEXT)
    chooser = await coord.wait_for_message(lambda m: "Who should get it?" in m.entities_text)
    await coord.press(chooser, "Chosen agencies")
    await server.wait_until(lambda: "Choose agencies" in coord.last.entities_text)
    early = await coord.press(coord.last, "Done")  # nothing chosen yet
    await server.wait_until(lambda: early in server.callback_answers)
    assert server.callback_answers[early]["text"] == "Choose at least one agency first."
    assert "Choose agencies" in coord.last.entities_text
    for code in ("Police", "Customs"):  # the buttons: each agency's short form
        await coord.press(coord.last, code)
        await server.wait_until(lambda c=code: f"✓ {c}" in coord.last.button_texts())
    await coord.press(coord.last, "Done")
    await server.wait_until(lambda: "Preview" in coord.last.entities_text)

    await coord.press(coord.last, "◀ Back")
    await server.wait_until(lambda: "Who should get it?" in coord.last.entities_text)
    await coord.press(coord.last, "Chosen agencies")
    await server.wait_until(lambda: "✓ Police" in coord.last.button_texts())
    await coord.press(coord.last, "✓ Customs")  # changed my mind: the police only
    await server.wait_until(lambda: "Customs" in coord.last.button_texts())
    await coord.press(coord.last, "Done")
    await server.wait_until(lambda: "Preview" in coord.last.entities_text)
    assert "Recipients: 2" in coord.last.entities_text
    status = coord.last
    await coord.press(status, "Send to 2")

    await server.wait_until(
        lambda: "Delivered: 2" in coord.message(status).entities_text, timeout=8
    )
    shown = coord.message(status).entities_text
    assert TEXT in shown  # the status keeps what was sent
    assert "Confirmed: 0 of 2" in shown
    copy = await users[201].wait_for_message(lambda m: "Notice #1" in m.entities_text,
                                             earlier=True)  # fmt: skip
    await users[201].press(copy, "✅ I have read it")
    await server.wait_until(
        lambda: "Confirmed: 1 of 2" in coord.message(status).entities_text, timeout=8
    )
    await coord.press(coord.message(status), "👥 Who has not confirmed")
    who = await coord.wait_for_message(lambda m: "not confirmed" in m.entities_text)
    assert (
        who.entities_text == "Notice #1 — not confirmed (1 of 2):\nSwedish Police Authority: P202"
    )
    assert not [m for m in users[203].messages if "#1" in m.entities_text]
