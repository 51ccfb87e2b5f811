"""Buttons of flags: the wizard (fd) and a flag's cards (fl)."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.callbacks.codec import (
    CallbackData,
)
from bot.domain.flags import DraftStep, Outcome, Urgency

# Flags: the wizard (fd) and a flag's cards (fl)


class FlagAction(StrEnum):
    ACKNOWLEDGE = "a"
    RESOLVE = "r"
    DECLINE = "d"
    COMMENT = "c"
    WITHDRAW = "w"
    MUTE = "m"
    UNMUTE = "u"
    ACT_FOR = "k"  # a coordinator's menu: acknowledge for, pass on, add an agency
    CATEGORISE = "g"  # the raiser's list of categories


class FlagOpen(CallbackData, prefix="fl:v"):
    flag_id: int


class FlagPress(CallbackData, prefix="fl"):
    """A button on a copy of a flag's card."""

    action: FlagAction
    flag_id: int


class FlagRedirect(CallbackData, prefix="fl:rd"):
    flag_id: int
    agency: str | None


class FlagCategory(CallbackData, prefix="fl:cat"):
    """The raiser sets the category."""

    flag_id: int
    category: str


class FlagOutcome(CallbackData, prefix="fl:o"):
    """Resolve my agency's part with this outcome."""

    flag_id: int
    outcome: Outcome


class CoordAct(StrEnum):
    """What a coordinator does for an agency on a flag."""

    ACKNOWLEDGE = "a"  # acknowledge on the agency's behalf
    HAND_ON = "p"  # pass the agency's part on: choose to whom (held while choosing)
    HAND_TO = "t"  # ... to this agency
    ADD = "n"  # add an agency as a target (None: choose which)
    WRITE = "w"  # write to whoever of the agency is on duty


class FlagFor(CallbackData, prefix="fl:k"):
    """A coordinator's press on a flag: an act for (or towards) an agency."""

    flag_id: int
    act: CoordAct
    agency: str | None


class DraftPress(CallbackData):
    """Every wizard button names its draft and the step it was shown on; others are stale."""

    draft: int
    step: DraftStep


class DraftTarget(DraftPress, prefix="fd:t"):
    agency: str


class DraftNext(DraftPress, prefix="fd:n"):
    """Go on from the targets step."""


class DraftCategory(DraftPress, prefix="fd:c"):
    category: str


class DraftUrgency(DraftPress, prefix="fd:u"):
    urgency: Urgency


class DraftGroup(DraftPress, prefix="fd:g"):
    group_id: int


class DraftSkip(DraftPress, prefix="fd:s"):
    """No location."""


class DraftBack(DraftPress, prefix="fd:b"):
    """One step back."""


class DraftCancel(DraftPress, prefix="fd:x"):
    """Drop the draft."""


class DraftRaise(DraftPress, prefix="fd:ok"):
    """Raise the flag as summarised, if the draft is still what the summary showed
    (`revision`); a Raise from before revisions reads as stale."""

    revision: str


class DraftUrgent(DraftPress, prefix="fd:q"):
    """Take the urgent path (agency, text, send)."""


class DraftOffice(DraftPress, prefix="fd:o"):
    """The place is the group's office."""


DRAFT_PRESSES: tuple[type[DraftPress], ...] = (
    DraftTarget,
    DraftNext,
    DraftCategory,
    DraftUrgency,
    DraftGroup,
    DraftSkip,
    DraftBack,
    DraftCancel,
    DraftRaise,
    DraftUrgent,
    DraftOffice,
)
