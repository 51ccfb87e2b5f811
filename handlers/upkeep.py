"""What the bot keeps in step about a member after their update has been handled.

The access gate only authorises. Storing the name Telegram shows, releasing what was held for a
member who is back, and bringing the command menu in step run here, after the features and
best-effort: a failure (a locked database, say) is logged and tried again on the member's next
update, so it can never fail the update or answer "nothing was saved" for a write that happened.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import TypeHandler

from bot.services.delivery import member_returned
from bot.services.members import refresh_profile
from handlers.context import BotContext
from handlers.menu import schedule_menu_sync

log = logging.getLogger(__name__)


async def upkeep(update: Update, context: BotContext) -> None:
    """Keep profile, reachability and menu in step; never fail the update."""
    found, user = context.found, update.effective_user
    if found is None or user is None:
        return
    try:
        if found.active:
            await refresh_profile(
                context.store, found, display_name=user.full_name, username=user.username
            )
            if found.unreachable_since is not None and (update.message or update.callback_query):
                # Writing or pressing a button means they are back (a block notice is not).
                await member_returned(context.store, found, context.now())
        if found.menu_synced != found.menu_state:
            schedule_menu_sync(context)  # e.g. the command line changed their role
    except Exception as exc:  # best-effort by design: the next update tries again
        log.warning("upkeep for update %s skipped: %s", update.update_id, type(exc).__name__)


def build_upkeep() -> TypeHandler[Update, BotContext, None]:
    """Upkeep, to be registered in a group after every feature handler."""
    return TypeHandler(Update, upkeep)
