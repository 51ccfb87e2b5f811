"""The command line and agencies: `samverkan agencies`, the codes in `--help`, and the list of
valid codes when one given is wrong."""

from __future__ import annotations

import argparse

from bot.domain.models import Agency
from bot.services import members as members_service
from storage.store import Store

# The agencies every deployment starts with (storage/migrations 0001 and 0024); `--help` is
# printed without opening the database, so it names these, and `samverkan agencies` the
# deployment's own (a unit test keeps this list and the migrations in step).
SEEDED = (
    ("STHLM", "Stockholms stad"),
    ("SKV", "Skatteverket"),
    ("AF", "Arbetsförmedlingen"),
    ("EBM", "Ekobrottsmyndigheten"),
    ("TULL", "Tullverket"),
    ("FK", "Försäkringskassan"),
    ("KVV", "Kriminalvården"),
    ("SAPO", "Säkerhetspolisen"),
    ("KBV", "Kustbevakningen"),
    ("MIGR", "Migrationsverket"),
    ("POL", "Polismyndigheten"),
    ("AM", "Åklagarmyndigheten"),
)
CODE_HELP = (
    "the agency's code: "
    + ", ".join(f"{code} ({name})" for code, name in SEEDED)
    + "; `samverkan agencies` lists this deployment's"
)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`agencies`: every active agency's code, names and short forms."""
    sub.add_parser("agencies", help="list the agencies: code, name, English name, short forms")


def line(agency: Agency) -> str:
    """One agency as the command line lists it."""
    shorts = dict.fromkeys((agency.short("sv"), agency.short("en")))
    return f"{agency.code}\t{agency.name}\t{agency.named('en')}\t{' / '.join(shorts)}"


async def listing(store: Store) -> list[str]:
    """Every active agency, one line each, in set-up order."""
    return [line(a) for a in await members_service.agencies(store)]


async def unknown(store: Store, code: str | None) -> str:
    """Why a code was refused, with the codes that would have been taken."""
    valid = "\n".join(f"  {text}" for text in await listing(store))
    return f"no agency {code!r}; the agencies are (code, name, English, short):\n{valid}"
