"""How a flag reads for one viewer, with the buttons that viewer may use (Telegram HTML)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.catalogue import CATALOGUE
from bot.domain.agencies import Directory
from bot.domain.callbacks import FlagAction, FlagPress
from bot.domain.flags import (
    OFFICE,
    PASSED_ON,
    Flag,
    FlagAct,
    Target,
    TargetState,
    allowed,
    may_see,
)
from bot.domain.ladders import Rung
from bot.domain.models import Group, Member
from bot.domain.outbox import Button, Keyboard
from bot.i18n import clock_time, escape, t

DEFAULT_ZONE = "Europe/Stockholm"
_MARK = {
    TargetState.OPEN: "⏳",
    TargetState.ACKNOWLEDGED: "👀",
    TargetState.RESOLVED: "✅",
    TargetState.DECLINED: "🛑",
}


def place_text(
    lang: str, place: str | None, lat: float | None, lon: float | None, group: str
) -> str | None:
    """Where a flag is, as its readers see it: the place's name, else the coordinates."""
    if place == OFFICE:
        return str(t(lang, "flag.place.office", group=group))
    if place:
        return place
    return f"{lat:.5f}, {lon:.5f}" if lat is not None and lon is not None else None


def venue(
    lang: str, flag: Flag, group: Group | None, office: str | None = None
) -> tuple[str, str] | None:
    """(title, address) of the flag's place as a Telegram venue, the address its own, the
    office's (`office`, from the group's board) or else the group's name; None when it is
    only a pin (or has no point: a typed place without one shows on the card alone)."""
    if flag.place is None or flag.lat is None or flag.lon is None:
        return None
    name = group.name if group else "?"
    title = place_text(lang, flag.place, None, None, name)
    assert title is not None
    return title, flag.place_address or (flag.place == OFFICE and office) or name


def category_label(lang: str, category: str) -> str:
    """A category's name; a deployment's own category shows as configured."""
    key = f"flag.cat.{category}"
    return t(lang, key) if key in CATALOGUE else category


def _target_line(
    lang: str, target: Target, names: dict[int, str], agencies: Directory, zone: str
) -> str:
    mark = _MARK[target.state]
    state: str
    if target.state is TargetState.OPEN:
        state = t(lang, "flag.state.open", until=clock_time(target.ack_deadline, zone))
        if target.rung is not Rung.ON_DUTY:
            state += t(
                lang, f"flag.rung.{target.rung.value}", agency=agencies.name(target.agency, lang)
            )
    elif target.state is TargetState.ACKNOWLEDGED:
        state = t(
            lang,
            "flag.state.acknowledged",
            name=names.get(target.acknowledged_by or 0, "?"),
            time=clock_time(target.acknowledged_at or target.ack_deadline, zone),
        )
        if target.on_behalf:
            state += t(lang, "flag.state.on_behalf")
    elif target.state is TargetState.RESOLVED:
        state = t(lang, "flag.state.resolved", name=names.get(target.closed_by or 0, "?"))
        if target.outcome is not None:
            state += t(
                lang, "flag.state.outcome", outcome=t(lang, f"flag.outcome.{target.outcome.value}")
            )
        if target.outcome_note:
            state += t(lang, "flag.state.outcome_note", note=target.outcome_note)
    elif target.decline_reason == PASSED_ON:
        state = t(lang, "flag.state.passed_on", name=names.get(target.closed_by or 0, "?"))
    else:
        state = t(
            lang,
            "flag.state.declined",
            name=names.get(target.closed_by or 0, "?"),
            reason=target.decline_reason or "",
        )
    if target.redirected_to:
        state += t(lang, "flag.state.redirected", agency=agencies.name(target.redirected_to, lang))
    nobody = (
        t(lang, "flag.no_one_on_duty")
        if target.no_one_on_duty and target.state is not TargetState.OPEN
        else ""
    )
    return f"{mark} <b>{escape(agencies.name(target.agency, lang))}</b> — {state}{nobody}"


def card(
    viewer: Member,
    flag: Flag,
    names: dict[int, str],
    group: Group | None,
    agencies: Directory,
    comments: Sequence[tuple[int, str, datetime]] = (),
    muted: bool = False,
) -> tuple[str, Keyboard | None]:
    """The flag's text and the viewer's buttons; nothing of it for a viewer who may not see it.

    Every copy is sent and edited through here, so need to know holds for edits as for
    reads: a holder deactivated or moved out of the group gets the neutral text instead.
    """
    if not may_see(viewer, flag):
        return gone(viewer, flag)
    lang = viewer.language
    zone = group.timezone if group else DEFAULT_ZONE
    head = t(
        lang,
        "flag.card_head",
        number=flag.id,
        urgency=t(lang, f"flag.urgency.{flag.urgency}"),
        category=category_label(lang, flag.category),
        agency=agencies.name(flag.raiser_agency, lang),
        name=names.get(flag.raised_by, "?"),
        group=group.name if group else "?",
        time=clock_time(flag.created_at, zone),
    )
    parts: list[str] = [head, escape(flag.description)]
    where = place_text(lang, flag.place, flag.lat, flag.lon, group.name if group else "?")
    if where is not None:
        parts.append(f"📍 {escape(where)}")
    parts.append("\n".join(_target_line(lang, tg, names, agencies, zone) for tg in flag.targets))
    if comments:
        lines = [
            t(lang, "flag.card_comment", name=names.get(who, "?"), time=clock_time(at, zone),
              text=text)
            for who, text, at in comments
        ]  # fmt: skip
        parts.append("\n".join([t(lang, "flag.card_comments"), *lines]))
    if flag.withdrawn_at is not None:
        parts.append(t(lang, "flag.withdrawn_banner"))
    elif flag.closed_at is not None:
        parts.append(t(lang, "flag.closed_banner"))
    return "\n\n".join(parts), _buttons(viewer, flag, muted)


def gone(viewer: Member, flag: Flag) -> tuple[str, Keyboard | None]:
    """What a copy shows to someone who may no longer see the flag: nothing of its content."""
    return t(viewer.language, "flag.gone", number=flag.id), None


# The card's buttons, row by row: each is shown exactly when the rule allows the act.
_ROWS = (
    ((FlagAct.ACKNOWLEDGE, FlagAction.ACKNOWLEDGE, "flag.btn.acknowledge"),
     (FlagAct.RESOLVE, FlagAction.RESOLVE, "flag.btn.resolve"),
     (FlagAct.DECLINE, FlagAction.DECLINE, "flag.btn.decline")),
    ((FlagAct.COMMENT, FlagAction.COMMENT, "flag.btn.comment"),
     (FlagAct.WITHDRAW, FlagAction.WITHDRAW, "flag.btn.withdraw"),
     (FlagAct.CATEGORISE, FlagAction.CATEGORISE, "flag.btn.categorise")),
    ((FlagAct.ACT_FOR, FlagAction.ACT_FOR, "flag.btn.act_for"),
     (FlagAct.MUTE, FlagAction.MUTE, "flag.btn.mute")),
)  # fmt: skip


def _buttons(viewer: Member, flag: Flag, muted: bool) -> Keyboard | None:
    acts, lang = allowed(viewer, flag), viewer.language
    swap = {FlagAction.MUTE: (FlagAction.UNMUTE, "flag.btn.unmute")} if muted else {}
    rows = [
        [
            Button(text=t(lang, key), data=FlagPress(action, flag.id).pack())
            for act, action, key in ((a, *swap.get(action, (action, k))) for a, action, k in row)
            if act in acts
        ]
        for row in _ROWS
    ]
    return [row for row in rows if row] or None
