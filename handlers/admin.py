"""Running groups from the phone: /invite and /members (coordinators and admins)."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.callbacks import (
    InviteAgency,
    InviteGroup,
    InviteRole,
    InviteSize,
    MemberDeactivate,
    MemberDeactivateNo,
    MemberDeactivateYes,
    MembersPage,
)
from bot.domain.errors import DomainError
from bot.domain.models import Member, Role
from bot.i18n import Markup, escape, explain, t
from bot.services import members as members_service
from bot.services.invites import create_invite, deep_link
from handlers.access import Guarded, allow
from handlers.common import Choice, answer, edit, in_rows, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry, schedule_menu_sync

MENU = [
    MenuEntry("invite", Level.COORDINATOR, "cmd.invite"),
    MenuEntry("members", Level.COORDINATOR, "cmd.members"),
]

# (places, days): one person, or a group's intake at once ("POL Rinkeby, 10 places, 7 days").
INVITE_SIZES = ((1, 3), (10, 7), (25, 7))
INVITABLE = (Role.EXPERT, Role.COORDINATOR)  # admins are made on the command line
PAGE_SIZE = 25


async def invite(update: Update, context: BotContext) -> None:
    """Start an invite: choose the group."""
    groups = await members_service.groups_run_by(context.store, context.me)
    if not groups:
        await reply(update, context, t(context.lang, "invite.no_groups"))
        return
    buttons = [(g.name, InviteGroup(g.id)) for g in groups]
    await reply(
        update, context, t(context.lang, "invite.choose_group"), keyboard(in_rows(buttons))
    )


async def invite_step(update: Update, context: BotContext) -> None:
    """Advance the invite by the button pressed: group, then agency, then (admins) role."""
    query = update.callback_query
    step: InviteGroup | InviteAgency | InviteRole | InviteSize | None = pressed(
        update, InviteGroup, InviteAgency, InviteRole
    ) or pressed(update, InviteSize)
    if query is None or step is None or not context.me.coordinates(step.group_id):
        await stale(update, context)
        return
    if isinstance(step, InviteRole | InviteSize) and step.role not in INVITABLE:
        await stale(update, context)
        return
    lang, group_id = context.lang, step.group_id
    group_name = (await _group_name(context, group_id)) or "?"
    await answer(update)
    if isinstance(step, InviteGroup):
        agencies = await members_service.agencies(context.store)
        buttons = [(a.short(lang), InviteAgency(group_id, a.code)) for a in agencies]
        buttons.append((t(lang, "invite.no_agency"), InviteAgency(group_id, None)))
        text = t(lang, "invite.choose_agency", group=group_name)
        await edit(query, text, keyboard(in_rows(buttons, 4)))
    elif isinstance(step, InviteAgency) and context.me.role is Role.ADMIN:
        roles = [
            (t(lang, f"role.{r.value}"), InviteRole(group_id, step.agency, r)) for r in INVITABLE
        ]
        agency = (await context.agencies()).entry(step.agency)
        text = t(lang, "invite.choose_role", group=group_name, agency=agency)
        await edit(query, text, keyboard([roles]))
    elif isinstance(step, InviteAgency):
        await _sizes(update, context, group_name, InviteRole(group_id, step.agency, Role.EXPERT))
    elif isinstance(step, InviteRole):
        await _sizes(update, context, group_name, step)
    elif isinstance(step, InviteSize) and step.size < len(INVITE_SIZES):
        await _make_invite(update, context, step)


async def _sizes(update: Update, context: BotContext, group: str, step: InviteRole) -> None:
    lang, query = context.lang, update.callback_query
    assert query is not None
    buttons: list[Choice] = [
        (
            t(lang, "invite.size_one" if uses == 1 else "invite.size_many", uses=uses, days=days),
            InviteSize(step.group_id, step.agency, step.role, index),
        )
        for index, (uses, days) in enumerate(INVITE_SIZES)
    ]
    agency = (await context.agencies()).entry(step.agency)
    text = t(lang, "invite.choose_size", group=group, agency=agency)
    await edit(query, text, keyboard(in_rows(buttons, 1)))


async def _group_name(context: BotContext, group_id: int) -> str | None:
    group = await members_service.group(context.store, group_id)
    return group.name if group else None


async def _make_invite(update: Update, context: BotContext, step: InviteSize) -> None:
    query, lang = update.callback_query, context.lang
    assert query is not None
    uses, days = INVITE_SIZES[step.size]
    role = step.role
    try:
        new = await create_invite(
            context.store,
            role=role,
            agency_code=step.agency,
            group_id=step.group_id,
            uses=uses,
            ttl=timedelta(days=days),
            now=context.now(),
            creator=context.me,
        )
    except DomainError as exc:
        await edit(query, explain(lang, exc))
        return
    zone = ZoneInfo(new.group.timezone if new.group else context.settings.timezone)
    agencies = await context.agencies()
    text = t(
        lang,
        "invite.created",
        role=t(lang, f"role.{role.value}"),
        group=new.group.name if new.group else "",
        agency=agencies.name(new.agency_code, lang) + " " if new.agency_code else "",
        expires=new.expires_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        places=t(lang, "invite.places_one" if uses == 1 else "invite.places", uses=uses),
        days=days,
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
    buttons = [(g.name, MembersPage(g.id, 0)) for g in groups]
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
    agencies = await context.agencies()
    for agency, people in groupby(shown, key=lambda m: m.agency_code):
        heading = agencies.name(agency, lang) if agency else t(lang, "members.no_agency")
        lines.append("\n<b>" + escape(heading) + "</b>")
        lines.extend(_member_line(lang, m) for m in people)
    buttons = [
        (t(lang, "members.deactivate_button", name=m.display_name[:24]), MemberDeactivate(m.id))
        for m in shown
        if m.active and m.id != context.me.id
    ]
    rows = in_rows(buttons)
    nav: list[Choice] = []
    if page > 0:
        nav.append(("◀", MembersPage(group_id, page - 1)))
    if (page + 1) * PAGE_SIZE < len(listed):
        nav.append(("▶", MembersPage(group_id, page + 1)))
    if nav:
        rows.append(nav)
    return "\n".join(lines), keyboard(rows) if rows else None


def _member_line(lang: str, member: Member) -> Markup:
    handle = f" @{member.username}" if member.username else ""
    status = f" — {t(lang, 'members.inactive')}" if not member.active else ""
    role = t(lang, f"role.{member.role.value}")
    number = t(lang, "members.number", id=member.id)  # how a roster names people without @
    return Markup(f"• {escape(member.display_name)}{escape(handle)} ({role}) · {number}{status}")


async def members_step(update: Update, context: BotContext) -> None:
    """Page through members, or ask to confirm / carry out a deactivation."""
    query = update.callback_query
    step = pressed(update, MembersPage, MemberDeactivate, MemberDeactivateYes, MemberDeactivateNo)
    if query is None or step is None:
        await stale(update, context)
        return
    lang = context.lang
    try:
        if isinstance(step, MembersPage):
            text, markup = await _member_page(context, step.group_id, step.page)
            await edit(query, text, markup)
        elif isinstance(step, MemberDeactivate):
            target = await members_service.member_for(context.store, context.me, step.member_id)
            text = t(
                lang,
                "members.confirm",
                name=target.display_name,
                agency=(await context.agencies()).name(target.agency_code, lang)
                if target.agency_code
                else t(lang, "members.no_agency"),
            )
            yes_no = [
                (t(lang, "members.yes"), MemberDeactivateYes(target.id)),
                (t(lang, "members.no"), MemberDeactivateNo(target.id)),
            ]
            await edit(query, text, keyboard([yes_no]))
        elif isinstance(step, MemberDeactivateYes):
            await _deactivate(update, context, step.member_id)
        else:
            await edit(query, t(lang, "members.cancelled"))
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
