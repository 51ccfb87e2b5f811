"""One migration history, two engines: the schemas they end with must agree, so a migration
that PostgreSQL reads differently (or not at all) fails here rather than in a deployment."""

from __future__ import annotations

from pathlib import Path

from storage.db import Database
from storage.schema import Schema, describe
from tests.pg import Emptier


async def _both(tmp_path: Path, pg_database: Emptier) -> tuple[Schema, Schema]:
    lite = await Database.open(str(tmp_path / "schema.db"))
    pg = await Database.open(pg_database.url)
    try:
        await lite.migrate()
        return await describe(lite), await describe(pg)
    finally:
        await lite.close()
        await pg.close()


async def test_the_same_tables_and_columns_of_the_same_kind(
    tmp_path: Path, pg_database: Emptier
) -> None:
    lite, pg = await _both(tmp_path, pg_database)
    assert len(lite.columns) > 20
    assert pg.columns == lite.columns


async def test_the_same_keys_references_and_indexes(tmp_path: Path, pg_database: Emptier) -> None:
    lite, pg = await _both(tmp_path, pg_database)
    assert pg.primary_keys == lite.primary_keys
    assert pg.references == lite.references
    assert pg.unique == lite.unique
    assert pg.indexes == lite.indexes
    assert lite.indexes["outbox_due"].partial


async def test_every_table_can_be_filled_in_an_order(tmp_path: Path, pg_database: Emptier) -> None:
    lite, _ = await _both(tmp_path, pg_database)
    order = lite.order()
    assert order.index("members") < order.index("group_memberships")
    assert order.index("flags") < order.index("flag_targets")
