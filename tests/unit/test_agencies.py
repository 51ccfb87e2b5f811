"""Agencies by name, not code: the one place that says how an agency reads."""

from __future__ import annotations

from bot.domain.agencies import Directory
from bot.domain.errors import DomainError
from bot.domain.models import Agency
from bot.i18n import explain, t

POL = Agency(code="POL", name="Polismyndigheten", name_en="Swedish Police Authority",
             short_sv="Polisen", short_en="Police")  # fmt: skip
SKV = Agency(code="SKV", name="Skatteverket", name_en="Swedish Tax Agency", short_sv="SKV")
OWN = Agency(code="SOC", name="Socialtjänsten")  # a deployment's own: only its Swedish name
AGENCIES = Directory.of([POL, SKV, OWN])


def test_an_agency_reads_by_its_name_in_the_readers_language() -> None:
    assert AGENCIES.name("POL", "sv") == "Polismyndigheten"
    assert AGENCIES.name("pol", "en") == "Swedish Police Authority"  # codes ignore case
    assert AGENCIES.names(["SKV", "POL"], "en") == "Swedish Tax Agency, Swedish Police Authority"


def test_where_space_is_tight_the_short_form_swedes_use() -> None:
    assert AGENCIES.short("POL", "sv") == "Polisen" and AGENCIES.short("POL", "en") == "Police"
    assert AGENCIES.short("SKV", "en") == "SKV"  # no English short form: the Swedish one
    assert AGENCIES.shorts(["SKV", "POL"], "sv") == "SKV, Polisen"


def test_an_agency_with_only_a_swedish_name_reads_so_in_every_form() -> None:
    for lang in ("sv", "en"):
        assert AGENCIES.name("SOC", lang) == "Socialtjänsten"
        assert AGENCIES.short("SOC", lang) == "Socialtjänsten"


def test_none_is_a_dash_and_an_unknown_code_is_shown_as_it_is() -> None:
    assert AGENCIES.name(None, "sv") == "–" and AGENCIES.short(None, "en") == "–"
    assert AGENCIES.name("GONE", "sv") == "GONE" and AGENCIES.entry("GONE") == "GONE"
    assert AGENCIES.entry("POL") == POL and AGENCIES.entry(None) == "–"


def test_the_catalogue_names_an_agency_value_in_the_language_it_renders() -> None:
    assert t("sv", "flag.for_ack_ok", agency=POL) == "Kvitterad för Polismyndigheten."
    assert t("en", "flag.for_ack_ok", agency=POL) == "Acknowledged for Swedish Police Authority."
    refused = DomainError("flag.not_open_for", agency=SKV)
    assert explain("en", refused) == "Swedish Tax Agency's part is no longer open."
    assert explain("sv", refused) == "Skatteverkets del är inte öppen längre."


def test_a_units_member_counts_toward_the_nearest_agency_a_target_names() -> None:
    city = Agency(code="STHLM", name="Stockholms stad")
    soc = Agency(code="SOC", name="Socialtjänsten", parent="STHLM")
    team = Agency(code="FÄLT", name="Fältassistenterna", parent="SOC")  # a unit of a unit
    units = Directory.of([city, soc, team, POL])
    assert units.counted_as("FÄLT", {"STHLM", "POL"}) == "STHLM"
    assert units.counted_as("FÄLT", {"SOC", "STHLM"}) == "SOC"  # the target names the unit
    assert units.counted_as("SOC", {"POL"}) == "SOC"  # nothing above it is a target
    assert units.counted_as(None, {"POL"}) is None
    assert units.staffing(["POL", "SOC", "STHLM", "FÄLT"]) == ["POL", "STHLM"]
