"""The pipeline's stages in one place: what each reads and writes, in order.

    ingest  -> clean  -> extract  -> resolve  -> store  -> serve

``STAGES`` is the contract; ``check_stages`` verifies that every stage reads only what an earlier
stage wrote (as spaCy does for its components), and a test pins the list so a stage cannot
silently disappear. ``process_document`` is the per-document part of the flow: a pure function of
one document, which is what a process pool or a distributed engine maps over a batch.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    Stage("resolve.events", "dyad.resolve.events", ("store", "actor_merges"), ("event_clusters", "event_links"),
          "reports of one event across articles become one cluster (recorded, reversible merges); plans linked to fulfilments"),
    Stage("resolve.projects", "dyad.resolve.projects", ("store",), ("projects", "project_events"),
          "named projects with their aliases across articles, status updates and events; commitments"),
    Stage("resolve.stories", "dyad.resolve.stories", ("store", "event_clusters", "projects"), ("stories",),
          "articles about one developing situation grouped into stories"),
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


# Per-document time limit for cleaning and assembling, in seconds: setting clean.time_limit (this
# constant when a settings object has none; 0 or less turns the limit off). A document over the
# limit becomes an E-CLEAN-TIMEOUT rejection. In the main
# thread of a Unix process the work is interrupted at the limit (SIGALRM, which also interrupts a
# runaway regular expression); elsewhere, or inside C code that does not return (an lxml parse),
# the document is rejected as soon as cleaning ends past the limit.
CLEAN_TIME_LIMIT = 60.0


class _CleanTimeout(BaseException):
    """Raised by the SIGALRM handler. A BaseException, so that a library's ``except Exception``
    inside the cleaner cannot swallow it."""


def clean_time_limit(settings: Settings) -> float:
    return float(getattr(settings, "clean_time_limit", CLEAN_TIME_LIMIT))


def process_document(document: Document, settings: Settings,
                     on_error: Callable[[Document, Exception], Rejection] | None = None,
                     *, time_limit: float | None = None) -> Article | Rejection:
    """Clean and assemble one document. An unexpected failure of a stage on this document becomes
    a rejection (via ``on_error``), so one bad page never stops a batch; so does a document whose
    cleaning takes longer than ``time_limit`` seconds (default: ``clean_time_limit(settings)``)."""
    limit = clean_time_limit(settings) if time_limit is None else float(time_limit)
    started = time.monotonic()
    try:
        with _deadline(limit):
            cleaned = clean_document(document)
            result = assemble_article(document, cleaned, min_body_chars=settings.min_body_chars)
    except _CleanTimeout:
        return timeout_rejection(document, limit, time.monotonic() - started)
    except Exception as exc:  # noqa: BLE001 - the per-document error handler, by design
        return (on_error or stage_failure)(document, exc)
    elapsed = time.monotonic() - started
    if limit > 0 and elapsed > limit:
        return timeout_rejection(document, limit, elapsed)
    return result


_REPEAT_AFTER_DEADLINE = 0.05  # seconds between alarms once the deadline has passed


@contextmanager
def _deadline(limit: float) -> Iterator[None]:
    """Raise ``_CleanTimeout`` in this block after ``limit`` seconds, where that can be done
    safely: the main thread, SIGALRM available, and no other interval timer running."""
    usable = (
        limit > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:
        yield
        return

    armed = True

    def expire(signum: int, frame: object) -> None:
        if armed:
            raise _CleanTimeout()

    # An exception raised while a weakref callback or __del__ runs is not propagated: Python hands
    # it to sys.unraisablehook. So the alarm repeats until one lands in the cleaning code, and the
    # lost ones are dropped quietly instead of being reported as errors.
    previous_hook = sys.unraisablehook

    def drop_lost_timeouts(unraisable: object) -> None:
        if not isinstance(getattr(unraisable, "exc_value", None), _CleanTimeout):
            previous_hook(unraisable)

    previous = signal.signal(signal.SIGALRM, expire)
    sys.unraisablehook = drop_lost_timeouts
    try:
        signal.setitimer(signal.ITIMER_REAL, limit, _REPEAT_AFTER_DEADLINE)
        yield
    finally:
        while armed:  # an alarm may fire before it is cancelled; then cancel again
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                armed = False
            except _CleanTimeout:
                pass
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
        sys.unraisablehook = previous_hook


def timeout_rejection(document: Document, limit: float, elapsed: float) -> Rejection:
    return Rejection(document.source, document.locator, "E-CLEAN-TIMEOUT",
                     f"{document.locator}: cleaning stopped after {elapsed:.1f} s, over the per-document limit of "
                     f"{limit:g} s (dyad.pipeline.CLEAN_TIME_LIMIT); the document is not stored",
                     detail=f"{len(document.content)} characters of {document.kind}")


def stage_failure(document: Document, exc: Exception) -> Rejection:
    return Rejection(document.source, document.locator, "E-CLEAN-FAILED",
                     f"{document.locator}: cleaning failed: {type(exc).__name__}: {exc}", detail=repr(exc))
