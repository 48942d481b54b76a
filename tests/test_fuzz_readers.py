"""Fuzzing the readers: random and adversarial bytes, JSON Lines and WARC records go in; each input
gives documents or rejections with a code and a reason, and nothing raises, hangs or eats memory.

Every test counts the inputs it tried; the counts are printed at the end of the module and
appended to the file named by $DYAD_FUZZ_REPORT, when set.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import resource
import tempfile
import threading
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dyad.ingest import read_path
from dyad.ingest.decode import decode
from dyad.ingest.readers import read_jsonl, read_warc
from dyad.records import Document, Rejection

# DYAD_FUZZ_SCALE=10 runs ten times as many examples (a longer campaign); the default fits the suite.
SCALE = float(os.environ.get("DYAD_FUZZ_SCALE", "1"))
FUZZ = settings(max_examples=int(150 * SCALE), deadline=2000, suppress_health_check=[HealthCheck.too_slow], database=None)
TRIED: dict[str, int] = {}
PEAKS: dict[str, int] = {}
EXTENSIONS = (".txt", ".html", ".htm", ".jsonl", ".warc", ".warc.gz", ".bin")
MAX_BYTES = 100_000


def tried(name: str, n: int = 1) -> None:
    TRIED[name] = TRIED.get(name, 0) + n


@pytest.fixture(scope="module", autouse=True)
def report_counts(request: pytest.FixtureRequest):
    yield
    line = "fuzz inputs tried (readers): " + ", ".join(f"{k}={v}" for k, v in sorted(TRIED.items()))
    if PEAKS:
        line += "; bomb peak Python allocation: " + ", ".join(f"{k}={v / 1e6:.1f} MB" for k, v in sorted(PEAKS.items()))
    report_line(request.config, line)


def report_line(config: pytest.Config, line: str) -> None:
    """Show ``line`` in the terminal even under output capture, and append it to the file named by
    $DYAD_FUZZ_REPORT when that is set (a record of how many inputs each run tried)."""
    if os.environ.get("DYAD_FUZZ_REPORT"):
        with open(os.environ["DYAD_FUZZ_REPORT"], "a", encoding="utf-8") as out:
            out.write(line + "\n")
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None:
        print(line)
    elif capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)
    else:
        reporter.write_line(line)


def check_items(items: list, kinds: tuple[str, ...] = ("text", "html")) -> None:
    for item in items:
        assert isinstance(item, (Document, Rejection)), item
        if isinstance(item, Rejection):
            assert item.code.startswith("E-") and item.message.strip(), item
        else:
            assert item.kind in kinds and isinstance(item.content, str)


def read_bytes_as(data: bytes, ext: str, max_bytes: int = MAX_BYTES) -> list:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{ext}"
        path.write_bytes(data)
        return list(read_path(path, max_bytes=max_bytes))


# Fragments that break readers: byte-order marks, NULs, controls, broken UTF-8, charset
# declarations that lie, JSON and WARC syntax, CR-only line ends, latin-1 and UTF-16 text.
FRAGMENTS = [
    b"\x00", b"\x00\x00\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x1b[31m", b"\x07",
    b"\xe2\x82", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"caf\xe9 ", "café ".encode(), "日本語 ".encode(),
    "caf\u00e9".encode("utf-16"), b"\r", b"\n", b"\r\n", b" ", b"\t", b"\f",
    b'<meta charset="utf-16">', b'<meta charset="x-nonsense">', b"<meta http-equiv=Content-Type content='text/html; charset=latin-1'>",
    b"<html>", b"<p>", b"</p>", b"<script>", b"</script>", b"<!--", b"-->", b"&amp;", b"&#0;", b"&#x110000;", b"<![CDATA[",
    b'{"text": "', b'{"html": "', b'"}', b"\\u0000", b"\\ud800", b"\\", b"[", b"]", b"null", b"1e999999",
    b"WARC/1.0\r\n", b"Content-Length: 99999999\r\n", b"WARC-Type: response\r\n", b"\r\n\r\n", b"HTTP/1.1 200 OK\r\n",
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00", b"The ministers met on Monday to discuss trade and security. ",
]
adversarial_bytes = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(b"".join)
any_bytes = st.one_of(st.binary(max_size=3000), adversarial_bytes)


@FUZZ
@given(data=any_bytes, ext=st.sampled_from(EXTENSIONS))
def test_random_bytes_in_any_reader_become_documents_or_rejections(data: bytes, ext: str) -> None:
    tried("bytes")
    items = read_bytes_as(data, ext)
    check_items(items)
    if ext in (".txt", ".html", ".htm", ".bin"):
        assert len(items) == 1  # one file, one outcome


@FUZZ
@given(data=any_bytes, encoding=st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16"]), html=st.booleans())
def test_decode_never_raises_and_never_guesses(data: bytes, encoding: str, html: bool) -> None:
    tried("decode")
    result = decode(data, encoding, html=html)
    if result.text is None:
        assert result.code in ("E-BINARY", "E-ENCODING") and result.message
    else:
        assert "\r" not in result.text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
json_article = st.fixed_dictionaries(
    {},
    optional={
        "text": st.text(max_size=300) | json_values,
        "html": st.text(max_size=300) | json_values,
        "url": st.text(max_size=40) | json_values,
        "published": st.text(max_size=30) | st.integers(),
        "title": st.text(max_size=40) | st.floats(),
    },
)
jsonl_line = st.one_of(
    json_article.map(lambda d: json.dumps(d).encode()),
    json_article.map(lambda d: json.dumps(d, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    adversarial_bytes.filter(lambda b: b"\n" not in b and b"\r" not in b),
)


@FUZZ
@given(lines=st.lists(jsonl_line, max_size=12), end=st.sampled_from([b"\n", b"\r\n"]))
def test_jsonl_each_line_is_one_document_or_one_rejection(lines: list[bytes], end: bytes) -> None:
    tried("jsonl")
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    items = read_bytes_as(end.join(lines), ".jsonl")
    check_items(items)
    assert len(items) == sum(1 for line in lines if line.strip())
    for item, line in zip(items, [line for line in lines if line.strip()]):
        if isinstance(item, Document):  # the body is kept as the line gave it
            record = json.loads(line)
            body = record["html"] if isinstance(record.get("html"), str) else record["text"]
            assert item.content == body.replace("\r\n", "\n").replace("\r", "\n")


def warc_bytes(records: list[tuple[str, str, bytes, str]], gz: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for uri, content_type, body, encoding in records:
        headers = [("Content-Type", content_type)]
        if encoding == "gzip":
            body = gzip.compress(body)
            headers.append(("Content-Encoding", "gzip"))
        elif encoding == "deflate":
            body = zlib.compress(body)
            headers.append(("Content-Encoding", "deflate"))
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http))
    return out.getvalue()


warc_record = st.tuples(
    st.sampled_from(["http://example.com/a", "http://example.com/b?x=1", "", "not a uri"]),
    st.sampled_from(["text/html", "text/html; charset=latin-1", "text/plain", "text/plain; charset=nonsense", "image/png", ""]),
    any_bytes,
    st.sampled_from(["", "", "gzip", "deflate"]),
)
mutation = st.one_of(
    st.none(),
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(1, 255)),
    st.tuples(st.just("insert"), st.floats(0, 1), adversarial_bytes),
)


def mutate(data: bytes, how: tuple | None) -> bytes:
    if how is None or not data:
        return data
    at = int(how[1] * (len(data) - 1))
    if how[0] == "truncate":
        return data[:at]
    if how[0] == "flip":
        return data[:at] + bytes([data[at] ^ how[2]]) + data[at + 1 :]
    return data[:at] + how[2] + data[at:]


@FUZZ
@given(records=st.lists(warc_record, max_size=4), gz=st.booleans(), how=mutation)
def test_warc_records_whole_cut_or_corrupted_never_crash(records: list, gz: bool, how: tuple | None) -> None:
    tried("warc")
    data = mutate(warc_bytes(records, gz), how)
    items = read_bytes_as(data, ".warc.gz" if gz else ".warc")
    check_items(items)
    if how is None and all(r[0].startswith("http") for r in records):
        # an intact archive: one outcome per text or HTML response (a record without an HTTP
        # target URI has no HTTP headers for warcio, and one without any URI is an E-WARC)
        texts = [r for r in records if r[1].startswith(("text/html", "text/plain"))]
        assert len(items) == len(texts)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (b'{"text": "\\ud800 The ministers met on Monday to discuss trade and security."}', "E-ENCODING"),
        (b'{"text": "The ministers met on Monday.", "url": "http://x/\\udfff"}', "E-ENCODING"),
        (b"[" * 200_000 + b"]" * 200_000, "E-JSON"),
        (b'{"text": "x", "n": ' + b"9" * 5000 + b"}", "E-JSON"),
        (b'{"text": "a\\u0000b The ministers met on Monday to discuss trade."}', "E-BINARY"),  # NUL is binary, as in a file
        (b'{"text": "x", "text": 5}', "E-JSON"),
    ],
    ids=["surrogate-body", "surrogate-url", "deep-nesting", "huge-int", "escaped-nul", "duplicate-key"],
)
def test_jsonl_hostile_lines(tmp_path: Path, line: bytes, code: str) -> None:
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(line + b"\n")
    items = list(read_path(path, max_bytes=10_000_000))
    assert [getattr(i, "code", "doc") for i in items] == [code]
    tried("jsonl-hostile")


def test_utf7_declared_charset_giving_surrogates_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "utf7.html"
    path.write_bytes(b'<html><head><meta charset="utf-7"></head><body><p>+2AA- The ministers met.</p></body></html>')
    assert [i.code for i in read_path(path, max_bytes=1_000_000)] == ["E-ENCODING"]


# --- Giant inputs: memory stays bounded --------------------------------------------------------


def test_one_gigabyte_jsonl_line_is_rejected_with_bounded_memory(tmp_path: Path) -> None:
    """A 1 GiB line, streamed through a named pipe (never on disk, never in memory), then a good
    line: the giant one is rejected, the next one read; Python's peak allocation stays at a few
    times ``max_bytes`` (20 MB, the default), not 1 GiB."""
    fifo = tmp_path / "giant.jsonl"
    os.mkfifo(fifo)
    giant, chunk = 1 << 30, b"x" * (1 << 20)
    good = json.dumps({"text": "The ministers met on Monday. " * 5}).encode()

    def write() -> None:
        with open(fifo, "wb") as out:
            out.write(b'{"text": "')
            for _ in range(giant // len(chunk)):
                out.write(chunk)
            out.write(b'"}\n' + good + b"\n")

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    max_bytes = 20_000_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        items = list(read_jsonl(fifo, max_bytes=max_bytes))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    writer.join(30)
    assert [getattr(i, "code", "doc") for i in items] == ["E-TOO-LARGE", "doc"]
    assert items[0].locator.endswith("line 1") and items[1].locator.endswith("line 2")
    assert peak < 2.5 * max_bytes, f"peak Python allocation {peak} bytes for a 1 GiB line"
    assert time.monotonic() - started < 60
    TRIED["giant-line-bytes"] = giant


def test_file_that_is_not_regular_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    """A .txt that is a named pipe (or a symlink to /dev/zero) reports size 0 and never ends: it is
    read only up to max_bytes + 1 and rejected, not read until memory runs out."""
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    items = list(read_path(link, max_bytes=1_000_000))
    assert [i.code for i in items] == ["E-TOO-LARGE"]


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("where", ["warc-gzip-member", "http-gzip", "http-deflate", "skipped-record"])
def test_warc_decompression_bombs_are_bounded(tmp_path: Path, where: str) -> None:
    """~100 MB of zeros compressed to a few hundred KB, as the WARC's own gzip member, as an HTTP
    Content-Encoding, or in a record that is skipped: read in bounded memory and time."""
    size, max_bytes = 100 * 1024 * 1024, 1_000_000
    zeros = b"\x00" * size
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=where == "warc-gzip-member")
    if where in ("http-gzip", "http-deflate"):
        body = gzip.compress(zeros, 9) if where == "http-gzip" else zlib.compress(zeros, 9)
        headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip" if where == "http-gzip" else "deflate")]
    else:
        body, headers = zeros, [("Content-Type", "image/png" if where == "skipped-record" else "text/html")]
    del zeros
    if where == "skipped-record":
        writer = WARCWriter(out, gzip=True)
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("http://bomb.example/", "response", payload=io.BytesIO(body), http_headers=http, length=len(body)))
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/plain")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("http://ok.example/", "response", payload=io.BytesIO(b"A good article. " * 20), http_headers=http))
    del body
    data = out.getvalue()
    path = tmp_path / ("bomb.warc.gz" if where in ("warc-gzip-member", "skipped-record") else "bomb.warc")
    path.write_bytes(data)
    del data, out
    before = _peak_rss_mib()
    tracemalloc.start()
    started = time.monotonic()
    try:
        items = list(read_warc(path, max_bytes=max_bytes))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    codes = [getattr(i, "code", "doc") for i in items]
    assert codes == (["doc"] if where == "skipped-record" else ["E-TOO-LARGE", "doc"])
    # warcio inflates one read block (16 KiB compressed) at a time, without an output cap: deflate's
    # 1032:1 ratio makes that up to ~17 MB per block, whatever the bomb's total size.
    assert peak < 100_000_000, f"peak Python allocation {peak} bytes"
    assert _peak_rss_mib() - before < 150, "resident memory grew by more than 150 MiB"
    assert elapsed < 20
    TRIED[f"bomb-{where}-bytes"] = size
    PEAKS[where] = peak


# --- End to end: every input is stored or rejected ------------------------------------------------

BODY_BYTES = b"The foreign ministers of both countries met in the capital on Monday to discuss trade. " * 2


@settings(max_examples=int(30 * SCALE), deadline=10_000, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(files=st.lists(st.tuples(st.sampled_from([".txt", ".html", ".htm"]),
                                st.one_of(any_bytes, adversarial_bytes.map(lambda b: BODY_BYTES + b))), min_size=1, max_size=4))
def test_every_input_file_is_stored_or_rejected_with_a_reason(files: list[tuple[str, bytes]]) -> None:
    """Through ``dyad.api.ingest`` into a store: each file ends up as exactly one stored article
    source or one rejection row with a code and a message, and the run finishes."""
    from dyad.api import ingest
    from dyad.settings import load_settings, with_overrides
    from dyad.store import Store

    tried("end-to-end-files", len(files))
    settings_ = with_overrides(load_settings(), extract=False, max_bytes=MAX_BYTES)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, (ext, data) in enumerate(files):
            paths.append(Path(folder) / f"f{i}{ext}")
            paths[-1].write_bytes(data)
        with Store(Path(folder) / "store.db") as store:
            report = ingest(paths, store=store, settings=settings_)
            rejected = {r["source"]: r for r in store.rejections()}
            stored = {source for article_id in store.article_ids() for source, _ in store.sources(article_id)}
            assert store.runs()[-1]["status"] == "done"
        for path in paths:
            assert (str(path) in stored) != (str(path) in rejected), path
            if str(path) in rejected:
                assert rejected[str(path)]["code"].startswith("E-") and rejected[str(path)]["message"]
                assert rejected[str(path)]["code"] != "E-CLEAN-FAILED", rejected[str(path)]
        assert report.counts.rejected == len(rejected)
