"""Catalogue texts for the work log (/log, /mylog), phases and the balance line."""

from __future__ import annotations

_TYPES: dict[str, dict[str, str]] = {
    "log.type.control": {"sv": "Kontroll eller tillsyn", "en": "Control or inspection"},
    "log.type.joint_control": {
        "sv": "Samordnad kontroll med andra myndigheter",
        "en": "Joint control with other agencies",
    },
    "log.type.intervention": {"sv": "Ingripande", "en": "Intervention"},
    "log.type.seizure": {"sv": "Beslag", "en": "Seizure"},
    "log.type.sanction": {"sv": "Beslut eller sanktion", "en": "Decision or sanction"},
    "log.type.investigation": {"sv": "Utredningsåtgärd", "en": "Investigation step"},
    "log.type.dialogue": {"sv": "Dialog med boende", "en": "Dialogue with residents"},
    "log.type.school_visit": {
        "sv": "Besök på skola eller fritidsgård",
        "en": "School or youth-centre visit",
    },
    "log.type.association": {
        "sv": "Förening eller trossamfund",
        "en": "Association or faith community",
    },
    "log.type.outreach": {"sv": "Uppsökande eller hembesök", "en": "Outreach or home visit"},
    "log.type.advice": {"sv": "Råd och information", "en": "Advice and information"},
    "log.type.open_office": {"sv": "Öppet kontor", "en": "Open office"},
}

WORKLOG: dict[str, dict[str, str]] = {
    **_TYPES,
    "cmd.log": {"sv": "Logga insats", "en": "Log work"},
    "cmd.mylog": {"sv": "Mina insatser den här veckan", "en": "My work this week"},
    "log.kind.boundary": {"sv": "Gränssättande", "en": "Boundary-setting"},
    "log.kind.relationship": {"sv": "Relationsbyggande", "en": "Relationship-building"},
    "log.residents.none": {"sv": "Inga", "en": "None"},
    "log.residents.1_5": {"sv": "1–5", "en": "1–5"},
    "log.residents.6_20": {"sv": "6–20", "en": "6–20"},
    "log.residents.21_100": {"sv": "21–100", "en": "21–100"},
    "log.residents.100_plus": {"sv": "100+", "en": "100+"},
    "log.minutes.15": {"sv": "15 min", "en": "15 min"},
    "log.minutes.30": {"sv": "30 min", "en": "30 min"},
    "log.minutes.60": {"sv": "1 h", "en": "1 h"},
    "log.minutes.120": {"sv": "2 h", "en": "2 h"},
    "log.minutes.240": {"sv": "Halv dag", "en": "Half day"},
    "log.no_agency": {
        "sv": "Bara den som tillhör en myndighet och en grupp kan logga insatser.",
        "en": "Only a member of an agency and a group can log work.",
    },
    "log.no_draft": {
        "sv": "Ingen insats håller på att loggas. Börja med /log.",
        "en": "No work is being logged. Start with /log.",
    },
    "log.no_last": {
        "sv": "Det finns ingen tidigare insats att upprepa.",
        "en": "There is no earlier entry to repeat.",
    },
    "log.unknown": {"sv": "Okänd insats.", "en": "Unknown entry."},
    "log.too_late": {
        "sv": "Du kan bara ändra eller ta bort en insats inom ett dygn. Be din samordnare.",
        "en": "You can change or delete an entry within a day only. Ask your coordinator.",
    },
    "log.step.group": {"sv": "📝 Vilken grupp gäller insatsen?", "en": "📝 Which group was it?"},
    "log.step.kind": {
        "sv": "📝 <b>Logga insats</b> (1/7)\nVilket slags arbete?",
        "en": "📝 <b>Log work</b> (1/7)\nWhat kind of work?",
    },
    "log.step.kind_flag": {
        "sv": "📝 <b>Logga vad som gjordes</b> för flagga #{number} (1/7)\nVilket slags arbete?",
        "en": "📝 <b>Log what was done</b> for flag #{number} (1/7)\nWhat kind of work?",
    },
    "log.step.type": {"sv": "📝 (2/7) Vad gjorde ni?", "en": "📝 (2/7) What did you do?"},
    "log.step.partners": {
        "sv": "📝 (3/7) Tillsammans med? Välj myndigheter (de som är incheckade nu först), "
        "sedan Nästa.",
        "en": "📝 (3/7) Together with? Choose agencies (those checked in now first), then Next.",
    },
    "log.step.residents": {
        "sv": "📝 (4/7) Hur många boende nådde ni?",
        "en": "📝 (4/7) How many residents did you reach?",
    },
    "log.step.duration": {"sv": "📝 (5/7) Hur lång tid?", "en": "📝 (5/7) How long?"},
    "log.step.note": {
        "sv": "📝 (6/7) Skriv en kort anteckning (bara du och samordnarna ser den), eller hoppa "
        "över. Inga personnummer — använd ett ärendenummer.",
        "en": "📝 (6/7) Write a short note (only you and the coordinators see it), or skip. "
        "No personal identity numbers — use a case reference.",
    },
    "log.step.location": {
        "sv": "📝 (7/7) Dela platsen med 📎 → Plats, eller hoppa över.",
        "en": "📝 (7/7) Share the place with 📎 → Location, or skip.",
    },
    "log.step.summary": {
        "sv": "📝 <b>Stämmer det här?</b>\n{kind}: {type}\nTillsammans med: {partners}\n"
        "Boende: {residents} · Tid: {duration}\nGrupp: {group}{flag}{note}",
        "en": "📝 <b>Is this right?</b>\n{kind}: {type}\nTogether with: {partners}\n"
        "Residents: {residents} · Time: {duration}\nGroup: {group}{flag}{note}",
    },
    "log.flag_part": {"sv": "\nFlagga: #{number}", "en": "\nFlag: #{number}"},
    "log.note_part": {"sv": "\nAnteckning: {note}", "en": "\nNote: {note}"},
    "log.nobody": {"sv": "ingen", "en": "no one"},
    "log.btn.same": {"sv": "↺ Som förra gången: {what}", "en": "↺ Same as last time: {what}"},
    "log.btn.next": {"sv": "Nästa ▶", "en": "Next ▶"},
    "log.btn.skip": {"sv": "Hoppa över", "en": "Skip"},
    "log.btn.back": {"sv": "◀ Tillbaka", "en": "◀ Back"},
    "log.btn.cancel": {"sv": "✖ Avbryt", "en": "✖ Cancel"},
    "log.btn.confirm": {"sv": "✅ Spara", "en": "✅ Save"},
    "log.cancelled": {"sv": "Ingen insats loggades.", "en": "No work was logged."},
    "log.saved": {
        "sv": "✅ Insats #{number} sparad: {type}, {duration}.",
        "en": "✅ Entry #{number} saved: {type}, {duration}.",
    },
    "log.ask_after_flag": {
        "sv": "Flagga #{number} är löst. Vill du logga vad som gjordes?",
        "en": "Flag #{number} is resolved. Log what was done?",
    },
    "log.btn.log_flag": {"sv": "📝 Logga insats", "en": "📝 Log work"},
    # /mylog
    "mylog.title": {
        "sv": "📝 <b>Mina insatser den här veckan</b> ({count})",
        "en": "📝 <b>My work this week</b> ({count})",
    },
    "mylog.group_title": {
        "sv": "📝 <b>Insatser i mina grupper den här veckan</b> ({count})",
        "en": "📝 <b>Work in my groups this week</b> ({count})",
    },
    "mylog.none": {"sv": "Inga insatser än.", "en": "Nothing logged yet."},
    "mylog.line": {
        "sv": "#{number} {when} · {type} · {duration}",
        "en": "#{number} {when} · {type} · {duration}",
    },
    "mylog.mix": {
        "sv": "Gruppen senaste 7 dagarna: {boundary} h gränssättande, {relationship} h "
        "relationsbyggande ({share}){target}.",
        "en": "The group, last 7 days: {boundary} h boundary-setting, {relationship} h "
        "relationship-building ({share}){target}.",
    },
    "mylog.target": {
        "sv": " — mål {target} % ({phase})",
        "en": " — target {target}% ({phase})",
    },
    "mylog.btn.group": {"sv": "Gruppens insatser", "en": "Group entries"},
    "entry.card": {
        "sv": "📝 <b>Insats #{number}</b> · {when}\n{kind}: {type}\nTillsammans med: {partners}\n"
        "Boende: {residents} · Tid: {duration}\nGrupp: {group} · {agency}{flag}{note}",
        "en": "📝 <b>Entry #{number}</b> · {when}\n{kind}: {type}\nTogether with: {partners}\n"
        "Residents: {residents} · Time: {duration}\nGroup: {group} · {agency}{flag}{note}",
    },
    "entry.btn.residents": {"sv": "Ändra boende", "en": "Change residents"},
    "entry.btn.duration": {"sv": "Ändra tid", "en": "Change time"},
    "entry.btn.note": {"sv": "Ändra anteckning", "en": "Change note"},
    "entry.btn.delete": {"sv": "🗑 Ta bort", "en": "🗑 Delete"},
    "entry.pick_residents": {"sv": "Hur många boende?", "en": "How many residents?"},
    "entry.pick_duration": {"sv": "Hur lång tid?", "en": "How long?"},
    "entry.ask_note": {
        "sv": "Skriv den nya anteckningen för insats #{number}.",
        "en": "Write the new note for entry #{number}.",
    },
    "entry.confirm_delete": {
        "sv": "Ta bort insats #{number}? Det går inte att ångra.",
        "en": "Delete entry #{number}? This cannot be undone.",
    },
    "entry.changed": {"sv": "Insats #{number} ändrad.", "en": "Entry #{number} changed."},
    "entry.deleted": {"sv": "Insats #{number} borttagen.", "en": "Entry #{number} deleted."},
    # Phases and balance
    "phase.fight": {"sv": "bekämpa", "en": "fight"},
    "phase.prevent": {"sv": "förebygga", "en": "prevent"},
    "digest.balance": {
        "sv": "⚖️ Senaste 7 dagarna: {share} relationsbyggande ({hours} h loggat){target}.",
        "en": "⚖️ Last 7 days: {share} relationship-building ({hours} h logged){target}.",
    },
    "digest.balance_none": {
        "sv": "⚖️ Senaste 7 dagarna: inga insatser loggade{target}.",
        "en": "⚖️ Last 7 days: no work logged{target}.",
    },
    "balance.target": {"sv": " — mål {target} % ({phase})", "en": " — target {target}% ({phase})"},
    "balance.below": {
        "sv": "⚖️ <b>{group}</b> har legat under sitt mål i två veckor: {first} och {second} "
        "relationsbyggande mot målet {target} %.",
        "en": "⚖️ <b>{group}</b> has been below its target for two weeks: {first} and {second} "
        "relationship-building against a target of {target}%.",
    },
    "balance.recovered": {
        "sv": "⚖️ <b>{group}</b> når sitt mål igen: {share} relationsbyggande senaste veckan "
        "(mål {target} %).",
        "en": "⚖️ <b>{group}</b> meets its target again: {share} relationship-building last "
        "week (target {target}%).",
    },
}
