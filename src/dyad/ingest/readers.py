"""Readers: one per input format, each yielding ``Document`` or ``Rejection`` records.

- ``.txt``            one plain-text article per file
- ``.html`` ``.htm``  one web page per file
- ``.jsonl``          one article per line: ``text`` or ``html``, optional url/outlet/title/published
- ``.warc[.gz]``      HTTP responses with an HTML or plain-text body (read with warcio)
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from dyad.ingest.decode import decode, first_surrogate
from dyad.records import Document, Rejection

Read = Iterator[Document | Rejection]
GIVEN_FIELDS = ("url", "outlet", "title", "published", "author")


def read_path(path: Path, *, max_bytes: int, encoding: str = "utf-8") -> Read:
    """Read one file into documents; never raises for bad input, yields a rejection instead."""
    name = path.name.lower()
    source = str(path)
    try:
        if name.endswith((".warc", ".warc.gz")):
            yield from read_warc(path, max_bytes=max_bytes)
        elif name.endswith(".jsonl"):
            yield from read_jsonl(path, max_bytes=max_bytes, encoding=encoding)
        elif name.endswith((".html", ".htm")):
            yield from _read_whole(path, "html", max_bytes, encoding)
        elif name.endswith(".txt"):
            yield from _read_whole(path, "text", max_bytes, encoding)
        else:
            yield Rejection(source, source, "E-UNSUPPORTED", f"{path}: unsupported file type; expected .txt, .html, .htm, .jsonl, .warc or .warc.gz")
    except OSError as exc:
        yield Rejection(source, source, "E-UNREADABLE", f"{path}: {exc.strerror or exc}")


def _read_whole(path: Path, kind: str, max_bytes: int, encoding: str) -> Read:
    source = str(path)
    size = path.stat().st_size
    if size > max_bytes:
        yield Rejection(source, source, "E-TOO-LARGE", f"{path}: {size} bytes is over the limit of {max_bytes} (setting ingest.max_bytes)")
        return
    # Read at most one byte over the limit: the size on disk is not a promise (a file growing while
    # it is read, a named pipe or a device behind a symlink reports 0 and never ends).
    with path.open("rb") as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Rejection(source, source, "E-TOO-LARGE", f"{path}: more than {max_bytes} bytes (setting ingest.max_bytes); the file grew or is not a regular file")
        return
    yield _document(data, source=source, locator=source, key=str(path.resolve()), kind=kind, encoding=encoding)


def _document(data: bytes, *, source: str, locator: str, key: str, kind: str, encoding: str, given: tuple = ()) -> Document | Rejection:
    if not data.strip():
        return Rejection(source, locator, "E-EMPTY", f"{locator}: empty document")
    decoded = decode(data, encoding, html=kind == "html")
    if decoded.text is None:
        return Rejection(source, locator, decoded.code, f"{locator}: {decoded.message}")
    return Document(source=source, locator=locator, key=key, kind=kind, content=decoded.text, given=given)  # type: ignore[arg-type]


_SKIP_CHUNK = 1 << 20


def read_jsonl(path: Path, *, max_bytes: int, encoding: str = "utf-8") -> Read:
    source = str(path)
    with path.open("rb") as stream:
        number = 0
        while True:
            # readline with a limit: a giant line is rejected without being held in memory.
            line = stream.readline(max_bytes + 1)
            if not line:
                return
            number += 1
            locator = f"{source}:line {number}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                # Drop the oversized start, then skip the rest in small pieces: peak memory is
                # about twice max_bytes (readline's own buffer), however long the line is.
                line = b""
                rest = stream.readline(_SKIP_CHUNK)
                while rest and not rest.endswith(b"\n"):
                    rest = stream.readline(_SKIP_CHUNK)
                yield Rejection(source, locator, "E-TOO-LARGE", f"{locator}: line is over the limit of {max_bytes} bytes (setting ingest.max_bytes)")
                continue
            if not line.strip():
                continue
            yield _jsonl_record(line, source, locator, encoding, max_bytes)


def _jsonl_record(line: bytes, source: str, locator: str, encoding: str, max_bytes: int) -> Document | Rejection:
    try:
        record = json.loads(line.decode(encoding))
    except UnicodeDecodeError as exc:
        return Rejection(source, locator, "E-ENCODING", f"{locator}: not valid {encoding} at byte {exc.start}")
    except json.JSONDecodeError as exc:
        return Rejection(source, locator, "E-JSON", f"{locator}: invalid JSON ({exc.msg} at column {exc.colno})")
    except (ValueError, RecursionError) as exc:
        # an integer of more than 4300 digits, or arrays nested deeper than the parser's stack
        return Rejection(source, locator, "E-JSON", f"{locator}: unreadable JSON ({type(exc).__name__}: {str(exc)[:120]})")
    if not isinstance(record, dict):
        return Rejection(source, locator, "E-JSON", f"{locator}: expected a JSON object, got {type(record).__name__}")
    body_field = next((name for name in ("html", "text") if isinstance(record.get(name), str)), None)
    if body_field is None:
        return Rejection(source, locator, "E-JSON", f"{locator}: the object needs a string field 'text' or 'html'")
    given = tuple((name, str(record[name])) for name in GIVEN_FIELDS if isinstance(record.get(name), (str, int, float)) and str(record[name]).strip())
    for name, value in (("body", record[body_field]), *given):
        # JSON may escape a lone surrogate ("\ud800"): not text, and it cannot be stored as UTF-8.
        bad = first_surrogate(value)
        if bad is not None:
            return Rejection(source, locator, "E-ENCODING", f"{locator}: field '{body_field if name == 'body' else name}' holds a lone surrogate (an invalid \\u escape) at character {bad}")
    url = dict(given).get("url")
    kind = "html" if body_field == "html" else "text"
    return _document(record[body_field].encode("utf-8"), source=source, locator=locator, key=url or locator, kind=kind, encoding="utf-8", given=given)


_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def read_warc(path: Path, *, max_bytes: int) -> Read:
    source = str(path)
    number = 0
    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream):
                number += 1
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                locator = f"{source}#record {number}"
                content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if not content_type.lower().startswith(_TEXT_TYPES):
                    continue  # images, scripts, stylesheets: not articles
                status = record.http_headers.get_statuscode() if record.http_headers else "200"
                if status != "200":
                    continue  # redirects and errors carry no article
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    yield Rejection(source, locator, "E-TOO-LARGE", f"{locator} ({url}): body is over the limit of {max_bytes} bytes")
                    continue
                if getattr(record.raw_stream, "limit", 0) > 0:
                    # the record ends before its declared Content-Length: a cut-off file
                    yield Rejection(source, locator, "E-WARC", f"{locator} ({url}): record is truncated ({record.raw_stream.limit} bytes missing)")
                    continue
                kind = "text" if content_type.lower().startswith("text/plain") else "html"
                given = (("url", url),) if url else ()
                yield _document(data, source=source, locator=locator, key=url or locator, kind=kind, encoding=_charset(content_type), given=given)
        except (ArchiveLoadFailed, ValueError, EOFError, OSError) as exc:
            # zlib/gzip errors surface as OSError or EOFError; the records read so far are kept.
            yield Rejection(source, f"{source}#record {number + 1}", "E-WARC", f"{source}: unreadable WARC after record {number}: {exc}")
        except Exception as exc:  # noqa: BLE001 - warcio fails on some malformed records with
            # whatever error its parser meets (AttributeError for a response without WARC-Target-URI).
            yield Rejection(source, f"{source}#record {number + 1}", "E-WARC",
                            f"{source}: malformed WARC record after record {number}: {type(exc).__name__}: {exc}", detail=repr(exc))


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            try:
                return codecs.lookup(value.strip("\"' ")).name
            except LookupError:
                break  # an unknown charset name: read as UTF-8 and reject if that fails
    return "utf-8"
