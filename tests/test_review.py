"""Analysts' review (dyad.store.review): a correction is shown as such with the machine's values
beside it, a rejection hides the event, and decisions outlive forced re-extraction, re-ingest of
the same files, a newer model that reads the event differently, and re-clustering; bad input is
refused with a clear message and writes nothing."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import SEEDS, copy_store
from dyad.api import extract_stored, ingest, open_store
from dyad.errors import NotFoundError, ValidationError
from dyad.extract import extract_article
from dyad.store import queries, review


@pytest.fixture()
def store(seeds_db: Path, tmp_path: Path):  # noqa: ANN201
    with open_store(copy_store(seeds_db, tmp_path / "seeds.db")) as opened:
        yield opened


def aid_event(db: sqlite3.Connection) -> dict:
    """The Kazakh humanitarian aid to Afghanistan said in a seed article (dated 2025)."""
    return next(e for e in queries.dyad_view(db, "KAZ", "AFG")["events"] if e["type"] == "AID" and e["date"] == "2025")


def corrected_ok(db: sqlite3.Connection, text: str) -> dict:
    shown = next(e for e in queries.dyad_view(db, "KAZ", "AFG")["events"] if e["summary"] == text)
    assert (shown["type"], shown["mode"], shown["date"], shown["granularity"]) == ("COOPERATE", None, "2025-03", "month")
    assert shown["quad"] == "material_cooperation"
    assert shown["reviewed"]["action"] == "correct" and shown["reviewed"]["by"] == "analyst-1"
    assert shown["reviewed"]["machine"] == {"type": "AID", "mode": "humanitarian", "date": "2025"}
    return shown


def test_review_correction_is_shown_as_such(store) -> None:  # noqa: ANN001
    db = store.db
    event = aid_event(db)
    made = review.record(db, event["id"], "correct", {"type": "cooperate", "mode": None, "date": "2025-03"},
                         "the aid was a joint programme", "analyst-1")
    assert made["machine"] == {"type": "AID", "mode": "humanitarian", "date": "2025"}
    assert made["changes"] == {"type": "COOPERATE", "mode": None, "date": "2025-03"}
    corrected_ok(db, event["summary"])
    detail = queries.event_detail(db, event["id"])
    assert detail["fields"]["type"] == {"value": "COOPERATE", "evidence": None, "corrected": True}
    assert detail["fields"]["status"]["corrected"] is False and detail["fields"]["status"]["evidence"]["quote"]
    assert [h["note"] for h in detail["history"]] == ["the aid was a joint programme"]
    months = {m["month"]: m for m in queries.dyad_view(db, "KAZ", "AFG")["months"]}
    assert months["2025-03"]["by_quad"]["material_cooperation"] == 1
    assert queries.event_page(db, type="COOPERATE", a="AFG", b="KAZ")["total"] == 1
    # the machine's output is untouched
    assert db.execute("SELECT type FROM events WHERE id = ?", (event["id"],)).fetchone()[0] == "AID"


def test_review_survives_reextraction_reingest_and_a_newer_model(store) -> None:  # noqa: ANN001
    db = store.db
    event = aid_event(db)
    review.record(db, event["id"], "correct", {"type": "COOPERATE", "mode": None, "date": "2025-03"}, "", "analyst-1")
    extract_stored(store, force=True)
    corrected_ok(db, event["summary"])
    ingest([SEEDS], store=store)
    corrected_ok(db, event["summary"])
    # A newer model reads the same words as another type: the event gets another id.
    article_id = db.execute("SELECT article_id FROM events WHERE id = ?", (event["id"],)).fetchone()[0]
    extraction = extract_article(store.article(article_id))
    reread = tuple(replace(e, id=e.id + "-v2", type="SUPPORT", mode=None) if e.id == event["id"] else e for e in extraction.events)
    store.write_batch(None, [replace(extraction, events=reread)])
    store.resolve_across_articles()
    assert db.execute("SELECT count(*) FROM events WHERE id = ?", (event["id"],)).fetchone()[0] == 0
    shown = next(e for e in queries.dyad_view(db, "KAZ", "AFG")["events"] if e["summary"] == event["summary"])
    assert shown["id"] == event["id"] + "-v2" and shown["type"] == "COOPERATE"
    assert shown["reviewed"]["machine"]["type"] == "SUPPORT"  # today's machine value, kept visible
    assert [h["action"] for h in review.history(db, shown["id"])] == ["correct"]


def test_review_reject_hides_and_confirm_restores(store) -> None:  # noqa: ANN001
    db = store.db
    event = aid_event(db)
    total = queries.dyad_view(db, "KAZ", "AFG")["total"]
    everything, aid = queries.event_page(db)["total"], queries.event_page(db, type="AID")["total"]
    review.record(db, event["id"], "reject", {}, "not an event between the two", "analyst-2")
    assert (queries.event_page(db)["total"], queries.event_page(db, type="AID")["total"]) == (everything - 1, aid - 1)
    assert event["id"] not in {e["id"] for e in queries.event_page(db, a="KAZ", b="AFG", limit=500)["items"]}
    assert queries.dyad_view(db, "KAZ", "AFG")["total"] == total - 1
    assert queries.event_page(db, a="KAZ", b="AFG", include_rejected=True)["total"] == total
    assert queries.actor_detail(db, "KAZ")["total_events"] == queries.event_page(db, actor="KAZ")["total"]
    assert all(e["id"] != event["id"] for e in queries.search(db, "humanitarian")["events"])
    rejected = queries.event_detail(db, event["id"])
    assert rejected["rejected"] and rejected["reviewed"]["action"] == "reject"
    extract_stored(store, force=True)
    assert queries.dyad_view(db, "KAZ", "AFG")["total"] == total - 1
    review.record(db, event["id"], "confirm", {}, "on second reading it is", "analyst-1")
    assert queries.dyad_view(db, "KAZ", "AFG")["total"] == total
    assert [h["action"] for h in review.history(db, event["id"])] == ["reject", "confirm"]


def test_review_of_a_cluster_applies_to_every_report(news_db: Path, tmp_path: Path) -> None:
    with open_store(copy_store(news_db, tmp_path / "news.db")) as store:
        db = store.db
        talks = next(e for e in queries.event_page(db, a="KAZ", b="UZB", type="CONSULT", limit=50)["items"] if e["sources"] == 2)
        other_report = db.execute("SELECT event_id FROM event_clusters WHERE cluster_id = ? AND event_id != ?",
                                  (talks["id"], talks["id"])).fetchone()[0]
        review.record(db, other_report, "correct", {"status": "ongoing"}, "", "analyst-1")  # a report's id names its event
        store.resolve_across_articles()
        shown = queries.event_detail(db, talks["id"])
        assert shown["status"] == "ongoing" and shown["reviewed"]["machine"] == {"status": "occurred"}
        assert len(shown["sources"]) == 2


@pytest.mark.parametrize(("action", "changes", "note", "by", "message"), [
    ("approve", {}, "", "a", "action must be one of confirm, correct, reject"),
    ("correct", {}, "", "a", "'correct' needs at least one change"),
    ("confirm", {"type": "AID"}, "", "a", "only 'correct' takes changes"),
    ("correct", {"type": "PARTY"}, "", "a", "unknown event type 'PARTY'"),
    ("correct", {"colour": "red"}, "", "a", "cannot correct colour"),
    ("correct", {"status": "rumoured"}, "", "a", "status must be one of"),
    ("correct", {"date": "March 2025"}, "", "a", "date must be YYYY, YYYY-MM or YYYY-MM-DD"),
    ("correct", {"date": "2025-02-30"}, "", "a", "is not a calendar date"),
    ("correct", {"type": "CONSULT", "mode": "telepathy"}, "", "a", "CONSULT has no mode 'telepathy'"),
    ("correct", {"mode": "telepathy"}, "", "a", "AID has no mode 'telepathy'"),
    ("correct", {"actors": []}, "", "a", "an event needs at least one actor"),
    ("correct", {"recipients": ["person:nobody"]}, "", "a", "unknown actor id(s) in recipients: person:nobody"),
    ("correct", {"actors": "KAZ"}, "", "a", "actors must be a list of actor ids"),
    ("reject", {}, "", " ", "needs its author"),
    ("reject", {}, "x" * 5000, "a", "the note must be text of at most"),
])
def test_review_invalid_input_is_refused(store, action: str, changes: dict, note: str, by: str, message: str) -> None:  # noqa: ANN001
    db = store.db
    event = aid_event(db)
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        review.record(db, event["id"], action, changes, note, by)
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    assert aid_event(db)["reviewed"] is None


def test_review_unknown_event_is_not_found(store) -> None:  # noqa: ANN001
    with pytest.raises(NotFoundError, match="no event ev:nothing"):
        review.record(store.db, "ev:nothing", "confirm", {}, "", "analyst-1")
    with pytest.raises(NotFoundError):
        review.history(store.db, "ev:nothing")
