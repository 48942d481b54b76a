"""The PostgreSQL store: the same Store for teams that share one database server.

``PostgresStore`` is the SQLite ``Store`` with a different connection: ``Connection`` gives the
store code the part of ``sqlite3.Connection`` it uses (``execute``, ``executemany``, rows by name
and by index, ``lastrowid``, ``rowcount``) and translates each SQLite statement
(dyad.store.dialect), so store and query modules are written once. ``BEGIN IMMEDIATE`` takes a
transaction-scoped advisory lock: one writer per store at a time, as with SQLite, while readers
go on. Errors come out as sqlite3's exception classes, so ``except sqlite3.IntegrityError``
works on both stores. FTS5 tables become views with GIN indexes (see dyad.store.dialect).
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

import psycopg
import psycopg.errors
from psycopg.adapt import Dumper, Loader

from dyad.errors import StoreError
from dyad.store import dialect
from dyad.store.migrations import available, latest_version, split_statements
from dyad.store.sqlite import Store

_LOCK_CLASS = 0x647961  # "dya": advisory locks of dyad, keyed by schema within it


def is_url(db: object) -> bool:
    return isinstance(db, str) and db.startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """The URL without its password, for messages and ``dyad stats``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class Row(Sequence):
    """A result row by index and by column name, like sqlite3.Row."""

    __slots__ = ("_values", "_index")

    def __init__(self, values: tuple, index: dict[str, int]) -> None:
        self._values, self._index = values, index

    def __getitem__(self, key):  # noqa: ANN001, ANN204 - int, slice or column name
        if isinstance(key, str):
            try:
                return self._values[self._index[key.lower()]]
            except KeyError:
                raise IndexError(f"No item with that key: {key}") from None
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._index)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Row) and self._values == other._values and self._index == other._index

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values))})"


class Cursor:
    """The result of one statement, fetched whole (as sqlite3 lets callers run another
    statement while iterating over this one). ``row_factory`` is accepted and ignored: rows are
    always by name and by index."""

    row_factory = None

    def __init__(self, rows: list[Row], description: tuple | None, rowcount: int, lastrowid: int | None,
                 connection: "Connection | None" = None) -> None:
        self._rows, self._at, self._connection = rows, 0, connection
        self.description, self.rowcount, self.lastrowid = description, rowcount, lastrowid

    def execute(self, sql: str, params: Sequence | dict = ()) -> "Cursor":
        return self._take(self._connection.execute(sql, params))

    def executemany(self, sql: str, seq_of_params: Iterable[Sequence | dict]) -> "Cursor":
        return self._take(self._connection.executemany(sql, seq_of_params))

    def _take(self, other: "Cursor") -> "Cursor":
        self._rows, self._at = other._rows, 0
        self.description, self.rowcount, self.lastrowid = other.description, other.rowcount, other.lastrowid
        return self

    def fetchone(self) -> Row | None:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list[Row]:
        rest, self._at = self._rows[self._at:], len(self._rows)
        return rest

    def fetchmany(self, size: int = 1) -> list[Row]:
        part = self._rows[self._at:self._at + size]
        self._at += len(part)
        return part

    def __iter__(self) -> Iterator[Row]:
        while (row := self.fetchone()) is not None:
            yield row

    def close(self) -> None:
        self._rows = []


class _NumericLoader(Loader):
    """numeric (sum of BIGINTs, round()) as SQLite returns it: int when whole, else float."""

    def load(self, data) -> int | float:  # noqa: ANN001 - a buffer
        text = bytes(data).decode()
        return float(text) if any(c in text for c in ".eEN") else int(text)


class _BoolDumper(Dumper):
    """True/False as 1/0: SQLite has no booleans, so the store keeps flags in integer columns."""

    def dump(self, obj: bool) -> bytes:
        return b"1" if obj else b"0"

    def quote(self, obj: bool) -> bytes:
        return self.dump(obj)


@functools.cache
def _fts_tables() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The FTS5 tables the migrations create (read only): read once per process, not per
    connection (the workbench opens one per request)."""
    return dialect.fts_tables([script for _, script in available()])


class Connection:
    """A PostgreSQL connection that speaks the sqlite3 subset the store uses."""

    def __init__(self, url: str, *, lock_timeout: float, where: str) -> None:
        self.where, self.lock_timeout = where, lock_timeout
        try:
            self.pg = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor,
                                      connect_timeout=max(1, int(lock_timeout)))
        except psycopg.Error as exc:
            raise StoreError(f"[S020] cannot connect to {where}: {str(exc).strip()}") from exc
        self.pg.adapters.register_loader("numeric", _NumericLoader)
        self.pg.adapters.register_dumper(bool, _BoolDumper)
        self._translated: dict[tuple[str, bool, bool], dialect.Translated] = {}
        self.schema = dialect.Schema(fts=_fts_tables())
        self.row_ids: dict[str, str] = {}

    # --- the sqlite3.Connection subset ---------------------------------------------------------

    def execute(self, sql: str, params: Sequence | dict = ()) -> Cursor:
        word = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if word in ("BEGIN", "COMMIT", "END", "ROLLBACK") and not params:
            return self._transaction_control(sql)
        statement = self._translate(sql, params)
        if statement.sql is None:
            return Cursor([], None, -1, None)
        text, returning_id = statement.sql, None
        if statement.insert_into and not statement.has_returning and statement.insert_into in self.row_ids:
            returning_id = self.row_ids[statement.insert_into]  # lastrowid, as SQLite reports it
            text += f" RETURNING {returning_id}"
        with self._errors():
            cursor = self.pg.execute(text, _params(params, statement.params))
            rows, description = self._rows(cursor, statement.keeps_rowid or returning_id is not None)
            if returning_id is not None:
                return Cursor([], None, cursor.rowcount, rows[0][0] if rows else None)
            return Cursor(rows, description, cursor.rowcount, None)

    def executemany(self, sql: str, seq_of_params: Iterable[Sequence | dict]) -> Cursor:
        given = list(seq_of_params)
        if not given:
            return Cursor([], None, 0, None)
        statement = self._translate(sql, given[0])
        params = [_params(p, statement.params) for p in given]
        if statement.sql is None:
            return Cursor([], None, 0, None)
        with self._errors():
            cursor = self.pg.cursor()
            cursor.executemany(statement.sql, params)
            return Cursor([], None, cursor.rowcount, None)

    def cursor(self) -> Cursor:
        return Cursor([], None, -1, None, connection=self)

    def close(self) -> None:
        self.pg.close()

    @property
    def in_transaction(self) -> bool:
        return self.pg.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    # --- translation ----------------------------------------------------------------------------

    def _translate(self, sql: str, params: object) -> dialect.Translated:
        named = isinstance(params, dict)
        key = (sql, named, bool(params))
        found = self._translated.get(key)
        if found is None:
            try:
                found = dialect.translate(sql, self.schema, named=named, escape_percent=bool(params))
            except dialect.Untranslatable as exc:
                raise StoreError(f"[S021] SQL the PostgreSQL store cannot run ({exc}): {sql.strip()[:120]}") from exc
            if len(self._translated) > 4096:
                self._translated.clear()
            self._translated[key] = found
        return found

    def load_catalog(self) -> None:
        """Primary keys (for INSERT OR REPLACE) and each table's row id column (for lastrowid)."""
        rows = self.pg.execute(
            "SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
            " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)"
            " WHERE i.indisprimary AND c.relnamespace = current_schema()::regnamespace").fetchall()
        keys: dict[str, list[str]] = {}
        for table, column in rows:
            keys.setdefault(table, []).append(column)
        self.row_ids = {t: c for t, c in self.pg.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND is_identity = 'YES'").fetchall()}
        self.schema = dialect.Schema({t: tuple(c) for t, c in keys.items()},
                                     {t: frozenset([c]) for t, c in self.row_ids.items()}, self.schema.fts)
        self._translated.clear()

    def _rows(self, cursor: psycopg.Cursor, keeps_rowid: bool) -> tuple[list[Row], tuple | None]:
        if cursor.description is None:
            return [], None
        names = [c.name for c in cursor.description]
        keep = [i for i, n in enumerate(names) if keeps_rowid or n != "rowid"]  # SQLite's rowid is hidden
        index: dict[str, int] = {}
        for position, i in enumerate(keep):
            index.setdefault(names[i].lower(), position)
        description = tuple((names[i], None, None, None, None, None, None) for i in keep)
        everything = len(keep) == len(names)
        rows = [Row(values if everything else tuple(values[i] for i in keep), index) for values in cursor.fetchall()]
        return rows, description

    # --- transactions and errors ----------------------------------------------------------------

    def _transaction_control(self, sql: str) -> Cursor:
        words = sql.upper().split()
        with self._errors():
            if words[0] == "BEGIN":
                self.pg.execute("BEGIN")
                if len(words) > 1 and words[1] in ("IMMEDIATE", "EXCLUSIVE"):
                    self._write_lock()
            elif words[0] == "ROLLBACK" and len(words) > 1:
                self.pg.execute(sql)  # ROLLBACK TO a savepoint
            else:
                self.pg.execute("ROLLBACK" if words[0] == "ROLLBACK" else "COMMIT")
        return Cursor([], None, -1, None)

    def _write_lock(self) -> None:
        """The store's single-writer lock, held until COMMIT or ROLLBACK; waits ``lock_timeout``."""
        self.pg.execute(f"SET LOCAL lock_timeout = '{int(self.lock_timeout * 1000)}ms'")
        try:
            self.pg.execute("SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))", (_LOCK_CLASS,))
        except psycopg.errors.LockNotAvailable as exc:
            self.pg.execute("ROLLBACK")
            raise StoreError(f"[S009] {self.where} is locked by another writer (an ingest running?);"
                             " try again when it ends") from exc

    def _errors(self) -> "_SqliteErrors":
        return _SqliteErrors()


class _SqliteErrors:
    """psycopg's exceptions as sqlite3's, so store code catches one set of classes."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: object) -> bool:
        if kind is None or not issubclass(kind, psycopg.Error):
            return False
        message = str(exc).strip()
        if issubclass(kind, psycopg.IntegrityError):
            raise sqlite3.IntegrityError(message) from exc
        if issubclass(kind, psycopg.DataError):
            raise sqlite3.DataError(message) from exc
        raise sqlite3.OperationalError(message) from exc


def _params(params: Sequence | dict, order: tuple[tuple[int, bool], ...] | None) -> Sequence | dict | None:
    """The parameters as the translated statement takes them (a MATCH query as a tsquery)."""
    if isinstance(params, dict):
        return params
    if order is None:
        return tuple(params) if params else None
    try:
        return tuple(dialect.fts5_to_tsquery(params[i]) if as_query else params[i] for i, as_query in order)
    except dialect.FtsSyntaxError as exc:
        raise sqlite3.OperationalError(str(exc)) from exc


# --- migrations --------------------------------------------------------------------------------------


def migrate(db: Connection, where: str, *, create: bool = True) -> int:
    """Bring the schema up to date under the write lock (as dyad.store.migrations does for
    SQLite); the version lives in the table dyad_schema. Each SQLite migration is translated,
    unless store/migrations_pg has a file with its number, which is used instead."""
    newest = latest_version()
    if _version(db) == newest:
        db.load_catalog()
        return newest
    if not create and _version(db) is None:
        raise StoreError(f"[S001] no dyad store in {where}; run 'dyad ingest PATH --db {where}' first")
    db.execute("BEGIN IMMEDIATE")
    try:
        current = _version(db)
        if current is None:
            if db.pg.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").fetchone()[0]:
                raise StoreError(f"[S003] {where} has tables but no dyad store; choose another database or schema")
            db.pg.execute("CREATE TABLE dyad_schema (version BIGINT NOT NULL)")
            db.pg.execute("INSERT INTO dyad_schema VALUES (0)")
            current = 0
        if current > newest:
            raise StoreError(f"[S002] {where} has schema version {current}, newer than this dyad's {newest}; upgrade dyad")
        if not db.pg.execute("SELECT 1 FROM pg_collation WHERE collname = %s AND collnamespace = current_schema()::regnamespace",
                             (dialect.NOCASE,)).fetchone():
            db.pg.execute(f"CREATE COLLATION {dialect.NOCASE} (provider = icu, locale = 'und-u-ks-level2', deterministic = false)")
        for version, statements in pg_migrations():
            if version > current:
                for statement in statements:
                    db.pg.execute(statement)
        db.pg.execute("UPDATE dyad_schema SET version = %s", (newest,))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.load_catalog()
    return newest


def _version(db: Connection) -> int | None:
    if db.pg.execute("SELECT to_regclass('dyad_schema')").fetchone()[0] is None:
        return None
    return db.pg.execute("SELECT version FROM dyad_schema").fetchone()[0]


_OVERRIDE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def pg_migrations() -> list[tuple[int, list[str]]]:
    """Every migration as PostgreSQL statements, in order."""
    from importlib import resources

    overrides = {}
    folder = resources.files("dyad.store").joinpath("migrations_pg")
    if folder.is_dir():
        for entry in folder.iterdir():
            if (match := _OVERRIDE.match(entry.name)):
                overrides[int(match.group(1))] = entry.read_text("utf-8")
    scripts = available()
    fts = _fts_tables()
    result = []
    for version, script in scripts:
        if version in overrides:
            result.append((version, split_statements(overrides[version])))
            continue
        statements = []
        for statement in split_statements(script):
            try:
                statements.extend(dialect.translate_migration(statement, fts))
            except dialect.Untranslatable as exc:
                raise StoreError(f"[S022] migration {version:04d} has SQL with no PostgreSQL translation ({exc});"
                                 f" add store/migrations_pg/{version:04d}_....sql: {statement[:100]}") from exc
        result.append((version, statements))
    return result


# --- the store ---------------------------------------------------------------------------------------


class PostgresStore(Store):
    """The store in a PostgreSQL database (``postgresql://user@host:port/db``). Several dyad
    stores can share one database in separate schemas (``?options=-csearch_path%3Dteam``)."""

    def __init__(self, url: str, *, busy_timeout: float = 30.0, readonly: bool = False) -> None:
        self.path = redacted(url)  # type: ignore[assignment] - a URL, not a file
        self.db = Connection(url, lock_timeout=busy_timeout, where=self.path)  # type: ignore[assignment]
        try:
            migrate(self.db, self.path, create=not readonly)
        except BaseException:
            self.db.close()
            raise
