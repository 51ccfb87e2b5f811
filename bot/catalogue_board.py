"""Catalogue texts for the residents' board (a public channel), its preview and the poster."""

from __future__ import annotations

_PUBLIC: dict[str, dict[str, str]] = {
    "board.title": {
        "sv": "🏢 <b>{group}</b> — myndighetsgemensam aktionsgrupp",
        "en": "🏢 <b>{group}</b> — multi-agency action group",
    },
    "board.staffed": {
        "sv": "🟢 <b>Kontoret är bemannat.</b>",
        "en": "🟢 <b>The office is staffed.</b>",
    },
    "board.present": {
        "sv": "På plats: {agencies} — {count} av {total} myndigheter",
        "en": "Here: {agencies} — {count} of {total} agencies",
    },
    "board.present_count": {
        "sv": "På plats: {count} av {total} myndigheter",
        "en": "Here: {count} of {total} agencies",
    },
    "board.unstaffed": {
        "sv": "⚪ <b>Kontoret är inte bemannat just nu.</b>",
        "en": "⚪ <b>The office is not staffed right now.</b>",
    },
    "board.hours": {"sv": "🕘 Öppettider: {value}", "en": "🕘 Opening hours: {value}"},
    "board.address": {"sv": "📍 Adress: {value}", "en": "📍 Address: {value}"},
    "board.contact": {"sv": "📞 Kontakt: {value}", "en": "📞 Contact: {value}"},
    "board.work_title": {
        "sv": "<b>Förra veckan (v. {week})</b> i relationsbyggande arbete:",
        "en": "<b>Last week (week {week})</b>, relationship-building work:",
    },
    "board.work_line": {"sv": "• {label}: {count}", "en": "• {label}: {count}"},
    "board.work_other": {
        "sv": "• Annat relationsbyggande arbete: {count}",
        "en": "• Other relationship-building work: {count}",
    },
    "board.reached": {
        "sv": "Minst {count} boende nåddes.",
        "en": "At least {count} residents reached.",
    },
    "board.no_work": {
        "sv": "Inget relationsbyggande arbete registrerades förra veckan (v. {week}).",
        "en": "No relationship-building work was logged last week (week {week}).",
    },
    "board.updated": {
        "sv": "<i>Uppdaterad {when}. Tavlan visar läget med fördröjning.</i>",
        "en": "<i>Updated {when}. The board shows the situation with a delay.</i>",
    },
    "board.replaced": {
        "sv": "ℹ️ <b>{group}</b>\nDen här tavlan är ersatt av det fästa inlägget i {channel}.",
        "en": "ℹ️ <b>{group}</b>\nThis board has been replaced by the pinned post in {channel}.",
    },
    "board.paused": {
        "sv": "⏸ <b>{group}</b>\nTavlan är pausad för tillfället.",
        "en": "⏸ <b>{group}</b>\nThe board is paused for the moment.",
    },
}

_COORDINATORS: dict[str, dict[str, str]] = {
    "cmd.board": {
        "sv": "Anslagstavlan för boende: förhandsvisa, dölj",
        "en": "The residents' board: preview, hide",
    },
    "board.none": {
        "sv": "Ingen av dina grupper har någon anslagstavla. En administratör sätter upp den med "
        "<code>samverkan group publish</code>.",
        "en": "None of your groups has a residents' board. An admin sets one up with "
        "<code>samverkan group publish</code>.",
    },
    "board.preview": {
        "sv": "📋 <b>Anslagstavlan för {group}</b> i {channel}\nLäge: {state}\n"
        "Senast uppdaterad i kanalen: {shown}\n\n"
        "Så här ser den ut med läget just nu. Det syns i kanalen tidigast {public_from}:\n"
        "<blockquote>{text}</blockquote>",
        "en": "📋 <b>Residents' board of {group}</b> in {channel}\nState: {state}\n"
        "Last updated in the channel: {shown}\n\n"
        "This is how it looks with the situation now. The channel shows it at {public_from} "
        "at the earliest:\n<blockquote>{text}</blockquote>",
    },
    "board.no_channel": {"sv": "(ingen kanal än)", "en": "(no channel yet)"},
    "board.state.off": {"sv": "inte publicerad", "en": "not published"},
    "board.state.live": {"sv": "visas", "en": "shown"},
    "board.state.paused": {"sv": "⏸ dold sedan {since}", "en": "⏸ hidden since {since}"},
    "board.state.stopped": {
        "sv": "⚠️ stoppad: Telegram svarade ”{problem}”",
        "en": "⚠️ stopped: Telegram answered “{problem}”",
    },
    "board.never": {"sv": "aldrig", "en": "never"},
    "board.hide_button": {"sv": "⏸ Dölj tavlan nu", "en": "⏸ Hide the board now"},
    "board.show_button": {"sv": "▶️ Visa tavlan igen", "en": "▶️ Show the board again"},
    "board.retry_button": {"sv": "🔁 Försök igen", "en": "🔁 Try again"},
    "board.hidden": {
        "sv": "⏸ Tavlan för {group} är dold. Kanalen visar bara att den är pausad.",
        "en": "⏸ The board of {group} is hidden. The channel only shows that it is paused.",
    },
    "board.shown_again": {
        "sv": "▶️ Tavlan för {group} visas igen från nästa uppdatering, senast {at}.",
        "en": "▶️ The board of {group} is shown again from the next update, by {at}.",
    },
    "board.republished": {
        "sv": "🔁 Tavlan för {group} publiceras igen i {channel}, senast {at}.",
        "en": "🔁 The board of {group} is published again in {channel}, by {at}.",
    },
    "board.stopped": {
        "sv": "⚠️ Anslagstavlan för {group} i {channel} kunde inte uppdateras och är stoppad. "
        "Telegram svarade: ”{reason}”.\n\nBoten måste vara administratör i kanalen med rätt att "
        "publicera och redigera meddelanden. Ordna det i kanalens inställningar och tryck "
        "sedan 🔁 Försök igen under /board.",
        "en": "⚠️ The residents' board of {group} in {channel} could not be updated and has "
        "stopped. Telegram answered: “{reason}”.\n\nThe bot must be an administrator of the "
        "channel with the rights to post and to edit messages. Set that in the channel's "
        "settings, then press 🔁 Try again under /board.",
    },
    "board.lost_rights": {
        "sv": "⚠️ Boten är inte längre administratör i {channel} med rätt att publicera och "
        "redigera meddelanden, så anslagstavlan för {group} är stoppad.\n\nGe boten de "
        "rättigheterna igen i kanalens inställningar och tryck sedan 🔁 Försök igen under /board.",
        "en": "⚠️ The bot is no longer an administrator of {channel} with the rights to post "
        "and to edit messages, so the residents' board of {group} has stopped.\n\nGive the bot "
        "those rights again in the channel's settings, then press 🔁 Try again under /board.",
    },
    "board.channel_not_found": {
        "sv": "Kanalen {channel} finns inte, eller så kan boten inte se den. Kontrollera namnet "
        "och lägg till @{bot} som administratör i kanalen.",
        "en": "The channel {channel} does not exist, or the bot cannot see it. Check the name "
        "and add @{bot} to the channel as an administrator.",
    },
    "board.not_a_channel": {
        "sv": "{channel} är inte en kanal. Anslagstavlan kräver en Telegram-kanal.",
        "en": "{channel} is not a channel. The residents' board needs a Telegram channel.",
    },
    "board.bot_not_admin": {
        "sv": "Boten @{bot} är inte administratör i {channel}. Lägg till den som administratör "
        "med rätt att publicera och redigera meddelanden och försök igen.",
        "en": "The bot @{bot} is not an administrator of {channel}. Add it as an administrator "
        "with the rights to post and to edit messages, then try again.",
    },
    "board.bot_lacks_rights": {
        "sv": "Boten @{bot} är administratör i {channel} men saknar rätt att {rights}. Ge den "
        "rätten i kanalens inställningar och försök igen.",
        "en": "The bot @{bot} is an administrator of {channel} but may not {rights}. Give it "
        "that right in the channel's settings, then try again.",
    },
    "board.right.can_post_messages": {"sv": "publicera meddelanden", "en": "post messages"},
    "board.right.can_edit_messages": {
        "sv": "redigera meddelanden (den fäster tavlan med den)",
        "en": "edit messages (it pins the board with it)",
    },
    "board.and": {"sv": " och ", "en": " and "},
    "digest.board": {
        "sv": "Anslagstavlan i {channel} uppdaterades senast {when}.",
        "en": "The residents' board in {channel} was last updated {when}.",
    },
    "digest.board_never": {
        "sv": "Anslagstavlan i {channel} har inte visats i kanalen än.",
        "en": "The residents' board in {channel} has not reached the channel yet.",
    },
    "digest.board_paused": {
        "sv": "⏸ Tavlan är dold sedan {since}.",
        "en": "⏸ The board is hidden since {since}.",
    },
    "digest.board_stopped": {
        "sv": "⚠️ Tavlan är stoppad: Telegram svarade ”{problem}”. Se /board.",
        "en": "⚠️ The board has stopped: Telegram answered “{problem}”. See /board.",
    },
}

# The poster is printed, not sent: plain text, no Telegram HTML.
_POSTER: dict[str, dict[str, str]] = {
    "poster.heading": {
        "sv": "Myndighetsgemensam aktionsgrupp",
        "en": "Multi-agency action group",
    },
    "poster.agencies": {
        "sv": "Här arbetar {count} myndigheter tillsammans",
        "en": "{count} agencies work together here",
    },
    "poster.hours": {"sv": "Öppettider: {value}", "en": "Opening hours: {value}"},
    "poster.address": {"sv": "Adress: {value}", "en": "Address: {value}"},
    "poster.contact": {"sv": "Kontakt: {value}", "en": "Contact: {value}"},
    "poster.qr": {
        "sv": "Skanna och se om kontoret är bemannat nu: {channel}",
        "en": "Scan to see whether the office is staffed now: {channel}",
    },
    "poster.footer": {
        "sv": "Kanalen visar aldrig namn och visar läget med fördröjning.",
        "en": "The channel never shows names and shows the situation with a delay.",
    },
}

BOARD: dict[str, dict[str, str]] = {**_PUBLIC, **_COORDINATORS, **_POSTER}
