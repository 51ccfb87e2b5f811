"""A coordinator's actions on a flag, from its card: acknowledge for an agency, pass a part
on, add an agency, write to the agency on duty. Every press is re-checked by the service."""

from __future__ import annotations

from telegram import Update

from bot.domain.callbacks import CoordAct, FlagFor
from bot.domain.errors import DomainError
from bot.domain.flags import TargetState
from bot.i18n import explain, t
from bot.services import flag_coord as svc
from bot.services import members as members_service
from bot.services import prompts
from handlers.access import Guarded
from handlers.common import Choice, answer, edit, in_rows, keyboard, reply, stale
from handlers.context import BotContext
from handlers.menu import MenuEntry

MENU: list[MenuEntry] = []


async def menu(update: Update, context: BotContext, flag_id: int) -> None:
    """Offer the acts for each agency whose part is not finished, and adding one."""
    lang, agencies = context.lang, await context.agencies()
    flag = await svc.for_menu(context.store, context.me, flag_id)
    rows: list[list[Choice]] = []
    for target in (tg for tg in flag.targets if not tg.state.finished):
        row: list[Choice] = []
        short = agencies.short(target.agency, lang)
        if target.state is TargetState.OPEN:
            row.append((t(lang, "flag.for_ack", agency=short),
                        FlagFor(flag_id, CoordAct.ACKNOWLEDGE, target.agency)))  # fmt: skip
        row.append((t(lang, "flag.for_pass", agency=short),
                    FlagFor(flag_id, CoordAct.HAND_ON, target.agency)))  # fmt: skip
        rows += [row, [(t(lang, "flag.for_write", agency=short),
                        FlagFor(flag_id, CoordAct.WRITE, target.agency))]]  # fmt: skip
    rows.append([(t(lang, "flag.for_add"), FlagFor(flag_id, CoordAct.ADD, None))])
    await answer(update)
    await reply(update, context, t(lang, "flag.for_menu", number=flag_id), keyboard(rows),
                protect=True)  # fmt: skip


async def for_press(update: Update, context: BotContext, press: FlagFor) -> None:
    """One of the menu's presses (or a forged one: the service refuses it)."""
    store, me, now, lang = context.store, context.me, context.now(), context.lang
    policy, query = context.bot_data.flag_policy, update.callback_query
    assert query is not None
    agency, flag_id = press.agency, press.flag_id
    agencies = await context.agencies()
    named = agencies.name(agency, lang)
    match press.act:
        case CoordAct.ACKNOWLEDGE if agency:
            await svc.acknowledge_for(store, me, flag_id, agency, now)
            await answer(update, t(lang, "flag.for_ack_ok", agency=named))
        case CoordAct.HAND_ON if agency:
            codes = await svc.choosing_successor(store, me, flag_id, agency, now)
            choices: list[Choice] = [
                (agencies.short(c, lang), FlagFor(flag_id, CoordAct.HAND_TO, c)) for c in codes
            ]
            await answer(update)
            await edit(query, t(lang, "flag.for_pass_to", number=flag_id, agency=named),
                       keyboard(in_rows(choices, 4)))  # fmt: skip
        case CoordAct.HAND_TO if agency:
            held = svc.held_part(await prompts.held(store, me, svc.PROMPT_HAND_ON, now))
            if held is None or held[0] != flag_id:
                await stale(update, context)
                return
            await svc.pass_on(store, me, flag_id, held[1], agency, policy, now)
            await prompts.drop(store, me)
            await answer(update, t(lang, "flag.for_pass_ok", agency=named))
            await edit(query, t(lang, "flag.for_pass_ok", agency=named))
        case CoordAct.ADD if agency is None:
            flag = await svc.for_menu(store, me, flag_id)
            codes = [a.code for a in await members_service.agencies(store)
                     if flag.target(a.code) is None and a.code != flag.raiser_agency]  # fmt: skip
            adds: list[Choice] = [
                (agencies.short(c, lang), FlagFor(flag_id, CoordAct.ADD, c)) for c in codes
            ]
            await answer(update)
            await edit(query, t(lang, "flag.for_add_which", number=flag_id),
                       keyboard(in_rows(adds, 4)))  # fmt: skip
        case CoordAct.ADD if agency:
            await svc.add_agency(store, me, flag_id, agency, policy, now)
            await answer(update, t(lang, "flag.for_add_ok", agency=named))
            await edit(query, t(lang, "flag.for_add_ok", agency=named))
        case CoordAct.WRITE if agency:
            await svc.ask_write(store, me, flag_id, agency, now)
            await answer(update)
            await reply(update, context,
                        t(lang, "flag.for_ask_write", agency=named, number=flag_id))  # fmt: skip
        case _:
            await stale(update, context)


async def write_text(update: Update, context: BotContext, text: str, payload: str | None) -> None:
    """Send the coordinator's message to the agency on duty."""
    held = svc.held_part(payload)
    if held is None:
        await reply(update, context, t(context.lang, "auth.stale_button"))
        return
    try:
        count = await svc.write(context.store, context.me, held[0], held[1], text, context.now())
    except DomainError as exc:
        await reply(update, context, explain(context.lang, exc))
        return
    agency = (await context.agencies()).name(held[1], context.lang)
    await reply(update, context, t(context.lang, "flag.for_written", count=count, agency=agency))


def build_handlers() -> list[Guarded]:
    """None of its own: the presses come through handlers/flags.py's `fl:` handler."""
    return []


PROMPTS = {svc.PROMPT_WRITE: write_text}
