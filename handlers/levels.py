"""Who may use a handler: the levels the access gate compares."""

from __future__ import annotations

from enum import IntEnum


class Level(IntEnum):
    """Who may use a handler."""

    ANYONE = 0
    MEMBER = 1
    COORDINATOR = 2
    ADMIN = 3
