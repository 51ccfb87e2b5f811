"""Typed dependencies for handlers: what the composition root puts in bot_data."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.clock import Clock
from bot.config import Settings
from bot.domain.agencies import Directory
from bot.domain.models import Member
from bot.services.members import directory
from storage.store import Store

if TYPE_CHECKING:
    from bot.delivery import Sender
    from bot.domain.flags import FlagPolicy
    from bot.domain.flows import Flow
    from bot.domain.pacing import Pacer
    from bot.domain.worklog import WorkPolicy
    from bot.leader import Leadership
    from bot.reports.worker import Renderer
    from handlers.flows import Begin, Hint, Resume, Typed
    from handlers.menu import MenuEntry
    from handlers.prompts import LocationAnswer, PromptAnswer


class BotData:
    """Shared resources, set once by `build_application` and `post_init`."""

    settings: Settings
    store: Store
    clock: Clock
    menu: list[MenuEntry]
    menu_lock: asyncio.Lock
    sender: Sender
    leadership: Leadership
    outbox_watch: asyncio.Task[None]
    pacer: Pacer
    # Who answers free text the bot asked for, by prompt kind.
    prompts: dict[str, PromptAnswer]
    # Who takes a shared location the bot asked for (else a location is a check-in).
    location_prompts: dict[str, LocationAnswer]
    # Who begins each flow with a draft, and who shows an unfinished draft's step.
    begins: dict[Flow, Begin]
    resumes: dict[Flow, Resume]
    # Typed text on a draft's button step: the button it names, else what the step wants.
    typed: dict[Flow, Typed]
    hints: dict[Flow, Hint]
    # A draft's step shown again in a new message (its question was taken over, or a quick
    # command came in between).
    reasks: dict[Flow, Resume]
    # An edit of the message that answered a question whose step has passed (a flag's
    # description): change the answer while it can be (True: it was that message).
    revisions: dict[str, Callable[[Update, BotContext, str], Awaitable[bool]]]
    # Every command by name, guarded, for commands typed without their slash.
    commands: dict[str, Callable[[Update, BotContext], Awaitable[Any]]]
    flag_policy: FlagPolicy
    work_policy: WorkPolicy
    # Reports: the worker process that draws them, and who is waiting for one now (one at a
    # time per member).
    renderer: Renderer
    reports_running: set[int]
    # Long polling's options when only the leading instance polls (PostgreSQL, several
    # instances; set by the runner): polling starts and stops with the leadership.
    poll_when_leading: dict[str, Any] | None = None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """Per-update context: the dependencies plus who is asking (set by the access gate)."""

    def __init__(
        self,
        application: BotApplication,
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.member: Member | None = None
        # The member record behind the update as stored, active or not (for upkeep).
        self.found: Member | None = None
        # A member who was deactivated (as opposed to a stranger), for the refusal's wording.
        self.deactivated = False
        self.lang: str = application.bot_data.settings.default_language

    @property
    def store(self) -> Store:
        """The storage layer."""
        return self.bot_data.store

    @property
    def settings(self) -> Settings:
        """The deployment's settings."""
        return self.bot_data.settings

    def now(self) -> datetime:
        """The current time from the injected clock."""
        return self.bot_data.clock()

    async def agencies(self) -> Directory:
        """The agencies by code, to name them in a text (read afresh: a CLI may rename one)."""
        return await directory(self.store)

    @property
    def me(self) -> Member:
        """The member behind this update; only handlers above Level.ANYONE may ask."""
        if self.member is None:
            raise RuntimeError("no member: the access gate lets no stranger reach this handler")
        return self.member


BotApplication = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[BotContext]
]
