"""The numbered migrations: one file per number, so their order is never a matter of names."""

from __future__ import annotations

import re
from collections import Counter
from importlib import resources


def test_every_migration_has_a_number_of_its_own() -> None:
    names = [
        entry.name
        for entry in resources.files("storage.migrations").iterdir()
        if entry.name.endswith(".sql")
    ]
    numbers = []
    for name in names:
        if name.endswith(".pg.sql"):
            continue  # PostgreSQL's form of a migration, under the same number
        match = re.fullmatch(r"(\d{4})_[a-z0-9_]+\.sql", name)
        assert match is not None, f"{name} is not NNNN_name.sql"
        numbers.append(match.group(1))
    taken_twice = [n for n, count in Counter(numbers).items() if count > 1]
    assert taken_twice == []


def test_every_postgresql_form_has_its_migration() -> None:
    names = {e.name for e in resources.files("storage.migrations").iterdir()}
    own = sorted(n for n in names if n.endswith(".pg.sql"))
    assert own, "the triggers at least need PostgreSQL's own form"
    assert [n for n in own if n.removesuffix(".pg.sql") + ".sql" not in names] == []
