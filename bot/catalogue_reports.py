"""Catalogue texts for /report, its charts, the workbook and the PDF.

Chart and PDF texts are plain (no HTML): they are drawn, not sent with a parse mode. Captions
are sent as Telegram HTML, but hold only numbers and agency codes.
"""

from __future__ import annotations

REPORTS: dict[str, dict[str, str]] = {
    "cmd.report": {"sv": "Rapport med diagram och Excel", "en": "Report with charts and Excel"},
    "report.pick_groups": {
        "sv": "📊 <b>Rapport</b>\nVilken grupp?",
        "en": "📊 <b>Report</b>\nWhich group?",
    },
    "report.all_groups": {"sv": "Alla grupper", "en": "All groups"},
    "report.pick_period": {
        "sv": "📊 <b>Rapport</b> för {groups}\nVilken period?",
        "en": "📊 <b>Report</b> for {groups}\nWhich period?",
    },
    "report.period.this_week": {"sv": "Den här veckan", "en": "This week"},
    "report.period.last_week": {"sv": "Förra veckan", "en": "Last week"},
    "report.period.this_month": {"sv": "Den här månaden", "en": "This month"},
    "report.period.last_month": {"sv": "Förra månaden", "en": "Last month"},
    "report.period.last_12_months": {"sv": "Senaste 12 månaderna", "en": "Last 12 months"},
    "report.progress.data": {
        "sv": "📊 Hämtar siffrorna…",
        "en": "📊 Gathering the figures…",
    },
    "report.progress.chart": {
        "sv": "📊 Ritar {number} av {total}…",
        "en": "📊 Drawing {number} of {total}…",
    },
    "report.progress.workbook": {
        "sv": "📊 Skriver Excel-filen…",
        "en": "📊 Writing the workbook…",
    },
    "report.progress.sending": {"sv": "📊 Skickar…", "en": "📊 Sending…"},
    "report.done": {
        "sv": "📊 Rapporten för {groups}, {first} – {last}, är skickad.",
        "en": "📊 The report for {groups}, {first} – {last}, is sent.",
    },
    "report.busy": {
        "sv": "En rapport ritas redan åt dig. Vänta tills den är klar.",
        "en": "A report is already being drawn for you. Wait until it is done.",
    },
    "report.failed": {
        "sv": "Rapporten kunde inte ritas. Försök igen om en stund.",
        "en": "The report could not be drawn. Try again in a while.",
    },
    "report.no_groups": {
        "sv": "Du samordnar ingen grupp att rapportera om.",
        "en": "You run no group to report on.",
    },
    # Chart titles (drawn)
    "chart.coverage.title": {
        "sv": "Dygnet runt, två per myndighet: incheckade i snitt",
        "en": "Round the clock, two per agency: average checked in",
    },
    "chart.coverage.met": {"sv": "minimum uppnått", "en": "minimum met"},
    "chart.coverage.by_hour": {"sv": "timme i veckan", "en": "hour of the week"},
    "chart.coverage.by_day": {"sv": "dag", "en": "day"},
    "chart.mix.title": {
        "sv": "Arbetets fördelning per vecka (andel av loggad tid)",
        "en": "Work mix per week (share of logged time)",
    },
    "chart.mix.target": {"sv": "mål relationsbyggande", "en": "relationship-building target"},
    "chart.together.title": {"sv": "Samverkan mellan myndigheter", "en": "Working together"},
    "chart.together.flags": {"sv": "Flaggor (från → till)", "en": "Flags (from → to)"},
    "chart.together.joint": {"sv": "Gemensamma insatser", "en": "Joint work"},
    "chart.response.title": {
        "sv": "Tid till kvittens per mottagande myndighet",
        "en": "Time to acknowledge per target agency",
    },
    "chart.response.median": {"sv": "median", "en": "median"},
    "chart.response.p90": {"sv": "90:e percentilen", "en": "90th percentile"},
    "chart.response.minutes": {"sv": "minuter (logaritmisk skala)", "en": "minutes (log scale)"},
    "chart.response.deadline": {"sv": "tidsgräns {urgency}", "en": "deadline {urgency}"},
    "chart.reach.title": {
        "sv": "Boende som nåtts av relationsbyggande arbete, per vecka (minst)",
        "en": "Residents reached by relationship-building work, per week (at least)",
    },
    "chart.hours": {"sv": "timmar", "en": "hours"},
    "chart.share": {"sv": "andel %", "en": "share %"},
    "chart.nothing": {"sv": "Inga data för perioden", "en": "No data for the period"},
    "chart.hidden": {
        "sv": "Sekretessmarkerade myndigheter ingår i summorna men visas inte separat.",
        "en": "Confidential agencies count in the totals but are not shown separately.",
    },
    # Captions (sent with the album; one key number each)
    "caption.coverage": {
        "sv": "1/5 Dygnet runt: minimum uppnått {share} av tiden (alla myndigheter).",
        "en": "1/5 Round the clock: minimum met {share} of the time (all agencies).",
    },
    "caption.mix": {
        "sv": "2/5 Arbetets fördelning: {share} relationsbyggande{target}.",
        "en": "2/5 Work mix: {share} relationship-building{target}.",
    },
    "caption.mix_target": {"sv": " (mål {target} %)", "en": " (target {target}%)"},
    "caption.together": {
        "sv": "3/5 Samverkan: {flags} flaggor mellan myndigheter, {joint} gemensamma insatser.",
        "en": "3/5 Working together: {flags} flags between agencies, {joint} joint activities.",
    },
    "caption.response": {
        "sv": "4/5 Kvittens: {share} i tid, median {median}.",
        "en": "4/5 Responsiveness: {share} acknowledged in time, median {median}.",
    },
    "caption.reach": {
        "sv": "5/5 Räckvidd: minst {people} boende nådda i {count} relationsbyggande insatser.",
        "en": "5/5 Reach: at least {people} residents reached in {count} relationship-building "
        "activities.",
    },
    # Key figures (the PDF's first page and the workbook's summary)
    "key.title": {"sv": "Samverkan – nyckeltal", "en": "Samverkan – key figures"},
    "key.groups": {"sv": "Grupper", "en": "Groups"},
    "key.period": {"sv": "Period", "en": "Period"},
    "key.hours_in_period": {
        "sv": "Timmar i perioden (alla grupper)",
        "en": "Hours in the period (all groups)",
    },
    "key.staffed_hours": {"sv": "Bemannade timmar", "en": "Hours staffed"},
    "key.flags_raised": {"sv": "Flaggor", "en": "Flags raised"},
    "key.flags_acknowledged": {"sv": "Flaggor kvitterade", "en": "Flags acknowledged"},
    "key.flags_resolved": {"sv": "Flaggor lösta", "en": "Flags resolved"},
    "key.median_ack": {
        "sv": "Median tid till kvittens (min)",
        "en": "Median time to acknowledge (min)",
    },
    "key.boundary": {
        "sv": "Gränssättande insatser (antal, timmar)",
        "en": "Boundary-setting work (count, hours)",
    },
    "key.relationship": {
        "sv": "Relationsbyggande insatser (antal, timmar)",
        "en": "Relationship-building work (count, hours)",
    },
    "key.relationship_pct": {
        "sv": "Andel relationsbyggande (%)",
        "en": "Relationship-building share (%)",
    },
    "key.target_pct": {"sv": "Mål (%)", "en": "Target (%)"},
    "key.residents": {"sv": "Boende nådda (minst)", "en": "Residents reached (at least)"},
    "key.met_title": {
        "sv": "Andel av tiden med minst minimum på plats, per myndighet",
        "en": "Share of the time each agency met the minimum",
    },
    "key.types_title": {
        "sv": "Insatser per typ (antal, timmar)",
        "en": "Work by type (count, hours)",
    },
    # Workbook sheets and columns
    "sheet.summary": {"sv": "Nyckeltal", "en": "Key figures"},
    "sheet.coverage": {"sv": "Bemanning", "en": "Coverage"},
    "sheet.mix": {"sv": "Fördelning", "en": "Work mix"},
    "sheet.types": {"sv": "Insatstyper", "en": "Work types"},
    "sheet.flags": {"sv": "Flaggor", "en": "Flags"},
    "sheet.joint": {"sv": "Gemensamt", "en": "Joint work"},
    "sheet.response": {"sv": "Kvittens", "en": "Responsiveness"},
    "sheet.reach": {"sv": "Räckvidd", "en": "Reach"},
    "sheet.attendance": {"sv": "Närvaro", "en": "Attendance"},
    "col.figure": {"sv": "Nyckeltal", "en": "Figure"},
    "col.value": {"sv": "Värde", "en": "Value"},
    "col.agency": {"sv": "Myndighet", "en": "Agency"},
    "col.met": {"sv": "Minimum uppnått (andel)", "en": "Minimum met (share)"},
    "col.week": {"sv": "Vecka", "en": "Week"},
    "col.boundary_h": {"sv": "Gränssättande (h)", "en": "Boundary-setting (h)"},
    "col.relationship_h": {"sv": "Relationsbyggande (h)", "en": "Relationship-building (h)"},
    "col.share": {"sv": "Andel relationsbyggande", "en": "Relationship-building share"},
    "col.target": {"sv": "Mål", "en": "Target"},
    "col.kind": {"sv": "Slag", "en": "Kind"},
    "col.type": {"sv": "Typ", "en": "Type"},
    "col.count": {"sv": "Antal", "en": "Count"},
    "col.hours": {"sv": "Timmar", "en": "Hours"},
    "col.from_to": {"sv": "Från \\ till", "en": "From \\ to"},
    "col.flags": {"sv": "Flaggor", "en": "Flags"},
    "col.acknowledged": {"sv": "Kvitterade", "en": "Acknowledged"},
    "col.in_time": {"sv": "I tid", "en": "In time"},
    "col.median_min": {"sv": "Median (min)", "en": "Median (min)"},
    "col.p90_min": {"sv": "90:e percentil (min)", "en": "90th percentile (min)"},
    "col.residents": {"sv": "Boende (minst)", "en": "Residents (at least)"},
    "col.activities": {"sv": "Insatser", "en": "Activities"},
    "col.member": {"sv": "Medlem", "en": "Member"},
    "col.hours_in": {"sv": "Timmar incheckad", "en": "Hours checked in"},
    "col.slot": {"sv": "Tid", "en": "Time"},
}
