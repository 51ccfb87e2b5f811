"""Buttons met when a flow starts while another draft is unfinished (fw)."""

from __future__ import annotations

from typing import Annotated

from bot.domain.callbacks.codec import Between, CallbackData
from bot.domain.flows import Flow


class FlowPress(CallbackData):
    """Names the unfinished draft (a notice's has no id: 0) and its step when shown."""

    flow: Flow
    draft: int
    step: Annotated[int, Between(0, 99)]


class FlowContinue(FlowPress, prefix="fw:c"):
    """Go on with the unfinished draft at its step."""


class FlowRestart(FlowPress, prefix="fw:r"):
    """Drop the unfinished draft and start `start` (a work-log entry may be for a flag)."""

    start: Flow
    flag_id: int | None
