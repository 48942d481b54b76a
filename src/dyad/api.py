"""dyad's Python API: ingest paths into a store, and open a store to read it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dyad.batch import DocumentTask, Record, document_crashed, extraction_crashed, run_document_tasks, run_extractions
from dyad.executor import Job, WorkerStats, map_chunks
from dyad.ingest import discover, read_path
from dyad.pipeline import process_document
from dyad.records import Article, Document, Rejection
from dyad.settings import Settings, load_settings
from dyad.store import BatchCounts, Store, open_location

Progress = Callable[[str], None]


@dataclass(slots=True)
class IngestReport:
    run_id: int
    counts: BatchCounts = field(default_factory=BatchCounts)
    files: int = 0


def open_store(db: Path | str | None = None, *, settings: Settings | None = None, readonly: bool = False) -> Store:
    """The store at ``db`` (default: the settings' store): a SQLite file, or with a
    ``postgresql://`` URL a PostgreSQL database (dyad.store.postgres)."""
    settings = settings or load_settings()
    return open_location(db or settings.db_path, busy_timeout=settings.busy_timeout, readonly=readonly)


# What the executor maps for ingest and for extract (dyad.batch; workers import them by name).
INGEST_JOB = Job(run_document_tasks, document_crashed)
EXTRACT_JOB = Job(run_extractions, extraction_crashed)


def iter_documents(paths: Iterable[Path], settings: Settings, on_file: Progress | None = None) -> Iterator[Document | Rejection]:
    """The reading part of the flow, streamed: discover → read; what cannot be read is a rejection."""
    for found in discover(list(paths), settings.extensions):
        if isinstance(found, Rejection):
            yield found
            continue
        if on_file:
            on_file(str(found))
        yield from read_path(found, max_bytes=settings.max_bytes, encoding=settings.encoding)


def iter_articles(paths: Iterable[Path], settings: Settings, on_file: Progress | None = None) -> Iterator[Article | Rejection]:
    """The per-document flow, streamed: discover → read → clean → assemble. Pure with respect to
    the store, so the same function can run in worker processes or on a distributed engine."""
    for item in iter_documents(paths, settings, on_file):
        yield item if isinstance(item, Rejection) else process_document(item, settings)


def extract_stored(store: Store, *, settings: Settings | None = None, force: bool = False,
                   stats: WorkerStats | None = None) -> BatchCounts:
    """Extract (again, with ``force``) every current article in the store, batch by batch, on
    ``settings.workers`` processes."""
    settings = settings or load_settings()
    counts = BatchCounts()
    batch: list[Record] = []
    todo = (article for article in store.articles() if force or not store.has_extraction(article.id))
    for group in map_chunks(EXTRACT_JOB, todo, settings, workers=settings.workers, stats=stats):
        batch.extend(group)
        if len(batch) >= settings.batch_size:
            counts.add(store.write_batch(None, batch))
            batch = []
    if batch:
        counts.add(store.write_batch(None, batch))
    store.resolve_actors()
    store.resolve_across_articles()
    return counts


def ingest(paths: Iterable[Path | str], *, store: Store, settings: Settings | None = None,
           command: str = "ingest", on_file: Progress | None = None, stats: WorkerStats | None = None) -> IngestReport:
    """Ingest files and folders into ``store``, one transaction per batch. Running it again on the
    same input adds nothing; an interrupted run is resumed by running it again. Documents are read
    here and cleaned and extracted on ``settings.workers`` processes (``dyad.executor``); an
    article already extracted in the store is not extracted again."""
    settings = settings or load_settings()
    report = IngestReport(run_id=store.begin_run(command))

    def count_file(name: str) -> None:
        report.files += 1
        if on_file:
            on_file(name)

    batch: list[Record] = []
    tasks = (DocumentTask(item, _extracted_under(store, item) if settings.extract else frozenset())
             for item in iter_documents([Path(p) for p in paths], settings, count_file))
    for group in map_chunks(INGEST_JOB, tasks, settings, workers=settings.workers, stats=stats):
        batch.extend(_without_repeat_extraction(store, group))
        if len(batch) >= settings.batch_size:
            report.counts.add(store.write_batch(report.run_id, batch))
            batch = []
    if batch:
        report.counts.add(store.write_batch(report.run_id, batch))
    if settings.extract:
        store.resolve_actors()
        store.resolve_across_articles()
    store.finish_run(report.run_id, report.counts)
    return report


def _extracted_under(store: Store, item: Document | Rejection) -> frozenset[str]:
    """Ids of the articles already extracted under the document's key: a worker that finds the
    document unchanged skips its extraction. (A SQLite store; elsewhere the check after the worker,
    ``_without_repeat_extraction``, does it alone.)"""
    if not isinstance(item, Document) or not isinstance(store, Store):
        return frozenset()
    from dyad.store.extraction import EXTRACTOR_VERSION

    rows = store.db.execute("SELECT a.id FROM articles a JOIN extractions e ON e.article_id = a.id "
                            "WHERE a.key = ? AND e.extractor = ?", (item.key, EXTRACTOR_VERSION))
    return frozenset(row[0] for row in rows)


def _without_repeat_extraction(store: Store, group: list[Record]) -> list[Record]:
    """A document's records, less an extraction of an article the store has extracted already."""
    if len(group) > 1 and isinstance(group[0], Article) and store.has_extraction(group[0].id):
        return group[:1]
    return group
