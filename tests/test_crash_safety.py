"""Crash safety: ``dyad ingest --no-extract`` is killed with SIGKILL at random points, many times in
a row, and restarted. After every kill the store opens, passes SQLite's and FTS5's integrity checks,
and holds only whole articles (each with its metadata rows, removed blocks, source row and search
entry), none twice; the last run completes with every article present exactly once.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dyad.pipeline import process_document
from dyad.records import Article, Document
from dyad.settings import load_settings
from dyad.store import Store

ARTICLES = 400
KILLS = 10
SEED = int(os.environ.get("DYAD_CRASH_SEED", "20261122"))
CLI = [sys.executable, "-c", "from dyad.serve.cli import main; main()"]


def article_text(i: int) -> str:
    return (
        f"Talks resume in city {i}\n\nPublished: 2025-03-{1 + i % 28:02d}\n\n"
        f"LONDON (Reuters) — The foreign ministers of country number {i} met in the capital on Monday to "
        f"discuss trade, security and the token zq{i}marker in detail. They said the talks went well.\n\n"
        f"The second paragraph of article {i} says that more talks will follow next week in the other capital.\n\n"
        "Related Articles\n\nShare\n"
    )


def make_corpus(root: Path, n: int = ARTICLES) -> dict[str, Article]:
    """n small articles in ten folders; returns what each must become, by id."""
    expected: dict[str, Article] = {}
    settings = load_settings()
    for i in range(n):
        folder = root / f"part{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"a{i:04d}.txt"
        path.write_text(article_text(i), encoding="utf-8")
        document = Document(str(path), str(path), str(path.resolve()), "text", article_text(i))
        article = process_document(document, settings)
        assert isinstance(article, Article)
        expected[article.id] = article
    return expected


def ingest_command(db: Path, corpus: Path, *extra: str) -> list[str]:
    return [*CLI, "--db", str(db), "ingest", "--no-extract", "-q", *extra, str(corpus)]


def check_store(db: Path, expected: dict[str, Article]) -> int:
    """Every invariant a crash must not break; returns the number of articles stored."""
    with Store(db) as store:  # opens (and migrates) as the next run would
        stored = store.article_ids(all_versions=True)
    db_ = sqlite3.connect(db)
    try:
        assert db_.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db_.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")  # raises if not
        assert len(stored) == len(set(stored)), "an article is stored twice"
        assert db_.execute("SELECT count(*) FROM (SELECT key FROM articles GROUP BY key HAVING count(*) > 1)").fetchone()[0] == 0
        for table in ("article_meta", "removed_blocks", "article_sources"):
            orphans = db_.execute(f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
            assert orphans == 0, f"{orphans} {table} rows without their article"
        meta: dict[str, set[str]] = {}
        for article_id, name in db_.execute("SELECT article_id, field FROM article_meta"):
            meta.setdefault(article_id, set()).add(name)
        removed = dict(db_.execute("SELECT article_id, count(*) FROM removed_blocks GROUP BY article_id").fetchall())
        sources = dict(db_.execute("SELECT article_id, count(*) FROM article_sources GROUP BY article_id").fetchall())
        for rowid, ident, text, version in db_.execute("SELECT rowid, id, text, version FROM articles").fetchall():
            want = expected.get(ident)
            assert want is not None, f"unexpected article {ident}"
            assert text == want.text and version == 1
            assert meta.get(ident, set()) == set(want.metadata()), f"{ident}: metadata rows incomplete"
            assert removed.get(ident, 0) == len(want.removed), f"{ident}: removed blocks incomplete"
            assert sources.get(ident) == 1, f"{ident}: source rows {sources.get(ident)}"
            token = next(w for w in text.split() if w.startswith("zq"))
            hits = [r[0] for r in db_.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (token,))]
            assert hits == [rowid], f"{ident}: search entry {hits} for row {rowid}"
        return len(stored)
    finally:
        db_.close()


def count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as db_:
            return db_.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet, or mid-migration


def wait_for(process: subprocess.Popen, condition, limit: float = 30) -> None:  # noqa: ANN001
    deadline = time.monotonic() + limit
    while process.poll() is None and not condition() and time.monotonic() < deadline:
        time.sleep(0.005)


def test_sigkill_at_random_points_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    expected = make_corpus(tmp_path / "corpus")
    db = tmp_path / "store.db"
    rng = random.Random(SEED)
    log = []
    for kill in range(KILLS):
        before, runs = count(db, "articles"), count(db, "runs")
        process = subprocess.Popen(ingest_command(db, tmp_path / "corpus", "--batch-size", str(rng.randint(3, 25))),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if kill % 2 == 0:
            # a random delay once this run has started (its row is in 'runs'): anywhere from
            # reading the first files to the last commit
            wait_for(process, lambda: count(db, "runs") > runs)
            delay = rng.uniform(0, 0.4)
            how = f"{delay:.2f} s into the run"
            time.sleep(delay)
        else:
            # once the store has grown past a random point: lands inside the writing phase
            target = before + rng.randint(1, max(1, (ARTICLES - before) // 2))
            how = f"past {target} articles"
            wait_for(process, lambda: count(db, "articles") >= target)
            time.sleep(rng.uniform(0, 0.02))
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        stderr = process.stderr.read().decode("utf-8", "replace")
        process.stderr.close()
        after = check_store(db, expected)
        log.append((kill, how, process.returncode, before, after))
        assert process.returncode in (-signal.SIGKILL, 0), stderr
        if after == ARTICLES and kill < KILLS - 1:
            # a run finished before its kill (a fast machine): start the next one on a new store,
            # so that every kill has writing to interrupt
            for path in db.parent.glob(db.name + "*"):
                path.unlink()
    print("\n".join(f"kill {k}: {how}, rc {rc}, articles {b} -> {a}" for k, how, rc, b, a in log))
    mid_ingest = sum(1 for _, _, rc, b, a in log if rc == -signal.SIGKILL and b < a < ARTICLES)
    assert mid_ingest >= 3, f"only {mid_ingest} kills landed while articles were being written: {log}"

    final = subprocess.run(ingest_command(db, tmp_path / "corpus"), capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    assert check_store(db, expected) == ARTICLES
    with Store(db) as store:
        assert set(store.article_ids()) == set(expected)
        runs = store.runs()
        assert runs[-1]["status"] == "done"
        # every killed run is marked, not left 'running'
        assert all(run["status"] in ("done", "interrupted") for run in runs)
        assert store.rejections() == []
