"""The SQLite store: round trips, versions, idempotent ingest, all-or-nothing batches."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyad.errors import NotFoundError, StoreError
from dyad.records import Article, Evidence, MetaValue, Rejection, RemovedBlock
from dyad.store import Store
from dyad.store.migrations import latest_version


def make_article(ident: str = "a" * 16, key: str = "/corpus/a.txt", text: str = "Body one.\n\nBody two.", **fields) -> Article:
    paragraphs = []
    offset = 0
    for part in text.split("\n\n"):
        paragraphs.append(Evidence("text", offset, offset + len(part), part, ident))
        offset += len(part) + 2
    defaults = dict(
        id=ident, key=key, source=key, locator=key, kind="text", raw="Title\n" + text, text=text,
        paragraphs=tuple(paragraphs),
        title=MetaValue("Title", "text:title", 0.8, Evidence("raw", 0, 5, "Title", ident)),
        published=MetaValue("2025-04-21", "text:published", 0.95, Evidence("raw", 0, 5, "Title", ident), "day-first: 21 > 12"),
        removed=(RemovedBlock(0, 5, "title", "Title"),),
    )
    defaults.update(fields)
    return Article(**defaults)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "t.db") as opened:
        yield opened


def test_store_round_trips_a_hand_built_article(store: Store) -> None:
    article = make_article()
    counts = store.write_batch(None, [article])
    assert counts.added == 1
    assert store.article(article.id) == article


def test_store_same_article_twice_adds_nothing_but_notes_the_source(store: Store) -> None:
    article = make_article()
    store.write_batch(None, [article])
    copy = make_article(locator="/elsewhere/a.txt", source="/elsewhere/a.txt")
    counts = store.write_batch(None, [article, copy])
    assert (counts.added, counts.unchanged) == (0, 2)
    assert store.stats()["article_versions"] == 1
    assert [loc for _, loc in store.sources(article.id)] == ["/corpus/a.txt", "/elsewhere/a.txt"]


def test_store_changed_content_is_a_new_version_old_kept(store: Store) -> None:
    old, new = make_article("1" * 16), make_article("2" * 16, text="Body one, corrected.\n\nBody two.")
    store.write_batch(None, [old])
    counts = store.write_batch(None, [new])
    assert counts.new_versions == 1
    assert [a.id for a in store.articles()] == [new.id]
    assert [(a.id, a.version, a.supersedes) for a in store.articles(all_versions=True)] == [
        (old.id, 1, None), (new.id, 2, old.id)]


def test_store_failed_batch_leaves_nothing_half_written(store: Store) -> None:
    good = make_article("1" * 16, key="k1")
    broken = make_article("2" * 16, key="k2", kind="pdf")  # violates the kind CHECK constraint
    with pytest.raises(sqlite3.IntegrityError):
        store.write_batch(None, [good, Rejection("s", "s", "E-EMPTY", "empty"), broken])
    assert store.stats()["article_versions"] == 0 and store.rejections() == []
    store.write_batch(None, [good])
    assert store.stats()["articles"] == 1


def test_store_full_text_search_finds_words_and_phrases(store: Store) -> None:
    store.write_batch(None, [make_article(text="The railway corridor was discussed.\n\nTrade grew.")])
    assert [a.id for a, _ in store.search("railway")] == ["a" * 16]
    assert store.search('"corridor was"')[0][1].count("[") >= 1
    assert store.search("pipeline") == []
    with pytest.raises(StoreError):
        store.search('"unbalanced')


def test_store_article_by_unique_prefix(store: Store) -> None:
    store.write_batch(None, [make_article("ab" + "0" * 14, key="k1"), make_article("ac" + "0" * 14, key="k2")])
    assert store.article("ab").id == "ab" + "0" * 14
    with pytest.raises(NotFoundError):
        store.article("a")
    with pytest.raises(NotFoundError):
        store.article("ff")


def test_store_refuses_newer_schema_and_foreign_files(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    Store(newer).close()
    with sqlite3.connect(newer) as db:
        db.execute(f"PRAGMA user_version = {latest_version() + 1}")
    with pytest.raises(StoreError, match="upgrade dyad"):
        Store(newer)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a dyad store"):
        Store(foreign)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError):
        Store(garbage)


def test_store_uses_wal_so_readers_work_during_a_write(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with Store(path) as writer, Store(path) as reader:
        writer.write_batch(None, [make_article("1" * 16, key="k1")])
        writer.db.execute("BEGIN IMMEDIATE")
        writer._insert_article(None, make_article("2" * 16, key="k2"))
        assert reader.stats()["articles"] == 1  # sees the committed state, is not blocked
        writer.db.execute("COMMIT")
        assert reader.stats()["articles"] == 2


def test_store_second_writer_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    with Store(path) as first, Store(path, busy_timeout=0.1) as second:
        first.db.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError, match="locked by another writer"):
            second.write_batch(None, [make_article()])
        first.db.execute("ROLLBACK")


text_parts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=st.lists(text_parts.filter(lambda s: "\n\n" not in s), min_size=1, max_size=5),
       title=st.one_of(st.none(), text_parts), confidence=st.floats(0, 1), removed=st.lists(text_parts, max_size=3))
def test_store_round_trip_property(tmp_path: Path, paragraphs: list[str], title: str | None, confidence: float, removed: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    ident = format(abs(hash((text, title, confidence, tuple(removed)))), "016x")[:16]
    article = make_article(
        ident, key=ident, text=text,
        title=None if title is None else MetaValue(title, "given:jsonl", confidence, None, "stated"),
        removed=tuple(RemovedBlock(i, i + len(r), "nav-menu", r) for i, r in enumerate(removed)),
    )
    with Store(tmp_path / "prop.db") as store:
        store.write_batch(None, [article])
        assert store.article(ident) == article
