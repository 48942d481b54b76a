"""Golden test: the five seed articles through the whole path (read, clean, assemble, store)
match the `articles` section of the seeds' gold facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEEDS
from dyad.api import ingest, open_store
from dyad.settings import load_settings


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> dict:
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with open_store(db) as store:
        report = ingest([SEEDS], store=store, settings=load_settings(db_path=db))
        assert report.counts.added == 5 and report.counts.rejected == 0
        return {Path(a.source).name: a for a in store.articles()}


def _gold_articles(gold: dict) -> list[dict]:
    return gold["articles"]


@pytest.mark.parametrize("field", ["title", "outlet", "published", "dateline"])
def test_seeds_metadata_matches_gold(stored: dict, seeds_gold: dict, field: str) -> None:
    for expected in _gold_articles(seeds_gold):
        if field not in expected:
            continue
        value = getattr(stored[expected["file"]], field)
        got = None if value is None else value.value
        want = expected[field]
        want = None if want is None else str(want)
        assert (got or "").casefold() == (want or "").casefold(), f"{expected['file']} {field}: {got!r} != {want!r}"


def test_seeds_bodies_contain_no_boilerplate(stored: dict, seeds_gold: dict) -> None:
    for expected in _gold_articles(seeds_gold):
        text = stored[expected["file"]].text
        for line in expected.get("body_must_not_contain", []):
            assert line not in text, f"{expected['file']} body contains {line!r}"


def test_seeds_every_metadata_value_has_evidence_in_raw(stored: dict) -> None:
    for article in stored.values():
        for name, value in article.metadata().items():
            assert value.source and 0 < value.confidence <= 1
            if value.evidence is not None:
                span = article.raw[value.evidence.start:value.evidence.end]
                assert span == value.evidence.quote and value.evidence.article_id == article.id, name


def test_seeds_paragraph_spans_point_into_text(stored: dict) -> None:
    for article in stored.values():
        assert article.paragraphs
        for paragraph in article.paragraphs:
            assert article.text[paragraph.start:paragraph.end] == paragraph.quote


def test_seeds_scrape_keeps_four_paragraphs_and_the_removed_lines(stored: dict) -> None:
    scrape = next(a for name, a in stored.items() if name.startswith("004"))
    assert len(scrape.paragraphs) == 4
    assert scrape.text.startswith("RASC News Agency: Serik Zhumangarin")
    removed = "\n".join(block.text for block in scrape.removed)
    assert "Mysterious Murder of a Man in Takhar Province" in removed and "Lorem ipsum" in removed
