"""Screening free text for Swedish personal identity and co-ordination numbers.

Members are asked to use a case reference instead: such numbers must never be stored.
A match needs a valid Luhn check digit, so ordinary numbers (phone numbers, dates,
case references) pass. The text is normalised first, so a number typed with an en dash, a
minus sign or fullwidth digits, or split by an invisible character, is still one.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from bot.domain.errors import DomainError

# Minus-like characters that are not Unicode dashes (category Pd) but are typed as one.
_MINUS_LIKE = frozenset("\u2212\u2043\u02d7\u2796\u207b\u208b")


class IdentityNumberInText(DomainError):
    """The text holds a personal identity or co-ordination number; it is not stored."""

    key = "note.identity_number"


# YYMMDD or YYYYMMDD, an optional - or + separator (or a space), then four digits (ASCII only:
# normalise() has made every digit one).
_CANDIDATE = re.compile(r"(?<![0-9])([0-9]{8}|[0-9]{6})\s{0,2}[-+]?\s{0,2}([0-9]{4})(?![0-9])")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _plausible_date(yy: str, mm: str, dd: str) -> bool:
    month, day = int(mm), int(dd)
    if day > 60:
        day -= 60  # a co-ordination number adds 60 to the day
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    try:
        date(2000 + int(yy), month, day)  # any leap year will do for 29 February
    except ValueError:
        return day == 29 and month == 2
    return True


def normalise(text: str) -> str:
    """The text as screening reads it: NFKC (fullwidth and styled digits become 0-9), every
    dash or minus a hyphen, and invisible format characters (zero-width, soft hyphen) gone."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        out.append("-" if category == "Pd" or ch in _MINUS_LIKE else ch)
    return "".join(out)


def contains_identity_number(text: str) -> bool:
    """True when the text holds a checksum-valid personal identity or co-ordination number."""
    for match in _CANDIDATE.finditer(normalise(text)):
        birth, tail = match.group(1)[-6:], match.group(2)
        if _plausible_date(birth[:2], birth[2:4], birth[4:]) and _luhn_ok(birth + tail):
            return True
    return False


def refuse_identity_numbers(text: str) -> str:
    """The text unchanged, or IdentityNumberInText when it holds such a number."""
    if contains_identity_number(text):
        raise IdentityNumberInText()
    return text
