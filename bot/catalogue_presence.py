"""Texts of check-in and check-out that take something back or ask again: undoing a
check-out, a location too vague to decide inside or outside."""

from __future__ import annotations

PRESENCE: dict[str, dict[str, str]] = {
    "checkout.undo_hint": {
        "sv": "Tryckte du fel? ↩️ Ångra inom en minut.",
        "en": "Pressed by mistake? ↩️ Undo within a minute.",
    },
    "checkout.undo": {"sv": "↩️ Ångra utcheckningen", "en": "↩️ Undo check-out"},
    "checkout.undone": {
        "sv": "↩️ Utcheckningen är ångrad: du är incheckad i {group} igen sedan {since}.",
        "en": "↩️ Check-out undone: you are checked in at {group} again since {since}.",
    },
    "checkout.undo_late": {
        "sv": "För sent att ångra: det är mer än en minut sedan du checkade ut. Skicka /checkin"
        " för att checka in igen.",
        "en": "Too late to undo: it is more than a minute since you checked out. Send /checkin"
        " to check in again.",
    },
    "checkout.undo_gone": {
        "sv": "Det finns ingen utcheckning att ångra längre.",
        "en": "There is no check-out to undo any more.",
    },
}
