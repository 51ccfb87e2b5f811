"""The command line and agencies: `samverkan agencies`, the codes in `--help`, and the list of
valid codes when one given is wrong."""

from __future__ import annotations

import argparse

from bot.domain.models import Agency
from bot.services import members as members_service
from bot.services.agencies import add_agency
from storage.store import Store

# The agencies every deployment starts with (storage/migrations 0001 and 0027); `--help` is
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
    """`agencies`: every active agency's code, names and short forms; `agencies add`."""
    agencies = sub.add_parser(
        "agencies", help="list the agencies (code, name, English name, short forms), or add one"
    )
    actions = agencies.add_subparsers(dest="action")
    add = actions.add_parser(
        "add",
        help="add an agency, or a unit within one (--within), e.g. the city's social services",
    )
    add.add_argument("code", help="2 to 12 capitals, digits or _, e.g. SOC")
    add.add_argument("--name", required=True, help="its name in Swedish, e.g. Socialtjänsten")
    add.add_argument("--name-en", default="", help="its name in English (default: the Swedish)")
    add.add_argument("--short", default="", help="where space is tight (default: the name)")
    add.add_argument("--short-en", default="", help="the short form in English")
    add.add_argument("--within", help="the agency it is a unit of: " + CODE_HELP)


async def run(store: Store, args: argparse.Namespace) -> None:
    """List the agencies, or add one and say so."""
    if args.action == "add":
        made = await add_agency(
            store, args.code, args.name, name_en=args.name_en, short_sv=args.short,
            short_en=args.short_en, parent=args.within,
        )  # fmt: skip
        print(f"added {line(made)}")
        return
    print("\n".join(await listing(store)))


def line(agency: Agency) -> str:
    """One agency as the command line lists it."""
    shorts = dict.fromkeys((agency.short("sv"), agency.short("en")))
    within = f"\twithin {agency.parent}" if agency.parent else ""
    return f"{agency.code}\t{agency.name}\t{agency.named('en')}\t{' / '.join(shorts)}{within}"


async def listing(store: Store) -> list[str]:
    """Every active agency, one line each, in set-up order."""
    return [line(a) for a in await members_service.agencies(store)]


async def unknown(store: Store, code: str | None) -> str:
    """Why a code was refused, with the codes that would have been taken."""
    valid = "\n".join(f"  {text}" for text in await listing(store))
    return f"no agency {code!r}; the agencies are (code, name, English, short):\n{valid}"
