"""Concurrency: queries keep answering while an ingest writes (WAL readers are never blocked), and
two ingests on one store either serialise safely (batch by batch, each article stored once) or,
when the other writer holds the lock past ``store.busy_timeout``, the second is refused with a
clear message and exit code 4, leaving the store as it was.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from dyad.store import Store
from test_crash_safety import ARTICLES, check_store, count, ingest_command, make_corpus, wait_for


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("concurrency") / "corpus"
    return root, make_corpus(root)


def test_queries_answer_while_an_ingest_writes(tmp_path: Path, corpus: tuple[Path, dict]) -> None:
    root, expected = corpus
    db = tmp_path / "store.db"
    process = subprocess.Popen(ingest_command(db, root, "--batch-size", "4"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for(process, lambda: count(db, "runs") > 0)
    answered, seen, slowest = 0, [], 0.0
    while process.poll() is None:
        started = time.monotonic()
        with Store(db, readonly=True, busy_timeout=5) as store:
            # Each call is its own snapshot; one read transaction makes the four agree.
            store.db.execute("BEGIN")
            stats = store.stats()
            ids = store.article_ids()
            hits = store.search("zq7marker OR zq399marker")
            listed = list(store.articles(limit=3))
            store.db.execute("COMMIT")
        slowest = max(slowest, time.monotonic() - started)
        assert stats["articles"] == len(ids) and len(listed) == min(3, len(ids))
        assert all(article.id in expected for article, _ in hits)
        seen.append(len(ids))
        answered += 1 if 0 < len(ids) < ARTICLES else 0
    assert process.wait() == 0, process.stderr.read().decode()
    process.stderr.close()
    assert seen == sorted(seen), "a reader saw articles disappear"
    assert answered >= 3, f"only {answered} queries answered while articles were being written ({seen})"
    assert slowest < 2.0, f"a query waited {slowest:.2f} s for the writer"
    assert check_store(db, expected) == ARTICLES


def test_two_ingests_of_the_same_corpus_serialise_safely(tmp_path: Path, corpus: tuple[Path, dict]) -> None:
    root, expected = corpus
    db = tmp_path / "store.db"
    with Store(db):
        pass  # the store exists (schema created) before both start
    first = subprocess.Popen(ingest_command(db, root, "--batch-size", "3"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    second = subprocess.Popen(ingest_command(db, root, "--batch-size", "5"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for process in (first, second):
        assert process.wait(120) == 0, process.stderr.read().decode()
        process.stderr.close()
    assert check_store(db, expected) == ARTICLES  # each article once, with one source row
    with Store(db) as store:
        runs = store.runs()
    assert [run["status"] for run in runs] == ["done", "done"]
    assert sum(run["counts"]["added"] for run in runs) == ARTICLES
    assert sum(run["counts"]["added"] + run["counts"]["unchanged"] for run in runs) == 2 * ARTICLES


def test_second_writer_is_refused_with_a_clear_message(tmp_path: Path, corpus: tuple[Path, dict]) -> None:
    root, expected = corpus
    db = tmp_path / "store.db"
    config = tmp_path / "dyad.toml"
    config.write_text("[store]\nbusy_timeout = 0.5\n", encoding="utf-8")
    with Store(db):
        pass
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, mid-transaction
    try:
        started = time.monotonic()
        refused = subprocess.run([*ingest_command(db, root)[:3], "--config", str(config), *ingest_command(db, root)[3:]],
                                 capture_output=True, text=True, timeout=60)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert refused.returncode == 4, refused.stderr
    assert "locked by another writer" in refused.stderr and "[S009]" in refused.stderr
    assert waited < 20
    assert count(db, "articles") == 0 and count(db, "runs") == 0  # nothing half-done
    again = subprocess.run(ingest_command(db, root), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert check_store(db, expected) == ARTICLES
