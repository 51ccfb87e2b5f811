"""Invites: create them, and redeem them to become (or extend) a member."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.errors import (
    DomainError,
    InviteInvalid,
    MemberDeactivated,
    NotAllowed,
    UnknownAgency,
    UnknownGroup,
)
from bot.domain.models import Group, Member, Role
from storage.store import Store, Tx

MAX_INVITE_USES = 1000
MAX_INVITE_TTL = timedelta(days=30)


@dataclass(frozen=True)
class NewInvite:
    """A freshly made invite: the only moment the code itself exists."""

    code: str
    invite_id: int
    role: Role
    agency_code: str | None
    group: Group | None
    uses: int
    expires_at: datetime


@dataclass(frozen=True)
class Redeemed:
    """The member an invite made (or extended), and what changed."""

    member: Member
    group: Group | None
    new_member: bool
    # The invite named another agency than the member's, which it did not change.
    agency_kept: bool = False


def hash_code(code: str) -> str:
    """The stored form of an invite code."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def deep_link(bot_username: str, code: str) -> str:
    """The Telegram link that opens the bot and sends `/start <code>`."""
    return f"https://t.me/{bot_username}?start={code}"


async def create_invite(
    store: Store,
    *,
    role: Role,
    agency_code: str | None,
    group_id: int | None,
    uses: int,
    ttl: timedelta,
    now: datetime,
    creator: Member | None = None,
) -> NewInvite:
    """Make an invite; `creator` None means the command line (full authority)."""
    if not 1 <= uses <= MAX_INVITE_USES:
        raise ValueError(f"uses must be between 1 and {MAX_INVITE_USES}")
    if not timedelta(minutes=1) <= ttl <= MAX_INVITE_TTL:
        raise ValueError("expiry must be between 1 minute and 30 days")
    if creator is not None:
        _check_may_invite(creator, role, group_id)
    code = secrets.token_urlsafe(18)
    async with store.transaction() as tx:
        agency = await _agency_code(tx, agency_code)
        group = await tx.groups.get(group_id) if group_id is not None else None
        if group_id is not None and group is None:
            raise UnknownGroup()
        invite_id = await tx.invites.add(
            code_hash=hash_code(code),
            role=role,
            agency_code=agency,
            group_id=group_id,
            uses=uses,
            expires_at=now + ttl,
            created_by=creator.id if creator else None,
            now=now,
        )
        await tx.audit.record(
            "invite.create",
            now=now,
            actor_member_id=creator.id if creator else None,
            object_type="invite",
            object_id=invite_id,
            detail=f"role={role.value} agency={agency} group={group_id} uses={uses}",
        )
    return NewInvite(code, invite_id, role, agency, group, uses, now + ttl)


def _check_may_invite(creator: Member, role: Role, group_id: int | None) -> None:
    if creator.role is Role.ADMIN:
        return
    # A coordinator brings experts into a group they run, never someone above themselves.
    if (
        creator.role is not Role.COORDINATOR
        or role is not Role.EXPERT
        or group_id is None
        or not creator.coordinates(group_id)
    ):
        raise NotAllowed()


async def _agency_code(tx: Tx, code: str | None) -> str | None:
    if code is None:
        return None
    agency = await tx.groups.agency(code)
    if agency is None:
        raise UnknownAgency()
    return agency.code


async def redeem_invite(
    store: Store,
    *,
    code: str,
    telegram_user_id: int,
    display_name: str,
    username: str | None,
    language: str,
    now: datetime,
) -> Redeemed:
    """Use an invite: make the person a member or extend their membership."""
    async with store.transaction() as tx:
        outcome = await _redeem(tx, code, telegram_user_id, display_name, username, language, now)
    # Raised only after the commit, so a refusal still leaves its audit entry behind.
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


async def _redeem(
    tx: Tx,
    code: str,
    telegram_user_id: int,
    display_name: str,
    username: str | None,
    language: str,
    now: datetime,
) -> Redeemed | DomainError:
    existing = await tx.members.by_telegram_id(telegram_user_id)
    if existing is not None and not existing.active:
        await tx.audit.record(
            "invite.refused_deactivated",
            now=now,
            actor_member_id=existing.id,
            actor_telegram_id=telegram_user_id,
        )
        return MemberDeactivated()
    if existing is not None and _plausible(code):
        seen = await tx.invites.by_code_hash(hash_code(code))
        if seen is not None and await tx.invites.used_by(seen.id, existing.id):
            return AlreadyRegistered()  # their own link again: no place is taken
    invite = await tx.invites.take(hash_code(code), now) if _plausible(code) else None
    if invite is None:
        await tx.audit.record("invite.refused", now=now, actor_telegram_id=telegram_user_id)
        return InviteInvalid()
    agency_kept = existing is not None and invite.agency_code not in (None, existing.agency_code)
    if existing is None:
        member_id = await tx.members.add(
            telegram_user_id=telegram_user_id,
            display_name=display_name,
            username=username,
            agency_code=invite.agency_code,
            role=invite.role,
            language=language,
            now=now,
        )
    else:
        member_id = existing.id
        # An invite may raise a role, never change an agency: the agency decides which flags
        # a member sees in every group, so changing it is an admin's act (`set_agency`).
        role = invite.role if invite.role.at_least(existing.role) else existing.role
        await tx.members.set_role(member_id, role)
        await tx.members.update_profile(member_id, display_name=display_name, username=username)
    await tx.invites.record_use(invite.id, member_id, now)
    group = None
    if invite.group_id is not None:
        await tx.members.join_group(member_id, invite.group_id, now)
        group = await tx.groups.get(invite.group_id)
    await tx.audit.record(
        "invite.redeem",
        now=now,
        actor_member_id=member_id,
        actor_telegram_id=telegram_user_id,
        object_type="invite",
        object_id=invite.id,
        detail=(
            f"agency kept {existing.agency_code or 'none'}, invite for {invite.agency_code}"
            if existing is not None and agency_kept
            else None
        ),
    )
    member = await tx.members.get(member_id)
    assert member is not None
    return Redeemed(member, group, new_member=existing is None, agency_kept=agency_kept)


class AlreadyRegistered(DomainError):
    """The member opened an invite link they used before."""

    key = "start.already"


def _plausible(code: str) -> bool:
    # Telegram's start parameter: up to 64 of A-Z a-z 0-9 _ -. Anything else cannot be ours.
    return 0 < len(code) <= 64 and all(c.isascii() and (c.isalnum() or c in "_-") for c in code)
