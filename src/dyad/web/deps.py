"""What every route shares: a store connection per request (read-only for reads, so a reader
never blocks an ingest: SQLite's WAL and PostgreSQL's snapshots keep answering while one writes),
pagination, and the checks on dates and ids that turn bad input into a clear 4xx."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request

from dyad.brief import DATE_PATTERN, check_date, check_period
from dyad.errors import ValidationError
from dyad.settings import store_location
from dyad.store import Store, open_location

MAX_OFFSET = 1_000_000_000  # beyond any store; keeps SQLite's OFFSET within a 64-bit integer


def reader(request: Request) -> Iterator[sqlite3.Connection]:
    """A connection of its own for this request that cannot write (SQLite's PRAGMA query_only, a
    read-only PostgreSQL session). A PostgreSQL connection speaks the same sqlite3 subset."""
    state = request.app.state
    if isinstance(store_location(state.db_path), str):  # a PostgreSQL URL
        from dyad.store.postgres import Connection, redacted

        db = Connection(state.db_path, lock_timeout=state.busy_timeout, where=redacted(state.db_path))
        db.pg.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    else:
        db = sqlite3.connect(state.db_path, timeout=state.busy_timeout, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
    try:
        db.execute("PRAGMA query_only = ON")  # nothing to run on PostgreSQL
        yield db  # type: ignore[misc] - either connection
    finally:
        db.close()


def writer(request: Request) -> Iterator[Store]:
    """The store opened for writing, for the few routes that change it."""
    store = open_store(request)
    try:
        yield store
    finally:
        store.close()


def open_store(request: Request, *, readonly: bool = False) -> Store:
    state = request.app.state
    return open_location(state.db_path, busy_timeout=state.busy_timeout, readonly=readonly)


Reader = Annotated[sqlite3.Connection, Depends(reader)]
Writer = Annotated[Store, Depends(writer)]
Limit = Annotated[int, Query(ge=1, le=500, description="Items per page (1..500).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
DateParam = Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD.")]
ActorParam = Annotated[str | None, Query(min_length=1, max_length=200,
                                         description="An actor id, an ISO3 country code or a name.")]


def checked_date(value: str | None, name: str) -> str | None:
    """``value`` if it names a real year, month or day (2025-02-30 does not), else 422."""
    try:
        return check_date(value, name)
    except ValidationError as exc:
        raise HTTPException(422, str(exc)) from None


def checked_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    try:
        return check_period(since, until)
    except ValidationError as exc:
        raise HTTPException(422, str(exc)) from None


def page(items: list, limit: int, offset: int) -> dict:
    """One page of a list computed whole, with the total."""
    return {"items": items[offset:offset + limit], "total": len(items), "limit": limit, "offset": offset}
