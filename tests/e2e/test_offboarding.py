"""Offboarding: deactivating a member cancels their plans, hands on their duties, tells
each group's coordinators once which gaps open, and tells the member once."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.flags import FlagAct
from bot.domain.models import Member, Role
from bot.services import flags as flags_service
from bot.services import shifts as shifts_service
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import START, make_group, make_member
from tests.fakebot import FakeBotApi
from tests.scenes import OFFICE, raise_flag


async def test_deactivation_offboards_the_member(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    rinkeby, tensta = (
        await make_group(bot_store, "Rinkeby"),
        await make_group(bot_store, "Tensta", lat=59.40, lon=17.88),
    )
    await make_member(bot_store, 900, role=Role.COORDINATOR, agency=None, group=rinkeby,
                              language="en")  # fmt: skip
    leaving = await make_member(bot_store, 901, group=rinkeby, language="en", name="Leif")
    await make_member(bot_store, 902, group=rinkeby, language="en", name="Pia")
    raiser = await make_member(bot_store, 903, agency="TULL", group=rinkeby, language="en")
    async with bot_store.transaction() as tx:
        await tx.members.join_group(leaving.id, tensta.id, START)
        day = timedelta(days=1)
        past = await tx.shifts.add(leaving.id, rinkeby.id, START - day, START - day / 2, START)
        future = [
            await tx.shifts.add(leaving.id, g, START + day * n, START + day * n + day / 3, START)
            for n, g in ((1, rinkeby.id), (2, rinkeby.id), (3, rinkeby.id), (4, tensta.id))
        ]
    names = {900: "Coord", 901: "Leif", 902: "Pia", 903: "Tove"}
    users = {uid: server.user(uid, first_name=name, language_code="en")
             for uid, name in names.items()}  # fmt: skip
    for user in users.values():
        await user.send("/help")
        await user.wait_for_message(lambda m: "What you can do" in m.entities_text)
    # Leif is on duty, so a flag for POL reaches him alone, and he acknowledges it.
    await users[901].share_location(*OFFICE)
    await users[901].wait_for_message(lambda m: "Checked in" in m.entities_text)
    leaving = await _member(bot_store, leaving.id)
    flag_id = await raise_flag(bot_store, raiser, ["POL"], START)
    await flags_service.act(bot_store, leaving, flag_id, FlagAct.ACKNOWLEDGE, START)
    await users[901].wait_for_message(lambda m: f"#{flag_id}" in m.entities_text, earlier=True)
    assert not any(f"#{flag_id}" in m.entities_text for m in users[902].messages)
    assert future[0] is not None
    await shifts_service.offer_swap(bot_store, leaving, future[0], START)
    offer = await users[902].wait_for_message(lambda m: "Take the shift" in m.button_texts())

    await server.wait_until(lambda: bool(server.commands_for(901)))
    await users[900].send("/members")
    listing = await users[900].wait_for_message(lambda m: "Members of" in m.entities_text)
    await users[900].press(listing, "Deactivate Leif")
    await server.wait_until(lambda: "They lose all access" in users[900].last.entities_text)
    await users[900].press(users[900].last, "Yes, deactivate")

    gaps = await users[900].wait_for_message(
        lambda m: "no longer works in" in m.entities_text, earlier=True
    )
    assert "Leif (Swedish Police Authority) no longer works in Rinkeby" in gaps.entities_text
    assert gaps.entities_text.count("•") == 3  # the Tensta shift is Tensta's news
    await users[902].wait_for_message(lambda m: f"#{flag_id}" in m.entities_text, earlier=True)
    await server.wait_until(
        lambda: users[902].message(offer).entities_text == "The offer is no longer open."
    )
    bye = await users[901].wait_for_message(lambda m: "access to Samverkan has ended" in
                                            m.entities_text, earlier=True)  # fmt: skip
    assert bye.reply_markup is None
    async with bot_store.read() as tx:
        live = await tx.shifts.of_member(leaving.id, START - timedelta(days=2), START + day * 9)
    assert [s.id for s in live] == [past]
    assert [m.entities_text for m in users[900].messages].count(gaps.entities_text) == 1
    await server.wait_until(lambda: server.commands_for(901) == [])  # the menu is cleared
    assert sum("access to Samverkan has ended" in m.entities_text
               for m in users[901].messages) == 1  # fmt: skip


async def _member(store: Store, member_id: int) -> Member:
    async with store.read() as tx:
        found = await tx.members.get(member_id)
    assert found is not None
    return found
