"""The text catalogue: key -> {language: template}. Templates are Telegram HTML."""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
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
    # Errors
    "error.generic": {
        "sv": "Något gick fel och inget sparades. Försök igen.",
        "en": "Something went wrong and nothing was saved. Please try again.",
    },
    "error.busy": {
        "sv": "Databasen är upptagen just nu och inget sparades. Försök igen om en stund.",
        "en": "The database is busy right now and nothing was saved. Try again in a moment.",
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
        "sv": "Inbjudan för <b>{role}</b> i {group}{agency} (gäller till {expires}, "
        "{uses} användning(ar)). Skicka länken till personen:\n\n{link}",
        "en": "Invite for <b>{role}</b> in {group}{agency} (valid until {expires}, "
        "{uses} use(s)). Send the link to the person:\n\n{link}",
    },
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
}
