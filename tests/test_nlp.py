"""dyad.extract.nlp.parse: the entity recogniser runs only on paragraphs that may hold a name.
Everything else a paragraph gets is the pipeline's, and on news the names, places and
organisations found are the ones the full pipeline finds."""

from __future__ import annotations

import gzip
import json

import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from conftest import FIXTURES, require_shared
from dyad.extract.nlp import load_nlp, may_hold_a_name, parse

NAMED = ("GPE", "NORP", "ORG", "PERSON", "LOC", "FAC")


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _named(doc) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label_) for e in doc.ents if e.label_ in NAMED]


def test_parse_skips_the_recogniser_only_where_no_name_can_be(nlp) -> None:
    texts = ["The talks ended late and both sides said they would meet again soon.",
             "Officials from Kazakhstan and Afghanistan met in Kabul on Tuesday.",
             "Greek officials said the talks went well.",
             "It rose by 40 percent in three years, the ministry said.",
             "FDLR"]
    docs = list(parse(nlp, texts))
    assert [may_hold_a_name(doc) for doc in docs] == [False, True, True, False, True]
    assert not docs[0].ents and not _named(docs[3])
    assert {(e.text, e.label_) for e in docs[1].ents} >= {("Kazakhstan", "GPE"), ("Afghanistan", "GPE"), ("Kabul", "GPE")}
    assert ("Greek", "NORP") in {(e.text, e.label_) for e in docs[2].ents}


def test_parse_gives_the_pipelines_annotations_and_names_on_news(nlp) -> None:
    seeds = [path.read_text(encoding="utf-8") for path in sorted((FIXTURES / "seeds").glob("*.txt"))]
    bench = require_shared("dev", "bench", "ecbplus_dev_texts.jsonl.gz")
    news = [json.loads(line)["text"] for line in gzip.open(bench, "rt", encoding="utf-8")][:150]
    texts = [p for text in seeds + news for p in text.split("\n") if p.strip()]
    full, ours = list(nlp.pipe(texts)), list(parse(nlp, texts))
    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
    assert all((a.to_array(attrs) == b.to_array(attrs)).all() for a, b in zip(full, ours))
    skipped = [b for b in ours if not may_hold_a_name(b)]
    assert len(skipped) > len(texts) // 20  # the saving is real: some paragraphs hold no name
    names = sum(len(_named(a)) for a in full)
    missed = sum(len(set(_named(a)) - set(_named(b))) for a, b in zip(full, ours))
    assert names > 1000 and missed <= names // 1000
