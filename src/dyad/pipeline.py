"""The pipeline's stages in one place: what each reads and writes, in order.

    ingest  -> clean  -> extract  -> resolve  -> store  -> serve

``STAGES`` is the contract; ``check_stages`` verifies that every stage reads only what an earlier
stage wrote (as spaCy does for its components), and a test pins the list so a stage cannot
silently disappear. ``process_document`` is the per-document part of the flow: a pure function of
one document, which is what a process pool or a distributed engine maps over a batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dyad.clean import assemble_article, clean_document
from dyad.records import Article, Document, Rejection
from dyad.settings import Settings


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    module: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    doc: str


STAGES: tuple[Stage, ...] = (
    Stage("discover", "dyad.ingest.discover", ("paths",), ("files", "rejections"),
          "walk files and folders; symlink loops and unreadable paths become rejections"),
    Stage("read", "dyad.ingest.readers", ("files",), ("documents", "rejections"),
          "read .txt/.html/.jsonl/.warc into Document records; bad input becomes a rejection"),
    Stage("clean", "dyad.clean", ("documents",), ("paragraphs", "metadata", "removed"),
          "body text and metadata with evidence; boilerplate kept aside as removed blocks"),
    Stage("assemble", "dyad.clean.assemble", ("documents", "paragraphs", "metadata", "removed"), ("articles", "rejections"),
          "clean text, paragraph spans, content-hash id; an empty body becomes a rejection"),
    Stage("extract", "dyad.extract", ("articles",), ("mentions", "actors", "places", "times", "figures", "events"),
          "spaCy per paragraph + gazetteer ruler: actors with roles, places, times, figures, PLOVER events"),
    Stage("resolve.versions", "dyad.resolve.versions", ("articles", "store"), ("article_versions",),
          "same content seen before: unchanged; same key with new content: a new version"),
    Stage("store", "dyad.store.sqlite", ("article_versions", "mentions", "actors", "places", "times", "figures", "events", "rejections"), ("store",),
          "write the batch in one transaction: all of it or none of it"),
    Stage("resolve.actors", "dyad.resolve.actors", ("store",), ("actor_merges",),
          "two spellings of one person across articles become one actor (recorded, reversible merges)"),
    Stage("serve", "dyad.serve", ("store",), (),
          "CLI listings, full-text search, SQL via DuckDB and exports (JSON Lines, CSV, Parquet)"),
)


# What the pipeline is given: the paths to ingest and the store as it was before this run.
PIPELINE_INPUTS = ("paths", "store")


def check_stages(stages: tuple[Stage, ...] = STAGES) -> list[str]:
    """Problems with the stage list: a stage that reads what no earlier stage writes."""
    available = set(PIPELINE_INPUTS)
    problems = []
    for stage in stages:
        missing = [item for item in stage.reads if item not in available]
        if missing:
            problems.append(f"[P001] stage '{stage.name}' reads {', '.join(missing)}, which no earlier stage writes")
        available.update(stage.writes)
    return problems


def process_document(document: Document, settings: Settings,
                     on_error: Callable[[Document, Exception], Rejection] | None = None) -> Article | Rejection:
    """Clean and assemble one document. An unexpected failure of a stage on this document becomes
    a rejection (via ``on_error``), so one bad page never stops a batch."""
    try:
        cleaned = clean_document(document)
        return assemble_article(document, cleaned, min_body_chars=settings.min_body_chars)
    except Exception as exc:  # noqa: BLE001 - the per-document error handler, by design
        return (on_error or stage_failure)(document, exc)


def stage_failure(document: Document, exc: Exception) -> Rejection:
    return Rejection(document.source, document.locator, "E-CLEAN-FAILED",
                     f"{document.locator}: cleaning failed: {type(exc).__name__}: {exc}", detail=repr(exc))
