"""The e2e guard for "names, not codes": nothing the bot says to a member shows an agency's
raw code where its name belongs.

Codes that are also the short form Swedes use where space is tight (SKV, FK, AF, EBM, KVV,
KBV) are allowed deliberately; the others (POL, TULL, SAPO, MIGR, AM, STHLM) never appear to
a member: they read Polisen, Tull, Säpo, MV, ÅM, Staden, or the full name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from tests.fakebot import Call

RAW_CODES = ("STHLM", "TULL", "SAPO", "MIGR", "POL", "AM")
_RAW = re.compile(r"(?<![\w/@#])(" + "|".join(RAW_CODES) + r")(?![\w/])")
_TEXT_METHODS = {
    "sendMessage": ("text",),
    "editMessageText": ("text",),
    "sendPhoto": ("caption",),
    "sendDocument": ("caption",),
    "sendMediaGroup": (),
    "editMessageCaption": ("caption",),
    "answerCallbackQuery": ("text",),
    "editMessageReplyMarkup": (),
}


def _buttons(markup: Any) -> Iterator[str]:
    if isinstance(markup, str):
        markup = json.loads(markup)
    if not isinstance(markup, dict):
        return
    for key in ("inline_keyboard", "keyboard"):
        for row in markup.get(key) or []:
            for button in row:
                yield button if isinstance(button, str) else str(button.get("text", ""))


def _member_facing(call: Call) -> bool:
    chat = call.params.get("chat_id")
    # A private chat's id is the member's user id (positive); answerCallbackQuery has none
    # and answers the member who pressed.
    return call.method == "answerCallbackQuery" or (isinstance(chat, int) and chat > 0)


def raw_codes(calls: Iterable[Call]) -> list[str]:
    """Each place a member was shown a raw agency code: method, the code, the text around it."""
    found: list[str] = []
    for call in calls:
        if call.method not in _TEXT_METHODS or not _member_facing(call):
            continue
        texts = [("text", str(call.params.get(f) or "")) for f in _TEXT_METHODS[call.method]]
        texts += [("button", b) for b in _buttons(call.params.get("reply_markup"))]
        for where, text in texts:
            for match in _RAW.finditer(text):
                around = text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ")
                found.append(f"{call.method} {where}: {match.group(1)!r} in {around!r}")
    return found
