"""Screening free text for Swedish personal identity and co-ordination numbers.

Members are asked to use a case reference instead: such numbers must never be stored.
A match needs a valid Luhn check digit, so ordinary numbers (phone numbers, dates,
case references) pass.
"""

from __future__ import annotations

import re
from datetime import date

# YYMMDD or YYYYMMDD, an optional - or + separator (or a space), then four digits.
_CANDIDATE = re.compile(r"(?<!\d)(\d{8}|\d{6})\s?[-+]?\s?(\d{4})(?!\d)")


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


def contains_identity_number(text: str) -> bool:
    """True when the text holds a checksum-valid personal identity or co-ordination number."""
    for match in _CANDIDATE.finditer(text):
        birth, tail = match.group(1)[-6:], match.group(2)
        if _plausible_date(birth[:2], birth[2:4], birth[4:]) and _luhn_ok(birth + tail):
            return True
    return False
