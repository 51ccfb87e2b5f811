"""Check-in by location, check-out with a handover note, and acknowledging handovers."""

from __future__ import annotations

import json
from datetime import datetime

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.callbacks import (
    CheckinGroup,
    CheckoutUndo,
    HandoverAck,
    HandoverAgency,
    HandoverEveryone,
    HandoverPick,
    HandoverSkip,
)
from bot.domain.errors import DomainError
from bot.i18n import clock_time, distance, explain, plural, span, t, when
from bot.outbox_requests import markup
from bot.services import checkout_undo as undo
from bot.services import handover_to, prompts
from bot.services import members as members_service
from bot.services import presence as svc
from handlers.access import Guarded, allow
from handlers.common import Choice, answer, edit, in_rows, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry, Section

MENU = [
    MenuEntry("checkin", Level.MEMBER, "cmd.checkin", task=Section.SHIFT),
    MenuEntry("checkout", Level.MEMBER, "cmd.checkout", task=Section.SHIFT),
]
PROMPT_CHECKIN = "checkin"
PROMPT_CHOOSE = "checkin_location"
# A shared location is good for choosing a group this long; after that, share it again.
LOCATION_FRESH_S = 600


async def checkin(update: Update, context: BotContext) -> None:
    """Say where the member is checked in already, or ask for the location."""
    current = await svc.current(context.store, context.me)
    if current is not None:
        await reply(update, context, _already(context.lang, current), ReplyKeyboardRemove())
        return
    await _ask_location(update, context, t(context.lang, "checkin.ask"))


async def _ask_location(update: Update, context: BotContext, text: str) -> None:
    await prompts.ask(context.store, context.me, PROMPT_CHECKIN, None, context.now())
    button = KeyboardButton(t(context.lang, "checkin.button"), request_location=True)
    markup = ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    await reply(update, context, text, markup)


async def location(update: Update, context: BotContext) -> None:
    """Check in where the shared location says (unless a flag asked for a location)."""
    assert update.message is not None and update.message.location is not None
    loc = update.message.location
    asked = await prompts.open_prompt(context.store, context.me, context.now())
    taker = context.bot_data.location_prompts.get(asked[0]) if asked else None
    if taker is not None:
        await taker(update, context, loc.latitude, loc.longitude)
        return
    await _check_in(update, context, loc.latitude, loc.longitude, loc.horizontal_accuracy, None)


async def _check_in(
    update: Update,
    context: BotContext,
    lat: float,
    lon: float,
    accuracy: float | None,
    group_id: int | None,
) -> None:
    lang, now = context.lang, context.now()
    try:
        done = await svc.check_in(
            context.store,
            context.me,
            lat=lat,
            lon=lon,
            accuracy_m=accuracy,
            now=now,
            group_id=group_id,
        )
    except svc.AlreadyCheckedIn as exc:
        await reply(update, context, _already(lang, exc.current), ReplyKeyboardRemove())
        return
    except svc.ChooseGroup as exc:
        payload = json.dumps({"lat": lat, "lon": lon, "acc": accuracy, "at": now.isoformat()})
        await prompts.ask(context.store, context.me, PROMPT_CHOOSE, payload, now)
        buttons = [(g.name, CheckinGroup(g.id)) for g in exc.groups]
        await reply(update, context, explain(lang, exc), keyboard(in_rows(buttons, 1)))
        return
    except svc.VagueLocation as exc:  # a fresh fix may well be good enough: ask for one
        await _ask_location(update, context, explain(lang, exc))
        return
    except DomainError as exc:
        await reply(update, context, explain(lang, exc), ReplyKeyboardRemove())
        return
    await prompts.drop(context.store, context.me)
    zone = done.group.timezone
    if done.shift is None:
        shift = t(lang, "checkin.unplanned")
    elif done.minutes_late:
        when = span(lang, done.shift.starts_at, done.shift.ends_at, zone)
        shift = t(lang, "checkin.on_shift", when=when, late=done.minutes_late)
    else:
        shift = t(
            lang,
            "checkin.on_time",
            when=span(lang, done.shift.starts_at, done.shift.ends_at, zone),
        )
    text: str = t(
        lang, "checkin.done", group=done.group.name, time=clock_time(now, zone), shift=shift
    )
    if not done.inside:
        text += "\n\n" + t(lang, "checkin.outside", distance=distance(lang, done.distance_m))
    if done.handovers:
        text += "\n\n" + t(lang, "checkin.handovers", count=done.handovers)
    if done.open_flags:
        text += "\n\n" + t(lang, "checkin.open_flags", count=done.open_flags)
    await reply(update, context, text, ReplyKeyboardRemove())


def _already(lang: str, current: svc.CurrentPresence) -> str:
    presence, group = current.presence, current.group
    where = (
        t(lang, "checkin.already_inside")
        if presence.inside
        else t(lang, "checkin.already_outside", distance=distance(lang, presence.distance_m))
    )
    since = when(lang, presence.checked_in_at, group.timezone)
    return t(lang, "checkin.already", group=group.name, since=since, where=where)


async def group_chosen(update: Update, context: BotContext) -> None:
    """Check in to the group pressed, at the location shared a moment ago."""
    query, chosen = update.callback_query, pressed(update, CheckinGroup)
    if query is None or chosen is None:
        await stale(update, context)
        return
    payload = await prompts.held(context.store, context.me, PROMPT_CHOOSE, context.now())
    await answer(update)
    if payload is None:
        await edit(query, t(context.lang, "checkin.location_expired"))
        return
    shared = json.loads(payload)
    age = (context.now() - datetime.fromisoformat(shared["at"])).total_seconds()
    if age > LOCATION_FRESH_S:
        await edit(query, t(context.lang, "checkin.location_expired"))
        return
    await edit(query, t(context.lang, "checkin.choose_group"))
    await _check_in(update, context, shared["lat"], shared["lon"], shared["acc"], chosen.group_id)


async def checkin_text(
    update: Update, context: BotContext, _text: str, _payload: str | None
) -> None:
    """Text where a location was expected: point at the button."""
    await reply(update, context, t(context.lang, "checkin.not_location"))


async def checkout(update: Update, context: BotContext) -> None:
    """End the presence and ask for a handover note."""
    try:
        presence = await svc.check_out(context.store, context.me, context.now())
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc), ReplyKeyboardRemove())
        return
    group = await members_service.group(context.store, presence.group_id)
    zone = group.timezone if group else context.settings.timezone
    now = context.now()
    offered = await undo.offered(context.store, presence, now)
    text, rows = undo.checkout_message(context.lang, presence.id, now, zone, undo=offered)
    sent = await reply(update, context, text, markup(rows))
    if offered and sent is not None:  # the offer is taken off when its minute is over
        await undo.shown(context.store, context.me.id, presence.id, sent.chat_id,
                         sent.message_id, now)  # fmt: skip


async def undo_checkout(update: Update, context: BotContext) -> None:
    """Open the check-out's check-in again, within a minute of it."""
    query, chosen = update.callback_query, pressed(update, CheckoutUndo)
    if query is None or chosen is None:
        await stale(update, context)
        return
    try:
        back = await undo.undo_check_out(
            context.store, context.me.id, chosen.presence_id, context.now()
        )
    except DomainError as exc:
        await answer(update, explain(context.lang, exc), alert=True)
        await _without_undo(query)
        return
    await answer(update)
    since = when(context.lang, back.presence.checked_in_at, back.group.timezone)
    await edit(query, t(context.lang, "checkout.undone", group=back.group.name, since=since))


async def _without_undo(query: CallbackQuery) -> None:
    """Take the Undo button off the message; its other buttons stay."""
    shown = query.message
    if not isinstance(shown, Message) or shown.reply_markup is None:
        return
    rows = [
        [b for b in row if CheckoutUndo.unpack(str(b.callback_data)) is None]
        for row in shown.reply_markup.inline_keyboard
    ]
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup([r for r in rows if r]))
    except BadRequest as exc:
        if "not modified" not in exc.message:  # a double tap: taken off already
            raise


async def _moved_on(context: BotContext, query: CallbackQuery) -> None:
    """The message pressed is edited now: Undo goes with that (no later edit for it)."""
    if isinstance(query.message, Message):
        await undo.moved_on(context.store, query.message.chat_id, query.message.message_id,
                            context.now())  # fmt: skip


async def handover_text(
    update: Update, context: BotContext, text: str, payload: str | None
) -> None:
    """Screen the note and deliver it to whoever takes over."""
    presence_id, audience = handover_to.asked(payload)
    try:
        count = await svc.hand_over(
            context.store, context.me, presence_id, text, context.now(), audience
        )
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    said = (
        plural(context.lang, "handover.sent", count)
        if count
        else t(context.lang, "handover.nobody")
    )
    await reply(update, context, said)


async def handover_button(update: Update, context: BotContext) -> None:
    """Skip the handover note, or acknowledge one received."""
    query = update.callback_query
    button = pressed(update, HandoverSkip, HandoverAck, HandoverEveryone)
    if query is None or button is None:
        await stale(update, context)
        return
    if isinstance(button, HandoverEveryone | HandoverSkip):
        await _moved_on(context, query)
    if isinstance(button, HandoverEveryone):
        try:
            await handover_to.address_everyone(
                context.store, context.me, button.presence_id, context.now()
            )
        except DomainError as exc:
            await answer(update, explain(context.lang, exc), alert=True)
            return
        await answer(update)
        await edit(query, t(context.lang, "checkout.to_everyone"), keyboard(
            [[(t(context.lang, "checkout.skip"), HandoverSkip())]]))  # fmt: skip
        return
    if isinstance(button, HandoverSkip):
        await svc.skip_handover(context.store, context.me)
        await answer(update)
        await edit(query, t(context.lang, "checkout.skipped"))
        return
    try:
        await svc.acknowledge_handover(
            context.store, context.me, button.handover_id, context.now()
        )
    except DomainError as exc:
        await answer(update, explain(context.lang, exc), alert=True)
        return
    await answer(update, t(context.lang, "handover.thanks"))


async def handover_agencies(update: Update, context: BotContext) -> None:
    """Choose the agencies whose next shift gets the handover note, one tap each."""
    query, button = update.callback_query, pressed(update, HandoverPick, HandoverAgency)
    if query is None or button is None:
        await stale(update, context)
        return
    agency = button.agency if isinstance(button, HandoverAgency) else None
    if agency is None:  # the check-out message turns into the choice of agencies
        await _moved_on(context, query)
    try:
        here, chosen = await handover_to.choose_agency(
            context.store, context.me, button.presence_id, agency, context.now()
        )
    except DomainError as exc:
        await answer(update, explain(context.lang, exc), alert=True)
        return
    await answer(update)
    toggles: list[Choice] = [
        (("✓ " if a.code in chosen else "") + a.name, HandoverAgency(button.presence_id, a.code))
        for a in here
    ]
    skip: list[Choice] = [(t(context.lang, "checkout.skip"), HandoverSkip())]
    rows = [*in_rows(toggles, 2), skip]
    await edit(query, t(context.lang, "checkout.to_chosen"), keyboard(rows))


def build_handlers() -> list[Guarded]:
    """Every member checks in and out."""
    return [
        allow(Level.MEMBER, CommandHandler("checkin", checkin)),
        allow(Level.MEMBER, CommandHandler("checkout", checkout)),
        allow(
            Level.MEMBER, MessageHandler(filters.UpdateType.MESSAGE & filters.LOCATION, location)
        ),
        allow(Level.MEMBER, CallbackQueryHandler(group_chosen, pattern=r"^ci:g:")),
        allow(Level.MEMBER, CallbackQueryHandler(handover_button, pattern=r"^hnd:[sae](:|$)")),
        allow(Level.MEMBER, CallbackQueryHandler(handover_agencies, pattern=r"^hnd:[pt]:")),
        allow(Level.MEMBER, CallbackQueryHandler(undo_checkout, pattern=r"^co:u:")),
    ]


PROMPTS = {
    PROMPT_CHECKIN: checkin_text,
    PROMPT_CHOOSE: checkin_text,
    handover_to.PROMPT_HANDOVER: handover_text,
}
