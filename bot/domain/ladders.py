"""Escalation ladders: who a flag's target goes to, rung by rung, when no one acknowledges."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Rung(StrEnum):
    """One step of a ladder, in the default order."""

    ON_DUTY = "on_duty"  # the agency's people checked in to the group
    AGENCY = "agency"  # the agency's members of the group
    COORDINATORS = "coordinators"  # the group's coordinators
    NEIGHBOURS = "neighbours"  # the agency's members in the neighbouring groups
    ADMINS = "admins"  # the deployment's admins


DEFAULT_RUNGS = tuple(Rung)


class Ladder(BaseModel):
    """A group's ladder: its rungs in order and its neighbouring groups."""

    model_config = ConfigDict(frozen=True)

    group_id: int
    rungs: tuple[Rung, ...] = DEFAULT_RUNGS
    neighbours: tuple[int, ...] = ()

    def above(self, rung: Rung | None) -> tuple[Rung, ...]:
        """The rungs after this one (all of them for None; those after on duty for a rung
        this ladder does not have, so a changed ladder still climbs)."""
        if rung is None:
            return self.rungs
        if rung not in self.rungs:
            return self.rungs[1:]
        return self.rungs[self.rungs.index(rung) + 1 :]


class BadLadder(ValueError):
    """A ladder that could leave a flag with no one (say why)."""


def parse_rungs(text: str) -> tuple[Rung, ...]:
    """Rungs from "on_duty,agency,coordinators"; the first must be on duty, the last admins,
    none twice, so every ladder starts with those present and ends with someone."""
    try:
        rungs = tuple(Rung(part.strip()) for part in text.split(",") if part.strip())
    except ValueError:
        names = ", ".join(r.value for r in Rung)
        raise BadLadder(f"rungs are {names}") from None
    if len(set(rungs)) != len(rungs):
        raise BadLadder("a rung is named twice")
    if not rungs or rungs[0] is not Rung.ON_DUTY or rungs[-1] is not Rung.ADMINS:
        raise BadLadder("a ladder starts with on_duty and ends with admins")
    return rungs


def next_climb(rung_at: datetime, period: timedelta) -> datetime:
    """When a target that reached its rung at `rung_at` climbs to the next one."""
    return rung_at + max(period, timedelta(minutes=1))
