"""The command line of the residents' boards: office details, publishing, and the poster."""

from __future__ import annotations

import argparse
import asyncio
import html
from pathlib import Path

from bot.channels import ChannelNotReady, channel_ref, check_channel, describe
from bot.clock import system_clock
from bot.config import Settings
from bot.services import boards
from storage.store import Store


def add_group_actions(group: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`group office` and `group publish`."""
    office = group.add_parser("office", help="set the office details a board and poster show")
    office.add_argument("name")
    office.add_argument("--address", help='e.g. "Rinkebytorget 1, Spånga"')
    office.add_argument("--hours", help=r'e.g. "Mån–fre 9–17\nLör 10–14" (\n: a new line)')
    office.add_argument("--contact", help="the group's shared phone or e-mail, never a person's")
    office.add_argument(
        "--english",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show the board in English below the Swedish (default: Swedish only)",
    )
    publish = group.add_parser("publish", help="keep the group's board in a Telegram channel")
    publish.add_argument("name")
    publish.add_argument(
        "--channel", required=True, help="@name of the channel (or its numeric id)"
    )


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`poster`."""
    poster = sub.add_parser("poster", help="print a poster for the office window (PDF)")
    poster.add_argument("name")
    poster.add_argument("--out", required=True, help="the PDF file to write")
    poster.add_argument("--size", choices=["A4", "A3"], default="A4")
    poster.add_argument("--lang", choices=["sv", "en"], default=None)


async def office(store: Store, args: argparse.Namespace) -> None:
    """Set the office details."""
    group, board = await boards.set_office(
        store,
        args.name,
        address=args.address,
        hours=args.hours,
        contact=args.contact,
        english=args.english,
        now=system_clock(),
    )
    print(f"office of {group.name}:")
    for label, value in (("address", board.address), ("hours", board.hours)):
        print(f"  {label}: {(value or '-').replace(chr(10), ' / ')}")
    print(f"  contact: {(board.contact or '-').replace(chr(10), ' / ')}")
    print(f"  languages: {'Swedish, English below' if board.english else 'Swedish'}")


async def publish(store: Store, settings: Settings, args: argparse.Namespace) -> None:
    """Check the channel with Telegram, then keep the board there."""
    group, _ = await boards.board_of(store, args.name)  # an unknown group fails before Telegram
    if settings.bot_token is None:
        raise ValueError("set BOT_TOKEN: the bot checks with Telegram that it runs the channel")
    from telegram import Bot

    token, url = settings.bot_token.get_secret_value(), settings.telegram_api_url
    try:
        async with Bot(token) if url is None else Bot(token, base_url=url) as bot:
            channel = await check_channel(bot, channel_ref(args.channel))
    except ChannelNotReady as exc:
        raise ValueError(html.unescape(describe("en", exc))) from None
    group, board = await boards.publish(store, group.name, channel, system_clock())
    timing = settings.board_timing()
    print(
        f"the board of {group.name} goes to {channel.shown} at the bot's next update;"
        f" it shows the situation {_minutes(timing.delay.total_seconds())} late and changes"
        f" at most every {_minutes(timing.interval.total_seconds())}."
        " Coordinators preview and hide it with /board."
    )
    if not (board.address or board.hours or board.contact):
        print("(no office details yet: set them with `samverkan group office`)")


async def poster(store: Store, args: argparse.Namespace, settings: Settings) -> None:
    """Write the poster PDF."""
    from bot.services.poster import poster_for

    pdf = await poster_for(
        store,
        args.name,
        size=args.size,
        lang=args.lang or settings.default_language,
        policy=settings.work_policy(),
    )
    await asyncio.to_thread(Path(args.out).write_bytes, pdf)
    print(f"poster written to {args.out} ({args.size}, {len(pdf):,} bytes)")


def _minutes(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
