"""Identity-number screening: valid checksums in both formats are caught; others pass."""

from __future__ import annotations

import pytest

from bot.domain.screening import contains_identity_number


@pytest.mark.parametrize(
    "text",
    [
        "Personen 811218-9876 syns ofta vid torget",
        "pnr 198112189876",
        "811218+9876 (över 100 år)",
        "19811218-9876",
        "8112189876",
        "samordningsnummer 701063-2391",  # day 63 = the 3rd, co-ordination number
    ],
)
def test_valid_numbers_are_caught(text: str) -> None:
    assert contains_identity_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875",  # wrong check digit
        "19811218-9875",
        "Ring 070-123 45 67",
        "Ärende 2026-11-28 nr K123456-26",
        "811318-9876",  # month 13
        "ordernummer 12345678901234",
        "",
    ],
)
def test_other_numbers_pass(text: str) -> None:
    assert not contains_identity_number(text)


# What phone keyboards, word processors and pasted documents put where a hyphen was meant,
# and characters that do not show but would split the number for a naive pattern.
@pytest.mark.parametrize(
    "separator",
    [
        "\u2010",  # hyphen
        "\u2011",  # non-breaking hyphen
        "\u2012",  # figure dash
        "\u2013",  # en dash
        "\u2014",  # em dash
        "\u2015",  # horizontal bar
        "\u2212",  # minus sign
        "\ufe63",  # small hyphen-minus
        "\uff0d",  # fullwidth hyphen-minus
        "\u00ad",  # soft hyphen
        "\u200b-",  # zero-width space, then a hyphen
        "\u00a0",  # no-break space
        " \u2013 ",  # a dash with spaces around it
    ],
)
def test_any_dash_or_invisible_separator_is_caught(separator: str) -> None:
    assert contains_identity_number(f"Personen 811218{separator}9876 syns vid torget")


def test_fullwidth_and_other_digits_are_caught() -> None:
    assert contains_identity_number("８１１２１８－９８７６")  # fullwidth, as some keyboards type
    assert contains_identity_number("𝟖𝟏𝟏𝟐𝟏𝟖-𝟗𝟖𝟕𝟔")  # mathematical bold, pasted from a document


def test_normalising_keeps_ordinary_text_apart() -> None:
    assert not contains_identity_number("Ring 070\u2013123 45 67")
    assert not contains_identity_number("811218\u20139875")  # a dash, but a wrong check digit
