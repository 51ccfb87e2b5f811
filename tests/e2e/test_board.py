"""The residents' board end to end: the running bot keeps a pinned post in a channel of the
fake Bot API; check-ins reach it late and only in aggregate; coordinators preview and hide it;
a bot that lost its rights says so once and stops."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.domain.board import Channel
from bot.domain.models import Group, Role
from bot.domain.outbox import OutboxState
from bot.domain.worklog import ActivityDraft, Kind, Residents
from bot.services import boards
from bot.services.digest import digest_text
from handlers.board import refresh_boards
from handlers.context import BotApplication, BotContext
from storage.store import Store
from tests.factories import START, FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi, FakeChannel, FakeUser

OFFICE = (59.3880, 17.9280)
CHANNEL_ID = -1001000000001
CHANNEL = Channel(id=CHANNEL_ID, name="aktionsgruppen_jarva", title="Aktionsgruppen Järva")
LAST_WEEK = datetime(2026, 11, 25, 10, 0, tzinfo=START.tzinfo)  # a Wednesday, week 48


async def tick(app: BotApplication) -> None:
    """One run of the board job, as the job queue runs it every minute."""
    await refresh_boards(BotContext(app))


async def settled(server: FakeBotApi, store: Store) -> None:
    """Wait until nothing queued for any board is still on its way."""

    async def quiet() -> bool:
        async with store.read() as tx:
            board = await tx.boards.get(1)
            if board is None or board.post_id is None:
                return True
            rows = await tx.outbox.of_ref(boards.REF, board.post_id)
        return not [r for r in rows if r.state in (OutboxState.PENDING, OutboxState.SENDING)]

    await server.wait_until(quiet, message="board messages to settle")


async def _log(store: Store, group: Group, member_id: int, agency: str, kind: Kind, key: str,
               residents: Residents) -> None:  # fmt: skip
    draft = ActivityDraft(
        member_id=member_id, step="summary", group_id=group.id, kind=kind, type=key,
        residents=residents, minutes=60,
    )  # fmt: skip
    async with store.transaction() as tx:
        await tx.activities.add(draft, agency, LAST_WEEK)


async def _scene(
    store: Store, server: FakeBotApi, channel: FakeChannel | None = None
) -> tuple[Group, dict[str, FakeUser], FakeChannel]:
    group = await make_group(store, "Järva")
    people = {
        "coord": (800, Role.COORDINATOR, None, "Cecilia"),
        "anna": (801, Role.EXPERT, "POL", "Anna Andersson"),
        "bo": (802, Role.EXPERT, "SKV", "Bo Berg"),
        "sara": (803, Role.EXPERT, "SAPO", "Sara Sund"),
    }
    users, ids = {}, {}
    for key, (uid, role, agency, name) in people.items():
        member = await make_member(
            store, uid, role=role, agency=agency, group=group, name=name, language="en"
        )
        ids[key] = member.id
        users[key] = server.user(uid, first_name=name.split()[0], language_code="en")
        await users[key].send("/help")
        await users[key].wait_for_count(1)
        if agency is not None:
            await _log(store, group, member.id, agency, Kind.RELATIONSHIP, "dialogue",
                       Residents.SOME)  # fmt: skip
    anna = ids["anna"]
    await _log(store, group, anna, "POL", Kind.RELATIONSHIP, "school_visit", Residents.FEW)
    await _log(store, group, anna, "POL", Kind.BOUNDARY, "control", Residents.MANY)
    channel = channel or server.channel(CHANNEL_ID, CHANNEL.title, CHANNEL.name)
    await boards.set_office(
        store, "Järva", address="Rinkebytorget 1", hours="Mån–fre 9–17", contact="08-123 45 67",
        english=False, now=START,
    )  # fmt: skip
    await boards.publish(store, "Järva", CHANNEL, START)
    return group, users, channel


async def _posted(app: BotApplication, server: FakeBotApi, store: Store, channel: FakeChannel):
    """The first tick posts the board; the next one pins the post that arrived."""
    await tick(app)
    post = await channel.wait_for_message()
    await settled(server, store)
    await tick(app)
    await server.wait_until(lambda: channel.pinned is not None, message="the post to be pinned")
    return post


def _requests(channel: FakeChannel) -> int:
    return len(channel.requests("sendMessage", "editMessageText", "pinChatMessage"))


async def test_check_ins_reach_the_board_late_and_in_aggregate_only(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    group, users, channel = await _scene(bot_store, server)
    post = await _posted(app, server, bot_store, channel)
    text = channel.message(post).entities_text
    assert "Järva" in text and "The office" not in text  # Swedish only
    assert "Kontoret är inte bemannat just nu." in text
    assert "Öppettider: Mån–fre 9–17" in text and "Adress: Rinkebytorget 1" in text
    # Last week's relationship-building work: POL and SKV count, SAPO's dialogue does not,
    # and boundary-setting work is not shown at all.
    assert "Förra veckan (v. 48)" in text
    assert "• Dialog med boende: 2" in text and "• Besök på skola eller fritidsgård: 1" in text
    assert "Minst 13 boende nåddes." in text  # 6 + 6 + 1: bands counted at their lower bound
    assert "Kontroll" not in text
    assert channel.pinned is not None and channel.pinned.message_id == post.message_id

    clock.now = START + timedelta(minutes=1)  # 08:01 Stockholm
    for who in ("anna", "sara"):
        await users[who].share_location(*OFFICE)
        await users[who].wait_for_message(lambda m: "Checked in" in m.entities_text)

    before = _requests(channel)
    clock.now = START + timedelta(minutes=5)  # the 06:50 UTC snapshot is already out
    await tick(app)
    await settled(server, bot_store)
    assert _requests(channel) == before, "no change within the interval"

    clock.now = START + timedelta(minutes=12)  # shows 07:00 UTC: before Anna came
    await tick(app)
    await channel.wait_for_message(lambda m: "Uppdaterad mån 30/11 08:00" in m.entities_text)
    assert "inte bemannat" in channel.message(post).entities_text

    clock.now = START + timedelta(minutes=20)  # shows 07:10 UTC: Anna is there
    await tick(app)
    text = (await channel.wait_for_message(lambda m: "08:10" in m.entities_text)).entities_text
    assert "Kontoret är bemannat." in text
    assert "På plats: Polismyndigheten — 1 av 11 myndigheter" in text
    for secret in ("Säkerhetspolisen", "SAPO", "Anna", "Sara", "Andersson", "08:01", "07:01"):
        assert secret not in text

    clock.now = START + timedelta(minutes=21)
    await users["bo"].share_location(*OFFICE)
    await users["bo"].wait_for_message(lambda m: "Checked in" in m.entities_text)
    clock.now = START + timedelta(minutes=22)
    await users["anna"].send("/checkout")
    await users["anna"].wait_for_message(lambda m: "Checked out" in m.entities_text)

    clock.now = START + timedelta(minutes=31)  # shows 07:20 UTC: still Anna, not yet Bo
    await tick(app)
    text = (await channel.wait_for_message(lambda m: "08:20" in m.entities_text)).entities_text
    assert "På plats: Polismyndigheten — 1 av 11 myndigheter" in text

    clock.now = START + timedelta(minutes=41)  # shows 07:30 UTC: Bo came, Anna left
    await tick(app)
    text = (await channel.wait_for_message(lambda m: "08:30" in m.entities_text)).entities_text
    assert "På plats: Skatteverket — 1 av 11 myndigheter" in text
    assert len(channel.history) == 1, "one post, edited in place"
    assert server.rejections == []


async def test_a_coordinator_previews_and_hides_the_board_at_once(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    group, users, channel = await _scene(bot_store, server)
    post = await _posted(app, server, bot_store, channel)
    clock.now = START + timedelta(minutes=3)
    await users["anna"].share_location(*OFFICE)
    await users["anna"].wait_for_message(lambda m: "Checked in" in m.entities_text)

    coord = users["coord"]
    await coord.send("/board")
    preview = await coord.wait_for_message(lambda m: "Residents' board" in m.entities_text)
    assert "State: shown" in preview.entities_text
    assert "at 08:20 at the earliest" in preview.entities_text  # grid 07:10 UTC + 10 min
    # The preview shows now what the channel shows only after the delay.
    assert "Polismyndigheten — 1 av 11" in preview.entities_text
    assert "inte bemannat" in channel.message(post).entities_text

    await users["anna"].send("/board")
    assert "not allowed" in (await users["anna"].wait_for_message()).entities_text
    await users["anna"].press_data(preview, preview.buttons()[0][0][1] or "")
    await server.wait_until(lambda: len(server.callback_answers) >= 1)
    assert "Tavlan är pausad" not in channel.message(post).entities_text, "a forged press"

    await coord.press(preview, "⏸ Hide the board now")
    await coord.wait_for_message(lambda m: "is hidden" in m.entities_text)
    # No tick, no clock: the post changes at once.
    paused = await channel.wait_for_message(
        lambda m: "Tavlan är pausad" in m.entities_text, timeout=5
    )
    assert "Polismyndigheten" not in paused.entities_text
    assert "Rinkebytorget" not in paused.entities_text

    before = _requests(channel)
    for minutes in (15, 25, 35):
        clock.now = START + timedelta(minutes=minutes)
        await tick(app)
    await settled(server, bot_store)
    assert _requests(channel) == before, "a hidden board stays hidden"

    await coord.send("/board")
    hidden = await coord.wait_for_message(lambda m: "Residents' board" in m.entities_text)
    assert "hidden since" in hidden.entities_text
    await coord.press(hidden, "▶️ Show the board again")
    await coord.wait_for_message(lambda m: "shown again" in m.entities_text)
    await tick(app)
    shown = await channel.wait_for_message(lambda m: "Kontoret är bemannat." in m.entities_text)
    assert "Uppdaterad mån 30/11 08:20" in shown.entities_text
    assert len(channel.history) == 1


@pytest.mark.parametrize(
    ("standing", "rights", "still"),
    [
        ("member", {}, "is not an administrator of"),  # demoted
        ("left", {}, "is not an administrator of"),  # removed from the channel
        ("administrator", {"can_post_messages": False}, "may not post messages"),
    ],
)
async def test_a_bot_that_loses_its_rights_stops_the_board_at_once_and_says_so_once(
    app: BotApplication,
    server: FakeBotApi,
    bot_store: Store,
    clock: FakeClock,
    standing: str,
    rights: dict[str, bool],
    still: str,
) -> None:
    group, users, channel = await _scene(bot_store, server)
    elsewhere = server.channel(CHANNEL_ID - 5, "Annan kanal", "annan")
    await _posted(app, server, bot_store, channel)
    coord = users["coord"]
    elsewhere.set_bot_rights("left")  # a channel without a board: nothing to say
    channel.set_bot_rights(standing, **rights)  # an owner takes rights away: Telegram says so
    told = await coord.wait_for_message(lambda m: "no longer" in m.entities_text)  # no tick
    assert "@aktionsgruppen_jarva" in told.entities_text and "Järva" in told.entities_text
    assert "post and to edit messages" in told.entities_text
    before = _requests(channel)
    for minutes in (10, 20, 30):
        clock.now = START + timedelta(minutes=minutes)
        await tick(app)
    await settled(server, bot_store)
    assert _requests(channel) == before, "a stopped board sends nothing"
    assert len([m for m in coord.messages if "no longer" in m.entities_text]) == 1
    for who in ("anna", "bo", "sara"):
        assert not [m for m in users[who].messages if "no longer" in m.entities_text]
    assert not [c for c in server.calls if c.params.get("chat_id") == elsewhere.id]

    await coord.send("/board")
    card = await coord.wait_for_message(lambda m: "Residents' board" in m.entities_text)
    assert "stopped" in card.entities_text
    await coord.press(card, "🔁 Try again")
    refused = await coord.wait_for_message(lambda m: still in m.entities_text)
    assert "@samverkan_test_bot" in refused.entities_text

    channel.set_bot_rights("administrator")
    await coord.press(card, "🔁 Try again")
    await coord.wait_for_message(lambda m: "published again" in m.entities_text)
    await tick(app)
    await server.wait_until(lambda: len(channel.messages) == 2, message="a new post")
    await settled(server, bot_store)
    await tick(app)
    newest = channel.messages[-1]
    await server.wait_until(lambda: channel.pinned is newest, message="the new post pinned")
    # The stopped board's post says it was replaced, so residents never take it as current.
    old = channel.messages[0].entities_text
    assert "ersatt av det fästa inlägget i @aktionsgruppen_jarva" in old
    assert "Kontoret" not in old


async def test_a_refused_edit_stops_the_board_with_telegrams_answer_and_no_retries(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    group, users, channel = await _scene(bot_store, server)
    post = await _posted(app, server, bot_store, channel)
    channel.delete(post)  # a channel admin deletes the board's post
    clock.now = START + timedelta(minutes=10)
    await tick(app)  # queues an edit, which Telegram refuses
    await settled(server, bot_store)
    refused = _requests(channel)
    for minutes in (11, 20, 30):
        clock.now = START + timedelta(minutes=minutes)
        await tick(app)
    await settled(server, bot_store)
    told = await users["coord"].wait_for_message(
        lambda m: "could not be updated" in m.entities_text, earlier=True
    )
    assert "Telegram answered: “Message to edit not found”" in told.entities_text
    assert _requests(channel) == refused, "no retries once Telegram refused"
    coord_messages = [m for m in users["coord"].messages if "could not" in m.entities_text]
    assert len(coord_messages) == 1
    async with bot_store.read() as tx:
        text = await digest_text(tx, group.id, "en", clock.now)
    assert "The board has stopped: Telegram answered “Message to edit not found”" in text


async def test_a_bot_that_may_not_pin_says_so(
    app: BotApplication, server: FakeBotApi, bot_store: Store
) -> None:
    channel = server.channel(CHANNEL_ID, CHANNEL.title, CHANNEL.name, can_edit_messages=False)
    group, users, channel = await _scene(bot_store, server, channel)
    await tick(app)
    await channel.wait_for_message()
    await settled(server, bot_store)
    await tick(app)  # the pin is refused: the board stops
    told = await users["coord"].wait_for_message(
        lambda m: "could not be updated" in m.entities_text
    )
    assert "not enough rights to manage pinned messages" in told.entities_text.lower()
    assert channel.pinned is None
    async with bot_store.read() as tx:
        board = await tx.boards.get(group.id)
    assert board is not None and board.state.value == "stopped"
