"""Places named in a paragraph, resolved to the gazetteer, each with its evidence.

``resolve_places`` takes the entity spans of a paragraph (from spaCy or anything else) with their
offsets in the article's clean text and returns one ``Place`` per span that names a place the
gazetteer knows, with ``Evidence(layer="text")`` pointing at the span. A dateline ("KABUL (Ariana
News):") is a place like any other here; the caller marks it as the filing place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, NamedTuple

from dyad.extract.gazetteer import place
from dyad.records import Evidence, Place

__all__ = ["EntitySpan", "PLACE_LABELS", "resolve_places"]

# spaCy labels that name places: geopolitical entities, other locations, facilities (bridges,
# crossings, airports).
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


class EntitySpan(NamedTuple):
    """An entity span: character offsets (end-exclusive) in the article's clean text, the text
    itself and its label (GPE, LOC, PERSON...)."""

    start: int
    end: int
    text: str
    label: str


def resolve_places(spans: Any, country_hint: str | None = None, *, offset: int = 0,
                   article_id: str = "", labels: Iterable[str] = PLACE_LABELS) -> list[Place]:
    """``Place`` records, in text order, for the spans that name known places.

    ``spans`` is a spaCy ``Doc`` (its entities are used), or an iterable of spaCy ``Span``s,
    ``EntitySpan``s or ``(start, end, text, label)`` tuples. ``offset`` is added to every span's
    offsets: pass where the paragraph starts in the article text when the offsets are the
    paragraph's own (a spaCy doc of one paragraph); leave it 0 when they are article offsets.
    Only spans labelled with one of ``labels`` are resolved; a span the gazetteer does not know
    is left out (the gazetteer abstains rather than guess).

    ``country_hint`` (ISO3) prefers places in that country when a name is ambiguous. Without
    it, the country the spans name most often (the first on a tie) serves as the hint, so
    "Herat ... Afghanistan" prefers the Afghan Herat."""
    wanted = frozenset(labels)
    candidates = [s for s in _entity_spans(spans) if s.label in wanted]
    resolved = [(span, place(span.text, country_hint)) for span in candidates]
    context_hint = None if country_hint else _most_named_country(p for _s, p in resolved)
    places = []
    for span, found in resolved:
        if context_hint and (found is None or found.feature != "country"):
            found = place(span.text, context_hint)
        if found is None:
            continue
        evidence = Evidence("text", span.start + offset, span.end + offset, span.text, article_id)
        places.append(replace(found, evidence=evidence))
    return places


def _entity_spans(spans: Any) -> Iterable[EntitySpan]:
    """The spans as ``EntitySpan``s, whatever form they came in; a malformed span raises."""
    if hasattr(spans, "ents") and hasattr(spans, "text"):  # a spaCy Doc
        spans = spans.ents
    for span in spans:
        if hasattr(span, "start_char"):  # a spaCy Span
            yield EntitySpan(span.start_char, span.end_char, span.text, span.label_)
            continue
        try:
            start, end, text, label = span
        except (TypeError, ValueError):
            raise ValueError(f"[PL001] cannot read entity span {span!r}: give a spaCy Doc or "
                             "Span, or (start, end, text, label) tuples") from None
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end
                and len(text) == end - start):
            raise ValueError(f"[PL002] span {span!r} is inconsistent: start and end must be "
                             "character offsets with end - start == len(text)")
        yield EntitySpan(start, end, text, label)


def _most_named_country(places: Iterable[Place | None]) -> str | None:
    counts = Counter(p.country for p in places if p is not None and p.feature == "country")
    if not counts:
        return None
    top = max(counts.values())
    return next(country for country, n in counts.items() if n == top)  # first named on a tie
