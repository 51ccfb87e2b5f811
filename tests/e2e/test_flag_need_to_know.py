"""Flags end to end, need to know: who may list, open and press a flag, protected content,
and cards that stop showing it to a holder who may no longer see it."""

from __future__ import annotations

import asyncio

from bot.domain.flags import DraftStep, FlagAct, FlagDraft, FlagPolicy, Urgency
from bot.services import flags as flags_service
from bot.services.flag_drafts import DraftAt
from bot.services.members import deactivate_member, find_member, set_agency
from handlers.context import BotApplication
from storage.store import Store
from tests.e2e.flag_scene import _card, _now, _raise, _scene
from tests.factories import START, make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser
from tests.flagkit import resolve


async def test_need_to_know_for_list_detail_and_every_button(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _scene(bot_store, server)
    number = await _raise(server, users[601], ["TULL", "FK"], "Synligt bara för några")
    await deactivate_member(bot_store, 8, START)  # Dan (TULL), the 8th member made
    stranger = server.user(699, first_name="Stranger", language_code="en")
    await stranger.send("/help")
    await stranger.wait_for_count(1)

    async def listed(user: FakeUser) -> bool:
        await user.send("/flags")
        reply = await user.wait_for_message()
        return f"#{number}" in reply.entities_text

    for uid in (602, 611, 621, 600):  # raiser's agency, targets, coordinator
        assert await listed(users[uid]), uid
        query = await users[uid].press_data(users[uid].last, f"fl:v:{number}")
        await users[uid].wait_for_message(lambda m: f"Flag #{number}" in m.entities_text)
        assert query in server.callback_answers
    assert not await listed(users[631])  # another agency

    unknown = "That flag does not exist or is not visible to you."
    for action in ("v", "a", "r", "d", "c", "w"):
        for target in (number, 999):
            query = await users[631].press_data(users[631].last, f"fl:{action}:{target}")
            await server.wait_until(lambda q=query: q in server.callback_answers)
            assert server.callback_answers[query]["text"] == unknown, (action, target)
    assert not [m for m in users[631].messages if "Synligt" in m.entities_text]

    for user, expected in ((users[641], "deactivated"), (stranger, "not registered")):
        query = await user.press_data(user.last, f"fl:v:{number}")
        await server.wait_until(lambda q=query: q in server.callback_answers)
        assert expected in server.callback_answers[query]["text"]
        await user.send("/flags")
        assert expected in (await user.wait_for_message()).entities_text


async def test_every_message_showing_a_flag_is_protected_and_an_opened_card_stays_current(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _scene(bot_store, server)
    anna, tove, tim = users[601], users[611], users[612]
    number = await _raise(server, anna, ["TULL"], "Skyddat innehåll")
    summary = next(m for m in anna.messages if f"Flag #{number} is raised" in m.entities_text)
    assert summary.protect_content  # it showed the description before Raise was pressed
    # The flag's own card reaches Tim through the outbox; wait for it, or it can arrive after
    # /flags and be taken for the listing (both say "#1").
    await tim.wait_for_message(lambda m: f"Flag #{number}" in m.entities_text, earlier=True)
    await tim.send("/flags")
    listing = await tim.wait_for_message(
        lambda m: any(f"#{number}" in text for text in m.button_texts())
    )
    assert listing.protect_content
    await tim.press(listing, f"#{number}")
    await server.wait_until(
        lambda: len([m for m in tim.messages if f"Flag #{number} ·" in m.entities_text]) == 2
    )
    opened = [m for m in tim.messages if f"Flag #{number} ·" in m.entities_text][-1]
    assert opened.protect_content and "👀 Acknowledge" in opened.button_texts()

    await tove.press(await _card(tove, number), "👀 Acknowledge")
    # Tim's opened card is edited with his copy: no Acknowledge once Tove has acknowledged.
    for card in [m for m in tim.messages if f"Flag #{number} ·" in m.entities_text]:
        await server.wait_until(
            lambda c=card: "acknowledged by Tove" in tim.message(c).entities_text
        )
        assert "👀 Acknowledge" not in tim.message(card).button_texts()
    assert server.rejections == []


async def test_a_deactivated_holders_card_is_neutralised_once_and_never_shows_more(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _scene(bot_store, server)
    anna, tove, tim = users[601], users[611], users[612]
    number = await _raise(server, anna, ["TULL"], "Bara för behöriga")
    card = await _card(tove, number)
    assert "Bara för behöriga" in card.entities_text
    tove_id = (await find_member(bot_store, 611)).id
    await deactivate_member(bot_store, tove_id, START)
    gone = f"Flag #{number} is no longer available to you."
    await server.wait_until(lambda: tove.message(card).entities_text == gone)
    assert tove.message(card).button_texts() == []

    await tim.press(await _card(tim, number), "👀 Acknowledge")  # the flag changes after
    await server.wait_until(lambda: "acknowledged by Tim" in _now(anna, number).entities_text)
    await resolve(tim, await _card(tim, number))
    await server.wait_until(lambda: "Closed." in _now(anna, number).entities_text)
    await asyncio.sleep(0.5)  # the sender has nothing more for Tove; give it the chance
    assert tove.message(card).entities_text == gone and tove.message(card).edits == 1
    assert not [m for m in tove.messages if "Bara för" in m.entities_text or "Tim" in str(m)]
    assert server.rejections == []


async def test_an_admin_moving_a_holder_to_another_agency_rechecks_their_card(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _scene(bot_store, server)
    anna, tove = users[601], users[611]
    number = await _raise(server, anna, ["TULL"], "Bara för behöriga")
    card = await _card(tove, number)
    tove_id = (await find_member(bot_store, 611)).id
    await set_agency(bot_store, tove_id, "af", START)
    gone = f"Flag #{number} is no longer available to you."
    await server.wait_until(lambda: tove.message(card).entities_text == gone)
    assert tove.message(card).button_texts() == []
    await set_agency(bot_store, tove_id, "TULL", START)
    await server.wait_until(lambda: "Bara för behöriga" in tove.message(card).entities_text)
    assert "👀 Acknowledge" in tove.message(card).button_texts()
    async with bot_store.read() as tx:
        moves = [e.detail for e in await tx.audit.recent() if e.action == "member.agency"]
    assert moves == ["AF -> TULL", "TULL -> AF"]
    assert server.rejections == []


async def test_flags_shows_each_targets_state_in_the_members_language(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    group = await make_group(bot_store, "Tensta")
    people = {}
    for uid, agency in ((701, "POL"), (702, "TULL"), (703, "SAPO")):
        people[agency] = await make_member(bot_store, uid, agency=agency, group=group,
                                           language="sv")  # fmt: skip
    async with bot_store.transaction() as tx:
        draft = await tx.flags.save_draft(
            FlagDraft(member_id=people["POL"].id, step=DraftStep.SUMMARY, targets=("SAPO", "TULL"),
                      category="other", urgency=Urgency.PRIORITY, description="x",
                      group_id=group.id),
            START,
        )  # fmt: skip
    raised = await flags_service.raise_flag(
        bot_store,
        people["POL"],
        FlagPolicy(),
        START,
        DraftAt(draft.id, draft.step),
        draft.revision,
    )
    await flags_service.act(bot_store, people["TULL"], raised.id, FlagAct.ACKNOWLEDGE, START)
    await flags_service.decline(bot_store, people["SAPO"], raised.id, "Nej", None, FlagPolicy(),
                                START)  # fmt: skip
    anna = server.user(701, first_name="Anna", language_code="sv")
    await anna.send("/flags")
    listing = await anna.wait_for_message(lambda m: f"#{raised.id}" in m.entities_text)
    assert "Säpo avböjd, Tull kvitterad" in listing.entities_text, listing.entities_text
