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
    "flow.use_buttons": {
        "sv": "Välj med knapparna ovan — eller /cancel.",
        "en": "Choose with the buttons above — or /cancel.",
    },
    # A draft's open question shown again, after a quick command or a check-in in between
    "flow.waiting": {
        "sv": "⏸ Du var mitt i det här:",
        "en": "⏸ You were in the middle of this:",
    },
    # Starting a flow while another draft is unfinished
    "flow.unfinished.flag": {
        "sv": "Du har en påbörjad flagga ({what}). Fortsätta med den, eller börja om?",
        "en": "You have an unfinished flag ({what}). Continue it, or start over?",
    },
    "flow.unfinished.log": {
        "sv": "Du har en påbörjad loggning ({what}). Fortsätta med den, eller börja om?",
        "en": "You have an unfinished work log entry ({what}). Continue it, or start over?",
    },
    "flow.unfinished.notice": {
        "sv": "Du har ett påbörjat meddelande (”{what}”). Fortsätta med det, eller börja om?",
        "en": "You have an unfinished notice (“{what}”). Continue it, or start over?",
    },
    "flow.btn.continue": {"sv": "▶ Fortsätt", "en": "▶ Continue"},
    "flow.btn.restart": {"sv": "↺ Börja om", "en": "↺ Start over"},
    "flow.dropped.flag": {
        "sv": "Den påbörjade flaggan slängdes.",
        "en": "The unfinished flag was dropped.",
    },
    "flow.dropped.log": {
        "sv": "Den påbörjade loggningen slängdes.",
        "en": "The unfinished work log entry was dropped.",
    },
    "flow.dropped.notice": {
        "sv": "Det påbörjade meddelandet slängdes.",
        "en": "The unfinished notice was dropped.",
    },
    # What a step waits for, when typed text was not it
    "flag.hint.group": {
        "sv": "Välj grupp med knapparna ovan — eller /cancel.",
        "en": "Choose the group with the buttons above — or /cancel.",
    },
    "flag.hint.targets": {
        "sv": "Välj myndigheter med knapparna ovan (eller skriv en myndighets namn) och tryck"
        " Nästa — eller /cancel.",
        "en": "Choose the agencies with the buttons above (or type an agency's name), then"
        " Next — or /cancel.",
    },
    "flag.hint.quick": {
        "sv": "Välj myndighet med knapparna ovan (eller skriv dess namn) — eller /cancel.",
        "en": "Choose the agency with the buttons above (or type its name) — or /cancel.",
    },
    "flag.hint.category": {
        "sv": "Välj en kategori med knapparna ovan — eller /cancel.",
        "en": "Choose a category with the buttons above — or /cancel.",
    },
    "flag.hint.urgency": {
        "sv": "Välj hur brådskande det är med knapparna ovan — eller /cancel.",
        "en": "Choose how urgent it is with the buttons above — or /cancel.",
    },
    "flag.hint.description": {
        "sv": "Skriv en kort beskrivning — eller /cancel.",
        "en": "Write a short description — or /cancel.",
    },
    "flag.hint.location": {
        "sv": "Dela en plats (📎 → Plats) eller tryck Hoppa över — eller /cancel.",
        "en": "Share a location (📎 → Location) or press Skip — or /cancel.",
    },
    "flag.hint.summary": {
        "sv": "Kontrollera sammanfattningen ovan och tryck Skicka flaggan — eller /cancel.",
        "en": "Check the summary above and press Raise the flag — or /cancel.",
    },
    "log.hint.group": {
        "sv": "Välj grupp med knapparna ovan — eller /cancel.",
        "en": "Choose the group with the buttons above — or /cancel.",
    },
    "log.hint.kind": {
        "sv": "Välj slags arbete med knapparna ovan — eller /cancel.",
        "en": "Choose the kind of work with the buttons above — or /cancel.",
    },
    "log.hint.type": {
        "sv": "Välj vad ni gjorde med knapparna ovan — eller /cancel.",
        "en": "Choose what you did with the buttons above — or /cancel.",
    },
    "log.hint.partners": {
        "sv": "Välj myndigheter med knapparna ovan och tryck Nästa — eller /cancel.",
        "en": "Choose the agencies with the buttons above, then Next — or /cancel.",
    },
    "log.hint.residents": {
        "sv": "Välj hur många boende ni nådde med knapparna ovan — eller /cancel.",
        "en": "Choose how many residents you reached with the buttons above — or /cancel.",
    },
    "log.hint.duration": {
        "sv": "Välj hur lång tid det tog med knapparna ovan — eller /cancel.",
        "en": "Choose how long it took with the buttons above — or /cancel.",
    },
    "log.hint.note": {
        "sv": "Skriv en anteckning eller tryck Hoppa över — eller /cancel.",
        "en": "Write a note or press Skip — or /cancel.",
    },
    "log.hint.location": {
        "sv": "Dela en plats (📎 → Plats) eller tryck Hoppa över — eller /cancel.",
        "en": "Share a location (📎 → Location) or press Skip — or /cancel.",
    },
    "log.hint.summary": {
        "sv": "Kontrollera sammanfattningen ovan och tryck Spara — eller /cancel.",
        "en": "Check the summary above and press Save — or /cancel.",
    },
    # An edited message changed an answer
    "flag.description_edited": {
        "sv": "✏️ Beskrivningen är ändrad.",
        "en": "✏️ The description is changed.",
    },
    "notice.text_edited": {
        "sv": "✏️ Meddelandets text är ändrad.",
        "en": "✏️ The notice's text is changed.",
    },
    "log.note_edited": {
        "sv": "✏️ Anteckningen är ändrad.",
        "en": "✏️ The note is changed.",
    },
}
