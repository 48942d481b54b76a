"""Store: the embedded SQLite store of record, and DuckDB for analytics and bulk exports."""

from pathlib import Path

from dyad.settings import store_location
from dyad.store.sqlite import BatchCounts, Store

__all__ = ["BatchCounts", "Store", "open_location"]


def open_location(location: Path | str, *, busy_timeout: float = 30.0, readonly: bool = False) -> Store:
    """The store at ``location``: a SQLite file, or with a ``postgresql://`` URL a PostgreSQL
    database (dyad.store.postgres)."""
    location = store_location(location)
    if isinstance(location, str):
        from dyad.store.postgres import PostgresStore  # psycopg only for those who use it

        return PostgresStore(location, busy_timeout=busy_timeout, readonly=readonly)
    return Store(location, busy_timeout=busy_timeout, readonly=readonly)
