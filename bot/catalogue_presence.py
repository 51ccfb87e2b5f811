"""Texts of check-in and check-out that take something back or ask again: undoing a
check-out, a location too vague to decide inside or outside."""

from __future__ import annotations

PRESENCE: dict[str, dict[str, str]] = {
    "checkin.vague": {
        "sv": "📍 Din position är bara noggrann inom {accuracy}, och området {group} sträcker"
        " sig {radius} från kontoret: det går inte att avgöra om du är där. Du är inte"
        " incheckad. Vänta en stund utomhus eller vid ett fönster och dela sedan positionen"
        " igen.",
        "en": "📍 Your location is only accurate to within {accuracy}, and the area of {group}"
        " reaches {radius} from the office: that cannot tell whether you are there. You"
        " are not checked in. Wait a moment in the open or by a window, then share your"
        " location again.",
    },
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
