"""``dyad scale run`` on a local Ray (127.0.0.1, 2 CPUs, no dashboard), over the seed articles, a
JSON Lines file (with one bad line) and a Parquet file of the same rows; then ``dyad scale
import``: the store holds the same articles, events and participants as a plain ``dyad ingest``
of the same input, and importing again adds nothing. Skipped when Ray (the [ray] extra) is absent."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from conftest import SEEDS, write_corpus
from dyad.api import ingest, open_store
from dyad.serve.cli import main
from dyad.settings import load_settings

ray = pytest.importorskip("ray", reason="Ray is not installed: install the [ray] extra (pip install -e '.[ray]') to run the Ray job tests")

BAD_LINE = '{"url": "https://bad.example/x", "text": 12}\n'


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("inputs")
    jsonl = write_corpus(folder)
    rows = [json.loads(line) for line in jsonl.read_text().splitlines()]
    with jsonl.open("a") as stream:
        stream.write(BAD_LINE)
    pq.write_table(pa.Table.from_pylist(rows), folder / "news.parquet")
    return [SEEDS, jsonl, folder / "news.parquet"]


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", object_store_memory=100 * 1024 * 1024,
             logging_level=logging.WARNING, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def partitions(inputs: list[Path], local_ray, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scale") / "out"
    config = out.parent / "small-batches.toml"
    config.write_text("[ingest]\nbatch_size = 4\n")  # several batches, so both actors get work
    result = CliRunner().invoke(main, ["--config", str(config), "scale", "run", *map(str, inputs), "--out", str(out),
                                       "--workers", "2", "--cpus-per-worker", "0.5"], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # done, with the bad line rejected
    assert "7 files, 15 articles" in result.output  # 5 seeds, 5 lines + 1 bad line, 5 Parquet rows
    return out


@pytest.fixture(scope="module")
def plain_db(inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("plain") / "plain.db"
    with open_store(db) as store:
        ingest(inputs[:2], store=store, settings=load_settings(db_path=db))
    return db


def imported(partitions: Path, db: Path, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), "scale", "import", str(partitions)], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def facts(db: Path) -> dict:
    con = sqlite3.connect(db)
    try:
        one = lambda sql: [tuple(r) for r in con.execute(sql)]  # noqa: E731
        return {
            "articles": sorted(one("SELECT id, key, version, title, outlet, published FROM current_articles")),
            "events": sorted(one("SELECT id, article_id, type, status, date_value, trigger_quote FROM events")),
            "participants": sorted(one("SELECT event_id, role, seq, actor_id, quote FROM event_participants")),
            "actors": sorted(one("SELECT id, kind, country FROM actors")),
            "rejections": sorted(one("SELECT locator, code FROM rejections")),
            "clusters": one("SELECT count(DISTINCT cluster_id) FROM event_clusters"),
        }
    finally:
        con.close()


def test_import_matches_plain_ingest(partitions: Path, plain_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "scaled.db"
    out = imported(partitions, db, code=1)
    assert "10 added, 0 new versions, 5 unchanged, 10 extracted, 1 rejected" in out
    scaled, plain = facts(db), facts(plain_db)
    assert len(scaled["articles"]) == 10 and len(scaled["events"]) > 10
    assert Counter(e[2] for e in scaled["events"]) == Counter(e[2] for e in plain["events"])
    for name in ("articles", "events", "participants", "actors", "clusters"):
        assert scaled[name] == plain[name], name
    assert [code for _, code in scaled["rejections"]] == ["E-JSON"] and scaled["rejections"] == plain["rejections"]
    # The Parquet rows are the JSON lines' articles (same content, same id), seen in a second place.
    con = sqlite3.connect(db)
    sources = Counter(Path(s).suffix for (s,) in con.execute("SELECT source FROM article_sources"))
    con.close()
    assert sources == {".txt": 5, ".jsonl": 5, ".parquet": 5}


def test_import_twice_adds_nothing(partitions: Path, tmp_path: Path) -> None:
    db = tmp_path / "twice.db"
    imported(partitions, db, code=1)
    before = facts(db)
    again = imported(partitions, db)
    assert "0 added, 0 new versions, 15 unchanged, 0 extracted, 0 rejected" in again
    assert facts(db) == before


def test_duckdb_queries_partitions_directly(partitions: Path, plain_db: Path) -> None:
    glob = lambda table: str(partitions / table / "*.parquet")  # noqa: E731
    by_type = duckdb.sql(
        f"SELECT e.type, count(DISTINCT e.event_id) FROM read_parquet('{glob('events')}') e"
        f" JOIN read_parquet('{glob('articles')}') a USING (article_id) GROUP BY 1").fetchall()
    con = sqlite3.connect(plain_db)
    expected = dict(con.execute("SELECT type, count(*) FROM events GROUP BY type").fetchall())
    con.close()
    assert dict(by_type) == expected
    recipients = duckdb.sql(
        f"SELECT DISTINCT p.actor_id FROM read_parquet('{glob('participants')}') p"
        f" JOIN read_parquet('{glob('events')}') e USING (event_id) WHERE e.type = 'CONSULT' AND p.role = 'recipient'").fetchall()
    assert recipients, "the corpus reports consultations between ministers"
    rejected = duckdb.sql(f"SELECT code, locator FROM read_parquet('{glob('rejections')}')").fetchall()
    assert [(code, locator.rsplit(":", 1)[1]) for code, locator in rejected] == [("E-JSON", "line 6")]
