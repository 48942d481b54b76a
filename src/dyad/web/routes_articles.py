"""Articles: the list (or a full-text search), and one article with its text, the evidence of
each metadata value, the boilerplate cleaning removed and the events read from it."""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from dyad.scores import quad_class
from dyad.store.queries import article_events as events_of_article
from dyad.web.deps import Limit, Offset, Reader
from dyad.web.models import ArticleDetail, ArticleSummary, Page

router = APIRouter(prefix="/api/articles", tags=["articles"])

SUMMARY_COLUMNS = "a.id, a.title, a.outlet, a.published, a.dateline, a.url"
# current versions only; the full-text index is keyed by the articles table's rowid
MATCHING = ("FROM articles_fts f JOIN articles a ON a.rowid = f.rowid"
            " WHERE articles_fts MATCH ? AND a.id IN (SELECT id FROM current_articles)")


@router.get("", response_model=Page[ArticleSummary], summary="Articles, newest first, or those matching a full-text query")
def list_articles(db: Reader, limit: Limit = 50, offset: Offset = 0,
                  q: Annotated[str | None, Query(min_length=1, max_length=500,
                                                 description='SQLite FTS5 query: words, "phrases", OR, NEAR')] = None) -> dict:
    if q is None:
        total = db.execute("SELECT count(*) FROM current_articles").fetchone()[0]
        rows = db.execute(f"SELECT {SUMMARY_COLUMNS} FROM current_articles a ORDER BY a.published IS NULL, a.published DESC, a.id"
                          " LIMIT ? OFFSET ?", (limit, offset)).fetchall()
    else:
        try:
            total = db.execute(f"SELECT count(*) {MATCHING}", (q,)).fetchone()[0]
            rows = db.execute(f"SELECT {SUMMARY_COLUMNS} {MATCHING} ORDER BY f.rank LIMIT ? OFFSET ?", (q, limit, offset)).fetchall()
        except sqlite3.OperationalError as exc:
            raise HTTPException(400, f"bad search query {q!r}: {exc}; quote phrases with double quotes") from None
    return {"items": [dict(r) for r in rows], "total": total, "limit": limit, "offset": offset}


@router.get("/{article_id}", response_model=ArticleDetail, responses={404: {"description": "No such article"}},
            summary="One article (id or a unique prefix of it) with text, metadata evidence, removed blocks and events")
def get_article(db: Reader, article_id: Annotated[str, Path(min_length=4, max_length=64)]) -> dict:
    rows = db.execute("SELECT * FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                      (article_id, article_id + "\uffff")).fetchall()
    if not rows:
        raise HTTPException(404, f"no article with id {article_id!r}")
    if len(rows) > 1 and rows[0]["id"] != article_id:
        raise HTTPException(404, f"id prefix {article_id!r} matches several articles; give more characters")
    row = rows[0]
    ident = row["id"]
    meta = {r["field"]: {k: r[k] for k in ("value", "source", "confidence", "basis", "layer", "start", "end", "quote")}
            for r in db.execute("SELECT * FROM article_meta WHERE article_id = ?", (ident,))}
    removed = [dict(r) for r in db.execute("SELECT start, end, reason, text FROM removed_blocks WHERE article_id = ? ORDER BY seq", (ident,))]
    seen = [dict(r) for r in db.execute("SELECT source, locator FROM article_sources WHERE article_id = ? ORDER BY rowid", (ident,))]
    return {**{k: row[k] for k in ("id", "title", "outlet", "published", "dateline", "url", "version", "key", "supersedes", "text")},
            "paragraphs": json.loads(row["paragraphs"]), "meta": meta, "removed": removed, "seen_at": seen,
            "events": article_events(db, ident)}


def article_events(db: sqlite3.Connection, article_id: str) -> list[dict]:
    """The events read from one article, in text order, each under the id of the real-world
    event it reports (its cluster) and with the spans of its sentence and trigger; type, mode,
    status, date and quad class are the event's as an analyst's review left them."""
    rows = db.execute(
        "SELECT e.*, coalesce(c.cluster_id, e.id) AS cluster FROM events e LEFT JOIN event_clusters c ON c.event_id = e.id"
        " WHERE e.article_id = ? ORDER BY e.sentence_start, e.trigger_start", (article_id,)).fetchall()
    reviewed = {event["id"]: event for event in events_of_article(db, article_id, include_rejected=True)}
    return [{"id": r["cluster"], "mention_id": r["id"], **_as_reviewed(r, reviewed.get(r["cluster"])),
             "sentence": {"article_id": article_id, "start": r["sentence_start"], "end": r["sentence_end"], "quote": r["sentence_quote"]},
             "trigger": {"article_id": article_id, "start": r["trigger_start"], "end": r["trigger_end"], "quote": r["trigger_quote"]}}
            for r in rows]


def _as_reviewed(row: sqlite3.Row, event: dict | None) -> dict:
    """The mention's fields, or its event's where the read model has the event (with reviews applied)."""
    if event is None:
        return {"type": row["type"], "mode": row["mode"], "status": row["status"], "date": row["date_value"],
                "quad": quad_class(row["type"]), "reviewed": False, "rejected": False}
    return {"type": event["type"], "mode": event["mode"], "status": event["status"], "date": event["date"],
            "quad": event["quad"], "reviewed": event["reviewed"] is not None, "rejected": bool(event.get("rejected"))}
