"""Parquet partitions without Ray: dyad's records survive the trip to Parquet rows and back, a
batch written twice leaves one file, and an import of partitions written in any order stores what
``dyad ingest`` stores (same ids, versions, events), twice adding nothing. Bad partitions give a
clear error."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from conftest import SEEDS, write_corpus
from dyad.api import ingest, open_store
from dyad.batch import process_documents
from dyad.ingest import discover, read_path
from dyad.records import Article, Extraction, Rejection
from dyad.scale.parquet import article_from_row, from_json, rows_by_table, to_json, write_partition
from dyad.serve.cli import main
from dyad.settings import load_settings

SETTINGS = load_settings(db_path=Path("unused.db"))


def read_ordered(paths: list[Path]) -> list[tuple[int, int, object]]:
    """Every input record with its (file, item) position, cleaned and extracted."""
    ordered = []
    for file_seq, path in enumerate(p for p in discover(paths, SETTINGS.extensions) if isinstance(p, Path)):
        for item_seq, item in enumerate(read_path(path, max_bytes=SETTINGS.max_bytes)):
            produced = [item] if isinstance(item, Rejection) else process_documents([item], SETTINGS)
            ordered.extend((file_seq, item_seq, record) for record in produced)
    return ordered


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("corpus")
    jsonl = write_corpus(folder)
    first = json.loads(jsonl.read_text().splitlines()[0])
    with jsonl.open("a") as stream:
        stream.write("not json\n")
    # the same URL again with changed text: a second version of that document, after the first
    (folder / "update.jsonl").write_text(json.dumps({**first, "text": first["text"] + " A correction was issued later."}) + "\n")
    return [SEEDS, jsonl, folder / "update.jsonl"]


@pytest.fixture(scope="module")
def ordered(corpus: list[Path]) -> list:
    return read_ordered(corpus)


def test_records_round_trip_through_rows(ordered: list) -> None:
    records = [record for _, _, record in ordered]
    articles = [r for r in records if isinstance(r, Article)]
    extractions = [r for r in records if isinstance(r, Extraction)]
    assert len(articles) == 11 and len(extractions) == 11 and sum(len(x.events) for x in extractions) > 10
    rows = rows_by_table(ordered)
    assert [article_from_row(row) for row in rows["articles"]] == articles
    assert [from_json(Extraction, row["record"]) for row in rows["extractions"]] == extractions
    assert [from_json(Extraction, to_json(x)) for x in extractions] == extractions
    assert len(rows["events"]) == sum(len(x.events) for x in extractions)
    assert [r["code"] for r in rows["rejections"]] == ["E-JSON"]


def test_a_batch_written_twice_leaves_one_file_per_table(ordered: list, tmp_path: Path) -> None:
    first = write_partition(tmp_path, ordered[:6])
    again = write_partition(tmp_path, ordered[:6])
    assert first == again and first["articles"] == 3
    for table in first:
        assert [p.suffix for p in (tmp_path / table).iterdir()] == [".parquet"]  # no temporary file left


def facts(db: Path) -> dict:
    con = sqlite3.connect(db)
    try:
        rows = lambda sql: sorted(tuple(r) for r in con.execute(sql))  # noqa: E731
        return {
            "articles": rows("SELECT id, key, version, supersedes, title, published FROM articles"),
            "events": rows("SELECT id, article_id, type, status, date_value FROM events"),
            "participants": rows("SELECT event_id, role, seq, actor_id FROM event_participants"),
            "meta": rows("SELECT article_id, field, value, source, start, end FROM article_meta"),
            "rejections": rows("SELECT locator, code FROM rejections"),
            "clusters": rows("SELECT event_id, cluster_id FROM event_clusters"),
        }
    finally:
        con.close()


def test_import_in_any_order_matches_ingest_and_twice_adds_nothing(corpus: list[Path], ordered: list, tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    for start in reversed(range(0, len(ordered), 5)):  # batches finishing in another order than read
        write_partition(parts, ordered[start:start + 5])
    plain = tmp_path / "plain.db"
    with open_store(plain) as store:
        ingest(corpus, store=store, settings=load_settings(db_path=plain))
    db = tmp_path / "imported.db"
    runner = CliRunner()
    first = runner.invoke(main, ["--db", str(db), "scale", "import", str(parts)], catch_exceptions=False)
    assert first.exit_code == 1  # done, with the invalid JSON line rejected
    assert "10 added, 1 new versions, 0 unchanged, 11 extracted, 1 rejected" in first.output
    assert facts(db) == facts(plain)
    versions = facts(db)["articles"]
    assert [v[2] for v in versions if v[3] is not None] == [2]
    second = runner.invoke(main, ["--db", str(db), "scale", "import", str(parts)], catch_exceptions=False)
    assert second.exit_code == 0
    assert "0 added, 0 new versions, 11 unchanged, 0 extracted, 0 rejected" in second.output
    assert facts(db) == facts(plain)
    events_by_type = duckdb.sql(f"SELECT type, count(*) FROM read_parquet('{parts}/events/*.parquet') GROUP BY 1").fetchall()
    con = sqlite3.connect(db)
    assert dict(events_by_type) == dict(con.execute("SELECT type, count(*) FROM events GROUP BY 1").fetchall())
    con.close()


def test_bad_partitions_are_a_clear_error(ordered: list, tmp_path: Path) -> None:
    runner = CliRunner()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["--db", str(tmp_path / "a.db"), "scale", "import", str(empty)])
    assert result.exit_code == 3 and "[P101] no Parquet partitions" in result.output
    damaged = tmp_path / "damaged"
    write_partition(damaged, ordered[:4])
    (damaged / "articles" / "part-broken.parquet").write_bytes(b"PAR1 this is not a parquet file")
    result = runner.invoke(main, ["--db", str(tmp_path / "b.db"), "scale", "import", str(damaged)])
    assert result.exit_code == 3 and "[P102] cannot read the partitions" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_runs_into_one_folder_import_in_run_order(ordered: list, tmp_path: Path) -> None:
    articles = [(f, i, r) for f, i, r in ordered if isinstance(r, Article)]
    update = articles[-1][2]
    original = next(r for _, _, r in articles if r.key == update.key and r.id != update.id)
    parts = tmp_path / "parts"
    write_partition(parts, [(0, 0, update)], run=2)  # the later run read its file first
    write_partition(parts, [(7, 0, original)], run=1)
    db = tmp_path / "runs.db"
    result = CliRunner().invoke(main, ["--db", str(db), "scale", "import", str(parts)], catch_exceptions=False)
    assert "1 added, 1 new versions" in result.output
    con = sqlite3.connect(db)
    assert con.execute("SELECT id, version FROM articles ORDER BY version").fetchall() == [(original.id, 1), (update.id, 2)]
    con.close()


def test_parquet_input_rows_read_as_json_lines(corpus: list[Path], tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dyad.scale.parquet import document_from_json
    from dyad.scale.ray_job import read_file_rows

    jsonl = corpus[1]
    records = [json.loads(line) for line in jsonl.read_text().splitlines() if line.startswith("{")]
    pq.write_table(pa.Table.from_pylist([*records, {"url": "https://bad.example/", "text": None}]), tmp_path / "news.parquet")
    rows = list(read_file_rows({"path": str(tmp_path / "news.parquet"), "file_seq": 3}, SETTINGS))
    assert [(r["file_seq"], r["item_seq"], r["rejected"]) for r in rows] == [(3, i, i == 5) for i in range(6)]
    from_parquet = [document_from_json(r["record"]) for r in rows[:5]]
    from_jsonl = [d for d in read_path(jsonl, max_bytes=SETTINGS.max_bytes) if not isinstance(d, Rejection)]
    assert [(d.key, d.kind, d.content, d.given) for d in from_parquet] == [(d.key, d.kind, d.content, d.given) for d in from_jsonl]
    assert json.loads(rows[5]["record"])["code"] == "E-JSON"
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    broken = list(read_file_rows({"path": str(tmp_path / "broken.parquet"), "file_seq": 0}, SETTINGS))
    assert len(broken) == 1 and json.loads(broken[0]["record"])["code"] == "E-UNREADABLE"
