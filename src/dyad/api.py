"""dyad's Python API: ingest paths into a store, and open a store to read it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dyad.ingest import discover, read_path
from dyad.pipeline import process_document
from dyad.records import Article, Extraction, Rejection
from dyad.settings import Settings, load_settings, store_location
from dyad.store import BatchCounts, Store

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
    location = store_location(db or settings.db_path)
    if isinstance(location, str):
        from dyad.store.postgres import PostgresStore  # psycopg only for those who use it

        return PostgresStore(location, busy_timeout=settings.busy_timeout, readonly=readonly)
    return Store(location, busy_timeout=settings.busy_timeout, readonly=readonly)


def iter_articles(paths: Iterable[Path], settings: Settings, on_file: Progress | None = None) -> Iterator[Article | Rejection]:
    """The per-document flow, streamed: discover → read → clean → assemble. Pure with respect to
    the store, so the same function can run in worker processes or on a distributed engine."""
    for found in discover(list(paths), settings.extensions):
        if isinstance(found, Rejection):
            yield found
            continue
        if on_file:
            on_file(str(found))
        for item in read_path(found, max_bytes=settings.max_bytes, encoding=settings.encoding):
            yield item if isinstance(item, Rejection) else process_document(item, settings)


def extract_or_reject(article: Article) -> Extraction | Rejection:
    """The article's extraction; a failure is recorded (the article itself is kept)."""
    from dyad.extract import extract_article

    try:
        return extract_article(article)
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
        return Rejection(article.source, article.locator, "E-EXTRACT-FAILED",
                         f"{article.locator}: article {article.id} stored, but extraction failed: {type(exc).__name__}: {exc}",
                         detail=repr(exc))


def extract_stored(store: Store, *, settings: Settings | None = None, force: bool = False) -> BatchCounts:
    """Extract (again, with ``force``) every current article in the store, batch by batch."""
    settings = settings or load_settings()
    counts = BatchCounts()
    batch: list[Extraction | Rejection] = []
    for article in store.articles():
        if force or not store.has_extraction(article.id):
            batch.append(extract_or_reject(article))
        if len(batch) >= settings.batch_size:
            counts.add(store.write_batch(None, batch))
            batch = []
    if batch:
        counts.add(store.write_batch(None, batch))
    store.resolve_actors()
    store.resolve_across_articles()
    return counts


def ingest(paths: Iterable[Path | str], *, store: Store, settings: Settings | None = None,
           command: str = "ingest", on_file: Progress | None = None) -> IngestReport:
    """Ingest files and folders into ``store``, one transaction per batch. Running it again on the
    same input adds nothing; an interrupted run is resumed by running it again."""
    settings = settings or load_settings()
    report = IngestReport(run_id=store.begin_run(command))

    def count_file(name: str) -> None:
        report.files += 1
        if on_file:
            on_file(name)

    batch: list[Article | Extraction | Rejection] = []
    for item in iter_articles([Path(p) for p in paths], settings, count_file):
        batch.append(item)
        if isinstance(item, Article) and settings.extract and not store.has_extraction(item.id):
            batch.append(extract_or_reject(item))
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
