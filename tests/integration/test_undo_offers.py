"""The Undo offer of a check-out on both engines: adopted with its message, taken off by the
reminder scan once its minute is over (once), and adopted again for a second check-out."""

from __future__ import annotations

from datetime import timedelta

from bot.services import checkout_undo, reminders
from bot.services import presence as svc
from storage.store import Store
from tests.factories import START, make_group, make_member

OFFICE = (59.3880, 17.9280)


async def _edits(store: Store, presence_id: int) -> list[str]:
    async with store.read() as tx:
        rows = await tx.outbox.of_ref(checkout_undo.REF, presence_id)
    return [r.text for r in rows if r.kind == "edit"]


async def test_the_offer_is_taken_off_once_after_its_minute_and_adopted_again(
    store: Store,
) -> None:
    group = await make_group(store, "Rinkeby")
    anna = await make_member(store, 801, group=group, agency="POL", language="en")
    await svc.check_in(store, anna, lat=OFFICE[0], lon=OFFICE[1], accuracy_m=10.0, now=START)
    left = START + timedelta(hours=1)
    presence = await svc.check_out(store, anna, left)
    await checkout_undo.shown(store, anna.id, presence.id, 801, 55, left)

    await reminders.run_due(store, left + timedelta(seconds=59))
    assert await _edits(store, presence.id) == []  # the minute still runs
    await reminders.run_due(store, left + timedelta(seconds=61))
    await reminders.run_due(store, left + timedelta(seconds=90))
    (edit,) = await _edits(store, presence.id)
    assert edit.startswith("👋 Checked out at 09:00.") and "Undo" not in edit

    await checkout_undo.undo_check_out(store, anna.id, presence.id, left + timedelta(seconds=30))
    again = left + timedelta(hours=1)
    await svc.check_out(store, anna, again)
    await checkout_undo.shown(store, anna.id, presence.id, 801, 56, again)  # a new message
    async with store.read() as tx:
        offers = await tx.presences.undo_offers(again - timedelta(hours=1), again + timedelta(1))
    assert [(o.presence_id, o.message_id) for o in offers] == [(presence.id, 56)]
