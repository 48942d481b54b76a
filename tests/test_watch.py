"""``dyad watch``: files ingested as they arrive, each content once; a watcher killed with SIGKILL
and restarted loses and doubles nothing; SIGINT/SIGTERM stop it cleanly. And ``dyad extract``
re-extracts in place only articles extracted by another extractor version."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CORPUS, SEEDS
from dyad.api import ingest, open_store
from dyad.serve.cli import main
from dyad.settings import load_settings
from dyad.store.extraction import EXTRACTOR_VERSION

CLI = [sys.executable, "-c", "from dyad.serve.cli import main; main()"]


def make_inbox(folder: Path) -> Path:
    """The seed articles, each line of the news corpus as its own .jsonl file, a JSON Lines file
    with an invalid line and an empty file."""
    folder.mkdir(parents=True)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    for number, (url, outlet, title, published, text) in enumerate(CORPUS):
        record = {"url": url, "outlet": outlet, "title": title, "published": published, "text": text}
        (folder / f"news-{number}.jsonl").write_text(json.dumps(record) + "\n")
    (folder / "broken.jsonl").write_text('{"text": "cut off\n')
    (folder / "empty.txt").write_text("")
    return folder


def config(tmp_path: Path, *, extract: bool, batch_size: int = 200) -> Path:
    path = tmp_path / f"config-{extract}-{batch_size}.toml"
    path.write_text(f"[ingest]\nbatch_size = {batch_size}\n\n[extract]\nenabled = {'true' if extract else 'false'}\n")
    return path


def cli(db: Path | str, conf: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), "--config", str(conf), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def facts(db: Path) -> dict:
    con = sqlite3.connect(db)
    try:
        rows = lambda sql: sorted(tuple(r) for r in con.execute(sql))  # noqa: E731
        return {
            "articles": rows("SELECT id, key, version FROM articles"),
            "sources": rows("SELECT article_id, source, locator FROM article_sources"),
            "rejections": rows("SELECT locator, code FROM rejections"),
            "events": rows("SELECT id, type, status FROM events"),
            "participants": rows("SELECT event_id, role, seq, actor_id FROM event_participants"),
            "mentions": rows("SELECT article_id, actor_id, start, end FROM actor_mentions"),
        }
    finally:
        con.close()


def plain_ingest(folder: Path, db: Path, *, extract: bool) -> dict:
    settings = load_settings(db_path=db, extract=extract)
    with open_store(db) as store:
        ingest([folder.absolute()], store=store, settings=settings)
    return facts(db)


def test_watch_once_takes_each_content_once(tmp_path: Path) -> None:
    inbox, db, conf = make_inbox(tmp_path / "inbox"), tmp_path / "w.db", config(tmp_path, extract=False)
    first = cli(db, conf, "watch", str(inbox), "--once", "--settle", "0", code=1)  # two inputs are rejected
    assert "12 files: 10 added, 0 new versions, 0 unchanged, 0 extracted, 2 rejected" in first
    assert facts(db) == plain_ingest(inbox, tmp_path / "plain.db", extract=False)
    with open_store(db) as store:
        runs = len(store.runs())

    assert "0 files" in cli(db, conf, "watch", str(inbox), "--once", "--settle", "0")
    seed = next(inbox.glob("000_*.txt"))
    later = seed.stat().st_mtime_ns + 5_000_000_000
    os.utime(seed, ns=(later, later))  # touched, same bytes: not ingested again
    assert "0 files" in cli(db, conf, "watch", str(inbox), "--once", "--settle", "0")
    with open_store(db) as store:
        assert len(store.runs()) == runs

    seed.write_text(seed.read_text() + "\n\nThe ministry added on Tuesday that a second round of talks is planned.\n")
    earlier = time.time_ns() - 30_000_000_000
    os.utime(seed, ns=(earlier, earlier))
    (inbox / "fresh.txt").write_text(SEEDS.joinpath(seed.name).read_text().replace("2025", "2024"))
    changed = cli(db, conf, "watch", str(inbox), "--once", "--settle", "10")  # fresh.txt may still be being written
    assert "1 files: 0 added, 1 new versions" in changed
    assert "1 files: 1 added, 0 new versions" in cli(db, conf, "watch", str(inbox), "--once", "--settle", "0")
    con = sqlite3.connect(db)
    versions = con.execute("SELECT version FROM articles WHERE source = ? ORDER BY version", (str(seed),)).fetchall()
    assert versions == [(1,), (2,)]
    assert con.execute("SELECT count(*), count(DISTINCT locator) FROM rejections").fetchone() == (2, 2)
    assert con.execute("SELECT count(*) FROM watched_files WHERE state = 'done'").fetchone()[0] == 13
    con.close()


def _count(db: Path, sql: str) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0  # not created yet


def add_bulletins(inbox: Path, files: int = 30, lines: int = 10) -> int:
    """More JSON Lines files: each corpus report again as numbered bulletins (distinct contents)."""
    for number in range(files):
        rows = []
        for line in range(lines):
            url, outlet, title, published, text = CORPUS[line % len(CORPUS)]
            rows.append(json.dumps({"url": f"{url}/bulletin-{number}-{line}", "outlet": outlet, "title": title,
                                    "published": published, "text": f"{text} (Bulletin {number}.{line}.)"}))
        (inbox / f"bulletins-{number:02d}.jsonl").write_text("\n".join(rows) + "\n")
    return files * lines


def test_watch_killed_mid_ingest_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    inbox = make_inbox(tmp_path / "inbox")
    total = 10 + add_bulletins(inbox)
    db = tmp_path / "w.db"
    conf = config(tmp_path, extract=False, batch_size=1)  # a transaction per article: many points to be killed between
    process = subprocess.Popen([*CLI, "--db", str(db), "--config", str(conf), "watch", str(inbox), "--settle", "0",
                                "--interval", "0.2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(db, "SELECT count(*) FROM articles") < 20:
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the watcher stored too little in two minutes"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored = _count(db, "SELECT count(*) FROM articles")
    assert 20 <= stored < total, f"the kill must land while the watcher is writing ({stored} of {total} stored)"
    assert _count(db, "SELECT count(*) FROM watched_files WHERE state = 'pending'") >= 1

    result = subprocess.run([*CLI, "--db", str(db), "--config", str(conf), "watch", str(inbox), "--once", "--settle", "0"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr  # 1 when the bad inputs were among the files redone
    assert f"{total - stored} added, 0 new versions" in result.stdout
    after = facts(db)
    assert after == plain_ingest(inbox, tmp_path / "plain.db", extract=False)
    assert len(after["articles"]) == total and len(after["rejections"]) == 2
    assert _count(db, "SELECT count(*) FROM watched_files WHERE state = 'done'") == 12 + 30


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_watch_picks_up_new_files_and_stops_cleanly(tmp_path: Path, stop: signal.Signals) -> None:
    inbox, db, conf = tmp_path / "inbox", tmp_path / "w.db", config(tmp_path, extract=False)
    inbox.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    shutil.copy(seeds[0], inbox / seeds[0].name)
    process = subprocess.Popen([*CLI, "--db", str(db), "--config", str(conf), "watch", str(inbox), "--settle", "0",
                                "--interval", "0.2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for expected, seed in ((1, seeds[1]), (2, None)):
            deadline = time.monotonic() + 60
            while _count(db, "SELECT count(*) FROM watched_files WHERE state = 'done'") < expected:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
            if seed is not None:
                shutil.copy(seed, inbox / seed.name)  # arrives while the watcher runs
        process.send_signal(stop)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert out.splitlines()[-1] == "stopped" and "Traceback" not in err
    assert _count(db, "SELECT count(*) FROM current_articles") == 2


def test_extract_redoes_only_older_extractor_versions(tmp_path: Path) -> None:
    db, conf = tmp_path / "x.db", config(tmp_path, extract=True)
    cli(db, conf, "ingest", str(SEEDS))
    before = facts(db)
    con = sqlite3.connect(db, isolation_level=None)
    older = [r[0] for r in con.execute("SELECT article_id FROM extractions ORDER BY article_id LIMIT 2")]
    con.execute("UPDATE extractions SET extractor = 'dyad.extract.v0' WHERE article_id IN (?, ?)", older)
    newer = con.execute("SELECT article_id FROM extractions ORDER BY article_id DESC LIMIT 1").fetchone()[0]
    con.execute("UPDATE extractions SET extractor = 'dyad.extract.v999' WHERE article_id = ?", (newer,))
    assert "2 articles extracted, 0 failed" in cli(db, conf, "extract")  # the newer one is left as it is
    assert facts(db) == before  # replaced in place: no event, participant or mention twice
    assert Counter(r[0] for r in con.execute("SELECT extractor FROM extractions")) == {EXTRACTOR_VERSION: 4, "dyad.extract.v999": 1}
    con.close()
    assert "0 articles extracted" in cli(db, conf, "extract")
    assert "5 articles extracted" in cli(db, conf, "extract", "--force")
    assert facts(db) == before


def test_watch_on_a_postgresql_store(tmp_path: Path) -> None:
    url = os.environ.get("DYAD_TEST_POSTGRES")
    if not url:
        pytest.skip("DYAD_TEST_POSTGRES is not set (scripts/setup-postgres starts a server and prints its URL)")
    from test_postgres_store import _schema_url

    inbox, conf = make_inbox(tmp_path / "inbox"), config(tmp_path, extract=False)
    schema = _schema_url(url)
    pg = next(schema)
    try:
        assert "12 files: 10 added, 0 new versions, 0 unchanged, 0 extracted, 2 rejected" in cli(
            pg, conf, "watch", str(inbox), "--once", "--settle", "0", code=1)
        assert "0 files" in cli(pg, conf, "watch", str(inbox), "--once", "--settle", "0")
        stats = json.loads(cli(pg, conf, "stats", "--json"))
        assert (stats["articles"], stats["rejections"]) == (10, 2)
    finally:
        schema.close()  # drops the schema
