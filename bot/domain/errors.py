"""Domain errors: raised by services, turned into user text by the handlers."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a member can cause: `key` names the catalogue message and
    `values` fill it. Subclasses set a default key; a raise may name a more precise one."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **values: object) -> None:
        super().__init__(key or self.key)
        if key is not None:
            self.key = key
        self.values = values


class InviteInvalid(DomainError):
    """The code is unknown, used up or expired (deliberately not saying which)."""

    key = "start.invite_invalid"


class MemberDeactivated(DomainError):
    """A deactivated member tried to come back through an invite."""

    key = "start.deactivated"


class NotAllowed(DomainError):
    """The member may not do this to this object."""

    key = "auth.not_allowed"


class UnknownGroup(DomainError):
    """No such group (or not one of the member's)."""

    key = "error.unknown_group"


class UnknownAgency(DomainError):
    """No such agency code."""

    key = "error.unknown_agency"


class UnknownMember(DomainError):
    """No such member (or not visible to the asker)."""

    key = "error.unknown_member"


class GroupExists(DomainError):
    """A group with that name exists already."""

    key = "error.group_exists"
