"""The attribute ruler's rules and the lemmatizer's answers as tables (dyad.extract.tag_attributes,
dyad.extract.lemma_table): every token gets the same tag, part of speech, morphology, lemma,
dependency and entity as with the stock pipeline, on the seed articles, on real news from
../shared/dev/bench, and on the contractions and spaces the rules the table leaves to the ruler
are about."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

from conftest import require_shared
from dyad.extract.nlp import MODEL
from dyad.extract.lemma_table import table_lemmas
from dyad.extract.tag_attributes import FACTORY, table_attribute_rules

ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]


@pytest.fixture(scope="module")
def pipelines() -> tuple[spacy.Language, spacy.Language]:
    stock, split = spacy.load(MODEL), spacy.load(MODEL)
    table_attribute_rules(split)
    table_lemmas(split)
    assert "lemmatizer" not in split.pipe_names
    return stock, split


def paragraphs(texts: list[str]) -> list[str]:
    return [p for text in texts for p in text.split("\n\n") if p.strip()]


def test_the_table_takes_the_single_token_rules_in_place_of_the_ruler(pipelines) -> None:
    stock, split = pipelines
    assert "attribute_ruler" not in split.pipe_names
    assert split.pipe_names.index(FACTORY) == stock.pipe_names.index("attribute_ruler")
    table = split.get_pipe(FACTORY)
    kept = table.rest.patterns
    assert len(kept) + len({number for number, *_ in table.rules}) == len(stock.get_pipe("attribute_ruler").patterns)
    assert kept and all(len(p) > 1 or any("REGEX" in str(t) for t in p) for rule in kept for p in rule["patterns"])


def same_annotations(stock: spacy.Language, split: spacy.Language, texts: list[str]) -> int:
    compared = 0
    for a, b in zip(stock.pipe(texts), split.pipe(texts)):
        assert np.array_equal(a.to_array(ATTRS), b.to_array(ATTRS)), a.text[:80]
        compared += len(a)
    return compared


def test_same_annotations_where_the_ruler_keeps_rules(pipelines) -> None:
    texts = ["I ain't gonna do it, y'all.", "There is   a cat.\n\nHe's here, and it's there.",
             "Let's go. Doin' nothin' ol' 'em 'nuff. C'mon!", "She gets it, we got it; you'd have had it."]
    assert same_annotations(*pipelines, texts) > 40


def test_same_annotations_on_the_seeds(pipelines, seed_files: list) -> None:
    texts = paragraphs([path.read_text(encoding="utf-8") for path in seed_files])
    assert same_annotations(*pipelines, texts) > 2000


def test_same_annotations_on_real_news(pipelines) -> None:
    source = require_shared("dev", "bench", "ecbplus_dev_texts.jsonl.gz")
    with gzip.open(source, "rt", encoding="utf-8") as f:
        texts = paragraphs([json.loads(line)["text"] for _, line in zip(range(150), f)])
    assert same_annotations(*pipelines, texts) > 30_000
