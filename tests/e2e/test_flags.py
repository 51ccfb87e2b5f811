"""Flags end to end: life cycle, routing, races, redirect, withdrawal, need to know."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.domain.flags import DraftStep, FlagAct, FlagDraft, FlagPolicy, Urgency
from bot.domain.models import Role
from bot.services import flags as flags_service
from bot.services.flag_drafts import DraftAt
from bot.services.members import deactivate_member, find_member, set_agency
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import START, make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser, SentMessage
from tests.flagkit import open_flag, pick, picked, resolve

OFFICE = (59.3880, 17.9280)
TEXT = 'Bil <ABC 123> & "släp" vid torget — ärende K-2026-77'
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


async def test_life_cycle_across_three_agencies_with_race_and_redirect(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _scene(bot_store, server)
    anna, tove, tim, fia, alf, coord = (users[u] for u in (601, 611, 612, 621, 651, 600))
    number = await _raise(server, anna, ["TULL", "FK"], TEXT)
    for user in (tove, tim, fia):
        await server.wait_until(lambda u=user: any(f"Flag #{number}" in m.entities_text
                                                   for m in u.messages))  # fmt: skip
    card = await _card(tove, number)
    assert TEXT in card.entities_text and card.protect_content
    # The place follows the card as a real Telegram location, protected like it.
    pin = await tove.wait_for_message(lambda m: m.location is not None, earlier=True)
    assert pin.location == {"latitude": 59.389, "longitude": 17.929} and pin.protect_content
    assert pin.message_id > card.message_id
    fk = (await _card(fia, number)).entities_text
    fk_name = "Swedish Social Insurance Agency"
    assert f"{fk_name} — open" in fk and f"(no one on duty — sent to everyone of {fk_name}" in fk
    assert "From Swedish Police Authority (Anna)" in fk  # names, not codes
    # The coordinator is the ladder's next rung: not before a deadline has passed.
    assert not [m for m in coord.messages if "Flag #" in m.entities_text]
    assert not [m for m in users[631].messages if "Flag #" in m.entities_text]  # SKV
    assert not [m for m in users[631].messages if m.location is not None]
    assert not [m for m in users[602].messages if "Flag #" in m.entities_text]  # POL colleague

    first, second = await asyncio.gather(
        tove.press(card, "👀 Acknowledge"), tim.press(await _card(tim, number), "👀 Acknowledge")
    )
    await server.wait_until(lambda: first in server.callback_answers
                            and second in server.callback_answers)  # fmt: skip
    answers = sorted(server.callback_answers[q]["text"] for q in (first, second))
    assert answers[0] == "Acknowledged."
    assert answers[1].startswith("Already acknowledged by ")
    # The raiser's own card says so, edited in place: no push for every change.
    await server.wait_until(
        lambda: "Swedish Customs — acknowledged by T" in _now(anna, number).entities_text
    )
    assert not [m for m in anna.messages if "acknowledged your flag" in m.entities_text]

    await fia.press(await _card(fia, number), "🛑 Decline")
    await fia.wait_for_message(lambda m: "Why do you decline" in m.entities_text, earlier=True)
    await fia.send("Inte vårt område")
    choice = await fia.wait_for_message(lambda m: "another agency" in m.entities_text,
                                        earlier=True)  # fmt: skip
    await fia.press(choice, "AF")  # a button: the short form
    await alf.wait_for_message(lambda m: f"Flag #{number}" in m.entities_text, earlier=True)
    await server.wait_until(
        lambda: "passed to Swedish Public Employment Service" in _now(anna, number).entities_text
    )

    await resolve(tove, await _card(tove, number))
    await resolve(alf, await _card(alf, number), "↪ Referred on")
    for user in (anna, tove, tim, fia, alf):
        await server.wait_until(
            lambda u=user: "Closed." in _now(u, number).entities_text, timeout=8
        )
        assert await u_buttons(user, number) == []
    closed = _now(anna, number).entities_text
    assert "Swedish Customs — resolved by T" in closed and ": ✅ Dealt with" in closed
    assert "Swedish Public Employment Service — resolved by Alf: ↪ Referred on" in closed


async def u_buttons(user: FakeUser, number: int) -> list[str]:
    return (await _card(user, number)).button_texts()


async def test_withdraw_and_comment(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _scene(bot_store, server)
    anna, tove = users[601], users[611]
    number = await _raise(server, anna, ["TULL"], "Kontroll vid porten")
    await server.wait_until(lambda: any(f"Flag #{number}" in m.entities_text
                                        for m in tove.messages))  # fmt: skip
    await tove.press(await _card(tove, number), "👀 Acknowledge")
    await server.wait_until(lambda: "acknowledged by Tove" in
                            _now(tove, number).entities_text)  # fmt: skip
    await anna.press((await _card(anna, number)), "💬 Comment")
    await anna.wait_for_message(lambda m: "Write your comment" in m.entities_text, earlier=True)
    await anna.send("Kolla <b>bakdörren</b> & garaget")
    relayed = await tove.wait_for_message(lambda m: "Comment on flag" in m.entities_text,
                                          earlier=True)  # fmt: skip
    assert "Kolla <b>bakdörren</b> & garaget" in relayed.entities_text
    await anna.press((await _card(anna, number)), "↩ Withdraw")
    await server.wait_until(lambda: "Withdrawn." in _now(tove, number).entities_text)
    assert await u_buttons(tove, number) == []


async def test_identity_numbers_are_refused_and_never_stored(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _scene(bot_store, server)
    anna = users[601]
    wizard = await open_flag(anna)
    await pick(anna, wizard, "TULL")
    await server.wait_until(lambda: picked(anna, wizard, "TULL"))
    await anna.press(anna.last, "Next ▶")
    await server.wait_until(lambda: "Category?" in anna.last.entities_text)
    await anna.press(anna.last, "Other")
    await server.wait_until(lambda: "How urgent?" in anna.last.entities_text)
    await anna.press(anna.last, "routine")
    await server.wait_until(lambda: "short description" in anna.last.entities_text)
    for bad in ("Person 19811218-9876 syns", "pnr 8112189876", "samordn. 701063-2391"):
        await anna.send(bad)
        refusal = await anna.wait_for_message()
        assert "personal identity" in refusal.entities_text
    await anna.send("Ärende 811218-9875 (fel kontrollsiffra) och tel 070-123 45 67")
    await anna.wait_for_message(lambda m: "Share a location" in m.entities_text)
    async with bot_store.db.read() as conn:
        rows = await conn.execute_fetchall("SELECT description FROM flag_drafts")
    assert [r[0] for r in rows] == [
        "Ärende 811218-9875 (fel kontrollsiffra) och tel 070-123 45 67"
    ]


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


STALE = "This button is no longer valid."


def _data(message: SentMessage, text: str) -> str:
    data = next(d for row in message.buttons() for label, d in row if label == text)
    assert data is not None
    return data


def _answers(server: FakeBotApi, queries: list[str]) -> list[str | None]:
    return [server.callback_answers[q].get("text") for q in queries]


async def test_wizard_buttons_belong_to_their_step_and_their_draft(
    app: BotApplication, server: FakeBotApi, bot_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    users = await _scene(bot_store, server)
    anna = users[601]
    first = await open_flag(anna)
    await pick(anna, first, "TULL")
    await server.wait_until(lambda: picked(anna, first, "TULL"))
    # A triple tap on Next: once the category step was skipped, then the summary was
    # reached with no category or description (and raising it failed).
    taps = [await anna.press_data(first, _data(anna.message(first), "Next ▶")) for _ in "123"]
    await server.wait_until(lambda: all(q in server.callback_answers for q in taps))
    assert sorted(_answers(server, taps), key=str) == [None, STALE, STALE]
    assert "Category?" in anna.message(first).entities_text
    category_step = anna.message(first)

    await anna.send("/flag")  # a second /flag, started over: the first one's buttons go
    await anna.press(await anna.wait_for_message(), "↺ Start over")
    second = await anna.wait_for_message(lambda m: "New flag" in m.entities_text)
    old = [await anna.press(category_step, label) for label in ("Other", "◀ Back", "✖ Cancel")]
    await server.wait_until(lambda: all(q in server.callback_answers for q in old))
    assert _answers(server, old) == [STALE, STALE, STALE]
    assert anna.message(first).entities_text == category_step.entities_text
    await pick(anna, second, "FK")  # the new draft was not cancelled by the old Cancel
    await server.wait_until(lambda: picked(anna, second, "FK"))
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert server.rejections == []


def _edits(server: FakeBotApi) -> int:
    """Edits Telegram took (a 429 asks the bot to try the same edit again)."""
    return len([c for c in server.calls_to("editMessageText") if c.status != 429])


async def test_edits_that_change_nothing_are_not_sent(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await _scene(bot_store, server)
    anna = users[601]
    first = await open_flag(anna)
    draft = _data(first, "Next ▶").split(":")[2]
    await anna.send("/settings")
    settings = await anna.wait_for_message(lambda m: "Settings" in m.entities_text)
    current = next(b for b in settings.button_texts() if b.startswith("✓ "))
    edits = _edits(server)
    # Back on the first step (only a forged or old button can ask it), and a setting
    # chosen again at its current value: Telegram refuses such edits as "not modified".
    presses = [
        await anna.press_data(first, f"fd:b:{draft}:targets"),
        await anna.press(settings, current),
    ]
    await server.wait_until(lambda: all(q in server.callback_answers for q in presses))
    assert _edits(server) == edits
    other = next(b for b in settings.button_texts() if b.startswith("⏰ "))
    await anna.press(settings, other)  # a real change is still shown
    await server.wait_until(lambda: f"✓ {other}" in anna.message(settings).button_texts())
    assert _edits(server) == edits + 1
    assert server.rejections == []


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
