"""The text catalogue: key -> {language: template}. Templates are Telegram HTML."""

from __future__ import annotations

from bot.catalogue_board import BOARD
from bot.catalogue_duty import DUTY
from bot.catalogue_flags import FLAGS
from bot.catalogue_flows import FLOWS
from bot.catalogue_presence import PRESENCE
from bot.catalogue_privacy import PRIVACY
from bot.catalogue_reminders import REMINDERS
from bot.catalogue_reports import REPORTS
from bot.catalogue_shifts import SHIFTS
from bot.catalogue_worklog import WORKLOG

_CORE: dict[str, dict[str, str]] = {
    # How long ago (bot.i18n.ago); a plural text has a key per form of the language's rule.
    "time.just_now": {"sv": "nyss", "en": "just now"},
    "time.minutes_ago.one": {"sv": "{count} min sedan", "en": "{count} min ago"},
    "time.minutes_ago.other": {"sv": "{count} min sedan", "en": "{count} min ago"},
    "time.hours_ago.one": {"sv": "{count} timme sedan", "en": "{count} hour ago"},
    "time.hours_ago.other": {"sv": "{count} timmar sedan", "en": "{count} hours ago"},
    "time.days_ago.one": {"sv": "{count} dag sedan", "en": "{count} day ago"},
    "time.days_ago.other": {"sv": "{count} dagar sedan", "en": "{count} days ago"},
    # Access
    "auth.not_registered": {
        "sv": "Du är inte registrerad. Be din samordnare om en inbjudningslänk.",
        "en": "You are not registered. Ask your coordinator for an invite link.",
    },
    "auth.not_allowed": {
        "sv": "Det här får du inte göra.",
        "en": "You are not allowed to do that.",
    },
    "auth.stale_button": {
        "sv": "Den här knappen gäller inte längre.",
        "en": "This button is no longer valid.",
    },
    "group.private_only": {
        "sv": "Jag arbetar bara i privata chattar, där det du berättar stannar mellan oss."
        " Skriv till mig direkt: @{bot}",
        "en": "I only work in private chats, where what you tell me stays between us."
        " Write to me directly: @{bot}",
    },
    # Errors
    "error.generic": {
        "sv": "Något gick fel och inget sparades. Försök igen.",
        "en": "Something went wrong and nothing was saved. Please try again.",
    },
    "error.busy": {
        "sv": "Databasen är upptagen just nu och inget sparades. Försök igen om en stund.",
        "en": "The database is busy right now and nothing was saved. Try again in a moment.",
    },
    "error.after_save": {
        "sv": "Din ändring sparades, men något gick fel när jag skulle svara."
        " Kontrollera resultatet innan du försöker igen.",
        "en": "Your change was saved, but something went wrong while answering."
        " Check the result before you try again.",
    },
    "error.unknown_group": {"sv": "Okänd grupp.", "en": "Unknown group."},
    "error.unknown_agency": {"sv": "Okänd myndighet.", "en": "Unknown agency."},
    "error.unknown_member": {"sv": "Okänd medlem.", "en": "Unknown member."},
    "error.group_exists": {
        "sv": "Det finns redan en grupp med det namnet.",
        "en": "A group with that name exists already.",
    },
    "error.unknown_command": {
        "sv": "Okänt kommando. Skriv /help för att se vad du kan göra.",
        "en": "Unknown command. Send /help to see what you can do.",
    },
    "error.not_understood": {
        "sv": "Jag förstod inte det. Skriv /help för att se vad du kan göra.",
        "en": "I did not understand that. Send /help to see what you can do.",
    },
    # /start
    "start.welcome_new": {
        "sv": "Välkommen, {name}! Du är nu registrerad som <b>{role}</b>{agency}{group}.\n\n"
        "Skriv /help för att se vad du kan göra.",
        "en": "Welcome, {name}! You are now registered as <b>{role}</b>{agency}{group}.\n\n"
        "Send /help to see what you can do.",
    },
    "start.welcome_back": {
        "sv": "Välkommen tillbaka, {name}! Du är <b>{role}</b>{agency}{group}.\n\n"
        "Skriv /help för att se vad du kan göra.",
        "en": "Welcome back, {name}! You are <b>{role}</b>{agency}{group}.\n\n"
        "Send /help to see what you can do.",
    },
    "start.agency_kept": {
        "sv": "Inbjudan gjordes för en annan myndighet. Din myndighet är fortfarande {agency} "
        "i alla dina grupper; en administratör kan ändra den.",
        "en": "This invite was made for another agency. Your agency is still {agency} in all "
        "your groups; an admin can change it.",
    },
    "start.no_agency": {
        "sv": "Inbjudan gjordes för en myndighet. Du har ingen myndighet registrerad och "
        "inbjudan ändrar inte det; en administratör kan ange den.",
        "en": "This invite was made for an agency. You have no agency on record and an invite "
        "does not change that; an admin can set it.",
    },
    "start.agency_part": {"sv": " för {agency}", "en": " for {agency}"},
    "start.group_part": {"sv": " i gruppen {group}", "en": " in the group {group}"},
    "start.already": {
        "sv": "Du är redan registrerad. Skriv /help för att se vad du kan göra.",
        "en": "You are already registered. Send /help to see what you can do.",
    },
    "start.no_code": {
        "sv": "Hej! Samverkan är för aktionsgruppernas medarbetare. "
        "Öppna inbjudningslänken du fått av din samordnare för att registrera dig.",
        "en": "Hello! Samverkan is for the action groups' staff. "
        "Open the invite link your coordinator gave you to register.",
    },
    "start.invite_invalid": {
        "sv": "Den inbjudan gäller inte (fel kod, redan använd eller för gammal). "
        "Be din samordnare om en ny länk.",
        "en": "That invite is not valid (wrong code, already used or expired). "
        "Ask your coordinator for a new link.",
    },
    "start.deactivated": {
        "sv": "Ditt konto är avstängt. Kontakta din samordnare.",
        "en": "Your account has been deactivated. Contact your coordinator.",
    },
    # Roles
    "role.expert": {"sv": "expert", "en": "expert"},
    "role.coordinator": {"sv": "samordnare", "en": "coordinator"},
    "role.admin": {"sv": "administratör", "en": "administrator"},
    # /help and the command menu
    "help.title": {"sv": "<b>Det här kan du göra</b>", "en": "<b>What you can do</b>"},
    "help.section.start": {"sv": "<b>Börja här</b>", "en": "<b>Start here</b>"},
    "help.section.shift": {"sv": "<b>Under passet</b>", "en": "<b>During a shift</b>"},
    "help.section.coordinating": {"sv": "<b>Samordning</b>", "en": "<b>Coordinating</b>"},
    "help.section.admin": {"sv": "<b>Administration</b>", "en": "<b>Admin</b>"},
    "help.stranger": {
        "sv": "Samverkan är för aktionsgruppernas medarbetare. Öppna inbjudningslänken "
        "från din samordnare för att registrera dig.",
        "en": "Samverkan is for the action groups' staff. Open the invite link from your "
        "coordinator to register.",
    },
    "cmd.start": {"sv": "Registrera dig med en inbjudan", "en": "Register with an invite"},
    "cmd.help": {"sv": "Visa vad du kan göra", "en": "Show what you can do"},
    "cmd.me": {"sv": "Visa vad boten sparar om dig", "en": "Show what the bot stores about you"},
    "cmd.language": {"sv": "Byt språk", "en": "Change language"},
    "cmd.invite": {"sv": "Skapa en inbjudningslänk", "en": "Create an invite link"},
    "cmd.members": {"sv": "Visa och hantera medlemmar", "en": "List and manage members"},
    # /me
    "me.card": {
        "sv": "<b>Det här sparar boten om dig</b>\n"
        "Namn: {name}\nAnvändarnamn: {username}\nTelegram-id: {tid}\nMedlems-id: {mid}\n"
        "Roll: {role}\nMyndighet: {agency}\nGrupper: {groups}\nSpråk: {language}\n"
        "Registrerad: {since}",
        "en": "<b>What the bot stores about you</b>\n"
        "Name: {name}\nUsername: {username}\nTelegram id: {tid}\nMember id: {mid}\n"
        "Role: {role}\nAgency: {agency}\nGroups: {groups}\nLanguage: {language}\n"
        "Registered: {since}",
    },
    "me.none": {"sv": "–", "en": "–"},
    # /language
    "language.choose": {"sv": "Välj språk:", "en": "Choose a language:"},
    "language.set": {"sv": "Språket är nu svenska.", "en": "The language is now English."},
    "language.sv": {"sv": "Svenska", "en": "Svenska"},
    "language.en": {"sv": "English", "en": "English"},
    # /invite
    "invite.choose_group": {
        "sv": "Vilken grupp gäller inbjudan?",
        "en": "Which group is the invite for?",
    },
    "invite.choose_agency": {
        "sv": "Grupp: {group}\nVilken myndighet?",
        "en": "Group: {group}\nWhich agency?",
    },
    "invite.choose_role": {
        "sv": "Grupp: {group}\nMyndighet: {agency}\nVilken roll?",
        "en": "Group: {group}\nAgency: {agency}\nWhich role?",
    },
    "invite.no_agency": {"sv": "Ingen myndighet", "en": "No agency"},
    "invite.no_groups": {
        "sv": "Det finns inga grupper som du samordnar.",
        "en": "There are no groups you coordinate.",
    },
    "invite.created": {
        "sv": "Inbjudan som <b>{role}</b>: {agency}{group}, {places}, gäller {days} dagar (till"
        " {expires}). Skicka länken:\n\n{link}",
        "en": "Invite as <b>{role}</b>: {agency}{group}, {places}, valid {days} days (until"
        " {expires}). Send the link:\n\n{link}",
    },
    "invite.choose_size": {
        "sv": "Grupp: {group}\nMyndighet: {agency}\nHur många platser?",
        "en": "Group: {group}\nAgency: {agency}\nHow many places?",
    },
    "invite.size_one": {"sv": "1 person · {days} dagar", "en": "1 person · {days} days"},
    "invite.size_many": {
        "sv": "{uses} platser · {days} dagar",
        "en": "{uses} places · {days} days",
    },
    "invite.places_one": {"sv": "1 plats", "en": "1 place"},
    "invite.places": {"sv": "{uses} platser", "en": "{uses} places"},
    "invite.link_unknown": {
        "sv": "Koden (skicka som /start-kod):\n<code>{code}</code>",
        "en": "The code (send as a /start code):\n<code>{code}</code>",
    },
    # /members
    "members.choose_group": {"sv": "Vilken grupp?", "en": "Which group?"},
    "members.title": {
        "sv": "<b>Medlemmar i {group}</b> ({count})",
        "en": "<b>Members of {group}</b> ({count})",
    },
    "members.number": {"sv": "nr {id}", "en": "no. {id}"},
    "members.no_agency": {"sv": "Utan myndighet", "en": "No agency"},
    "members.inactive": {"sv": "avstängd", "en": "deactivated"},
    "members.empty": {"sv": "Inga medlemmar ännu.", "en": "No members yet."},
    "members.deactivate_button": {"sv": "Stäng av {name}", "en": "Deactivate {name}"},
    "members.confirm": {
        "sv": "Stänga av {name} ({agency})? Personen förlorar all åtkomst direkt.",
        "en": "Deactivate {name} ({agency})? They lose all access at once.",
    },
    "members.yes": {"sv": "Ja, stäng av", "en": "Yes, deactivate"},
    "members.no": {"sv": "Avbryt", "en": "Cancel"},
    "members.deactivated": {"sv": "{name} är avstängd.", "en": "{name} is deactivated."},
    "members.cancelled": {"sv": "Avbrutet.", "en": "Cancelled."},
    "members.not_self": {
        "sv": "Du kan inte stänga av dig själv.",
        "en": "You cannot deactivate yourself.",
    },
    "members.more": {
        "sv": "… och {count} till.",
        "en": "… and {count} more.",
    },
    # Delivery
    "delivery.unreachable": {
        "sv": "⚠️ {name} ({agency}) kan inte nås: personen har blockerat boten. Meddelanden "
        "till dem väntar tills de skriver till boten igen.",
        "en": "⚠️ {name} ({agency}) cannot be reached: they blocked the bot. Messages to them "
        "wait until they write to the bot again.",
    },
    "delivery.unreachable_many": {
        "sv": "⚠️ {count} personer kan inte nås: de har blockerat boten. Meddelanden till dem "
        "väntar tills de skriver till boten igen.\n{names}",
        "en": "⚠️ {count} people cannot be reached: they blocked the bot. Messages to them "
        "wait until they write to the bot again.\n{names}",
    },
    "delivery.unreachable_person": {"sv": "• {name} ({agency})", "en": "• {name} ({agency})"},
    "delivery.reachable_again": {
        "sv": "✅ Alla kan nås igen.",
        "en": "✅ Everyone can be reached again.",
    },
    # Notices
    "cmd.notice": {"sv": "Skicka ett meddelande till din grupp", "en": "Send a notice"},
    "cmd.notices": {"sv": "Senaste meddelanden och läskvitton", "en": "Recent notices"},
    "cmd.cancel": {"sv": "Avbryt det du håller på med", "en": "Cancel what you are doing"},
    "notice.ask_text": {
        "sv": "Skriv meddelandet (högst 3 500 tecken). Det visas exakt som du skriver det. "
        "/cancel avbryter.",
        "en": "Write the notice (up to 3,500 characters). It is shown exactly as you type it. "
        "/cancel stops.",
    },
    "notice.empty": {"sv": "Meddelandet är tomt.", "en": "The notice is empty."},
    "notice.too_long": {
        "sv": "Meddelandet är för långt (högst 3 500 tecken). Korta det och skicka igen.",
        "en": "The notice is too long (at most 3,500 characters). Shorten it and send again.",
    },
    "notice.no_draft": {
        "sv": "Inget meddelande håller på att skrivas. Börja med /notice.",
        "en": "No notice is being written. Start with /notice.",
    },
    "notice.audience_first": {
        "sv": "Välj först vem som ska få meddelandet.",
        "en": "Choose who gets the notice first.",
    },
    "notice.no_recipients": {
        "sv": "Ingen finns i den mottagargruppen. Välj en annan.",
        "en": "Nobody is in that audience. Choose another.",
    },
    "notice.unknown": {
        "sv": "Meddelandet finns inte eller är återkallat.",
        "en": "That notice does not exist or was withdrawn.",
    },
    "notice.choose_audience": {"sv": "Vem ska få meddelandet?", "en": "Who should get it?"},
    "notice.aud.mine": {"sv": "Alla i mina grupper", "en": "Everyone in my groups"},
    "notice.aud.group": {"sv": "En grupp", "en": "One group"},
    "notice.aud.agencies": {"sv": "Valda myndigheter", "en": "Chosen agencies"},
    "notice.aud.on_duty": {"sv": "De som är i tjänst nu", "en": "Those on duty now"},
    "notice.aud.coordinators": {"sv": "Endast samordnare", "en": "Coordinators only"},
    "notice.choose_group": {"sv": "Vilken grupp?", "en": "Which group?"},
    "notice.choose_agencies": {
        "sv": "Välj myndigheter och tryck Klar.",
        "en": "Choose agencies, then press Done.",
    },
    "notice.done": {"sv": "Klar", "en": "Done"},
    # What "Skicka till 3" also answers to when typed.
    "notice.send_word": {"sv": "Skicka", "en": "Send"},
    "notice.sending": {"sv": "📢 Skickar …", "en": "📢 Sending …"},
    "notice.cancel": {"sv": "Avbryt", "en": "Cancel"},
    "notice.cancelled": {"sv": "Meddelandet skickades inte.", "en": "The notice was not sent."},
    "notice.preview": {
        "sv": "<b>Förhandsvisning</b>\n\n{text}\n\n———\nTill: {audience} ({groups})\n"
        "Mottagare: <b>{count}</b>\nLäskvitto: {confirm}",
        "en": "<b>Preview</b>\n\n{text}\n\n———\nTo: {audience} ({groups})\n"
        "Recipients: <b>{count}</b>\nRead confirmation: {confirm}",
    },
    "notice.yes": {"sv": "ja", "en": "yes"},
    "notice.no": {"sv": "nej", "en": "no"},
    "notice.toggle_confirm": {"sv": "Läskvitto på/av", "en": "Confirmation on/off"},
    "notice.send_button": {"sv": "Skicka till {count}", "en": "Send to {count}"},
    "notice.header": {
        "sv": "📢 <b>Meddelande #{number} från {author}</b>",
        "en": "📢 <b>Notice #{number} from {author}</b>",
    },
    "notice.confirm_hint": {
        "sv": "<i>Bekräfta att du har läst det.</i>",
        "en": "<i>Please confirm that you have read it.</i>",
    },
    "notice.confirm_button": {"sv": "✅ Jag har läst det", "en": "✅ I have read it"},
    "notice.confirmed_by_you": {
        "sv": "✅ Du bekräftade kl. {time}.",
        "en": "✅ You confirmed at {time}.",
    },
    "notice.withdrawn_banner": {
        "sv": "🚫 <b>Återkallat</b> av samordnaren.",
        "en": "🚫 <b>Withdrawn</b> by the coordinator.",
    },
    "notice.reminder_banner": {
        "sv": "⏰ <b>Påminnelse:</b> bekräfta att du har läst meddelandet.",
        "en": "⏰ <b>Reminder:</b> please confirm that you have read this notice.",
    },
    "notice.status_title": {
        "sv": "📢 <b>Meddelande #{number}</b>",
        "en": "📢 <b>Notice #{number}</b>",
    },
    "notice.status_withdrawn": {"sv": "🚫 Återkallat.", "en": "🚫 Withdrawn."},
    "notice.progress": {"sv": "Skickat {sent} av {total} …", "en": "Sent {sent} of {total} …"},
    "notice.final": {
        "sv": "Levererat: {delivered} · Kan inte nås: {unreachable} · Misslyckat: {failed}",
        "en": "Delivered: {delivered} · Unreachable: {unreachable} · Failed: {failed}",
    },
    "notice.confirmed": {
        "sv": "Läst och bekräftat: {confirmed} av {of}",
        "en": "Confirmed: {confirmed} of {of}",
    },
    "notice.remind_button": {
        "sv": "⏰ Påminn de som inte bekräftat",
        "en": "⏰ Remind those who have not confirmed",
    },
    "notice.who_button": {"sv": "👥 Vilka har inte bekräftat", "en": "👥 Who has not confirmed"},
    "notice.who_title": {
        "sv": "Meddelande #{number} — inte bekräftat ({count} av {of}):",
        "en": "Notice #{number} — not confirmed ({count} of {of}):",
    },
    "notice.who_line": {"sv": "{agency}: {names}", "en": "{agency}: {names}"},
    "notice.who_none": {"sv": "Alla har bekräftat. ✓", "en": "Everyone has confirmed. ✓"},
    "notice.back": {"sv": "◀ Tillbaka", "en": "◀ Back"},
    "notice.agency_first": {
        "sv": "Välj minst en myndighet först.",
        "en": "Choose at least one agency first.",
    },
    "notice.withdraw_button": {"sv": "🚫 Återkalla", "en": "🚫 Withdraw"},
    "notice.reminded": {"sv": "Påminnelse skickas till {count}.", "en": "Reminding {count}."},
    "notice.already_reminded": {
        "sv": "De som inte bekräftat har redan fått en påminnelse.",
        "en": "Those who had not confirmed were reminded already.",
    },
    "notice.withdrawn_done": {
        "sv": "Meddelandet är återkallat.",
        "en": "The notice is withdrawn.",
    },
    "notices.title": {"sv": "<b>Senaste meddelanden</b>", "en": "<b>Recent notices</b>"},
    "notices.none": {"sv": "Inga meddelanden ännu.", "en": "No notices yet."},
    "notices.line": {
        "sv": "#{number} {date} — {snippet}\n   {figures}",
        "en": "#{number} {date} — {snippet}\n   {figures}",
    },
}

CATALOGUE: dict[str, dict[str, str]] = {
    **_CORE,
    **SHIFTS,
    **DUTY,
    **FLAGS,
    **REMINDERS,
    **WORKLOG,
    **BOARD,
    **REPORTS,
    **PRIVACY,
    **FLOWS,
    **PRESENCE,
}
