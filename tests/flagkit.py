"""Pressing the flag picker's buttons in e2e tests: they name agencies with their presence
("Tullverket · 2 on duty"), so tests find a button by the agency code in its data."""

from __future__ import annotations

from tests.fakebot import FakeUser, SentMessage


def pick_data(message: SentMessage, code: str) -> str:
    """The callback data of the picker button for this agency."""
    found = [
        data
        for row in message.buttons()
        for _label, data in row
        if data is not None and data.startswith("fd:t:") and data.endswith(f":{code}")
    ]
    assert len(found) == 1, (code, message.buttons())
    return found[0]


def pick_label(message: SentMessage, code: str) -> str:
    """The text of the picker button for this agency."""
    data = pick_data(message, code)
    return next(label for row in message.buttons() for label, d in row if d == data)


async def pick(user: FakeUser, message: SentMessage, code: str) -> str:
    """Press the picker button for this agency on the message as it is now."""
    current = user.message(message)
    return await user.press_data(current, pick_data(current, code))


def picked(user: FakeUser, message: SentMessage, code: str) -> bool:
    """True when the agency's button is ticked on the message as it is now."""
    return pick_label(user.message(message), code).startswith("✓ ")
