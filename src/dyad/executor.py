"""The local executor: a batch function mapped over the input by a pool of worker processes.

The main process reads the input and owns the store; workers only compute. Items go out in
chunks, results come back in input order, and at most ``2 × workers`` chunks are in flight, so
memory stays bounded however large the input. Each worker loads the models once (in its
initializer) and exits when the main process dies, so a killed ingest leaves no workers behind.
With one worker, or an input smaller than two chunks (where starting processes would cost more
than it saves), the same function runs in-process.

A worker that dies (out of memory, a crash in native code) breaks the pool: the chunks in flight
are then run again one item at a time in a fresh pool, and the item that breaks it again becomes a
rejection (E-WORKER-CRASHED); everything else in the batch is kept.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from dyad.records import Rejection
from dyad.settings import Settings

log = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")

# A chunk's items are processed together (spaCy batches them); larger chunks batch better, smaller
# ones balance the workers' load and bound memory. 16 news articles take about 2 s on one core.
CHUNK_SIZE = 16


@dataclass(slots=True)
class WorkerStats:
    """What the workers reported: peak memory per worker process (KiB, by pid) and their CPU time."""

    peak_rss_kib: dict[int, int] = field(default_factory=dict)
    cpu_seconds: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Job(Generic[Item, Result]):
    """What the executor maps: ``run(items, settings)`` returns one list of results per item (a
    pure function, defined at module level so workers can import it); ``failed(item, message)``
    is the rejection recorded for an item whose worker died; ``load_models``: workers load the
    extraction models when they start (when ``settings.extract`` is on)."""

    run: Callable[[list[Item], Settings], list[list[Result]]]
    failed: Callable[[Item, str], Rejection]
    load_models: bool = True


def map_chunks(job: Job, items: Iterable[Item], settings: Settings, *, workers: int,
               chunk_size: int = CHUNK_SIZE, stats: WorkerStats | None = None) -> Iterator[list[Result]]:
    """Each item's results, in input order. ``workers`` 1 runs in this process."""
    chunks = _chunks(items, chunk_size)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    head = (first,) if second is None else (first, second)
    if workers <= 1 or second is None:
        for chunk in _prepend(head, chunks):
            yield from job.run(chunk, settings)
        return
    yield from _pooled(job, _prepend(head, chunks), settings, workers, stats)


def _pooled(job: Job, chunks: Iterator[list], settings: Settings, workers: int,
            stats: WorkerStats | None) -> Iterator[list]:
    pool = _new_pool(job, settings, workers)
    try:  # one probe per worker starts them all now (the pool starts them lazily otherwise)
        probes = [pool.submit(_ready) for _ in range(workers)]
        probes[0].result()
    except BrokenProcessPool as exc:
        # Workers that cannot start at all (e.g. a script without the ``if __name__ ==
        # "__main__"`` guard that spawned processes need) say nothing about any document.
        pool.shutdown(wait=True, cancel_futures=True)
        log.warning("worker processes could not start (%s); running in this process", exc)
        for chunk in chunks:
            yield from job.run(chunk, settings)
        return
    in_flight: deque[tuple[list, Future]] = deque()
    try:
        for chunk in chunks:
            in_flight.append((chunk, pool.submit(_run_in_worker, job, chunk, settings)))
            while len(in_flight) >= 2 * workers:
                pool = yield from _collect(job, in_flight, pool, settings, workers, stats)
        while in_flight:
            pool = yield from _collect(job, in_flight, pool, settings, workers, stats)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(job: Job, in_flight: deque, pool: ProcessPoolExecutor, settings: Settings, workers: int,
             stats: WorkerStats | None):  # noqa: ANN202 - a generator that returns the pool to use next
    """Yield the oldest chunk's results; after a worker death, redo what was in flight in a new pool."""
    chunk, future = in_flight[0]
    try:
        results, report = future.result()
    except BrokenProcessPool:
        pool.shutdown(wait=True, cancel_futures=True)
        lost = [c for c, _ in in_flight]
        in_flight.clear()
        pool = _new_pool(job, settings, workers)
        for item_chunk in lost:
            for item in item_chunk:
                results, pool = _one_by_one(job, item, pool, settings, workers, stats)
                yield from results
        return pool
    in_flight.popleft()
    _record(stats, report)
    yield from results
    return pool


def _one_by_one(job: Job, item: object, pool: ProcessPoolExecutor, settings: Settings, workers: int,
                stats: WorkerStats | None) -> tuple[list, ProcessPoolExecutor]:
    """One item on its own; if its worker dies too, the item is the cause: a rejection."""
    try:
        results, report = pool.submit(_run_in_worker, job, [item], settings).result()
        _record(stats, report)
        return results, pool
    except BrokenProcessPool:
        pool.shutdown(wait=True, cancel_futures=True)
        message = "the worker process processing it died (out of memory or a crash in native code)"
        return [[job.failed(item, message)]], _new_pool(job, settings, workers)


def _record(stats: WorkerStats | None, report: tuple[int, int, float]) -> None:
    if stats is not None:
        pid, rss, cpu = report
        stats.peak_rss_kib[pid] = max(rss, stats.peak_rss_kib.get(pid, 0))
        stats.cpu_seconds[pid] = cpu


def _new_pool(job: Job, settings: Settings, workers: int) -> ProcessPoolExecutor:
    # spawn: a worker starts clean (no copy of the main process's store connection or threads).
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker, initargs=(os.getpid(), job.load_models and settings.extract))


def _start_worker(parent: int, load_models: bool) -> None:
    # Ctrl-C reaches the whole process group: the main process stops the run; a worker killed by
    # it mid-chunk would look like a crash and get its documents rejected.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    if load_models:
        from dyad.extract.classifier import available
        from dyad.extract.nlp import load_nlp

        load_nlp()
        available()


def _ready() -> bool:
    return True


def _exit_with_parent(parent: int) -> None:
    """A worker of a killed main process exits instead of waiting for work forever."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _run_in_worker(job: Job, chunk: list, settings: Settings) -> tuple[list, tuple[int, int, float]]:
    results = job.run(chunk, settings)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return results, (os.getpid(), usage.ru_maxrss, usage.ru_utime + usage.ru_stime)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _prepend(head: tuple, rest: Iterator) -> Iterator:
    yield from head
    yield from rest
