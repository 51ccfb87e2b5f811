"""The catalogue is complete, and member-facing text never shows an enum's raw value."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from bot.catalogue import CATALOGUE

LANGUAGES = {"sv", "en"}
ROOT = Path(__file__).resolve().parents[2]
# The layers that build what members read.
MEMBER_FACING = sorted([*ROOT.glob("handlers/*.py"), *ROOT.glob("bot/services/*.py")])


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_key_has_every_language() -> None:
    assert {key: sorted(set(v)) for key, v in CATALOGUE.items() if set(v) != LANGUAGES} == {}


def test_every_language_of_a_key_has_the_same_placeholders() -> None:
    differing = {
        key: {lang: sorted(_placeholders(text)) for lang, text in entry.items()}
        for key, entry in CATALOGUE.items()
        if len({frozenset(_placeholders(text)) for text in entry.values()}) > 1
    }
    assert differing == {}


# Attributes that hold an enum in our models: TargetState, Urgency, Role, Audience, ...
ENUM_ATTRIBUTES = {"value", "state", "urgency", "role", "audience", "phase", "kind", "step"}
# Where an f-string is not text for a member: a catalogue key, an audit entry, a dedup key.
NOT_TEXT_CALLS = {"t", "record", "recorded"}
NOT_TEXT_KEYWORDS = {"detail", "dedup", "dedup_key", "key"}


def _raw_enums(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in NOT_TEXT_CALLS:
                exempt.update(id(arg) for arg in node.args[:2])
            exempt.update(id(kw.value) for kw in node.keywords if kw.arg in NOT_TEXT_KEYWORDS)
        if isinstance(node, ast.Assign) and any(
            getattr(target, "id", None) in NOT_TEXT_KEYWORDS for target in node.targets
        ):
            exempt.add(id(node.value))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in exempt:
            for part in node.values:
                expr = part.value if isinstance(part, ast.FormattedValue) else None
                if isinstance(expr, ast.Attribute) and expr.attr in ENUM_ATTRIBUTES:
                    found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("path", MEMBER_FACING, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_member_facing_text_is_built_from_a_raw_enum_value(path: Path) -> None:
    assert _raw_enums(path) == []


def test_the_raw_enum_check_can_see_one(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('states = ", ".join(f"{tg.agency} {tg.state.value}" for tg in x)\n'
                      'key = t(lang, f"flag.urgency.{u.value}")\n'
                      'detail = f"audience={draft.audience.value}"\n')  # fmt: skip
    assert _raw_enums(sample) == ["sample.py:1 f'{tg.agency} {tg.state.value}'"]
