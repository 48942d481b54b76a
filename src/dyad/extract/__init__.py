"""Extract: read an article the way an analyst does — actors with their roles, places, times,
figures and PLOVER events — every field backed by a span of the clean text.

The passes, in order, over the article's parsed paragraphs:
1. actors: people (with titles and tenures), countries, governments, organisations;
2. places: every place named, resolved to the gazetteer (the dateline is the filing place);
3. times and figures: time expressions normalised against the publication date; money, counts;
4. events: triggers coded to PLOVER with actors, recipients and status, then each event gets
   the time, place and figures of its own sentence.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from dyad.extract.actors import ArticleActors, assign_home_country, generic_agents, person_spans, read_generic_agent, read_pronoun, sentence_subject_pronouns, read_organisation, read_person, read_place_actor, read_tenures
from dyad.extract.classifier import code_with_model, fill_setting, fill_with_model, model_setting
from dyad.extract.events import code_events, code_sentences_as
from dyad.extract.figures import find_figures
from dyad.extract.nlp import load_nlp, parse_paragraphs, text_of
from dyad.extract.places import resolve_places
from dyad.extract.timex import resolve_timexes
from dyad.records import Article, ActorRef, Event, Evidence, Extraction, Figure, Mention, Place, TimeValue

__all__ = ["extract_article", "extract_text"]


def extract_article(article: Article, nlp: Language | None = None, model: bool | None = None,
                    model_threshold: float | None = None, model_fill: bool | None = None,
                    fill_threshold: float | None = None, parsed: list[tuple[int, Doc]] | None = None) -> Extraction:
    """Everything extraction reads from one article. Pure: the same article and models give the
    same records. ``model``/``model_threshold``: put the learned event-type model beside the rules
    (``dyad.extract.classifier``); ``model_fill``/``fill_threshold``: let it add events to
    sentences the rules left empty. None reads ``[extract] model``, ``model_threshold``,
    ``model_fill`` and ``model_fill_threshold``."""
    published = article.published.value if article.published else None
    if parsed is None:  # given by callers that parse many articles in one pass (dyad.batch)
        parsed = list(parse_paragraphs(article, nlp or load_nlp()))
    state = ArticleActors(article.id, published)
    dateline = _dateline_end(article, parsed)
    for offset, doc in parsed:
        _read_actors(state, doc, offset, skip_until=dateline - offset if offset < dateline <= offset + len(text_of(doc)) else 0)
        read_tenures(state, doc, offset)
    assign_home_country(state)
    places = _places(article, parsed)
    body_places = [p for p in places if p.evidence.start >= dateline]  # the filing place is not where events are
    times = _times(article, published)
    figures = tuple(_figures(article))
    sentences = [(offset + s.start_char, offset + s.end_char, text_of(doc)[s.start_char:s.end_char])
                 for offset, doc in parsed for s in doc.sents]
    events: list[Event] = []
    use_model, threshold = model_setting(model, model_threshold)
    fill, fill_at = fill_setting(model_fill, fill_threshold) if use_model else (False, 0.0)
    per_paragraph = []
    for offset, doc in parsed:
        end = offset + len(text_of(doc))
        mentions = [m for m in state.mentions if offset <= m.evidence.start < end]
        per_paragraph.append((offset, doc, mentions, code_events(doc, offset, mentions, state.actors, article.id)))
    if use_model:  # one model call for the whole article: fuller batches than one per paragraph
        combined, _disagreements = code_with_model([e for *_, coded in per_paragraph for e in coded], threshold)
        remaining = iter(combined)
        per_paragraph = [(offset, doc, mentions, [next(remaining) for _ in coded]) for offset, doc, mentions, coded in per_paragraph]
    for offset, doc, mentions, coded in per_paragraph:
        if fill:
            own = [(s, offset + s.start_char, offset + s.end_char, text_of(doc)[s.start_char:s.end_char]) for s in doc.sents]
            coded = fill_with_model(coded, own, lambda readings, doc=doc, offset=offset, mentions=mentions:
                                    code_sentences_as(doc, offset, mentions, state.actors, article.id, readings),
                                    fill_at)
        for event in coded:
            scope = _event_scope(event, sentences)
            event = _complete(event, scope, times, body_places, figures, published)
            events.append(_infer_participants(event, doc, offset, mentions, state))
    return Extraction(article.id, tuple(state.mentions), tuple(state.actors.values()), places, times, figures,
                      tuple(_with_ids(events)))


def extract_text(text: str, published: str | None = None, nlp: Language | None = None,
                 model: bool | None = None, model_threshold: float | None = None, model_fill: bool | None = None,
                 fill_threshold: float | None = None) -> Extraction:
    """Extraction over a bare text (paragraphs separated by blank lines), for quick use and for
    scoring on gold sentences."""
    from dyad.clean.assemble import PARAGRAPH_SEPARATOR, paragraph_spans
    from dyad.clean.textmeta import read_dateline
    from dyad.records import MetaValue, Paragraph

    paragraphs = [p.strip() for p in text.split(PARAGRAPH_SEPARATOR) if p.strip()]
    body = PARAGRAPH_SEPARATOR.join(paragraphs)
    spans = paragraph_spans(paragraphs, "text")
    dateline = read_dateline(body, [Paragraph(p.quote, p.start, p.end) for p in spans])
    article = Article(id="text", key="text", source="text", locator="text", kind="text", raw=body, text=body,
                      paragraphs=spans, dateline=dateline,
                      published=MetaValue(published, "given", 1.0) if published else None)
    return extract_article(article, nlp, model, model_threshold, model_fill, fill_threshold)


def _dateline_end(article: Article, parsed: list[tuple[int, Doc]]) -> int:
    """Where the dateline ("KABUL (Agency):", "ALMATY –") ends in the text, or 0: its place is
    where the story was filed, not an actor."""
    if article.dateline is None or not parsed:
        return 0
    evidence = article.dateline.evidence
    # HTML datelines point into the clean text (possibly its second paragraph, after the headline)
    offset, doc = next(((o, d) for o, d in parsed if evidence is not None and evidence.layer == "text"
                        and o <= evidence.start < o + len(text_of(d))), parsed[0])
    first = text_of(doc)
    name = article.dateline.value.casefold()
    head = first[:120].casefold()
    at = head.find(name)
    if at != 0:
        return 0
    for mark in (":", "–", "—", " - ", ")"):
        end = first.find(mark, len(name))
        if 0 <= end <= 80:
            return offset + end + len(mark)
    return offset + len(name)


def _read_actors(state: ArticleActors, doc: Doc, offset: int, skip_until: int) -> None:
    """Persons, places-as-actors and organisations in text order, so that a surname resolves to
    the full name seen before it."""
    people = {span.start: span for span in person_spans(doc)}
    items = [(span.start_char, "PERSON", span) for span in people.values()]
    covered = {i for span in people.values() for i in range(span.start, span.end)}
    items += [(e.start_char, e.label_, e) for e in doc.ents
              if e.label_ in ("GPE", "NORP", "ORG") and not covered & set(range(e.start, e.end))]
    items += [(token.idx, "PRON", token) for token in sentence_subject_pronouns(doc)]
    items += [(token.idx, "AGENT", token) for token in generic_agents(doc) if token.i not in covered]
    for start, label, span in sorted(items, key=lambda item: item[0]):
        if start < skip_until:
            continue
        if label == "PRON":
            read_pronoun(state, doc, offset, span)
        elif label == "AGENT":
            read_generic_agent(state, doc, offset, span)
        elif label == "PERSON":
            read_person(state, doc, offset, span)
        elif label == "ORG":
            read_organisation(state, doc, offset, span)
        else:
            read_place_actor(state, doc, offset, span)


def _places(article: Article, parsed: list[tuple[int, Doc]]) -> tuple[Place, ...]:
    """Every place named in the article, resolved with the article's most named country as the
    hint for ambiguous names. The dateline is among them, as the filing place."""
    spans = [(offset + e.start_char, offset + e.end_char, e.text, e.label_) for offset, doc in parsed for e in doc.ents]
    return tuple(resolve_places(spans, article_id=article.id))


def _times(article: Article, published: str | None) -> tuple[TimeValue, ...]:
    """Every time expression, normalised against the publication date (or, without one, the
    article's own explicit dates)."""
    values = []
    for _timex, resolution in resolve_timexes(article.text, published):
        if resolution.value is not None:
            values.append(replace(resolution.value, evidence=_own(resolution.value.evidence, article.id)))
    return tuple(values)


def _figures(article: Article) -> list[Figure]:
    return [replace(f, evidence=_own(f.evidence, article.id)) for f in find_figures(article.text)]


def _own(evidence: Evidence | None, article_id: str) -> Evidence | None:
    return replace(evidence, article_id=article_id) if evidence is not None else None


# A sentence that goes on about the event just told ("The meeting, held in ... in Astana, ...").
_EVENT_NOUNS = r"(?:meeting|meetings|talks|visit|trip|summit|conference|session|discussions?|negotiations|consultations|forum|ceremony|signing)"
_CONTINUATION = re.compile(rf"^(?:(?:The|This|That|These|Those)\s+{_EVENT_NOUNS}\b|(?:During|At|Throughout|After|On)\s+(?:the|this|that)\s+{_EVENT_NOUNS}\b)")


def _event_scope(event: Event, sentences: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The spans an event's time and place may come from: its sentence, and the next one when
    that sentence continues about the same event."""
    spans = [(event.evidence.start, event.evidence.end)]
    following = [s for s in sentences if s[0] >= event.evidence.end]
    if following and _CONTINUATION.match(following[0][2]):
        spans.append((following[0][0], following[0][1]))
    return spans


def _complete(event: Event, scope: list[tuple[int, int]], times: tuple[TimeValue, ...], places: list[Place],
              figures: tuple[Figure, ...], published: str | None) -> Event:
    """Give an event the time, place and figures of its own sentence (and of a sentence that
    continues about it): the time expression nearest its trigger, the place nearest its trigger
    that is not a whole country (a country is the recipient or the setting, not the location);
    without a time in scope, the publication date (basis fallback_published). The dateline's
    place is where the story was filed and is never the event's place."""
    inside = lambda evidence: any(start <= evidence.start < end for start, end in scope)  # noqa: E731
    trigger = event.trigger.start
    in_scope = [t for t in times if t.evidence is not None and inside(t.evidence)]
    date = min(in_scope, key=lambda t: abs(t.evidence.start - trigger), default=None)
    if date is None and published:
        date = TimeValue(published, "day", "fallback_published", None)
    candidates = [p for p in places if p.evidence is not None and inside(p.evidence) and p.feature != "country"]
    place = min(candidates, key=lambda p: abs(p.evidence.start - trigger), default=None)
    start, end = event.evidence.start, event.evidence.end
    own_figures = tuple(f for f in figures if start <= f.evidence.start < end)
    return replace(event, date=date, place=place, figures=own_figures)


# The chair's title may stand between the phrase and the name ("chaired by Deputy Prime Minister X").
_CHAIR = re.compile(r"\b(?:under the chairmanship of|chaired by|presided over by|led by|headed by)\s+"
                    r"(?:(?:[A-Z][\w\-]*|and|of|the|for)\s+){0,12}$")
GIVERS = frozenset({"AID", "COOPERATE", "SUPPORT", "AGREE"})
PLACE_RECIPIENT_TYPES = frozenset({"ASSAULT", "COERCE"})


def _infer_participants(event: Event, doc: Doc, offset: int, mentions: list[Mention], state: ArticleActors) -> Event:
    """Participants the sentence implies rather than names as subject or object, by three rules:
    1. a meeting "under the chairmanship of X" / "chaired by X" / "led by X" has X among its actors;
    2. a visit with no named host ("arrived in Kabul") has the country of its place as recipient
       (the visitor is the actor, the host the recipient), and so has an attack or a coercive act
       with no named target ("fired at targets in Jericho"), when that differs from the actor's;
    3. an agentless passive act of giving or cooperating ("aid was delivered to X") in an article
       that speaks for one government (``state.home``) has that country as actor; its evidence is
       where the article names that government, and the event's confidence drops by 0.2."""
    actors, recipients = list(event.actors), list(event.recipients)
    start, end = event.evidence.start, event.evidence.end
    sentence_text = text_of(doc)[start - offset:end - offset]
    named = {ref.actor_id for ref in actors + recipients}
    confidence = event.confidence
    for mention in mentions:
        if mention.label == "PERSON" and start <= mention.evidence.start < end and mention.ref not in named:
            before = sentence_text[:mention.evidence.start - start]
            if _CHAIR.search(before):
                actors.append(ActorRef(mention.ref, mention.evidence))
                named.add(mention.ref)
    if (event.type in PLACE_RECIPIENT_TYPES or (event.type == "CONSULT" and event.mode == "visit")) \
            and not recipients and event.place and event.place.country:
        visitor_countries = {state.actors[r.actor_id].country for r in actors if r.actor_id in state.actors}
        if event.place.country not in visitor_countries and event.place.evidence is not None:
            recipients.append(ActorRef(event.place.country, event.place.evidence))
    if not actors and event.type in GIVERS and state.home and _is_passive(doc, offset, event.trigger):
        named_home = next((m for m in state.mentions if m.ref and state.actors.get(m.ref)
                           and state.actors[m.ref].country == state.home and state.actors[m.ref].sector == "GOV"), None)
        if named_home is not None:
            actors.append(ActorRef(state.home, named_home.evidence))
            confidence = max(0.05, confidence - 0.2)
    if (actors, recipients) == (list(event.actors), list(event.recipients)):
        return event
    return replace(event, actors=tuple(actors), recipients=tuple(recipients), confidence=confidence)


def _is_passive(doc: Doc, offset: int, trigger: Evidence) -> bool:
    tokens = [t for t in doc if trigger.start <= offset + t.idx < trigger.end]
    return any(t.dep_ in ("nsubjpass", "auxpass") or any(c.dep_ == "auxpass" for c in t.children) for t in tokens)


def _with_ids(events: list[Event]) -> list[Event]:
    """Stable ids: the article, the type and where the trigger is."""
    result = []
    for event in events:
        key = f"{event.article_id}:{event.type}:{event.trigger.start}:{event.trigger.end}"
        result.append(replace(event, id="ev:" + hashlib.sha256(key.encode()).hexdigest()[:16]))
    return result
