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

from dataclasses import dataclass
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
# What joins an article's paragraphs in its clean text: evidence offsets count it.
PARAGRAPH_SEPARATOR = "\n\n"


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


# --- Records of extraction: mentions, places, times, figures, actors, roles, events. ---
# Their evidence is in the ``text`` layer (the clean body) unless said otherwise.

Granularity = Literal["day", "month", "year"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of article text that names something: ``label`` is PERSON, ORG, GPE, NORP, LOC,
    DATE, MONEY...; ``ref`` is the id of what it was resolved to (actor, place), when resolved."""

    label: str
    evidence: Evidence
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class TimeValue:
    """A normalised date. ``value`` is ISO at its granularity (2025-11-25, 2025-06, 2025), or
    ``--MM-DD`` when the year is unknown; ``basis`` is how it was fixed: ``explicit`` (the text
    gives it whole), ``relative_to_published`` (weekday, "this year", a year-less date anchored
    on the publication date), ``from_context`` (year from other dated facts in the article),
    ``year_unknown``, or ``fallback_published`` (no date in the text: the article's date)."""

    value: str
    granularity: Granularity
    basis: str
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A place resolved to a gazetteer entry: ``id`` is the gazetteer's (geonames:1526384,
    curated:turgundi, country:KAZ)."""

    id: str
    name: str
    country: str | None  # ISO 3166-1 alpha-3
    lat: float | None
    lon: float | None
    feature: str  # country, capital, city, admin, border-crossing, region...
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A quantity stated in text. Money keeps the amount in the currency the text states
    (``unit`` an ISO 4217 code); ``usd`` only when the text gives it or a documented rate does
    (``usd_basis`` says which). A count keeps what it counts in ``unit`` ("students").
    ``qualifier`` is "more than", "about", "up to"... when stated."""

    kind: Literal["money", "quantity"]
    amount: float
    unit: str
    evidence: Evidence
    qualifier: str = ""
    usd: float | None = None
    usd_basis: str = ""


@dataclass(frozen=True, slots=True)
class Role:
    """A title a person holds or held: ``since``/``until`` are ISO dates at any granularity when
    the text says so; ``organization`` is the actor id of the body the title belongs to."""

    title: str
    evidence: Evidence
    organization: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """One resolved identity: a country, government, government body, IGO, armed group, party,
    company or person. ``id`` is stable across articles (``country:KAZ``, ``gov:AFG``,
    ``person:yerkin-tukumov``); ``parent`` is the actor an agency or embassy belongs to."""

    id: str
    name: str
    kind: str
    country: str | None = None  # ISO 3166-1 alpha-3
    sector: str | None = None  # PLOVER sector: GOV, MIL, REB, IGO, NGO, BUS, CIV, ...
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    roles: tuple[Role, ...] = ()
    mentions: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as one event names it: the actor's id and the words that named it."""

    actor_id: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Event:
    """One PLOVER event with its participants, status, date, place and figures. ``type`` is a
    PLOVER event type, or APPOINT (our extension for appointments to office). ``status`` is
    occurred, ongoing, planned, proposed, denied or hypothetical. ``evidence`` is the sentence;
    ``trigger`` the words that name the act."""

    id: str
    article_id: str
    type: str
    status: str
    evidence: Evidence
    trigger: Evidence
    mode: str | None = None
    context: tuple[str, ...] = ()
    actors: tuple[ActorRef, ...] = ()
    recipients: tuple[ActorRef, ...] = ()
    date: TimeValue | None = None
    place: Place | None = None
    figures: tuple[Figure, ...] = ()
    confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extraction read from one article: its actor mentions, the actors (with roles),
    places, times, figures and events. Stored beside the article, replaced when re-extracted."""

    article_id: str
    mentions: tuple[Mention, ...] = ()
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    times: tuple[TimeValue, ...] = ()
    figures: tuple[Figure, ...] = ()
    events: tuple[Event, ...] = ()
