"""Catalogue texts for being on duty: check-in, handover and coverage."""

from __future__ import annotations

DUTY: dict[str, dict[str, str]] = {
    # Check-in
    "checkin.ask": {
        "sv": "Dela din position för att checka in.",
        "en": "Share your location to check in.",
    },
    "checkin.button": {"sv": "📍 Dela position", "en": "📍 Share location"},
    "checkin.done": {
        "sv": "✅ Incheckad i {group} kl. {time}.{shift}",
        "en": "✅ Checked in at {group} at {time}.{shift}",
    },
    "checkin.on_shift": {
        "sv": " Pass {when}, {late} min sen.",
        "en": " Shift {when}, {late} min late.",
    },
    "checkin.on_time": {"sv": " Pass {when}.", "en": " Shift {when}."},
    "checkin.unplanned": {
        "sv": " Inget planerat pass: registrerad som oplanerad närvaro.",
        "en": " No planned shift: recorded as unplanned presence.",
    },
    "checkin.outside": {
        "sv": "⚠️ Du är {distance} från kontoret, utanför området. Incheckningen är "
        "registrerad men markerad ”utanför området”.",
        "en": "⚠️ You are {distance} from the office, outside the area. The check-in is "
        "recorded but marked “outside area”.",
    },
    "checkin.already": {
        "sv": "Du är redan incheckad i {group} sedan {since} ({where}). "
        "Skriv /checkout för att checka ut.",
        "en": "You are already checked in at {group} since {since} ({where}). "
        "To check out, send /checkout.",
    },
    "checkin.already_inside": {"sv": "inom området", "en": "inside the area"},
    "checkin.already_outside": {
        "sv": "utanför området, {distance} från kontoret",
        "en": "outside the area, {distance} from the office",
    },
    "checkin.no_group": {
        "sv": "Du är inte med i någon grupp. Be din samordnare om en inbjudan.",
        "en": "You are not in any group. Ask your coordinator for an invite.",
    },
    "checkin.bad_location": {
        "sv": "Det är ingen giltig position.",
        "en": "That is not a valid location.",
    },
    "checkin.not_location": {
        "sv": "Tryck på knappen ”📍 Dela position” för att checka in.",
        "en": "Press the “📍 Share location” button to check in.",
    },
    "checkin.choose_group": {
        "sv": "Vilken grupp checkar du in i?",
        "en": "Which group are you checking in to?",
    },
    "checkin.location_expired": {
        "sv": "Positionen är för gammal. Skicka /checkin igen.",
        "en": "That location is too old. Send /checkin again.",
    },
    "checkout.not_checked_in": {"sv": "Du är inte incheckad.", "en": "You are not checked in."},
    "checkout.done": {
        "sv": "👋 Utcheckad kl. {time}. Skriv en överlämning till nästa kollega, "
        "eller hoppa över.",
        "en": "👋 Checked out at {time}. Write a handover note for the next colleague, or skip.",
    },
    "checkout.skip": {"sv": "Hoppa över", "en": "Skip"},
    "checkout.everyone": {
        "sv": "👥 Till alla myndigheters nästa pass",
        "en": "👥 To every agency's next shift",
    },
    "checkout.to_everyone": {
        "sv": "👥 Överlämningen går till alla myndigheter i tjänst (annars nästa pass). "
        "Skriv den nu, eller hoppa över.",
        "en": "👥 The handover goes to every agency on duty (or else the next shift). "
        "Write it now, or skip.",
    },
    "checkout.choose": {"sv": "🏢 Välj myndigheter…", "en": "🏢 Choose agencies…"},
    "checkout.to_chosen": {
        "sv": "🏢 Vilka myndigheters nästa pass ska få överlämningen? Tryck för att välja "
        "(de i tjänst, annars de som börjar härnäst), skriv den sedan, eller hoppa över.",
        "en": "🏢 Which agencies' next shift should get the handover? Tap to choose (those on "
        "duty, or else whoever starts next), then write it, or skip.",
    },
    "checkout.keep_one": {
        "sv": "Minst en myndighet ska få överlämningen.",
        "en": "Keep at least one agency for the handover.",
    },
    "checkout.skipped": {"sv": "Ingen överlämning.", "en": "No handover."},
    # Handover
    "handover.note": {
        "sv": "📝 <b>Överlämning från {name} ({agency}), {group}</b>\n\n{note}",
        "en": "📝 <b>Handover from {name} ({agency}), {group}</b>\n\n{note}",
    },
    "handover.note_acked": {
        "sv": "📝 <b>Överlämning från {name}</b>\n\n{note}\n\n✅ Kvitterad av {by} kl. {time}.",
        "en": "📝 <b>Handover from {name}</b>\n\n{note}\n\n✅ Acknowledged by {by} at {time}.",
    },
    "handover.ack_button": {"sv": "✅ Kvittera", "en": "✅ Acknowledge"},
    "handover.sent.one": {
        "sv": "Överlämningen skickades till {count} kollega.",
        "en": "The handover went to {count} colleague.",
    },
    "handover.sent.other": {
        "sv": "Överlämningen skickades till {count} kollegor.",
        "en": "The handover went to {count} colleagues.",
    },
    "handover.nobody": {
        "sv": "Överlämningen är sparad, men ingen av dem den gäller är i tjänst eller har ett "
        "kommande pass.",
        "en": "The handover is saved, but nobody it is for is on duty or has an upcoming shift.",
    },
    "handover.acknowledged": {
        "sv": "✅ {name} kvitterade din överlämning kl. {time}.",
        "en": "✅ {name} acknowledged your handover at {time}.",
    },
    "handover.thanks": {"sv": "Kvitterad.", "en": "Acknowledged."},
    "handover.gone": {"sv": "Överlämningen finns inte.", "en": "That handover does not exist."},
    "note.empty": {"sv": "Texten är tom.", "en": "The text is empty."},
    "note.too_long": {
        "sv": "Texten är för lång (högst 1 000 tecken).",
        "en": "The text is too long (at most 1,000 characters).",
    },
    "note.identity_number": {
        "sv": "Texten innehåller ett personnummer eller samordningsnummer. Använd ett "
        "ärendenummer i stället och skicka igen.",
        "en": "The text contains a personal identity or co-ordination number. Use a case "
        "reference instead and send it again.",
    },
    # Coverage
    "onduty.group": {"sv": "<b>{group}</b> — i tjänst nu", "en": "<b>{group}</b> — on duty now"},
    "onduty.line": {
        "sv": "{mark} {agency} {count}/{minimum}{names}",
        "en": "{mark} {agency} {count}/{minimum}{names}",
    },
    "onduty.line_free": {"sv": "• {agency}{names}", "en": "• {agency}{names}"},
    "onduty.outside": {"sv": "{name} (utanför området)", "en": "{name} (outside the area)"},
    "onduty.missing": {"sv": "ej incheckad: {names}", "en": "not checked in: {names}"},
    "onduty.left": {"sv": "{name} gick {time}", "en": "{name} left at {time}"},
    "onduty.nobody": {"sv": "Ingen är incheckad.", "en": "Nobody is checked in."},
    "checkin.outside_coordinator": {
        "sv": "📍 {name} ({agency}) checkade in i {group} utanför området, {distance} från"
        " kontoret. Incheckningen räknas inte mot minimibemanningen.",
        "en": "📍 {name} ({agency}) checked in at {group} outside the area, {distance} from"
        " the office. The check-in does not count toward the minimum.",
    },
    "onduty.no_groups": {"sv": "Du är inte med i någon grupp.", "en": "You are not in any group."},
    "coverage.title": {"sv": "<b>Bemanning {group}</b>", "en": "<b>Coverage {group}</b>"},
    "coverage.now": {"sv": "<i>Nu (incheckade):</i>", "en": "<i>Now (checked in):</i>"},
    "coverage.find_cover": {
        "sv": "🔎 Hitta ersättare: {agency} {when}",
        "en": "🔎 Find cover: {agency} {when}",
    },
    "cover.offered": {
        "sv": "🔎 {group} behöver en till från din myndighet {when}. Kan du ta det?",
        "en": "🔎 {group} needs one more from your agency {when}. Can you take it?",
    },
    "cover.find_button": {"sv": "🔎 Hitta ersättare", "en": "🔎 Find cover"},
    "watch.write_button": {"sv": "✉️ Skriv till {name}", "en": "✉️ Write to {name}"},
    "watch.absent_button": {"sv": "❌ {name} frånvarande", "en": "❌ {name} absent"},
    "absent.done": {
        "sv": "{name} är markerad frånvarande; passet {when} är struket. Hitta ersättare?",
        "en": "{name} is marked absent; the shift {when} is cancelled. Find cover?",
    },
    "absent.told": {
        "sv": "Du är markerad frånvarande från passet {when} i {group}. Hör av dig till"
        " samordnaren om det är fel.",
        "en": "You are marked absent from your shift {when} at {group}. Tell the coordinator"
        " if that is wrong.",
    },
    "cover.take_button": {"sv": "✋ Jag tar det", "en": "✋ I'll take it"},
    "cover.done": {
        "sv": "✅ {name} ({agency}) tar {when} i {group}.",
        "en": "✅ {name} ({agency}) takes {when} at {group}.",
    },
    "cover.sent.one": {
        "sv": "Frågat {count} kollega på {agency}. Du får besked när hen tar det.",
        "en": "Asked {count} colleague at {agency}. You will hear when they take it.",
    },
    "cover.sent.other": {
        "sv": "Frågat {count} kollegor på {agency}. Du får besked när någon tar det.",
        "en": "Asked {count} colleagues at {agency}. You will hear when one takes it.",
    },
    "cover.nobody": {
        "sv": "Ingen på {agency} i gruppen är ledig då.",
        "en": "Nobody at {agency} in the group is free then.",
    },
    "cover.past": {"sv": "Luckan är redan förbi.", "en": "That gap is already over."},
    "coverage.chart_title": {
        "sv": "{group}: planerade per myndighet, kommande 7 dagar (streckat: minimum)",
        "en": "{group}: planned per agency, next 7 days (dashed: the minimum)",
    },
    "coverage.chart_caption": {
        "sv": "Veckan i en bild: rött är luckor i planen.",
        "en": "The week at a glance: red is a gap in the plan.",
    },
    "coverage.planned": {
        "sv": "<i>Planerat, kommande 7 dagar — under minimum:</i>",
        "en": "<i>Planned, next 7 days — below minimum:</i>",
    },
    "coverage.gap": {
        "sv": "{agency}: {when}, {count} av {minimum}",
        "en": "{agency}: {when}, {count} of {minimum}",
    },
    "coverage.no_gaps": {"sv": "Inga luckor i planen. ✓", "en": "No gaps in the plan. ✓"},
    "coverage.choose_group": {"sv": "Vilken grupp?", "en": "Which group?"},
}
