"""Privacy for members: the notice (/privacy) and their own data (/me → My data)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.config import Settings
from bot.domain.callbacks import MyData
from bot.domain.errors import DomainError
from bot.i18n import Markup, explain, t, when
from bot.services import audit_trail, personal_data
from handlers.access import Guarded, allow
from handlers.common import answer, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry

MENU = [
    MenuEntry("privacy", Level.ANYONE, "cmd.privacy"),
    MenuEntry("audit", Level.ADMIN, "cmd.audit"),
]
AUDIT_LINES = 40  # the newest; a message holds at most 4,096 characters


def notice(lang: str, settings: Settings) -> Markup:
    """What is stored, why, for how long and who to ask, with this deployment's periods."""
    policy = settings.retention()
    return t(
        lang,
        "privacy.notice",
        location_h=int(policy.location.total_seconds() // 3600),
        flag_days=policy.flags.days,
        handover_days=policy.handovers.days,
        notice_days=policy.notices.days,
        work_days=policy.work_notes.days,
        presence_days=policy.presences.days,
        audit_days=policy.audit.days,
    )


async def privacy(update: Update, context: BotContext) -> None:
    """Show the privacy notice."""
    await reply(update, context, notice(context.lang, context.settings))


async def my_data(update: Update, context: BotContext) -> None:
    """Send the member everything stored about them, as a file that cannot be forwarded."""
    if pressed(update, MyData) is None or update.effective_chat is None:
        await stale(update, context)
        return
    await answer(update, t(context.lang, "me.export_sending"))
    me = context.me
    export = await personal_data.export_data(context.store, me.id, context.now(), actor=me)
    rows = sum(len(r) for r in export.rows.values())
    await context.bot.send_document(
        update.effective_chat.id,
        export.archive,
        filename=export.filename,
        caption=t(context.lang, "me.export_caption", rows=rows, tables=len(export.rows)),
        protect_content=True,
    )


async def audit(update: Update, context: BotContext) -> None:
    """Show who saw and did what with a flag, or what a member saw and did (admins)."""
    lang, args = context.lang, context.args or []
    if len(args) != 2 or args[0] not in ("flag", "member") or not args[1].isdecimal():
        await reply(update, context, t(lang, "audit.usage"))
        return
    try:
        if args[0] == "flag":
            trail = await audit_trail.flag_trail(context.store, int(args[1]), context.me)
        else:
            trail = await audit_trail.member_trail(context.store, int(args[1]), context.me)
    except DomainError as exc:
        await reply(update, context, explain(lang, exc))
        return
    lines = [t(lang, "audit.title", subject=trail.subject(lang), count=len(trail.lines))]
    if len(trail.lines) > AUDIT_LINES:
        lines.append(t(lang, "audit.earlier", count=len(trail.lines) - AUDIT_LINES))
    zone = context.settings.timezone
    for line in trail.lines[-AUDIT_LINES:]:
        lines.append(t(lang, "audit.line", at=when(lang, line.at, zone), who=line.who(lang),
                       action=line.action, what=line.what, detail=line.detail))  # fmt: skip
    await reply(update, context, "\n".join(lines), protect=True)


def build_handlers() -> list[Guarded]:
    """The privacy handlers with the level each needs."""
    return [
        allow(Level.ANYONE, CommandHandler("privacy", privacy)),
        allow(Level.ADMIN, CommandHandler("audit", audit)),
        allow(Level.MEMBER, CallbackQueryHandler(my_data, pattern=r"^me:data$")),
    ]
