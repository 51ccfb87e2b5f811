"""Buttons of joining, settings, presence, shifts and running groups."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import (
    Annotated,
)

from bot.domain.callbacks.codec import (
    COVER_EPOCH,
    Between,
    CallbackData,
    Fold,
    Hour,
    Hours,
    Quarter,
)
from bot.domain.models import Role

# Joining and settings


class Language(CallbackData, prefix="lang"):
    code: str


class SetLead(CallbackData, prefix="set:lead"):
    minutes: int


class SetEvening(CallbackData, prefix="set:evening:x"):
    """Turn the evening-before reminder on or off."""


class SetQuiet(CallbackData, prefix="set:quiet"):
    span: str  # a key of the quiet-hour choices, or "off"


# Presence and shifts


class CheckinGroup(CallbackData, prefix="ci:g"):
    group_id: int


class HandoverSkip(CallbackData, prefix="hnd:s"):
    """Check out without a handover note."""


class HandoverAck(CallbackData, prefix="hnd:a"):
    handover_id: int


class HandoverEveryone(CallbackData, prefix="hnd:e"):
    """Address the coming handover note to every agency's next shift, not only my own."""

    presence_id: int


class CheckoutUndo(CallbackData, prefix="co:u"):
    """Take back a check-out made a moment ago: the same check-in is open again."""

    presence_id: int


class HandoverPick(CallbackData, prefix="hnd:p"):
    """Choose the agencies whose next shift gets the coming handover note."""

    presence_id: int


class HandoverAgency(CallbackData, prefix="hnd:t"):
    """Choose or unchoose one agency for the coming handover note."""

    presence_id: int
    agency: str


class SwapOffer(CallbackData, prefix="swp:o"):
    shift_id: int


class CalendarCancel(CallbackData, prefix="cal:x"):
    """Send the cancellation of this (cancelled) shift as a calendar file."""

    shift_id: int


class SwapTake(CallbackData, prefix="swp:t"):
    offer_id: int


class CoverageGroup(CallbackData, prefix="cov:g"):
    group_id: int


class CoverFind(CallbackData, prefix="cov:f"):
    """Offer a planned gap to the agency's colleagues: its start in minutes since
    COVER_EPOCH and its length in minutes (so the largest values still fit in 64 bytes)."""

    group_id: int
    agency: str
    start: Annotated[int, Between(0, 9_999_999)]
    minutes: Annotated[int, Between(1, 7 * 24 * 60)]

    def span(self) -> tuple[datetime, datetime]:
        """The gap as UTC instants."""
        start = COVER_EPOCH + timedelta(minutes=self.start)
        return start, start + timedelta(minutes=self.minutes)

    @classmethod
    def of(cls, group_id: int, agency: str, start: datetime, end: datetime) -> CoverFind:
        """The button for a gap (at most a week long, as /coverage looks a week ahead)."""
        first = int((start - COVER_EPOCH).total_seconds() // 60)
        length = int((end - start).total_seconds() // 60)
        return cls(group_id, agency, first, max(1, min(length, 7 * 24 * 60)))


class ShiftAbsent(CallbackData, prefix="cov:a"):
    """A coordinator marks a planned member absent: the rest of the shift is cancelled."""

    shift_id: int


class CoverTake(CallbackData, prefix="cov:t"):
    """A colleague takes the cover offered."""

    offer_id: int


# Running groups: invites, members, planning


class InviteGroup(CallbackData, prefix="inv:g"):
    group_id: int


class InviteAgency(CallbackData, prefix="inv:a"):
    group_id: int
    agency: str | None


class InviteRole(CallbackData, prefix="inv:r"):
    group_id: int
    agency: str | None
    role: Role


class InviteSize(CallbackData, prefix="inv:s"):
    """How many places and how long: an index into the sizes /invite offers."""

    group_id: int
    agency: str | None
    role: Role
    size: Annotated[int, Between(0, 9)]


class MembersPage(CallbackData, prefix="mem:l"):
    group_id: int
    page: int


class MemberDeactivate(CallbackData, prefix="mem:d"):
    member_id: int


class MemberDeactivateYes(CallbackData, prefix="mem:y"):
    member_id: int


class MemberDeactivateNo(CallbackData, prefix="mem:n"):
    member_id: int


class PlanPress(CallbackData):
    """Every /plan button names the group, which the coordinator must still run."""

    group_id: int


class PlanGroup(PlanPress, prefix="pln:g"):
    """Plan this group: choose the member."""


class PlanMember(PlanPress, prefix="pln:m"):
    member_id: int


class PlanDays(PlanPress, prefix="pln:d"):
    member_id: int


class PlanDay(PlanPress, prefix="pln:s"):
    member_id: int
    day: date


class PlanStart(PlanPress, prefix="pln:l"):
    member_id: int
    day: date
    hour: Hour
    fold: Fold
    quarter: Quarter = 0


class PlanAdd(PlanPress, prefix="pln:a"):
    member_id: int
    day: date
    hour: Hour
    hours: Hours
    fold: Fold
    quarter: Quarter = 0


class PlanCopyWeek(PlanPress, prefix="pln:w"):
    """Plan next week like this one (the group's shifts, a week later by the clock)."""


class PlanCancel(PlanPress, prefix="pln:c"):
    shift_id: int


class PlanTemplate(PlanPress, prefix="pln:t"):
    """Send the group's roster template (CSV) to fill in."""
