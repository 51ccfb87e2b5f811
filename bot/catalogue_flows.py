"""Catalogue texts for conversations as a whole: /cancel, unfinished drafts, typed answers."""

from __future__ import annotations

FLOWS: dict[str, dict[str, str]] = {
    # /cancel: what it stopped, by flow (a draft) or by the kind of question the bot asked
    "cancel.nothing": {"sv": "Det finns inget att avbryta.", "en": "Nothing to cancel."},
    "cancel.flag": {
        "sv": "Flaggan avbröts — inget skickades.",
        "en": "Flag cancelled — nothing was sent.",
    },
    "cancel.notice": {
        "sv": "Meddelandet avbröts — inget skickades.",
        "en": "Notice cancelled — nothing was sent.",
    },
    "cancel.log": {
        "sv": "Loggningen avbröts — inget sparades.",
        "en": "Work log entry cancelled — nothing was saved.",
    },
    "cancel.checkin": {"sv": "Incheckningen avbröts.", "en": "Check-in cancelled."},
    "cancel.checkin_location": {"sv": "Incheckningen avbröts.", "en": "Check-in cancelled."},
    "cancel.handover_note": {
        "sv": "Överlämningen avbröts — ingen anteckning skickades. Du är fortfarande utcheckad.",
        "en": "Handover note cancelled — nothing was sent. You are still checked out.",
    },
    "cancel.flag_comment": {
        "sv": "Kommentaren avbröts — inget skickades.",
        "en": "Comment cancelled — nothing was sent.",
    },
    "cancel.flag_decline": {
        "sv": "Avböjandet avbröts — flaggan är inte avböjd.",
        "en": "Declining cancelled — the flag is not declined.",
    },
    "cancel.flag_redirect": {
        "sv": "Avböjandet avbröts — flaggan är inte avböjd.",
        "en": "Declining cancelled — the flag is not declined.",
    },
    "cancel.flag_write": {
        "sv": "Meddelandet till de i tjänst avbröts — inget skickades.",
        "en": "Message to those on duty cancelled — nothing was sent.",
    },
    "cancel.flag_hand_on": {
        "sv": "Vidarelämningen avbröts — flaggan ligger kvar där den var.",
        "en": "Passing on cancelled — the flag stays where it was.",
    },
    "cancel.flag_outcome_note": {
        "sv": "Ingen anteckning lades till — flaggan är fortfarande löst.",
        "en": "No note added — the flag stays resolved.",
    },
    "cancel.plan": {
        "sv": "Planeringen avbröts — inget pass ändrades.",
        "en": "Planning cancelled — no shift was changed.",
    },
    "cancel.log_edit_note": {
        "sv": "Ändringen avbröts — anteckningen är oförändrad.",
        "en": "Edit cancelled — the note is unchanged.",
    },
    # Typed text where the bot waits for a button
    "plan.use_buttons": {
        "sv": "Välj med knapparna ovan — eller /cancel.",
        "en": "Choose with the buttons above — or /cancel.",
    },
}
