"""A person's rights: take out everything stored about them, or have it erased."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.agencies import Directory
from bot.domain.errors import UnknownMember
from bot.domain.models import Member
from bot.services.members import deactivate_member
from storage.privacy_rules import RULES
from storage.store import Store

ABOUT = (
    "Samverkan: everything stored about member {mid}, exported {at}.\n"
    "data.json holds every table; each CSV file holds one table, one row per line.\n"
    "Agencies appear by code; agencies.csv names each one (Swedish and English).\n"
    "Times are UTC. Ask the deployment's administrator for corrections or erasure.\n"
)


@dataclass(frozen=True)
class Export:
    """A person's data: the rows by table, and the ZIP file that carries them."""

    member: Member
    rows: dict[str, list[dict[str, Any]]]
    archive: bytes

    @property
    def filename(self) -> str:
        """The file's name as the person receives it."""
        return f"samverkan-member-{self.member.id}.zip"


@dataclass(frozen=True)
class Erasure:
    """What an erasure did (or, in a dry run, would do), by table."""

    member_id: int
    rows: dict[str, int]
    done: bool

    def lines(self) -> list[str]:
        """One line per table: how many rows, and what happens to them."""
        said = {r.table: r.erased for r in RULES}
        return [f"{table}\t{n}\t{said[table]}" for table, n in self.rows.items()]


async def export_data(
    store: Store, member_id: int, now: datetime, actor: Member | None = None
) -> Export:
    """Every row about the member as JSON and CSV in one ZIP; the export is audited.

    `actor` None means the command line; a member asking for their own data is the actor.
    """
    async with store.transaction() as tx:
        member = await tx.members.get(member_id)
        if member is None:
            raise UnknownMember()
        rows = await tx.privacy.export(member.id, member.telegram_user_id)
        agencies = _agencies(await tx.groups.directory(), rows)
        await tx.audit.record(
            "privacy.export",
            now=now,
            actor_member_id=actor.id if actor else None,
            object_type="member",
            object_id=member.id,
        )
    return Export(member=member, rows=rows, archive=_zip(member.id, rows, agencies, now))


_AGENCY_COLUMNS = ("agency_code", "raiser_agency", "redirected_to")


def _agencies(agencies: Directory, rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The agencies the export mentions, by name, so the codes in it can be read."""
    codes = {
        str(record[column])
        for records in rows.values()
        for record in records
        for column in _AGENCY_COLUMNS
        if record.get(column)
    }
    return [
        {"code": code, "name": agencies.name(code, "sv"), "name_en": agencies.name(code, "en")}
        for code in sorted(codes)
    ]


def _zip(
    member_id: int,
    rows: dict[str, list[dict[str, Any]]],
    agencies: list[dict[str, Any]],
    now: datetime,
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", ABOUT.format(mid=member_id, at=now.isoformat()))
        document = {
            "member_id": member_id,
            "exported_at": now.isoformat(),
            "tables": rows,
            "agencies": agencies,
        }
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
        for table, records in {**rows, "agencies": agencies}.items():
            if not records:
                continue
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows(records)
            # A byte-order mark, so a spreadsheet opens the Swedish letters right.
            archive.writestr(f"{table}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()


async def erase_member(
    store: Store, member_id: int, now: datetime, *, dry_run: bool = False
) -> Erasure:
    """Erase a person on request: deactivate (offboarding), then delete or pseudonymise
    table by table (storage/privacy_rules.py), keeping the aggregates reports count.

    A dry run only lists how many rows of each table are about the person.
    """
    async with store.read() as tx:
        member = await tx.members.get(member_id)
        if member is None:
            raise UnknownMember()
        rows = await tx.privacy.mentions(member.id, member.telegram_user_id)
    if dry_run:
        return Erasure(member_id, rows, done=False)
    if member.active:
        await deactivate_member(store, member.id, now)
    async with store.transaction() as tx:
        await tx.privacy.erase(member.id, member.telegram_user_id, now)
        await tx.audit.record("member.erase", now=now, object_type="member", object_id=member.id)
    return Erasure(member_id, rows, done=True)
