"""Clean an HTML page into body paragraphs, metadata and the boilerplate that was dropped.

The cascade, in order:

1. Parse the page once (``trafilatura.load_html``); a page that is not HTML, or is larger than
   ``HtmlSettings.max_chars``, gives a result with no paragraphs, which the caller rejects.
2. Render the page as plain-text blocks (``page_text``), before any library touches the tree.
3. Metadata with ``trafilatura.extract_metadata``: title, author, site name, URL. Each value is
   credited to the HTML field that holds it verbatim when there is one, else to trafilatura.
4. Publication date with htmldate: its fast search first (metadata, URL, date elements), its
   extensive search of the page text only when that finds none, so the basis says which answered.
5. Body with ``trafilatura.bare_extraction``: one ``Paragraph`` per top-level block of its output.
6. Removed: the page-text blocks that are not in the body, merged into coarse ``RemovedBlock``s.

Settings were chosen with ``benchmarks/html_body_date.py``; its results are in
``benchmarks/results/html_body_date.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import trafilatura
import lxml.html
from htmldate import find_date
from htmldate.settings import CLEANING_LIST as _HTMLDATE_CLEANING_LIST
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.xml import xmltotxt  # not in trafilatura's __all__; renders one block as extract() does

from dyad.clean.textmeta import dateline_value, match_dateline
from dyad.records import PARAGRAPH_SEPARATOR, CleanResult, Evidence, MetaValue, Paragraph, RemovedBlock

__all__ = ["DEFAULT_SETTINGS", "HtmlSettings", "clean_html", "page_text"]


@dataclass(frozen=True, slots=True)
class HtmlSettings:
    """What ``clean_html`` asks of trafilatura and htmldate; the defaults are the measured best."""

    # Trafilatura's "standard" mode (fallback extractors on, no precision/recall bias) scored the
    # best F on trafilatura's own 990 pages: 0.926 against 0.922 (precision) and 0.920 (fast, recall).
    fast: bool = False
    favor_precision: bool = False
    favor_recall: bool = False
    include_tables: bool = True
    include_comments: bool = False  # reader comments are not the article
    # original_date=True asks for the publication rather than the last update:
    # 0.906 against 0.834 day-level accuracy on htmldate's 800 pages.
    date_original: bool = True
    # When the fast search finds no date, searching the page text finds one for ~6% of pages, right
    # about 70% of the time (htmldate set); without it those pages get no date at all.
    date_text_search: bool = True
    # Larger pages are refused rather than truncated: an 11 MB page already takes ~20 s.
    max_chars: int = 10_000_000


DEFAULT_SETTINGS = HtmlSettings()

# Confidences, measured on htmldate's 800 pages: dates from htmldate's fast search were right on
# the day 92% of the time, dates found only by its extensive search of the page text 73%.
FAST_SEARCH_DATE_CONFIDENCE = 0.9
TEXT_SEARCH_DATE_CONFIDENCE = 0.7

# Elements whose text is never page content.
_SKIPPED_TAGS = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas"}
)
# Elements that start a new block of text in the plain-text rendering.
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "option", "p", "pre", "section",
        "summary", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
# Removal reasons: the HTML5 landmark element or ARIA role that holds the text.
_LANDMARK_TAGS = {"nav": "nav", "header": "header", "footer": "footer", "aside": "aside", "form": "form"}
_LANDMARK_ROLES = {
    "navigation": "nav",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "aside",
    "search": "form",
}
NOT_BODY = "not-body"  # text outside any landmark that trafilatura did not keep
TOO_LARGE = "too-large"

# (source, XPath, confidence) of the fields a title, site name or author is read from, most
# specific first, and the (source, confidence) of a value trafilatura found elsewhere.
# Confidences: the share of exact matches with the gold values on trafilatura's evaluation pages
# (benchmarks/results/html_body_date.md), rounded down to a tenth; a judgment call, marked *,
# where fewer than 20 pages had a value from that source.
_TITLE_FIELDS = (
    ("html:meta[og:title]", '//meta[@property="og:title"]/@content', 0.6),  # 0.68 on 701 pages
    ("html:meta[twitter:title]", '//meta[@name="twitter:title"]/@content', 0.6),  # * 4/4
    ("html:title", "//head/title/text()", 0.5),  # 0.50 on 30 pages
    ("html:h1", "//h1", 0.7),  # 0.71 on 77 pages
)
_TITLE_FALLBACK = ("html:trafilatura:title", 0.2)  # 0.24 on 33 pages
_OUTLET_FIELDS = (
    ("html:meta[og:site_name]", '//meta[@property="og:site_name"]/@content', 0.8),  # * 8/9
    ("html:meta[application-name]", '//meta[@name="application-name"]/@content', 0.5),  # * 1/2
)
_OUTLET_FALLBACK = ("html:trafilatura:sitename", 0.4)  # * 2/5; often the URL's host name
_AUTHOR_FIELDS = (
    ("html:meta[author]", '//meta[@name="author"]/@content', 0.7),  # 0.75 on 80 pages
    ("html:meta[article:author]", '//meta[@property="article:author"]/@content', 0.7),  # * 5/5
)
_AUTHOR_FALLBACK = ("html:trafilatura:author", 0.5)  # 0.54 on 349 pages; bylines in the page
# Separators between a page title and the site name ("Talks resume | Daily Planet").
_TITLE_SEPARATORS = "|-–—·•»›:~/"
# The site-name patterns backtrack over runs of whitespace and separators (cubic: 3 s for a
# 20,000-character title of spaces); longer titles are not searched for a site name.
_MAX_TITLE_LENGTH = 1000


def clean_html(content: str, url: str | None = None, settings: HtmlSettings = DEFAULT_SETTINGS) -> CleanResult:
    """Clean one HTML page: body paragraphs, metadata with provenance, and what was removed.

    ``url`` is where the page was read from, when known. Paragraphs have no raw offsets, since
    extracted text is not a verbatim span of the HTML source.

    ``removed`` holds the page text that is not in the body, in blocks merged by reason
    (``nav``, ``header``, ``footer``, ``aside``, ``form``, ``not-body``); their ``start``/``end``
    are offsets into ``page_text(content)``, not into the HTML. A page over
    ``settings.max_chars`` gives one block with reason ``too-large``, empty text and offsets 0.
    """
    if len(content) > settings.max_chars:
        return CleanResult(paragraphs=(), removed=(RemovedBlock(0, 0, TOO_LARGE, ""),))
    tree = _parse(content)
    if tree is None:
        return CleanResult(paragraphs=())
    blocks = list(_page_blocks(tree))
    meta = trafilatura.extract_metadata(tree, default_url=url, date_config=_date_config(settings, extensive=False))
    paragraphs = _body_paragraphs(tree, url, settings)
    outlet = _attributed(meta.sitename, tree, _OUTLET_FIELDS, _OUTLET_FALLBACK)
    title = _title(meta.title, tree, outlet)
    return CleanResult(
        paragraphs=paragraphs,
        title=title,
        outlet=outlet,
        published=_published(tree, meta.date, meta.url, settings),
        dateline=_dateline(paragraphs, title),
        author=_attributed(meta.author, tree, _AUTHOR_FIELDS, _AUTHOR_FALLBACK),
        url=_url(url, meta.url),
        removed=_removed(blocks, paragraphs),
    )


def page_text(content: str) -> str:
    """The plain-text rendering of a page that ``RemovedBlock`` offsets point into: the text of
    each block element, whitespace collapsed, one block per line."""
    tree = _parse(content)
    return "\n".join(text for text, _ in _page_blocks(tree)) if tree is not None else ""


# libxml2's HTML parser checks each attribute against the element's others: quadratic in their
# number, in C code that no time limit can interrupt (100,000 attributes on one tag: ~30 s). A tag
# with more than MAX_ATTRIBUTES attribute-like "=" signs loses its attributes before parsing; only
# tags of LONG_TAG characters or more are looked at, so ordinary pages are not touched.
MAX_ATTRIBUTES = 1000
LONG_TAG = 10_000
_DROPPED_ROOTS = frozenset(_HTMLDATE_CLEANING_LIST)
_LONG_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9:-]{0,40})([^<>]{%d,})" % LONG_TAG)


def _parse(content: str) -> HtmlElement | None:
    if not content.strip():
        return None
    tree = trafilatura.load_html(_LONG_TAG.sub(_strip_attribute_flood, content))
    if tree is not None and tree.tag in _DROPPED_ROOTS:
        # A fragment whose root is an element htmldate deletes ("<svg><p>...") made it remove the
        # root itself and fail (lxml's drop_tree asserts a parent): give the root a parent.
        page = lxml.html.Element("html")
        etree.SubElement(page, "body").append(tree)
        tree = page
    return tree


def _strip_attribute_flood(match: re.Match[str]) -> str:
    return f"<{match[1]}" if match[2].count("=") > MAX_ATTRIBUTES else match[0]


def _date_config(settings: HtmlSettings, *, extensive: bool) -> dict[str, bool]:
    return {"original_date": settings.date_original, "extensive_search": extensive}


# --- metadata ---


def _attributed(
    value: str | None,
    tree: HtmlElement,
    fields: Iterable[tuple[str, str, float]],
    fallback: tuple[str, float],
) -> MetaValue | None:
    """Credit a trafilatura value to the first HTML field that holds it verbatim, if any."""
    if not value:
        return None
    for source, xpath, confidence in fields:
        if any(_squash(_as_text(hit)) == value for hit in tree.xpath(xpath)):
            return MetaValue(value, source, confidence)
    basis = "trafilatura's choice; no single HTML field holds this exact value"
    return MetaValue(value, *fallback, basis=basis)


def _title(value: str | None, tree: HtmlElement, outlet: MetaValue | None) -> MetaValue | None:
    """Trafilatura's title, credited to the field that holds it, less a site name before or after
    it. When trafilatura took a site name stated in a meta field (from "Site - Title"), the first
    field that holds more than the site name gives the title instead; a site name trafilatura
    guessed is often the title itself, so it does not count."""
    if not value:
        return None
    site = outlet.value if outlet else ""
    stated = outlet is not None and outlet.source != _OUTLET_FALLBACK[0]
    took_site_name = stated and value.casefold() == site.casefold()
    for source, xpath, confidence in _TITLE_FIELDS:
        for hit in tree.xpath(xpath):
            text = _squash(_as_text(hit))
            title = _without_site_name(text, site)
            if title != text if took_site_name else value in (text, title):
                basis = f"site name {site!r} removed" if title != text else ""
                return MetaValue(title, source, confidence, basis=basis)
    title = _without_site_name(value, site)
    removed = f"; site name {site!r} removed" if title != value else ""
    basis = f"trafilatura's choice; no single HTML field holds this exact value{removed}"
    return MetaValue(title, *_TITLE_FALLBACK, basis=basis)


def _without_site_name(title: str, site: str) -> str:
    """``title`` less a leading or trailing site name ("Talks resume | Daily Planet")."""
    if not site or len(title) > _MAX_TITLE_LENGTH:
        return title  # a "title" of thousands of characters is not a headline: left as it is
    name, separator = re.escape(site), f"[{re.escape(_TITLE_SEPARATORS)}]+"
    for pattern in (rf"^(?P<title>.+?)\s+{separator}\s*{name}$", rf"^{name}\s*{separator}\s+(?P<title>.+)$"):
        if match := re.match(pattern, title, flags=re.IGNORECASE):
            return match["title"]
    return title


def _published(tree: HtmlElement, fast_date: str | None, url: str | None, settings: HtmlSettings) -> MetaValue | None:
    basis = f"htmldate original_date={settings.date_original}"
    if fast_date:
        basis = f"{basis}; fast search: metadata, URL, date elements, timestamps"
        return MetaValue(fast_date, "html:htmldate", FAST_SEARCH_DATE_CONFIDENCE, basis=basis)
    if not settings.date_text_search:
        return None
    text_date = find_date(tree, url=url, **_date_config(settings, extensive=True))
    if not text_date:
        return None
    basis = f"{basis}; fast search found none, extensive search of the page text"
    return MetaValue(text_date, "html:htmldate", TEXT_SEARCH_DATE_CONFIDENCE, basis=basis)


def _dateline(paragraphs: tuple[Paragraph, ...], title: MetaValue | None) -> MetaValue | None:
    """A dateline opening the body: its first paragraph, or the second when the first is the
    headline. Its evidence is in the clean text (paragraphs joined by blank lines)."""
    offset = 0
    for paragraph in paragraphs[:2]:
        match = match_dateline(paragraph.text)
        if match is not None:
            start, end = offset + match.start("place"), offset + match.end("place")
            return dateline_value(match, "html:text:dateline", Evidence("text", start, end, match["place"]))
        if title is None or paragraph.text.strip() != title.value.strip():
            return None
        offset += len(paragraph.text) + len(PARAGRAPH_SEPARATOR)
    return None


def _url(given: str | None, found: str | None) -> MetaValue | None:
    if given:
        basis = f"canonical link differs: {found}" if found and found != given else ""
        return MetaValue(given, "given:url", 1.0, basis=basis)
    if found:
        basis = "first of link[rel=canonical], base, link[hreflang=x-default]"
        return MetaValue(found, "html:trafilatura:url", 0.8, basis=basis)
    return None


# --- body ---


def _body_paragraphs(tree: HtmlElement, url: str | None, settings: HtmlSettings) -> tuple[Paragraph, ...]:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=settings.fast,
        favor_precision=settings.favor_precision,
        favor_recall=settings.favor_recall,
        include_comments=settings.include_comments,
        include_tables=settings.include_tables,
        include_formatting=False,
        with_metadata=False,
    )
    if document is None or document.body is None:
        return ()
    # The body's children are trafilatura's blocks (p, head, list, quote, table, code): one
    # paragraph each; their text joined equals trafilatura's own plain-text output, which is NFC.
    texts = (unicodedata.normalize("NFC", xmltotxt(block, False).strip()) for block in document.body)
    return tuple(Paragraph(text) for text in texts if text)


# --- removed boilerplate ---


def _page_blocks(tree: HtmlElement) -> Iterator[tuple[str, str]]:
    """(text, landmark reason) for each block of text on the page, in document order.

    Iterative (``etree.iterwalk``) so that deeply nested pages cannot exhaust the stack.
    """
    pieces: list[str] = []
    reasons = [NOT_BODY]  # reason of the innermost open element
    skipping = 0  # depth inside elements whose text is not content

    def flush() -> Iterator[tuple[str, str]]:
        text = _squash("".join(pieces))
        pieces.clear()
        if text:
            yield text, reasons[-1]

    for event, element in etree.iterwalk(tree, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):
            if not skipping:
                pieces.append(element.tail or "")
        elif event == "start":
            if skipping or element.tag in _SKIPPED_TAGS:
                skipping += 1
                continue
            if element.tag in _BLOCK_TAGS:
                yield from flush()
            reasons.append(_landmark(element) or reasons[-1])
            pieces.append(element.text or "")
        elif skipping:
            skipping -= 1
            if not skipping:
                pieces.append(element.tail or "")
        else:
            if element.tag in _BLOCK_TAGS:
                yield from flush()
            reasons.pop()
            pieces.append(element.tail or "")
    yield from flush()


def _landmark(element: HtmlElement) -> str | None:
    role = (element.get("role") or "").strip().lower()
    return _LANDMARK_TAGS.get(element.tag) or _LANDMARK_ROLES.get(role)


def _removed(blocks: list[tuple[str, str]], paragraphs: tuple[Paragraph, ...]) -> tuple[RemovedBlock, ...]:
    """Page-text blocks missing from the body, with consecutive ones of one reason merged."""
    in_body = _WordIndex(" ".join(p.text for p in paragraphs).split())
    removed: list[RemovedBlock] = []
    start = 0
    for text, reason in blocks:
        end = start + len(text)
        if not in_body.contains(text.split()):
            last = removed[-1] if removed else None
            if last is not None and last.reason == reason and last.end + 1 == start:
                removed[-1] = RemovedBlock(last.start, end, reason, f"{last.text}\n{text}")
            else:
                removed.append(RemovedBlock(start, end, reason, text))
        start = end + 1  # the newline between blocks
    return tuple(removed)


class _WordIndex:
    """Which word n-grams (n <= 3) occur in a text, for a linear-time "is this block in the body"
    test: a block counts as kept when all its word trigrams (or its words, when shorter) occur."""

    __slots__ = ("_grams",)

    def __init__(self, words: list[str]) -> None:
        self._grams = {hash(tuple(words[i : i + n])) for n in (1, 2, 3) for i in range(len(words) - n + 1)}

    def contains(self, words: list[str]) -> bool:
        n = min(3, len(words))
        return all(hash(tuple(words[i : i + n])) in self._grams for i in range(len(words) - n + 1))


def _as_text(hit: object) -> str:
    return hit.text_content() if isinstance(hit, HtmlElement) else str(hit)


def _squash(text: str) -> str:
    return " ".join(text.split())
