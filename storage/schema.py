"""What the migrations made, read back from either engine in one shape.

Used to check that one migration history gives both engines the same schema, and by
`samverkan db copy` to know the tables and the order their references need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.db import Database

# Types as the repositories see them: SQLite's declared type, PostgreSQL's translation.
_KINDS = {
    "INTEGER": "integer",
    "BIGINT": "integer",
    "TEXT": "text",
    "REAL": "real",
    "DOUBLE PRECISION": "real",
}


@dataclass(frozen=True)
class Index:
    """An index the migrations created by name (not one a constraint brought along)."""

    table: str
    columns: tuple[str, ...]
    unique: bool
    partial: bool


@dataclass
class Schema:
    """Tables with their columns (kind, NOT NULL), keys, references and indexes."""

    columns: dict[str, dict[str, tuple[str, bool]]] = field(default_factory=dict)
    primary_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # (table, columns, referenced table)
    references: set[tuple[str, tuple[str, ...], str]] = field(default_factory=set)
    unique: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    indexes: dict[str, Index] = field(default_factory=dict)

    def order(self) -> list[str]:
        """The tables, each after every table it refers to (a table may refer to itself)."""
        done: list[str] = []
        pending = sorted(self.columns)
        while pending:
            ready = [
                t
                for t in pending
                if all(r in done or r == t for (s, _, r) in self.references if s == t)
            ]
            if not ready:
                raise ValueError(f"references go round in a circle: {pending}")
            done.extend(ready)
            pending = [t for t in pending if t not in ready]
        return done


async def describe(db: Database) -> Schema:
    """The schema of a migrated database (schema_migrations left out)."""
    if db.engine == "postgresql":
        return await _postgresql(db)
    return await _sqlite(db)


async def _sqlite(db: Database) -> Schema:
    schema = Schema()
    async with db.read() as conn:
        tables = [
            r[0]
            for r in await conn.execute_fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'"
            )
        ]
        for table in tables:
            info = await conn.execute_fetchall(
                'SELECT name, type, "notnull", pk FROM pragma_table_info(?)', (table,)
            )
            schema.columns[table] = {
                r[0]: (_KINDS.get(r[1].upper(), r[1].lower()), bool(r[2]) or r[3] > 0)
                for r in info
            }
            keys = sorted((r[3], r[0]) for r in info if r[3] > 0)
            schema.primary_keys[table] = tuple(name for _, name in keys)
            refs = await conn.execute_fetchall(
                'SELECT id, "table", "from" FROM pragma_foreign_key_list(?) ORDER BY id, seq',
                (table,),
            )
            by_id: dict[int, tuple[str, list[str]]] = {}
            for ref_id, target, column in refs:
                by_id.setdefault(ref_id, (target, []))[1].append(column)
            schema.references |= {(table, tuple(c), t) for t, c in by_id.values()}
            for name, unique, origin, partial in await conn.execute_fetchall(
                'SELECT name, "unique", origin, partial FROM pragma_index_list(?)', (table,)
            ):
                columns = tuple(
                    r[0]
                    for r in await conn.execute_fetchall(
                        "SELECT name FROM pragma_index_info(?) ORDER BY seqno", (name,)
                    )
                )
                if origin == "c":
                    schema.indexes[name] = Index(table, columns, bool(unique), bool(partial))
                elif origin == "u":
                    schema.unique.add((table, columns))
    return schema


async def _postgresql(db: Database) -> Schema:
    schema = Schema()
    async with db.read() as conn:
        for table, column, kind, not_null in await conn.execute_fetchall(
            "SELECT table_name, column_name, upper(data_type), is_nullable = 'NO'"
            " FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position"
        ):
            schema.columns.setdefault(table, {})[column] = (
                _KINDS.get(kind, kind.lower()),
                bool(not_null),
            )
        constraints = await conn.execute_fetchall(
            "SELECT c.contype, t.relname, f.relname,"
            " ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)"
            "  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i)"
            " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
            " JOIN pg_namespace s ON s.oid = t.relnamespace AND s.nspname = current_schema()"
            " LEFT JOIN pg_class f ON f.oid = c.confrelid"
            " WHERE c.contype IN ('p', 'u', 'f') AND t.relname <> 'schema_migrations'"
        )
        for kind, table, target, columns in constraints:
            if kind == "p":
                schema.primary_keys[table] = tuple(columns)
            elif kind == "u":
                schema.unique.add((table, tuple(columns)))
            else:
                schema.references.add((table, tuple(columns), target))
        for table in schema.columns:
            schema.primary_keys.setdefault(table, ())
        indexes = await conn.execute_fetchall(
            "SELECT i.relname, t.relname, x.indisunique, x.indpred IS NOT NULL,"
            " ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(n, o)"
            "  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o)"
            " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            " JOIN pg_class t ON t.oid = x.indrelid"
            " JOIN pg_namespace s ON s.oid = t.relnamespace AND s.nspname = current_schema()"
            " WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
            " AND t.relname <> 'schema_migrations'"
        )
        for name, table, unique, partial, columns in indexes:
            schema.indexes[name] = Index(table, tuple(columns), bool(unique), bool(partial))
    return schema
