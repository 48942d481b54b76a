"""Reading inputs: every kind of bad input becomes a rejection with a code, the rest goes on."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dyad.ingest import discover, read_path
from dyad.ingest.decode import decode
from dyad.records import Document, Rejection

EXTENSIONS = (".txt", ".html", ".htm", ".jsonl", ".warc", ".warc.gz")
BODY = "The foreign ministers of both countries met in the capital on Monday to discuss trade. " * 3


def read_all(path: Path, max_bytes: int = 1_000_000, encoding: str = "utf-8") -> list[Document | Rejection]:
    return list(read_path(path, max_bytes=max_bytes, encoding=encoding))


def codes(items: list) -> list[str]:
    return [i.code if isinstance(i, Rejection) else "doc" for i in items]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.txt", b"", "E-EMPTY"),
        ("blank.txt", b"  \n\n \t", "E-EMPTY"),
        ("binary.txt", bytes(range(256)) * 4, "E-BINARY"),
        ("latin1.txt", "Caf\u00e9 in M\u00fcnchen, a long enough sentence.".encode("latin-1"), "E-ENCODING"),
        ("image.png", b"\x89PNG\r\n", "E-UNSUPPORTED"),
    ],
)
def test_readers_bad_file_is_rejected_with_code(tmp_path: Path, name: str, data: bytes, code: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    items = read_all(path)
    assert codes(items) == [code]
    assert str(path) in items[0].message


def test_readers_encoding_error_names_offset_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Minister\u2019s visit".encode("cp1252"))
    [rejection] = read_all(path)
    assert "byte 8" in rejection.message and "--encoding" in rejection.message
    [document] = read_all(path, encoding="cp1252")
    assert document.content == "Minister\u2019s visit"


@pytest.mark.parametrize("bom,codec", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le")])
def test_readers_byte_order_mark_decides_encoding(tmp_path: Path, bom: bytes, codec: str) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(bom + "Astana\r\nKabul".encode(codec))
    [document] = read_all(path)
    assert document.content == "Astana\nKabul"


def test_readers_file_over_size_limit_is_rejected_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(BODY * 10)
    [rejection] = read_all(path, max_bytes=100)
    assert rejection.code == "E-TOO-LARGE" and "ingest.max_bytes" in rejection.message


def test_readers_html_declared_charset_is_used(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes('<html><head><meta charset="windows-1252"></head><body><p>Minister\u2019s visit</p></body></html>'.encode("cp1252"))
    [document] = read_all(path)
    assert document.kind == "html" and "Minister\u2019s visit" in document.content


def test_readers_jsonl_bad_lines_rejected_good_lines_kept(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": BODY, "url": "https://example.org/a", "outlet": "Example Wire", "published": "2025-03-02"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no body"}),
        "",
        json.dumps({"html": f"<html><body><p>{BODY}</p></body></html>"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = read_all(path)
    assert codes(items) == ["doc", "E-JSON", "E-JSON", "E-JSON", "doc"]
    first, last = items[0], items[-1]
    assert first.key == "https://example.org/a" and first.given_value("outlet") == "Example Wire"
    assert last.kind == "html" and last.key == f"{path}:line 6"
    assert items[1].locator == f"{path}:line 2"


def test_readers_jsonl_giant_line_rejected_and_next_line_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": BODY}) + "\n")
    items = read_all(path, max_bytes=1000)
    assert codes(items) == ["E-TOO-LARGE", "doc"]
    assert items[1].locator.endswith(":line 2")


def _warc(records: list[tuple[str, str, bytes]], compress: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for url, content_type, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buffer.getvalue()


@pytest.mark.parametrize("compress", [False, True])
def test_readers_warc_responses_become_documents(tmp_path: Path, compress: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    page = f"<html><head><title>Talks</title></head><body><p>{BODY}</p></body></html>".encode()
    path.write_bytes(_warc([("https://news.example/talks", "text/html; charset=utf-8", page),
                            ("https://news.example/logo.png", "image/png", b"\x89PNG"),
                            ("https://news.example/plain", "text/plain", BODY.encode())], compress))
    items = read_all(path)
    assert [(d.kind, d.key) for d in items] == [("html", "https://news.example/talks"), ("text", "https://news.example/plain")]
    assert items[0].given_value("url") == "https://news.example/talks"


def test_readers_truncated_warc_keeps_records_before_the_damage(tmp_path: Path) -> None:
    page = f"<html><body><p>{BODY}</p></body></html>".encode()
    data = _warc([("https://a.example/1", "text/html", page), ("https://a.example/2", "text/html", page)], True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) - 40])
    items = read_all(path)
    assert isinstance(items[0], Document) and items[0].key == "https://a.example/1"
    assert isinstance(items[-1], Rejection) and items[-1].code == "E-WARC"


def test_readers_gzip_that_is_not_warc_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc.gz"
    path.write_bytes(gzip.compress(b"hello, not a warc"))
    assert codes(read_all(path)) == ["E-WARC"]


def test_discover_walks_folders_recursively_in_stable_order(tmp_path: Path) -> None:
    (tmp_path / "b" / "c").mkdir(parents=True)
    for name in ("b/c/3.txt", "b/2.html", "1.jsonl", "skip.css", "b/c/4.warc.gz"):
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path], EXTENSIONS)]
    assert found == ["1.jsonl", "b/2.html", "b/c/3.txt", "b/c/4.warc.gz"]


def test_discover_symlink_loop_is_rejected_not_followed_forever(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("x")
    os.symlink(tmp_path / "corpus", tmp_path / "corpus" / "again")
    os.symlink(tmp_path / "loop1", tmp_path / "loop2")
    os.symlink(tmp_path / "loop2", tmp_path / "loop1")
    items = list(discover([tmp_path / "corpus", tmp_path / "loop1"], EXTENSIONS))
    files = [i for i in items if isinstance(i, Path)]
    assert [f.name for f in files] == ["a.txt"]
    assert sorted(i.code for i in items if isinstance(i, Rejection)) == ["E-SYMLINK-LOOP", "E-SYMLINK-LOOP"]


def test_discover_missing_and_unreadable_paths_are_rejected(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("x")
    locked.chmod(0)
    try:
        items = list(discover([tmp_path / "nope.txt", locked], EXTENSIONS))
    finally:
        locked.chmod(0o755)
    assert [i.code for i in items if isinstance(i, Rejection)][0] == "E-NOT-FOUND"
    if os.geteuid() != 0:  # root reads everything: the permission case only holds for users
        assert any(i.code == "E-UNREADABLE" for i in items if isinstance(i, Rejection))


def test_decode_unknown_declared_charset_falls_back_to_configured() -> None:
    page = b'<meta charset="no-such-charset"><p>plain ascii text</p>'
    assert decode(page, html=True).text == page.decode()
