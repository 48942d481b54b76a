"""Plain record types that every stage of dyad speaks.

All records are frozen dataclasses: a stage never mutates what it was given, it returns a new
record (``dataclasses.replace``). Offsets are Python string indices (code points), end-exclusive.

Every fact carries its evidence. Evidence points into one *layer* of an article:

- ``raw``  the decoded input document as stored (plain text, or the HTML source);
- ``text`` the clean body text that extraction reads.

Metadata found in an HTML field rather than in running text has no span; its ``source`` names the
field instead (``html:meta[property=og:site_name]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Layer = Literal["raw", "text"]
DocumentKind = Literal["text", "html"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: a character span of one layer of one article, and its quote."""

    layer: Layer
    start: int
    end: int
    quote: str
    article_id: str = ""  # filled in once the article id is known

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"[R001] evidence span {self.start}:{self.end} is not a valid range")


@dataclass(frozen=True, slots=True)
class MetaValue:
    """One metadata value (title, outlet, published, dateline, author, url) with its provenance.

    ``source`` says which reader or rule produced it (``text:dateline``, ``html:htmldate``,
    ``given:jsonl``); ``confidence`` is in [0, 1]; ``basis`` explains a decision that could have
    gone another way (``day-first: 21 cannot be a month``).
    """

    value: str
    source: str
    confidence: float
    evidence: Evidence | None = None
    basis: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """One input document as read from disk, before cleaning.

    ``key`` names the document across versions (its URL when known, else where it was read);
    ``locator`` says exactly where it was read (``path``, ``path:line 7``, ``path#record 3``).
    ``given`` holds metadata the input stated explicitly (JSON Lines fields, WARC headers).
    """

    source: str
    locator: str
    key: str
    kind: DocumentKind
    content: str
    given: tuple[tuple[str, str], ...] = ()

    def given_value(self, name: str) -> str | None:
        return dict(self.given).get(name)


@dataclass(frozen=True, slots=True)
class RemovedBlock:
    """A piece of the raw document that cleaning dropped, kept so that it can be inspected."""

    start: int
    end: int
    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph kept by cleaning; ``raw_start``/``raw_end`` locate it in the raw layer
    when it is a verbatim span of it (plain text), and are ``None`` when it is not (HTML)."""

    text: str
    raw_start: int | None = None
    raw_end: int | None = None


@dataclass(frozen=True, slots=True)
class CleanResult:
    """What cleaning makes of a document: body paragraphs, metadata and the removed boilerplate.

    The clean text is the paragraphs' text joined by blank lines (``Article.text``).
    Metadata evidence points into the raw layer.
    """

    paragraphs: tuple[Paragraph, ...]
    title: MetaValue | None = None
    outlet: MetaValue | None = None
    published: MetaValue | None = None
    dateline: MetaValue | None = None
    author: MetaValue | None = None
    url: MetaValue | None = None
    removed: tuple[RemovedBlock, ...] = ()


METADATA_FIELDS = ("title", "outlet", "published", "dateline", "author", "url")


@dataclass(frozen=True, slots=True)
class Article:
    """A clean, attributed article: the unit that extraction reads and the store keeps.

    ``id`` is a content hash of the raw document, so the same input always gets the same id.
    ``version`` counts the distinct contents seen under one ``key``; older versions are kept.
    """

    id: str
    key: str
    source: str
    locator: str
    kind: DocumentKind
    raw: str
    text: str
    paragraphs: tuple[Evidence, ...] = ()  # spans in the ``text`` layer
    title: MetaValue | None = None
    outlet: MetaValue | None = None
    published: MetaValue | None = None
    dateline: MetaValue | None = None
    author: MetaValue | None = None
    url: MetaValue | None = None
    removed: tuple[RemovedBlock, ...] = ()
    version: int = 1
    supersedes: str | None = None

    def metadata(self) -> dict[str, MetaValue]:
        """The metadata values that are set, by field name."""
        values = {name: getattr(self, name) for name in METADATA_FIELDS}
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not become an article: where it was, a code, and a one-line reason."""

    source: str
    locator: str
    code: str
    message: str
    detail: str = ""


# --- Records for the extraction stages (actors, events); filled by the extraction issue. ---


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of article text that names something (a person, place, organisation, date...)."""

    article_id: str
    label: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Actor:
    """One resolved identity: a country, government body, IGO, armed group, party or person."""

    id: str
    name: str
    kind: str
    country: str | None = None  # ISO 3166-1 alpha-3
    sector: str | None = None  # PLOVER sector
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Figure:
    """A quantity stated in text: money with its currency, or a count with what it counts."""

    kind: Literal["money", "quantity"]
    amount: float
    unit: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Event:
    """One PLOVER event with its actors, status, date, place and figures, each with evidence."""

    id: str
    article_id: str
    type: str
    status: str
    evidence: Evidence
    mode: str | None = None
    context: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()  # actor ids
    recipients: tuple[str, ...] = ()
    date: MetaValue | None = None
    place: MetaValue | None = None
    figures: tuple[Figure, ...] = field(default=())
