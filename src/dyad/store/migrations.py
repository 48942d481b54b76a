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
    """Bring the schema up to date; refuse a store written by a newer dyad."""
    current = connection.execute("PRAGMA user_version").fetchone()[0]
    newest = latest_version()
    if current > newest:
        raise StoreError(f"[S002] {where} has schema version {current}, newer than this dyad's {newest}; upgrade dyad")
    if current == 0 and connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise StoreError(f"[S003] {where} is an SQLite file but not a dyad store; choose another --db")
    for version, script in available():
        if version <= current:
            continue
        # executescript commits first; the explicit BEGIN makes the migration all-or-nothing.
        connection.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    return newest
