"""The stage list: a golden copy pins it, and the checker catches a stage reading too early."""

from __future__ import annotations

import pytest

from dyad.pipeline import STAGES, Stage, check_stages, process_document
from dyad.records import Document, Rejection
from dyad.settings import load_settings

# Changing the pipeline means changing this list on purpose.
GOLDEN = [
    ("discover", ("paths",), ("files", "rejections")),
    ("read", ("files",), ("documents", "rejections")),
    ("clean", ("documents",), ("paragraphs", "metadata", "removed")),
    ("assemble", ("documents", "paragraphs", "metadata", "removed"), ("articles", "rejections")),
    ("extract", ("articles",), ("mentions", "actors", "places", "times", "figures", "events")),
    ("resolve.versions", ("articles", "store"), ("article_versions",)),
    ("store", ("article_versions", "mentions", "actors", "places", "times", "figures", "events", "rejections"), ("store",)),
    ("resolve.actors", ("store",), ("actor_merges",)),
    ("resolve.events", ("store", "actor_merges"), ("event_clusters", "event_links")),
    ("resolve.projects", ("store",), ("projects", "project_events")),
    ("resolve.stories", ("store", "event_clusters", "projects"), ("stories",)),
    ("serve", ("store",), ()),
]


def test_pipeline_stages_match_golden_list() -> None:
    assert [(s.name, s.reads, s.writes) for s in STAGES] == GOLDEN


def test_pipeline_stages_are_consistent() -> None:
    assert check_stages() == []


@pytest.mark.parametrize(("order", "problem"), [([1, 0], "stage 'read' reads files"), ([0, 2], "stage 'clean' reads documents")])
def test_pipeline_checker_flags_a_stage_reading_before_it_is_written(order: list[int], problem: str) -> None:
    assert check_stages(tuple(STAGES[i] for i in order)) == [f"[P001] {problem}, which no earlier stage writes"]


def test_pipeline_stage_modules_exist() -> None:
    import importlib

    for stage in STAGES:
        importlib.import_module(stage.module)


@pytest.mark.parametrize("content", ["short."])
def test_pipeline_document_without_body_becomes_rejection(content: str) -> None:
    document = Document("x.txt", "x.txt", "x.txt", "text", content)
    result = process_document(document, load_settings())
    assert isinstance(result, Rejection) and result.code == "E-NO-BODY"


def test_pipeline_stage_failure_becomes_rejection_not_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(document: Document) -> None:
        raise RuntimeError("parser blew up")

    monkeypatch.setattr("dyad.pipeline.clean_document", explode)
    result = process_document(Document("x.txt", "x.txt", "x.txt", "text", "text " * 50), load_settings())
    assert isinstance(result, Rejection) and result.code == "E-CLEAN-FAILED" and "parser blew up" in result.message


def test_pipeline_custom_stage_list_is_checked() -> None:
    extra = Stage("extract", "dyad.extract", ("article_text",), ("events",), "not yet")
    assert check_stages(STAGES + (extra,))[0].startswith("[P001] stage 'extract' reads article_text")
