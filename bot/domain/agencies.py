"""Agencies as people read them: one place that turns a stored code into a name or short form.

Codes (POL, SKV) are for commands, storage and callback data; a person reads the agency's name
in their language, or its short form where space is tight (a button, a chart axis, a compact
list). Every text that shows an agency asks a `Directory`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
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

    def counted_as(self, code: str | None, targeted: Collection[str]) -> str | None:
        """The agency whose staffing a member of `code` counts toward: their own when a target
        names it, else the nearest one above it that a target names (a unit's member covers
        the agency it belongs to), else their own."""
        return next((a.code for a in self._chain(code) if a.code in targeted), code)

    def staffing(self, staffed: Iterable[str]) -> list[str]:
        """The agencies that staff a group with members of these, each unit counted as the
        agency it belongs to (a default target names agencies, not their units)."""
        found: list[str] = []
        for code in staffed:
            chain = self._chain(code)
            top = chain[-1].code if chain else code
            if top not in found:
                found.append(top)
        return found

    def _chain(self, code: str | None) -> list[Agency]:
        """The agency and each one it is a unit of, nearest first."""
        chain: list[Agency] = []
        step = self.get(code)
        while step is not None and step not in chain:
            chain.append(step)
            step = self.get(step.parent)
        return chain
