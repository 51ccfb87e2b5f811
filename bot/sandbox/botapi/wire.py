"""How the fake Bot API reads a request: query, JSON or form fields, and uploaded files."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.sandbox.botapi.models import UploadedFile

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def read_request(
    request: web.Request,
) -> tuple[dict[str, Any], dict[str, UploadedFile], list[str]]:
    """The raw parameters, the uploaded files, and what is wrong with the request itself."""
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    problems: list[str] = []
    if not request.can_read_body:
        return raw, files, problems
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            raw.update(body)
        else:
            problems.append("request body is not a JSON object")
    elif request.content_type in _FORM_TYPES:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                data = value.file.read()
                files[key] = UploadedFile(value.filename, value.content_type, data)
            else:
                raw[key] = value if isinstance(value, str) else bytes(value).decode()
    else:
        await request.read()
        problems.append(f"unsupported Content-Type {request.content_type!r}")
    return raw, files, problems
