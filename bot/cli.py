"""The `samverkan` command line: set up districts and people, and run the bot."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from pydantic import ValidationError

from bot import (
    cli_agencies,
    cli_board,
    cli_db,
    cli_ladder,
    cli_privacy,
    cli_staffing,
    cli_webhook,
)
from bot.clock import system_clock
from bot.config import ConfigError, Settings
from bot.domain.errors import DomainError, UnknownAgency
from bot.domain.models import Role
from bot.domain.periods import Period
from bot.domain.worklog import Phase
from bot.i18n import t
from bot.logs import setup_logging
from bot.services import members as members_service
from bot.services import reports, roster, roster_template, staffing
from bot.services import worklog as worklog_service
from bot.services.invites import create_invite, deep_link
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

    group = _actions(sub, "group", "action groups")
    add = group.add_parser("add", help="set up a new group")
    add.add_argument("name")
    add.add_argument("--lat", type=float, required=True)
    add.add_argument("--lon", type=float, required=True)
    add.add_argument("--radius-m", type=int, required=True)
    add.add_argument("--min-per-agency", type=int, default=2)
    add.add_argument("--timezone", default=None)
    group.add_parser("list", help="list groups")
    phase = group.add_parser("phase", help="set a group's phase and target, or show all")
    phase.add_argument("name", nargs="?", help="the group (leave out to list every group's)")
    phase.add_argument("--phase", choices=[p.value for p in Phase])
    phase.add_argument(
        "--target", type=int, help="target share of relationship-building work, percent"
    )
    cli_board.add_group_actions(group)
    cli_staffing.add_group_actions(group)
    cli_ladder.add_commands(sub)

    invite = sub.add_parser("invite", help="create an invite link")
    invite.add_argument("--role", choices=[r.value for r in Role], required=True)
    invite.add_argument("--agency", help=cli_agencies.CODE_HELP)
    invite.add_argument("--group")
    invite.add_argument("--uses", type=int, default=1)
    invite.add_argument("--expires", default="72h", help="e.g. 30m, 72h, 7d")

    members = _actions(sub, "members", "members")
    listing = members.add_parser("list", help="list members")
    listing.add_argument("--group")

    shifts = _actions(sub, "shifts", "planned shifts")
    importing = shifts.add_parser("import", help="import a roster CSV (all lines or none)")
    importing.add_argument("file")
    template = shifts.add_parser(
        "template", help="write a roster to fill in: the group's members, times left blank"
    )
    template.add_argument("--group", required=True)
    template.add_argument("--out", required=True, help="the CSV file to write")

    report = sub.add_parser("report", help="write the evaluation report (PDF, optionally Excel)")
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--group", help="one group, by name")
    which.add_argument("--all", action="store_true", help="every group together")
    report.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD")
    report.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD")
    report.add_argument("--out", required=True, help="the PDF to write")
    report.add_argument("--xlsx", help="also write the tables to this Excel file")
    report.add_argument("--lang", choices=["sv", "en"], default=None)

    member = _actions(sub, "member", "one member")
    for action in ("deactivate", "activate"):
        one = member.add_parser(action, help=f"{action} a member")
        one.add_argument("id", type=int)
    cli_privacy.add_member_actions(member)
    agency = member.add_parser("agency", help="move a member to another agency (all groups)")
    agency.add_argument("id", type=int)
    agency.add_argument("code", help=cli_agencies.CODE_HELP)
    cli_agencies.add_commands(sub)
    cli_board.add_commands(sub)
    cli_privacy.add_commands(sub)
    cli_db.add_commands(sub)
    cli_webhook.add_commands(sub)
    return parser


def _actions(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    return sub.add_parser(name, help=help_text).add_subparsers(dest="action", required=True)


def parse_duration(text: str) -> timedelta:
    """`30m`, `72h` or `7d` as a timedelta."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*([mhd])\s*", text)
    if match is None:
        raise ValueError(f"cannot read the duration {text!r}: use e.g. 30m, 72h or 7d")
    amount, unit = int(match.group(1)), match.group(2)
    return timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit]: amount})


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
        await _group(store, settings, args)
    elif args.command == "invite":
        await _invite(store, settings, args)
    elif args.command == "shifts" and args.action == "template":
        await _template(store, args.group, args.out, settings.default_language)
    elif args.command == "shifts":
        await _import(store, args.file)
    elif args.command == "poster":
        await cli_board.poster(store, args, settings)
    elif args.command == "ladder":
        await cli_ladder.run(store, args)
    elif args.command == "report":
        await _report(store, settings, args)
    elif args.command == "privacy":
        await cli_privacy.run(store, settings, args)
    elif args.command == "audit":
        await cli_privacy.audit(store, args, settings.default_language)
    elif args.command == "members":
        await _members(store, args.group)
    elif args.command == "member" and args.action in cli_privacy.MEMBER_ACTIONS:
        await cli_privacy.member(store, args)
    elif args.command == "member" and args.action == "agency":
        moved = await members_service.set_agency(store, args.id, args.code, system_clock())
        named = (await members_service.directory(store)).name(moved.agency_code, "sv")
        print(f"member {moved.id} ({moved.display_name}) is now of {moved.agency_code} ({named})")
    elif args.command == "member":
        change = (
            members_service.deactivate_member
            if args.action == "deactivate"
            else members_service.activate_member
        )
        member = await change(store, args.id, system_clock())
        state = "active" if member.active else "deactivated"
        print(f"member {member.id} ({member.display_name}) is now {state}")


async def _group(store: Store, settings: Settings, args: argparse.Namespace) -> None:
    if args.action == "add":
        group = await members_service.add_group(
            store,
            name=args.name,
            lat=args.lat,
            lon=args.lon,
            radius_m=args.radius_m,
            min_per_agency=args.min_per_agency,
            timezone=args.timezone or settings.timezone,
            now=system_clock(),
        )
        print(f"group {group.id} {group.name} added")
        return
    if args.action == "phase":
        await _phase(store, args)
        return
    if args.action == "office":
        await cli_board.office(store, args)
        return
    if args.action == "target":
        await cli_staffing.target(store, args)
        return
    if args.action == "publish":
        await cli_board.publish(store, settings, args)
        return
    for g in await members_service.list_groups(store):
        print(
            f"{g.id}\t{g.name}\t{g.lat:.5f},{g.lon:.5f}\tradius {g.radius_m} m"
            f"\tmin {g.min_per_agency}/agency\t{g.timezone}"
        )


async def _phase(store: Store, args: argparse.Namespace) -> None:
    if args.name is None:
        for g, current in await worklog_service.phases_of(store):
            shown = f"{current.phase.value}\t{current.target_pct}%" if current else "-\t-"
            print(f"{g.id}\t{g.name}\t{shown}")
        return
    if args.phase is None:
        raise ValueError("say which phase: --phase fight or --phase prevent")
    group, phase = await worklog_service.set_phase(
        store, args.name, Phase(args.phase), args.target, system_clock()
    )
    print(f"group {group.name} is now in phase {phase.phase.value}, target {phase.target_pct}%")


async def _report(store: Store, settings: Settings, args: argparse.Namespace) -> None:
    from bot.reports.documents import pdf, workbook

    groups = await members_service.list_groups(store)
    if args.group:
        group = await members_service.group_by_name(store, args.group)
        chosen, zone = [group], group.timezone
    else:
        chosen, zone = groups, settings.timezone
    if not chosen:
        raise ValueError("there are no groups to report on")
    try:
        period = Period(date.fromisoformat(args.first), date.fromisoformat(args.last), zone)
    except ValueError as exc:
        raise ValueError(f"the period: {exc} (use --from and --to as YYYY-MM-DD)") from None
    request = reports.Request(tuple(g.id for g in chosen), period, viewer=None)
    facts = await reports.facts(store, request, settings.flag_policy(), system_clock())
    policy = settings.work_policy()
    figures = reports.figures(facts, reports.hidden_for(None, policy))
    lang = args.lang or settings.default_language
    document = await asyncio.to_thread(pdf, figures, lang, policy.types)
    await asyncio.to_thread(Path(args.out).write_bytes, document)
    print(f"wrote {args.out} ({len(document):,} bytes, 6 pages)")
    await reports.record_export(store, request, system_clock())
    if args.xlsx:
        rows = await reports.attendance(store, facts, frozenset())
        book = await asyncio.to_thread(workbook, figures, lang, policy.types, rows)
        await asyncio.to_thread(Path(args.xlsx).write_bytes, book)
        print(f"wrote {args.xlsx} ({len(book):,} bytes)")


async def _invite(store: Store, settings: Settings, args: argparse.Namespace) -> None:
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


async def _import(store: Store, path: str) -> None:
    try:
        raw = await asyncio.to_thread(Path(path).read_bytes)
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc}") from exc
    try:
        report = await roster.import_roster_file(store, raw, system_clock())
    except roster.RosterNotText as exc:
        raise ValueError(t("en", exc.key)) from exc
    except roster.RosterInvalid as exc:
        for problem in exc.problems:
            said = t("en", problem.key, **problem.values())
            print(f"line {problem.line}: {said}", file=sys.stderr)
        raise ValueError("nothing was imported") from exc
    print(
        f"imported {report.added} shifts ({report.unchanged} already there);"
        f" {report.members_told} members told"
    )


async def _template(store: Store, group_name: str, out: str, lang: str) -> None:
    group = await members_service.group_by_name(store, group_name)
    _, data = await roster_template.roster_template(store, None, group.id, lang)
    await asyncio.to_thread(Path(out).write_bytes, data)
    print(f"wrote {out}: fill in Start and Slut, then `samverkan shifts import {out}`")


async def _members(store: Store, group: str | None) -> None:
    for m in await members_service.all_members(store, group):
        state = "active" if m.active else "deactivated"
        handle = f"@{m.username}" if m.username else "-"
        print(
            f"{m.id}\t{m.display_name}\t{handle}\t{m.agency_code or '-'}\t{m.role.value}"
            f"\tgroups {','.join(map(str, m.group_ids)) or '-'}\t{state}"
        )
