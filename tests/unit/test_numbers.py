"""Numbers, distances, plurals and "how long ago" as each language writes them (Babel)."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.catalogue import CATALOGUE
from bot.i18n import Distance, ago, distance, hours, number, plural, t
from tests.factories import START

NBSP = "\N{NO-BREAK SPACE}"


def test_thousands_are_grouped_as_each_language_does() -> None:
    assert number("sv", 1000) == f"1{NBSP}000"  # Babel's Swedish: a no-break space
    assert number("en", 1000) == "1,000"
    assert number("sv", 999) == "999"


def test_decimals_take_the_languages_decimal_sign() -> None:
    assert number("sv", 10.3, 1) == "10,3" and number("en", 10.3, 1) == "10.3"


def test_a_distance_is_metres_below_a_kilometre_then_kilometres() -> None:
    assert distance("sv", 850.4) == "850 m" and distance("en", 999.4) == "999 m"
    assert distance("sv", 10_297) == "10,3 km" and distance("en", 10_297) == "10.3 km"
    assert distance("sv", 1_334) == "1,3 km"


def test_hours_to_the_tenth_and_whole_hours_without_decimals() -> None:
    assert hours("sv", 9.5) == "9,5" and hours("en", 9.5) == "9.5"
    assert hours("sv", 11.0) == "11" and hours("sv", 8.04) == "8"


def test_a_distance_queued_for_later_reads_in_the_readers_language() -> None:
    where = Distance(10_297)
    assert "10,3 km" in t("sv", "checkin.already_outside", distance=where)
    assert "10.3 km" in t("en", "checkin.already_outside", distance=where)


def test_plurals_follow_the_languages_rule() -> None:
    assert plural("sv", "handover.sent", 1) == "Överlämningen skickades till 1 kollega."
    assert plural("sv", "handover.sent", 2) == "Överlämningen skickades till 2 kollegor."
    assert plural("en", "handover.sent", 1) == "The handover went to 1 colleague."
    assert plural("en", "handover.sent", 1000) == "The handover went to 1,000 colleagues."


def test_how_long_ago_says_just_now_under_a_minute() -> None:
    assert ago("sv", START, START + timedelta(seconds=59)) == "nyss"
    assert ago("en", START, START) == "just now"
    assert ago("sv", START, START + timedelta(minutes=5)) == "5 min sedan"
    assert ago("sv", START, START + timedelta(hours=1)) == "1 timme sedan"
    assert ago("en", START, START + timedelta(hours=3)) == "3 hours ago"
    assert ago("sv", START, START + timedelta(days=3)) == "3 dagar sedan"


def test_no_hand_made_plurals_in_the_catalogue() -> None:
    hand = re.compile(r"\w\((or|s|er|ar|na|en|n)\)")
    found = [
        (key, lang) for key, entry in CATALOGUE.items() for lang, text in entry.items()
        if hand.search(text)
    ]  # fmt: skip
    assert found == []


def test_every_plural_text_has_the_other_form_in_both_languages() -> None:
    stems = {key.rsplit(".", 1)[0] for key in CATALOGUE if key.endswith(".one")}
    for stem in stems:
        assert set(CATALOGUE[f"{stem}.other"]) >= {"sv", "en"}, stem
