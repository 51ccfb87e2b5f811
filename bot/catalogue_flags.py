"""Catalogue texts for flags."""

from __future__ import annotations

FLAGS: dict[str, dict[str, str]] = {
    "cmd.flag": {"sv": "Flagga en situation för andra myndigheter", "en": "Flag a situation"},
    "cmd.flags": {"sv": "Öppna flaggor", "en": "Open flags"},
    "flag.no_agency": {
        "sv": "Bara den som tillhör en myndighet och en grupp kan flagga.",
        "en": "Only a member of an agency and a group can raise a flag.",
    },
    "flag.no_draft": {
        "sv": "Ingen flagga håller på att skapas. Börja med /flag.",
        "en": "No flag is being made. Start with /flag.",
    },
    "flag.no_targets": {"sv": "Välj minst en myndighet.", "en": "Choose at least one agency."},
    "flag.step.targets": {
        "sv": "🚩 <b>Ny flagga</b> (1/6)\nVilka myndigheter ska få den? Välj och tryck Nästa.",
        "en": "🚩 <b>New flag</b> (1/6)\nWhich agencies should get it? Choose, then Next.",
    },
    "flag.step.category": {"sv": "🚩 (2/6) Kategori?", "en": "🚩 (2/6) Category?"},
    "flag.step.urgency": {"sv": "🚩 (3/6) Hur brådskande?", "en": "🚩 (3/6) How urgent?"},
    "flag.step.description": {
        "sv": "🚩 (4/6) Skriv en kort beskrivning (högst 1 000 tecken). Inga personnummer — "
        "använd ett ärendenummer.",
        "en": "🚩 (4/6) Write a short description (up to 1,000 characters). No personal "
        "identity numbers — use a case reference.",
    },
    "flag.step.location": {
        "sv": "🚩 (5/6) Dela en plats med 📎 → Plats (en nål eller en namngiven plats), "
        "skriv platsens namn, välj kontoret eller hoppa över.",
        "en": "🚩 (5/6) Share a location with 📎 → Location (a pin or a named place), "
        "type the place's name, choose the office, or skip.",
    },
    "flag.step.location_named": {
        "sv": "🚩 (5/6) 📍 {place} — dela nu var det är med 📎 → Plats, eller gå vidare utan nål.",
        "en": "🚩 (5/6) 📍 {place} — now share where it is with 📎 → Location, or go on "
        "without a pin.",
    },
    "flag.btn.office": {"sv": "🏢 På kontoret", "en": "🏢 At the office"},
    "flag.place.office": {"sv": "Kontoret i {group}", "en": "The office in {group}"},
    "flag.step.group": {"sv": "🚩 Vilken grupp gäller det?", "en": "🚩 Which group is it for?"},
    "flag.step.summary": {
        "sv": "🚩 (6/6) <b>Stämmer det här?</b>\nTill: {targets}\nKategori: {category}\n"
        "Brådska: {urgency}\nGrupp: {group}\nPlats: {place}\n\n{description}",
        "en": "🚩 (6/6) <b>Is this right?</b>\nTo: {targets}\nCategory: {category}\n"
        "Urgency: {urgency}\nGroup: {group}\nLocation: {place}\n\n{description}",
    },
    "flag.none_place": {"sv": "ingen", "en": "none"},
    "flag.btn.next": {"sv": "Nästa ▶", "en": "Next ▶"},
    "flag.btn.back": {"sv": "◀ Tillbaka", "en": "◀ Back"},
    "flag.btn.cancel": {"sv": "✖ Avbryt", "en": "✖ Cancel"},
    "flag.btn.skip": {"sv": "Hoppa över", "en": "Skip"},
    "flag.btn.confirm": {"sv": "🚩 Skicka flaggan", "en": "🚩 Raise the flag"},
    "flag.btn.acknowledge": {"sv": "👀 Kvittera", "en": "👀 Acknowledge"},
    "flag.btn.resolve": {"sv": "✅ Löst", "en": "✅ Resolve"},
    "flag.btn.decline": {"sv": "🛑 Avböj", "en": "🛑 Decline"},
    "flag.btn.comment": {"sv": "💬 Kommentera", "en": "💬 Comment"},
    "flag.btn.withdraw": {"sv": "↩ Återkalla", "en": "↩ Withdraw"},
    "flag.btn.no_redirect": {"sv": "Ingen annan", "en": "Nobody else"},
    "flag.cancelled": {"sv": "Flaggan skickades inte.", "en": "The flag was not raised."},
    "flag.raised": {
        "sv": "🚩 Flagga #{number} är skickad. Du ser här när myndigheterna svarar.",
        "en": "🚩 Flag #{number} is raised. You will see here when the agencies respond.",
    },
    "flag.urgency.urgent": {"sv": "BRÅDSKANDE", "en": "URGENT"},
    "flag.urgency.priority": {"sv": "prioriterad", "en": "priority"},
    "flag.urgency.routine": {"sv": "rutin", "en": "routine"},
    "flag.cat.benefit_fraud": {"sv": "Bidragsbrott", "en": "Benefit fraud"},
    "flag.cat.undeclared_work": {"sv": "Svartarbete", "en": "Undeclared work"},
    "flag.cat.economic_crime": {
        "sv": "Penningtvätt eller ekobrott",
        "en": "Money laundering or economic crime",
    },
    "flag.cat.smuggling": {"sv": "Tull eller smuggling", "en": "Customs or smuggling"},
    "flag.cat.threats": {"sv": "Hot eller våld", "en": "Threats or violence"},
    "flag.cat.youth_at_risk": {"sv": "Unga i riskzon", "en": "Youth at risk"},
    "flag.cat.housing": {
        "sv": "Boende- eller folkbokföringsfel",
        "en": "Housing or registration irregularities",
    },
    "flag.cat.other": {"sv": "Annat", "en": "Other"},
    "flag.card_head": {
        "sv": "🚩 <b>Flagga #{number}</b> · {urgency} · {category}\n"
        "Från {agency} ({name}), {group}, kl. {time}",
        "en": "🚩 <b>Flag #{number}</b> · {urgency} · {category}\n"
        "From {agency} ({name}), {group}, at {time}",
    },
    "flag.state.open": {
        "sv": "öppen (kvittera senast {until})",
        "en": "open (acknowledge by {until})",
    },
    "flag.state.acknowledged": {
        "sv": "kvitterad av {name} kl. {time}",
        "en": "acknowledged by {name} at {time}",
    },
    "flag.state.resolved": {"sv": "löst av {name}", "en": "resolved by {name}"},
    "flag.state.declined": {
        "sv": "avböjd av {name}: {reason}",
        "en": "declined by {name}: {reason}",
    },
    "flag.state.redirected": {"sv": " → skickad till {agency}", "en": " → passed to {agency}"},
    "flag.no_one_on_duty": {"sv": " <i>(ingen i tjänst)</i>", "en": " <i>(no one on duty)</i>"},
    "flag.withdrawn_banner": {"sv": "↩ <b>Återkallad.</b>", "en": "↩ <b>Withdrawn.</b>"},
    "flag.closed_banner": {"sv": "🏁 <b>Avslutad.</b>", "en": "🏁 <b>Closed.</b>"},
    "flag.gone": {
        "sv": "Flagga #{number} är inte längre tillgänglig för dig.",
        "en": "Flag #{number} is no longer available to you.",
    },
    "flag.unknown": {
        "sv": "Flaggan finns inte eller är inte synlig för dig.",
        "en": "That flag does not exist or is not visible to you.",
    },
    "flag.closed": {"sv": "Flaggan är redan avslutad.", "en": "That flag is already closed."},
    "flag.already_acknowledged": {
        "sv": "Redan kvitterad av {name}.",
        "en": "Already acknowledged by {name}.",
    },
    "flag.acknowledged_ok": {"sv": "Kvitterad.", "en": "Acknowledged."},
    "flag.resolved_ok": {"sv": "Markerad som löst.", "en": "Marked as resolved."},
    "flag.withdrawn": {"sv": "Flaggan är återkallad.", "en": "The flag is withdrawn."},
    "flag.ask_reason": {
        "sv": "Varför avböjer ni flagga #{number}? Skriv en kort motivering.",
        "en": "Why do you decline flag #{number}? Write a short reason.",
    },
    "flag.ask_redirect": {
        "sv": "Ska flaggan gå vidare till en annan myndighet?",
        "en": "Should the flag go to another agency instead?",
    },
    "flag.bad_redirect": {
        "sv": "Den myndigheten kan inte ta emot flaggan.",
        "en": "That agency cannot take the flag.",
    },
    "flag.declined_ok": {"sv": "Avböjd.", "en": "Declined."},
    "flag.ask_comment": {
        "sv": "Skriv din kommentar till flagga #{number}.",
        "en": "Write your comment on flag #{number}.",
    },
    "flag.comment_sent": {"sv": "Kommentaren skickades.", "en": "The comment was sent."},
    "flag.comment": {
        "sv": "💬 <b>Kommentar till flagga #{number}</b> från {name} ({agency}):\n\n{text}",
        "en": "💬 <b>Comment on flag #{number}</b> from {name} ({agency}):\n\n{text}",
    },
    "flags.title": {"sv": "<b>Öppna flaggor</b>", "en": "<b>Open flags</b>"},
    "flags.none": {"sv": "Inga öppna flaggor.", "en": "No open flags."},
    # A target's state in one word, for the /flags list.
    "flags.state.open": {"sv": "öppen", "en": "open"},
    "flags.state.acknowledged": {"sv": "kvitterad", "en": "acknowledged"},
    "flags.state.resolved": {"sv": "löst", "en": "resolved"},
    "flags.state.declined": {"sv": "avböjd", "en": "declined"},
    "flags.target": {"sv": "{agency} {state}", "en": "{agency} {state}"},
    "flags.line": {
        "sv": "#{number} {urgency} · {category} · {age} · {states}",
        "en": "#{number} {urgency} · {category} · {age} · {states}",
    },
    # Where an open target is on its ladder (after its state on the card).
    "flag.rung.agency": {
        "sv": " <i>(ingen i tjänst — skickad till alla från {agency} i gruppen)</i>",
        "en": " <i>(no one on duty — sent to everyone of {agency} in the group)</i>",
    },
    "flag.rung.coordinators": {
        "sv": " <i>(ingen har kvitterat — samordnaren har larmats)</i>",
        "en": " <i>(nobody has acknowledged yet — the coordinator has been alerted)</i>",
    },
    "flag.rung.neighbours": {
        "sv": " <i>(ingen har kvitterat — {agency} i grannområdena har larmats)</i>",
        "en": " <i>(nobody has acknowledged yet — {agency} in neighbouring groups alerted)</i>",
    },
    "flag.rung.admins": {
        "sv": " <i>(ingen har kvitterat — administratörerna har larmats)</i>",
        "en": " <i>(nobody has acknowledged yet — the admins have been alerted)</i>",
    },
    "flag.state.on_behalf": {
        "sv": " (samordnare, för myndigheten)",
        "en": " (coordinator, for the agency)",
    },
    "flag.card_comments": {"sv": "💬 <b>Senaste kommentarer</b>", "en": "💬 <b>Last comments</b>"},
    "flag.card_comment": {"sv": "{time} {name}: {text}", "en": "{time} {name}: {text}"},
    "flag.unreachable": {
        "sv": "Ingen kan ta emot flaggan för {agency}: ingen i tjänst, ingen från myndigheten, "
        "ingen samordnare och ingen administratör. Den skickades inte.",
        "en": "No one can receive the flag for {agency}: nobody on duty, nobody of the agency, "
        "no coordinator and no admin. It was not raised.",
    },
    # The agency picker: who can answer, in the group the flag is for.
    "flag.pick.on_duty": {"sv": "{name} · {count} på plats", "en": "{name} · {count} on duty"},
    "flag.pick.off_duty": {"sv": "{name} · ingen på plats", "en": "{name} · nobody on duty"},
    "flag.pick.nearby": {
        "sv": "{name} · ingen i {group} → grannar",
        "en": "{name} · none in {group} → nearby",
    },
    "flag.pick.nobody": {"sv": "{name} · ingen i {group}", "en": "{name} · nobody in {group}"},
    "flag.not_here": {
        "sv": "Ingen från {agency} finns i {group} eller grannområdena. Flagga till samordnaren "
        "eller be om grannområden för gruppen (samverkan ladder).",
        "en": "Nobody of {agency} is in {group} or its neighbouring groups. Flag the coordinator "
        "instead, or ask for the group's neighbours to be set (samverkan ladder).",
    },
    # Where each target goes, in the summary (before Raise) and after Raise.
    "flag.reach.on_duty": {
        "sv": "{agency}: {count} i tjänst får den",
        "en": "{agency}: {count} on duty get it",
    },
    "flag.reach.agency": {
        "sv": "{agency}: ingen i tjänst — går till alla {count} från {agency} i gruppen",
        "en": "{agency}: nobody on duty — goes to all {count} of {agency} in the group",
    },
    "flag.reach.coordinators": {
        "sv": "{agency}: ingen från {agency} kan ta emot den — går direkt till samordnaren",
        "en": "{agency}: nobody of {agency} can receive it — goes straight to the coordinator",
    },
    "flag.reach.neighbours": {
        "sv": "{agency}: ingen här kan ta emot den — går till {agency} i grannområdena",
        "en": "{agency}: nobody here can receive it — goes to {agency} in neighbouring groups",
    },
    "flag.reach.admins": {
        "sv": "{agency}: ingen i gruppen kan ta emot den — går till administratörerna",
        "en": "{agency}: nobody in the group can receive it — goes to the admins",
    },
    "flag.reach.none": {
        "sv": "{agency}: ingen kan ta emot den",
        "en": "{agency}: no one can receive it",
    },
    "flag.btn.urgent": {"sv": "🔴 Brådskande", "en": "🔴 Urgent"},
    "flag.step.quick": {
        "sv": "🔴 <b>Brådskande flagga</b>\nTill vilken myndighet?",
        "en": "🔴 <b>Urgent flag</b>\nTo which agency?",
    },
    "flag.step.quick_description": {
        "sv": "🔴 Skriv vad som händer (högst 1 000 tecken). Inga personnummer.",
        "en": "🔴 Write what is happening (up to 1,000 characters). No identity numbers.",
    },
    "flag.raised_where": {
        "sv": "🚩 Flagga #{number} är skickad.\n{reach}",
        "en": "🚩 Flag #{number} is raised.\n{reach}",
    },
    "flag.went.on_duty": {
        "sv": "{agency}: hos dem i tjänst",
        "en": "{agency}: with those on duty",
    },
    "flag.went.agency": {
        "sv": "{agency}: ingen i tjänst — skickad till alla från {agency} i gruppen",
        "en": "{agency}: nobody on duty — sent to everyone of {agency} in the group",
    },
    "flag.went.coordinators": {
        "sv": "{agency}: ingen från {agency} kan ta emot den — samordnaren har larmats",
        "en": "{agency}: nobody of {agency} can receive it — the coordinator has been alerted",
    },
    "flag.went.neighbours": {
        "sv": "{agency}: ingen här kan ta emot den — skickad till {agency} i grannområdena",
        "en": "{agency}: nobody here can receive it — sent to {agency} in neighbouring groups",
    },
    "flag.went.admins": {
        "sv": "{agency}: ingen i gruppen kan ta emot den — administratörerna har larmats",
        "en": "{agency}: nobody in the group can receive it — the admins have been alerted",
    },
    "cmd.ladder": {"sv": "Eskaleringsstegar för flaggor", "en": "Escalation ladders for flags"},
    "ladder.title": {
        "sv": "🪜 <b>Eskaleringsstegar</b>\nEn flagga som ingen kvitterar går ett steg upp per "
        "tidsgräns (brådskande: 5 min); ett steg utan någon som kan ta emot hoppas över direkt.",
        "en": "🪜 <b>Escalation ladders</b>\nA flag nobody acknowledges goes one rung up per "
        "deadline (urgent: 5 min); a rung with no one who can receive it is passed at once.",
    },
    "ladder.group": {"sv": "<b>{group}</b>", "en": "<b>{group}</b>"},
    "ladder.rung.on_duty": {
        "sv": "myndighetens folk i tjänst",
        "en": "the agency's people on duty",
    },
    "ladder.rung.agency": {
        "sv": "alla från myndigheten i gruppen",
        "en": "everyone of the agency in the group",
    },
    "ladder.rung.coordinators": {"sv": "gruppens samordnare", "en": "the group's coordinators"},
    "ladder.rung.neighbours": {
        "sv": "myndigheten i grannområdena ({groups})",
        "en": "the agency in neighbouring groups ({groups})",
    },
    "ladder.rung.admins": {"sv": "administratörerna", "en": "the admins"},
    "ladder.no_neighbours": {"sv": "inga angivna", "en": "none set"},
    "ladder.how": {
        "sv": "En administratör ändrar stegen med <code>samverkan ladder set</code>.",
        "en": "An admin changes them with <code>samverkan ladder set</code>.",
    },
    "flag.btn.act_for": {"sv": "🧭 För en myndighet…", "en": "🧭 For an agency…"},
    "flag.btn.mute": {"sv": "🔕 Tysta", "en": "🔕 Mute"},
    "flag.btn.unmute": {"sv": "🔔 Följ igen", "en": "🔔 Follow again"},
    "flag.muted_ok": {
        "sv": "Inga fler aviseringar om flaggan.",
        "en": "No more pushes about this flag.",
    },
    "flag.unmuted_ok": {"sv": "Du följer flaggan igen.", "en": "You follow this flag again."},
    "flag.for_menu": {
        "sv": "🧭 <b>Flagga #{number}</b>: vad gör du för vilken myndighet?",
        "en": "🧭 <b>Flag #{number}</b>: what do you do for which agency?",
    },
    "flag.for_ack": {"sv": "👀 Kvittera för {agency}", "en": "👀 Acknowledge for {agency}"},
    "flag.for_pass": {"sv": "↪ Lämna vidare: {agency}", "en": "↪ Pass on: {agency}"},
    "flag.for_write": {
        "sv": "✉ Skriv till {agency} i tjänst",
        "en": "✉ Write to {agency} on duty",
    },
    "flag.for_add": {"sv": "➕ Lägg till en myndighet", "en": "➕ Add an agency"},
    "flag.for_pass_to": {
        "sv": "↪ Flagga #{number}: till vilken myndighet går {agency}s del?",
        "en": "↪ Flag #{number}: which agency takes {agency}'s part?",
    },
    "flag.for_add_which": {
        "sv": "➕ Flagga #{number}: vilken myndighet ska också få den?",
        "en": "➕ Flag #{number}: which agency should also get it?",
    },
    "flag.for_ack_ok": {"sv": "Kvitterad för {agency}.", "en": "Acknowledged for {agency}."},
    "flag.for_pass_ok": {"sv": "Lämnad till {agency}.", "en": "Passed to {agency}."},
    "flag.for_add_ok": {"sv": "{agency} har lagts till.", "en": "{agency} was added."},
    "flag.for_ask_write": {
        "sv": "Skriv ditt meddelande till {agency} i tjänst om flagga #{number}.",
        "en": "Write your message to {agency} on duty about flag #{number}.",
    },
    "flag.for_written": {
        "sv": "Meddelandet skickades till {count} från {agency}.",
        "en": "The message was sent to {count} of {agency}.",
    },
    "flag.coord_message": {
        "sv": "✉ <b>Flagga #{number}</b> — samordnaren {name} skriver:\n\n{text}",
        "en": "✉ <b>Flag #{number}</b> — the coordinator {name} writes:\n\n{text}",
    },
    "flag.not_open_for": {
        "sv": "{agency}s del är inte öppen längre.",
        "en": "{agency}'s part is no longer open.",
    },
    "flag.nobody_to_write": {
        "sv": "Ingen från {agency} i gruppen kan ta emot ett meddelande.",
        "en": "Nobody of {agency} in the group can receive a message.",
    },
    "flag.state.passed_on": {"sv": "lämnad vidare av {name}", "en": "passed on by {name}"},
    "checkin.handovers": {
        "sv": "📝 Överlämningar som väntar: {count} (till dig eller från din myndighet här).",
        "en": "📝 Handovers waiting: {count} (for you, or from your agency here).",
    },
    "checkin.open_flags": {
        "sv": "🚩 Öppna flaggor för din myndighet här: {count}. Se /flags.",
        "en": "🚩 Open flags of your agency here: {count}. See /flags.",
    },
    "flag.outcome.handled": {"sv": "✅ Åtgärdat", "en": "✅ Dealt with"},
    "flag.outcome.referred": {"sv": "↪ Hänvisat vidare", "en": "↪ Referred on"},
    "flag.outcome.no_action": {"sv": "ℹ Ingen åtgärd behövdes", "en": "ℹ No action needed"},
    "flag.outcome.not_found": {"sv": "✖ Inget hittades", "en": "✖ Nothing found"},
    "flag.ask_outcome": {
        "sv": "Hur slutade flagga #{number} för er?",
        "en": "How did flag #{number} end for you?",
    },
    "flag.resolved_note": {
        "sv": "Flagga #{number} är löst: {outcome}. Skriv en kort anteckning om du vill "
        "(valfritt).",
        "en": "Flag #{number} is resolved: {outcome}. Write a short note if you like (optional).",
    },
    "flag.state.outcome": {"sv": ": {outcome}", "en": ": {outcome}"},
    "flag.state.outcome_note": {"sv": " — {note}", "en": " — {note}"},
    "flag.note_saved": {"sv": "Anteckningen sparades.", "en": "The note was saved."},
    "flag.no_outcome": {
        "sv": "Det finns ingen löst del av flaggan att skriva om.",
        "en": "There is no resolved part of that flag to write about.",
    },
    "flag.btn.categorise": {"sv": "🏷 Kategori", "en": "🏷 Category"},
    "flag.ask_category": {
        "sv": "🏷 Vilken kategori har flagga #{number}?",
        "en": "🏷 Which category is flag #{number}?",
    },
    "flag.category_set": {
        "sv": "🏷 Flagga #{number}: {category}.",
        "en": "🏷 Flag #{number}: {category}.",
    },
    "flag.attached": {"sv": "📎 Bifogat: {count}", "en": "📎 Attached: {count}"},
    "flag.attached_ok": {
        "sv": "📎 Bifogat till flaggan ({count}). Fortsätt där du var.",
        "en": "📎 Attached to the flag ({count}). Carry on where you were.",
    },
    "flag.attach_later": {
        "sv": "Välj myndigheter först; skicka sedan bilden eller röstmeddelandet.",
        "en": "Choose the agencies first, then send the photo or voice note.",
    },
    "flag.attach_full": {
        "sv": "En flagga kan ha högst {most} bilder och röstmeddelanden.",
        "en": "A flag can have at most {most} photos and voice notes.",
    },
}
