"""Named projects and initiatives (railways, pipelines, corridors, power lines, programmes...) as
entities of their own: found in article text, their names linked across articles, with what
each article says of their progress.

1. **find** (``find_mentions``): a name followed by a project noun. The name is a chain of place
   names joined by dashes ("A – B – C railway"), or capitalised words and acronyms ("XYZ gas
   pipeline", "Belt and Road Initiative"), not a bare country name or demonym ("Afghan railway"
   is a description, not a name). The places a mention names, or lists in a clause after it
   ("..., connecting A, B and C"), are the extractor's resolved places in those spans; countries
   are left out (a country says little about which railway).
2. **status** (``find_updates``): what the sentence says of the project's progress, right after
   the mention ("is progressing according to plan": in progress) or before it ("the planned
   construction of"): planned, in progress, delayed or completed, with the words that say so.
3. **link**: one id per normalised name; two names are one project when they are of the same
   kind and name at least two of the same places, at least half of all their places (rule
   ``same-places.v1``: "the railway connecting A, B, C and D" = "the A–B–C–D railway"; blocks:
   kind and place), or are two spellings of one name (``near-name.v1``: at most 2 edits, the
   same numbers; blocks: kind and first letter). Recorded as reversible merges, like people's.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz.distance import Levenshtein

from dyad.extract.gazetteer import country_by_name, is_common_word, normalise_name

SCANNER = "dyad.projects.v1"
RULE = "same-places.v1"
NAME_RULE = "near-name.v1"
MIN_SHARED_PLACES = 2
MIN_PLACE_OVERLAP = 0.5  # shared places / all places of the two names
# Two spellings of one name ("Recognised"/"Recognized"): at most this many edits, in names long
# enough for that to be a spelling and not another name (one edit in 20 characters: "TAPI
# pipeline" and "TUPI pipeline" stay apart), with the same numbers ("Route 1"/"Route 2").
MAX_NAME_EDITS = 2
MIN_NAME_SIMILARITY = 0.95

# Project nouns and the kind of project each names; a modifier before the head noun may say more
# than the head ("X railway project" is a railway).
KINDS = {
    "railway": "railway", "railways": "railway", "railroad": "railway", "rail": "railway",
    "pipeline": "pipeline", "gas pipeline": "pipeline", "oil pipeline": "pipeline",
    "highway": "road", "motorway": "road", "road": "road", "expressway": "road",
    "power line": "power line", "transmission line": "power line", "power project": "power line",
    "corridor": "corridor", "dam": "dam", "port": "port", "bridge": "bridge", "tunnel": "tunnel",
    "canal": "canal", "airport": "airport",
    "project": "project", "programme": "programme", "program": "programme", "initiative": "initiative",
}
GENERIC = frozenset({"project", "programme", "initiative"})
# Words that may stand between a name and its project noun ("X transport corridor").
MODIFIERS = ("transport", "transit", "trade", "economic", "energy", "hydropower", "water", "irrigation", "construction",
             "infrastructure", "development", "connectivity", "railroad", "gas", "oil", "power")
_NOUN = "|".join(sorted((re.escape(k) for k in KINDS), key=len, reverse=True))
_MODIFIER = "|".join(MODIFIERS)
_WORD = r"[A-Z][\w’']*(?:[.-]\w+)*"  # no trailing full stop: a name does not run on past a sentence
_SEQ = rf"{_WORD}(?:\s+(?:and\s+)?{_WORD})*"
_CHAIN = rf"{_SEQ}(?:\s*[–—-]\s*{_SEQ})+"
# The noun ends the name: "California Highway Patrol" is not a highway.
_MENTION = re.compile(rf"(?P<name>{_CHAIN}|{_SEQ})\s+(?P<noun>(?i:(?:(?:{_NOUN}|{_MODIFIER})\s+){{0,2}}(?:{_NOUN})))\b"
                      r"(?!\s+[A-Z])")
_CHAIN_DASH = re.compile(r"\s*[–—]\s*|\s+-\s+")  # between names; not the hyphen of "Trans-Afghan", "CASA-1000"
_LEADING = re.compile(r"^(?:The|A|An|This|That|These|Its|Their|Our|His|Her)\s+")
# A clause after the name that lists the places it joins; it ends at a verb of the main clause.
_CONNECTING = re.compile(r"^,?\s*(?:which\s+(?:will\s+|would\s+)?|that\s+(?:will\s+|would\s+)?)?"
                         r"(?:connecting|linking|connects?|links?|running|stretching|from|between)\b")
_CLAUSE_END = re.compile(r"[.;:]|\s(?:is|are|was|were|will|would|has|have|had|remains?)\s")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])|\n+")

STATUS_AFTER = (
    ("in progress", r"progressing|proceeding|advancing|moving (?:ahead|forward)|on track|on schedule|under ?way"
                    r"|under construction|being (?:built|implemented|constructed)"),
    ("delayed", r"delayed|stalled|behind schedule|on hold|suspended|postponed|halted|frozen"),
    ("completed", r"completed|finished|operational|inaugurated|commissioned|opened"),
    ("planned", r"planned|scheduled|expected|proposed|envisaged|due to (?:start|begin)"),
)
_AFTER = re.compile(r"^,?\s*(?P<verb>(?:is|are|was|were|has been|have been|remains?)\s+(?:now\s+|still\s+|currently\s+)?)"
                    rf"(?P<status>{'|'.join(f'(?P<s{i}>{words})' for i, (_, words) in enumerate(STATUS_AFTER))})"
                    r"[^.;,]*", re.IGNORECASE)
_BEFORE = re.compile(r"(?P<status>planned|proposed|envisaged|ongoing|delayed|completed)\s+(?:construction|building|"
                     r"development|implementation)?\s*(?:of\s+)?(?:the\s+)?$", re.IGNORECASE)
_BEFORE_STATUS = {"planned": "planned", "proposed": "planned", "envisaged": "planned", "ongoing": "in progress",
                  "delayed": "delayed", "completed": "completed"}


@dataclass(frozen=True, slots=True)
class PlaceSpan:
    id: str
    name: str
    start: int
    end: int
    is_country: bool


@dataclass(frozen=True, slots=True)
class ProjectMention:
    """A project named in text: ``project_id`` is its normalised name, ``places`` the place ids
    its name or its connecting clause names."""

    project_id: str
    name: str
    kind: str
    start: int
    end: int
    quote: str
    places: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    project_id: str
    status: str
    start: int
    end: int
    quote: str


def _clean_name(name: str) -> str:
    """Spaces collapsed, and the dashes between the places of a chain written as one en dash."""
    return _CHAIN_DASH.sub("–", " ".join(name.split()))


def _is_name(name: str, at_sentence_start: bool, generic: bool) -> bool:
    """Whether the words before a project noun name one project, rather than describe it.
    Before a generic noun (project, programme, initiative) one plain word is not enough
    ("Music Program")."""
    parts = _CHAIN_DASH.split(name)
    if len(parts) > 1:  # a route: a name, unless it is only the two countries it joins ("Kazakh–Afghan")
        return len(parts) > 2 or not all(country_by_name(p) for p in parts)
    words = name.split()
    if any(w.isupper() and len(w) > 1 for w in words):
        return True  # an acronym
    if all(country_by_name(w) for w in re.split(r"[\s-]+", name)):
        return False  # "Afghan", "Kazakhstan’s", "Kazakh-Afghan": a description
    if len(words) == 1 and (generic or (at_sentence_start and is_common_word(words[0]))):
        return False
    return True


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return (before[-1] if before else 0), (after.start() if after else len(text))


def find_mentions(text: str, places: list[PlaceSpan]) -> list[ProjectMention]:
    """Project names in ``text`` with the places each names or connects (from ``places``)."""
    found = []
    for match in _MENTION.finditer(text):
        raw = match.group("name")
        lead = _LEADING.match(raw)
        name_start = match.start("name") + (lead.end() if lead else 0)
        name = raw[lead.end():] if lead else raw
        sentence_start, sentence_end = _sentence_bounds(text, match.start(), match.end())
        nouns = _modifiers(" ".join(match.group("noun").lower().split()))
        kind = next((KINDS[w] for w in nouns if KINDS[w] not in GENERIC), KINDS[nouns[-1]])
        if not name or not _is_name(name, text[sentence_start:name_start].strip() in ("", "The", "the"), kind in GENERIC):
            continue
        covered = (name_start, match.end())
        clause = _connecting_clause(text, match.end(), sentence_end)
        spans = [covered] + ([clause] if clause else [])
        named = tuple(dict.fromkeys(p.id for p in places if not p.is_country
                                    and any(s <= p.start and p.end <= e for s, e in spans)))
        full = _clean_name(f"{name} {match.group('noun')}")
        found.append(ProjectMention("project:" + normalise_name(full).replace(" ", "-"), full, kind,
                                    name_start, match.end(), text[name_start:match.end()], named))
    return found


def _modifiers(noun: str) -> list[str]:
    """The project nouns in a noun phrase, longest first at each position ("gas pipeline project")."""
    found, words, i = [], noun.split(), 0
    while i < len(words):
        two = " ".join(words[i:i + 2])
        if two in KINDS:
            found.append(two)
            i += 2
        else:
            if words[i] in KINDS:
                found.append(words[i])
            i += 1
    return found


def _connecting_clause(text: str, start: int, sentence_end: int) -> tuple[int, int] | None:
    rest = text[start:sentence_end]
    if not _CONNECTING.match(rest):
        return None
    end = _CLAUSE_END.search(rest)
    return start, start + (end.start() if end else len(rest))


def find_updates(text: str, mentions: list[ProjectMention]) -> list[StatusUpdate]:
    """What each mention's sentence says of the project's progress, with its words."""
    updates = []
    for mention in mentions:
        sentence_start, sentence_end = _sentence_bounds(text, mention.start, mention.end)
        after_from = mention.end
        clause = _connecting_clause(text, mention.end, sentence_end)
        if clause:  # "X, connecting A and B, is progressing": the verb follows the clause
            after_from = clause[1]
            comma = text.find(",", after_from, sentence_end)
            after_from = comma + 1 if comma != -1 and not text[after_from:comma].strip() else after_from
        after = _AFTER.match(text[after_from:sentence_end])
        if after:
            status = next(STATUS_AFTER[i][0] for i in range(len(STATUS_AFTER)) if after.group(f"s{i}"))
            start = after_from + after.start("verb")
            end = after_from + after.end()
            updates.append(StatusUpdate(mention.project_id, status, start, end, text[start:end]))
        before = _BEFORE.search(text[sentence_start:mention.start])
        if before:
            start = sentence_start + before.start()
            updates.append(StatusUpdate(mention.project_id, _BEFORE_STATUS[before.group("status").lower()],
                                        start, mention.end, text[start:mention.end]))
    return updates


# --- linking -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProjectName:
    id: str
    name: str
    kind: str
    places: frozenset[str]
    mentions: int


@dataclass(frozen=True, slots=True)
class ProjectMerge:
    from_id: str
    into_id: str
    score: float
    evidence: dict


def decide_merges(names: list[ProjectName]) -> list[ProjectMerge]:
    """Names of one project: rule ``same-places.v1``, blocked on (kind, place), and rule
    ``near-name.v1``, blocked on (kind, first letter). Independent of input order."""
    blocks: dict[tuple[str, str], list[ProjectName]] = defaultdict(list)
    for name in names:
        for place in name.places:
            blocks[(name.kind, place)].append(name)
        blocks[(name.kind, "name:" + " ".join(_key(name))[:1])].append(name)
    pairs = {}
    for members in blocks.values():
        for a, b in combinations(sorted(members, key=lambda n: n.id), 2):
            pairs[(a.id, b.id)] = (a, b)
    merges = []
    for key in sorted(pairs):
        a, b = pairs[key]
        evidence = _same_places(a, b) or _near_name(a, b)
        if evidence:
            keep, drop = sorted((a, b), key=lambda n: (-n.mentions, -len(n.places), -len(n.name), n.id))
            score = evidence.pop("score")
            merges.append(ProjectMerge(drop.id, keep.id, score, {**evidence, "names": [keep.name, drop.name], "kind": a.kind}))
    return merges


def _key(name: ProjectName) -> list[str]:
    return normalise_name(name.name).split()


def _same_places(a: ProjectName, b: ProjectName) -> dict | None:
    shared = a.places & b.places
    overlap = len(shared) / len(a.places | b.places) if shared else 0.0
    if len(shared) >= MIN_SHARED_PLACES and overlap >= MIN_PLACE_OVERLAP:
        return {"rule": RULE, "score": round(overlap, 3), "shared_places": sorted(shared)}
    return None


def _near_name(a: ProjectName, b: ProjectName) -> dict | None:
    key_a, key_b = " ".join(_key(a)), " ".join(_key(b))
    if re.findall(r"\d+", key_a) != re.findall(r"\d+", key_b):
        return None
    edits = Levenshtein.distance(key_a, key_b)
    similarity = Levenshtein.normalized_similarity(key_a, key_b)
    if edits > MAX_NAME_EDITS or similarity < MIN_NAME_SIMILARITY:
        return None
    return {"rule": NAME_RULE, "score": round(similarity, 3), "name_edits": edits}


# --- the store -----------------------------------------------------------------------------------


def scan_articles(db: sqlite3.Connection) -> int:
    """Read the project mentions and status updates of current articles not read yet by this
    scanner; returns how many articles were read."""
    from dyad.store.resolution import write_project_scan

    rows = db.execute("SELECT a.id, a.text FROM current_articles a LEFT JOIN project_scans s ON s.article_id = a.id"
                      " WHERE s.scanner IS NOT ? ORDER BY a.id", (SCANNER,)).fetchall()
    for article_id, text in rows:
        places = [PlaceSpan(r[0], r[1], r[2], r[3], r[4] == "country") for r in db.execute(
            "SELECT place_id, name, start, end, feature FROM places WHERE article_id = ? AND start IS NOT NULL", (article_id,))]
        mentions = find_mentions(text, places)
        write_project_scan(db, article_id, SCANNER, mentions, find_updates(text, mentions))
    return len(rows)


def resolve_projects(db: sqlite3.Connection) -> list[ProjectMerge]:
    """Scan new articles, link the names of one project, and tie events to the projects their
    sentence or paragraph names (inside the caller's transaction)."""
    from dyad.store.resolution import drop_unmentioned_projects, project_names, sync_merges, undone_pairs, write_project_events

    scan_articles(db)
    drop_unmentioned_projects(db)
    undone = undone_pairs(db, "project")
    merges = [m for m in decide_merges(project_names(db)) if (m.from_id, m.into_id) not in undone]
    sync_merges(db, "project", {(m.from_id, m.into_id): (m.evidence["rule"], m.score, m.evidence) for m in merges})
    write_project_events(db)
    return merges

