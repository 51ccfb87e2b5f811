"""Catalogue texts for shifts: the list, swaps, roster import and planning one shift."""

from __future__ import annotations

SHIFTS: dict[str, dict[str, str]] = {
    "cmd.shifts": {"sv": "Mina pass kommande 7 dagar", "en": "My shifts for the next 7 days"},
    "cmd.calendar": {"sv": "Mina pass som kalenderfil", "en": "My shifts as a calendar file"},
    "cmd.checkin": {"sv": "Checka in på plats", "en": "Check in on site"},
    "cmd.checkout": {"sv": "Checka ut (med överlämning)", "en": "Check out (with handover)"},
    "cmd.onduty": {"sv": "Vem är i tjänst nu", "en": "Who is on duty now"},
    "cmd.coverage": {"sv": "Bemanning nu och kommande vecka", "en": "Coverage now and next week"},
    "cmd.plan": {"sv": "Lägg till eller ta bort ett pass", "en": "Add or cancel a shift"},
    # /shifts
    "shifts.title": {
        "sv": "<b>Dina pass kommande 7 dagar</b>",
        "en": "<b>Your shifts, next 7 days</b>",
    },
    "shifts.none": {"sv": "Inga planerade pass.", "en": "No planned shifts."},
    "shifts.line": {"sv": "• {when} — {group}", "en": "• {when} — {group}"},
    "shifts.checked_in": {
        "sv": "✅ Incheckad i {group} sedan {since}.",
        "en": "✅ Checked in at {group} since {since}.",
    },
    "shifts.not_checked_in": {"sv": "Du är inte incheckad.", "en": "You are not checked in."},
    "shifts.offer_button": {"sv": "⇄ Erbjud {when}", "en": "⇄ Offer {when}"},
    "shifts.added": {
        "sv": "📅 Nytt pass: {when} i {group}.",
        "en": "📅 New shift: {when} at {group}.",
    },
    "shifts.added_many": {"sv": "📅 Nya pass:\n{lines}", "en": "📅 New shifts:\n{lines}"},
    "shifts.cancelled": {
        "sv": "🗑 Passet {when} i {group} är inställt.",
        "en": "🗑 Your shift {when} at {group} is cancelled.",
    },
    "shifts.unknown": {"sv": "Passet finns inte.", "en": "That shift does not exist."},
    "shifts.ics_summary": {"sv": "Pass: {group}", "en": "Shift: {group}"},
    "shifts.ics_description": {
        "sv": "Pass i aktionsgruppen {group}. Checka in med /checkin när du är på plats.",
        "en": "Shift with the action group {group}. Check in with /checkin when you arrive.",
    },
    "shifts.ics_update_button": {"sv": "📅 Uppdatera min kalender", "en": "📅 Update my calendar"},
    "shifts.ics_cancel_caption": {
        "sv": "Öppna filen så stryks passet i kalendern.",
        "en": "Open the file and the shift is removed from your calendar.",
    },
    "shifts.ics_caption": {
        "sv": "Dina kommande pass. Öppna filen för att lägga in dem i kalendern.",
        "en": "Your upcoming shifts. Open the file to add them to your calendar.",
    },
    # Swaps
    "swap.offered": {
        "sv": "⇄ {name} erbjuder sitt pass {when} i {group}. Vill du ta det?",
        "en": "⇄ {name} offers their shift {when} at {group}. Do you want it?",
    },
    "swap.take_button": {"sv": "Ta passet", "en": "Take the shift"},
    "swap.offer_sent.one": {
        "sv": "Erbjudandet skickades till {count} kollega.",
        "en": "The offer went to {count} colleague.",
    },
    "swap.offer_sent.other": {
        "sv": "Erbjudandet skickades till {count} kollegor.",
        "en": "The offer went to {count} colleagues.",
    },
    "swap.taken_by": {
        "sv": "⇄ Passet {when} togs av {name}.",
        "en": "⇄ The shift {when} was taken by {name}.",
    },
    "swap.done": {
        "sv": "⇄ {taker} tog över passet {when} i {group} från {giver}.",
        "en": "⇄ {taker} took over the shift {when} at {group} from {giver}.",
    },
    "swap.you_took": {"sv": "✅ Passet {when} är ditt.", "en": "✅ The shift {when} is yours."},
    "swap.taken": {"sv": "Passet är redan taget av {name}.", "en": "Already taken by {name}."},
    "swap.gone": {"sv": "Erbjudandet gäller inte längre.", "en": "The offer is no longer open."},
    "swap.started": {"sv": "Passet har redan börjat.", "en": "The shift has already started."},
    "swap.clash": {
        "sv": "Du har redan ett pass som krockar.",
        "en": "You already have a shift at that time.",
    },
    "swap.already_offered": {
        "sv": "Passet är redan erbjudet.",
        "en": "That shift is already on offer.",
    },
    # Roster import
    "roster.invalid": {
        "sv": "<b>Schemat importerades inte</b> — rätta raderna och skicka filen igen:",
        "en": "<b>The roster was not imported</b> — fix these lines and send the file again:",
    },
    "roster.imported": {
        "sv": "✅ Schemat importerat: {added} nya pass, {unchanged} fanns redan. "
        "{told} personer har fått besked.",
        "en": "✅ Roster imported: {added} new shifts, {unchanged} already there. "
        "{told} people were told.",
    },
    "roster.problem": {"sv": "Rad {line}: {problem}", "en": "Line {line}: {problem}"},
    "roster.more": {"sv": "… och {count} till.", "en": "… and {count} more."},
    "roster.empty": {"sv": "filen är tom", "en": "the file is empty"},
    "roster.columns": {
        "sv": "kolumner saknas: {detail} (behövs: Medlem, Grupp, Start, Slut — eller member,"
        " group, start, end)",
        "en": "missing columns: {detail} (needed: member, group, start, end — or Medlem,"
        " Grupp, Start, Slut)",
    },
    "roster.too_many": {
        "sv": "för många rader (högst {detail})",
        "en": "too many lines (at most {detail})",
    },
    "roster.short_line": {"sv": "för få fält", "en": "too few fields"},
    "roster.unknown_member": {"sv": "okänd medlem {detail}", "en": "unknown member {detail}"},
    "roster.ambiguous_member": {
        "sv": "{detail} passar flera medlemmar ({names}); skriv medlemsnumret från /members",
        "en": "{detail} fits more than one member ({names}); write the member number"
        " from /members",
    },
    "roster.unknown_group": {"sv": "okänd grupp", "en": "unknown group"},
    "roster.not_your_group": {"sv": "inte en grupp du samordnar", "en": "not a group you run"},
    "roster.not_in_group": {
        "sv": "{detail} är inte med i gruppen",
        "en": "{detail} is not in that group",
    },
    "roster.bad_time": {
        "sv": "start/slut är inte ISO 8601 (t.ex. 2026-12-01T07:00)",
        "en": "start/end is not ISO 8601 (e.g. 2026-12-01T07:00)",
    },
    "roster.end_before_start": {"sv": "slutar före start", "en": "ends before it starts"},
    "roster.too_long": {
        "sv": "längre än 13 timmar (minst 11 timmars vila per dygn, arbetstidslagen)",
        "en": "longer than 13 hours (at least 11 hours' rest in 24, the Working Hours Act)",
    },
    "roster.shifts.rest_before": {
        "sv": "bara {detail} h vila efter föregående pass (minst 11 h)",
        "en": "only {detail} h of rest after the shift before (at least 11 h)",
    },
    "roster.shifts.rest_after": {
        "sv": "bara {detail} h vila före nästa pass (minst 11 h)",
        "en": "only {detail} h of rest before the next shift (at least 11 h)",
    },
    "roster.shifts.stretch_too_long": {
        "sv": "med passen intill blir det {detail} h arbete i sträck (högst 13 h)",
        "en": "with the shifts next to it that is {detail} h of work in a row (at most 13 h)",
    },
    "shifts.rest_before": {
        "sv": "Går inte: bara {hours} h vila efter passet {when} (minst 11 h, arbetstidslagen).",
        "en": "Not possible: only {hours} h of rest after the shift {when} (at least 11 h, the"
        " Working Hours Act).",
    },
    "shifts.rest_after": {
        "sv": "Går inte: bara {hours} h vila före passet {when} (minst 11 h, arbetstidslagen).",
        "en": "Not possible: only {hours} h of rest before the shift {when} (at least 11 h, the"
        " Working Hours Act).",
    },
    "shifts.stretch_too_long": {
        "sv": "Går inte: med passen intill blir det {hours} h arbete i sträck, {when} (högst"
        " 13 h).",
        "en": "Not possible: with the shifts next to it that is {hours} h of work in a row,"
        " {when} (at most 13 h).",
    },
    "roster.overlap": {"sv": "överlappar rad {detail}", "en": "overlaps line {detail}"},
    "roster.overlap_existing": {
        "sv": "överlappar ett befintligt pass",
        "en": "overlaps an existing shift",
    },
    "roster.time_skipped": {
        "sv": "{detail} finns inte: klockan ställs fram den natten och hoppar över den tiden",
        "en": "{detail} does not exist: the clocks go forward that night and skip it",
    },
    "roster.time_twice": {
        "sv": "{detail} inträffar två gånger den natten (klockan ställs tillbaka):"
        " skriv {first} eller {second}",
        "en": "{detail} happens twice that night (the clocks go back): write {first} or {second}",
    },
    "roster.not_text": {
        "sv": "Den här filen är ingen CSV-textfil (en Excel-arbetsbok som döpts om till .csv,"
        " kanske). Välj Spara som → CSV (kommaavgränsad eller semikolonavgränsad) i Excel och"
        " skicka den filen.",
        "en": "This file is not a CSV text file (an Excel workbook renamed .csv, perhaps)."
        " In Excel choose Save as → CSV (comma or semicolon separated) and send that file.",
    },
    "roster.unclosed_quote": {
        "sv": 'ett citattecken (") öppnas här och stängs aldrig',
        "en": 'a quotation mark (") is opened here and never closed',
    },
    "roster.unreadable": {
        "sv": "raden kan inte läsas som CSV ({detail})",
        "en": "the line cannot be read as CSV ({detail})",
    },
    "roster.template_button": {"sv": "📄 Schemamall (CSV)", "en": "📄 Roster template (CSV)"},
    "roster.template_caption": {
        "sv": "Fyll i Start och Slut (t.ex. 2026-12-01 07:00) för den som ska arbeta och skicka"
        " tillbaka filen. Rader utan tider hoppas över. En person kan också skrivas som"
        " medlemsnummer, @användarnamn eller Förnamn (MYNDIGHET).",
        "en": "Fill in Start and Slut (end, e.g. 2026-12-01 07:00) for whoever works and send"
        " the file back. Lines without times are skipped. A person may also be written as the"
        " member number, @username or First name (AGENCY).",
    },
    "roster.not_csv": {
        "sv": "Skicka schemat som en CSV-fil (UTF-8), högst 1 MB.",
        "en": "Send the roster as a CSV file (UTF-8), at most 1 MB.",
    },
    # Wall-clock times on the nights the clocks change
    "time.skipped": {
        "sv": "{when} finns inte i {zone}: klockan ställs fram den natten och hoppar över"
        " den tiden. Välj en annan tid.",
        "en": "{when} does not exist in {zone}: the clocks go forward that night and skip"
        " it. Choose another time.",
    },
    "time.twice": {
        "sv": "{when} inträffar två gånger i {zone} den natten (klockan ställs tillbaka):"
        " skriv {first} för den första eller {second} för den andra.",
        "en": "{when} happens twice in {zone} that night (the clocks go back):"
        " write {first} for the first or {second} for the second.",
    },
    # Planning a single shift
    "plan.clocks_forward": {
        "sv": "⚠️ Klockan ställs fram den natten: {start}–{end} finns inte.",
        "en": "⚠️ The clocks go forward that night: there is no {start}–{end}.",
    },
    "plan.clocks_back": {
        "sv": "⚠️ Klockan ställs tillbaka den natten: {start}–{end} kommer två gånger,"
        " först som {first} (sommartid), sedan som {second}.",
        "en": "⚠️ The clocks go back that night: {start}–{end} happens twice,"
        " first as {first} (summer time), then as {second}.",
    },
    "plan.choose_group": {
        "sv": "Planera pass — vilken grupp?",
        "en": "Plan a shift — which group?",
    },
    "plan.choose_member": {"sv": "Vem?", "en": "Who?"},
    "plan.like_last": {"sv": "⚡ {when} (som det senaste)", "en": "⚡ {when} (like the last)"},
    "plan.copy_week_button": {
        "sv": "📋 Kopiera veckan till nästa vecka",
        "en": "📋 Copy this week to next week",
    },
    "plan.copied": {
        "sv": "Nästa vecka ({first}–{last}) planerad som denna (kopierad): {added} nya pass,"
        " {unchanged} fanns redan.",
        "en": "Next week ({first}–{last}) planned like this one (copied): {added} new shifts,"
        " {unchanged} already there.",
    },
    "plan.copy_refused": {
        "sv": "Veckan kopierades inte: {count} pass krockar med nästa veckas plan eller"
        " vilotiden. Ändra dem med /plan eller skicka ett schema.",
        "en": "The week was not copied: {count} shifts clash with next week's plan or the rest"
        " rule. Change them with /plan or send a roster.",
    },
    "plan.choose_day": {"sv": "{name}: vilken dag?", "en": "{name}: which day?"},
    "plan.choose_start": {"sv": "{name}, {day}: start?", "en": "{name}, {day}: start?"},
    "plan.choose_length": {
        "sv": "{name}, {day} från {start}: hur långt? (eller börja en kvart senare)",
        "en": "{name}, {day} from {start}: how long? (or start a quarter later)",
    },
    "plan.added": {
        "sv": "✅ Pass planerat: {name}, {when}.",
        "en": "✅ Shift planned: {name}, {when}.",
    },
    "plan.cancel_list": {
        "sv": "{name}: kommande pass — tryck för att ställa in:",
        "en": "{name}: upcoming shifts — press one to cancel it:",
    },
    "plan.add_button": {"sv": "➕ Nytt pass", "en": "➕ New shift"},
    "plan.cancelled": {
        "sv": "🗑 Pass inställt: {name}, {when}.",
        "en": "🗑 Shift cancelled: {name}, {when}.",
    },
    "plan.no_members": {
        "sv": "Gruppen har inga aktiva medlemmar.",
        "en": "The group has no active members.",
    },
}
