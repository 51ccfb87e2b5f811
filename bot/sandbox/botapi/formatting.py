"""Telegram's text formatting: HTML parsing, UTF-16 lengths and the text limits.

The HTML parser follows tdlib's parse_html (td/telegram/MessageEntity.cpp) closely enough that
the same inputs fail, with its error wording, except that a bare '&' is refused here: the Bot
API documentation requires escaping it and a bot relying on tdlib's leniency is fragile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Whitespace Telegram trims from both ends of a message text or caption.
_TRIMMED = " \t\r\n"

_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z][a-zA-Z0-9]*));")
_NAME = re.compile(r"[a-zA-Z0-9-]*")
_UNQUOTED_VALUE = re.compile(r"[a-zA-Z0-9.\-]*")
_PLAIN_RUN = re.compile(r"[^<&]+")
_SPACE = re.compile(r"\s*")


class EntityParseError(ValueError):
    """Malformed markup; str() is what Telegram puts after "can't parse entities: "."""


class UnsupportedParseMode(ValueError):
    pass


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)

    @property
    def length(self) -> int:
        return utf16_len(self.text)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of every Telegram limit and entity offset."""
    return len(text.encode("utf-16-le")) // 2


def parse_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None = None
) -> ParsedText:
    """Plain text and entities as Telegram would store them, trimmed like Telegram does."""
    # Imported here because markdown.py imports the shared helpers from this module.
    from bot.sandbox.botapi.markdown import parse_markdown, parse_markdown_v2

    if not parse_mode:
        parsed = ParsedText(text, [dict(e) for e in entities or []])
    else:
        parsers = {"html": parse_html, "markdownv2": parse_markdown_v2, "markdown": parse_markdown}
        parser = parsers.get(parse_mode.lower())
        if parser is None:
            raise UnsupportedParseMode(parse_mode)
        parsed = parser(text)
    return _trim(parsed)


def _trim(parsed: ParsedText) -> ParsedText:
    stripped_start = parsed.text.lstrip(_TRIMMED)
    lead = utf16_len(parsed.text) - utf16_len(stripped_start)
    text = stripped_start.rstrip(_TRIMMED)
    end = utf16_len(text)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - lead, 0)
        stop = min(entity["offset"] + entity["length"] - lead, end)
        if stop > start:
            entities.append({**entity, "offset": start, "length": stop - start})
    return ParsedText(text, entities)


class TextBuilder:
    """Accumulates output text while tracking the UTF-16 position for entity offsets."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.pos = 0
        self.entities: list[dict[str, Any]] = []

    def add(self, chunk: str) -> None:
        self._parts.append(chunk)
        self.pos += utf16_len(chunk)

    def entity(self, kind: str, start: int, end: int | None = None, **extra: Any) -> None:
        stop = self.pos if end is None else end
        # Telegram drops entities that cover no text.
        if stop > start:
            self.entities.append({"type": kind, "offset": start, "length": stop - start})
            self.entities[-1].update({k: v for k, v in extra.items() if v is not None})

    def result(self) -> ParsedText:
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self._parts), self.entities)


def byte_offset(source: str, index: int) -> int:
    """tdlib reports positions as UTF-8 byte offsets."""
    return len(source[:index].encode("utf-8"))


@dataclass
class _OpenTag:
    name: str
    start: int
    attrs: dict[str, str]


def parse_html(source: str) -> ParsedText:
    out = TextBuilder()
    stack: list[_OpenTag] = []
    i = 0
    while i < len(source):
        if source[i] == "&":
            decoded, i = _html_entity(source, i, strict=True)
            out.add(decoded)
        elif source[i] != "<":
            run = _PLAIN_RUN.match(source, i)
            assert run is not None
            out.add(run.group())
            i = run.end()
        elif source.startswith("</", i):
            i = _end_tag(source, i, stack, out)
        else:
            i = _start_tag(source, i, stack, out)
    if stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"'
        )
    return out.result()


def _html_entity(source: str, i: int, *, strict: bool) -> tuple[str, int]:
    match = _ENTITY.match(source, i)
    if match:
        decimal, hexadecimal, name = match.groups()
        if name is not None and name in _NAMED_ENTITIES:
            return _NAMED_ENTITIES[name], match.end()
        if name is None:
            code = int(decimal) if decimal is not None else int(hexadecimal, 16)
            if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                return chr(code), match.end()
    if not strict:
        return "&", i + 1
    where = byte_offset(source, i)
    if match:
        raise EntityParseError(f'Unsupported HTML entity "{match.group()}" at byte offset {where}')
    raise EntityParseError(f'Unescaped "&" at byte offset {where}; write it as &amp;')


def _start_tag(source: str, begin: int, stack: list[_OpenTag], out: TextBuilder) -> int:
    where = byte_offset(source, begin)
    name_match = _NAME.match(source, begin + 1)
    assert name_match is not None
    name = name_match.group().lower()
    if name not in _TAGS:
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {where}')
    attrs: dict[str, str] = {}
    i = name_match.end()
    while True:
        i = _skip_space(source, i)
        if i >= len(source):
            raise EntityParseError(f"Unclosed start tag at byte offset {where}")
        if source[i] == ">":
            i += 1
            break
        attr_match = _NAME.match(source, i)
        assert attr_match is not None
        attr = attr_match.group().lower()
        if not attr:
            raise EntityParseError(
                f'Empty attribute name in the tag "{name}" at byte offset {where}'
            )
        i = _skip_space(source, attr_match.end())
        value = ""
        if i < len(source) and source[i] == "=":
            i = _skip_space(source, i + 1)
            if i < len(source) and source[i] in "\"'":
                close = source.find(source[i], i + 1)
                if close < 0:
                    raise EntityParseError(f"Unclosed start tag at byte offset {where}")
                value = _unescape_attribute(source[i + 1 : close])
                i = close + 1
            else:
                value_match = _UNQUOTED_VALUE.match(source, i)
                assert value_match is not None
                value = value_match.group()
                i = value_match.end()
        attrs[attr] = value
    _check_attributes(name, attrs, where)
    stack.append(_OpenTag(name, out.pos, attrs))
    return i


def _check_attributes(name: str, attrs: dict[str, str], where: int) -> None:
    problem = None
    if name == "span" and attrs.get("class") != "tg-spoiler":
        problem = 'must have class "tg-spoiler"'
    elif name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
        problem = 'must have a numeric "emoji-id"'
    elif name == "tg-time" and not attrs.get("unix", "").isdigit():
        problem = 'must have a numeric "unix"'
    if problem is not None:
        raise EntityParseError(f'Tag "{name}" {problem} at byte offset {where}')


def _unescape_attribute(value: str) -> str:
    # Attribute values are decoded leniently, as tdlib does: URLs with a raw '&' are common.
    parts: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&":
            decoded, i = _html_entity(value, i, strict=False)
            parts.append(decoded)
        else:
            parts.append(value[i])
            i += 1
    return "".join(parts)


def _end_tag(source: str, begin: int, stack: list[_OpenTag], out: TextBuilder) -> int:
    where = byte_offset(source, begin)
    name_match = _NAME.match(source, begin + 2)
    assert name_match is not None
    name = name_match.group().lower()
    i = _skip_space(source, name_match.end())
    if i >= len(source) or source[i] != ">":
        raise EntityParseError(f"Unclosed end tag at byte offset {where}")
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {where}")
    if name and name != stack[-1].name:
        raise EntityParseError(
            f'Unmatched end tag at byte offset {where}, expected "</{stack[-1].name}>", '
            f'found "</{name}>"'
        )
    tag = stack.pop()
    _close_entity(tag, stack, out)
    return i + 1


def _close_entity(tag: _OpenTag, stack: list[_OpenTag], out: TextBuilder) -> None:
    attrs = tag.attrs
    if tag.name == "code" and stack and stack[-1].name == "pre":
        # <pre><code class="language-x"> is one pre entity carrying the language.
        css = attrs.get("class", "")
        if css.startswith("language-"):
            stack[-1].attrs["language"] = css[len("language-") :]
        return
    kind = _TAGS[tag.name]
    if tag.name == "a":
        if attrs.get("href"):
            out.entity(kind, tag.start, url=attrs["href"])
    elif tag.name == "pre":
        out.entity(kind, tag.start, language=attrs.get("language") or None)
    elif tag.name == "blockquote":
        expandable = "expandable" in attrs
        out.entity("expandable_blockquote" if expandable else kind, tag.start)
    elif tag.name == "tg-emoji":
        out.entity(kind, tag.start, custom_emoji_id=attrs["emoji-id"])
    elif tag.name == "tg-time":
        out.entity(
            kind,
            tag.start,
            unix_time=int(attrs["unix"]),
            date_time_format=attrs.get("format") or None,
        )
    else:
        out.entity(kind, tag.start)


def _skip_space(source: str, i: int) -> int:
    match = _SPACE.match(source, i)
    assert match is not None
    return match.end()
