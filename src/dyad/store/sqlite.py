"""The embedded store of record: one SQLite file in WAL mode (readers keep working while an
ingest writes), written one batch per transaction so a crash never leaves half an article."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from dyad.errors import NotFoundError, StoreError
from dyad.records import METADATA_FIELDS, Article, Evidence, Extraction, MetaValue, Rejection, RemovedBlock
from dyad.resolve import decide_version
from dyad.store.extraction import has_extraction, write_extraction
from dyad.store.migrations import migrate

_ARTICLE_COLUMNS = ("id", "key", "version", "supersedes", "source", "locator", "kind", "raw", "text",
                    "paragraphs", *METADATA_FIELDS, "run_id", "ingested_at")


@dataclass(slots=True)
class BatchCounts:
    added: int = 0
    new_versions: int = 0
    unchanged: int = 0
    extracted: int = 0
    rejected: int = 0
    rejected_by_code: dict[str, int] = field(default_factory=dict)

    def add(self, other: "BatchCounts") -> None:
        self.added += other.added
        self.new_versions += other.new_versions
        self.unchanged += other.unchanged
        self.extracted += other.extracted
        self.rejected += other.rejected
        for code, count in other.rejected_by_code.items():
            self.rejected_by_code[code] = self.rejected_by_code.get(code, 0) + count

    def as_dict(self) -> dict:
        return {"added": self.added, "new_versions": self.new_versions, "unchanged": self.unchanged,
                "extracted": self.extracted, "rejected": self.rejected, "rejected_by_code": dict(self.rejected_by_code)}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """The SQLite store. Open with ``Store(path)``; use as a context manager to close it."""

    def __init__(self, path: Path | str, *, busy_timeout: float = 30.0, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise StoreError(f"[S001] no store at {self.path}; run 'dyad ingest PATH' first or pass --db")
        try:
            self.db = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            if self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
                raise StoreError(f"[S004] cannot switch {self.path} to WAL mode")
            self.db.execute("PRAGMA synchronous = NORMAL")  # durable at each commit in WAL mode
            migrate(self.db, str(self.path))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"[S005] cannot open store {self.path}: {exc}") from exc

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # --- runs -----------------------------------------------------------------------------

    def begin_run(self, command: str) -> int:
        with self._transaction():
            # A run left 'running' by a killed process is marked so, not left dangling.
            self.db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
            return self.db.execute("INSERT INTO runs (started_at, command) VALUES (?, ?)", (_now(), command)).lastrowid

    def finish_run(self, run_id: int, counts: BatchCounts) -> None:
        with self._transaction():
            self.db.execute("UPDATE runs SET finished_at = ?, status = 'done', counts = ? WHERE id = ?",
                            (_now(), json.dumps(counts.as_dict()), run_id))

    # --- writing --------------------------------------------------------------------------

    def write_batch(self, run_id: int | None, items: Iterable[Article | Extraction | Rejection]) -> BatchCounts:
        """Write a batch in one transaction: every article, extraction and rejection of it, or
        none. An extraction follows its article in the batch (or its article is stored already)."""
        counts = BatchCounts()
        with self._transaction():
            for item in items:
                if isinstance(item, Extraction):
                    write_extraction(self.db, item)
                    counts.extracted += 1
                elif isinstance(item, Rejection):
                    self._insert_rejection(run_id, item)
                    counts.rejected += 1
                    counts.rejected_by_code[item.code] = counts.rejected_by_code.get(item.code, 0) + 1
                else:
                    outcome = self._insert_article(run_id, item)
                    if outcome == "new":
                        counts.added += 1
                    elif outcome == "new-version":
                        counts.new_versions += 1
                    else:
                        counts.unchanged += 1
        return counts

    def _insert_article(self, run_id: int | None, article: Article) -> str:
        known = self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone() is not None
        latest = self.db.execute("SELECT id, version FROM articles WHERE key = ? ORDER BY version DESC LIMIT 1",
                                 (article.key,)).fetchone()
        decision = decide_version(article.id, known, tuple(latest) if latest else None)
        if decision.outcome != "unchanged":
            meta = article.metadata()
            row = {
                "id": article.id, "key": article.key, "version": decision.version,
                "supersedes": decision.supersedes, "source": article.source, "locator": article.locator,
                "kind": article.kind, "raw": zlib.compress(article.raw.encode("utf-8")), "text": article.text,
                "paragraphs": json.dumps([[p.start, p.end] for p in article.paragraphs]),
                **{name: meta[name].value if name in meta else None for name in METADATA_FIELDS},
                "run_id": run_id, "ingested_at": _now(),
            }
            self.db.execute(f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))})",
                            [row[c] for c in _ARTICLE_COLUMNS])
            self.db.executemany(
                "INSERT INTO article_meta (article_id, field, value, source, confidence, basis, layer, start, end, quote)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(article.id, name, v.value, v.source, v.confidence, v.basis,
                  *((v.evidence.layer, v.evidence.start, v.evidence.end, v.evidence.quote) if v.evidence else (None,) * 4))
                 for name, v in meta.items()])
            self.db.executemany(
                "INSERT INTO removed_blocks (article_id, seq, start, end, reason, text) VALUES (?, ?, ?, ?, ?, ?)",
                [(article.id, seq, b.start, b.end, b.reason, b.text) for seq, b in enumerate(article.removed)])
        self.db.execute("INSERT OR IGNORE INTO article_sources (article_id, source, locator, run_id) VALUES (?, ?, ?, ?)",
                        (article.id, article.source, article.locator, run_id))
        return decision.outcome

    def _insert_rejection(self, run_id: int | None, rejection: Rejection) -> None:
        self.db.execute("INSERT INTO rejections (run_id, source, locator, code, message, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (run_id, rejection.source, rejection.locator, rejection.code, rejection.message, rejection.detail, _now()))

    def _transaction(self) -> "_Transaction":
        return _Transaction(self.db, self.path)

    def resolve_actors(self) -> list:
        """Record new cross-article merges of people (see dyad.resolve.actors)."""
        from dyad.resolve.actors import resolve_people

        with self._transaction():
            return resolve_people(self.db)

    def resolve_across_articles(self) -> None:
        """Cluster reports of one event, link plans to their fulfilment, link project names and
        group articles into stories (dyad.resolve.events, .projects, .stories)."""
        with self._transaction():
            self._resolve_across_articles()

    def _resolve_across_articles(self) -> None:
        from dyad.resolve.events import resolve_events
        from dyad.resolve.projects import resolve_projects
        from dyad.resolve.stories import resolve_stories

        resolve_events(self.db)
        resolve_projects(self.db)
        resolve_stories(self.db)

    def resolution_merges(self) -> list[dict]:
        from dyad.store.resolution import resolution_merges

        return resolution_merges(self.db)

    def undo_resolution_merge(self, merge_id: int) -> None:
        """Undo an event or project merge; the resolution is redone without it."""
        from dyad.store.resolution import undo_resolution_merge

        with self._transaction():
            undo_resolution_merge(self.db, merge_id)
            self._resolve_across_articles()

    def merges(self) -> list[dict]:
        return [dict(r) | {"evidence": json.loads(r["evidence"])} for r in self.db.execute("SELECT * FROM actor_merges ORDER BY id")]

    def undo_merge(self, merge_id: int) -> None:
        """Undo a merge of two people; events are clustered again with the two apart."""
        with self._transaction():
            if self.db.execute("UPDATE actor_merges SET undone_at = ? WHERE id = ? AND undone_at IS NULL",
                               (_now(), merge_id)).rowcount == 0:
                raise NotFoundError(f"[S010] no active merge {merge_id}; 'dyad merges' lists them")
            self._resolve_across_articles()

    def has_extraction(self, article_id: str) -> bool:
        """Whether the article's extraction by the current extractor is stored."""
        return has_extraction(self.db, article_id)

    # --- reading --------------------------------------------------------------------------

    def article_ids(self, *, all_versions: bool = False) -> list[str]:
        table = "articles" if all_versions else "current_articles"
        return [r[0] for r in self.db.execute(f"SELECT id FROM {table} ORDER BY source, locator, version")]

    def articles(self, *, all_versions: bool = False, limit: int | None = None, offset: int = 0) -> Iterator[Article]:
        table = "articles" if all_versions else "current_articles"
        rows = self.db.execute(f"SELECT * FROM {table} ORDER BY source, locator, version LIMIT ? OFFSET ?",
                               (-1 if limit is None else limit, offset))
        for row in rows.fetchall():
            yield self._article(row)

    def article(self, ident: str) -> Article:
        """An article by id, or by a unique prefix of its id (as git does for commits)."""
        rows = self.db.execute("SELECT * FROM articles WHERE id >= ? AND id < ? LIMIT 2", (ident, ident + "\uffff")).fetchall()
        if not rows:
            raise NotFoundError(f"[S006] no article with id {ident!r}; 'dyad articles list' shows the ids")
        if len(rows) > 1 and rows[0]["id"] != ident:
            raise NotFoundError(f"[S007] id prefix {ident!r} matches several articles; give more characters")
        return self._article(rows[0])

    def search(self, query: str, *, limit: int = 20) -> list[tuple[Article, str]]:
        """Full-text search (SQLite FTS5 query syntax) over titles and bodies, best match first."""
        try:
            rows = self.db.execute(
                "SELECT a.*, snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet FROM articles_fts"
                " JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (query, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"[S008] bad search query {query!r}: {exc}; quote phrases with double quotes") from exc
        return [(self._article(row), row["snippet"]) for row in rows]

    def sources(self, article_id: str) -> list[tuple[str, str]]:
        return [(r["source"], r["locator"]) for r in self.db.execute(
            "SELECT source, locator FROM article_sources WHERE article_id = ? ORDER BY rowid", (article_id,))]

    def rejections(self, *, run_id: int | None = None) -> list[dict]:
        if run_id is None:
            rows = self.db.execute("SELECT * FROM rejections ORDER BY id")
        else:
            rows = self.db.execute("SELECT * FROM rejections WHERE run_id = ? ORDER BY id", (run_id,))
        return [dict(r) for r in rows]

    def runs(self) -> list[dict]:
        return [dict(r) | {"counts": json.loads(r["counts"])} for r in self.db.execute("SELECT * FROM runs ORDER BY id")]

    def stats(self) -> dict:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "store": str(self.path),
            "schema_version": one("PRAGMA user_version"),
            "articles": one("SELECT count(*) FROM current_articles"),
            "article_versions": one("SELECT count(*) FROM articles"),
            "sources": one("SELECT count(*) FROM article_sources"),
            "rejections": one("SELECT count(*) FROM rejections"),
            "events": one("SELECT count(*) FROM events"),
            "actors": one("SELECT count(*) FROM actors"),
            "runs": one("SELECT count(*) FROM runs"),
            "with_published": one("SELECT count(*) FROM current_articles WHERE published IS NOT NULL"),
            "with_outlet": one("SELECT count(*) FROM current_articles WHERE outlet IS NOT NULL"),
            "outlets": {r[0]: r[1] for r in self.db.execute(
                "SELECT outlet, count(*) FROM current_articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY 2 DESC, 1")},
            "rejections_by_code": {r[0]: r[1] for r in self.db.execute(
                "SELECT code, count(*) FROM rejections GROUP BY code ORDER BY 2 DESC, 1")},
        }

    def _article(self, row: sqlite3.Row) -> Article:
        ident = row["id"]
        meta = {r["field"]: _meta_value(r, ident) for r in self.db.execute(
            "SELECT * FROM article_meta WHERE article_id = ?", (ident,))}
        removed = tuple(RemovedBlock(r["start"], r["end"], r["reason"], r["text"]) for r in self.db.execute(
            "SELECT * FROM removed_blocks WHERE article_id = ? ORDER BY seq", (ident,)))
        text = row["text"]
        paragraphs = tuple(Evidence("text", s, e, text[s:e], ident) for s, e in json.loads(row["paragraphs"]))
        return Article(
            id=ident, key=row["key"], source=row["source"], locator=row["locator"], kind=row["kind"],
            raw=zlib.decompress(row["raw"]).decode("utf-8"), text=text, paragraphs=paragraphs,
            removed=removed, version=row["version"], supersedes=row["supersedes"],
            **{name: meta.get(name) for name in METADATA_FIELDS},
        )


def _meta_value(row: sqlite3.Row, article_id: str) -> MetaValue:
    evidence = None
    if row["layer"] is not None:
        evidence = Evidence(row["layer"], row["start"], row["end"], row["quote"], article_id)
    return MetaValue(row["value"], row["source"], row["confidence"], evidence, row["basis"])


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error. IMMEDIATE takes the write lock up
    front, so a second writer waits (busy_timeout) and then fails with a clear message."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db, self.path = db, path

    def __enter__(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(f"[S009] {self.path} is locked by another writer (an ingest running?); try again when it ends") from exc
            raise

    def __exit__(self, kind: type | None, *rest: object) -> None:
        if kind is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
