"""Running groups from the phone: /invite and /members (coordinators and admins)."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.errors import DomainError
from bot.domain.models import Member, Role
from bot.i18n import Markup, escape, explain, t
from bot.services import members as members_service
from bot.services.invites import create_invite, deep_link
from handlers.access import Guarded, allow
from handlers.common import answer, as_int, edit, in_rows, keyboard, reply
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry, schedule_menu_sync

MENU = [
    MenuEntry("invite", Level.COORDINATOR, "cmd.invite"),
    MenuEntry("members", Level.COORDINATOR, "cmd.members"),
]

INVITE_TTL = timedelta(hours=72)
PAGE_SIZE = 25


async def invite(update: Update, context: BotContext) -> None:
    """Start an invite: choose the group."""
    groups = await members_service.groups_run_by(context.store, context.me)
    if not groups:
        await reply(update, context, t(context.lang, "invite.no_groups"))
        return
    buttons = [(g.name, f"inv:g:{g.id}") for g in groups]
    await reply(
        update, context, t(context.lang, "invite.choose_group"), keyboard(in_rows(buttons))
    )


async def invite_step(update: Update, context: BotContext) -> None:
    """Advance the invite by the button pressed: group, then agency, then (admins) role."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    group_id = as_int(parts[2]) if len(parts) > 2 else None
    if group_id is None or not context.me.coordinates(group_id) or len(parts) > 5:
        await answer(update, t(context.lang, "auth.stale_button"))
        return
    lang = context.lang
    group_name = (await _group_name(context, group_id)) or "?"
    await answer(update)
    if parts[1] == "g" and len(parts) == 3:
        agencies = await members_service.agencies(context.store)
        buttons = [(a.code, f"inv:a:{group_id}:{a.code}") for a in agencies]
        buttons.append((t(lang, "invite.no_agency"), f"inv:a:{group_id}:-"))
        text = t(lang, "invite.choose_agency", group=group_name)
        await edit(query, text, keyboard(in_rows(buttons, 4)))
    elif parts[1] == "a" and len(parts) == 4 and context.me.role is Role.ADMIN:
        roles = [
            (t(lang, f"role.{r.value}"), f"inv:r:{group_id}:{parts[3]}:{r.value}")
            for r in (Role.EXPERT, Role.COORDINATOR)
        ]
        text = t(lang, "invite.choose_role", group=group_name, agency=parts[3])
        await edit(query, text, keyboard([roles]))
    elif parts[1] == "a" and len(parts) == 4:
        await _make_invite(update, context, group_id, parts[3], Role.EXPERT)
    elif parts[1] == "r" and len(parts) == 5 and parts[4] in {"expert", "coordinator"}:
        await _make_invite(update, context, group_id, parts[3], Role(parts[4]))


async def _group_name(context: BotContext, group_id: int) -> str | None:
    group = await members_service.group(context.store, group_id)
    return group.name if group else None


async def _make_invite(
    update: Update, context: BotContext, group_id: int, agency: str, role: Role
) -> None:
    query, lang = update.callback_query, context.lang
    assert query is not None
    try:
        new = await create_invite(
            context.store,
            role=role,
            agency_code=None if agency == "-" else agency,
            group_id=group_id,
            uses=1,
            ttl=INVITE_TTL,
            now=context.now(),
            creator=context.me,
        )
    except DomainError as exc:
        await edit(query, explain(lang, exc))
        return
    zone = ZoneInfo(new.group.timezone if new.group else context.settings.timezone)
    text = t(
        lang,
        "invite.created",
        role=t(lang, f"role.{role.value}"),
        group=new.group.name if new.group else "",
        agency=f" ({new.agency_code})" if new.agency_code else "",
        expires=new.expires_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        uses=new.uses,
        link=deep_link(context.bot.username, new.code),
    )
    await edit(query, text)


async def members(update: Update, context: BotContext) -> None:
    """List the members of a group the coordinator runs (asks which when several)."""
    groups = await members_service.groups_run_by(context.store, context.me)
    if not groups:
        await reply(update, context, t(context.lang, "invite.no_groups"))
        return
    if len(groups) == 1:
        text, markup = await _member_page(context, groups[0].id, 0)
        await reply(update, context, text, markup)
        return
    buttons = [(g.name, f"mem:l:{g.id}:0") for g in groups]
    await reply(
        update, context, t(context.lang, "members.choose_group"), keyboard(in_rows(buttons))
    )


async def _member_page(
    context: BotContext, group_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    lang = context.lang
    listed = await members_service.list_members(context.store, context.me, group_id)
    name = await _group_name(context, group_id) or "?"
    shown = listed[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines: list[str] = [t(lang, "members.title", group=name, count=len(listed))]
    if not listed:
        lines.append(t(lang, "members.empty"))
    for agency, people in groupby(shown, key=lambda m: m.agency_code):
        lines.append("\n<b>" + escape(agency or t(lang, "members.no_agency")) + "</b>")
        lines.extend(_member_line(lang, m) for m in people)
    buttons = [
        (t(lang, "members.deactivate_button", name=m.display_name[:24]), f"mem:d:{m.id}")
        for m in shown
        if m.active and m.id != context.me.id
    ]
    rows = in_rows(buttons)
    nav = []
    if page > 0:
        nav.append(("◀", f"mem:l:{group_id}:{page - 1}"))
    if (page + 1) * PAGE_SIZE < len(listed):
        nav.append(("▶", f"mem:l:{group_id}:{page + 1}"))
    if nav:
        rows.append(nav)
    return "\n".join(lines), keyboard(rows) if rows else None


def _member_line(lang: str, member: Member) -> Markup:
    handle = f" @{member.username}" if member.username else ""
    status = f" — {t(lang, 'members.inactive')}" if not member.active else ""
    role = t(lang, f"role.{member.role.value}")
    return Markup(f"• {escape(member.display_name)}{escape(handle)} ({role}){status}")


async def members_step(update: Update, context: BotContext) -> None:
    """Page through members, or ask to confirm / carry out a deactivation."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    ids = [as_int(p) for p in parts[2:]]
    if len(parts) < 3 or None in ids:
        await answer(update, t(context.lang, "auth.stale_button"))
        return
    action, lang = parts[1], context.lang
    try:
        if action == "l" and len(ids) == 2:
            text, markup = await _member_page(context, ids[0] or 0, ids[1] or 0)
            await edit(query, text, markup)
        elif action == "d" and len(ids) == 1:
            target = await members_service.member_for(context.store, context.me, ids[0] or 0)
            text = t(
                lang,
                "members.confirm",
                name=target.display_name,
                agency=target.agency_code or t(lang, "members.no_agency"),
            )
            yes_no = [
                (t(lang, "members.yes"), f"mem:y:{target.id}"),
                (t(lang, "members.no"), f"mem:n:{target.id}"),
            ]
            await edit(query, text, keyboard([yes_no]))
        elif action == "y" and len(ids) == 1:
            await _deactivate(update, context, ids[0] or 0)
        elif action == "n" and len(ids) == 1:
            await edit(query, t(lang, "members.cancelled"))
        else:
            await answer(update, t(lang, "auth.stale_button"))
            return
    except DomainError as exc:
        await answer(update, explain(lang, exc), alert=True)
        return
    await answer(update)


async def _deactivate(update: Update, context: BotContext, member_id: int) -> None:
    query = update.callback_query
    assert query is not None
    if member_id == context.me.id:
        await edit(query, t(context.lang, "members.not_self"))
        return
    target = await members_service.deactivate_member(
        context.store, member_id, context.now(), actor=context.me
    )
    await edit(query, t(context.lang, "members.deactivated", name=target.display_name))
    schedule_menu_sync(context)


def build_handlers() -> list[Guarded]:
    """The group-running handlers; the gate lets only coordinators and admins in."""
    return [
        allow(Level.COORDINATOR, CommandHandler("invite", invite)),
        allow(Level.COORDINATOR, CommandHandler("members", members)),
        allow(Level.COORDINATOR, CallbackQueryHandler(invite_step, pattern=r"^inv:")),
        allow(Level.COORDINATOR, CallbackQueryHandler(members_step, pattern=r"^mem:")),
    ]
