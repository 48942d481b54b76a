"""Titles of office around a person's name: "Deputy Prime Minister Serik X", "X, the acting
ambassador of ... in Astana", "Afghan Foreign Minister X". A title is found by its head noun
(minister, ambassador, envoy, representative, president...), read with the capitalised words
and connectors around it, and split where two titles are joined by "and"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from dyad.extract.gazetteer import is_common_word, is_given_name

# Nouns that head a title of office. General English, not tied to any country.
TITLE_HEADS = frozenset("""
president vice-president premier minister ambassador ambassador-at-large envoy representative
secretary spokesman spokeswoman spokesperson chairman chairwoman chair chairperson chief head
director governor mayor king queen prince crown emir sultan sheikh general commander admiral
colonel senator lawmaker speaker chancellor consul attache chargé charge diplomat adviser advisor
counselor counsellor commissioner leader deputy undersecretary under-secretary administrator
attorney prosecutor judge justice ceo founder emissary delegate negotiator coordinator
""".split())
# Words that may stand inside a title phrase in lower case ("Minister of Industry and Commerce").
CONNECTORS = frozenset({"of", "for", "and", "the", "at", "on", "to", "in", "-", "&"})
# Words before a head that belong to the title even in lower case ("acting ambassador").
LOWER_MODIFIERS = frozenset({"acting", "interim", "deputy", "vice", "former", "special", "senior", "junior",
                             "first", "permanent", "foreign", "prime", "assistant", "chief", "top", "defence",
                             "defense", "interior", "finance", "trade", "justice", "state"})
# Words that open an apposition without being part of the title.
APPOSITION_OPENERS = frozenset({"the", "his", "her", "its", "their", "a", "an", "then", "now", "currently",
                                "recently", "newly", "appointed", "who", "is", "was"})
_SPLIT_AND = re.compile(r"\s+and\s+")


@dataclass(frozen=True, slots=True)
class TitleSpan:
    """A title phrase found next to a name: the tokens, and the country word inside or before it
    (a demonym, a possessive, "of Country") when there is one."""

    start_char: int
    end_char: int
    text: str
    country_words: tuple[tuple[int, int, str], ...] = ()


def is_head(token: Token) -> bool:
    return token.lower_ in TITLE_HEADS or token.lower_.rstrip("s") in TITLE_HEADS


def misread_title(span: Span) -> bool:
    """A PERSON entity made of title words ("Kazakh Special Representative") is a title misread
    as a name by the statistical model."""
    return any(is_head(token) for token in span)


def _in_real_name(token: Token) -> bool:
    if token.ent_type_ != "PERSON" or (is_common_word(token.text) and not is_given_name(token.text)):
        return False
    entity = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    return entity is not None and not misread_title(entity)


def _title_token(token: Token) -> bool:
    """A token that can stand inside a title phrase before a name."""
    return (token.is_title or token.is_upper or is_head(token) or token.lower_ in CONNECTORS
            or token.lower_ in LOWER_MODIFIERS or token.text == "-")


def leads_to_name(token: Token) -> bool:
    """Whether ``token`` opens a title phrase that runs up to a person's name ("Chilean deputy
    trade minister Ana Rojas"): such a demonym belongs to the person's role."""
    doc = token.doc
    i = token.i + 1
    while i < len(doc) and _title_token(doc[i]) and doc[i].ent_type_ != "PERSON":
        i += 1
    return i < len(doc) and doc[i].ent_type_ == "PERSON" and any(is_head(t) for t in doc[token.i:i])


def title_before(name: Span) -> TitleSpan | None:
    """The title written before a name ("Vice Minister of Transport Zhanibek Taizhanov")."""
    doc = name.doc
    i = name.start - 1
    while i >= name.sent.start and _title_token(doc[i]) and not _in_real_name(doc[i]):
        i -= 1
    tokens = doc[i + 1:name.start]
    # Trim connectors and possessive markers at the left edge ("of", "the", "to the").
    while len(tokens) and (tokens[0].lower_ in CONNECTORS or tokens[0].tag_ == "POS"):
        tokens = tokens[1:]
    if not len(tokens) or not any(is_head(t) for t in tokens):
        return None
    # "Niger's ambassador X": the possessor before the title is the holder's country
    possessors: tuple[tuple[int, int, str], ...] = ()
    if tokens.start >= 2 and doc[tokens.start - 1].tag_ == "POS":
        owner = doc[tokens.start - 2]
        possessors = ((owner.idx, owner.idx + len(owner.text), owner.text),)
    return TitleSpan(tokens.start_char, tokens.end_char, tokens.text, possessors)


def title_after(name: Span) -> TitleSpan | None:
    """The title in an apposition after a name: "X, the acting ambassador of ... in Astana," or
    "X, Kazakhstan's Special Representative for Afghanistan,". A possessor before the title
    ("Kazakhstan's", "the Taliban's") is returned as ``country_words``, not as part of the title."""
    doc, end = name.doc, name.sent.end
    i = name.end
    if i >= end or doc[i].text != ",":
        return None
    i += 1
    possessors: list[tuple[int, int, str]] = []
    while i < end:
        if doc[i].lower_ in APPOSITION_OPENERS:
            i += 1
            continue
        owner_end = _possessor_end(doc, i, end)
        if owner_end is None:
            break
        owner = doc[i:owner_end]
        possessors.append((owner.start_char, owner.end_char, owner.text))
        i = owner_end + 1  # skip the 's
    j = _apposition_end(doc, i, end)
    chunk = doc[i:j]
    heads = [k for k, t in enumerate(chunk) if is_head(t)]
    if not heads or heads[0] > 3:
        return None
    if j < end and doc[j].text == "(":
        # "(IEA) in Astana": a parenthesis inside the apposition continues it
        close = next((k for k in range(j, min(j + 8, end)) if doc[k].text == ")"), None)
        if close is not None:
            chunk = doc[i:_apposition_end(doc, close + 1, end)]
    return TitleSpan(chunk.start_char, chunk.end_char, chunk.text, tuple(possessors))


def _apposition_end(doc, i: int, end: int) -> int:  # noqa: ANN001
    """The apposition runs to a comma or clause punctuation, or to a finite verb."""
    while i < end and doc[i].text not in {",", ";", ".", ":", "(", "—", "–"}:
        token = doc[i]
        if token.pos_ in ("VERB", "AUX") and token.lower_ not in LOWER_MODIFIERS and token.dep_ != "amod":
            break
        i += 1
    return i


def _possessor_end(doc, i: int, end: int) -> int | None:  # noqa: ANN001
    """If a capitalised run starting at ``i`` is followed by a possessive 's, where it ends."""
    k = i
    while k < end and (doc[k].is_title or doc[k].is_upper) and doc[k].tag_ != "POS":
        k += 1
    if k > i and k < end and doc[k].tag_ == "POS":
        return k
    return None


def split_titles(text: str) -> list[tuple[int, str]]:
    """Split "Deputy Prime Minister and Minister of National Economy" into its titles (with their
    offsets in ``text``), but not "Minister of Industry and Commerce": the words after "and" must
    open a title of their own."""
    parts: list[tuple[int, str]] = []
    start = 0
    for match in _SPLIT_AND.finditer(text):
        words = text[match.end():].split()
        first = words[0].lower() if words else ""
        if first in TITLE_HEADS or first in LOWER_MODIFIERS or first.split("-")[0] in TITLE_HEADS:
            parts.append((start, text[start:match.start()]))
            start = match.end()
    parts.append((start, text[start:]))
    return parts
