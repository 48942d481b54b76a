"""The local executor: a pool of worker processes gives the same store as one process, keeps
input order, holds a bounded number of chunks in flight, and turns a worker that dies into a
rejection of the one item that killed it while everything else is kept."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from dyad.api import ingest
from dyad.executor import Job, WorkerStats, map_chunks
from dyad.records import Rejection
from dyad.settings import load_settings
from dyad.store import Store

TEXTS = [
    "ASTANA (Reuters) - Kazakhstan's President Kassym-Jomart Tokayev met Chinese President Xi Jinping in "
    "Astana on Tuesday, and the two leaders signed an agreement on a new railway line.",
    "KABUL - Afghanistan's acting foreign minister visited Tashkent on Monday to discuss trade with "
    "Uzbekistan's foreign minister, the ministry said in a statement.",
    "MOSCOW - Russia accused Ukraine on Sunday of attacking a fuel depot near the border, and Ukraine's "
    "army denied it, saying the blast had been an accident.",
]


def squares(items: list[int], settings: object) -> list[list[int]]:
    return [[item * item] for item in items]


def die_on_seven(items: list[int], settings: object) -> list[list[int]]:
    if 7 in items:
        os._exit(3)  # a worker that dies, as on a segfault or the OOM killer
    return [[item] for item in items]


def rejected(item: int, message: str) -> Rejection:
    return Rejection("test", f"item {item}", "E-WORKER-CRASHED", message)


SQUARES = Job(squares, rejected, load_models=False)
DIES = Job(die_on_seven, rejected, load_models=False)


@pytest.fixture(scope="module")
def settings():
    return load_settings(extract=False)


@pytest.mark.parametrize("workers", [1, 2])
def test_executor_keeps_input_order(settings, workers: int) -> None:
    results = list(map_chunks(SQUARES, range(50), settings, workers=workers, chunk_size=3))
    assert results == [[i * i] for i in range(50)]


def test_executor_worker_death_rejects_only_its_item(settings) -> None:
    stats = WorkerStats()
    results = list(map_chunks(DIES, range(20), settings, workers=2, chunk_size=4, stats=stats))
    assert [r[0] for r in results if not isinstance(r[0], Rejection)] == [i for i in range(20) if i != 7]
    [failure] = [r[0] for r in results if isinstance(r[0], Rejection)]
    assert failure.locator == "item 7" and failure.code == "E-WORKER-CRASHED" and "died" in failure.message
    assert results[7] == [failure]  # in its place in the order
    assert stats.peak_rss_kib and all(kib > 0 for kib in stats.peak_rss_kib.values())


def test_executor_bounds_the_chunks_in_flight(settings) -> None:
    pulled = []

    def items():
        for i in range(400):
            pulled.append(i)
            yield i

    results = map_chunks(SQUARES, items(), settings, workers=2, chunk_size=5)
    assert next(results) == [0]
    # at most 2 × workers chunks in flight, plus the one being read
    assert len(pulled) <= (2 * 2 + 1) * 5 + 1
    assert len(list(results)) == 399


def test_executor_small_input_runs_in_process(settings) -> None:
    # one chunk: no pool is started, so a function the workers could not import still runs
    results = list(map_chunks(Job(lambda items, s: [[i] for i in items], rejected), range(3), settings, workers=4, chunk_size=8))
    assert results == [[0], [1], [2]]


def _facts(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT id, key FROM articles ORDER BY key").fetchall()
        events = conn.execute("SELECT id, article_id, type, status, confidence, date_value, place_id FROM events ORDER BY 1").fetchall()
    return [articles, events]


def test_ingest_with_workers_stores_what_one_process_stores(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(40):  # enough for several chunks: the pool is used
        (corpus / f"a{i:02d}.txt").write_text(f"{TEXTS[i % 3]}\n\nReport number {i} of the series.", encoding="utf-8")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    facts, counts = [], []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        with Store(db) as store:
            report = ingest([corpus], store=store, settings=load_settings(db_path=db, workers=workers))
            again = ingest([corpus], store=store, settings=load_settings(db_path=db, workers=workers))
        facts.append(_facts(db))
        counts.append((report.counts.as_dict(), again.counts.as_dict()))
    assert facts[0] == facts[1]
    assert counts[0] == counts[1]
    first, second = counts[1]
    assert first["added"] == 40 and first["extracted"] == 40 and first["rejected_by_code"] == {"E-EMPTY": 1}
    assert second["added"] == 0 and second["unchanged"] == 40 and second["extracted"] == 0
    assert len(facts[1][1]) >= 40  # every text codes at least one event
