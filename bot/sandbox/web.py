"""The web chat: one static page and a small JSON API over the sandbox, on 127.0.0.1.

A chat is read by long polling: `GET /api/chat/ID?version=V` answers at once when the chat's
version differs from V, or when it changes, or after POLL_S with the same version. Every POST
must carry the header `X-Sandbox: 1`, which a page from elsewhere cannot send without the
browser asking first (and nobody answers that question), so only this page drives the chat.
"""

from __future__ import annotations

import asyncio
import json
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.sandbox import seed
from bot.sandbox.render import message_json, reply_keyboard
from bot.services import members as members_service

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler

    from bot.sandbox.botapi.state import ChatLog
    from bot.sandbox.server import Sandbox, World

POLL_S = 20.0
SHOWN = 150  # the newest messages of a chat the page shows
UPLOAD_LIMIT = 20 * 1024 * 1024  # Telegram lets a bot download files up to 20 MB
STATIC = {"index.html": "text/html", "app.js": "text/javascript", "app.css": "text/css"}
# About two kilometres north of the office: outside any sensible check-in radius.
OUTSIDE_OFFSET = 0.02

SANDBOX: web.AppKey[Sandbox] = web.AppKey("sandbox")


def build_web(sandbox: Sandbox) -> web.Application:
    """The page and its API."""
    app = web.Application(client_max_size=UPLOAD_LIMIT + 64 * 1024, middlewares=[starting])
    app[SANDBOX] = sandbox
    app.router.add_get("/", page)
    app.router.add_get("/static/{name}", static)
    app.router.add_get("/favicon.ico", no_icon)
    app.router.add_get("/api/world", world_view)
    app.router.add_get("/api/chat/{chat}", chat_view)
    app.router.add_get("/api/file/{chat}/{message}", file_view)
    for path, handler in (
        ("/api/send", send),
        ("/api/press", press),
        ("/api/location", location),
        ("/api/upload", upload),
        ("/api/clock", clock),
        ("/api/reset", reset),
    ):
        app.router.add_post(path, handler)
    return app


@web.middleware
async def starting(request: web.Request, handler: Handler) -> web.StreamResponse:
    """While the sandbox starts (or starts over) its API answers 503; the page asks again."""
    from bot.sandbox.server import NotReady

    try:
        return await handler(request)
    except NotReady:
        return web.json_response({"starting": True}, status=503)


def _sandbox(request: web.Request) -> Sandbox:
    return request.app[SANDBOX]


def _asset(name: str) -> bytes:
    return resources.files("bot.sandbox").joinpath("static", name).read_bytes()


async def page(request: web.Request) -> web.Response:
    """The web chat."""
    return web.Response(body=_asset("index.html"), content_type="text/html", charset="utf-8")


async def static(request: web.Request) -> web.Response:
    """The page's script and style sheet (and nothing else: no fonts, no libraries)."""
    name = request.match_info["name"]
    if name not in STATIC:
        raise web.HTTPNotFound()
    return web.Response(body=_asset(name), content_type=STATIC[name], charset="utf-8")


async def no_icon(request: web.Request) -> web.Response:
    """No icon (a browser asks for one; a 404 would show as an error in its console)."""
    return web.Response(status=204)


async def world_view(request: web.Request) -> web.Response:
    """Who the page can be, where the office is, and the sandbox's time."""
    sandbox = _sandbox(request)
    world = sandbox.world
    groups = await members_service.list_groups(world.app.bot_data.store)
    office = None
    if groups:
        g = groups[0]
        office = {"name": g.name, "lat": g.lat, "lon": g.lon, "radius_m": g.radius_m}
    channel = None
    if sandbox.options.seed == "demo":
        channel = {"id": seed.CHANNEL.id, "title": seed.CHANNEL.title}
    return web.json_response(
        {
            "generation": sandbox.generation,
            "personas": [vars(p) for p in world.personas],
            "office": office,
            "channel": channel,
            "invite": world.invite,
            "bot": world.api.bot_username,
            "clock": _clock(sandbox),
        }
    )


def _clock(sandbox: Sandbox) -> dict[str, Any]:
    local = sandbox.clock().astimezone(ZoneInfo(sandbox.zone))
    return {
        "time": f"{local:%H:%M}",
        "date": f"{local:%Y-%m-%d}",
        "ahead_minutes": int(sandbox.clock.offset.total_seconds() // 60),
    }


def _chat(world: World, chat_id: int) -> ChatLog:
    chat = world.api.state.chats.get(chat_id)
    known = {p.user_id for p in world.personas} | {seed.CHANNEL.id}
    if chat is None or chat_id not in known:
        raise web.HTTPNotFound(text="no such chat in the sandbox")
    return chat


def _version(sandbox: Sandbox) -> str:
    api = sandbox.world.api
    offset = int(sandbox.clock.offset.total_seconds())
    return f"{sandbox.generation}.{len(api.calls)}.{api.state.next_update_id}.{offset}"


async def chat_view(request: web.Request) -> web.Response:
    """One chat as the page shows it; waits for a change when the page is up to date."""
    sandbox = _sandbox(request)
    chat_id = _int(request.match_info["chat"])
    seen = request.query.get("version")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + POLL_S
    while _version(sandbox) == seen and loop.time() < deadline:
        await sandbox.world.api.state.changed.wait(min(0.5, deadline - loop.time()))
    world = sandbox.world
    chat = _chat(world, chat_id)
    file_url = f"/api/file/{chat_id}"
    messages = [
        message_json(raw, chat.sent.get(message_id), file_url)
        for message_id, raw in list(chat.messages.items())[-SHOWN:]
    ]
    return web.json_response(
        {
            "version": _version(sandbox),
            "generation": sandbox.generation,
            "clock": _clock(sandbox),
            "messages": messages,
            "errors": world.refusals.of(chat_id),
            "keyboard": reply_keyboard(chat),
            "commands": _commands(world, chat_id),
            "answers": [
                {"id": qid, "text": answer["text"], "alert": answer["show_alert"]}
                for qid, answer in world.api.callback_answers.items()
                if world.queries.get(qid) == chat_id and answer["text"]
            ],
        }
    )


def _commands(world: World, chat_id: int) -> list[dict[str, str]]:
    """The command menu Telegram would show this person: the narrowest scope that is set."""
    persona = next((p for p in world.personas if p.user_id == chat_id), None)
    if persona is None:
        return []
    for scope in (chat_id, None):
        for lang in (persona.language, ""):
            found = world.api.commands_for(scope, lang)
            if found:
                return [{"command": c, "description": d} for c, d in found]
    return []


async def file_view(request: web.Request) -> web.Response:
    """A document or photo of a chat, to download (or to show, for a photo)."""
    world = _sandbox(request).world
    chat = _chat(world, _int(request.match_info["chat"]))
    raw = chat.messages.get(_int(request.match_info["message"]))
    if raw is None:
        raise web.HTTPNotFound()
    if "photo" in raw:
        file_id, inline = raw["photo"][-1]["file_id"], True
    elif "document" in raw:
        file_id, inline = raw["document"]["file_id"], False
    else:
        raise web.HTTPNotFound()
    stored = world.api.state.files[file_id]
    disposition = "inline" if inline else "attachment"
    return web.Response(
        body=stored.data,
        content_type=stored.mime_type,
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(stored.file_name)}"
        },
    )


async def _json(request: web.Request) -> dict[str, Any]:
    if request.headers.get("X-Sandbox") != "1":
        raise web.HTTPForbidden(text="only the sandbox page may do this")
    try:
        body = await request.json()
    except (ValueError, json.JSONDecodeError):
        raise web.HTTPBadRequest(text="the body is not JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="the body is not a JSON object")
    return body


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise web.HTTPBadRequest(text=f"{value!r} is not a number") from None


def _ok() -> web.Response:
    return web.json_response({"ok": True})


async def send(request: web.Request) -> web.Response:
    """The persona sends a text message."""
    body = await _json(request)
    user = _user(request, body)
    text = str(body.get("text", "")).strip()
    if not text or len(text) > 4096:
        raise web.HTTPBadRequest(text="a message is 1 to 4096 characters")
    await user.send(text)
    return _ok()


def _user(request: web.Request, body: dict[str, Any]) -> Any:
    try:
        return _sandbox(request).user(_int(body.get("persona")))
    except KeyError:
        raise web.HTTPNotFound(text="no such persona") from None


async def press(request: web.Request) -> web.Response:
    """The persona presses an inline button (by its row and column)."""
    body = await _json(request)
    user = _user(request, body)
    world = _sandbox(request).world
    chat = world.api.state.chats[user.id]
    sent = chat.sent.get(_int(body.get("message")))
    if sent is None:
        raise web.HTTPNotFound(text="that message is gone")
    rows = sent.raw.get("reply_markup", {}).get("inline_keyboard", [])
    row, col = _int(body.get("row")), _int(body.get("col"))
    if not (0 <= row < len(rows) and 0 <= col < len(rows[row])):
        raise web.HTTPBadRequest(text="no such button")
    data = rows[row][col].get("callback_data")
    if data is None:
        raise web.HTTPBadRequest(text="that button opens a link")
    query = await user.press_data(sent, data)
    world.queries[query] = user.id
    return _ok()


async def location(request: web.Request) -> web.Response:
    """The persona shares a location: a point, or "office" / "outside" the group's area."""
    body = await _json(request)
    user = _user(request, body)
    where = body.get("where")
    if where in ("office", "outside"):
        groups = await members_service.list_groups(_sandbox(request).world.app.bot_data.store)
        if not groups:
            raise web.HTTPBadRequest(text="there is no group yet")
        lat, lon = groups[0].lat, groups[0].lon
        if where == "outside":
            lat += OUTSIDE_OFFSET
    else:
        try:
            lat, lon = float(body["lat"]), float(body["lon"])
        except (KeyError, TypeError, ValueError):
            raise web.HTTPBadRequest(text="give lat and lon as numbers") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise web.HTTPBadRequest(text="latitude within ±90, longitude within ±180")
    await user.share_location(lat, lon, horizontal_accuracy=15.0)
    return _ok()


async def upload(request: web.Request) -> web.Response:
    """The persona sends a file (a roster CSV, say) as a document."""
    if request.headers.get("X-Sandbox") != "1":
        raise web.HTTPForbidden(text="only the sandbox page may do this")
    form = await request.post()
    file = form.get("file")
    if not isinstance(file, web.FileField):
        raise web.HTTPBadRequest(text="choose a file")
    user = _user(request, {"persona": form.get("persona")})
    data = file.file.read()
    if not data:
        raise web.HTTPBadRequest(text="the file is empty")
    await user.upload_document(file.filename or "file", data, file.content_type or None)
    return _ok()


async def clock(request: web.Request) -> web.Response:
    """Move the sandbox's time forward and run what fell due."""
    body = await _json(request)
    sandbox = _sandbox(request)
    if body.get("morning"):
        await sandbox.skip(morning=True)
    else:
        minutes = _int(body.get("minutes"))
        if not 1 <= minutes <= 1440:
            raise web.HTTPBadRequest(text="skip 1 to 1440 minutes")
        await sandbox.skip(minutes)
    return web.json_response({"clock": _clock(sandbox)})


async def reset(request: web.Request) -> web.Response:
    """Start over from the seeded state."""
    await _json(request)
    await _sandbox(request).start_over()
    return _ok()
