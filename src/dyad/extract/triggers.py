"""Event triggers: which words, with which dependents, name which PLOVER event.

The table is ``dyad/data/plover_triggers.tsv``, built by ``scripts/build_triggers.py`` from the
PETRARCH 2 CAMEO verb dictionary (mapped to PLOVER with the CAMEO→PLOVER crosswalk) and a curated
section; its header documents the columns. A row names a trigger lemma (verb or noun) and the
words that must also be among its dependents ("hold" + "talk", "deliver" + "aid", "speak" +
"by>phone"); ``find_triggers`` matches the rows against one parsed sentence.

Matching works on the dependency tree, not on word order. The words a trigger's pattern may use
are its *region*: its objects, particles, complements and prepositions, their objects and the
modifiers of those (``humanitarian`` in "delivered humanitarian aid"), never a nested clause. Of
the rows that match a token the most specific wins (most pattern words), a curated row before a
CAMEO one; a blocking row (type ``-``) means this sense is no event ("meet a deadline").
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from spacy.tokens import Span, Token

__all__ = ["QUANTITY_NOUNS", "Cue", "Trigger", "TriggerMatch", "TriggerTable", "counted", "find_triggers",
           "load_triggers", "parse_triggers"]

TABLE = "plover_triggers.tsv"
BLOCKED = "-"

# Dependents of a trigger that can hold its pattern words.
REGION_DEPS = frozenset({"dobj", "dative", "attr", "oprd", "prt", "acomp", "nsubjpass", "advmod",
                         "prep", "agent", "compound", "amod", "nmod", "npadvmod"})
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "prt"})
# "a series of meetings": the quantity noun stands for what it counts.
QUANTITY_NOUNS = frozenset({"series", "round", "number", "couple", "set", "string", "lot", "batch"})


@dataclass(frozen=True, slots=True)
class Trigger:
    """One row of the trigger table."""

    kind: str  # verb | noun
    lemma: str
    pattern: tuple[str, ...]
    type: str  # a PLOVER event type, APPOINT, or "-" (not an event)
    mode: str | None
    context: tuple[str, ...]
    subject: str  # actor | recipient: the side the grammatical subject takes
    reciprocal: bool  # "with X" names a co-party
    confidence: float
    source: str


@dataclass(frozen=True, slots=True)
class Cue:
    """A word that, in an event's clause, sets its mode or adds a context."""

    lemma: str
    type: str  # the event type it applies to, or "*"
    mode: str | None
    context: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    """A trigger found in a sentence: the row, the anchor token and the tokens its pattern used."""

    trigger: Trigger
    anchor: Token
    tokens: tuple[Token, ...]


@dataclass(frozen=True)
class TriggerTable:
    """The loaded table: rows by (kind, lemma), most specific first; synonym sets; cues by lemma."""

    rows: dict[tuple[str, str], tuple[Trigger, ...]]
    sets: dict[str, frozenset[str]]
    cues: dict[str, tuple[Cue, ...]] = field(default_factory=dict)

    def match(self, token: Token, kind: str) -> TriggerMatch | None:
        """The best row for ``token`` read as a ``kind``, or None (no row, or a blocking row)."""
        candidates = self.rows.get((kind, token.lemma_.lower()), ())
        if not candidates:
            return None
        region = _region(token)
        for trigger in candidates:
            used = self._pattern_tokens(trigger.pattern, region)
            if used is not None:
                return None if trigger.type == BLOCKED else TriggerMatch(trigger, token, used)
        return None

    def cues_for(self, lemmas: set[str], event_type: str) -> list[Cue]:
        """The cues among ``lemmas`` that apply to ``event_type``, in table order."""
        found = [cue for lemma in sorted(lemmas) for cue in self.cues.get(lemma, ())]
        return [cue for cue in found if cue.type in (event_type, "*")]

    def _pattern_tokens(self, pattern: tuple[str, ...], region: list[tuple[str, str, Token]]) -> tuple[Token, ...] | None:
        used: list[Token] = []
        for element in pattern:
            prep, _, word = element.rpartition(">")
            hit = next((token for where, lemma, token in region
                        if where == prep and self._word_matches(word, lemma)), None)
            if hit is None:
                return None
            used.append(hit)
        return tuple(used)

    def _word_matches(self, word: str, lemma: str) -> bool:
        return lemma in self.sets.get(word, ()) if word.startswith("&") else lemma == word


def find_triggers(sentence: Span, table: TriggerTable) -> list[TriggerMatch]:
    """Every trigger in a sentence. A noun that a verb trigger's pattern used ("held *talks*") is
    part of that trigger, not a trigger of its own."""
    matches = [match for token in sentence if (kind := _kind(token))
               for match in [table.match(token, kind)] if match]
    used = {token.i for match in matches for token in match.tokens}
    return [match for match in matches if match.anchor.i not in used]


@lru_cache(maxsize=1)
def load_triggers() -> TriggerTable:
    """The packaged trigger table (read once)."""
    text = files("dyad").joinpath("data").joinpath(TABLE).read_text(encoding="utf-8")
    return parse_triggers(text)


def parse_triggers(text: str) -> TriggerTable:
    """A trigger table from the TSV text (comment lines start with ``#``)."""
    lines = (line for line in text.splitlines() if line and not line.startswith("#"))
    reader = csv.DictReader(lines, delimiter="\t")
    rows: dict[tuple[str, str], list[Trigger]] = defaultdict(list)
    sets: dict[str, frozenset[str]] = {}
    cues: dict[str, list[Cue]] = defaultdict(list)
    for row in reader:
        kind, lemma = row["kind"], row["lemma"]
        context = tuple(item for item in row["context"].split(";") if item)
        if kind == "set":
            sets[lemma] = frozenset(row["pattern"].split())
        elif kind == "cue":
            cues[lemma].append(Cue(lemma, row["type"], row["mode"] or None, context))
        else:
            rows[(kind, lemma)].append(Trigger(
                kind, lemma, tuple(row["pattern"].split()), row["type"], row["mode"] or None, context,
                row["subject"] or "actor", row["reciprocal"] == "yes", float(row["confidence"]), row["source"],
            ))
    ranked = {key: tuple(sorted(found, key=_specificity)) for key, found in rows.items()}
    return TriggerTable(ranked, sets, {lemma: tuple(found) for lemma, found in cues.items()})


def _specificity(trigger: Trigger) -> tuple[int, int]:
    # sorted() is stable, so rows of equal rank keep their table order
    return (-len(trigger.pattern), trigger.source != "curated")


def _kind(token: Token) -> str | None:
    if token.pos_ == "VERB" and token.dep_ != "amod":  # "the proposed route" names no act
        return "verb"
    if token.pos_ == "NOUN":
        return "noun"
    return None


def _region(anchor: Token) -> list[tuple[str, str, Token]]:
    """(preposition or "", lemma, token) for every word the anchor's pattern may use."""
    region: list[tuple[str, str, Token]] = []
    for child in anchor.children:
        if child.dep_ not in REGION_DEPS:
            continue
        region.append(("", child.lemma_.lower(), child))
        if child.dep_ in ("prep", "agent"):
            region.extend(_prep_objects(child))
        else:
            region.extend(_noun_dependents(counted(child)))
    return region


def _noun_dependents(noun: Token) -> list[tuple[str, str, Token]]:
    found = [("", noun.lemma_.lower(), noun)]
    for child in noun.children:
        if child.dep_ in MODIFIER_DEPS:
            found.append(("", child.lemma_.lower(), child))
        elif child.dep_ == "prep":
            found.extend(_prep_objects(child))
    return found


def _prep_objects(prep: Token) -> list[tuple[str, str, Token]]:
    """The objects of a preposition and their modifiers; those of "of" also count as plain words
    ("delivery of aid" is "aid delivery")."""
    wheres = (prep.lemma_.lower(), "") if prep.lower_ == "of" else (prep.lemma_.lower(),)
    found = []
    for pobj in prep.children:
        if pobj.dep_ in ("pobj", "pcomp"):
            pobj = counted(pobj)
            words = [pobj, *(mod for mod in pobj.children if mod.dep_ in MODIFIER_DEPS)]
            found.extend((where, word.lemma_.lower(), word) for where in wheres for word in words)
    return found


def counted(noun: Token) -> Token:
    """What a quantity noun counts ("a series of meetings" -> meetings), else the noun itself."""
    if noun.lemma_.lower() in QUANTITY_NOUNS:
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        return pobj
    return noun
