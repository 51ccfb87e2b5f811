"""The command line of people: `samverkan invite`, `members list` and `member …`."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import timedelta

from bot import cli_agencies, cli_privacy
from bot.clock import system_clock
from bot.config import Settings
from bot.domain.models import Role
from bot.services import members as members_service
from bot.services.invites import create_invite, deep_link
from storage.store import Store


def add_invite(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`invite --role ROLE [--agency CODE] [--group NAME] [--uses N] [--expires 72h]`."""
    invite = sub.add_parser("invite", help="create an invite link")
    invite.add_argument("--role", choices=[r.value for r in Role], required=True)
    invite.add_argument("--agency", help=cli_agencies.CODE_HELP)
    invite.add_argument("--group")
    invite.add_argument("--uses", type=int, default=1)
    invite.add_argument("--expires", default="72h", help="e.g. 30m, 72h, 7d")


def add_members(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`members list [--group NAME]`."""
    members = sub.add_parser("members", help="members").add_subparsers(
        dest="action", required=True
    )
    listing = members.add_parser("list", help="list members")
    listing.add_argument("--group")


def add_member(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`member activate|deactivate|agency ID …` and the privacy actions on one member."""
    member = sub.add_parser("member", help="one member").add_subparsers(
        dest="action", required=True
    )
    for action in ("deactivate", "activate"):
        one = member.add_parser(action, help=f"{action} a member")
        one.add_argument("id", type=int)
    cli_privacy.add_member_actions(member)
    agency = member.add_parser("agency", help="move a member to another agency (all groups)")
    agency.add_argument("id", type=int)
    agency.add_argument("code", help=cli_agencies.CODE_HELP)


def parse_duration(text: str) -> timedelta:
    """`30m`, `72h` or `7d` as a timedelta."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*([mhd])\s*", text)
    if match is None:
        raise ValueError(f"cannot read the duration {text!r}: use e.g. 30m, 72h or 7d")
    amount, unit = int(match.group(1)), match.group(2)
    return timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit]: amount})


async def invite(store: Store, settings: Settings, args: argparse.Namespace) -> None:
    """Create an invite and print its link (when the bot's username is known) and code."""
    group_id = None
    if args.group:
        group_id = (await members_service.group_by_name(store, args.group)).id
    new = await create_invite(
        store,
        role=Role(args.role),
        agency_code=args.agency,
        group_id=group_id,
        uses=args.uses,
        ttl=parse_duration(args.expires),
        now=system_clock(),
    )
    username = await _bot_username(store, settings)
    if username:
        print(deep_link(username, new.code))
    else:
        print(
            "(no link yet: the bot's username is learnt when it first runs, or with BOT_TOKEN"
            " set; until then send the code as /start CODE)",
            file=sys.stderr,
        )
    print(new.code)


async def _bot_username(store: Store, settings: Settings) -> str | None:
    async with store.read() as tx:
        known = await tx.meta.get("bot_username")
    if known or settings.bot_token is None:
        return known
    from telegram import Bot
    from telegram.error import TelegramError

    bot = Bot(
        settings.bot_token.get_secret_value(),
        base_url=settings.telegram_api_url or "https://api.telegram.org/bot",
    )
    try:
        async with bot:
            username = bot.username
    except TelegramError:
        return None
    async with store.transaction() as tx:
        await tx.meta.put("bot_username", username)
    return username


async def members(store: Store, group: str | None) -> None:
    """One line per member, of one group or of all."""
    for m in await members_service.all_members(store, group):
        state = "active" if m.active else "deactivated"
        handle = f"@{m.username}" if m.username else "-"
        print(
            f"{m.id}\t{m.display_name}\t{handle}\t{m.agency_code or '-'}\t{m.role.value}"
            f"\tgroups {','.join(map(str, m.group_ids)) or '-'}\t{state}"
        )


async def member(store: Store, args: argparse.Namespace) -> None:
    """Move, deactivate or activate one member (the privacy actions are cli_privacy's)."""
    if args.action in cli_privacy.MEMBER_ACTIONS:
        await cli_privacy.member(store, args)
    elif args.action == "agency":
        moved = await members_service.set_agency(store, args.id, args.code, system_clock())
        named = (await members_service.directory(store)).name(moved.agency_code, "sv")
        print(f"member {moved.id} ({moved.display_name}) is now of {moved.agency_code} ({named})")
    else:
        change = (
            members_service.deactivate_member
            if args.action == "deactivate"
            else members_service.activate_member
        )
        one = await change(store, args.id, system_clock())
        state = "active" if one.active else "deactivated"
        print(f"member {one.id} ({one.display_name}) is now {state}")
