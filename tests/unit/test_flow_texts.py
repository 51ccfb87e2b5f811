"""/cancel can name every question the bot asks: each prompt kind has its text."""

from __future__ import annotations

import importlib
from pathlib import Path

from bot.catalogue import CATALOGUE
from bot.services.flows import OF_DRAFT

ROOT = Path(__file__).resolve().parents[2]


def _prompt_kinds() -> set[str]:
    kinds = set()
    for path in [*ROOT.glob("handlers/*.py"), *ROOT.glob("bot/services/*.py")]:
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        kinds |= {
            value
            for name, value in vars(module).items()
            if name.startswith("PROMPT_") and isinstance(value, str)
        }
    return kinds


def test_every_question_the_bot_asks_can_be_named_when_cancelled() -> None:
    kinds = _prompt_kinds()
    assert len(kinds) > 10  # the scan found the prompts
    named = {OF_DRAFT.get(kind, kind) for kind in kinds}
    assert sorted(k for k in named if f"cancel.{k}" not in CATALOGUE) == []
