"""Cross-article identity of events: reports of one real-world event, from several articles or
repeated in one, become one cluster; a planned event is linked to the report that fulfils it.

Four named steps, as in dedupe:

1. **block**: each event gets keys (``block_keys``): its type, an unordered pair of participant
   countries and a month its date can fall in; and its type within its own article. Undated and
   year-less events form a block of their own kind: each is compared with every event of its
   type and pair. Cost grows with the size of blocks (and the number of undated events), not
   with the square of the corpus.
2. **pairs**: every two events of a block, once (``candidate_pairs``).
3. **score** (``score_pair``, rule ``same-event.v1``): two reports from different articles are
   scored only when something says they may be one event (``identity``: a participant in common
   other than a country, both countries of a pair, the same stated day, or two people named in
   both articles), and never across a
   hard rule: another type, another kind of status (planned vs occurred), dates the text
   states that cannot be the same day, the same sentence (the extractor already joins what one
   sentence says twice), or a merge an analyst undid. The score is a weighted sum of
   participant overlap (resolved actor ids; a country and its government count as one), date
   agreement, trigger words and sentence words, less penalties for different places, modes or
   people.
4. **cluster** (``cluster_events``): pairs at or above the threshold are joined strongest first;
   two groups are joined only when no pair across them breaks a hard rule, so a chain of
   similar reports cannot join two different days. Ties are broken by ids, so the result does
   not depend on input order.

Planned and occurred reports are never merged; ``link_fulfilments`` links a planned cluster to the
earliest later cluster of the same act between the same parties (rule ``fulfils.v1``).
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations

from rapidfuzz import fuzz

from dyad.plans import FULFILLED_BY
from dyad.resolve.dates import DateSpan, compatible, months, read_date

RULE = "same-event.v1"
LINK_RULE = "fulfils.v1"

# Weights of the features (summing to 1) and the merge threshold: a grid search for the best
# CoNLL F1 on the ECB+ *training* topics (`benchmarks/event_coref.py --tune`; the dev topics are
# only for the reported score). The best, 71.5, had a threshold below the trigger's weight, so
# that one shared word merged; this one, 71.4, is the best where it cannot.
WEIGHTS = {"participants": 0.10, "trigger": 0.45, "date": 0.15, "sentence": 0.30}
THRESHOLD = 0.50
# Judgement, not measured (ECB+ marks no event places and no PLOVER modes): two places, or two
# modes, both known and different speak against one event (a meeting in Kabul and one in Astana).
PLACE_PENALTY = 0.10
MODE_PENALTY = 0.10
# Also judgement: both reports name people and none in common (one president condemned, another
# did): two acts. Not measured on ECB+, whose participants are names without kinds.
PEOPLE_PENALTY = 0.10
# A fulfilment may come late: up to this long after the end of the planned date.
FULFIL_WITHIN = timedelta(days=365)

# Statuses whose reports may be one event; a continuing activity is not one of its occurrences.
STATUS_GROUP = {"occurred": "realis", "ongoing": "ongoing", "planned": "irrealis", "proposed": "irrealis",
                "denied": "denied", "hypothetical": "hypothetical"}

_WORD = re.compile(r"[^\W\d_]{3,}")
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "s", "e")
# Words that carry no identity of an act: support verbs ("held talks", "paid a visit") and filler.
_LIGHT = frozenset("""a an the of on in at to for with and or by from into about over its their his her this that
    these those have has had hold holds held holding pay pays paid make makes made take takes took give gives gave
    series first new was were been being are is will would said says also
    monday tuesday wednesday thursday friday saturday sunday""".split())


@dataclass(frozen=True, slots=True)
class EventFeatures:
    """What the rule compares of one event. ``participants``: resolved actor ids (a country or
    its government as the country code); ``countries``: each participant's country, or its id
    when it has none; ``sentence_key`` tells apart two sentences of one article."""

    id: str
    article_id: str
    type: str
    status: str
    date: DateSpan | None = None
    participants: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    place: str | None = None
    mode: str | None = None
    trigger: str = ""
    sentence: str = ""
    sentence_key: int = -1
    confidence: float = 0.5
    precision: int = 0  # how precisely the date is known: 3 stated day ... 0 none (representative choice)
    article_actors: frozenset[str] = frozenset()  # people and organisations its article names anywhere


@dataclass(frozen=True, slots=True)
class PairScore:
    a: str
    b: str
    score: float
    evidence: dict = field(compare=False)


_NO_EVIDENCE: dict = {}  # shared by the scores held for clustering only (never written to)


@dataclass(frozen=True, slots=True)
class Link:
    planned: str   # cluster id
    fulfilled_by: str
    score: float
    evidence: dict = field(compare=False)


# --- 1. block ------------------------------------------------------------------------------------


def _pairs_of(countries: frozenset[str]) -> list[str]:
    """Unordered pairs of an event's countries (one country alone when it has one). An event
    with no participant has none: it is compared within its article only."""
    ordered = sorted(countries)
    if len(ordered) < 2:
        return ordered
    return [f"{a}+{b}" for a, b in combinations(ordered, 2)]


def _dated(event: EventFeatures) -> bool:
    return event.date is not None and event.date.first is not None


def block_keys(event: EventFeatures) -> set[tuple[str, ...]]:
    """The blocks an event is compared in: its article and type; its type, a pair of its
    countries and each month its date can fall in. An event without a year (undated, or a
    year-less day) has no months: it is compared with every event of its type and pair
    (``probe_keys``), a block of its own kind, so its cost grows with such events only."""
    keys = {("article", event.article_id, event.type)}
    if _dated(event):
        for pair in _pairs_of(event.countries):
            keys.update((event.type, pair, month) for month in months(event.date))
    return keys


def probe_keys(event: EventFeatures) -> set[tuple[str, str]]:
    return {(event.type, pair) for pair in _pairs_of(event.countries)}


# --- 2. pairs ------------------------------------------------------------------------------------


def candidate_pairs(events: Iterable[EventFeatures]) -> Iterator[tuple[EventFeatures, EventFeatures]]:
    """Every two events that share a block, and every event without a year with each event of
    its type and pair; each pair once (from the first block the two share, so no record of the
    pairs is kept: many copies of one report make many pairs), ordered by ids within the pair."""
    blocks: dict[tuple[str, ...], list[EventFeatures]] = defaultdict(list)
    by_pair: dict[tuple[str, str], list[EventFeatures]] = defaultdict(list)
    keys: dict[str, set[tuple[str, ...]]] = {}
    probes: dict[str, set[tuple[str, str]]] = {}
    for event in events:
        keys[event.id], probes[event.id] = block_keys(event), probe_keys(event)
        for key in keys[event.id]:
            blocks[key].append(event)
        for key in probes[event.id]:
            by_pair[key].append(event)
    for key, members in blocks.items():
        for a, b in combinations(members, 2):
            if min(keys[a.id] & keys[b.id]) == key:
                yield _by_id(a, b)
    for key, members in by_pair.items():
        for probe in (e for e in members if not _dated(e)):
            for other in members:
                if other.id == probe.id or keys[probe.id] & keys[other.id]:
                    continue  # the same event, or a pair its block gave
                if not _dated(other) and other.id < probe.id:
                    continue  # two events without a year: the pair comes from the other's side
                if min(probes[probe.id] & probes[other.id]) == key:
                    yield _by_id(probe, other)


def _by_id(a: EventFeatures, b: EventFeatures) -> tuple[EventFeatures, EventFeatures]:
    return (a, b) if a.id < b.id else (b, a)


# --- 3. score ------------------------------------------------------------------------------------


def _stem(word: str) -> str:
    word = word.casefold()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> list[str]:
    """Stems of the words that say what happened, without support verbs and filler."""
    return [_stem(w) for w in _WORD.findall(text) if w.casefold() not in _LIGHT]


# An event is in many pairs: its texts' words are read once, not once per pair (bounded caches)
@lru_cache(maxsize=1 << 16)
def _word_set(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


@lru_cache(maxsize=1 << 16)
def _word_line(text: str) -> str:
    return " ".join(content_words(text))


def _trigger_similarity(a: str, b: str) -> float:
    words_a, words_b = _word_set(a), _word_set(b)
    if not words_a or not words_b:
        return 0.0
    if words_a & words_b:
        return 1.0
    # "met" and "meet": irregular forms the suffix rule leaves apart, at most partial credit
    best = max(fuzz.ratio(x, y) for x in words_a for y in words_b) / 100
    return 0.5 * best if best >= 0.8 else 0.0


def _participant_agreement(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller side's participants found in the other, counted in full only when
    at least two are shared: one shared name (the same minister speaking twice) says less."""
    if not a or not b:
        return 0.5  # unknown: neither for nor against
    shared = len(a & b)
    return shared / min(len(a), len(b)) * min(1.0, shared / 2)


def _people(event: EventFeatures) -> frozenset[str]:
    return frozenset(p for p in event.participants if p.startswith("person:"))


def forbidden(a: EventFeatures, b: EventFeatures) -> str | None:
    """The hard rule that forbids merging two events, if any."""
    if a.type != b.type:
        return "different type"
    if STATUS_GROUP.get(a.status, a.status) != STATUS_GROUP.get(b.status, b.status):
        return "planned and occurred are linked, not merged"
    if a.article_id == b.article_id and a.sentence_key == b.sentence_key:
        return "same sentence"
    if a.date and b.date and a.date.firm and b.date.firm and not compatible(a.date, b.date):
        return "dates cannot be the same day"
    return None


def _date_agreement(a: DateSpan | None, b: DateSpan | None) -> float:
    if a is None or b is None or a.from_publication or b.from_publication:
        return 0.25  # unknown: neither for nor against
    if a.stated and b.stated:
        return 1.0  # compatible stated days are the same day
    return 0.5


def identity(a: EventFeatures, b: EventFeatures) -> str | None:
    """What says two reports may be of one event, not just of one kind of act: one article, a
    participant in common other than a country, both countries of a pair, the same stated day,
    or articles that name at least two of the same people or organisations (one story). Without
    it, two reports from different articles are not compared: "killed" and "the United States"
    alone do not make two killings one."""
    if a.article_id == b.article_id:
        return "same article"
    if (a.participants & b.participants) - a.countries - b.countries:
        return "shared participant"
    if len(a.countries & b.countries) >= 2:
        return "same pair of countries"
    if a.date and b.date and a.date.stated and b.date.stated and compatible(a.date, b.date):
        return "same day"
    if len(a.article_actors & b.article_actors) >= 2:
        return "articles name the same people"
    return None


def score_pair(a: EventFeatures, b: EventFeatures) -> PairScore | None:
    """The rule on two events; None when a hard rule forbids the merge or nothing says they
    may be one event (``identity``). Symmetric."""
    if b.id < a.id:
        a, b = b, a
    if forbidden(a, b) or not (basis := identity(a, b)):
        return None
    features = {
        "participants": _participant_agreement(a.participants, b.participants),
        "trigger": _trigger_similarity(a.trigger, b.trigger),
        "date": _date_agreement(a.date, b.date),
        "sentence": fuzz.token_set_ratio(_word_line(a.sentence), _word_line(b.sentence)) / 100,
    }
    total = sum(WEIGHTS[name] * value for name, value in features.items())
    people_a, people_b = _people(a), _people(b)
    penalties = {"place": PLACE_PENALTY if a.place and b.place and a.place != b.place else 0.0,
                 "mode": MODE_PENALTY if a.mode and b.mode and a.mode != b.mode else 0.0,
                 "people": PEOPLE_PENALTY if people_a and people_b and not people_a & people_b else 0.0}
    total -= sum(penalties.values())
    evidence = {"rule": RULE, "identity": basis, **{name: round(value, 3) for name, value in features.items()},
                **{f"{name}_penalty": value for name, value in penalties.items() if value},
                "shared_participants": sorted(a.participants & b.participants),
                "triggers": [a.trigger, b.trigger], "places": [a.place, b.place]}
    return PairScore(a.id, b.id, round(total, 6), evidence)


# --- 4. cluster ----------------------------------------------------------------------------------


def cluster_events(events: list[EventFeatures], scores: Iterable[PairScore],
                   undone: frozenset[tuple[str, str]] = frozenset(),
                   threshold: float = THRESHOLD) -> tuple[dict[str, str], list[PairScore]]:
    """Join pairs at or above ``threshold``, strongest first (ties by ids), never across a hard
    rule or a pair an analyst undid. Returns each event's cluster id (its representative's id)
    and the pairs that joined two groups (the merges to record)."""
    by_id = {e.id: e for e in events}
    group = {e.id: [e.id] for e in events}
    owner = {e.id: e.id for e in events}
    joined = []
    for pair in sorted((s for s in scores if s.score >= threshold), key=lambda s: (-s.score, s.a, s.b)):
        left, right = owner[pair.a], owner[pair.b]
        if left == right or not _may_join(group[left], group[right], by_id, undone):
            continue
        if len(group[left]) < len(group[right]) or (len(group[left]) == len(group[right]) and right < left):
            left, right = right, left
        for member in group.pop(right):
            owner[member] = left
            group[left].append(member)
        joined.append(pair)
    clusters = {}
    for members in group.values():
        head = representative([by_id[m] for m in members])
        clusters.update({m: head.id for m in members})
    return clusters, joined


def _may_join(left: list[str], right: list[str], by_id: dict[str, EventFeatures], undone: frozenset[tuple[str, str]]) -> bool:
    for x in left:
        for y in right:
            if (x, y) in undone or (y, x) in undone or forbidden(by_id[x], by_id[y]):
                return False
    return True


def representative(members: list[EventFeatures]) -> EventFeatures:
    """The member that speaks for a cluster: the most precisely dated, then the most
    participants, then the most confident; the smallest id on a tie."""
    return min(members, key=lambda e: (-e.precision, -len(e.participants), -e.confidence, e.id))


# --- planned → fulfilled ---------------------------------------------------------------------------


def link_fulfilments(events: list[EventFeatures], clusters: dict[str, str], threshold: float = THRESHOLD) -> list[Link]:
    """For each planned cluster, the earliest later occurred cluster of the same type (or of a type
    ``FULFILLED_BY`` names) between the same parties that the rule scores at or above ``threshold``. Later: on or after the planned
    date's start (for a plan the text does not date, its report), at most ``FULFIL_WITHIN``
    after its end."""
    occurred: dict[tuple[str, str, int], list[EventFeatures]] = defaultdict(list)
    for event in events:
        if event.status == "occurred" and _when(event):
            for pair in _pairs_of(event.countries):
                occurred[(event.type, pair, _when(event).year)].append(event)
    best: dict[str, tuple] = {}
    for plan in events:
        if STATUS_GROUP.get(plan.status) != "irrealis" or not _when(plan):
            continue
        first, last = _when(plan), plan.date.last + FULFIL_WITHIN
        as_act = {kind: plan_as_occurred(plan, kind) for kind in FULFILLED_BY.get(plan.type, (plan.type,))}
        candidates = ((pair, year, kind) for pair in _pairs_of(plan.countries)
                      for year in range(first.year, last.year + 1) for kind in as_act)
        for pair, year, kind in candidates:
            for done in occurred.get((kind, pair, year), []):
                scored = score_pair(as_act[kind], done) if first <= _when(done) <= last else None
                if scored is None or scored.score < threshold:
                    continue
                rank = (_when(done), -scored.score, done.id)
                if clusters[plan.id] not in best or rank < best[clusters[plan.id]][0]:
                    best[clusters[plan.id]] = (rank, clusters[done.id], scored)
    return [Link(planned, done, scored.score, {**scored.evidence, "rule": LINK_RULE})
            for planned, (_, done, scored) in sorted(best.items())]


def _when(event: EventFeatures) -> date | None:
    """The first day an event can be on: its date's start, or its report's day when the text
    gives no date; None when undated or year-less."""
    if event.date is None or event.date.first is None:
        return None
    return event.date.reported or event.date.first


def plan_as_occurred(plan: EventFeatures, event_type: str | None = None) -> EventFeatures:
    """A planned event compared as if it had happened (as an act of ``event_type``: see
    ``FULFILLED_BY``), undated (its date was checked already) and in no sentence (a plan and its
    fulfilment may be told in one)."""
    return replace(plan, status="occurred", date=None, article_id="", type=event_type or plan.type)


# --- the store -----------------------------------------------------------------------------------

_PRECISION = {"day": 3, "month": 2, "year": 1}
# A country, its government and its sector groups ("Afghan students") are compared as the country;
# a group with no country ("a spokesman", "protesters") identifies nothing and is left out.
_COUNTRY_KINDS = frozenset({"country", "government", "collective"})


def load_features(db: sqlite3.Connection) -> list[EventFeatures]:
    """The events of current article versions, with participants resolved through actor merges."""
    from dyad.store.extraction import resolved_id

    actors = {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, kind, country FROM actors")}
    parties: dict[str, list[str]] = defaultdict(list)
    for event_id, actor_id in db.execute("SELECT event_id, actor_id FROM event_participants ORDER BY event_id, role, seq"):
        parties[event_id].append(resolved_id(db, actor_id))
    named: dict[str, set[str]] = defaultdict(set)
    for article_id, actor_id in db.execute("SELECT DISTINCT article_id, actor_id FROM actor_mentions"):
        if actors.get(actor_id, (None,))[0] not in _COUNTRY_KINDS:
            named[article_id].add(resolved_id(db, actor_id))
    article_actors = {article_id: frozenset(ids) for article_id, ids in named.items()}  # one set per article
    features = []
    for row in db.execute(
            "SELECT e.id, e.article_id, e.type, e.status, e.mode, e.confidence, e.date_value, e.date_granularity,"
            " e.date_basis, e.place_id, e.sentence_start, e.sentence_quote, e.trigger_quote"
            " FROM events e JOIN current_articles a ON a.id = e.article_id ORDER BY e.id"):
        known = [(i, *actors.get(i, (None, None))) for i in parties.get(row[0], [])]
        known = [(i, kind, country) for i, kind, country in known if country or kind != "collective"]
        participants = frozenset(country if kind in _COUNTRY_KINDS and country else i for i, kind, country in known)
        countries = frozenset(country or i for i, _, country in known)
        span = read_date(row[6], row[7], row[8])
        precision = 0 if span is None or span.from_publication else _PRECISION.get(row[7], 0)
        features.append(EventFeatures(
            id=row[0], article_id=row[1], type=row[2], status=row[3], date=span, participants=participants,
            countries=countries, place=row[9], mode=row[4], trigger=row[12], sentence=row[11], sentence_key=row[10],
            confidence=row[5], precision=precision, article_actors=article_actors.get(row[1], frozenset())))
    return features


def resolve_events(db: sqlite3.Connection) -> dict[str, str]:
    """Cluster the store's events and link plans to their fulfilment (inside the caller's
    transaction); returns each event's cluster id."""
    from dyad.store.resolution import undone_pairs, write_event_resolution

    events = load_features(db)
    # Streamed (clustering keeps the scores at or above the threshold only) and held without their
    # evidence: many copies of one report make many pairs. The merges recorded are scored again.
    scores = (PairScore(s.a, s.b, s.score, _NO_EVIDENCE) for a, b in candidate_pairs(events)
              if (s := score_pair(a, b)) is not None)
    clusters, joined = cluster_events(events, scores, undone_pairs(db, "event"))
    by_id = {e.id: e for e in events}
    joined = [score_pair(by_id[pair.a], by_id[pair.b]) for pair in joined]
    write_event_resolution(db, clusters, joined, link_fulfilments(events, clusters))
    return clusters
