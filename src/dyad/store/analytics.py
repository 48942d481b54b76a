"""SQL for analysts through DuckDB, over the SQLite store's tables.

DuckDB's SQLite scanner is an extension it downloads, which an offline machine cannot, so the
tables a query names are handed to DuckDB as Arrow tables read from SQLite. The store of record
stays SQLite: a DuckDB file would block other processes while one writes.
"""

from __future__ import annotations

import re
import sqlite3

import duckdb
import pyarrow as pa

from dyad.store.sqlite import Store

# Tables offered to DuckDB; ``raw`` is left out of articles (compressed source, rarely queried).
TABLES = {
    "articles": "SELECT id, key, version, supersedes, source, locator, kind, text, title, outlet, published,"
                " dateline, author, url, run_id, ingested_at FROM articles",
    "current_articles": "SELECT id, key, version, source, locator, kind, text, title, outlet, published,"
                        " dateline, author, url FROM current_articles",
    "article_meta": "SELECT * FROM article_meta",
    "article_sources": "SELECT * FROM article_sources",
    "removed_blocks": "SELECT * FROM removed_blocks",
    "rejections": "SELECT * FROM rejections",
    "runs": "SELECT * FROM runs",
    "actors": "SELECT * FROM actors",
    "actor_mentions": "SELECT * FROM actor_mentions",
    "roles": "SELECT * FROM roles",
    "places": "SELECT * FROM places",
    "events": "SELECT * FROM events",
    "event_participants": "SELECT * FROM event_participants",
    "figures": "SELECT * FROM figures",
    "actor_merges": "SELECT * FROM actor_merges",
    "resolution_merges": "SELECT * FROM resolution_merges",
    "event_clusters": "SELECT * FROM event_clusters",
    "event_links": "SELECT * FROM event_links",
    "projects": "SELECT * FROM projects",
    "project_mentions": "SELECT * FROM project_mentions",
    "project_updates": "SELECT * FROM project_updates",
    "project_events": "SELECT * FROM project_events",
    "stories": "SELECT * FROM stories",
    "story_articles": "SELECT * FROM story_articles",
}


def query(store: Store, sql: str) -> tuple[list[str], list[tuple]]:
    """Run ``sql`` in DuckDB with the store's tables in scope; return column names and rows."""
    con = duckdb.connect()
    try:
        for name, select in TABLES.items():
            if re.search(rf"\b{name}\b", sql, re.IGNORECASE):
                con.register(name, _arrow(store.db, select))
        result = con.execute(sql)
        return [d[0] for d in result.description], result.fetchall()
    finally:
        con.close()


def _arrow(db: sqlite3.Connection, select: str) -> pa.Table:
    cursor = db.execute(select)
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    return pa.table({name: pa.array([row[i] for row in rows]) for i, name in enumerate(names)})
