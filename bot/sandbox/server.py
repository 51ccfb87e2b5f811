"""The sandbox in one process: the local Bot API server, the real bot polling it, the web chat.

The bot is the production `Application` from `build_application`, with the sandbox's clock and
its own database file. The sandbox starts over on every start (and on "start over"), so it only
ever deletes a database that it made itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from aiohttp import web
from pydantic import SecretStr

from bot.clock import Clock
from bot.config import Settings
from bot.domain.agencies import Directory
from bot.domain.models import Member, Role
from bot.lifecycle import start_application, stop_application
from bot.sandbox import seed
from bot.sandbox.botapi import FakeBotApi, FakeUser
from bot.sandbox.clock import MORNING, SandboxClock
from bot.sandbox.render import Refusals
from bot.sandbox.web import build_web
from bot.services import members as members_service
from bot.services.invites import create_invite
from bot.startup import StartFailed, explain, open_database
from storage.store import Store

if TYPE_CHECKING:
    from handlers.context import BotApplication

Seed = Literal["demo", "empty"]
# The jobs whose work depends on the time: run at once after the clock moves.
TIMED_JOBS = ("reminders", "watch", "boards", "notice-status")
NEWCOMER = 6001  # the one person of an empty sandbox: not a member yet


class NotReady(RuntimeError):
    """The sandbox is starting (or starting over): ask again in a moment."""


@dataclass(frozen=True)
class Options:
    port: int = 8080
    seed: Seed = "demo"
    db: Path = Path("sandbox.db")


@dataclass(frozen=True)
class Persona:
    """Someone the page can be: a Telegram user, and the member they are (if any)."""

    user_id: int
    name: str
    role: str
    agency: str | None
    language: str
    username: str | None = None
    # The agency as the list shows it, in each language of the page (its short form: the
    # list is narrow), never its code.
    agency_short: dict[str, str] | None = None

    @classmethod
    def of(cls, member: Member, agencies: Directory) -> Persona:
        agency = agencies.get(member.agency_code)
        return cls(
            member.telegram_user_id,
            member.display_name,
            member.role.value,
            member.agency_code,
            member.language,
            member.username,
            {lang: agency.short(lang) for lang in ("sv", "en")} if agency else None,
        )


@dataclass
class World:
    """One run of the sandbox, from a start to a "start over"."""

    api: FakeBotApi
    app: BotApplication
    personas: list[Persona]
    refusals: Refusals
    invite: str | None = None
    watcher: asyncio.Task[None] | None = None
    # Callback query id -> the persona who pressed, to show the answer in the right chat.
    queries: dict[str, int] = field(default_factory=dict)


class Sandbox:
    def __init__(self, options: Options, base: Settings, clock: SandboxClock | None = None):
        self.options = options
        self.base = base
        self.clock = clock or SandboxClock()
        self.generation = 0
        self._world: World | None = None
        self._lock = asyncio.Lock()

    @property
    def world(self) -> World:
        if self._world is None:
            raise NotReady("the sandbox is starting")
        return self._world

    @property
    def zone(self) -> str:
        return seed.ZONE if self.options.seed == "demo" else self.base.timezone

    def settings(self, api: FakeBotApi) -> Settings:
        """The deployment's settings, pointed at the local server and the sandbox database."""
        return self.base.model_copy(
            update={
                "bot_token": SecretStr(api.token),
                "telegram_api_url": api.base_url,
                "telegram_file_url": api.base_file_url,
                "database_url": f"sqlite:///{self.options.db}",
                "webhook_url": None,
            }
        )

    async def start(self) -> None:
        """Start afresh: a new local server, the seeded database, the bot polling."""
        await self._wipe()
        api = FakeBotApi()
        await api.start()
        try:
            personas, invite = await self._populate(api)
            world = World(api, await self._start_bot(api), personas, Refusals(api), invite)
            world.watcher = asyncio.create_task(world.refusals.watch())
            if self.options.seed == "demo":
                await self._send_notice(world)
        except BaseException:
            await api.stop()
            raise
        self._world = world
        self.generation += 1

    async def stop(self) -> None:
        world, self._world = self._world, None
        if world is None:
            return
        if world.watcher is not None:
            world.watcher.cancel()
        await stop_application(world.app)
        await world.api.stop()

    async def start_over(self) -> None:
        """Back to the seeded state, and to the real time."""
        async with self._lock:
            await self.stop()
            self.clock.offset = timedelta()
            await self.start()

    async def skip(self, minutes: int | None = None, *, morning: bool = False) -> None:
        """Move the clock (by minutes, or to the next 07:00) and run what fell due."""
        async with self._lock:
            if morning:
                self.clock.skip_to(MORNING, self.zone)
            else:
                self.clock.skip(timedelta(minutes=minutes or 0))
            app = self.world.app
            assert app.job_queue is not None
            for name in TIMED_JOBS:
                for job in app.job_queue.get_jobs_by_name(name):
                    await job.run(app)

    def user(self, user_id: int) -> FakeUser:
        """The persona's Telegram user (only personas of this run)."""
        if user_id not in {p.user_id for p in self.world.personas}:
            raise KeyError(user_id)
        return self.world.api.user(user_id)

    async def _wipe(self) -> None:
        path = self.options.db
        if path.exists():
            db, _ = await open_database(self.settings_for_path())
            try:
                ours = await seed.is_sandbox(Store(db))
            finally:
                await db.close()
            if not ours:
                raise StartFailed(
                    f"{path} is not a sandbox database: the sandbox starts over on every start,"
                    " so it only uses a file of its own (choose another with --db)"
                )
        await asyncio.to_thread(_remove, path)

    def settings_for_path(self) -> Settings:
        return self.base.model_copy(update={"database_url": f"sqlite:///{self.options.db}"})

    async def _populate(self, api: FakeBotApi) -> tuple[list[Persona], str | None]:
        db, _ = await open_database(self.settings_for_path())
        store = Store(db)
        try:
            await seed.mark(store)
            invite = None
            if self.options.seed == "demo":
                await seed.seed_demo(store, self.clock())
                api.channel(seed.CHANNEL.id, seed.CHANNEL.title, seed.CHANNEL.name)
                members = await members_service.all_members(store)
                agencies = await members_service.directory(store)
                personas = [Persona.of(m, agencies) for m in members if m.active]
            else:
                made = await create_invite(
                    store, role=Role.ADMIN, agency_code=None, group_id=None, uses=1,
                    ttl=timedelta(days=30), now=self.clock(),
                )  # fmt: skip
                invite = made.code
                personas = [Persona(NEWCOMER, "Ny användare", "newcomer", None, "sv")]
        finally:
            await db.close()
        for persona in personas:
            first, _, last = persona.name.partition(" ")
            # The bot refreshes a member's profile from every update: the same @username.
            user = api.user(
                persona.user_id, first, last or None, persona.username, persona.language
            )
            if self.options.seed == "demo":
                user.mark_started()  # members who talked to the bot before today
        return personas, invite

    async def _start_bot(self, api: FakeBotApi) -> BotApplication:
        # Imported here: the bot's modules take seconds to import on a busy machine, and the
        # web chat should answer (with "starting") meanwhile.
        from bot.app import build_application

        clock: Clock = self.clock
        app = build_application(self.settings(api), clock=clock)
        try:
            await start_application(app)
        except Exception as exc:
            raise StartFailed(explain(exc, self.settings(api))) from None
        return app

    async def _send_notice(self, world: World) -> None:
        store = world.app.bot_data.store
        coordinator = await members_service.find_member(store, seed.COORDINATOR)
        assert coordinator is not None
        placeholder = await seed.prepare_notice(store, coordinator, self.clock())
        status = await world.app.bot.send_message(coordinator.telegram_user_id, placeholder)
        await seed.send_notice(store, coordinator, status.message_id, self.clock())


def _reason(exc: OSError) -> str:
    # asyncio's bind error has errno but no strerror of its own.
    return os.strerror(exc.errno).lower() if exc.errno else str(exc)


def _remove(database: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def run_sandbox(options: Options, base: Settings, announce: str | None) -> None:
    """Run the sandbox until Ctrl+C; `announce` is printed once it answers."""
    asyncio.run(serve(options, base, announce))


async def serve(options: Options, base: Settings, announce: str | None) -> None:
    """Run the sandbox and its web chat on 127.0.0.1 until a signal stops it."""
    sandbox = Sandbox(options, base)
    runner = web.AppRunner(build_web(sandbox), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", options.port)
        try:
            await site.start()
        except OSError as exc:
            raise StartFailed(
                f"cannot listen on 127.0.0.1:{options.port} ({_reason(exc)}):"
                " stop what uses it or choose another port with --port"
            ) from None
        await sandbox.start()
        if announce is not None:
            print(announce, flush=True)
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stopped.set)
        await stopped.wait()
    finally:
        with contextlib.suppress(Exception):
            await sandbox.stop()
        await runner.cleanup()
