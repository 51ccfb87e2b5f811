"""Agencies as people read them: one place that turns a stored code into a name or short form.

Codes (POL, SKV) are for commands, storage and callback data; a person reads the agency's name
in their language, or its short form where space is tight (a button, a chart axis, a compact
list). Every text that shows an agency asks a `Directory`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.domain.models import Agency

NONE = "–"


@dataclass(frozen=True)
class Directory:
    """Every agency the deployment knows, active or not (old rows name retired agencies too)."""

    by_code: Mapping[str, Agency] = field(default_factory=dict)

    @classmethod
    def of(cls, agencies: Iterable[Agency]) -> Directory:
        return cls({a.code.upper(): a for a in agencies})

    def get(self, code: str | None) -> Agency | None:
        return self.by_code.get(code.upper()) if code else None

    def entry(self, code: str | None) -> Agency | str:
        """The agency to put in a text (the catalogue names it in the reader's language), the
        code itself if unknown, a dash for none."""
        return self.get(code) or code or NONE

    def name(self, code: str | None, lang: str) -> str:
        """The agency's name in `lang`; a dash for none, the code itself if unknown."""
        agency = self.get(code)
        return agency.named(lang) if agency else (code or NONE)

    def short(self, code: str | None, lang: str) -> str:
        """The agency's short form in `lang`; a dash for none, the code itself if unknown."""
        agency = self.get(code)
        return agency.short(lang) if agency else (code or NONE)

    def names(self, codes: Iterable[str], lang: str) -> str:
        """Several agencies by name, comma-separated, in the order given."""
        return ", ".join(self.name(code, lang) for code in codes)

    def shorts(self, codes: Iterable[str], lang: str) -> str:
        """Several agencies by short form, comma-separated, in the order given."""
        return ", ".join(self.short(code, lang) for code in codes)
