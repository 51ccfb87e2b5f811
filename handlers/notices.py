"""Coordinators' notices: /notice to compose and send, /notices to follow them up."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.callbacks import (
    NoticeAgenciesDone,
    NoticeAgency,
    NoticeAudience,
    NoticeBack,
    NoticeCancel,
    NoticeConfirm,
    NoticeGroup,
    NoticeRemind,
    NoticeSend,
    NoticeToggleConfirm,
    NoticeWho,
    NoticeWithdraw,
)
from bot.domain.errors import DomainError
from bot.domain.flows import Flow
from bot.domain.notices import Audience, Draft
from bot.i18n import Markup, escape, explain, t
from bot.services import members as members_service
from bot.services import notice_drafts as drafts
from bot.services import notice_followup as followup
from bot.services import notices as svc
from bot.services.notice_texts import notice_text
from handlers import flows
from handlers.access import Guarded, allow
from handlers.common import Choice, answer, edit, in_rows, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry

MENU = [
    MenuEntry("notice", Level.COORDINATOR, "cmd.notice"),
    MenuEntry("notices", Level.COORDINATOR, "cmd.notices"),
]
DRAFT_STEPS = (
    NoticeAudience,
    NoticeGroup,
    NoticeAgency,
    NoticeToggleConfirm,
    NoticeSend,
    NoticeCancel,
    NoticeAgenciesDone,
    NoticeBack,
)
AUDIENCES = (
    Audience.MINE,
    Audience.GROUP,
    Audience.AGENCIES,
    Audience.ON_DUTY,
    Audience.COORDINATORS,
)


async def notice(update: Update, context: BotContext) -> None:
    """Start a notice (after asking about an unfinished draft)."""
    if not await flows.ask_first(update, context, Flow.NOTICE):
        await begin(update, context, None)


async def resume(update: Update, context: BotContext, draft: object) -> None:
    """Show the unfinished notice's step in the message whose Continue was pressed."""
    assert isinstance(draft, Draft) and update.callback_query is not None
    if draft.audience is Audience.GROUP and draft.group_id is None:
        await _choose_group(update, context)
    elif draft.audience is Audience.AGENCIES and not draft.agencies:
        await _choose_agencies(update, context, draft.agencies)
    elif draft.audience is not None:
        await _preview(update, context)
    else:
        await answer(update)
        text = t(context.lang, "notice.choose_audience")
        await edit(update.callback_query, text, _audiences(context))


async def begin(update: Update, context: BotContext, _flag_id: int | None) -> None:
    """A new notice: ask for its text."""
    await drafts.start(context.store, context.me, context.now())
    stop = keyboard([[(t(context.lang, "notice.cancel"), NoticeCancel())]])
    await reply(update, context, t(context.lang, "notice.ask_text"), stop)


async def notice_text_received(
    update: Update, context: BotContext, text: str, _payload: str | None
) -> None:
    """Take the typed text and ask for the audience."""
    try:
        await drafts.set_text(context.store, context.me, text, context.now())
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    await reply(update, context, t(context.lang, "notice.choose_audience"), _audiences(context))


def _audiences(context: BotContext) -> InlineKeyboardMarkup:
    lang = context.lang
    buttons: list[Choice] = [
        (t(lang, f"notice.aud.{a.value}"), NoticeAudience(a)) for a in AUDIENCES
    ]
    rows: list[list[Choice]] = [
        *in_rows(buttons, 1),
        [(t(lang, "notice.cancel"), NoticeCancel())],
    ]
    return keyboard(rows)


async def draft_step(update: Update, context: BotContext) -> None:
    """Advance the draft by the button pressed: audience, group, agencies, confirm, send."""
    query, step = update.callback_query, pressed(update, *DRAFT_STEPS)
    if query is None or step is None:
        await stale(update, context)
        return
    me, now, lang = context.me, context.now(), context.lang
    try:
        match step:
            case NoticeAudience(audience=audience) if audience in AUDIENCES:
                draft = await drafts.update_draft(context.store, me, now, audience=audience)
                if draft.audience is Audience.GROUP:
                    await _choose_group(update, context)
                    return
                if draft.audience is Audience.AGENCIES:
                    await _choose_agencies(update, context, draft.agencies)
                    return
            case NoticeGroup(group_id=group_id):
                await drafts.update_draft(context.store, me, now, group_id=group_id)
            case NoticeAgency(agency=agency):
                draft = await drafts.update_draft(context.store, me, now, toggle_agency=agency)
                await _choose_agencies(update, context, draft.agencies)
                return
            case NoticeToggleConfirm():
                await drafts.update_draft(context.store, me, now, toggle_confirmation=True)
            case NoticeSend():
                await _send(update, context)
                return
            case NoticeCancel():
                await drafts.cancel(context.store, me)
                await answer(update)
                await edit(query, t(lang, "notice.cancelled"))
                return
            case NoticeAgenciesDone():
                draft = await drafts.update_draft(context.store, me, now)
                if draft.audience is Audience.AGENCIES and not draft.agencies:
                    # "Done" does nothing until an agency is chosen, and says so
                    await answer(update, t(lang, "notice.agency_first"))
                    return
            case NoticeBack():
                await answer(update)
                await edit(query, t(lang, "notice.choose_audience"), _audiences(context))
                return
            case _:
                await stale(update, context)
                return
        await _preview(update, context)
    except DomainError as exc:
        await answer(update, explain(lang, exc), alert=True)


async def _choose_group(update: Update, context: BotContext) -> None:
    groups = await members_service.groups_run_by(context.store, context.me)
    buttons = [(g.name, NoticeGroup(g.id)) for g in groups]
    assert update.callback_query is not None
    await answer(update)
    text = t(context.lang, "notice.choose_group")
    await edit(update.callback_query, text, keyboard(in_rows(buttons)))


async def _choose_agencies(update: Update, context: BotContext, chosen: tuple[str, ...]) -> None:
    agencies = await members_service.agencies(context.store)
    buttons = [
        (("✓ " if a.code in chosen else "") + a.short(context.lang), NoticeAgency(a.code))
        for a in agencies
    ]
    rows: list[list[Choice]] = [
        *in_rows(buttons, 4),
        [(t(context.lang, "notice.done"), NoticeAgenciesDone())],
    ]
    assert update.callback_query is not None
    await answer(update)
    await edit(update.callback_query, t(context.lang, "notice.choose_agencies"), keyboard(rows))


async def _preview(update: Update, context: BotContext) -> None:
    lang = context.lang
    shown = await drafts.preview(context.store, context.me)
    draft = shown.draft
    assert draft.audience is not None and update.callback_query is not None
    audience = str(t(lang, f"notice.aud.{draft.audience.value}"))
    if draft.audience is Audience.AGENCIES:
        audience += ": " + (await context.agencies()).names(draft.agencies, lang)
    text = t(
        lang,
        "notice.preview",
        text=draft.text or "",
        audience=audience,
        groups=", ".join(shown.group_names),
        count=shown.recipients,
        confirm=t(lang, "notice.yes" if draft.needs_confirmation else "notice.no"),
    )
    rows: list[list[Choice]] = [
        [(t(lang, "notice.send_button", count=shown.recipients), NoticeSend())],
        [(t(lang, "notice.toggle_confirm"), NoticeToggleConfirm())],
        [(t(lang, "notice.back"), NoticeBack()), (t(lang, "notice.cancel"), NoticeCancel())],
    ]
    await answer(update)
    await edit(update.callback_query, text, keyboard(rows))


async def _send(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None
    sent = await drafts.send(
        context.store, context.me, status_message_id=query.message.message_id, now=context.now()
    )
    await answer(update)
    # The status refresher edits this message from now on, through the outbox.
    await edit(query, t(context.lang, "notice.status_title", number=sent.id))


async def confirm(update: Update, context: BotContext) -> None:
    """Record that the member has read the notice, and show it on their copy."""
    query, button = update.callback_query, pressed(update, NoticeConfirm)
    if query is None or button is None:
        await stale(update, context)
        return
    try:
        shown, author = await svc.confirm(
            context.store, context.me, button.notice_id, context.now()
        )
    except DomainError as exc:
        await answer(update, explain(context.lang, exc), alert=True)
        return
    await answer(update)
    zone = ZoneInfo(context.settings.timezone)
    at = context.now().astimezone(zone).strftime("%H:%M")
    when = t(context.lang, "notice.confirmed_by_you", time=at)
    body = notice_text(
        context.lang, shown.model_copy(update={"needs_confirmation": False}), author
    )
    await edit(query, f"{body}\n\n{when}")


async def manage(update: Update, context: BotContext) -> None:
    """Remind the unconfirmed, list them, or withdraw, from a notice's status message."""
    button, lang = pressed(update, NoticeRemind, NoticeWithdraw, NoticeWho), context.lang
    if button is None:
        await stale(update, context)
        return
    try:
        if isinstance(button, NoticeWho):
            await _who(update, context, button.notice_id)
        elif isinstance(button, NoticeRemind):
            count = await svc.remind(
                context.store, context.me, button.notice_id, button.round, context.now()
            )
            await answer(update, t(lang, "notice.reminded", count=count), alert=True)
        else:
            await svc.withdraw(context.store, context.me, button.notice_id, context.now())
            await answer(update, t(lang, "notice.withdrawn_done"), alert=True)
    except DomainError as exc:
        await answer(update, explain(lang, exc), alert=True)


async def _who(update: Update, context: BotContext, notice_id: int) -> None:
    lang = context.lang
    found = await followup.unconfirmed(context.store, context.me, notice_id)
    await answer(update)
    lines = [t(lang, "notice.who_title", number=notice_id, count=found.count, of=found.recipients)]
    agencies = await context.agencies()
    for agency, names in found.by_agency.items():
        label = agencies.name(agency, lang) if agency else t(lang, "members.no_agency")
        lines.append(t(lang, "notice.who_line", agency=label, names=", ".join(names)))
    if not found.count:
        lines = [t(lang, "notice.who_none")]
    await reply(update, context, "\n".join(lines))


async def notices(update: Update, context: BotContext) -> None:
    """List recent notices with their figures."""
    lang = context.lang
    listed = await svc.recent(context.store, context.me)
    lines = [t(lang, "notices.title")]
    if not listed:
        lines.append(t(lang, "notices.none"))
    zone = ZoneInfo(context.settings.timezone)
    for item, f in listed:
        snippet = item.text if len(item.text) <= 40 else item.text[:39] + "…"
        parts = [
            t(
                lang,
                "notice.final",
                delivered=f.delivered,
                unreachable=f.unreachable,
                failed=f.failed,
            )
        ]
        if item.needs_confirmation:
            parts.append(t(lang, "notice.confirmed", confirmed=f.confirmed, of=f.recipients))
        if item.withdrawn_at is not None:
            parts.append(t(lang, "notice.status_withdrawn"))
        figures = Markup(" · ".join(parts))
        lines.append(
            t(
                lang,
                "notices.line",
                number=item.id,
                snippet=escape(snippet.replace("\n", " ")),
                date=item.created_at.astimezone(zone).strftime("%d/%m %H:%M"),
                figures=figures,
            )
        )
    await reply(update, context, "\n".join(lines))


def build_handlers() -> list[Guarded]:
    """Composing is for coordinators; confirming is for every recipient."""
    return [
        allow(Level.COORDINATOR, CommandHandler("notice", notice)),
        allow(Level.COORDINATOR, CommandHandler("notices", notices)),
        allow(Level.COORDINATOR, CallbackQueryHandler(draft_step, pattern=r"^ntd:")),
        allow(Level.COORDINATOR, CallbackQueryHandler(manage, pattern=r"^ntc:[rwn]:")),
        allow(Level.MEMBER, CallbackQueryHandler(confirm, pattern=r"^ntc:c:")),
    ]


async def refresh_statuses(context: BotContext) -> None:
    """Job: bring every notice's status message up to date (at most one edit per run)."""
    await svc.refresh_statuses(context.store, context.now())


PROMPTS = {drafts.PROMPT_TEXT: notice_text_received}
BEGINS = {Flow.NOTICE: begin}
RESUMES = {Flow.NOTICE: resume}
HINTS = {Flow.NOTICE: lambda lang, _draft: t(lang, "flow.use_buttons")}
