"""The attribute ruler's tag rules as a table (dyad.extract.tag_attributes): every token gets the
same part of speech, morphology, lemma, dependency and entity as with the stock pipeline, on the
seed articles and on real news from ../shared/dev/bench."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

from conftest import require_shared
from dyad.extract.nlp import MODEL
from dyad.extract.tag_attributes import FACTORY, split_tag_rules

ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]


@pytest.fixture(scope="module")
def pipelines() -> tuple[spacy.Language, spacy.Language]:
    stock, split = spacy.load(MODEL), spacy.load(MODEL)
    split_tag_rules(split)
    return stock, split


def paragraphs(texts: list[str]) -> list[str]:
    return [p for text in texts for p in text.split("\n\n") if p.strip()]


def test_the_table_takes_only_the_rules_keyed_on_the_tag_alone(pipelines) -> None:
    stock, split = pipelines
    assert split.pipe_names.index(FACTORY) == split.pipe_names.index("attribute_ruler") - 1
    moved = len(stock.get_pipe("attribute_ruler").patterns) - len(split.get_pipe("attribute_ruler").patterns)
    assert moved > 40  # the English tag map
    assert all(any(set(token) != {"TAG"} for pattern in rule["patterns"] for token in pattern)
               for rule in split.get_pipe("attribute_ruler").patterns[:1])
    assert split("She visited Kabul.")[0].pos_ == "PRON"  # a word rule after the table still applies


def same_annotations(stock: spacy.Language, split: spacy.Language, texts: list[str]) -> int:
    compared = 0
    for a, b in zip(stock.pipe(texts), split.pipe(texts)):
        assert np.array_equal(a.to_array(ATTRS), b.to_array(ATTRS)), a.text[:80]
        compared += len(a)
    return compared


def test_same_annotations_on_the_seeds(pipelines, seed_files: list) -> None:
    texts = paragraphs([path.read_text(encoding="utf-8") for path in seed_files])
    assert same_annotations(*pipelines, texts) > 2000


def test_same_annotations_on_real_news(pipelines) -> None:
    source = require_shared("dev", "bench", "ecbplus_dev_texts.jsonl.gz")
    with gzip.open(source, "rt", encoding="utf-8") as f:
        texts = paragraphs([json.loads(line)["text"] for _, line in zip(range(150), f)])
    assert same_annotations(*pipelines, texts) > 30_000
