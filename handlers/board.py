"""The residents' board: coordinators preview and hide it (/board); a job keeps it current."""

from __future__ import annotations

import logging

from telegram import ChatMemberAdministrator, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, ChatMemberHandler, CommandHandler

from bot.channels import NEEDED_RIGHTS, ChannelNotReady, check_channel, describe
from bot.domain.board import BoardState
from bot.domain.callbacks import BoardHide, BoardRetry, BoardShow
from bot.domain.errors import DomainError
from bot.i18n import Markup, clock_time, explain, t, when
from bot.services import boards as svc
from handlers.access import Guarded, allow
from handlers.common import answer, keyboard, pressed, reply, stale
from handlers.context import BotContext
from handlers.levels import Level
from handlers.menu import MenuEntry

log = logging.getLogger(__name__)

MENU = [MenuEntry("board", Level.COORDINATOR, "cmd.board")]


def _state(lang: str, preview: svc.Preview) -> str:
    board, zone = preview.board, preview.group.timezone
    if board.state is BoardState.PAUSED:
        return t(lang, "board.state.paused", since=when(lang, board.state_since, zone))
    if board.state is BoardState.STOPPED:
        return t(lang, "board.state.stopped", problem=board.problem or "")
    return t(lang, f"board.state.{board.state.value}")


def _buttons(lang: str, preview: svc.Preview) -> InlineKeyboardMarkup | None:
    board, group_id = preview.board, preview.group.id
    if board.state is BoardState.LIVE:
        return keyboard([[(t(lang, "board.hide_button"), BoardHide(group_id))]])
    if board.state is BoardState.PAUSED:
        return keyboard([[(t(lang, "board.show_button"), BoardShow(group_id))]])
    if board.state is BoardState.STOPPED:
        return keyboard(
            [
                [(t(lang, "board.retry_button"), BoardRetry(group_id))],
                [(t(lang, "board.hide_button"), BoardHide(group_id))],
            ]
        )
    return None


def _preview_text(lang: str, preview: svc.Preview) -> str:
    board, zone = preview.board, preview.group.timezone
    return t(
        lang,
        "board.preview",
        group=preview.group.name,
        channel=board.channel.shown if board.channel else t(lang, "board.no_channel"),
        state=Markup(_state(lang, preview)),
        shown=when(lang, board.shown_at, zone) if board.shown_at else t(lang, "board.never"),
        public_from=clock_time(preview.public_from, zone),
        text=Markup(preview.text),
    )


async def board(update: Update, context: BotContext) -> None:
    """Show each board I run as it would look now, with the buttons to hide or show it."""
    found = await svc.previews(
        context.store,
        context.me,
        context.now(),
        context.settings.board_timing(),
        context.settings.work_policy(),
    )
    if not found:
        await reply(update, context, t(context.lang, "board.none"))
    for preview in found:
        await reply(
            update,
            context,
            _preview_text(context.lang, preview),
            _buttons(context.lang, preview),
        )


async def board_hide(update: Update, context: BotContext) -> None:
    """Hide a board at once: its post only says that it is paused."""
    chosen = pressed(update, BoardHide)
    if chosen is None:
        await stale(update, context)
        return
    try:
        await svc.hide(context.store, context.me, chosen.group_id, context.now())
        group, _ = await svc.managed_board(context.store, context.me, chosen.group_id)
    except DomainError as exc:
        await answer(update, explain(context.lang, exc), alert=True)
        return
    await answer(update)
    await reply(update, context, t(context.lang, "board.hidden", group=group.name))


async def board_show(update: Update, context: BotContext) -> None:
    """Show a hidden board again from its next update."""
    chosen = pressed(update, BoardShow)
    if chosen is None:
        await stale(update, context)
        return
    try:
        shown = await svc.show(context.store, context.me, chosen.group_id, context.now())
        group, _ = await svc.managed_board(context.store, context.me, chosen.group_id)
    except DomainError as exc:
        await answer(update, explain(context.lang, exc), alert=True)
        return
    await answer(update)
    by = context.settings.board_timing().public_from(context.now())
    at = clock_time(by, group.timezone)
    text = t(context.lang, "board.shown_again", group=group.name, at=at)
    if shown.state is BoardState.LIVE:
        await reply(update, context, text)


async def board_retry(update: Update, context: BotContext) -> None:
    """Ask Telegram whether the bot has its rights back; if so, publish the board again."""
    chosen = pressed(update, BoardRetry)
    if chosen is None:
        await stale(update, context)
        return
    lang = context.lang
    try:
        group, current = await svc.managed_board(context.store, context.me, chosen.group_id)
        if current.channel is None:
            raise ChannelNotReady("board.not_a_channel", channel="-")
        channel = await check_channel(context.bot, current.channel.id)
        await svc.republish(context.store, context.me, group.id, channel, context.now())
    except ChannelNotReady as exc:
        await answer(update)
        await reply(update, context, describe(lang, exc))
        return
    except DomainError as exc:
        await answer(update, explain(lang, exc), alert=True)
        return
    await answer(update)
    by = context.settings.board_timing().public_from(context.now())
    text = t(
        lang,
        "board.republished",
        group=group.name,
        channel=channel.shown,
        at=clock_time(by, group.timezone),
    )
    await reply(update, context, text)


async def refresh_boards(context: BotContext) -> None:
    """Bring every live board up to date; pin posts that reached their channel."""
    pins = await svc.refresh(
        context.store,
        context.now(),
        context.settings.board_timing(),
        context.settings.work_policy(),
    )
    for pin in pins:
        try:
            await context.bot.pin_chat_message(
                pin.channel_id, pin.message_id, disable_notification=True
            )
        except (BadRequest, Forbidden) as exc:
            await svc.refused(context.store, pin.group_id, exc.message, context.now())
        except TelegramError as exc:
            # A pin is derived from rows: the next refresh tries again, once a minute at most.
            log.warning("pinning board post %s failed: %s", pin.post_id, type(exc).__name__)
        else:
            await svc.pinned(context.store, pin)


class ChannelMemberHandler(ChatMemberHandler[BotContext, None]):
    """my_chat_member in channels only: a private chat's block or unblock is reachability's."""

    def check_update(self, update: object) -> bool:
        """Take the bot's own changes of standing in a channel."""
        if not super().check_update(update):
            return False
        assert isinstance(update, Update) and update.my_chat_member is not None
        return update.my_chat_member.chat.type == ChatType.CHANNEL


async def channel_rights_changed(update: Update, context: BotContext) -> None:
    """The bot was removed from a channel, or lost a right there: stop its board at once."""
    change = update.my_chat_member
    assert change is not None
    standing = change.new_chat_member
    may_keep = isinstance(standing, ChatMemberAdministrator) and all(
        getattr(standing, right) for right in NEEDED_RIGHTS
    )
    await svc.channel_changed(
        context.store, change.chat.id, may_keep=may_keep, status=standing.status,
        now=context.now(),
    )  # fmt: skip


def build_handlers() -> list[Guarded]:
    """/board and its buttons, for coordinators (each press re-checks the group); and what
    Telegram says about the bot's standing in a channel, whoever changed it (any admin of the
    channel can, member or not: the update itself comes from Telegram)."""
    return [
        allow(
            Level.ANYONE,
            ChannelMemberHandler(channel_rights_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        ),
        allow(Level.COORDINATOR, CommandHandler("board", board)),
        allow(Level.COORDINATOR, CallbackQueryHandler(board_hide, pattern=r"^brd:h:")),
        allow(Level.COORDINATOR, CallbackQueryHandler(board_show, pattern=r"^brd:s:")),
        allow(Level.COORDINATOR, CallbackQueryHandler(board_retry, pattern=r"^brd:r:")),
    ]
