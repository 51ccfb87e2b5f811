"""Coordinators' notices: /notice to compose and send, /notices to follow them up."""

from __future__ import annotations

from contextlib import suppress
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.callbacks import (
    CallbackData,
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
from bot.domain.notices import Audience, Draft, NoticeStep
from bot.i18n import Markup, escape, explain, t
from bot.services import members as members_service
from bot.services import notice_drafts as drafts
from bot.services import notice_followup as followup
from bot.services import notices as svc
from bot.services.flows import NotUnfinished
from bot.services.notice_texts import notice_text
from handlers import flows
from handlers.access import Guarded, allow
from handlers.common import Choice, answer, edit, in_rows, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry
from handlers.typed import Step, Wizard, named_press

MENU = [
    MenuEntry("notice", Level.COORDINATOR, "cmd.notice"),
    MenuEntry("notices", Level.COORDINATOR, "cmd.notices"),
]
DRAFT_STEPS: tuple[type[CallbackData], ...] = (
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


async def begin(update: Update, context: BotContext, _flag_id: int | None) -> None:
    """A new notice: ask for its text."""
    await WIZARD.show_next(update, context, drafts.start(context.store, context.me, context.now()))


async def notice_text_received(
    update: Update, context: BotContext, text: str, _payload: str | None
) -> None:
    """Take the typed text and ask for the audience."""
    message_id = update.effective_message.message_id if update.effective_message else None
    change = drafts.set_text(context.store, context.me, text, context.now(), message_id)
    await WIZARD.show_next(update, context, change)


async def text_edited(update: Update, context: BotContext, text: str) -> bool:
    """The text's message was edited before the notice is sent: the draft takes the new text
    and its step is shown again (False: the message is not that text)."""
    assert update.effective_message is not None
    message_id, now = update.effective_message.message_id, context.now()
    change = drafts.retext(context.store, context.me, message_id, text, now)
    return await WIZARD.revised(update, context, change, "notice.text_edited")


async def _step(context: BotContext, draft: Draft) -> Step:
    """The text and buttons of the step the draft is at."""
    lang = context.lang
    cancel: list[Choice] = [(t(lang, "notice.cancel"), NoticeCancel())]
    match draft.step:
        case NoticeStep.TEXT:
            return t(lang, "notice.ask_text"), [cancel]
        case NoticeStep.GROUP:
            groups = await members_service.groups_run_by(context.store, context.me)
            return t(lang, "notice.choose_group"), in_rows([(g.name, NoticeGroup(g.id))
                                                            for g in groups])  # fmt: skip
        case NoticeStep.AGENCIES:
            return await _agencies(context, draft.agencies)
        case NoticeStep.PREVIEW:
            return await _preview(context)
    audiences: list[Choice] = [
        (t(lang, f"notice.aud.{a.value}"), NoticeAudience(a)) for a in AUDIENCES
    ]
    return t(lang, "notice.choose_audience"), [*in_rows(audiences, 1), cancel]


async def _agencies(context: BotContext, chosen: tuple[str, ...]) -> Step:
    agencies = await members_service.agencies(context.store)
    buttons: list[Choice] = [
        (("✓ " if a.code in chosen else "") + a.short(context.lang), NoticeAgency(a.code))
        for a in agencies
    ]
    done: list[Choice] = [(t(context.lang, "notice.done"), NoticeAgenciesDone())]
    return t(context.lang, "notice.choose_agencies"), [*in_rows(buttons, 4), done]


async def _preview(context: BotContext) -> Step:
    lang = context.lang
    shown = await drafts.preview(context.store, context.me)
    draft = shown.draft
    assert draft.audience is not None
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
    return text, [
        [(t(lang, "notice.send_button", count=shown.recipients), NoticeSend(draft.revision))],
        [(t(lang, "notice.toggle_confirm"), NoticeToggleConfirm())],
        [(t(lang, "notice.back"), NoticeBack()), (t(lang, "notice.cancel"), NoticeCancel())],
    ]


async def _act(context: BotContext, press: CallbackData) -> Step:
    """Do what a press (or the typed name of a button) asks: the step it leads to, or the
    last word (cancelled) with no buttons. Send is not here: it needs its status message."""
    store, me, now = context.store, context.me, context.now()
    match press:
        case NoticeCancel():
            await drafts.cancel(store, me)
            return t(context.lang, "notice.cancelled"), []
        case NoticeAudience(audience=audience) if audience in AUDIENCES:
            draft = await drafts.update_draft(store, me, now, audience=audience)
        case NoticeGroup(group_id=group_id):
            draft = await drafts.update_draft(store, me, now, group_id=group_id)
        case NoticeAgency(agency=agency):
            draft = await drafts.update_draft(store, me, now, toggle_agency=agency)
        case NoticeToggleConfirm():
            draft = await drafts.update_draft(store, me, now, toggle_confirmation=True)
        case NoticeAgenciesDone():
            draft = await drafts.update_draft(store, me, now, done=True)
        case NoticeBack():
            draft = await drafts.update_draft(store, me, now, back=True)
        case _:
            raise NotUnfinished()
    return await _step(context, draft)


WIZARD = Wizard(Draft, DRAFT_STEPS, _step, _act)


async def draft_step(update: Update, context: BotContext) -> None:
    """One press while composing: a choice, Back, Cancel, or Send (the pressed preview
    becomes the notice's live status)."""
    query, press = update.callback_query, pressed(update, NoticeSend)
    if press is None or query is None or query.message is None:
        await WIZARD.button(update, context)
        return
    try:
        at, now = query.message.message_id, context.now()
        sent = await drafts.send(
            context.store, context.me, revision=press.revision, status_message_id=at, now=now
        )
    except DomainError as exc:
        await answer(update, explain(context.lang, exc), alert=exc.key != "auth.stale_button")
        return
    await answer(update)
    # The status refresher edits this message from now on, through the outbox.
    await edit(query, t(context.lang, "notice.status_title", number=sent.id))


async def typed(update: Update, context: BotContext, text: str, draft: object) -> bool:
    """Text typed on a notice's step: the button it names ("skicka" is Send, which sends
    from a new message that becomes the notice's status); False if it names none."""
    assert isinstance(draft, Draft)
    press = await named_press(context, text, lambda: _readable(context, draft))
    if isinstance(press, NoticeSend):
        await _send_typed(update, context, press.revision)
    elif isinstance(press, DRAFT_STEPS):
        await WIZARD.show(update, context, _act(context, press))
    else:
        return False
    return True


async def _readable(context: BotContext, draft: Draft) -> Step:
    """The step as typed text is read: the preview's "Send to 3" also answers to "Send"."""
    text, rows = await _step(context, draft)
    if draft.step is NoticeStep.PREVIEW:
        return text, [*rows, [(t(context.lang, "notice.send_word"), NoticeSend(draft.revision))]]
    return text, rows


async def _send_typed(update: Update, context: BotContext, revision: str) -> None:
    shown = await reply(update, context, t(context.lang, "notice.sending"))
    if shown is None:
        return
    try:
        at, now = shown.message_id, context.now()
        sent = await drafts.send(
            context.store, context.me, revision=revision, status_message_id=at, now=now
        )
    except DomainError as exc:
        await shown.edit_text(explain(context.lang, exc))
        return
    except Exception:
        # Not sent (a locked database): the error handler says so, and "Sending" must not
        # stay. Once committed, the message is the notice's status: it stays.
        if not context.store.committed_here():
            with suppress(TelegramError):
                await shown.delete()
        raise
    await shown.edit_text(t(context.lang, "notice.status_title", number=sent.id))


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
RESUMES = {Flow.NOTICE: WIZARD.resume}
REASKS = {Flow.NOTICE: WIZARD.again}
TYPED = {Flow.NOTICE: typed}
REVISIONS = {drafts.PROMPT_TEXT: text_edited}
HINTS = {Flow.NOTICE: lambda lang, _draft: t(lang, "flow.use_buttons")}
