"""Coverage at a glance: /onduty names the people present and who is planned but not here,
leaves out agencies that never staff the district, and a check-in outside the area shows as
such, does not count, and is told to the coordinator once. A district's staffing target says
which agencies, how many and in which hours."""

from __future__ import annotations

from datetime import time
from functools import partial
from pathlib import Path

from bot.domain.models import Role
from bot.domain.staffing import Target
from bot.services import roster, watch
from handlers.context import BotApplication
from storage.store import Store
from tests.e2e.test_cli import run_cli
from tests.factories import START, FakeClock, make_group, make_member
from tests.fakebot import FakeBotApi, FakeUser

OFFICE = (59.3880, 17.9280)
FAR = (59.4000, 17.9280)  # about 1.3 km north of the office


async def _scene(store: Store, server: FakeBotApi) -> dict[str, FakeUser]:
    group = await make_group(store, "Rinkeby")
    await make_member(store, 700, role=Role.COORDINATOR, group=group, agency=None,
                      language="en", name="Coord")  # fmt: skip
    people = {701: ("Anna", "POL"), 702: ("Omar", "POL"), 703: ("Sara", "SKV"),
              704: ("Lena", "SKV")}  # fmt: skip
    for uid, (name, agency) in people.items():
        await make_member(store, uid, group=group, agency=agency, name=name,
                          username=name.lower(), language="en")  # fmt: skip
    users = {"coord": server.user(700, first_name="Coord", language_code="en")}
    for uid, (name, _) in people.items():
        users[name.lower()] = server.user(uid, first_name=name, language_code="en")
    for user in users.values():
        user.mark_started()  # they have opened the bot before: it may write to them
    # Lena is planned now (08:00 Stockholm) and has not checked in.
    await roster.import_roster(
        store, "member,group,start,end\n@lena,Rinkeby,2026-11-30T08:00,2026-11-30T16:00\n",
        START,
    )  # fmt: skip
    return users


async def _targets(store: Store, *targets: Target) -> None:
    """Rinkeby's staffing targets, as `samverkan group target` sets them."""
    async with store.transaction() as tx:
        group = await tx.groups.by_name("Rinkeby")
        assert group is not None
        for target in targets:
            await tx.groups.set_target(group.id, target)


async def _check_in(user: FakeUser, where: tuple[float, float]) -> None:
    await user.share_location(*where)
    await user.wait_for_message(lambda m: "Checked in" in m.entities_text)


async def test_onduty_lists_people_not_empty_agencies(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await _scene(bot_store, server)
    await _check_in(users["anna"], OFFICE)
    await _check_in(users["sara"], FAR)
    coord = users["coord"]
    told = await coord.wait_for_message(
        lambda m: "outside the area" in m.entities_text, earlier=True
    )
    assert (
        "Sara (Swedish Tax Agency) checked in at Rinkeby outside the area, 1.3 km from the office"
        in (told.entities_text)
    )

    await coord.send("/onduty")
    board = await coord.wait_for_message(lambda m: "on duty now" in m.entities_text)
    lines = board.entities_text.split("\n")
    assert lines == [
        "Rinkeby — on duty now",
        "✗ Swedish Tax Agency 0/2 — Sara (outside the area) · not checked in: Lena",
        "✗ Swedish Police Authority 1/2 — Anna",
    ]  # agencies in the deployment's order
    assert len([m for m in coord.messages if "outside the area, " in m.entities_text]) == 1


async def test_the_staffing_target_decides_agencies_and_hours(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await _scene(bot_store, server)
    await _targets(bot_store, Target("POL", 1, time(7), time(19)))
    await _check_in(users["anna"], OFFICE)
    coord = users["coord"]
    await coord.send("/onduty")
    board = await coord.wait_for_message(lambda m: "on duty now" in m.entities_text)
    # SKV is not in the target, but Lena is planned: she is named without a minimum.
    assert board.entities_text.split("\n")[1:] == [
        "• Swedish Tax Agency · not checked in: Lena",
        "✓ Swedish Police Authority 1/1 — Anna",
    ]

    clock.advance(hours=12)  # 20:00 Stockholm: outside the target's hours
    await coord.send("/onduty")
    evening = await coord.wait_for_message(lambda m: "on duty now" in m.entities_text)
    assert evening.entities_text.split("\n")[1:] == ["• Swedish Police Authority — Anna"]


def test_the_command_line_sets_and_shows_a_target(tmp_path: Path) -> None:
    cli = partial(run_cli, tmp_path)
    assert cli("group", "add", "Rinkeby", "--lat", "59.39", "--lon", "17.93",
               "--radius-m", "300", "--min-per-agency", "2").returncode == 0  # fmt: skip
    shown = cli("group", "target", "Rinkeby")
    assert shown.returncode == 0
    assert "no target set: 2 of each agency with members in the group, round the clock" in (
        shown.stdout
    )
    assert cli("group", "target", "Rinkeby", "--agency", "pol", "--min", "3",
               "--hours", "07-19").returncode == 0  # fmt: skip
    assert cli("group", "target", "Rinkeby", "--agency", "SKV", "--min", "2").returncode == 0
    shown = cli("group", "target", "Rinkeby")
    assert shown.stdout.splitlines()[-2:] == ["SKV\t2\t00:00–24:00", "POL\t3\t07:00–19:00"]
    bad = cli("group", "target", "Rinkeby", "--agency", "POL", "--min", "2", "--hours", "7-25")
    assert bad.returncode != 0 and "cannot read the hours" in bad.stderr
    assert "Traceback" not in bad.stderr
    removed = cli("group", "target", "Rinkeby", "--agency", "SKV", "--remove")
    assert removed.returncode == 0
    assert cli("group", "target", "Rinkeby").stdout.splitlines()[-1] == "POL\t3\t07:00–19:00"


async def test_coverage_puts_gaps_first_finds_cover_and_draws_the_week(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await _scene(bot_store, server)
    await _targets(bot_store, Target("POL", 1, time(7), time(19)), Target("SKV", 1))
    coord = users["coord"]
    await coord.send("/coverage")
    report = await coord.wait_for_message(lambda m: "Coverage Rinkeby" in m.entities_text)
    lines = report.entities_text.split("\n")
    # Gaps by time, whichever the agency; Lena is planned until 16:00.
    assert lines[1:5] == [
        "Planned, next 7 days — below minimum:",
        "Swedish Police Authority: Mon 30/11 08:00–19:00, 0 of 1",
        "Swedish Tax Agency: Mon 30/11 16:00–Mon 7/12 08:00, 0 of 1",
        "Swedish Police Authority: Tue 1/12 07:00–19:00, 0 of 1",
    ]
    assert lines.index("Now (checked in):") > lines.index(
        "Swedish Police Authority: Sun 6/12 07:00–19:00, 0 of 1"
    )
    assert report.button_texts()[:3] == [
        "🔎 Find cover: Police Mon 08:00",  # a button: the short form
        "🔎 Find cover: SKV Mon 16:00",
        "🔎 Find cover: Police Tue 07:00",
    ]
    await server.wait_until(lambda: len(server.photos) == 1)
    chart = server.photos[0]
    assert chart.chat_id == coord.id and "red is a gap" in (chart.caption or "")

    asked = await coord.press(report, "🔎 Find cover: Police Tue 07:00")
    await server.wait_until(lambda: asked in server.callback_answers)
    assert server.callback_answers[asked]["text"] == (
        "Asked 2 colleagues at Swedish Police Authority. You will hear when one takes it."
    )
    offer = await users["omar"].wait_for_message(lambda m: "Can you take it" in m.entities_text)
    assert "Rinkeby needs one more from your agency Tue 1/12 07:00–19:00" in offer.entities_text
    to_anna = await users["anna"].wait_for_message(
        lambda m: "Can you take it" in m.entities_text, earlier=True
    )
    await users["omar"].press(offer, "✋ I'll take it")
    done = await coord.wait_for_message(lambda m: "takes" in m.entities_text)
    assert (
        done.entities_text
        == "✅ Omar (Swedish Police Authority) takes Tue 1/12 07:00–19:00 at Rinkeby."
    )
    await server.wait_until(
        lambda: (
            "Omar" in users["anna"].message(to_anna).entities_text
            and not users["anna"].message(to_anna).button_texts()
        )
    )
    await coord.send("/coverage")
    again = await coord.wait_for_message(lambda m: "Coverage Rinkeby" in m.entities_text)
    assert "Swedish Police Authority: Tue 1/12 07:00–19:00, 0 of 1" not in again.entities_text
    assert "Swedish Police Authority: Wed 2/12 07:00–19:00, 0 of 1" in again.entities_text


async def test_gap_alerts_show_the_real_end_and_carry_actions(
    app: BotApplication, server: FakeBotApi, bot_store: Store, clock: FakeClock
) -> None:
    users = await _scene(bot_store, server)
    await _targets(bot_store, Target("POL", 1))
    await roster.import_roster(
        bot_store,
        "member,group,start,end\n@omar,Rinkeby,2026-11-30T08:00,2026-11-30T12:00\n"
        "@anna,Rinkeby,2026-12-01T10:00,2026-12-01T18:00\n",
        START,
    )
    await watch.watch(bot_store, clock.now)  # the scan every 30 s, run now
    coord = users["coord"]
    gap = await coord.wait_for_message(lambda m: "planned gap" in m.entities_text, earlier=True)
    # The gap runs until Anna comes on Tuesday, not to the end of the 12 hours looked at.
    assert gap.entities_text == (
        "📉 Rinkeby: planned gap for Swedish Police Authority,"
        " Mon 30/11 12:00–Tue 1/12 10:00, 0 of 1."
    )
    assert gap.button_texts() == ["🔎 Find cover"]
    short = await coord.wait_for_message(
        lambda m: "present though" in m.entities_text, earlier=True
    )
    assert short.buttons()[0][0] == ("✉️ Write to Omar", None)
    assert short.raw["reply_markup"]["inline_keyboard"][0][0]["url"] == "tg://user?id=702"
    await coord.press(short, "❌ Omar absent")
    marked = await coord.wait_for_message(lambda m: "marked absent" in m.entities_text)
    assert marked.entities_text == (
        "Omar is marked absent; the shift Mon 30/11 08:00–12:00 is cancelled. Find cover?"
    )
    assert marked.button_texts() == ["🔎 Find cover"]
    await users["omar"].wait_for_message(lambda m: "You are marked absent" in m.entities_text)
    asked = await coord.press(marked, "🔎 Find cover")
    await server.wait_until(lambda: asked in server.callback_answers)
    assert server.callback_answers[asked]["text"].startswith("Asked 1 ")  # Anna, not Omar
    # The offer may be sent before the press is answered: it counts if it came already.
    offer = await users["anna"].wait_for_message(
        lambda m: "Can you take it" in m.entities_text, earlier=True
    )
    assert "Mon 30/11 08:00–12:00" in offer.entities_text
