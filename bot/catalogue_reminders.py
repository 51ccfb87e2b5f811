"""Catalogue texts for reminders, escalations, the digest, coverage alerts and /settings."""

from __future__ import annotations

REMINDERS: dict[str, dict[str, str]] = {
    "cmd.settings": {
        "sv": "Påminnelser, tysta timmar och språk",
        "en": "Reminders, quiet hours, language",
    },
    "reminder.shift_lead": {
        "sv": "⏰ Ditt pass börjar om {minutes} min: {when}.",
        "en": "⏰ Your shift starts in {minutes} min: {when}.",
    },
    "reminder.evening_before": {
        "sv": "🌙 Påminnelse: du har ett tidigt pass i morgon, {when}.",
        "en": "🌙 Reminder: you have an early shift tomorrow, {when}.",
    },
    "reminder.missed": {
        "sv": "❗ Ditt pass {when} har börjat och du är inte incheckad. Skicka /checkin.",
        "en": "❗ Your shift {when} has started and you are not checked in. Send /checkin.",
    },
    "reminder.missed_alert": {
        "sv": "❗ {name} ({agency}) har inte checkat in till passet som började kl. {time}.",
        "en": "❗ {name} ({agency}) has not checked in for the shift that began at {time}.",
    },
    "reminder.checkout": {
        "sv": "🕔 Ditt pass slutade kl. {time}. Glöm inte /checkout.",
        "en": "🕔 Your shift ended at {time}. Don't forget /checkout.",
    },
    "reminder.auto_checkout": {
        "sv": "🔒 Du checkades ut automatiskt kl. {time}, två timmar efter passets slut.",
        "en": "🔒 You were checked out automatically at {time}, two hours after your shift ended.",
    },
    "reminder.auto_checkout_unplanned": {
        "sv": "🔒 Du checkades ut automatiskt kl. {time}, tolv timmar efter incheckningen "
        "(inget planerat pass).",
        "en": "🔒 You were checked out automatically at {time}, twelve hours after you checked "
        "in (no shift was planned).",
    },
    "reminder.handover": {
        "sv": "📝 En överlämning väntar på din kvittering.",
        "en": "📝 A handover is waiting for your acknowledgement.",
    },
    "reminder.handover_escalation": {
        "sv": "📝 En överlämning från kl. {time} är fortfarande inte kvitterad.",
        "en": "📝 A handover from {time} is still not acknowledged.",
    },
    "reminder.flag": {
        "sv": "🚩 Flagga #{number} till {agency} väntar på kvittering.",
        "en": "🚩 Flag #{number} for {agency} is waiting to be acknowledged.",
    },
    "reminder.flag_unresolved": {
        "sv": "🚩 Flagga #{number} som du kvitterade är fortfarande inte löst.",
        "en": "🚩 Flag #{number} that you acknowledged is still not resolved.",
    },
    "reminder.digest": {"sv": "{body}", "en": "{body}"},
    "digest.title": {
        "sv": "☀️ <b>Morgonsammanfattning {group}</b>",
        "en": "☀️ <b>Morning digest {group}</b>",
    },
    "digest.last_day": {
        "sv": "Senaste dygnet: {check_ins} incheckningar, {no_shows} uteblivna pass, "
        "{raised} flaggor, {acknowledged} kvitteringar.",
        "en": "Last 24 h: {check_ins} check-ins, {no_shows} no-shows, {raised} flags raised, "
        "{acknowledged} acknowledged.",
    },
    "digest.open_flags": {
        "sv": "Öppna flaggor ({count}): {flags}",
        "en": "Open flags ({count}): {flags}",
    },
    "digest.no_open_flags": {"sv": "Inga öppna flaggor.", "en": "No open flags."},
    "digest.gaps_title": {
        "sv": "<i>Luckor kommande 24 h:</i>",
        "en": "<i>Gaps in the next 24 h:</i>",
    },
    "watch.short": {
        "sv": "⚠️ {group}: {agency} har {count} av {minimum} på plats fast planen täcker.",
        "en": "⚠️ {group}: {agency} has {count} of {minimum} present though the plan covers it.",
    },
    "watch.recovered": {
        "sv": "✅ {group}: {agency} är åter bemannad.",
        "en": "✅ {group}: {agency} is covered again.",
    },
    "watch.gap": {
        "sv": "📉 {group}: planerad lucka för {agency}, {when}, {count} av {minimum}.",
        "en": "📉 {group}: planned gap for {agency}, {when}, {count} of {minimum}.",
    },
    "settings.title": {
        "sv": "<b>Inställningar</b>\nPåminnelse före pass: {lead} min\nKvällen före tidigt pass: "
        "{evening}\nTysta timmar: {quiet}\nSpråk: {language}",
        "en": "<b>Settings</b>\nReminder before a shift: {lead} min\nEvening before an early "
        "shift: {evening}\nQuiet hours: {quiet}\nLanguage: {language}",
    },
    "settings.on": {"sv": "på", "en": "on"},
    "settings.off": {"sv": "av", "en": "off"},
    "settings.none": {"sv": "inga", "en": "none"},
    "settings.lead": {"sv": "⏰ {minutes} min", "en": "⏰ {minutes} min"},
    "settings.evening": {"sv": "🌙 Kvällen före på/av", "en": "🌙 Evening before on/off"},
    "settings.quiet": {"sv": "🔕 Tysta {span}", "en": "🔕 Quiet {span}"},
    "settings.quiet_off": {"sv": "🔔 Inga tysta timmar", "en": "🔔 No quiet hours"},
    "settings.language": {"sv": "🌐 Språk", "en": "🌐 Language"},
}
