"""Joining and knowing oneself: /start, /help, /me, /language."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.agencies import Directory
from bot.domain.callbacks import Language, MyData
from bot.domain.errors import DomainError
from bot.domain.models import Member
from bot.i18n import Markup, explain, t
from bot.services import members as members_service
from bot.services.invites import redeem_invite
from handlers.access import Guarded, allow, level_of
from handlers.common import answer, edit, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry, entries_for, schedule_menu_sync
from handlers.privacy import notice

MENU = [
    MenuEntry("start", Level.ANYONE, "cmd.start", strangers_only=True),
    MenuEntry("help", Level.ANYONE, "cmd.help"),
    MenuEntry("me", Level.MEMBER, "cmd.me"),
    MenuEntry("language", Level.MEMBER, "cmd.language"),
]


def _role_line(
    lang: str, member: Member, group_name: str | None, agencies: Directory
) -> dict[str, Markup | str]:
    code = member.agency_code
    agency = t(lang, "start.agency_part", agency=agencies.entry(code)) if code else ""
    group = t(lang, "start.group_part", group=group_name) if group_name else ""
    return {
        "name": member.display_name,
        "role": t(lang, f"role.{member.role.value}"),
        "agency": Markup(agency),
        "group": Markup(group),
    }


async def start(update: Update, context: BotContext) -> None:
    """Redeem the invite code of a deep link, or explain how to get one."""
    user = update.effective_user
    assert user is not None
    code = context.args[0] if context.args else None
    if code is None:
        key = "start.already" if context.member else "start.no_code"
        await reply(update, context, t(context.lang, key))
        return
    try:
        result = await redeem_invite(
            context.store,
            code=code,
            telegram_user_id=user.id,
            display_name=user.full_name,
            username=user.username,
            language=context.member.language if context.member else context.lang,
            now=context.now(),
        )
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    lang = result.member.language
    key = "start.welcome_new" if result.new_member else "start.welcome_back"
    group_name = result.group.name if result.group else None
    agencies = await context.agencies()
    text = t(lang, key, **_role_line(lang, result.member, group_name, agencies))
    if result.agency_kept:
        agency = result.member.agency_code
        kept = (
            t(lang, "start.agency_kept", agency=agencies.entry(agency))
            if agency
            else t(lang, "start.no_agency")
        )
        text = Markup(f"{text}\n\n{kept}")
    if result.new_member:
        text = Markup(f"{text}\n\n{notice(lang, context.settings)}")
    await reply(update, context, text)
    schedule_menu_sync(context)


async def help_(update: Update, context: BotContext) -> None:
    """List the commands this person may use."""
    level, lang = level_of(context.member), context.lang
    lines: list[str] = [t(lang, "help.title")]
    if level is Level.ANYONE:
        lines.append(t(lang, "help.stranger"))
    section = None
    for entry in entries_for(context.bot_data.menu, level):
        if entry.section is not section:
            section = entry.section
            lines += ["", t(lang, f"help.section.{section.name.lower()}")]
        lines.append(f"/{entry.command} — {t(lang, entry.description_key)}")
    await reply(update, context, "\n".join(lines))


async def me(update: Update, context: BotContext) -> None:
    """Show everything the bot stores about the member."""
    member, lang = context.me, context.lang
    prof = await members_service.profile(context.store, member)
    none = t(lang, "me.none")
    text = t(
        lang,
        "me.card",
        name=member.display_name,
        username=f"@{member.username}" if member.username else none,
        tid=member.telegram_user_id,
        mid=member.id,
        role=t(lang, f"role.{member.role.value}"),
        agency=prof.agency or none,
        groups=", ".join(g.name for g in prof.groups) or none,
        language=t(lang, f"language.{member.language}"),
        since=member.created_at.strftime("%Y-%m-%d"),
    )
    await reply(update, context, text, keyboard([[(t(lang, "me.my_data"), MyData())]]))


async def language(update: Update, context: BotContext) -> None:
    """Offer the languages as buttons."""
    buttons = [(t(code, f"language.{code}"), Language(code)) for code in ("sv", "en")]
    await reply(update, context, t(context.lang, "language.choose"), keyboard([buttons]))


async def language_chosen(update: Update, context: BotContext) -> None:
    """Switch the member's language to the one pressed."""
    chosen = pressed(update, Language)
    if chosen is None or chosen.code not in members_service.LANGUAGES:
        await stale(update, context)
        return
    await members_service.set_language(context.store, context.me, chosen.code, context.now())
    await answer(update)
    assert update.callback_query is not None
    await edit(update.callback_query, t(chosen.code, "language.set"))
    schedule_menu_sync(context)


def build_handlers() -> list[Guarded]:
    """The onboarding handlers with the level each needs."""
    return [
        allow(Level.ANYONE, CommandHandler("start", start)),
        allow(Level.ANYONE, CommandHandler("help", help_)),
        allow(Level.MEMBER, CommandHandler("me", me)),
        allow(Level.MEMBER, CommandHandler("language", language)),
        allow(Level.MEMBER, CallbackQueryHandler(language_chosen, pattern=r"^lang:")),
    ]
