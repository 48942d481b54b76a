"""Bytes to text, refusing rather than guessing: binary data and text in an unexpected encoding
are rejected with a hint, since a wrong guess corrupts every name and quote downstream."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# A byte-order mark is a statement of the encoding, not a guess.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# <meta charset="..."> or content="text/html; charset=..." in the first bytes of an HTML page.
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
# Control bytes other than tab, newline, form feed and carriage return do not occur in text.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str | None
    code: str = ""
    message: str = ""


def looks_binary(data: bytes) -> bool:
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    return len(_CONTROL.findall(head)) > max(8, len(head) // 100)


def decode(data: bytes, encoding: str = "utf-8", *, html: bool = False) -> Decoded:
    """Decode ``data``: a byte-order mark wins, then (for HTML) a declared charset, then
    ``encoding``. Invalid bytes give an E-ENCODING result naming the offset and the fix."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec, "byte-order mark")
    if looks_binary(data):
        return Decoded(None, "E-BINARY", "binary data, not text (NUL or control bytes)")
    if html:
        declared = _META_CHARSET.search(data[:_SNIFF])
        if declared:
            name = declared.group(1).decode("ascii", "replace")
            try:
                codecs.lookup(name)
            except LookupError:
                pass  # an unknown charset name: fall back to the configured encoding
            else:
                return _strict(data, name, "the page's declared charset")
    return _strict(data, encoding, "the configured encoding")


def _strict(data: bytes, codec: str, why: str) -> Decoded:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        hint = "; if the file is Latin-1 or Windows-1252, ingest it with --encoding cp1252"
        return Decoded(None, "E-ENCODING", f"not valid {codec} ({why}) at byte {exc.start}{hint}")
    bad = first_surrogate(text)
    if bad is not None:
        # Some codecs (utf-7, a declared charset) decode to lone surrogates, which are not text
        # and cannot be stored as UTF-8.
        return Decoded(None, "E-ENCODING", f"{codec} ({why}) decodes to a lone surrogate at character {bad}, which is not text")
    # Universal newlines: offsets must not depend on the platform that wrote the file.
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"))


def first_surrogate(text: str) -> int | None:
    """Where ``text`` holds a lone surrogate (U+D800..U+DFFF), which UTF-8 cannot encode; else None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None
