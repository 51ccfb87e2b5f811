"""MarkdownV2 and legacy Markdown parsing, approximating tdlib's parse_markdown_v2/_v1.

The point is to fail where Telegram fails: an unescaped reserved character outside markup,
an entity that is never closed, a link whose URL never ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.sandbox.botapi.formatting import EntityParseError, ParsedText, TextBuilder, byte_offset

_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_LANGUAGE = re.compile(r"[A-Za-z0-9_+\-#.]*")
_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "code": "Code",
    "pre": "Pre",
}
# Markup that opens with a character (or pair) and closes with the same one.
_SYMMETRIC = {"*": "bold", "~": "strikethrough"}


@dataclass
class _Open:
    kind: str
    start: int
    byte: int
    language: str | None = None


def _escapable(source: str, i: int) -> bool:
    # Any character with code 1..126 may be escaped with a preceding backslash.
    return i + 1 < len(source) and 0 < ord(source[i + 1]) <= 126


def parse_markdown_v2(source: str) -> ParsedText:
    out = TextBuilder()
    stack: list[_Open] = []
    quote_start: int | None = None
    line_start = True
    i = 0
    while i < len(source):
        char = source[i]
        top = stack[-1] if stack else None
        if char == "\\":
            if not _escapable(source, i):
                raise EntityParseError(
                    "Character '\\' is reserved and must be escaped with the preceding '\\'"
                )
            out.add(source[i + 1])
            i += 2
            line_start = False
            continue
        if top is not None and top.kind in ("code", "pre"):
            # Inside code only '`' and '\' are special.
            if top.kind == "pre" and source.startswith("```", i):
                stack.pop()
                out.entity("pre", top.start, language=top.language)
                i += 3
            elif top.kind == "code" and char == "`":
                stack.pop()
                out.entity("code", top.start)
                i += 1
            else:
                out.add(char)
                i += 1
            continue
        if char == "\n":
            out.add(char)
            i += 1
            if quote_start is not None and not source.startswith(">", i):
                out.entity("blockquote", quote_start, end=out.pos - 1)
                quote_start = None
            line_start = True
            continue
        at_line_start, line_start = line_start, False
        if char not in _RESERVED:
            out.add(char)
            i += 1
            continue
        if char == ">" and at_line_start:
            if quote_start is None:
                quote_start = out.pos
            i += 1
            continue
        closed = _close_v2(source, i, top, stack, out)
        if closed is not None:
            i = closed
            continue
        i = _open_v2(source, i, stack, out)
    if stack:
        raise EntityParseError(
            f"Can't find end of {_NAMES[stack[-1].kind]} entity at byte offset {stack[-1].byte}"
        )
    if quote_start is not None:
        out.entity("blockquote", quote_start)
    return out.result()


def _close_v2(
    source: str, i: int, top: _Open | None, stack: list[_Open], out: TextBuilder
) -> int | None:
    """Close the innermost entity if source[i] ends it; the new index, or None."""
    if top is None:
        return None
    width = 0
    if top.kind == "underline" and source.startswith("__", i):
        width = 2
    elif (top.kind == "italic" and source[i] == "_") or top.kind == _SYMMETRIC.get(source[i]):
        width = 1
    elif top.kind == "spoiler" and source.startswith("||", i):
        width = 2
    elif top.kind == "text_link" and source[i] == "]":
        stack.pop()
        return _close_link(source, i + 1, top, out)
    if not width:
        return None
    stack.pop()
    out.entity(top.kind, top.start)
    return i + width


def _close_link(source: str, i: int, top: _Open, out: TextBuilder) -> int:
    if i >= len(source) or source[i] != "(":
        # "[text]" without a URL is accepted and stays plain text.
        return i
    url_begin = i
    i += 1
    url: list[str] = []
    while True:
        if i >= len(source):
            raise EntityParseError(
                f"Can't find end of a URL at byte offset {byte_offset(source, url_begin)}"
            )
        if source[i] == "\\" and _escapable(source, i):
            url.append(source[i + 1])
            i += 2
        elif source[i] == ")":
            break
        else:
            url.append(source[i])
            i += 1
    if url:
        out.entity("text_link", top.start, url="".join(url))
    return i + 1


def _open_v2(source: str, i: int, stack: list[_Open], out: TextBuilder) -> int:
    char = source[i]
    byte = byte_offset(source, i)
    if char == "_":
        kind, width = ("underline", 2) if source.startswith("__", i) else ("italic", 1)
    elif char in _SYMMETRIC:
        kind, width = _SYMMETRIC[char], 1
    elif source.startswith("||", i):
        kind, width = "spoiler", 2
    elif char == "[":
        kind, width = "text_link", 1
    elif source.startswith("```", i):
        match = _LANGUAGE.match(source, i + 3)
        assert match is not None
        language = None
        end = match.end()
        if end < len(source) and source[end] == "\n":
            language = match.group() or None
            end += 1
        else:
            end = i + 3
        stack.append(_Open("pre", out.pos, byte, language))
        return end
    elif char == "`":
        kind, width = "code", 1
    else:
        raise EntityParseError(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )
    stack.append(_Open(kind, out.pos, byte))
    return i + width


def parse_markdown(source: str) -> ParsedText:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting."""
    out = TextBuilder()
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source) and source[i + 1] in "_*`[":
            out.add(source[i + 1])
            i += 2
            continue
        if char not in "_*`[":
            out.add(char)
            i += 1
            continue
        unclosed = EntityParseError(
            f"Can't find end of the entity starting at byte offset {byte_offset(source, i)}"
        )
        start = out.pos
        if char == "[":
            close = source.find("]", i + 1)
            if close < 0:
                raise unclosed
            out.add(source[i + 1 : close])
            i = close + 1
            if source.startswith("(", i):
                end = source.find(")", i)
                if end < 0:
                    raise unclosed
                out.entity("text_link", start, url=source[i + 1 : end])
                i = end + 1
            continue
        marker = "```" if source.startswith("```", i) else char
        close = source.find(marker, i + len(marker))
        if close < 0:
            raise unclosed
        body = source[i + len(marker) : close]
        language = None
        if marker == "```" and "\n" in body:
            first, rest = body.split("\n", 1)
            if first and _LANGUAGE.fullmatch(first):
                language, body = first, rest
        out.add(body)
        kind = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}[marker]
        out.entity(kind, start, language=language)
        i = close + len(marker)
    return out.result()
