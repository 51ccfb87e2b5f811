"""Typed text read as a button's name: case, accents, emoji, spacing and either language."""

from __future__ import annotations

from bot.domain.callbacks import DraftCategory, DraftNext, DraftTarget, DraftUrgency
from bot.domain.flags import DraftStep, Urgency
from bot.domain.typed import fold, pick


def test_fold_sets_case_accents_emoji_and_spacing_aside() -> None:
    assert fold("  Brådskande! ") == "bradskande"
    assert fold("🔴 Urgent") == fold("urgent") == "urgent"
    assert fold("Hot eller våld") == "hot eller vald"


def test_a_button_answers_to_its_label_its_name_before_the_dot_and_its_codes() -> None:
    at = (7, DraftStep.TARGETS)
    tull = DraftTarget(*at, "TULL")
    skv = DraftTarget(*at, "SKV")
    choices = [("Tullverket · 1 on duty", tull), ("Skatteverket · nobody", skv),
               ("Next ▶", DraftNext(*at)), ("Nästa ▶", DraftNext(*at))]  # fmt: skip
    assert pick("tullverket", choices) == tull
    assert pick("TULL", choices) == tull
    assert pick("nasta", choices) == DraftNext(*at)
    assert pick("targets", choices) is None  # where a button was shown is not its name
    assert pick("verket", choices) is None


def test_a_text_that_names_two_buttons_names_none() -> None:
    at = (7, DraftStep.CATEGORY)
    choices = [
        ("Other", DraftCategory(*at, "other")),
        ("other", DraftUrgency(*at, Urgency.URGENT)),
    ]
    assert pick("other", choices) is None
    assert pick("undeclared work", [("Svartarbete", DraftCategory(*at, "undeclared_work"))])
