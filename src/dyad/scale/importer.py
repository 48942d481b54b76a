"""Load a folder of Parquet partitions (written by ``dyad scale run``) into the store, as
``dyad ingest`` would have stored the same input: same ids, same versioning, then resolution.
Importing a folder twice adds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb

from dyad.api import IngestReport
from dyad.errors import DyadError
from dyad.records import Article, Extraction, Rejection
from dyad.scale.parquet import article_from_row, from_json, rejection_from_row
from dyad.settings import Settings
from dyad.store import Store
from dyad.store.extraction import EXTRACTOR_VERSION


def import_partitions(folder: Path, *, store: Store, settings: Settings) -> IngestReport:
    """Write the articles, extractions and rejections under ``folder`` into ``store``, one
    transaction per batch, in the order the inputs were read; then resolve across articles.
    An extraction made by another extractor version is not imported (``dyad extract`` makes it anew)."""
    if not any((folder / "articles").glob("*.parquet")):  # every partition has a file per table, empty or not
        raise DyadError(f"[P101] no Parquet partitions in {folder}; 'dyad scale run INPUT... --out {folder}' writes them")
    report = IngestReport(run_id=store.begin_run(f"scale import {folder}"))
    try:
        _write(folder, store, settings, report)
    except (duckdb.Error, KeyError, ValueError, TypeError) as exc:
        # a damaged or foreign file among the partitions; the batches written before it are kept
        raise DyadError(f"[P102] cannot read the partitions in {folder}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from exc
    if settings.extract:
        store.resolve_actors()
        store.resolve_across_articles()
    store.finish_run(report.run_id, report.counts)
    return report


def _write(folder: Path, store: Store, settings: Settings, report: IngestReport) -> None:
    batch: list[Article | Extraction | Rejection] = []
    extracted: set[str] = set()  # an article read from two inputs is extracted once
    for article, extraction in _articles(folder, settings.batch_size):
        batch.append(article)
        if extraction is not None and settings.extract and article.id not in extracted and not store.has_extraction(article.id):
            batch.append(extraction)
            extracted.add(article.id)
        if len(batch) >= settings.batch_size:
            report.counts.add(store.write_batch(report.run_id, batch))
            batch = []
    if batch:
        report.counts.add(store.write_batch(report.run_id, batch))
    new_rejections = [r for r in _rejections(folder) if not _known(store, r)]
    report.counts.add(store.write_batch(report.run_id, new_rejections))


def _glob(folder: Path, table: str) -> str:
    return str(folder / table / "*.parquet").replace("'", "''")


def _articles(folder: Path, chunk: int) -> Iterator[tuple[Article, Extraction | None]]:
    has_extractions = any((folder / "extractions").glob("*.parquet"))
    extractions = (f"(SELECT article_id, any_value(record) AS record FROM read_parquet('{_glob(folder, 'extractions')}')"
                   f" WHERE extractor = ? GROUP BY article_id)") if has_extractions else "(SELECT NULL AS article_id, NULL AS record)"
    con = duckdb.connect()
    try:
        cursor = con.execute(
            f"SELECT a.*, x.record AS extraction FROM read_parquet('{_glob(folder, 'articles')}') a"
            f" LEFT JOIN {extractions} x ON x.article_id = a.article_id ORDER BY a.run, a.file_seq, a.item_seq, a.locator",
            [EXTRACTOR_VERSION] if has_extractions else [])
        columns = [d[0] for d in cursor.description]
        while rows := cursor.fetchmany(chunk):
            for values in rows:
                row = dict(zip(columns, values))
                extraction = from_json(Extraction, row["extraction"]) if row["extraction"] else None
                yield article_from_row(row), extraction  # type: ignore[misc]
    finally:
        con.close()


def _rejections(folder: Path) -> list[Rejection]:
    if not any((folder / "rejections").glob("*.parquet")):
        return []
    con = duckdb.connect()
    try:
        cursor = con.execute(f"SELECT * FROM read_parquet('{_glob(folder, 'rejections')}') ORDER BY run, file_seq, item_seq, locator")
        columns = [d[0] for d in cursor.description]
        return [rejection_from_row(dict(zip(columns, values))) for values in cursor.fetchall()]
    finally:
        con.close()


def _known(store: Store, rejection: Rejection) -> bool:
    """A rejection already recorded for the same input, code and reason (an earlier import)."""
    return store.db.execute(
        "SELECT 1 FROM rejections WHERE source = ? AND locator = ? AND code = ? AND message = ? LIMIT 1",
        (rejection.source, rejection.locator, rejection.code, rejection.message)).fetchone() is not None
