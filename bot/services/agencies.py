"""The deployment's agencies and units within them: adding one (names, short forms, parent)."""

from __future__ import annotations

import re

from bot.domain.errors import UnknownAgency
from bot.domain.models import Agency
from storage.store import Store

# Codes travel in callback data and commands: capitals, digits and _, 2 to 12 of them.
_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,11}")


async def add_agency(
    store: Store,
    code: str,
    name: str,
    *,
    name_en: str = "",
    short_sv: str = "",
    short_en: str = "",
    parent: str | None = None,
) -> Agency:
    """Add an agency, or a unit within one (`parent`), after the others in set-up order."""
    code = code.strip().upper()
    if _CODE.fullmatch(code) is None:
        raise ValueError(f"{code!r} cannot be a code: 2 to 12 capitals, digits or _, e.g. SOC")
    texts = [name, name_en, short_sv, short_en]
    if not name.strip() or any(len(text) > 80 or "\n" in text for text in texts):
        raise ValueError("an agency needs a name; names and short forms are one line of 80")
    async with store.transaction() as tx:
        if await tx.groups.agency(code) is not None:
            raise ValueError(f"the code {code} is taken")
        within = await tx.groups.agency(parent) if parent else None
        if parent and within is None:
            raise UnknownAgency()
        agency = Agency(
            code=code,
            name=name.strip(),
            name_en=name_en.strip(),
            short_sv=short_sv.strip(),
            short_en=short_en.strip(),
            parent=within.code if within else None,
        )
        await tx.groups.add_agency(agency)
    return agency
