"""Resource bounds: a document over the per-document cleaning time limit or over a size limit is
rejected with a recorded reason, a duplicate flood stores one article, and the peak memory of an
ingest does not grow with the number of articles (it streams: one batch in memory at a time).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import dyad.pipeline as pipeline
from dyad.api import ingest
from dyad.pipeline import process_document
from dyad.records import Article, Document, Rejection
from dyad.settings import load_settings, with_overrides
from dyad.store import Store

SETTINGS = load_settings()
BODY = "The foreign ministers of both countries met in the capital on Monday to discuss trade and security. "
CLI = [sys.executable, "-c", "from dyad.serve.cli import main; main()"]
SLOW_TEXT = "A\n" * 300_000  # ~6-10 s of plain-text cleaning: 300,000 one-letter lines


def test_cleaning_over_the_time_limit_is_interrupted_and_rejected() -> None:
    started = time.monotonic()
    result = process_document(Document("slow.txt", "slow.txt", "slow.txt", "text", SLOW_TEXT), SETTINGS, time_limit=0.2)
    elapsed = time.monotonic() - started
    assert isinstance(result, Rejection) and result.code == "E-CLEAN-TIMEOUT", result
    assert "per-document limit of 0.2 s" in result.message
    assert elapsed < 3.0, f"interrupted only after {elapsed:.2f} s"
    # the timer and the handler are put back: nothing fires later
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)


def test_time_limit_in_a_worker_thread_rejects_after_the_fact() -> None:
    """SIGALRM only reaches the main thread: elsewhere the document is rejected when cleaning ends."""
    results: list = []
    slow = "A\n" * 10_000  # ~0.2-0.4 s
    thread = threading.Thread(target=lambda: results.append(
        process_document(Document("slow.txt", "slow.txt", "slow.txt", "text", slow), SETTINGS, time_limit=0.01)))
    thread.start()
    thread.join(60)
    assert isinstance(results[0], Rejection) and results[0].code == "E-CLEAN-TIMEOUT"


def test_a_cleaner_that_swallows_exceptions_is_still_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    """The timeout is a BaseException: a library's ``except Exception`` cannot swallow it."""
    def stubborn(document):  # noqa: ANN001, ANN202
        while True:
            try:
                time.sleep(10)
            except Exception:  # noqa: BLE001, S112
                continue

    monkeypatch.setattr(pipeline, "clean_document", stubborn)
    started = time.monotonic()
    result = process_document(Document("x.txt", "x.txt", "x.txt", "text", BODY), SETTINGS, time_limit=0.2)
    assert result.code == "E-CLEAN-TIMEOUT" and time.monotonic() - started < 2


def test_a_timeout_lost_in_a_garbage_collector_callback_is_raised_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python swallows an exception raised while a weakref callback or __del__ runs (seen in a full
    test run: cleaning went on for 18 s past a 0.2 s limit); the alarm repeats until it lands."""
    lost = []

    def loses_the_first_alarm(document):  # noqa: ANN001, ANN202
        while True:
            try:
                time.sleep(10)
            except BaseException as exc:  # noqa: BLE001 - stands in for the interpreter's "ignored" path
                if lost:
                    raise
                lost.append(exc)

    monkeypatch.setattr(pipeline, "clean_document", loses_the_first_alarm)
    started = time.monotonic()
    result = process_document(Document("x.txt", "x.txt", "x.txt", "text", BODY), SETTINGS, time_limit=0.2)
    assert len(lost) == 1 and result.code == "E-CLEAN-TIMEOUT" and time.monotonic() - started < 2
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_timeouts_lost_in_finalizers_are_not_reported_as_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """What Python does with an exception raised in a finalizer (where a lost alarm lands): it goes
    to sys.unraisablehook. During cleaning a lost timeout is dropped there; anything else is not."""
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)

    class TimeoutInFinalizer:
        def __del__(self) -> None:
            raise pipeline._CleanTimeout()

    class OtherErrorInFinalizer:
        def __del__(self) -> None:
            raise ValueError("a library's own finalizer error")

    def cleaner(document):  # noqa: ANN001, ANN202
        TimeoutInFinalizer()
        OtherErrorInFinalizer()
        time.sleep(10)  # the next alarm lands here

    monkeypatch.setattr(pipeline, "clean_document", cleaner)
    started = time.monotonic()
    result = process_document(Document("x.txt", "x.txt", "x.txt", "text", BODY), SETTINGS, time_limit=0.2)
    assert result.code == "E-CLEAN-TIMEOUT" and time.monotonic() - started < 2
    assert [type(r.exc_value) for r in reported] == [ValueError]
    assert sys.unraisablehook == reported.append  # put back


def test_normal_documents_are_unaffected_by_the_limit() -> None:
    result = process_document(Document("x.txt", "x.txt", "x.txt", "text", BODY * 3), SETTINGS, time_limit=5)
    assert isinstance(result, Article)
    assert pipeline.CLEAN_TIME_LIMIT > 0 and pipeline.clean_time_limit(SETTINGS) == pipeline.CLEAN_TIME_LIMIT


def test_timeouts_and_size_limits_are_recorded_as_rejections(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "slow.txt").write_text(SLOW_TEXT, encoding="utf-8")
    (corpus / "good.txt").write_text(BODY * 3, encoding="utf-8")
    (corpus / "big.txt").write_text(BODY * 2000, encoding="utf-8")  # 200 KB, over max_bytes below
    page = f"<html><body><p>{BODY * 3}</p>" + "<p>x</p>" * 1_300_000 + "</body></html>"  # > 10M characters
    (corpus / "huge.jsonl").write_text(json.dumps({"html": page}) + "\n", encoding="utf-8")
    settings = with_overrides(SETTINGS, max_bytes=20_000_000, extract=False, clean_time_limit=0.3)
    with Store(tmp_path / "store.db") as store:
        ingest([corpus / "slow.txt", corpus / "good.txt", corpus / "huge.jsonl"], store=store, settings=settings)
        ingest([corpus / "big.txt"], store=store, settings=with_overrides(settings, max_bytes=100_000))
        codes = {Path(r["source"]).name: r["code"] for r in store.rejections()}
        assert codes == {"slow.txt": "E-CLEAN-TIMEOUT", "huge.jsonl": "E-TOO-LARGE", "big.txt": "E-TOO-LARGE"}
        assert [Path(a.source).name for a in store.articles()] == ["good.txt"]


def test_duplicate_flood_stores_one_article(tmp_path: Path) -> None:
    flood = tmp_path / "flood.jsonl"
    line = json.dumps({"text": BODY * 3, "url": "http://example.com/same"})
    flood.write_text((line + "\n") * 1000, encoding="utf-8")
    with Store(tmp_path / "store.db") as store:
        report = ingest([flood], store=store, settings=with_overrides(SETTINGS, extract=False))
        assert (report.counts.added, report.counts.unchanged) == (1, 999)
        assert len(store.article_ids(all_versions=True)) == 1
        assert len(store.sources(store.article_ids()[0])) == 1000  # every place it was seen


def write_articles(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps({"text": f"Story {i}. {BODY}{BODY}Number {i} ends here.", "url": f"http://example.com/{i}",
                                  "title": f"Story {i}", "published": "2025-03-01"}) + "\n")


# The CLI, reporting its peak resident memory (VmHWM: the high-water mark of this process's own
# address space, unlike ru_maxrss, which on Linux keeps the forking parent's size across exec).
HWM_PROBE = """
import atexit, os
def report():
    with open('/proc/self/status') as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith('VmHWM:'))
    with open(os.environ['DYAD_TEST_HWM'], 'w') as out:
        out.write(str(kib))
atexit.register(report)
from dyad.serve.cli import main
main()
"""


def peak_rss_of_ingest(tmp_path: Path, n: int) -> tuple[float, float]:
    """(peak resident MiB, seconds) of ``dyad ingest --no-extract`` over n JSON Lines articles."""
    corpus = tmp_path / f"articles-{n}.jsonl"
    write_articles(corpus, n)
    report = tmp_path / f"hwm-{n}"
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", HWM_PROBE, "--db", str(tmp_path / f"store-{n}.db"), "ingest", "--no-extract", "-q", str(corpus)],
                   check=True, env={**os.environ, "DYAD_TEST_HWM": str(report)}, timeout=600)
    return int(report.read_text()) / 1024, time.monotonic() - started


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc to read the peak resident memory")
def test_peak_memory_does_not_grow_with_the_number_of_articles(tmp_path: Path) -> None:
    small, _ = peak_rss_of_ingest(tmp_path, 200)
    large_n = int(os.environ.get("DYAD_BOUNDS_ARTICLES", "2500"))
    large, seconds = peak_rss_of_ingest(tmp_path, large_n)
    print(f"peak RSS: 200 articles {small:.0f} MiB; {large_n} articles {large:.0f} MiB ({seconds:.1f} s)")
    assert large - small < 40, f"peak RSS grew from {small:.0f} MiB to {large:.0f} MiB"
