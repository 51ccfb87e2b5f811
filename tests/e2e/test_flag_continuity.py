"""A flag belongs to the raiser's agency in the group: it follows whoever of the agency is on
duty; a reply to a flag's card is a comment; check-in says what is waiting."""

from __future__ import annotations

from collections import Counter

from bot.domain.callbacks import HandoverEveryone
from bot.domain.models import Member
from bot.services import presence
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import FakeClock, make_member
from tests.fakebot import FakeBotApi, FakeUser, SentMessage
from tests.flagkit import OFFICE, copies, group_named, scene
from tests.scenes import raise_flag


async def _member(store: Store, uid: int) -> Member:
    async with store.read() as tx:
        found = await tx.members.by_telegram_id(uid)
    assert found is not None
    return found


def _card(user: FakeUser, number: int) -> SentMessage:
    return user.message(next(m for m in user.messages if f"Flag #{number} ·" in m.entities_text))


async def _pushed(store: Store, needle: str) -> list[int]:
    async with store.db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT chat_id FROM outbox WHERE kind = 'send' AND text LIKE ?", (f"%{needle}%",)
        )
    return sorted(r[0] for r in rows)


async def test_the_flag_follows_the_agency_on_duty_and_replies_are_comments(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await scene(bot_store, server)
    anna, tove = users[601], users[611]
    rinkeby = await group_named(bot_store, "Rinkeby")
    await make_member(bot_store, 602, agency="POL", group=rinkeby, name="Ari", language="en")
    ari = server.user(602, first_name="Ari", language_code="en")
    for user in (anna, ari):
        await user.share_location(*OFFICE)
        await user.wait_for_message(lambda m: "Checked in" in m.entities_text)
    number = await raise_flag(bot_store, await _member(bot_store, 601), ["TULL"], clock())
    # The raiser's colleague on duty follows the flag from the start.
    await server.wait_until(lambda: len(copies(ari, number)) == 1)
    await server.wait_until(lambda: len(copies(tove, number)) == 1)

    await tove.reply(_card(tove, number), "Vi är på väg <snart>")  # a reply is a comment
    await tove.wait_for_message(lambda m: "The comment was sent." in m.entities_text)
    for user in (anna, ari):
        await user.wait_for_message(
            lambda m: "Comment on flag" in m.entities_text and "på väg <snart>" in m.entities_text,
            earlier=True,
        )
        await server.wait_until(
            lambda u=user: "Tove: Vi är på väg <snart>" in copies(u, number)[0]
        )

    await presence.check_out(bot_store, await _member(bot_store, 601), clock())
    await server.wait_until(lambda: "🔔 Follow again" in _card(anna, number).button_texts())
    before = await _pushed(bot_store, "Comment on flag")
    await tove.reply(_card(tove, number), "Framme nu")
    await tove.wait_for_message(lambda m: "The comment was sent." in m.entities_text)
    after = await _pushed(bot_store, "Comment on flag")
    assert Counter(after) - Counter(before) == Counter([602])  # Ari, not Anna (she left)
    assert server.rejections == []


async def test_check_in_says_what_waits_and_brings_the_agencys_open_flags(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await scene(bot_store, server)
    tove, tim = users[611], users[612]
    number = await raise_flag(bot_store, await _member(bot_store, 601), ["TULL"], clock())
    await server.wait_until(lambda: len(copies(tove, number)) == 1)
    assert not copies(tim, number)  # Tim (TULL) is not on duty: the first rung is Tove
    tove_member = await _member(bot_store, 611)
    done = await presence.check_out(bot_store, tove_member, clock())
    await presence.hand_over(bot_store, tove_member, done.id, "Nyckeln i skåpet", clock())

    await tim.share_location(*OFFICE)
    checked_in = await tim.wait_for_message(lambda m: "Checked in" in m.entities_text)
    assert "Handovers waiting: 1" in checked_in.entities_text
    assert "Open flags of your agency here: 1" in checked_in.entities_text
    await server.wait_until(lambda: len(copies(tim, number)) == 1)
    assert "👀 Acknowledge" in _card(tim, number).button_texts()
    fia = users[621]  # FK: no open flag of hers, nothing waiting
    await fia.share_location(*OFFICE)
    fk = await fia.wait_for_message(lambda m: "Checked in" in m.entities_text)
    assert "Open flags" not in fk.entities_text and "Handovers" not in fk.entities_text
    assert not copies(fia, number)
    assert server.rejections == []


async def test_a_handover_can_go_to_every_agencys_next_shift(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await scene(bot_store, server)
    tove, fia, anna, tim = users[611], users[621], users[601], users[612]
    await fia.share_location(*OFFICE)  # FK on duty; Tim (TULL) is not
    await fia.wait_for_message(lambda m: "Checked in" in m.entities_text)
    await tove.send("/checkout")
    asked = await tove.wait_for_message(lambda m: "Checked out" in m.entities_text)
    async with bot_store.read() as tx:
        presence_id = (await tx.presences.get(1)).id  # type: ignore[union-attr]
    forged = await anna.press_data(anna.last, HandoverEveryone(presence_id).pack())
    await server.wait_until(lambda: forged in server.callback_answers)
    assert "does not exist" in server.callback_answers[forged]["text"]  # not Anna's to address
    await tove.press(asked, "👥 To every agency's next shift")
    await server.wait_until(lambda: "every agency on duty" in tove.message(asked).entities_text)
    await tove.send("Porten är trasig")
    await tove.wait_for_message(lambda m: "went to 1 colleague" in m.entities_text)
    note = await fia.wait_for_message(
        lambda m: "Handover from Tove (Swedish Customs)" in m.entities_text, earlier=True
    )
    assert "Porten är trasig" in note.entities_text and note.protect_content
    assert not [m for m in tim.messages if "Porten" in m.entities_text]  # on duty first
    assert server.rejections == []
