"""Cross-article identity of people: two spellings of one person become one actor, by an
explicit rule, recorded as a merge that can be inspected and undone.

Rule ``near-surname.v1`` — merge person B into person A when all hold:
1. same given name (first word of the name, ignoring case and accents): the blocking key, so
   "Kassym-Jomart Tokayev" and "Yerkin Tokumov" are never even compared;
2. surnames nearly identical: at most 2 edits apart and a normalised similarity of at least 0.8
   ("Tukumov"/"Tokumov": 1 edit, 0.86), with the same first letter;
3. same country, both known;
4. at least one role in common (the same title, ignoring case).
The actor with more mentions keeps its id. A merge an analyst undid is never made again.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone

from rapidfuzz.distance import Levenshtein

RULE = "near-surname.v1"
MAX_EDITS = 2
MIN_SIMILARITY = 0.8


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    country: str | None
    titles: frozenset[str]
    mentions: int


@dataclass(frozen=True, slots=True)
class MergeDecision:
    from_id: str
    into_id: str
    score: float
    evidence: dict


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def title_key(title: str) -> str:
    """A title as compared everywhere: case, accents, apostrophes and spacing ignored."""
    return " ".join(_fold(title).replace("’", "'").split())


def block_key(person: Person) -> str | None:
    words = person.name.split()
    return _fold(words[0]) if len(words) >= 2 else None


def compare(a: Person, b: Person) -> MergeDecision | None:
    """The rule, on two people of one block: a decision to merge, or None."""
    surname_a, surname_b = _fold(a.name.split()[-1]), _fold(b.name.split()[-1])
    if surname_a == surname_b or surname_a[:1] != surname_b[:1]:
        return None
    edits = Levenshtein.distance(surname_a, surname_b)
    similarity = Levenshtein.normalized_similarity(surname_a, surname_b)
    if edits > MAX_EDITS or similarity < MIN_SIMILARITY:
        return None
    if a.country is None or a.country != b.country:
        return None
    shared = sorted(a.titles & b.titles)
    if not shared:
        return None
    keep, drop = sorted((a, b), key=lambda p: (-p.mentions, p.id))
    return MergeDecision(drop.id, keep.id, round(similarity, 3), {
        "rule": RULE, "names": [keep.name, drop.name], "surname_edits": edits, "country": a.country,
        "shared_titles": shared})


def decide_merges(people: list[Person]) -> list[MergeDecision]:
    """Block on the given name, compare within blocks (cost grows with block sizes, not with the
    square of the corpus), and return the merges; the result does not depend on input order."""
    blocks: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        key = block_key(person)
        if key:
            blocks[key].append(person)
    decisions = []
    for members in blocks.values():
        members.sort(key=lambda p: p.id)
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                decision = compare(a, b)
                if decision is not None:
                    decisions.append(decision)
    return sorted(decisions, key=lambda d: (d.into_id, d.from_id))


def load_people(db: sqlite3.Connection) -> list[Person]:
    rows = db.execute(
        "SELECT a.id, a.name, a.country, (SELECT count(*) FROM actor_mentions m WHERE m.actor_id = a.id) AS mentions"
        " FROM actors a WHERE a.kind = 'person'").fetchall()
    people = []
    for row in rows:
        titles = frozenset(title_key(r[0]) for r in db.execute("SELECT title FROM roles WHERE actor_id = ?", (row[0],)))
        people.append(Person(row[0], row[1], row[2], titles, row[3]))
    return people


def resolve_people(db: sqlite3.Connection) -> list[MergeDecision]:
    """Find and record new merges (inside the caller's transaction); return those recorded."""
    known = {(r[0], r[1]) for r in db.execute("SELECT from_id, into_id FROM actor_merges")}
    made = []
    for decision in decide_merges(load_people(db)):
        pair = (decision.from_id, decision.into_id)
        if pair in known or pair[::-1] in known:
            continue  # already made, or made and undone by an analyst
        db.execute("INSERT INTO actor_merges (from_id, into_id, rule, score, evidence, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   (decision.from_id, decision.into_id, RULE, decision.score, json.dumps(decision.evidence),
                    datetime.now(timezone.utc).isoformat(timespec="seconds")))
        made.append(decision)
    return made
