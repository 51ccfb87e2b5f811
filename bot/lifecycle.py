"""Start and stop the Application inside an event loop that someone else runs (the sandbox,
the tests), in the order `run_polling` keeps but without its signal handling."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram import Update

if TYPE_CHECKING:
    from handlers.context import BotApplication

# Only the updates a handler uses. Edited messages are one, deliberately: an edit changes
# the answer it gave, and one handler before all others keeps it from running a command
# again (handlers/edits.py).
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
]


def polling_options() -> dict[str, Any]:
    """What long polling asks Telegram for."""
    return {"allowed_updates": ALLOWED_UPDATES}


async def start_application(app: BotApplication, *, polling: bool = True) -> None:
    """Initialise, run post_init, poll and start; without `polling` the updates are left to
    someone else (another instance, a webhook started afterwards)."""
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    if polling:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1, **polling_options())
    await app.start()


async def stop_application(app: BotApplication) -> None:
    """Stop what runs, then close: the HTTP client closes after `post_stop`."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    if app.post_stop is not None:
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
