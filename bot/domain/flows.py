"""The flows a member composes step by step, each kept as a draft until it is sent."""

from __future__ import annotations

from enum import StrEnum


class Flow(StrEnum):
    """A flow with a draft: a flag, a notice, a work-log entry; or /plan, whose buttons carry
    its choices (it may begin after Start over, but never is an unfinished draft)."""

    FLAG = "flag"
    NOTICE = "notice"
    LOG = "log"
    PLAN = "plan"
