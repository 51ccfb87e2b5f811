"""Catalogue texts of privacy: the notice, a person's data, offboarding and the read log."""

from __future__ import annotations

PRIVACY: dict[str, dict[str, str]] = {
    "cmd.privacy": {"sv": "Vad som sparas om dig och hur länge",
                    "en": "What is stored about you, and for how long"},
    "privacy.notice": {
        "sv": "🔒 <b>Integritet</b>\n"
        "<b>Vad sparas:</b> ditt namn och användarnamn i Telegram, myndighet, roll, grupper och "
        "språk; dina pass, in- och utcheckningar (exakt position bara i {location_h} timmar, "
        "sedan bara om du var inom området och avståndet); det du skriver i signaler, "
        "kommentarer, överlämningar, notiser och arbetsloggen.\n"
        "<b>Varför:</b> för att bemanna grupperna, förmedla signaler mellan myndigheterna och "
        "följa upp arbetet.\n"
        "<b>Hur länge:</b> stängda signaler {flag_days} dagar, överlämningar {handover_days} "
        "dagar, notiser {notice_days} dagar, anteckningar i arbetsloggen {work_days} dagar, "
        "in- och utcheckningar {presence_days} dagar, granskningsloggen {audit_days} dagar. "
        "Därefter finns bara antal kvar, för utvärderingen.\n"
        "<b>Vem ser vad:</b> en signal ses av din myndighet, de myndigheter den riktas till och "
        "gruppens samordnare; varje läsning loggas.\n"
        "<b>Dina data:</b> /me → Mina data. Frågor, rättelser eller radering: din samordnare "
        "eller systemets administratör. Läs det här igen med /privacy.",
        "en": "🔒 <b>Privacy</b>\n"
        "<b>What is stored:</b> your Telegram name and username, agency, role, groups and "
        "language; your shifts, check-ins and check-outs (the exact position for {location_h} "
        "hours only, then only whether you were inside the area and the distance); what you "
        "write in flags, comments, handovers, notices and the work log.\n"
        "<b>Why:</b> to staff the groups, pass flags between the agencies and follow up the "
        "work.\n"
        "<b>For how long:</b> closed flags {flag_days} days, handovers {handover_days} days, "
        "notices {notice_days} days, work-log notes {work_days} days, check-ins "
        "{presence_days} days, the audit log {audit_days} days. After that only counts remain, "
        "for the evaluation.\n"
        "<b>Who sees what:</b> a flag is seen by your agency, the agencies it is for and the "
        "group's coordinators; every read is logged.\n"
        "<b>Your data:</b> /me → My data. Questions, corrections or erasure: your coordinator "
        "or the system's administrator. Read this again with /privacy.",
    },
    "me.my_data": {"sv": "📦 Mina data", "en": "📦 My data"},
    "me.export_caption": {
        "sv": "Allt boten sparar om dig: {rows} rader ur {tables} tabeller (JSON och CSV).",
        "en": "Everything the bot stores about you: {rows} rows from {tables} tables "
        "(JSON and CSV).",
    },
    "me.export_sending": {"sv": "Packar dina data…", "en": "Packing your data…"},
    "offboard.gaps": {
        "sv": "👋 <b>{name}</b> ({agency}) arbetar inte längre i {group}. Deras {count} "
        "kommande pass är inställda, och de här passen saknar nu bemanning:\n{shifts}",
        "en": "👋 <b>{name}</b> ({agency}) no longer works in {group}. Their {count} coming "
        "shifts are cancelled, and these shifts are now unstaffed:\n{shifts}",
    },
    "offboard.goodbye": {
        "sv": "Din åtkomst till Samverkan har avslutats. Tack för ditt arbete! Dina kommande "
        "pass är inställda. Frågor om dina uppgifter: kontakta din samordnare.",
        "en": "Your access to Samverkan has ended. Thank you for your work! Your coming shifts "
        "are cancelled. Questions about your data: contact your coordinator.",
    },
    "cmd.audit": {"sv": "Vem har läst och gjort vad (signal eller medlem)",
                  "en": "Who read and did what (flag or member)"},
    "audit.usage": {
        "sv": "Skriv <code>/audit flag NUMMER</code> eller <code>/audit member ID</code>.",
        "en": "Send <code>/audit flag NUMBER</code> or <code>/audit member ID</code>.",
    },
    "audit.title": {"sv": "🔎 <b>Granskningslogg för {subject}</b> ({count} poster)",
                    "en": "🔎 <b>Audit trail of {subject}</b> ({count} entries)"},
    "audit.line": {"sv": "{at} · {who} · {action} {what} {detail}",
                   "en": "{at} · {who} · {action} {what} {detail}"},
    "audit.earlier": {"sv": "… och {count} tidigare.", "en": "… and {count} earlier."},
    "audit.who": {"sv": "{name} ({agency}, #{id})", "en": "{name} ({agency}, #{id})"},
    "audit.command_line": {"sv": "kommandoraden", "en": "command line"},
    "audit.of_flag": {"sv": "signal #{number}", "en": "flag #{number}"},
    "audit.of_member": {"sv": "{name} (#{id})", "en": "{name} (#{id})"},
}  # fmt: skip
