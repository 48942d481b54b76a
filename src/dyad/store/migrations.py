"""Schema migrations: numbered SQL files applied in order, each in its own transaction; the
schema version lives in SQLite's ``user_version``."""

from __future__ import annotations

import re
import sqlite3
from importlib import resources

from dyad.errors import StoreError

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def available() -> list[tuple[int, str]]:
    folder = resources.files("dyad.store").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text("utf-8")))
    return sorted(found)


def latest_version() -> int:
    return available()[-1][0]


def migrate(connection: sqlite3.Connection, where: str) -> int:
    """Bring the schema up to date in one write transaction; refuse a store written by a newer
    dyad. The version is read after the write lock is taken, so two processes opening a new store
    at once do not both try to create it."""
    newest = latest_version()
    if connection.execute("PRAGMA user_version").fetchone()[0] == newest:
        return newest  # the common case: no lock needed
    connection.execute("BEGIN IMMEDIATE")
    try:
        current = connection.execute("PRAGMA user_version").fetchone()[0]
        if current > newest:
            raise StoreError(f"[S002] {where} has schema version {current}, newer than this dyad's {newest}; upgrade dyad")
        if current == 0 and connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(f"[S003] {where} is an SQLite file but not a dyad store; choose another --db")
        for version, script in available():
            if version > current:
                for statement in split_statements(script):
                    connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {newest}")  # an int from file names, not input
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return newest


def split_statements(script: str) -> list[str]:
    """A migration script as single statements (triggers keep their inner semicolons)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        raise StoreError(f"[S011] incomplete statement at the end of a migration: {current.strip()[:80]}")
    return statements
