"""The bot's nouns as pydantic models: no I/O, no Telegram."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    """What a member may do; higher roles include the lower ones' commands."""

    EXPERT = "expert"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """Order of authority: expert < coordinator < admin."""
        return (Role.EXPERT, Role.COORDINATOR, Role.ADMIN).index(self)

    def at_least(self, other: Role) -> bool:
        """True when this role has at least the authority of `other`."""
        return self.rank >= other.rank


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Agency(Frozen):
    """A seconding authority: its code (for commands and storage) and how people read it."""

    code: str
    name: str
    name_en: str = ""
    short_sv: str = ""
    short_en: str = ""
    # A unit within another agency (the city's social services): that agency's code.
    parent: str | None = None

    def named(self, lang: str) -> str:
        """The agency's name in `lang` ("Skatteverket", "Swedish Tax Agency")."""
        return (self.name_en if lang == "en" else "") or self.name

    def short(self, lang: str) -> str:
        """The form people use where space is tight ("SKV", "Säpo", "Police")."""
        return (self.short_en if lang == "en" else "") or self.short_sv or self.name


class Group(Frozen):
    id: int
    name: str
    lat: float
    lon: float
    radius_m: int
    min_per_agency: int
    timezone: str


class Member(Frozen):
    id: int
    telegram_user_id: int
    display_name: str
    username: str | None
    agency_code: str | None
    role: Role
    language: str
    active: bool
    created_at: datetime
    group_ids: tuple[int, ...] = ()
    unreachable_since: datetime | None = None
    menu_synced: str | None = None

    @property
    def menu_state(self) -> str:
        """The command menu this member's chat should show ("expert:sv", or "none")."""
        return f"{self.role.value}:{self.language}" if self.active else "none"

    def coordinates(self, group_id: int) -> bool:
        """True when this member may run the given group (admins run every group)."""
        if self.role is Role.ADMIN:
            return True
        return self.role is Role.COORDINATOR and group_id in self.group_ids


class Invite(Frozen):
    id: int
    role: Role
    agency_code: str | None
    group_id: int | None
    uses_left: int
    expires_at: datetime
    created_by: int | None


class AuditEntry(Frozen):
    at: datetime
    actor_member_id: int | None
    actor_telegram_id: int | None
    action: str
    object_type: str | None
    object_id: int | None
    detail: str | None
