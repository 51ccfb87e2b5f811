"""The seeded agencies carry their names in both languages and the short forms Swedes use,
and the command line's `--help` names the same set the migrations seed."""

from __future__ import annotations

from bot.cli_agencies import SEEDED
from storage.store import Store

SHORT = {
    "STHLM": ("Staden", "City"), "SKV": ("SKV", "SKV"), "AF": ("AF", "AF"),
    "EBM": ("EBM", "EBM"), "TULL": ("Tull", "Customs"), "FK": ("FK", "FK"),
    "KVV": ("KVV", "KVV"), "SAPO": ("Säpo", "Säpo"), "KBV": ("KBV", "KBV"),
    "MIGR": ("MV", "MV"), "POL": ("Polisen", "Police"), "AM": ("ÅM", "ÅM"),
}  # fmt: skip


async def test_every_seeded_agency_has_a_name_in_each_language_and_a_short_form(
    store: Store,
) -> None:
    async with store.read() as tx:
        agencies = await tx.groups.agencies()
        directory = await tx.groups.directory()
    assert [(a.code, a.name) for a in agencies] == list(SEEDED)
    for agency in agencies:
        assert agency.named("en") != agency.name, agency.code  # an English name of its own
        assert (agency.short("sv"), agency.short("en")) == SHORT[agency.code]
    assert directory.name("SAPO", "en") == "Swedish Security Service"
    assert directory.name("AM", "sv") == "Åklagarmyndigheten"
