"""Actors in one article: countries, governments, agencies, IGOs, armed groups and people, each
resolved to one identity with a kind, an ISO 3166-1 alpha-3 country and a PLOVER sector, and
every mention kept as evidence.

Identities (stable across articles):
- a country acting as a state: its ISO code (``KAZ``);
- a government or a country's people in a sector: ISO code + sector (``AFGGOV``, ``AFGEDU``),
  from demonym + agent noun ("Afghan officials"), regime names ("Islamic Emirate", "Taliban"
  after 2021-08-15) and capitals used for their governments ("Astana remains committed");
- an organisation: ``org:`` + a slug of its name (``org:afghan-embassy-in-kazakhstan``);
- a person: ``person:`` + a slug of the full name. A surname alone resolves to the full name
  seen in the same article; "he" in a role sentence to the person last named.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib import resources

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, POS
from spacy.strings import get_string_id
from spacy.symbols import NOUN
from spacy.tokens import Doc, Span, Token

from dyad.extract import gazetteer
from dyad.extract.nlp import text_of
from dyad.extract.titles import TITLE_HEADS, is_head, leads_to_name, misread_title, split_titles, title_after, title_before
from dyad.records import Actor, Evidence, Mention, Role
from dyad.resolve.actors import title_key

# Nouns that stand for a government when led by a demonym or a country's possessive.
GOVERNMENT_NOUNS = frozenset({"government", "authorities", "side", "officials", "leadership", "administration",
                              "regime", "delegation", "diplomats", "cabinet", "state"})
# Organisation words that make an ORG entity a government body of the country named with it.
GOVERNMENT_BODY_WORDS = frozenset({"ministry", "embassy", "consulate", "council", "parliament", "senate",
                                   "office", "department", "agency", "service", "committee", "institute",
                                   "presidency", "mission", "army", "police", "bank", "court"})
IGO_MARKERS = re.compile(r"\b(?:UN|U\.N\.|United Nations|NATO|OSCE|SCO|CSTO|CIS|ASEAN|European Union|EU|"
                         r"African Union|World Bank|IMF|International Monetary Fund|WHO|UNICEF|UNHCR|UNDP|"
                         r"World Food Programme|WFP|OIC|Arab League|Eurasian Economic Union|EAEU)\b")
# Words that make an organisation a news medium (PLOVER sector MED), not a government body.
MEDIA_WORDS = frozenset({"news", "times", "press", "media", "tv", "television", "radio", "post", "herald",
                         "gazette", "tribune", "journal", "broadcasting", "newspaper"})
_DATE_LIKE = re.compile(r"(?:on\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?"
                        r"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{4})?", re.IGNORECASE)
PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_text.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class Regime:
    name: str
    country: str
    sector: str
    since: str
    until: str
    kind: str


@functools.cache
def regimes() -> dict[str, list[Regime]]:
    """The curated table of regime names and seats of government (data/regimes.csv)."""
    text = resources.files("dyad").joinpath("data/regimes.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    table: dict[str, list[Regime]] = {}
    for row in rows:
        entry = Regime(row["name"], row["country"], row["sector"], row["since"], row["until"], row["kind"])
        table.setdefault(row["name"].casefold(), []).append(entry)
    return table


def regime_for(name: str, on: str | None) -> Regime | None:
    """The regime a name stood for on a date (ISO; None: the most recent)."""
    candidates = regimes().get(name.casefold().removeprefix("the "), [])
    if on:
        dated = [r for r in candidates if (not r.since or r.since <= on) and (not r.until or on <= r.until)]
        if dated:
            return dated[0]
    open_ended = [r for r in candidates if not r.until]
    return (open_ended or candidates or [None])[0]


@dataclass
class ArticleActors:
    """What the actor pass found in one article."""

    article_id: str
    published: str | None
    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    surnames: dict[str, str] = field(default_factory=dict)  # surname (casefolded) -> person id
    last_person: str | None = None
    home: str | None = None  # the country whose government the article speaks of most, if one leads

    def evidence(self, doc: Doc, offset: int, start_char: int, end_char: int) -> Evidence:
        quote = text_of(doc)[start_char:end_char]
        return Evidence("text", offset + start_char, offset + end_char, quote, self.article_id)

    def add(self, actor: Actor, evidence: Evidence, label: str) -> str:
        known = self.actors.get(actor.id)
        if known is None:
            known = actor
        aliases = known.aliases if evidence.quote in known.aliases or evidence.quote == known.name else (*known.aliases, evidence.quote)
        self.actors[actor.id] = replace(known, aliases=aliases, mentions=(*known.mentions, evidence),
                                        roles=_merge_roles(known.roles, actor.roles if known is not actor else ()))
        self.mentions.append(Mention(label, evidence, actor.id))
        return actor.id

    def add_role(self, person_id: str, role: Role) -> None:
        person = self.actors[person_id]
        self.actors[person_id] = replace(person, roles=_merge_roles(person.roles, (role,)),
                                         country=person.country or role.country,
                                         sector=person.sector or title_sector(role.title))


def _merge_roles(existing: tuple[Role, ...], new: Iterable[Role]) -> tuple[Role, ...]:
    roles = list(existing)
    for role in new:
        key = title_key(role.title)
        same = next((i for i, r in enumerate(roles) if title_key(r.title) == key), None)
        if same is None:
            roles.append(role)
        else:
            old = roles[same]
            roles[same] = replace(old, since=old.since or role.since, until=old.until or role.until,
                                  country=old.country or role.country, organization=old.organization or role.organization)
    return tuple(roles)


def title_sector(title: str) -> str | None:
    """The sector a title of office implies, by the agent dictionary's reading of its head words
    ("Deputy Prime Minister" → GOV, "Senator" → LEG, "head of ..." → None)."""
    words = [w.strip(",.()").lower() for w in title.split()]
    for size in (2, 1):  # two-word heads first: "prime minister"
        for i in range(len(words) - size + 1):
            phrase = " ".join(words[i:i + size])
            if size == 1 and not is_head_word(phrase):
                continue
            sector = gazetteer.agent_sector(phrase)
            if sector:
                return sector
    return None


# --- countries, governments, collectives -------------------------------------------------------


def country_actor(iso3: str) -> Actor:
    return Actor(iso3, gazetteer.country_name(iso3) or iso3, "country", iso3, None)


def sector_actor(iso3: str, sector: str) -> Actor:
    name = gazetteer.country_name(iso3) or iso3
    kind = "government" if sector == "GOV" else "collective"
    label = "Government of " + name if sector == "GOV" else f"{name} ({sector})"
    return Actor(f"{iso3}{sector}", label, kind, iso3, sector)


def _next_noun(span: Span) -> Token | None:
    doc = span.doc
    i = span.end
    while i < len(doc) and doc[i].pos_ in ("ADJ", "ADV") and doc[i].lower_ not in GOVERNMENT_NOUNS:
        i += 1
    return doc[i] if i < len(doc) and doc[i].pos_ in ("NOUN", "PROPN") else None


def _country_word(text: str) -> str | None:
    text = text.removeprefix("the ").removeprefix("The ")
    return gazetteer.country_by_name(text)


def read_place_actor(state: ArticleActors, doc: Doc, offset: int, entity: Span) -> None:
    """A GPE or NORP entity: a country as actor, a government (demonym + "government", capital
    as the subject of a verb), or a collective (demonym + agent noun: "Afghan students")."""
    text = entity.text
    iso3 = _country_word(text)
    noun = _next_noun(entity)
    if entity.label_ == "NORP" and leads_to_name(entity[-1]):
        return  # "Nigerian junior foreign minister X": the demonym is X's country, read with X's role
    if iso3 and noun is not None and noun.lower_ in GOVERNMENT_BODY_WORDS and noun.is_title:
        # "Afghan Embassy", "Kazakh Foreign Ministry": a body of that country's government
        name = doc[entity.start:noun.i + 1]
        name_text = _strip_article(name.text)
        start = name.start_char + (len(name.text) - len(name_text))
        state.add(Actor("org:" + slug(name_text), name_text, "government body", iso3, "GOV", parent=f"{iso3}GOV"),
                  state.evidence(doc, offset, start, name.end_char), "ORG")
        return
    if iso3 and entity.label_ in ("NORP", "GPE") and noun is not None and not _is_country_name(text):
        # demonym + noun: "Afghan officials", "Kazakh government", "Afghan students"
        sector = gazetteer.agent_sector(noun.text) or gazetteer.agent_sector(noun.lemma_) or (
            "GOV" if noun.lower_ in GOVERNMENT_NOUNS else None)
        if sector:
            evidence = state.evidence(doc, offset, entity.start_char, noun.idx + len(noun.text))
            state.add(sector_actor(iso3, sector), evidence, "NORP")
            return
    if iso3 and not _is_country_name(text):
        # a demonym with no agent noun after it ("Palestinians blamed...", "Israeli strikes"):
        # the country itself
        state.add(country_actor(iso3), state.evidence(doc, offset, entity.start_char, entity.end_char), entity.label_)
        return
    if iso3 is None:
        capital = gazetteer.capital_country(text)
        if capital and entity.root.dep_ in ("nsubj", "nsubjpass"):
            # "Astana remains committed": a capital as the subject of a verb is its government
            state.add(sector_actor(capital, "GOV"), state.evidence(doc, offset, entity.start_char, entity.end_char), "GPE")
        return
    if _is_country_name(text):
        if noun is not None and noun.lower_ in GOVERNMENT_NOUNS and entity.end < len(doc) and doc[entity.end].tag_ == "POS":
            # "Afghanistan's authorities"
            evidence = state.evidence(doc, offset, entity.start_char, noun.idx + len(noun.text))
            state.add(sector_actor(iso3, "GOV"), evidence, "GPE")
        else:
            state.add(country_actor(iso3), state.evidence(doc, offset, entity.start_char, entity.end_char), "GPE")


def _is_country_name(text: str) -> bool:
    """A country's name rather than its demonym ("Kazakhstan", not "Kazakh")."""
    return gazetteer.is_country_name(text.removeprefix("the ").removeprefix("The "))


# --- organisations -----------------------------------------------------------------------------


def read_organisation(state: ArticleActors, doc: Doc, offset: int, entity: Span) -> None:
    """An ORG entity: a regime name, an IGO, or a body of a government named with its country."""
    text = _strip_possessive(_strip_article(entity.text))
    if _DATE_LIKE.fullmatch(text) or not any(t.is_alpha for t in entity):
        return  # "May 15" misread as an organisation
    start = entity.start_char + entity.text.find(text)
    evidence = state.evidence(doc, offset, start, start + len(text))
    if misread_title(entity) and not any(t.lower_ in GOVERNMENT_BODY_WORDS for t in entity):
        return  # "Kazakhstan's Special Representative" is a title, not an organisation
    person_id = state.surnames.get(text.casefold())
    if person_id is not None:
        # the model calls a lone surname an organisation now and then ("Tukumov's new role")
        state.add(state.actors[person_id], evidence, "PERSON")
        state.last_person = person_id
        return
    iso3 = _country_word(text)
    if iso3 and _is_country_name(text):
        state.add(country_actor(iso3), evidence, "GPE")
        return
    regime = regime_for(text, state.published)
    if regime is not None:
        state.add(sector_actor(regime.country, regime.sector), evidence, "ORG")
        return
    entries = gazetteer.actor_entries(text)
    igo = IGO_MARKERS.search(text)
    country = _country_in_name(entity)
    words = {t.lower_ for t in entity}
    if words & MEDIA_WORDS:
        state.add(Actor("org:" + slug(text), text, "media", country, "MED"), evidence, "ORG")
    elif igo:
        parent = "org:" + slug(igo.group(0))
        state.add(Actor("org:" + slug(text), text, "igo", None, "IGO", parent=parent if slug(text) != slug(igo.group(0)) else None),
                  evidence, "ORG")
    elif entries and not country:
        entry = entries[0]
        window = entry.role_on(state.published)
        state.add(Actor("org:" + slug(entry.name), entry.name, "organization", window.country if window else None,
                        window.sector if window else None), evidence, "ORG")
    elif country and words & GOVERNMENT_BODY_WORDS:
        sector = _body_sector(entity)
        state.add(Actor("org:" + slug(text), text, "government body", country, sector, parent=f"{country}GOV"), evidence, "ORG")
    elif country:
        state.add(Actor("org:" + slug(text), text, "organization", country, None), evidence, "ORG")
    elif words & GOVERNMENT_BODY_WORDS:
        # "the Ministry of Foreign Affairs" with no country word: kept, country left open
        state.add(Actor("org:" + slug(text), text, "government body", None, "GOV"), evidence, "ORG")
    elif _misread_person(entity):
        read_person(state, doc, offset, entity)
    else:
        state.add(Actor("org:" + slug(text), text, "organization", None, None), evidence, "ORG")


def _misread_person(entity: Span) -> bool:
    """An ORG entity that is a person's name the model misread ("Kazakh President Kassym-Jomart
    Tokayev": hyphenated given names confuse it): two or more capitalised words, none an
    ordinary English word (unless a known given name), right after a title of office."""
    words = [t for t in entity if t.text != "-"]
    return (len(entity.text.replace("-", " ").split()) >= 2 and title_before(entity) is not None
            and all(t.is_title and (not gazetteer.is_common_word(t.text) or gazetteer.is_given_name(t.text)) for t in words))


def _body_sector(entity: Span) -> str:
    """A government body's sector from the agent dictionary's reading of its head word ("Army"
    → MIL, "Police" → COP), GOV when the dictionary has none."""
    for token in reversed(entity):
        if token.lower_ in GOVERNMENT_BODY_WORDS or gazetteer.agent_sector(token.text):
            return gazetteer.agent_sector(token.text) or "GOV"
    return "GOV"


def _strip_article(text: str) -> str:
    return text[4:] if text[:4].lower() == "the " else text


def _strip_possessive(text: str) -> str:
    for mark in ("’s", "'s", "’", "'"):
        if text.endswith(mark):
            return text[: -len(mark)]
    return text


def _country_in_name(entity: Span) -> str | None:
    """The country an organisation belongs to, from its own words or a possessive before it:
    "Afghan Embassy in Kazakhstan" → AFG (the first country word), "Pakistan's Ministry of
    Railways" → PAK, "the Taliban's Ministry" → AFG."""
    doc = entity.doc
    if entity.start >= 2 and doc[entity.start - 1].tag_ == "POS":
        owner = doc[entity.start - 2]
        owner_span = next((e for e in doc.ents if e.start <= owner.i < e.end), doc[owner.i:owner.i + 1])
        found = _country_word(owner_span.text) or _regime_country(owner_span.text)
        if found:
            return found
    for token in entity:
        if token.is_title or token.is_upper:
            found = _country_word(token.text) or _regime_country(token.text)
            if found:
                return found
    return None


def _regime_country(text: str) -> str | None:
    regime = regime_for(text, None)
    return regime.country if regime else None


# --- people ------------------------------------------------------------------------------------


def person_spans(doc: Doc) -> list[Span]:
    """PERSON entities cleaned up (titles misread as names and demonyms dropped, a name cut
    short extended to its last capitalised word), plus names the model missed that stand right
    after a title of office ("Minister of National Economy Serik Zhumangarin")."""
    spans: list[Span] = []
    for entity in doc.ents:
        if entity.label_ != "PERSON" or misread_title(entity) or _country_word(entity.text):
            continue
        start, end = entity.start, entity.end
        while end < len(doc) and _name_token(doc[end]) and not doc[end].ent_type_:
            end += 1
        # "Transport Zhanibek Taizhanov": the end of a title read into the name
        while end - start > 2 and gazetteer.is_common_word(doc[start].text) and not gazetteer.is_given_name(doc[start].text):
            start += 1
        spans.append(doc[start:end])
    taken = {i for span in spans for i in range(span.start, span.end)}
    for token in doc:
        if not is_head(token) or not token.is_title:
            continue
        name = _name_after_title(doc, token.i)
        if name is not None and not taken & set(range(name.start, name.end)):
            spans.append(name)
            taken.update(range(name.start, name.end))
    return sorted(spans, key=lambda s: s.start)


def _name_token(token: Token) -> bool:
    return token.is_title and token.pos_ == "PROPN" and token.lower_ not in TITLE_HEADS and not token.is_stop


def _name_after_title(doc: Doc, head: int) -> Span | None:
    """Two to four capitalised proper nouns after a title phrase, before a verb or punctuation."""
    i = head + 1
    # walk over the rest of the title phrase ("of National Economy")
    while i < len(doc) and (doc[i].lower_ in {"of", "for", "and", "the", "at"} or (doc[i].is_title and doc[i].ent_type_ in ("", "ORG", "NORP") and not _name_token(doc[i]))):
        i += 1
    # "of National Economy Serik X": the title's own words are ordinary English words, the name
    # starts at the first word that is not one (or is a known given name)
    while i < len(doc) and doc[i].is_title and gazetteer.is_common_word(doc[i].text) and not gazetteer.is_given_name(doc[i].text):
        i += 1
    start = i
    while i < len(doc) and _name_token(doc[i]) and doc[i].ent_type_ not in ("GPE", "NORP", "ORG", "DATE"):
        i += 1
    if 2 <= i - start <= 4 and (i == len(doc) or not doc[i].is_title):
        return doc[start:i]
    return None


def read_person(state: ArticleActors, doc: Doc, offset: int, name: Span) -> str | None:
    """A person mention: a full name, or a surname resolved to a full name seen before."""
    text = name.text
    words = text.split()
    evidence = state.evidence(doc, offset, name.start_char, name.end_char)
    if len(words) == 1:
        person_id = state.surnames.get(text.casefold())
        if person_id is not None:
            state.add(state.actors[person_id], evidence, "PERSON")
            state.last_person = person_id
            return person_id
        if "-" not in text and title_before(name) is None and title_after(name) is None:
            return None  # a lone surname never seen in full, with no title: abstain

    entries = gazetteer.actor_entries(text)
    window = entries[0].role_on(state.published) if entries else None
    canonical = entries[0].name if entries else text
    person = Actor("person:" + slug(canonical), canonical, "person", window.country if window else None,
                   window.sector if window else None)
    person_id = state.add(person, evidence, "PERSON")
    state.surnames[words[-1].casefold()] = person_id
    state.last_person = person_id
    for role in _roles_around(state, doc, offset, name):
        state.add_role(person_id, role)
    return person_id


def _roles_around(state: ArticleActors, doc: Doc, offset: int, name: Span) -> list[Role]:
    roles = []
    after_country = _of_country_after(name)
    for found in (title_before(name), title_after(name)):
        if found is None:
            continue
        owners = [_country_word(text) or _regime_country(text) for _, _, text in found.country_words]
        for start, stated in split_titles(found.text):
            stated_start = found.start_char + start
            title, country, _ = _title_country(stated, stated_start)
            country = country or next((c for c in owners if c), None) or after_country
            if not title or not any(is_head_word(w) for w in title.split()):
                continue
            # the evidence is the words as stated; the title is them less the country they name
            evidence = state.evidence(doc, offset, stated_start, stated_start + len(stated))
            roles.append(Role(title, evidence, country=country))
    return roles


def is_head_word(word: str) -> bool:
    word = word.lower().strip(",.()")
    return word in TITLE_HEADS or word.split("-")[0] in TITLE_HEADS


def _title_country(title: str, start: int) -> tuple[str, str | None, int]:
    """Move the country out of a title: a leading demonym ("Kazakh Special Representative"),
    "of Kazakhstan" or "of the Islamic Emirate of Afghanistan (IEA)" ("acting ambassador of ...
    in Astana" → "acting ambassador in Astana"). A country after "for" or "to" is the post's
    remit or host ("Ambassador to Pakistan"), not the holder's country, and stays. "of the
    President of Kazakhstan" inside a title names the country but stays part of the title."""
    words = title.split(" ", 1)
    if len(words) == 2 and _country_word(words[0]) and not is_head_word(words[0]):
        return words[1], _country_word(words[0]), start + len(words[0]) + 1
    for match in _OF_NAME.finditer(title):
        name = match.group("name")
        country = _state_country(name)
        inner = _state_country(name.rsplit(" of ", 1)[-1]) if country is None and " of " in name else None
        if inner is not None:
            return title, inner, start  # "Special Representative of the President of Kazakhstan for ..."
        if country is None:
            continue
        before = title[:match.start()]
        if _ends_with_head(before):
            # "acting ambassador of the Islamic Emirate of Afghanistan (IEA) in Astana"
            return (before + title[match.end():]).strip(), country, start
        return title, country, start
    return title, None, start


_OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?(?P<name>[A-Z][\w’'\-]*(?:\s+(?:of\s+)?[A-Z][\w’'\-]*)*)(?:\s*\([A-Z]{2,6}\))?")


def _state_country(name: str) -> str | None:
    """The country a state or regime name stands for ("Kazakhstan", "the Islamic Emirate of
    Afghanistan"), or None for other names ("the Ministry of Foreign Affairs")."""
    if gazetteer.is_country_name(name):
        return _country_word(name)
    regime = regime_for(name, None)
    return regime.country if regime else None


def _ends_with_head(text: str) -> bool:
    words = text.split()
    return bool(words) and is_head_word(words[-1])


def _of_country_after(name: Span) -> str | None:
    """ "President X of Kazakhstan" """
    doc = name.doc
    if name.end + 1 < len(doc) and doc[name.end].lower_ == "of":
        entity = next((e for e in doc.ents if e.start == name.end + 1), None)
        if entity is not None:
            return _country_word(entity.text)
    return None


# --- tenures ------------------------------------------------------------------------------------

_APPOINTED = re.compile(r"\b(?:was|were|has been|had been)\s+(?:recently\s+)?(?:appointed|named|nominated)\s+(?:as\s+)?(?P<title>.+?)\s+in\s+(?P<when>(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}|\d{4})\b")
_PAST_ROLE = re.compile(r"\b(?:served as|previously headed|formerly headed|previously served as|was previously|was formerly|had served as)\s+(?P<title>[^,.;]+)")
_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"], start=1)}


def read_tenures(state: ArticleActors, doc: Doc, offset: int) -> None:
    """Role periods the text states: "X was appointed Title in June 2025" (since), and "Prior to
    this, he served as Title" / "previously headed Body" (until the appointment that followed).
    The evidence of a role is the words that state it."""
    for sentence in doc.sents:
        person = _sentence_person(state, sentence, offset)
        if person is None:
            continue
        text, base = sentence.text, sentence.start_char
        for match in _APPOINTED.finditer(text):
            when = _iso_month(match.group("when"))
            stated = match.group("title").strip()
            title, country, _ = _title_country(stated, 0)
            evidence = state.evidence(doc, offset, base + match.start("title"), base + match.start("title") + len(stated))
            state.add_role(person, Role(title, evidence, country=country, since=when))
        for match in _PAST_ROLE.finditer(text):
            stated = _trim_title(match.group("title").strip())
            title, country, _ = _title_country(_possessive_free(stated), 0)
            if "headed" in match.group(0):
                title = "head of " + title
            latest = max((r.since for r in state.actors[person].roles if r.since), default=None)
            start = base + match.start("title")
            evidence = state.evidence(doc, offset, start, start + len(stated))
            state.add_role(person, Role(title, evidence, country=country or _possessive_country(stated), until=latest))


def _sentence_person(state: ArticleActors, sentence: Span, offset: int) -> str | None:
    """The person a role sentence is about: a named person in it, or the last one named when the
    sentence speaks of "he"/"she"."""
    start, end = offset + sentence.start_char, offset + sentence.end_char
    for mention in reversed(state.mentions):
        if mention.label == "PERSON" and start <= mention.evidence.start < end:
            return mention.ref
    if any(t.lower_ in PRONOUNS for t in sentence):
        return state.last_person
    return None


def _iso_month(text: str) -> str:
    parts = text.split()
    if len(parts) == 2:
        return f"{parts[1]}-{_MONTHS[parts[0].lower()]:02d}"
    return parts[0]


_POSSESSIVE = re.compile(r"^(?:the\s+)?([A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)*)[’']s\s+")


def _possessive_free(title: str) -> str:
    return _POSSESSIVE.sub("", title)


def _possessive_country(title: str) -> str | None:
    match = _POSSESSIVE.match(title)
    return (_country_word(match.group(1)) or _regime_country(match.group(1))) if match else None


def _trim_title(title: str) -> str:
    """Cut a title where the prose around it takes over ("... Studies under the president")."""
    return re.split(r"\s+(?:under|where|who|which|since|until|before|after|from)\s+", title, maxsplit=1)[0]


# --- the article's home government ------------------------------------------------------------


def assign_home_country(state: ArticleActors) -> None:
    """People who hold a government title but whose country the text does not state ("Vice
    Minister of Transport X" in a report on one government's meeting) take the country whose
    government the article speaks of most — only when one country clearly leads (more government
    mentions than any other). The role itself keeps no country: that is not stated."""
    counts: dict[str, int] = {}
    for mention in state.mentions:
        actor = state.actors.get(mention.ref or "")
        if actor is not None and actor.country and (actor.sector == "GOV" or actor.kind == "person"):
            counts[actor.country] = counts.get(actor.country, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return
    home = ranked[0][0]
    state.home = home
    for actor_id, actor in list(state.actors.items()):
        if actor.kind == "person" and actor.country is None and any(is_head_word(w) for r in actor.roles for w in r.title.split()):
            state.actors[actor_id] = replace(actor, country=home)


SUBJECT_PRONOUNS = frozenset({"he", "she"})


def sentence_subject_pronouns(doc: Doc) -> list[Token]:
    """"He"/"She" opening a sentence as its subject."""
    return [s[0] for s in doc.sents if s[0].lower_ in SUBJECT_PRONOUNS and s[0].dep_.startswith("nsubj")]


def read_pronoun(state: ArticleActors, doc: Doc, offset: int, pronoun: Token) -> None:
    """A sentence opening with "He"/"She" as its subject speaks of the person last named in the
    article (often in an earlier paragraph): the pronoun becomes a mention of that person."""
    if state.last_person:
        evidence = state.evidence(doc, offset, pronoun.idx, pronoun.idx + len(pronoun.text))
        state.mentions.append(Mention("PRON", evidence, state.last_person))


# --- generic agents ------------------------------------------------------------------------------

# Sectors a bare agent noun may stand for as an actor ("gunmen", "protesters", "police"); nouns
# of too general a reading ("states", "people", "officials" with no country) are left out.
GENERIC_SECTORS = frozenset({"MIL", "COP", "REB", "UAF", "CVL", "CRM", "LAB", "AGR", "EDU", "REF", "JRN", "MED",
                             "LEG", "JUD", "SPY", "BUS", "NGO"})
PARTICIPANT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos"})
_PARTICIPANT_DEP_IDS = np.array([get_string_id(label) for label in PARTICIPANT_DEPS], dtype=np.uint64)


def generic_agents(doc: Doc) -> list[Token]:
    """Agent nouns acting as participants with no name of their own ("gunmen attacked",
    "police arrested", "protesters"), not already read with a demonym or a name."""
    found = []
    if not len(doc):
        return found
    # The candidates picked from the doc's arrays: a Token object per word costs more than the test
    pos, entity, dep = doc.to_array([POS, ENT_TYPE, DEP]).T
    for i in np.flatnonzero((pos == NOUN) & (entity == 0) & np.isin(dep, _PARTICIPANT_DEP_IDS)).tolist():
        token = doc[i]
        if any(child.ent_type_ in ("NORP", "GPE", "ORG", "PERSON") for child in token.lefts):
            continue  # "Israeli troops": the demonym path reads it with its country
        if (gazetteer.agent_sector(token.text) or gazetteer.agent_sector(token.lemma_)) in GENERIC_SECTORS:
            found.append(token)
    return found


def read_generic_agent(state: ArticleActors, doc: Doc, offset: int, noun: Token) -> None:
    """A generic agent as an actor: its sector from the agent dictionary, its country from a
    place it is "in" or "from" ("protesters in Baghdad"), else unknown (id ``---`` + sector, as
    CAMEO writes an actor of unknown country)."""
    sector = gazetteer.agent_sector(noun.text) or gazetteer.agent_sector(noun.lemma_)
    country = None
    for prep in (c for c in noun.rights if c.dep_ == "prep" and c.lower_ in ("in", "from", "of")):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            entity = next((e for e in doc.ents if e.start <= obj.i < e.end), None)
            if entity is not None:
                place = gazetteer.place(entity.text)
                country = _country_word(entity.text) or (place.country if place else None)
    start = min(t.idx for t in noun.subtree if t.i <= noun.i and t.dep_ in ("amod", "compound") or t.i == noun.i)
    evidence = state.evidence(doc, offset, start, noun.idx + len(noun.text))
    if country:
        state.add(sector_actor(country, sector), evidence, "AGENT")
    else:
        state.add(Actor(f"---{sector}", f"{noun.lemma_} (country unknown)", "collective", None, sector), evidence, "AGENT")
