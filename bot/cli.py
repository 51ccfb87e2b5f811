"""The `samverkan` command line: set up districts and people, and run the bot."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot import (
    cli_agencies,
    cli_board,
    cli_db,
    cli_groups,
    cli_ladder,
    cli_members,
    cli_privacy,
    cli_report,
    cli_shifts,
    cli_webhook,
)
from bot.config import ConfigError, Settings
from bot.domain.errors import DomainError, UnknownAgency
from bot.logs import setup_logging
from bot.services import staffing
from bot.startup import StartFailed, open_database
from storage.errors import StorageError
from storage.store import Store

EXIT_CONFIG = 2
EXIT_FAILED = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="samverkan", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="create or upgrade the database")
    sub.add_parser(
        "run",
        help="start the bot (long polling, or webhook if WEBHOOK_URL is set);"
        " without BOT_TOKEN, the local sandbox",
    )
    sandbox = sub.add_parser(
        "sandbox", help="the bot against a local Telegram with a web chat (nothing leaves)"
    )
    sandbox.add_argument("--port", type=int, default=None, help="default SANDBOX_PORT, 8080")
    sandbox.add_argument("--seed", choices=["demo", "empty"], default="demo")
    sandbox.add_argument("--db", default="sandbox.db", help="its own database file")
    # The order here is the order `samverkan --help` lists the commands in.
    cli_groups.add_commands(sub)
    cli_ladder.add_commands(sub)
    cli_members.add_invite(sub)
    cli_members.add_members(sub)
    cli_shifts.add_commands(sub)
    cli_report.add_commands(sub)
    cli_members.add_member(sub)
    cli_agencies.add_commands(sub)
    cli_board.add_commands(sub)
    cli_privacy.add_commands(sub)
    cli_db.add_commands(sub)
    cli_webhook.add_commands(sub)
    return parser


def load_settings() -> Settings:
    """Settings from the environment and `.env`, or a ConfigError naming the bad one."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper() or 'settings'}: "
            f"{err['msg'].removeprefix('Value error, ')}"
            for err in exc.errors()
        )
        raise ConfigError(f"configuration error: {problems} (see .env.example)") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `samverkan` command."""
    # Opt in to PTB's coming timedelta retry_after; our code reads both forms.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        setup_logging(settings)
        if args.command == "sandbox" or (args.command == "run" and settings.bot_token is None):
            _sandbox(settings, args)
            return 0
        if args.command == "run":
            from bot.runner import run

            run(settings)
            return 0
        if args.command == "webhook":
            return asyncio.run(cli_webhook.set_webhook(settings))
        if args.command == "db":
            return asyncio.run(cli_db.copy(args, settings.database_busy_timeout_ms))
        return asyncio.run(_admin(settings, args))
    except ConfigError as exc:
        print(f"samverkan: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except StartFailed as exc:
        print(f"samverkan: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (DomainError, ValueError, StorageError) as exc:
        print(f"samverkan: {_describe(exc)}", file=sys.stderr)
        return EXIT_FAILED


def _sandbox(settings: Settings, args: argparse.Namespace) -> None:
    if args.command == "run":
        # Said before the sandbox's imports, which take seconds on a busy machine.
        print(
            f"No BOT_TOKEN: starting the local sandbox at http://127.0.0.1:{settings.sandbox_port}"
            " (nothing leaves this machine); put a token in .env to run on Telegram",
            flush=True,
        )
    # Imported here: the sandbox brings the web chat, which `samverkan run` on Telegram never
    # needs.
    from bot.sandbox.server import Options, run_sandbox

    if args.command == "run":
        run_sandbox(Options(port=settings.sandbox_port), settings, announce=None)
        return
    port = args.port if args.port is not None else settings.sandbox_port
    if not 1 <= port <= 65535:
        raise ValueError("--port must be between 1 and 65535")
    options = Options(port=port, seed=args.seed, db=Path(args.db))
    run_sandbox(
        options,
        settings,
        announce=f"sandbox at http://127.0.0.1:{port} (nothing leaves this machine;"
        f" {args.seed} data in {args.db}, started afresh). Stop with Ctrl+C.",
    )


def _describe(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return (exc.__doc__ or type(exc).__name__).strip()
    return str(exc)


async def _admin(settings: Settings, args: argparse.Namespace) -> int:
    db, applied = await open_database(settings)
    try:
        store = Store(db)
        await _command(store, settings, args, applied)
    except (UnknownAgency, staffing.UnknownAgency):
        named = (getattr(args, key, None) for key in ("within", "agency", "code"))
        given = next((code for code in named if code), None)
        raise ValueError(await cli_agencies.unknown(store, given)) from None
    finally:
        await db.close()
    return 0


async def _command(
    store: Store, settings: Settings, args: argparse.Namespace, applied: list[str]
) -> None:
    if args.command == "migrate":
        print(f"migrated: {', '.join(applied) if applied else 'already up to date'}")
    elif args.command == "agencies":
        await cli_agencies.run(store, args)
    elif args.command == "group":
        await cli_groups.run(store, settings, args)
    elif args.command == "invite":
        await cli_members.invite(store, settings, args)
    elif args.command == "shifts":
        await cli_shifts.run(store, args, settings.default_language)
    elif args.command == "poster":
        await cli_board.poster(store, args, settings)
    elif args.command == "ladder":
        await cli_ladder.run(store, args)
    elif args.command == "report":
        await cli_report.run(store, settings, args)
    elif args.command == "privacy":
        await cli_privacy.run(store, settings, args)
    elif args.command == "audit":
        await cli_privacy.audit(store, args, settings.default_language)
    elif args.command == "members":
        await cli_members.members(store, args.group)
    elif args.command == "member":
        await cli_members.member(store, args)
