"""dyad.batch.process_documents: the pure per-batch function every executor maps. Each article is
followed by its extraction, bad documents become rejections in place, articles already extracted
are skipped, and one spaCy pass over the batch gives what one pass per article gives."""

from __future__ import annotations

import pytest

from dyad.batch import extract_articles, process_documents
from dyad.extract import extract_article
from dyad.records import Article, Document, Extraction, Rejection
from dyad.settings import load_settings

TEXTS = [
    "ASTANA - Kazakhstan's President Kassym-Jomart Tokayev met Chinese "
    "President Xi Jinping in Astana on Tuesday to discuss trade, transport and the supply of energy across "
    "their long shared border, the presidential press service said.\n\nThe two leaders signed an "
    "agreement on a new railway line between the two countries, officials said after the talks.",
    "Minister visits Tashkent\n\nKABUL - Afghanistan's acting foreign minister visited Tashkent on Monday to "
    "discuss trade with Uzbekistan's foreign minister, the ministry said in a statement after the meeting.",
]


def document(i: int, text: str) -> Document:
    return Document("batch-test", f"batch-test:{i}", f"key-{i}", "text", text)


@pytest.fixture(scope="module")
def settings():
    return load_settings()


@pytest.fixture(scope="module")
def records(settings) -> list:
    documents = [document(0, TEXTS[0]), document(1, "too short"), document(2, TEXTS[1])]
    return process_documents(documents, settings)


def test_batch_each_article_is_followed_by_its_extraction(records: list) -> None:
    kinds = [type(r).__name__ for r in records]
    assert kinds == ["Article", "Extraction", "Rejection", "Article", "Extraction"]
    assert records[1].article_id == records[0].id and records[4].article_id == records[3].id
    assert records[2].code == "E-NO-BODY" and records[2].locator == "batch-test:1"


def test_batch_extraction_reads_the_facts(records: list) -> None:
    first, second = records[1], records[4]
    assert "CONSULT" in {event.type for event in first.events}
    names = {actor.name for actor in first.actors}
    assert "Kassym-Jomart Tokayev" in names and "Xi Jinping" in names
    visit = next(event for event in second.events if event.type == "CONSULT")
    assert visit.place is not None and visit.place.name == "Tashkent"


def test_batch_one_spacy_pass_equals_one_per_article(settings, records: list) -> None:
    articles = [r for r in records if isinstance(r, Article)]
    alone = [extract_article(a, model=settings.extract_model, model_threshold=settings.model_threshold) for a in articles]
    assert extract_articles(articles, settings) == alone == [records[1], records[4]]


def test_batch_skips_articles_already_extracted(settings, records: list) -> None:
    done = frozenset({records[0].id})
    again = process_documents([document(0, TEXTS[0]), document(2, TEXTS[1])], settings, skip_extraction=done)
    assert [type(r) for r in again] == [Article, Article, Extraction]
    assert process_documents([document(0, TEXTS[0])], settings, extract=False) == [records[0]]


def test_batch_extraction_failure_keeps_the_article(settings, records: list, monkeypatch: pytest.MonkeyPatch) -> None:
    import dyad.extract as extract

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(extract, "_read_actors", broken)
    [article, failure] = process_documents([document(0, TEXTS[0])], settings)
    assert isinstance(article, Article) and isinstance(failure, Rejection)
    assert failure.code == "E-EXTRACT-FAILED" and article.id in failure.message and "boom" in failure.message


def test_batch_extraction_follows_the_runs_model_fill_setting(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run's [extract] model_fill reaches extraction (it used to be read from the default
    configuration for every article instead)."""
    from dyad.extract import classifier
    from dyad.extract.classifier import NONE, Prediction
    from dyad.settings import with_overrides

    [article] = [r for r in process_documents([document(3, "Japan handed over three patrol boats to the "
                                                        "Philippines on Monday, officials in Manila said.")],
                                              with_overrides(settings, extract_model=False)) if isinstance(r, Article)]
    monkeypatch.setattr(classifier, "available", lambda: True)
    monkeypatch.setattr(classifier, "classify", lambda sentences: [Prediction("AID", 0.9, (("AID", 0.9), (NONE, 0.1)))
                                                                    for _ in sentences])
    rules_only = with_overrides(settings, extract_model=True, model_fill=False)
    filling = with_overrides(settings, extract_model=True, model_fill=True, model_fill_threshold=0.6)
    assert [e.type for e in extract_articles([article], rules_only)[0].events] == []
    assert [e.type for e in extract_articles([article], filling)[0].events] == ["AID"]
