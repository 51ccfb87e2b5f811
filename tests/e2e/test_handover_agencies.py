"""A handover note at check-out goes to the next shift of the agencies chosen: each one's
people on duty, or else whoever of it starts next; nobody of the others."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.callbacks import HandoverAgency
from handlers.context import BotApplication
from storage.store import Store
from tests.factories import FakeClock
from tests.fakebot import FakeBotApi, FakeUser, SentMessage
from tests.flagkit import OFFICE, group_named, scene


def _toggle(message: SentMessage, code: str) -> tuple[str, str]:
    """(label, data) of the agency's toggle on the message."""
    found = [
        (label, data)
        for row in message.buttons()
        for label, data in row
        if data is not None and data.startswith("hnd:t:") and data.endswith(f":{code}")
    ]
    assert len(found) == 1, (code, message.buttons())
    return found[0]


def _chosen(user: FakeUser, message: SentMessage, code: str) -> bool:
    return _toggle(user.message(message), code)[0].startswith("✓ ")


async def test_a_handover_goes_to_the_next_shift_of_the_agencies_chosen(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await scene(bot_store, server)
    tove, tim, fia, alf, anna = (users[u] for u in (611, 612, 621, 651, 601))
    for user in (alf, anna):  # AF and POL on duty: not chosen, so they get nothing
        await user.share_location(*OFFICE)
        await user.wait_for_message(lambda m: "Checked in" in m.entities_text, earlier=True)
    rinkeby = await group_named(bot_store, "Rinkeby")
    tomorrow = clock() + timedelta(days=1)
    async with bot_store.transaction() as tx:
        for uid in (621, 612):  # FK's next shift is Fia's, TULL's is Tim's
            member = await tx.members.by_telegram_id(uid)
            assert member is not None
            await tx.shifts.add(member.id, rinkeby.id, tomorrow, tomorrow + timedelta(hours=8),
                                clock())  # fmt: skip

    await tove.send("/checkout")
    asked = await tove.wait_for_message(lambda m: "Checked out" in m.entities_text)
    await tove.press(asked, "🏢 Choose agencies…")
    await server.wait_until(lambda: "Which agencies" in tove.message(asked).entities_text)
    assert _chosen(tove, asked, "TULL") and not _chosen(tove, asked, "FK")  # mine at first
    forged = await anna.press_data(anna.last, _toggle(tove.message(asked), "FK")[1])
    await server.wait_until(lambda: forged in server.callback_answers)
    assert "does not exist" in server.callback_answers[forged]["text"]  # not Anna's handover
    assert not _chosen(tove, asked, "FK")
    await tove.press_data(tove.message(asked), _toggle(tove.message(asked), "FK")[1])
    await server.wait_until(lambda: _chosen(tove, asked, "FK"))
    await tove.press_data(tove.message(asked), _toggle(tove.message(asked), "TULL")[1])
    await server.wait_until(lambda: not _chosen(tove, asked, "TULL"))
    last = await tove.press_data(tove.message(asked), _toggle(tove.message(asked), "FK")[1])
    await server.wait_until(lambda: last in server.callback_answers)
    assert "at least one agency" in server.callback_answers[last]["text"]
    assert _chosen(tove, asked, "FK")
    assert HandoverAgency(1, "FK").pack() == _toggle(tove.message(asked), "FK")[1]

    await tove.send("Larmet i källaren <B>")
    await tove.wait_for_message(lambda m: "went to 1 colleague" in m.entities_text)
    note = await fia.wait_for_message(lambda m: "Handover from Tove" in m.entities_text,
                                      earlier=True)  # fmt: skip
    assert "Larmet i källaren <B>" in note.entities_text and note.protect_content
    for other in (alf, anna, tim):  # on duty or next, but of agencies not chosen
        assert not [m for m in other.messages if "Larmet" in m.entities_text]

    await fia.share_location(*OFFICE)  # at check-in Fia sees it waiting
    checked_in = await fia.wait_for_message(lambda m: "Checked in" in m.entities_text)
    assert "Handovers waiting: 1" in checked_in.entities_text
    await anna.send("/checkout")
    leaving = await anna.wait_for_message(lambda m: "Checked out" in m.entities_text)
    await anna.press(leaving, "🏢 Choose agencies…")
    await server.wait_until(lambda: "Which agencies" in anna.message(leaving).entities_text)
    await anna.press(anna.message(leaving), "Skip")
    await server.wait_until(lambda: "No handover." in anna.message(leaving).entities_text)
    assert server.rejections == []


async def test_an_old_every_agency_button_does_not_reopen_the_handover(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    users = await scene(bot_store, server)
    tove, alf = users[611], users[651]
    await alf.share_location(*OFFICE)  # someone on duty a handover could reach
    await alf.wait_for_message(lambda m: "Checked in" in m.entities_text, earlier=True)
    await tove.send("/checkout")
    asked = await tove.wait_for_message(lambda m: "Checked out" in m.entities_text)
    everyone = next(data for row in asked.buttons() for label, data in row
                    if label == "👥 To every agency's next shift")  # fmt: skip
    await tove.press(asked, "Skip")
    await server.wait_until(lambda: "No handover." in tove.message(asked).entities_text)

    query = await tove.press_data(asked, everyone)
    await server.wait_until(lambda: query in server.callback_answers)
    assert server.callback_answers[query]["text"] == "That handover does not exist."
    assert "No handover." in tove.message(asked).entities_text
    await tove.send("Larmet i källaren")
    answer = await tove.wait_for_message()
    assert "handover" not in answer.entities_text.lower()
    assert not [m for m in alf.messages if "Larmet" in m.entities_text]
