"""A fake Telegram Bot API server: real HTTP on 127.0.0.1, run in the test's event loop."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.sandbox.botapi.channels import ChannelMethods, FakeChannel
from bot.sandbox.botapi.faults import Faults, Held
from bot.sandbox.botapi.media import UPLOAD_LIMIT
from bot.sandbox.botapi.methods import Methods
from bot.sandbox.botapi.models import (
    BOT_ID,
    BOT_TOKEN,
    BOT_USERNAME,
    DEFAULT_WAIT_S,
    ApiError,
    Call,
    SentMessage,
)
from bot.sandbox.botapi.ratelimit import Limits, RateLimiter
from bot.sandbox.botapi.settings import BotSettings, scope_key
from bot.sandbox.botapi.spec import Spec, load_spec
from bot.sandbox.botapi.state import ChannelRecord, ChatLog, GroupRecord, State, UserRecord
from bot.sandbox.botapi.users import FakeGroup, FakeUser
from bot.sandbox.botapi.wire import read_request

_API_PATH = re.compile(r"/bot([^/]+)/([^/]*)")
_FILE_PATH = re.compile(r"/file/bot([^/]+)/(.+)")
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)

Condition = Callable[[], bool | Awaitable[bool]]


class FakeBotApi:
    """Serves the Bot API subset Samverkan uses and records everything the bot does.

    Use `async with FakeBotApi() as server:` or `await server.start()` / `await server.stop()`.
    """

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        spec: Spec | None = None,
    ) -> None:
        self.limits = limits if limits is not None else Limits()
        self.clock = clock
        self.spec = spec if spec is not None else load_spec()
        self.token = BOT_TOKEN
        self.bot_username = BOT_USERNAME
        self.bot_id = BOT_ID
        self.state = State()
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.rejections: list[Call] = []
        self.count_429 = 0
        self._faults = Faults()
        self._users: dict[int, FakeUser] = {}
        self._groups: dict[int, FakeGroup] = {}
        messaging = Methods(self.state, RateLimiter(clock), lambda: self.limits, clock)
        settings = BotSettings(self.state, messaging.resolve_chat)
        channels = ChannelMethods(self.state, messaging.resolve_chat)
        self._handlers = {**messaging.table(), **settings.table(), **channels.table()}
        self._channels: dict[int, FakeChannel] = {}
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = False
        self._poll_generation = 0

    async def start(self) -> None:
        if self._runner is not None:
            return
        self._closing = False
        app = web.Application(client_max_size=UPLOAD_LIMIT + 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # handler_cancellation: a getUpdates whose client hung up must stop waiting, or it
        # would later collide with that client's next poll.
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self._port = runner.addresses[0][1]

    async def stop(self) -> None:
        self._closing = True
        self.state.changed.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started; await server.start() first")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def callback_answers(self) -> dict[str, dict[str, Any]]:
        return self.state.callback_answers

    @property
    def documents(self) -> list[SentMessage]:
        return list(self.state.documents)

    @property
    def photos(self) -> list[SentMessage]:
        return list(self.state.photos)

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> FakeUser:
        """The user with this id, created on first call; later calls return the same user."""
        if user_id not in self._users:
            record = UserRecord(
                user_id, first_name or f"User{user_id}", last_name, username, language_code
            )
            self.state.chats[user_id] = ChatLog(record)
            self._users[user_id] = FakeUser(self, record)
        return self._users[user_id]

    def channel(
        self,
        channel_id: int,
        title: str = "Channel",
        username: str | None = None,
        *,
        owner: FakeUser | None = None,
        bot_status: str = "administrator",
        can_post_messages: bool = True,
        can_edit_messages: bool = True,
    ) -> FakeChannel:
        """The channel with this id (-100…), created on first call with the bot's standing in
        it; later calls return the same channel (change rights with `set_bot_rights`)."""
        if channel_id not in self._channels:
            if channel_id >= 0:
                raise ValueError("channel ids are negative, e.g. -1001234567890")
            owner_record = (
                self.state.chats[owner.id].user
                if owner is not None
                else UserRecord(-channel_id % 1_000_000_000 + 1, "Owner")
            )
            record = ChannelRecord(
                channel_id,
                title,
                username,
                owner_record,
                bot_status,
                can_post_messages,
                can_edit_messages,
            )
            chat = ChatLog(None, channel=record)
            self.state.chats[channel_id] = chat
            if username is not None:
                self.state.channel_names[username.lower()] = channel_id
            self._channels[channel_id] = FakeChannel(self, chat)
        return self._channels[channel_id]

    def group(self, chat_id: int, title: str = "Team", type: str = "supergroup") -> FakeGroup:
        """The group or supergroup with this negative id, created on first call."""
        if chat_id >= 0:
            raise ValueError("group ids are negative on Telegram")
        if type not in ("group", "supergroup"):
            raise ValueError(f"{type!r} is not a group type (channels: server.channel)")
        if chat_id not in self._groups:
            record = GroupRecord(chat_id, title, type)
            self.state.chats[chat_id] = ChatLog(None, group=record)
            self._groups[chat_id] = FakeGroup(self, record)
        return self._groups[chat_id]

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def fail_next(
        self,
        method: str,
        status: int,
        count: int = 1,
        retry_after: int = 1,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next `count` calls of `method` (to `chat_id`, if given) with an error
        instead of serving them."""
        canonical = self.spec.canonical_method(method)
        if canonical is None:
            raise ValueError(f"{method!r} is not a Bot API method")
        self._faults.add_errors(canonical, status, count, retry_after, description, chat_id)

    def hold(self, method: str, chat_id: int | None = None) -> Held:
        """Keep the next call of `method` (to `chat_id`, if given) in flight until released.

        `await held.arrived.wait()` tells that the request reached the server; the test then
        does what it likes while it is in flight, and `held.release()` serves it.
        """
        canonical = self.spec.canonical_method(method)
        if canonical is None:
            raise ValueError(f"{method!r} is not a Bot API method")
        return self._faults.add_hold(canonical, chat_id)

    def commands_for(self, chat_id: int | None, language_code: str = "") -> list[tuple[str, str]]:
        """Commands set for BotCommandScopeChat(chat_id), or the default scope for None.

        Exactly that scope: no fallback to broader scopes is applied.
        """
        scope = None if chat_id is None else {"type": "chat", "chat_id": chat_id}
        return list(self.state.commands.get((scope_key(scope), language_code), []))

    async def wait_until(
        self,
        condition: Condition,
        timeout: float = DEFAULT_WAIT_S,  # noqa: ASYNC109 - part of the test-facing signature
        message: str = "",
    ) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        failure: Exception | None = None
        while True:
            try:
                result = condition()
                if inspect.isawaitable(result):
                    result = await result
            except (AssertionError, LookupError) as exc:
                # `user.last` or `messages[-1]` before the bot has answered means "not yet".
                failure, result = exc, False
            if result:
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                detail = f": {message}" if message else ""
                if failure is not None:
                    detail += f" (last attempt raised {failure!r})"
                raise AssertionError(
                    f"condition not met within {timeout}s{detail}\n{self.describe()}"
                )
            # Conditions may look at state outside the fake (the bot's database), so poll
            # as well as wake on the fake's own changes.
            await self.state.changed.wait(min(remaining, 0.02))

    def describe(self, last: int = 15) -> str:
        """A readable summary of recent traffic, for assertion messages."""
        lines = [f"Last {min(last, len(self.calls))} of {len(self.calls)} calls:"]
        for call in self.calls[-last:]:
            params = {k: v for k, v in call.params.items() if k != "reply_markup"}
            summary = json.dumps(params, ensure_ascii=False, default=repr)
            if len(summary) > 160:
                summary = summary[:157] + "..."
            outcome = "ok" if call.ok else f"{call.status} {call.description}"
            lines.append(f"  {call.method} {summary} -> {outcome}")
        if self.violations:
            lines.append("Spec violations:")
            lines.extend(f"  {violation}" for violation in self.violations[-last:])
        return "\n".join(lines)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path.startswith("/file/bot"):
            return self._serve_file(request.path)
        match = _API_PATH.fullmatch(request.path)
        raw, files, problems = await read_request(request)
        if match and match.group(1) != self.token:
            # Telegram answers every method, getMe first, with 401 for a token it does not know.
            return self._finish(match.group(2), raw, ApiError(401, "Unauthorized", kind="other"))
        name = match.group(2) if match else request.path
        method = self.spec.canonical_method(name) if match else None
        if method is None:
            self.violations.append(f"unknown method: {name}")
            return self._finish(name, raw, ApiError(404, "Not Found", kind="violation"))
        params, spec_problems = self.spec.decode(method, raw, files)
        problems = [f"{method}: {problem}" for problem in problems] + spec_problems
        if problems:
            self.violations.extend(problems)
            error = ApiError(400, "Bad Request: " + "; ".join(problems), kind="violation")
            return self._finish(method, params, error)
        if method not in self._handlers and method != "getUpdates":
            self.violations.append(f"not served by fake: {method}")
            error = ApiError(
                400, f"Bad Request: {method} is not served by the fake Bot API", kind="violation"
            )
            return self._finish(method, params, error)
        await self._faults.wait_if_held(method, params)
        try:
            self._faults.raise_if_failing(method, params)
            if method == "getUpdates":
                result = await self._get_updates(params)
            else:
                result = self._handlers[method](params)
        except ApiError as error:
            return self._finish(method, params, error)
        return self._finish(method, params, result=result)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.state.webhook is not None:
            raise ApiError(409, _WEBHOOK_CONFLICT, kind="other")
        if params.get("allowed_updates") is not None:
            self.state.allowed_updates = list(params["allowed_updates"])
        if params.get("offset") is not None:
            self.state.confirm(params["offset"])
        limit = min(max(params.get("limit", 100), 1), 100)
        timeout = max(params.get("timeout", 0), 0)
        self._poll_generation += 1
        generation = self._poll_generation
        # Telegram terminates an older long poll when a newer one arrives.
        self.state.changed.notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            batch = self.state.pending(limit)
            remaining = deadline - loop.time()
            if batch or self._closing or remaining <= 0:
                return batch
            await self.state.changed.wait(remaining)
            if generation != self._poll_generation:
                raise ApiError(409, _POLL_CONFLICT, kind="other")

    def _serve_file(self, path: str) -> web.Response:
        match = _FILE_PATH.fullmatch(path)
        stored = self.state.files_by_path.get(match.group(2)) if match else None
        params = {"file_path": match.group(2) if match else path}
        if stored is None:
            # Telegram's file server answers a bare 404 for unknown paths.
            self.calls.append(Call("downloadFile", params, 404, {}))
            return web.Response(status=404, text="Not Found")
        self.calls.append(Call("downloadFile", params, 200, {"file_size": len(stored.data)}))
        return web.Response(body=stored.data, content_type=stored.mime_type)

    def _finish(
        self,
        method: str,
        params: dict[str, Any],
        error: ApiError | None = None,
        result: Any = None,
    ) -> web.Response:
        body = {"ok": True, "result": result} if error is None else error.envelope()
        text = json.dumps(body, ensure_ascii=False)
        status = 200 if error is None else error.status
        # Recorded as a copy so later edits to the fake's state don't rewrite history.
        call = Call(method, params, status, json.loads(text))
        self.calls.append(call)
        if error is not None and error.kind == "rejection":
            self.rejections.append(call)
        if error is not None and error.kind == "flood":
            self.count_429 += 1
        self.state.changed.notify()
        return web.Response(text=text, status=status, content_type="application/json")
