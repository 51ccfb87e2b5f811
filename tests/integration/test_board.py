"""Residents' boards over real storage: office details, publishing, and the morning digest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.board import BoardState, Channel
from bot.domain.errors import NotAllowed, UnknownGroup
from bot.domain.models import Role
from bot.services import boards
from bot.services.digest import digest_text
from storage.store import Store
from tests.factories import START, make_group, make_member

CHANNEL = Channel(id=-1001000000001, name="aktionsgruppen_jarva", title="Aktionsgruppen Järva")


async def test_office_details_change_only_what_is_given(store: Store) -> None:
    await make_group(store, "Järva")
    _, board = await boards.set_office(
        store, "järva", address="Rinkebytorget 1", hours="9–17", contact=None, english=True,
        now=START,
    )  # fmt: skip
    assert (board.address, board.hours, board.contact, board.english) == (
        "Rinkebytorget 1", "9–17", None, True,
    )  # fmt: skip
    _, board = await boards.set_office(
        store, "Järva", address=None, hours=None, contact="08-123 45 67", english=None, now=START
    )
    assert (board.address, board.contact, board.english) == (
        "Rinkebytorget 1", "08-123 45 67", True,
    )  # fmt: skip
    assert board.state is BoardState.OFF and board.channel is None
    with pytest.raises(UnknownGroup):
        await boards.set_office(
            store, "Nowhere", address="x", hours=None, contact=None, english=None, now=START
        )


async def test_digest_says_when_the_board_was_last_updated(store: Store) -> None:
    group = await make_group(store, "Järva")
    coordinator = await make_member(
        store, 900, role=Role.COORDINATOR, group=group, agency=None, language="en"
    )
    other = await make_member(store, 901, role=Role.COORDINATOR, agency=None, language="en")
    async with store.read() as tx:
        assert "board" not in await digest_text(tx, group.id, "en", START)

    await boards.publish(store, "Järva", CHANNEL, START)
    async with store.read() as tx:
        text = await digest_text(tx, group.id, "en", START)
    assert "The residents' board in @aktionsgruppen_jarva has not reached the channel" in text

    async with store.transaction() as tx:
        await tx.boards.shown(group.id, START + timedelta(minutes=10))
    async with store.read() as tx:
        text = await digest_text(tx, group.id, "sv", START + timedelta(hours=1))
    assert "Anslagstavlan i @aktionsgruppen_jarva uppdaterades senast mån 30/11 08:10." in text

    with pytest.raises(NotAllowed):
        await boards.hide(store, other, group.id, START)
    await boards.hide(store, coordinator, group.id, START + timedelta(minutes=20))
    async with store.read() as tx:
        text = await digest_text(tx, group.id, "en", START + timedelta(hours=1))
    assert "last updated Mon 30/11 08:10" in text
    assert "The board is hidden since Mon 30/11 08:20." in text

    await boards.show(store, coordinator, group.id, START + timedelta(minutes=30))
    await boards.refused(store, group.id, "Forbidden: bot was kicked", START)
    async with store.read() as tx:
        text = await digest_text(tx, group.id, "en", START + timedelta(hours=1))
    assert "The board has stopped: Telegram answered “Forbidden: bot was kicked”" in text
