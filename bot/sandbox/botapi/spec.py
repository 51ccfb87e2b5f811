"""Decoding and validation of Bot API requests against the machine-readable spec (api.json).

python-telegram-bot sends strings verbatim and JSON-encodes every other value (see
telegram/request/_requestparameter.py: `json_value`), so a form value can only be decoded once
the declared type of its parameter is known. Decoding is therefore type directed: a value for a
parameter that may be a String stays a string, everything else goes through `json.loads`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.sandbox.botapi.models import UploadedFile

API_JSON = Path(__file__).with_name("api.json")

_ARRAY_PREFIX = "Array of "
_INTEGER = re.compile(r"-?\d+")
# Subtypes are told apart by their "type" field, documented as 'must be chat' or 'always "x"'.
_DISCRIMINATOR = re.compile(r'(?:must be|always)\s+"?([A-Za-z_]+)"?\s*$')
_ATTACH = "attach://"
# python-telegram-bot's `Defaults` fills these into every method routed through
# Bot._send_message (sendLocation, editMessageReplyMarkup, ...), declared there or not.
# Telegram ignores unknown parameters, so they are kept out of the violations.
PTB_DEFAULTS_NOISE = frozenset({"parse_mode", "disable_notification", "protect_content"})


def _json_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, UploadedFile):
        return "InputFile"
    return "Object"


class Spec:
    """The methods and types of one Bot API version, with a structural validator."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = data.get("version", "?")
        self.methods: dict[str, Any] = dict(data["methods"])
        self.types: dict[str, Any] = dict(data["types"])
        # Telegram matches method names case-insensitively.
        self._by_lower = {name.lower(): name for name in self.methods}
        self._discriminators: dict[str, str] = {}
        for name, definition in self.types.items():
            for spec_field in definition.get("fields", []):
                if spec_field["name"] == "type":
                    match = _DISCRIMINATOR.search(spec_field["description"])
                    if match:
                        self._discriminators[name] = match.group(1)

    def canonical_method(self, name: str) -> str | None:
        return self._by_lower.get(name.lower())

    def fields(self, method: str) -> dict[str, dict[str, Any]]:
        return {f["name"]: f for f in self.methods[method].get("fields", [])}

    def decode(
        self, method: str, raw: Mapping[str, Any], files: Mapping[str, UploadedFile]
    ) -> tuple[dict[str, Any], list[str]]:
        """Decode raw request values and list every way the request breaks the spec."""
        fields = self.fields(method)
        params: dict[str, Any] = {}
        problems: list[str] = []
        for name, value in raw.items():
            spec_field = fields.get(name)
            if spec_field is None:
                if name not in PTB_DEFAULTS_NOISE:
                    problems.append(f"{method}: unknown parameter {name!r}")
                params[name] = _loose(value)
            else:
                params[name] = _decode(value, spec_field["types"])
        attached = {
            ref[len(_ATTACH) :] for ref in _strings(params.values()) if ref.startswith(_ATTACH)
        }
        for ref in sorted(attached - set(files)):
            problems.append(f"{method}: attach://{ref} refers to no uploaded file part")
        for name, upload in files.items():
            spec_field = fields.get(name)
            if spec_field is not None and "InputFile" in spec_field["types"]:
                params[name] = upload
            elif name not in attached:
                problems.append(f"{method}: unexpected file part {name!r}")
        for name, spec_field in fields.items():
            if spec_field["required"] and params.get(name) is None:
                problems.append(f"{method}: missing required parameter {name!r}")
        for name, value in params.items():
            if name in fields and value is not None:
                problems.extend(self.check(value, fields[name]["types"], f"{method}.{name}"))
        # Checked as the strings the spec asks for; handlers then get the uploads themselves.
        return {name: _attach(value, files) for name, value in params.items()}, problems

    def check(self, value: Any, types: list[str], path: str) -> list[str]:
        """Problems of `value` against a union of type strings; empty if any member fits."""
        attempts: list[list[str]] = []
        for type_name in types:
            errors = self._check_one(value, type_name, path)
            if not errors:
                return []
            attempts.append(errors)
        if len(attempts) == 1:
            return attempts[0]
        objects = [
            errors
            for type_name, errors in zip(types, attempts, strict=True)
            if type_name in self.types and isinstance(value, dict)
        ]
        if objects:
            # The union member the value most nearly fits gives the most useful message.
            return min(objects, key=len)
        return [f"{path}: expected {' or '.join(types)}, got {_json_name(value)}"]

    def _check_one(self, value: Any, type_name: str, path: str) -> list[str]:
        if type_name.startswith(_ARRAY_PREFIX):
            if not isinstance(value, list):
                return [f"{path}: expected {type_name}, got {_json_name(value)}"]
            inner = type_name[len(_ARRAY_PREFIX) :]
            errors: list[str] = []
            for index, item in enumerate(value):
                errors.extend(self.check(item, [inner], f"{path}[{index}]"))
            return errors
        ok = {
            "Integer": lambda: isinstance(value, int) and not isinstance(value, bool),
            "Float": lambda: isinstance(value, int | float) and not isinstance(value, bool),
            "Boolean": lambda: isinstance(value, bool),
            "True": lambda: value is True,
            "String": lambda: isinstance(value, str),
            "InputFile": lambda: isinstance(value, UploadedFile | str),
        }.get(type_name)
        if ok is not None:
            return [] if ok() else [f"{path}: expected {type_name}, got {_json_name(value)}"]
        definition = self.types.get(type_name)
        if definition is None:
            return [f"{path}: api.json has no type {type_name!r}"]
        if "subtypes" in definition:
            return self._check_union(value, type_name, definition["subtypes"], path)
        return self._check_object(value, type_name, definition, path)

    def _check_union(self, value: Any, name: str, subtypes: list[str], path: str) -> list[str]:
        if isinstance(value, dict) and "type" in value:
            tagged = [s for s in subtypes if s in self._discriminators]
            matching = [s for s in tagged if self._discriminators[s] == value["type"]]
            if matching:
                return self.check(value, matching, path)
            if tagged:
                return [f"{path}.type: {value['type']!r} is not a valid {name} type"]
        errors = self.check(value, subtypes, path)
        return [f"{path}: does not match any {name} ({'; '.join(errors)})"] if errors else []

    def _check_object(
        self, value: Any, name: str, definition: Mapping[str, Any], path: str
    ) -> list[str]:
        if not isinstance(value, dict):
            return [f"{path}: expected {name} object, got {_json_name(value)}"]
        fields = {f["name"]: f for f in definition.get("fields", [])}
        errors: list[str] = []
        for key, item in value.items():
            spec_field = fields.get(key)
            if spec_field is None:
                errors.append(f"{path}: unknown field {key!r} in {name}")
            elif item is not None:
                errors.extend(self.check(item, spec_field["types"], f"{path}.{key}"))
        for key, spec_field in fields.items():
            if spec_field["required"] and value.get(key) is None:
                errors.append(f"{path}: missing required field {key!r} in {name}")
        expected = self._discriminators.get(name)
        if expected is not None and value.get("type") not in (None, expected):
            errors.append(f"{path}.type: must be {expected!r} for {name}")
        return errors


def _decode(value: Any, types: list[str]) -> Any:
    if not isinstance(value, str):
        # JSON bodies already carry typed values.
        return value
    if "String" in types or "InputFile" in types:
        if "Integer" in types and _INTEGER.fullmatch(value):
            return int(value)
        return value
    return _loose(value)


def _loose(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _strings(values: Any) -> list[str]:
    found: list[str] = []
    stack = list(values)
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _attach(value: Any, files: Mapping[str, UploadedFile]) -> Any:
    """The value with every "attach://name" that names an uploaded part replaced by it."""
    if isinstance(value, str) and value.startswith(_ATTACH) and value[len(_ATTACH) :] in files:
        return files[value[len(_ATTACH) :]]
    if isinstance(value, list):
        return [_attach(item, files) for item in value]
    if isinstance(value, dict):
        return {key: _attach(item, files) for key, item in value.items()}
    return value


@functools.cache
def load_spec(path: Path = API_JSON) -> Spec:
    with path.open(encoding="utf-8") as handle:
        return Spec(json.load(handle))
