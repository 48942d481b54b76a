"""The hand-annotated news sentences the event model trains on (training/annotations): every
reference finds its sentence in ../shared/dev with the hash it was annotated with, and the file
holds references and labels only, never the sentences' text."""

from __future__ import annotations

import importlib.util
import re

import pytest

from conftest import REPO, require_shared
from dyad.extract.classifier import NONE, PLOVER_TYPES

ANNOTATIONS = REPO / "training" / "annotations" / "news_sentences.tsv"
LINE = re.compile(r"(ecbplus:\d+_\d+ecb(plus)?:\d+|re3d:(centcom|wikipedia|dfat):[0-9A-F]{32}:\d+:\d+)"
                  r"\t[0-9a-f]{10}\t[A-Z]+\t([a-z-]+|-)")


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows() -> list[list[str]]:
    return [line.split("\t") for line in ANNOTATIONS.read_text("utf-8").splitlines()
            if line and not line.startswith(("#", "reference\t"))]


def test_annotation_file_holds_references_and_labels_only() -> None:
    lines = [line for line in ANNOTATIONS.read_text("utf-8").splitlines() if line and not line.startswith("#")]
    assert lines[0] == "reference\ttext_sha256\ttype\tmode"
    bad = [line for line in lines[1:] if not LINE.fullmatch(line)]
    assert not bad, bad[:3]
    rows = _rows()
    assert len(rows) >= 300
    assert {row[2] for row in rows} <= PLOVER_TYPES | {NONE}
    assert len({row[0] for row in rows}) == len(rows), "a sentence annotated twice"


def test_every_annotation_resolves_to_its_sentence() -> None:
    shared = require_shared("dev").parent
    news = _module("news_sentences")
    cache: dict = {}
    for reference, expected, _label, _mode in _rows():
        text = news.resolve(reference, shared, cache)
        assert text is not None, reference
        assert news.text_hash(text) == expected, reference
        assert len(text.split()) >= 4, reference


def test_training_refuses_a_changed_sentence(tmp_path) -> None:
    shared = require_shared("dev").parent
    trainer = _module("train_event_model")
    examples = trainer.news_annotations(shared)
    assert len(examples) == len(_rows())
    assert any(label == "ASSAULT" for _, label, *_ in examples) and any(label == NONE for _, label, *_ in examples)
    assert [mode for *_, mode in examples] == [row[3] for row in _rows()]
    reference, digest, label, mode = _rows()[0]
    changed = tmp_path / "changed.tsv"
    changed.write_text(f"{reference}\t{'0' * 10 if digest != '0' * 10 else '1' * 10}\t{label}\t{mode}\n", "utf-8")
    with pytest.raises(ValueError, match="text changed"):
        trainer.news_annotations(shared, changed)
