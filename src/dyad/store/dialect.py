"""SQLite SQL as PostgreSQL: the store's queries and migrations are written once, for SQLite, and
translated here for the PostgreSQL store (dyad.store.postgres), so a new query or migration
needs no second version.

The translation works on tokens, not a full parse. It covers what SQLite accepts and PostgreSQL
does not, as far as the store uses it: ``?`` parameters, ``INSERT OR IGNORE/REPLACE``, ``GLOB``,
``IS ?``, case-insensitive ``LIKE``, ``end`` as a column name, bare columns in ``GROUP BY``
queries, ``WHERE 1``, ``LIMIT -1``, ``IN ()``, unnamed subqueries, SQLite's scalar functions, and
in migrations the column types (dynamic typing becomes BIGINT / DOUBLE PRECISION / TEXT "C" /
BYTEA), ``INTEGER PRIMARY KEY`` and the hidden ``rowid`` (identity columns; NULL given to them
draws a number, as in SQLite). An FTS5 table becomes a view over its content table with a GIN
index: ``MATCH ?`` (its FTS5 query turned into a tsquery), ``rank``, ``bm25()``, ``snippet()``
and ``highlight()`` are translated, and writes to the FTS5 table (triggers, 'rebuild', 'delete')
are dropped, as the index keeps itself. What it cannot translate raises :class:`Untranslatable`;
a migration can then be given as a PostgreSQL file of its own in ``store/migrations_pg``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r"""
 (?P<ws>\s+)
|(?P<comment>--[^\n]*|/\*.*?\*/)
|(?P<str>'(?:[^']|'')*')
|(?P<qid>"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\])
|(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
|(?P<param>\?\d*|[:@$][A-Za-z_]\w*)
|(?P<word>[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)
|(?P<op>\|\||<=|>=|<>|!=|==|<<|>>|.)
""", re.S | re.X)

# What FTS5's default tokenizer (unicode61) treats as one token: a run of letters and digits. The
# PostgreSQL document is built from the same runs, so both stores find the same words.
FTS_CONFIG = "simple"
NOCASE = "nocase"  # an ICU collation made by the PostgreSQL store: case-insensitive equality
_CONSTRAINT_WORDS = {"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE",
                     "REFERENCES", "GENERATED", "AS"}
_TABLE_CONSTRAINT = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"}
_CLAUSE_END = {"HAVING", "ORDER", "LIMIT", "WINDOW", "RETURNING", "OFFSET"}
_AFTER_TABLE = {"ON", "USING", "WHERE", "JOIN", "LEFT", "INNER", "CROSS", "NATURAL", "GROUP", "ORDER", "LIMIT",
                "UNION", "EXCEPT", "INTERSECT", "WINDOW", "HAVING", "OUTER", "FULL", "RIGHT", "SET", "VALUES", "AS"}
_IS_KEEP = {"NULL", "NOT", "TRUE", "FALSE", "DISTINCT"}
_NOW_WORDS = {"CURRENT_TIMESTAMP": "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')",
              "CURRENT_DATE": "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
              "CURRENT_TIME": "to_char(now() AT TIME ZONE 'UTC', 'HH24:MI:SS')"}
_PARAM, _NAMED = "\x00p\x00", "\x00n\x00"  # stand-ins for psycopg placeholders while % is escaped
_STRFTIME = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%H": "HH24", "%M": "MI", "%S": "SS", "%j": "DDD",
             "%W": "WW", "%w": "D", "%f": "SS.MS", "%s": "", "%%": "%"}


class Untranslatable(ValueError):
    """SQLite SQL with no PostgreSQL translation here."""


class FtsSyntaxError(ValueError):
    """An FTS5 query that FTS5 would reject too."""


@dataclass(frozen=True, slots=True)
class Schema:
    """What translation needs to know of the PostgreSQL schema."""

    primary_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)  # for INSERT OR REPLACE
    identity: dict[str, frozenset[str]] = field(default_factory=dict)      # rowid / INTEGER PRIMARY KEY
    fts: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # FTS5 name → content, columns


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str
    text: str

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else self.text


def tokenize(sql: str) -> list[Tok]:
    tokens, at = [], 0
    while at < len(sql):
        match = _TOKEN.match(sql, at)
        if match is None:
            raise Untranslatable(f"cannot read SQL at {sql[at:at + 30]!r}")
        if match.lastgroup != "comment":
            tokens.append(Tok(match.lastgroup, match.group()))
        at = match.end()
    return tokens


def _sig(tokens: list[Tok]) -> list[Tok]:
    return [t for t in tokens if t.kind != "ws"]


def _closing(tokens: list[Tok], start: int) -> int:
    """Index of the ``)`` that closes the ``(`` at ``start``."""
    depth = 0
    for i in range(start, len(tokens)):
        if tokens[i].text == "(":
            depth += 1
        elif tokens[i].text == ")":
            depth -= 1
            if depth == 0:
                return i
    raise Untranslatable("unbalanced parentheses")


def _split(tokens: list[Tok], sep: str = ",") -> list[list[Tok]]:
    """Split at top-level ``sep`` tokens (commas outside parentheses)."""
    parts, current, depth = [], [], 0
    for tok in tokens:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        if depth == 0 and tok.text == sep:
            parts.append(current)
            current = []
        else:
            current.append(tok)
    parts.append(current)
    return parts


def _glob_regex(literal: str) -> str:
    """A GLOB pattern literal as an anchored POSIX regular expression literal."""
    pattern, out, i = literal[1:-1].replace("''", "'"), ["^"], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                raise Untranslatable(f"bad GLOB pattern {literal}")
            body = pattern[i + 1:end]
            out.append("[" + ("^" + body[1:] if body.startswith("^") else body) + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "'" + "".join(out).replace("'", "''") + "$'"


@dataclass(slots=True)
class _Render:
    """Renders a token list as PostgreSQL text, noting which input parameter each placeholder
    takes (a MATCH query is used again by rank and snippet, as a tsquery)."""

    named: bool = False
    fts_refs: dict[str, str] = field(default_factory=dict)  # FTS5 table → how the query names it
    fts_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    match: tuple[str, int] | None = None                    # (FTS5 table, input parameter) of MATCH
    params: list[tuple[int, bool]] = field(default_factory=list)
    seen: int = 0

    def expr(self, tokens: list[Tok]) -> str:
        return " ".join(self._items(_sig(tokens)))

    def _items(self, toks: list[Tok]) -> list[str]:
        parts: list[str] = []
        case_depth, i, glue = 0, 0, False

        def emit(text: str) -> None:
            if glue:
                parts[-1] += text
            else:
                parts.append(text)

        toks = _bare_group_columns(toks)
        while i < len(toks):
            tok, up = toks[i], toks[i].upper
            nxt = toks[i + 1].upper if i + 1 < len(toks) else ""
            if tok.kind == "word" and nxt == "(" and up not in {"IN", "AS", "VALUES", "EXISTS", "ON", "USING",
                                                                "AND", "OR", "NOT", "WHERE", "FROM", "JOIN", "SELECT",
                                                                "KEY", "UNIQUE", "CHECK", "INTO", "OVER", "FILTER", "BY"}:
                end = _closing(toks, i + 1)
                emit(self._call(tok.text, toks[i + 2:end]))
                glue, i = False, end + 1
                continue
            if tok.text == "(":
                end = _closing(toks, i)
                inner = toks[i + 1:end]
                if not inner and parts and parts[-1].upper() in ("IN", "NOT IN"):
                    emit("(SELECT NULL WHERE false)")  # SQLite's empty list
                else:
                    emit("(" + " ".join(self._items(inner)) + ")")
                    after = toks[end + 1] if end + 1 < len(toks) else None
                    if inner and inner[0].upper == "SELECT" and len(parts) > 1 and parts[-2].upper() in ("FROM", "JOIN") \
                            and (after is None or after.kind != "word" or after.upper in _AFTER_TABLE - {"AS"}):
                        parts[-1] += f" AS dyad_from_{end}"  # PostgreSQL before 16 wants a name for a subquery
                glue, i = False, end + 1
                continue
            if up == "MATCH" and self.match and parts:
                ref = self.fts_refs[self.match[0]]
                parts[-1] = f"{ref}.dyad_document @@ {self._tsquery()}"
                self.seen += 1
                i += 2
                continue
            if tok.kind == "word" and tok.text.lower() == "rank" and self.match and nxt != "(":
                if glue:
                    parts.pop()
                    glue = False
                emit(self._rank())
                i += 1
                continue
            if up in ("WHERE", "AND", "OR", "ON", "HAVING", "NOT") and i + 1 < len(toks) and toks[i + 1].kind == "num" \
                    and (i + 2 == len(toks) or toks[i + 2].upper in _CLAUSE_END | {"AND", "OR", ")", "GROUP"}):
                emit(tok.text + (" false" if float(toks[i + 1].text) == 0 else " true"))  # SQLite: a number as truth
                i += 2
                continue
            if up == "CASE":
                case_depth += 1
            if up == "END" and not glue:
                if case_depth:
                    case_depth -= 1
                else:
                    up = "END-COLUMN"
            if up == "NOT" and nxt == "GLOB":
                emit("!~ " + _glob_regex(self._literal(toks, i + 2, "GLOB")))
                i += 3
                continue
            if up == "GLOB":
                emit("~ " + _glob_regex(self._literal(toks, i + 1, "GLOB")))
                i += 2
                continue
            if up in ("END-COLUMN",) or glue and tok.kind == "word" and tok.text.lower() == "end":
                emit('"end"')  # a column named end (a reserved word in PostgreSQL)
            elif up == "LIKE":
                emit("ILIKE")  # SQLite's LIKE ignores case
            elif up == "IS" and nxt == "NOT" and i + 2 < len(toks) and toks[i + 2].upper not in _IS_KEEP:
                emit("IS DISTINCT FROM")
                i += 1
            elif up == "IS" and nxt not in _IS_KEEP:
                emit("IS NOT DISTINCT FROM")
            elif up == "LIMIT" and nxt == "-":
                emit("LIMIT ALL")  # SQLite: a negative limit is none
                i += 2
            elif up == "LIMIT" and i + 1 < len(toks) and toks[i + 1].kind == "param":
                emit(f"LIMIT nullif(greatest({self._param(toks[i + 1])}, -1), -1)")
                i += 1
            elif up in _NOW_WORDS:
                emit(_NOW_WORDS[up])
            elif tok.kind == "param":
                emit(self._param(tok))
            elif tok.kind == "qid" and tok.text[0] in "`[":
                emit('"' + tok.text[1:-1].replace('"', '""') + '"')
            elif tok.text == "==":
                emit("=")
            elif tok.text == "," and parts:
                parts[-1] += ","
            elif tok.text == ".":
                parts[-1] += "."
                glue = True
                i += 1
                continue
            else:
                emit(tok.text)
            glue = False
            i += 1
        return parts

    def _literal(self, toks: list[Tok], at: int, what: str) -> str:
        if at >= len(toks) or toks[at].kind != "str":
            raise Untranslatable(f"{what} needs a string literal pattern here")
        return toks[at].text

    def _tsquery(self) -> str:
        self.params.append((self.match[1], True))
        return f"to_tsquery('{FTS_CONFIG}', {_PARAM})"

    def _rank(self) -> str:
        """FTS5's rank (bm25: lower is better) as minus PostgreSQL's ts_rank."""
        return f"(-ts_rank({self.fts_refs[self.match[0]]}.dyad_document, {self._tsquery()}))"

    def _param(self, tok: Tok) -> str:
        if tok.text == "?":
            if self.named:
                raise Untranslatable("'?' parameters with named parameters")
            self.params.append((self.seen, False))
            self.seen += 1
            return _PARAM
        if tok.text[0] in ":@$" and self.named:
            return f"{_NAMED}{tok.text[1:]}{_NAMED}"
        raise Untranslatable(f"parameter {tok.text}")

    def _call(self, name: str, arg_tokens: list[Tok]) -> str:
        low = name.lower()
        raw = _split(arg_tokens) if _sig(arg_tokens) else []
        args = [self.expr(a) for a in raw]
        joined = ", ".join(args)
        if low in ("snippet", "highlight", "bm25") and self.match and raw and _sig(raw[0])[0].text.lower() in self.fts_refs:
            return self._fts_call(low, raw)
        if low == "char":
            return "(" + " || ".join(f"chr({a})" for a in args) + ")"
        if low in ("min", "max") and len(args) > 1:
            return f"{'least' if low == 'min' else 'greatest'}({joined})"
        if low == "ifnull":
            return f"coalesce({joined})"
        if low == "instr":
            return f"strpos({joined})"
        if low == "group_concat":
            distinct = args[0].upper().startswith("DISTINCT ")
            value = args[0][9:] if distinct else args[0]
            sep = args[1] if len(args) > 1 else "','"
            return f"string_agg({'DISTINCT ' if distinct else ''}({value})::text, {sep})"
        if low == "total":
            return f"coalesce(sum({joined}), 0)::double precision"
        if low == "round" and len(args) == 2:
            return f"round(({args[0]})::numeric, {args[1]})"
        if low == "round":
            return f"round(({args[0]})::numeric)"
        if low == "json_extract" and len(args) == 2 and raw[1] and raw[1][-1].kind == "str":
            path = _sig(raw[1])[0].text[1:-1]
            if not re.fullmatch(r"\$(\.\w+|\[\d+\])*", path):
                raise Untranslatable(f"json path {path}")
            keys = re.findall(r"\.(\w+)|\[(\d+)\]", path)
            return f"(({args[0]})::jsonb #>> '{{{','.join(k or n for k, n in keys)}}}')"
        if low == "json_array_length":
            return f"jsonb_array_length(({args[0]})::jsonb)"
        if low == "julianday":
            return f"(extract(epoch FROM ({_moment(args[0])})) / 86400.0 + 2440587.5)"
        if low in ("date", "datetime", "time") and len(args) == 1:
            fmt = {"date": "YYYY-MM-DD", "datetime": "YYYY-MM-DD HH24:MI:SS", "time": "HH24:MI:SS"}[low]
            return f"to_char({_moment(args[0])}, '{fmt}')"
        if low == "strftime" and len(args) == 2 and _sig(raw[0])[0].kind == "str":
            fmt = re.sub(r"%.", lambda m: _STRFTIME.get(m.group(), m.group()), _sig(raw[0])[0].text[1:-1])
            if "%s" in _sig(raw[0])[0].text:
                return f"extract(epoch FROM {_moment(args[1])})::bigint::text"
            return f"to_char({_moment(args[1])}, '{fmt}')"
        if low == "cast" and len(raw) == 1:
            body = _sig(raw[0])
            as_at = max(i for i, t in enumerate(body) if t.upper == "AS")
            return f"CAST({self.expr(body[:as_at])} AS {column_type(' '.join(t.text for t in body[as_at + 1:]))})"
        if low in ("typeof", "printf", "json_each", "json_tree", "last_insert_rowid", "changes", "unicode",
                   "zeroblob", "randomblob", "likelihood", "iif"):
            raise Untranslatable(f"SQLite function {name}()")
        return f"{name}({joined})"


    def _fts_call(self, name: str, raw: list[list[Tok]]) -> str:
        if name == "bm25":
            return self._rank()
        table = _sig(raw[0])[0].text.lower()
        literal = [(_sig(a)[0].text if _sig(a) else "") for a in raw]
        column = self.fts_columns[table][int(literal[1])]
        option = lambda text: '"' + text[1:-1].replace("''", "'").replace('"', '""') + '"'  # noqa: E731
        options = f"StartSel={option(literal[2])}, StopSel={option(literal[3])}"
        if name == "highlight":
            options += ", HighlightAll=true"
        else:
            options += f", MaxWords={int(literal[5])}, MinWords={max(1, int(literal[5]) // 3)}, MaxFragments=1"
        options = options.replace("'", "''")
        return f"ts_headline('{FTS_CONFIG}', {self.fts_refs[table]}.{column}, {self._tsquery()}, '{options}')"


def _moment(arg: str) -> str:
    """A SQLite time value ('now', ISO text or a Julian day number) as a PostgreSQL timestamp."""
    return f"(CASE WHEN ({arg})::text ~ '^[0-9.]+$' THEN to_timestamp((({arg})::text::float8 - 2440587.5) * 86400)" \
           f" AT TIME ZONE 'UTC' ELSE ({arg})::text::timestamp END)"


def _bare_group_columns(toks: list[Tok]) -> list[Tok]:
    """SQLite lets a grouped query select a column it neither groups nor aggregates (any row's
    value); PostgreSQL does not. Such a column (a plain name) is wrapped in min()."""
    ups = [t.upper for t in toks]
    if not ups or ups[0] != "SELECT" or "GROUP" not in ups or any(u in ups for u in ("UNION", "EXCEPT", "INTERSECT")):
        return toks
    depth, frm, group = 0, None, None
    for i, tok in enumerate(toks):
        depth += tok.text == "("
        depth -= tok.text == ")"
        if depth == 0 and tok.upper == "FROM" and frm is None:
            frm = i
        if depth == 0 and tok.upper == "GROUP" and i + 1 < len(toks) and toks[i + 1].upper == "BY":
            group = i
    if frm is None or group is None:
        return toks
    end = next((i for i in range(group + 2, len(toks)) if toks[i].upper in _CLAUSE_END), len(toks))
    grouped = {"".join(t.text for t in g).lower() for g in _split(toks[group + 2:end])}
    start = 2 if ups[1] in ("DISTINCT", "ALL") else 1
    items = _split(toks[start:frm])
    fixed: list[Tok] = list(toks[:start])
    for n, item in enumerate(items, 1):
        names = [t for t in item if t.kind in ("word", "qid") or t.text == "."]
        plain = len(names) == len(item) and item and item[-1].kind in ("word", "qid") and item[0].kind in ("word", "qid")
        text = "".join(t.text for t in item).lower()
        last = item[-1].text.lower() if item else ""
        if plain and text != "*" and not text.endswith(".*") and text not in grouped and last not in grouped \
                and str(n) not in grouped and not any(g.endswith("." + last) for g in grouped):
            fixed += [Tok("word", "min"), Tok("op", "("), *item, Tok("op", ")"), Tok("word", "AS"), item[-1]]
        else:
            fixed += item
        fixed.append(Tok("op", ","))
    return fixed[:-1] + list(toks[frm:])


@dataclass(frozen=True, slots=True)
class Translated:
    sql: str | None               # None: nothing to run (a PRAGMA without an equivalent)
    insert_into: str | None = None  # the table of an INSERT (for lastrowid)
    has_returning: bool = False
    keeps_rowid: bool = False     # the statement names rowid, so results keep that column
    params: tuple[tuple[int, bool], ...] | None = None  # input parameter of each placeholder (True: as a tsquery)


def translate(sql: str, schema: Schema, *, named: bool = False, escape_percent: bool = False) -> Translated:
    """One SQLite statement as PostgreSQL. With ``escape_percent`` a literal % is doubled
    (for psycopg's placeholders)."""
    toks = _sig(tokenize(sql))
    while toks and toks[-1].text == ";":
        toks.pop()
    if not toks:
        return Translated(None)
    ups = [t.upper for t in toks]
    if ups[0] == "PRAGMA":
        return Translated(_pragma(ups))
    target = _written_table(toks)
    if target in schema.fts:
        return Translated(None)  # an FTS5 table is a view over its content table: nothing to keep in step
    keeps_rowid = any(t.kind == "word" and t.text.lower() == "rowid" for t in toks)
    conflict, insert_into = "", None
    if ups[0] in ("INSERT", "REPLACE"):
        if ups[0] == "REPLACE":
            toks, mode = [Tok("word", "INSERT"), *toks[1:]], "REPLACE"
        elif ups[1] == "OR":
            mode, toks = ups[2], [toks[0], *toks[3:]]
        else:
            mode = None
        into = [t.upper for t in toks].index("INTO")
        insert_into = target
        if mode == "IGNORE":
            conflict = " ON CONFLICT DO NOTHING"
        elif mode == "REPLACE":
            conflict = _replace_clause(toks, into, schema.primary_keys)
        elif mode is not None:
            raise Untranslatable(f"INSERT OR {mode}")
        toks = _fill_identity(toks, into, schema.identity.get(target, frozenset()))
    elif len(ups) > 2 and ups[0] == "UPDATE" and ups[1] == "OR":
        raise Untranslatable(f"UPDATE OR {ups[2]}")
    render = _Render(named=named, fts_refs=_fts_refs(toks, schema.fts),
                     fts_columns={name: columns for name, (_, columns) in schema.fts.items()})
    render.match = _match(toks, render.fts_refs)
    ups = [t.upper for t in toks]
    returning = ups.index("RETURNING") if "RETURNING" in ups else None
    body, tail = (toks[:returning], toks[returning:]) if returning is not None else (toks, [])
    text = render.expr(body) + conflict + (" " + render.expr(tail) if tail else "")
    if escape_percent:
        text = text.replace("%", "%%")
    text = re.sub(f"{_NAMED}(\\w+){_NAMED}", r"%(\1)s", text.replace(_PARAM, "%s"))
    reordered = None if named or render.params == [(i, False) for i in range(render.seen)] else tuple(render.params)
    return Translated(text, insert_into, returning is not None, keeps_rowid, reordered)


def _written_table(toks: list[Tok]) -> str | None:
    ups = [t.upper for t in toks]
    if ups[0] in ("INSERT", "REPLACE") and "INTO" in ups:
        return toks[ups.index("INTO") + 1].text.strip('"').lower()
    if ups[0] == "DELETE" and len(ups) > 2:
        return toks[2].text.strip('"').lower()
    if ups[0] == "UPDATE" and len(ups) > 1:
        return toks[3 if ups[1] == "OR" else 1].text.strip('"').lower()
    return None


def _fts_refs(toks: list[Tok], fts: dict) -> dict[str, str]:
    """The FTS5 tables a query reads, each by its alias if it has one."""
    refs = {}
    for i, tok in enumerate(toks):
        name = tok.text.lower()
        if tok.kind != "word" or name not in fts or (i and toks[i - 1].text == "."):
            continue
        j = i + 1 + (i + 1 < len(toks) and toks[i + 1].upper == "AS")
        alias = toks[j] if j < len(toks) and toks[j].kind == "word" and toks[j].upper not in _AFTER_TABLE else None
        if alias is not None and i and toks[i - 1].upper in ("FROM", "JOIN", ","):
            refs[name] = alias.text
        else:
            refs.setdefault(name, name)
    return refs


def _match(toks: list[Tok], refs: dict[str, str]) -> tuple[str, int] | None:
    """The FTS5 table a ``MATCH ?`` searches and that parameter's index."""
    for i, tok in enumerate(toks):
        if tok.upper != "MATCH":
            continue
        if i + 1 >= len(toks) or toks[i + 1].text != "?":
            raise Untranslatable("MATCH takes one ? parameter here")
        left = toks[i - 1].text.lower()
        table = left if left in refs else next(iter(refs), None) if len(refs) == 1 else None
        if table is None:
            raise Untranslatable("MATCH on a table that is not an FTS5 table")
        return table, sum(1 for t in toks[:i + 1] if t.text == "?")
    return None


def _fill_identity(toks: list[Tok], into: int, identity: frozenset[str]) -> list[Tok]:
    """An INSERT that gives NULL to rowid or an INTEGER PRIMARY KEY gets a new number, as in SQLite."""
    if not identity or into + 2 >= len(toks) or toks[into + 2].text != "(":
        return toks
    close = _closing(toks, into + 2)
    columns = [_sig(c)[0].text.strip('"').lower() for c in _split(toks[into + 3:close])]
    wanted = [n for n, c in enumerate(columns) if c in identity]
    if not wanted or close + 2 >= len(toks) or toks[close + 1].upper != "VALUES" or toks[close + 2].text != "(":
        return toks
    end = _closing(toks, close + 2)
    if end != len(toks) - 1 and toks[end + 1].text == ",":
        return toks  # several rows: left as written
    values = _split(toks[close + 3:end])
    table = toks[into + 1].text.strip('"').lower()
    out = list(toks[:close + 3])
    for n, value in enumerate(values):
        if n in wanted:
            sequence = f"nextval(pg_get_serial_sequence('{table}', '{columns[n]}'))"
            value = [Tok("word", "coalesce"), Tok("op", "("), *value, Tok("op", ","), Tok("raw", sequence), Tok("op", ")")]
        out += [*value, Tok("op", ",")]
    return out[:-1] + list(toks[end:])


def _replace_clause(toks: list[Tok], into: int, primary_keys: dict[str, tuple[str, ...]]) -> str:
    table = toks[into + 1].text.strip('"').lower()
    keys = primary_keys.get(table)
    if not keys:
        raise Untranslatable(f"INSERT OR REPLACE into {table}, which has no primary key")
    if into + 2 < len(toks) and toks[into + 2].text == "(":
        columns = [_sig(c)[0].text.strip('"').lower() for c in _split(toks[into + 3:_closing(toks, into + 2)])]
    else:
        raise Untranslatable(f"INSERT OR REPLACE into {table} without a column list")
    quote = lambda c: '"end"' if c == "end" else c  # noqa: E731
    updates = [f"{quote(c)} = EXCLUDED.{quote(c)}" for c in columns if c not in keys]
    target = ", ".join(quote(k) for k in keys)
    return f" ON CONFLICT ({target}) " + (f"DO UPDATE SET {', '.join(updates)}" if updates else "DO NOTHING")


def _pragma(ups: list[str]) -> str | None:
    name = ups[1].lower() if len(ups) > 1 else ""
    if name == "user_version" and len(ups) == 2:
        return "SELECT version FROM dyad_schema"
    if name == "user_version" and len(ups) == 4 and ups[2] == "=":
        return f"UPDATE dyad_schema SET version = {int(ups[3])}"
    return None  # journal mode, synchronous, foreign keys...: PostgreSQL has them on or needs none


# --- migrations --------------------------------------------------------------------------------------


def column_type(declared: str) -> str:
    """A declared SQLite type by SQLite's affinity rules, as the PostgreSQL type that holds it."""
    up = declared.upper()
    if "INT" in up:
        return "BIGINT"
    if any(k in up for k in ("CHAR", "CLOB", "TEXT")) or not up:
        return "TEXT"
    if "BLOB" in up:
        return "BYTEA"
    if any(k in up for k in ("REAL", "FLOA", "DOUB")):
        return "DOUBLE PRECISION"
    return "NUMERIC"


def fts_document(alias: str, columns: tuple[str, ...]) -> str:
    """The text search document of an FTS5 table's columns (as the index and the search build it)."""
    text = " || ' ' || ".join(f"coalesce({alias}{c}, '')" for c in columns)
    # ICU, not the database's locale (often C), decides what a letter is and its lower case.
    return f"to_tsvector('{FTS_CONFIG}', lower(regexp_replace(({text}) COLLATE \"und-x-icu\", '[^[:alnum:]]+', ' ', 'g')))"


def fts_tables(scripts: list[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The FTS5 tables the SQLite migrations make: name → (content table, columns)."""
    found = {}
    for script in scripts:
        for match in re.finditer(r"CREATE\s+VIRTUAL\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s+USING\s+fts5\s*\((.*?)\)\s*;",
                                 script, re.I | re.S):
            args = [a.strip() for a in match.group(2).split(",")]
            content = next((a.split("=", 1)[1].strip(" '\"") for a in args if a.lower().startswith("content")
                            and "=" in a and not a.lower().startswith("content_")), None)
            if not content:
                raise Untranslatable(f"FTS5 table {match.group(1)} without an external content table")
            found[match.group(1).lower()] = (content, tuple(a for a in args if "=" not in a))
    return found


def translate_migration(statement: str, fts: dict[str, tuple[str, tuple[str, ...]]]) -> list[str]:
    """One SQLite migration statement as PostgreSQL statements (none for what PostgreSQL needs
    not: triggers that keep an FTS5 table in step, PRAGMAs)."""
    toks = _sig(tokenize(statement))
    while toks and toks[-1].text == ";":
        toks.pop()
    ups = [t.upper for t in toks]
    if ups[:2] == ["CREATE", "TABLE"]:
        return [_create_table(toks)]
    if ups[:3] == ["CREATE", "VIRTUAL", "TABLE"]:
        name = toks[ups.index("USING") - 1].text.lower()
        content, columns = fts[name]
        document = fts_document("", columns)
        return [f"CREATE INDEX {name}_words ON {content} USING gin ({document})",
                f"CREATE VIEW {name} AS SELECT rowid, {', '.join(columns)}, {document} AS dyad_document FROM {content}"]
    if ups[0] == "CREATE" and "TRIGGER" in ups[:4]:
        body = ups[ups.index("BEGIN"):]
        targets = {toks[ups.index("BEGIN") + i + 1].text.lower() for i, u in enumerate(body) if u in ("INTO", "UPDATE")}
        targets |= {toks[ups.index("BEGIN") + i + 2].text.lower() for i, u in enumerate(body)
                    if u == "DELETE" and body[i + 1] == "FROM"}
        if targets and targets <= set(fts):
            return []  # the GIN index needs no trigger
        raise Untranslatable("a trigger: give this migration as a PostgreSQL file in store/migrations_pg")
    if ups[:2] == ["ALTER", "TABLE"] and "ADD" in ups:
        at = ups.index("ADD") + (2 if ups[ups.index("ADD") + 1] == "COLUMN" else 1)
        return [" ".join(t.text for t in toks[:at]) + " " + _column(toks[at:])[0]]
    translated = translate(statement, Schema(fts=fts))
    return [translated.sql] if translated.sql else []


def _create_table(toks: list[Tok]) -> str:
    ups = [t.upper for t in toks]
    open_at = ups.index("(")
    close_at = _closing(toks, open_at)
    head = " ".join(t.text for t in toks[:open_at])
    options = {u for u in ups[close_at + 1:] if u not in (",",)}
    if "AS" in ups[:open_at + 1]:
        raise Untranslatable("CREATE TABLE ... AS SELECT")
    defs, integer_key = [], False
    items = _split(toks[open_at + 1:close_at])
    typed = {item[0].text.lower(): " ".join(t.text for t in item[1:]).upper() for item in items
             if item and item[0].upper not in _TABLE_CONSTRAINT}
    for item in items:
        if item[0].upper in _TABLE_CONSTRAINT:
            columns = _table_key(item)
            if columns and len(columns) == 1 and typed.get(columns[0], "").startswith("INTEGER"):
                raise Untranslatable("a table-level PRIMARY KEY on one INTEGER column (write it on the column)")
            defs.append(_Render().expr(item))
        else:
            text, is_key = _column(item)
            integer_key |= is_key
            defs.append(text)
    if not integer_key and "WITHOUT" not in options:
        defs.append("rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE")  # SQLite's hidden row number
    return f"{head} (\n    " + ",\n    ".join(defs) + "\n)"


def _table_key(item: list[Tok]) -> list[str] | None:
    ups = [t.upper for t in item]
    if "PRIMARY" not in ups:
        return None
    open_at = ups.index("(")
    return [t.text.lower() for t in item[open_at + 1:_closing(item, open_at)] if t.kind in ("word", "qid")]


def _column(item: list[Tok]) -> tuple[str, bool]:
    """A column definition and whether it is SQLite's INTEGER PRIMARY KEY (the rowid itself)."""
    name = item[0].text if item[0].text.lower() != "end" else '"end"'
    at = 1
    while at < len(item) and item[at].upper not in _CONSTRAINT_WORDS:
        at += 1
    declared = " ".join(t.text for t in item[1:at])
    rest = [t for t in item[at:] if t.upper != "AUTOINCREMENT"]
    rest_ups = [t.upper for t in rest]
    if declared.upper() == "INTEGER" and rest_ups[:2] == ["PRIMARY", "KEY"]:
        others = _Render().expr(rest[2:])
        return f"{name} BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY {others}".rstrip(), True
    pg_type = column_type(declared)
    collate = ""
    if "COLLATE" in rest_ups:
        at = rest_ups.index("COLLATE")
        which = rest[at + 1].text.upper()
        collate = {"NOCASE": f" COLLATE {NOCASE}", "BINARY": ' COLLATE "C"'}.get(which)
        if collate is None:
            raise Untranslatable(f"COLLATE {which}")
        rest = rest[:at] + rest[at + 2:]
    elif pg_type == "TEXT":
        collate = ' COLLATE "C"'  # SQLite compares text by code point
    return f"{name} {pg_type}{collate} {_Render().expr(rest)}".rstrip(), False


_FTS_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"|(?P<op>[()])|(?P<word>[^\s()"]+)')


def fts5_to_tsquery(query: str) -> str:
    """An FTS5 query (words, "phrases", prefix*, AND/OR/NOT, parentheses, column:word) as text for
    PostgreSQL's to_tsquery; raises FtsSyntaxError where FTS5 would reject the query."""
    if query.count('"') % 2:
        raise FtsSyntaxError("fts5: syntax error: unterminated string")
    out: list[str] = []
    joiners = ("&", "|", "(", "& !")
    for match in _FTS_TOKEN.finditer(query):
        word, op = match.group("word"), match.group("op")
        if word in ("AND", "OR", "NOT"):
            if not out or out[-1] in joiners:
                raise FtsSyntaxError(f'fts5: syntax error near "{word}"')
            out.append({"AND": "&", "OR": "|", "NOT": "& !"}[word])
            continue
        if op == ")":
            if not out or out[-1] in joiners:
                raise FtsSyntaxError('fts5: syntax error near ")"')
            out.append(")")
            continue
        if out and out[-1] not in joiners:
            out.append("&")  # FTS5: terms side by side must all match
        if op == "(":
            out.append("(")
            continue
        text = match.group("phrase") if match.group("phrase") is not None else word
        if word is not None and ":" in word.rstrip(":"):
            text = word.split(":", 1)[1]  # a column filter (title:word) searches every column
        terms = [t.lower() for t in re.findall(r"[^\W_]+", text.rstrip("*"))]
        if not terms:
            raise FtsSyntaxError(f'fts5: syntax error near "{text}"')
        quoted = [f"'{t}'" for t in terms]
        if word is not None and word.endswith("*"):
            quoted[-1] += ":*"
        out.append("(" + " <-> ".join(quoted) + ")" if len(quoted) > 1 else quoted[0])
    if not out or out[-1] in joiners or out.count("(") != out.count(")"):
        raise FtsSyntaxError("fts5: syntax error near end of query")
    return " ".join(out)
