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
