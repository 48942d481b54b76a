"""From a document and its cleaning to an ``Article``: merge stated metadata, build the clean
text with paragraph spans, and give the article its content-hash id."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime
from email.utils import parsedate_to_datetime

from dyad.clean.html import DEFAULT_SETTINGS, TOO_LARGE, clean_html
from dyad.clean.text import clean_text
from dyad.records import METADATA_FIELDS, PARAGRAPH_SEPARATOR, Article, CleanResult, Document, Evidence, MetaValue, Rejection

# Metadata the input stated in a structured field (a JSON Lines key, a WARC header) is taken
# over what cleaning read from the page: the feed's publisher said it on purpose.
GIVEN_CONFIDENCE = 0.9


def clean_document(document: Document) -> CleanResult:
    if document.kind == "html":
        return clean_html(document.content, url=document.given_value("url"))
    return clean_text(document.content)


def article_id(document: Document) -> str:
    """A stable content hash: the same input (body and stated metadata) always gets the same id."""
    digest = hashlib.sha256()
    for part in (document.kind, document.content, *(f"{k}={v}" for k, v in sorted(document.given))):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:16]


def paragraph_spans(paragraphs: list[str], ident: str) -> tuple[Evidence, ...]:
    """Where each paragraph stands in the clean text (the paragraphs joined by PARAGRAPH_SEPARATOR)."""
    spans, offset = [], 0
    for paragraph in paragraphs:
        spans.append(Evidence("text", offset, offset + len(paragraph), paragraph, ident))
        offset += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    return tuple(spans)


def assemble_article(document: Document, cleaned: CleanResult, *, min_body_chars: int) -> Article | Rejection:
    if any(block.reason == TOO_LARGE for block in cleaned.removed):
        return Rejection(document.source, document.locator, "E-TOO-LARGE",
                         f"{document.locator}: page of {len(document.content)} characters is over the cleaning limit of "
                         f"{DEFAULT_SETTINGS.max_chars} (HtmlSettings.max_chars); not cleaned")
    paragraphs = [p.text for p in cleaned.paragraphs if p.text.strip()]
    text = PARAGRAPH_SEPARATOR.join(paragraphs)
    if len(text) < min_body_chars:
        return Rejection(document.source, document.locator, "E-NO-BODY", f"{document.locator}: no article body found ({len(text)} characters of text after cleaning; setting clean.min_body_chars={min_body_chars})")
    ident = article_id(document)
    spans = paragraph_spans(paragraphs, ident)
    metadata = {name: _with_article(getattr(cleaned, name), ident) for name in METADATA_FIELDS}
    metadata.update(_given_metadata(document, metadata))
    return Article(
        id=ident,
        key=document.key,
        source=document.source,
        locator=document.locator,
        kind=document.kind,
        raw=document.content,
        text=text,
        paragraphs=spans,
        removed=cleaned.removed,
        **metadata,
    )


def _with_article(value: MetaValue | None, ident: str) -> MetaValue | None:
    if value is None or value.evidence is None:
        return value
    return replace(value, evidence=replace(value.evidence, article_id=ident))


def _given_metadata(document: Document, found: dict[str, MetaValue | None]) -> dict[str, MetaValue]:
    given: dict[str, MetaValue] = {}
    for name, raw_value in document.given:
        value, basis = raw_value.strip(), ""
        if name == "published":
            value = _iso_date(value)
            if value is None:
                continue  # unparseable: keep what cleaning found rather than a bad date
            basis = f"stated as {raw_value.strip()!r}"
        previous = found.get(name)
        if previous is not None and previous.value != value:
            basis = "; ".join(filter(None, (basis, f"the page itself says {previous.value!r} ({previous.source})")))
        given[name] = MetaValue(value, "given:" + _given_origin(document), GIVEN_CONFIDENCE, None, basis)
    return given


def _given_origin(document: Document) -> str:
    return "warc" if "#record " in document.locator else "jsonl"


def _iso_date(value: str) -> str | None:
    """An ISO 8601 or RFC 2822 date or timestamp, as YYYY-MM-DD; None for anything else."""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None
