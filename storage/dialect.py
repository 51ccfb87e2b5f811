"""SQL written once, for SQLite, translated mechanically for PostgreSQL.

The repositories and migrations are written in the SQL both engines share; what differs is
spelled the SQLite way and rewritten here, so an ordinary new query or migration works on both
without a second copy:

- placeholders: `?` becomes `%s`, `:name` becomes `%(name)s`, a literal `%` becomes `%%`;
- `x IN (SELECT value FROM json_each(?))` (a JSON array bound as text) becomes
  `x = ANY(%s)`, with the array decoded and bound as a PostgreSQL array;
- `INSERT OR IGNORE` becomes `INSERT ... ON CONFLICT DO NOTHING`;
- `group_concat(x)` becomes `string_agg(CAST(x AS TEXT), ',')`;
- `/* FOR UPDATE SKIP LOCKED */`, a comment to SQLite (whose one writer holds the whole file
  for a transaction), becomes the row lock that skips rows other transactions hold, and
  `/* FOR UPDATE */` the row lock that waits for them (a check that must hold until commit);
- in migrations, the types: `INTEGER PRIMARY KEY [AUTOINCREMENT]` becomes a BIGINT identity,
  every other INTEGER a BIGINT (Telegram's ids do not fit 32 bits), REAL a DOUBLE PRECISION.

String literals, quoted names and comments are left as they are. What cannot be translated
(a trigger's body) lives in a `NNNN_name.pg.sql` beside its migration.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_JSON_IN = re.compile(
    r"IN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\s*(\?|:\w+)\s*\)\s*\)", re.IGNORECASE
)
_GROUP_CONCAT = re.compile(r"\bgroup_concat\s*\(", re.IGNORECASE)
# A marker for a placeholder whose JSON text is bound as an array (never valid SQL itself).
_ARRAY = "\x00"
# Row locks exist only on PostgreSQL; SQLite's transaction already holds every row.
_ROW_LOCKS = ("/* FOR UPDATE SKIP LOCKED */", "/* FOR UPDATE */")


@dataclass(frozen=True)
class PgQuery:
    """A statement for PostgreSQL and which of its parameters to bind as arrays."""

    text: str
    # Positions (for `?`) or names (for `:name`) whose JSON array text is decoded first.
    arrays: frozenset[int | str]

    def bind(self, params: Sequence[Any] | Mapping[str, Any] | None) -> Any:
        """The parameters as psycopg takes them: booleans as 0/1, JSON arrays as lists."""
        if params is None:
            return None
        if isinstance(params, Mapping):
            return {
                key: _array(value) if key in self.arrays else _plain(value)
                for key, value in params.items()
            }
        return [
            _array(value) if index in self.arrays else _plain(value)
            for index, value in enumerate(params)
        ]


def _plain(value: Any) -> Any:
    # The schema keeps booleans as INTEGER 0/1 on both engines; psycopg would send `boolean`.
    return int(value) if isinstance(value, bool) else value


def _array(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _segments(sql: str) -> list[tuple[bool, str]]:
    """The statement in pieces: (True, code) or (False, a literal, quoted name or comment)."""
    pieces: list[tuple[bool, str]] = []
    code_start = 0
    i = 0
    n = len(sql)
    while i < n:
        char = sql[i]
        end = -1
        if char in "'\"":
            end = i + 1
            while end < n:
                if sql[end] == char:
                    if end + 1 < n and sql[end + 1] == char:  # a doubled quote inside
                        end += 2
                        continue
                    break
                end += 1
            end = min(end + 1, n)
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            end = n if newline < 0 else newline
        elif sql.startswith("/*", i):
            close = sql.find("*/", i + 2)
            end = n if close < 0 else close + 2
        if end < 0:
            i += 1
            continue
        if code_start < i:
            pieces.append((True, sql[code_start:i]))
        pieces.append((False, sql[i:end]))
        code_start = i = end
    if code_start < n:
        pieces.append((True, sql[code_start:]))
    return pieces


def _closing(code: str, open_at: int) -> int:
    """Index of the parenthesis closing the one at `open_at` (literals already taken out)."""
    depth = 0
    for i in range(open_at, len(code)):
        if code[i] == "(":
            depth += 1
        elif code[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced parentheses")


_INSERT_INTO = re.compile(r"\bINSERT\s+INTO\s+(\w+)", re.IGNORECASE)
_DO_UPDATE = re.compile(r"\bDO\s+UPDATE\s+SET\b", re.IGNORECASE)
_SET_END = re.compile(r"\b(WHERE|RETURNING)\b", re.IGNORECASE)


def _qualified_upsert(code: str) -> str:
    """`ON CONFLICT ... DO UPDATE SET n = n + 1`: PostgreSQL finds `n` ambiguous (the row or
    `excluded`), SQLite takes the row's; name the table where a column reads itself."""
    into, update = _INSERT_INTO.search(code), _DO_UPDATE.search(code)
    if into is None or update is None:
        return code
    table = into.group(1)
    start = update.end()
    depth, end, cuts = 0, len(code), [start]
    for i in range(start, len(code)):
        char = code[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char == ",":
            cuts.append(i + 1)
        elif depth == 0 and _SET_END.match(code, i) and not code[i - 1].isalnum():
            end = i
            break
    cuts.append(end)
    pieces = [code[a:b] for a, b in itertools.pairwise(cuts)]
    out = []
    for piece in pieces:
        column, eq, value = piece.partition("=")
        name = column.strip()
        if eq and name.isidentifier():
            value = re.sub(rf"(?<![.:\w]){name}\b(?!\s*\()", f"{table}.{name}", value)
        out.append(column + eq + value)
    return code[:start] + "".join(out) + code[end:]


_FROM_SUBQUERY = re.compile(r"\b(FROM|JOIN)\s*\(\s*SELECT\b", re.IGNORECASE)
_NOT_AN_ALIAS = re.compile(
    r"\s*($|[),;]|(WHERE|GROUP|ORDER|LIMIT|JOIN|LEFT|INNER|CROSS|ON|UNION|HAVING|WINDOW"
    r"|OFFSET|FOR)\b)",
    re.IGNORECASE,
)


def _aliased_subqueries(code: str) -> str:
    """PostgreSQL before 16 wants a name for every subquery in FROM; SQLite does not."""
    out, last, count = [], 0, 0
    for match in _FROM_SUBQUERY.finditer(code):
        if match.start() < last:
            continue
        open_at = code.index("(", match.start())
        close = _closing(code, open_at)
        inner = _aliased_subqueries(code[open_at + 1 : close])
        out.append(code[last : open_at + 1] + inner + ")")
        if _NOT_AN_ALIAS.match(code, close + 1):
            count += 1
            out.append(f" AS _q{count}")
        last = close + 1
    return "".join(out) + code[last:]


_IS_NOT = re.compile(r"\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.IGNORECASE)
_IS = re.compile(r"\bIS\s+(?!NOT\b|NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.IGNORECASE)
_PARAM_IS_NULL = re.compile(r"(\?|(?<!:):[A-Za-z_]\w*)(\s+IS\s+(?:NOT\s+)?NULL)\b", re.IGNORECASE)


_OR_IGNORE = re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


def _insert_or_ignore(code: str) -> str:
    """SQLite's `INSERT OR IGNORE` is `ON CONFLICT DO NOTHING` (before any RETURNING)."""
    if not _OR_IGNORE.search(code):
        return code
    code = _OR_IGNORE.sub("INSERT INTO", code)
    returning = _RETURNING.search(code)
    at = returning.start() if returning else len(code.rstrip().rstrip(";"))
    return f"{code[:at].rstrip()} ON CONFLICT DO NOTHING {code[at:]}".rstrip()


def _functions(code: str) -> str:
    code = _aliased_subqueries(_qualified_upsert(_insert_or_ignore(code)))
    # `? IS NULL` alone tells PostgreSQL nothing of the parameter's type; any type will do.
    code = _PARAM_IS_NULL.sub(r"CAST(\1 AS TEXT)\2", code)
    # SQLite's `a IS b` / `a IS NOT b` compare NULL as a value, as these do.
    code = _IS_NOT.sub("IS DISTINCT FROM ", code)
    code = _IS.sub("IS NOT DISTINCT FROM ", code)
    while match := _GROUP_CONCAT.search(code):
        open_at = match.end() - 1
        close = _closing(code, open_at)
        inner = code[open_at + 1 : close]
        code = f"{code[: match.start()]}string_agg(CAST({inner} AS TEXT), ','){code[close + 1 :]}"
    return _JSON_IN.sub(lambda m: f"= ANY({_ARRAY}{m.group(1)})", code)


_PLACEHOLDER = re.compile(r"\x00?(\?|(?<!:):[A-Za-z_]\w*)|%")


@lru_cache(maxsize=4096)
def to_pg(sql: str) -> PgQuery:
    """Translate one statement of the repositories' SQL for PostgreSQL (cached: the
    repositories' statements are constants)."""
    pieces = [
        (True, text[3:-3]) if not is_code and text in _ROW_LOCKS else (is_code, text)
        for is_code, text in _segments(sql)
    ]
    # Functions are rewritten on the code with literals stood in for, so a parenthesis or
    # keyword inside a string never counts.
    joined = "".join(
        text if is_code else f"\x01{i}\x01" for i, (is_code, text) in enumerate(pieces)
    )
    joined = _functions(joined)
    position = 0
    arrays: set[int | str] = set()

    def placeholder(match: re.Match[str]) -> str:
        nonlocal position
        token = match.group(0)
        if token == "%":  # noqa: S105 - a literal percent sign, not a secret
            return "%%"
        is_array = token.startswith(_ARRAY)
        name = match.group(1)
        if name == "?":
            if is_array:
                arrays.add(position)
            position += 1
            return "%s"
        if is_array:
            arrays.add(name[1:])
        return f"%({name[1:]})s"

    out: list[str] = []
    for part in re.split(r"(\x01\d+\x01)", joined):
        if part.startswith("\x01") and part.endswith("\x01") and len(part) > 2:
            original = pieces[int(part[1:-1])][1]
            out.append(original.replace("%", "%%"))
        else:
            out.append(_PLACEHOLDER.sub(placeholder, part))
    return PgQuery("".join(out), frozenset(arrays))


_INTEGER_KEY = re.compile(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b", re.IGNORECASE)
_INTEGER = re.compile(r"\bINTEGER\b", re.IGNORECASE)
_REAL = re.compile(r"\bREAL\b", re.IGNORECASE)
_AUTOINCREMENT = re.compile(r"\s+AUTOINCREMENT\b", re.IGNORECASE)


def ddl_to_pg(statement: str) -> str:
    """Translate one migration statement's types for PostgreSQL (no placeholders there)."""
    out: list[str] = []
    for is_code, text in _segments(statement):
        if is_code:
            text = _INTEGER_KEY.sub("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", text)
            text = _AUTOINCREMENT.sub("", text)
            text = _INTEGER.sub("BIGINT", text)
            text = _REAL.sub("DOUBLE PRECISION", text)
            text = _functions(text).replace(_ARRAY, "")
        out.append(text)
    return "".join(out)
