"""Store: the embedded SQLite store of record, and DuckDB for analytics and bulk exports."""

from dyad.store.sqlite import BatchCounts, Store

__all__ = ["BatchCounts", "Store"]
