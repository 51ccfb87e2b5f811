"""The flows a member composes step by step, each kept as a draft until it is sent."""

from __future__ import annotations

from enum import StrEnum


class Flow(StrEnum):
    """A flow with a draft: a flag, a notice, a work-log entry."""

    FLAG = "flag"
    NOTICE = "notice"
    LOG = "log"
