"""The workbench's queries (dyad.store.queries) on the seeds and on a small synthetic store
(scripts/synth_store.py): a dyad's events, quads and months agree with the clustered records
the CLI lists; the pair filter is unordered; filters, pages, evidence, actors, map and search."""

from __future__ import annotations

import importlib.util
import json
import random
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from conftest import REPO, require_shared
from dyad import scores
from dyad.api import open_store
from dyad.store import queries
from dyad.store.extraction import EventFilter
from dyad.store.resolution import event_cluster_records


@pytest.fixture()
def db(seeds_db: Path) -> sqlite3.Connection:
    store = open_store(seeds_db)
    yield store.db
    store.close()


def month_of(record: dict) -> str | None:
    value = (record["date"] or {}).get("value") or ""
    return value[:7] if len(value) >= 7 and value[:1].isdigit() else None


def test_queries_dyad_view_lists_the_clustered_events_with_quads_and_months(db: sqlite3.Connection) -> None:
    view = queries.dyad_view(db, "KAZ", "AFG")
    records = {r["id"]: r for r in event_cluster_records(db, EventFilter(pair=("KAZ", "AFG")))}
    assert {e["id"] for e in view["events"]} == set(records)
    assert view["total"] == len(records) >= 5
    assert (view["a"], view["b"]) == ({"id": "KAZ", "name": "Kazakhstan"}, {"id": "AFG", "name": "Afghanistan"})
    for shown in view["events"]:
        record = records[shown["id"]]
        assert (shown["type"], shown["status"], shown["sources"]) == (record["type"], record["status"], len(record["sources"]))
        assert shown["quad"] == scores.quad_class(record["type"])
        assert shown["weight"] == scores.weight(record["type"], record["mode"])
    expected: dict[str, Counter] = defaultdict(Counter)
    for record in records.values():
        if month_of(record):
            expected[month_of(record)]["events"] += 1
            if record["status"] in scores.SCORED_STATUSES:
                expected[month_of(record)][scores.quad_class(record["type"])] += 1
            if record["status"] in scores.PLANNED_STATUSES:
                expected[month_of(record)]["planned"] += 1
    assert [m["month"] for m in view["months"]] == sorted(expected)
    for month in view["months"]:
        assert month["events"] == expected[month["month"]]["events"]
        assert month["planned"] == expected[month["month"]]["planned"]
        assert month["by_quad"] == {q: expected[month["month"]][q] for q in scores.QUADS}
    # "Kazakhstan continues to supply humanitarian aid to Afghanistan" (Nov. 29, 2025): material cooperation.
    aid = [e for e in view["events"] if e["type"] == "AID" and (e["date"] or "").startswith("2025-11")]
    assert aid and aid[0]["quad"] == "material_cooperation"
    november = next(m for m in view["months"] if m["month"] == "2025-11")
    assert november["by_quad"]["material_cooperation"] >= 1 and november["score"] > 0
    # the planned meeting series counts as planned, not in the score
    planned = [e for e in view["events"] if e["status"] == "planned"]
    assert planned and all(next(m for m in view["months"] if m["month"] == e["date"][:7])["planned"] >= 1
                           for e in planned if e["date"])


def test_queries_pair_filter_is_unordered_and_a_country_covers_its_government(db: sqlite3.Connection) -> None:
    forward, backward = queries.dyad_view(db, "KAZ", "AFG"), queries.dyad_view(db, "AFG", "KAZ")
    assert [e["id"] for e in forward["events"]] == [e["id"] for e in backward["events"]]
    assert forward["months"] == backward["months"]
    page_ab = queries.event_page(db, a="KAZ", b="AFG", limit=500)
    page_ba = queries.event_page(db, a="AFG", b="KAZ", limit=500)
    assert page_ab == page_ba and page_ab["total"] == forward["total"]
    both_directions = {(e["actors"][0]["id"], e["recipients"][0]["id"]) for e in forward["events"] if e["actors"] and e["recipients"]}
    assert any(a.startswith("person:") or a.startswith("KAZ") for a, _ in both_directions)
    assert any(a.startswith("person:") and r == "KAZ" for a, r in both_directions)  # Afghan envoy -> Kazakhstan
    governments = [e for e in forward["events"] if {p["id"] for p in e["actors"] + e["recipients"]} >= {"KAZGOV", "AFGGOV"}]
    assert governments, "an event between the two governments is an event between the two countries"


def test_queries_event_page_filters_and_pages(db: sqlite3.Connection) -> None:
    everything = queries.event_page(db, limit=500)
    assert everything["total"] == len(everything["items"]) == len(event_cluster_records(db))
    days = [e["date"] for e in everything["items"] if e["date"] and e["date"][:1].isdigit()]
    assert days == sorted(days, reverse=True), "latest first"
    consults = queries.event_page(db, type="consult", limit=500)
    assert consults["total"] >= 2 and {e["type"] for e in consults["items"]} == {"CONSULT"}
    occurred = queries.event_page(db, actor="KAZ", status="occurred", limit=500)
    assert occurred["items"] and all(e["status"] == "occurred" for e in occurred["items"])
    ranged = queries.event_page(db, since="2025-11", until="2025-11-30", limit=500)
    assert ranged["items"] and all(e["date"].startswith("2025-11") for e in ranged["items"])
    first, second = queries.event_page(db, limit=3), queries.event_page(db, limit=3, offset=3)
    assert first["total"] == second["total"] and not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    words = queries.event_page(db, q="humanitarian aid", limit=500)
    assert words["items"] and all("humanitarian" in e["summary"].lower() for e in words["items"])
    assert queries.event_page(db, q='humanitarian" (', limit=5)["total"] == queries.event_page(db, q="humanitarian")["total"]


def test_queries_event_detail_evidence_is_the_articles_words(db: sqlite3.Connection) -> None:
    event_id = queries.dyad_view(db, "KAZ", "AFG")["events"][-1]["id"]
    detail = queries.event_detail(db, event_id)
    texts = {r[0]: r[1] for r in db.execute("SELECT id, text FROM articles")}
    evidence = [detail["fields"][name]["evidence"] for name in ("type", "date", "place") if detail["fields"][name]["evidence"]]
    evidence += [p["evidence"] for side in ("actors", "recipients") for p in detail["fields"][side] if p["evidence"]]
    evidence += [s[part] for s in detail["sources"] for part in ("sentence", "trigger")]
    assert len(evidence) >= 4
    for item in evidence:
        assert texts[item["article_id"]][item["start"]:item["end"]] == item["quote"]
    assert detail["id"] == event_id and detail["history"] == [] and detail["reviewed"] is None
    assert queries.event_detail(db, "ev:does-not-exist") is None


def test_queries_actor_detail_and_page(db: sqlite3.Connection) -> None:
    kazakhstan = queries.actor_detail(db, "KAZ")
    assert kazakhstan["name"] == "Kazakhstan" and kazakhstan["kind"] == "country"
    counterparts = {c["id"]: c for c in kazakhstan["counterparts"]}
    assert counterparts["AFG"]["events"] == queries.dyad_view(db, "KAZ", "AFG")["total"]
    assert kazakhstan["total_events"] == queries.event_page(db, actor="KAZ")["total"]
    days = [e["date"] for e in kazakhstan["events"] if e["date"] and e["date"][:1].isdigit()]
    assert days == sorted(days, reverse=True)
    people = queries.actor_page(db, kind="person", limit=500)
    assert people["total"] >= 3 and all(a["kind"] == "person" for a in people["items"])
    counts = [a["events"] for a in people["items"]]
    assert counts == sorted(counts, reverse=True)
    person = people["items"][0]
    found = queries.actor_page(db, q=person["name"].split()[-1][:4].lower())
    assert person["id"] in {a["id"] for a in found["items"]}
    detail = queries.actor_detail(db, person["id"])
    assert detail["roles"] and all(r["evidence"]["quote"] for r in detail["roles"])
    assert queries.actor_detail(db, "person:nobody-at-all") is None


def test_queries_map_points_and_search(db: sqlite3.Connection) -> None:
    points = queries.map_points(db, a="KAZ", b="AFG")
    assert points["places"] and all(p["lat"] is not None and p["lon"] is not None for p in points["places"])
    assert sum(c["events"] for c in points["countries"]) == sum(p["events"] for p in points["places"] if p["country"])
    everywhere = queries.map_points(db)
    assert sum(p["events"] for p in everywhere["places"]) >= sum(p["events"] for p in points["places"])
    found = queries.search(db, "humanitarian")
    assert found["articles"] and found["events"]
    assert all("humanitarian" in e["summary"].lower() for e in found["events"])
    assert queries.search(db, "   ") == {"articles": [], "events": []}


def test_queries_timeline_is_dated_and_in_order(db: sqlite3.Connection) -> None:
    line = queries.timeline(db, "AFG", "KAZ")
    dates = [e["date"] for e in line["items"]]
    assert dates and all(d[:1].isdigit() for d in dates) and dates == sorted(dates)
    assert line["total"] == len([e for e in queries.dyad_view(db, "KAZ", "AFG")["events"] if (e["date"] or "")[:1].isdigit()])


def test_scores_quads_and_weights() -> None:
    for event_type in scores.event_types():
        quad, weight = scores.quad_class(event_type), scores.weight(event_type)
        assert quad in scores.QUADS
        assert weight >= 0 if quad.endswith("cooperation") else weight <= 0
    assert scores.weight("CONSULT", "visit") > scores.weight("CONSULT") > 0
    assert scores.weight("ACCUSE") < 0  # the manual's +3 is a sign typo
    with pytest.raises(ValueError, match="unknown event type"):
        scores.quad_class("PARTY")


def test_scores_data_file_is_built_from_the_ontology() -> None:
    require_shared("data", "plover", "plover_ontology.json")
    ontology = json.loads((require_shared("data", "plover", "plover_ontology.json")).read_text("utf-8"))
    for entry in ontology["event_types"]:
        assert scores.quad_class(entry["event"]) == entry["quad_category"].lower().replace(" ", "_")
    spec = importlib.util.spec_from_file_location("build_plover_scores", REPO / "scripts" / "build_plover_scores.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert json.dumps(module.build(require_shared()), indent=1, sort_keys=True) + "\n" == \
        (REPO / "src" / "dyad" / "data" / "plover_scores.json").read_text("utf-8")


# --- a small synthetic store ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("synth_store", REPO / "scripts" / "synth_store.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    db = tmp_path_factory.mktemp("synthetic") / "synthetic.db"
    with open_store(db) as store:
        store.db.execute("BEGIN")
        module.Generator(store.db, random.Random(3), 3000).run(40)
        module.rebuild(store.db)
        store.db.execute("COMMIT")
    return db


def test_queries_synthetic_store_is_consistent(synthetic_db: Path) -> None:
    with open_store(synthetic_db) as store:
        db = store.db
        # what each real-world event involves, computed from the base tables, not the read model
        country = dict(db.execute("SELECT id, country FROM actors").fetchall())
        keys: dict[str, set[str]] = defaultdict(set)
        for cluster_id, actor_id in db.execute(
                "SELECT c.cluster_id, p.actor_id FROM event_participants p JOIN event_clusters c ON c.event_id = p.event_id"):
            keys[cluster_id] |= {actor_id, country.get(actor_id) or actor_id}
        assert queries.event_page(db)["total"] == len(keys) == db.execute("SELECT count(DISTINCT cluster_id) FROM event_clusters").fetchone()[0]
        busiest = Counter(k for ks in keys.values() for k in ks if len(k) == 3).most_common(4)
        for (a, _), (b, _) in [(busiest[0], busiest[1]), (busiest[2], busiest[3]), (busiest[1], busiest[3])]:
            expected = {c for c, ks in keys.items() if {a, b} <= ks}
            view = queries.dyad_view(db, a, b)
            assert view["total"] == len(expected) == queries.event_page(db, a=b, b=a)["total"]
            assert {e["id"] for e in view["events"]} == expected or len(expected) > queries.DYAD_EVENTS
            assert sum(m["events"] for m in view["months"]) == sum(1 for c in expected if len(_day(db, c)) >= 7)
            for month in view["months"][:3]:
                in_month = queries.event_page(db, a=a, b=b, since=month["month"], until=month["month"], limit=500)
                assert month["events"] == sum(1 for e in in_month["items"] if e["date"].startswith(month["month"]))
                scored = [e for e in in_month["items"] if e["status"] in scores.SCORED_STATUSES and e["date"].startswith(month["month"])]
                assert month["score"] == pytest.approx(sum(e["weight"] for e in scored), abs=0.05)
            half = queries.dyad_view(db, a, b, since="2022-03-15", until="2024-06-10")
            assert half["total"] == queries.event_page(db, a=a, b=b, since="2022-03-15", until="2024-06-10")["total"]
            assert half["total"] == sum(1 for c in expected if "2022-03-15" <= _day(db, c) <= "2024-06-10\U0010ffff")
            line = queries.timeline(db, a, b)
            assert [e["date"] for e in line["items"]] == sorted(e["date"] for e in line["items"])
        placed = dict(db.execute("SELECT e.id, e.place_id FROM events e JOIN event_clusters c ON c.cluster_id = e.id"
                                 " WHERE e.place_id IS NOT NULL").fetchall())
        for since, until in ((None, None), ("2021-02-10", "2023-11-03"), ("2024", None)):
            shown = queries.map_points(db, since=since, until=until)["places"]
            in_range = [c for c in placed if (not since or _day(db, c) >= since) and (not until or "" < _day(db, c) <= until + "\U0010ffff")]
            assert sum(p["events"] for p in shown) == len(in_range)
            assert {p["place_id"]: p["events"] for p in shown} == dict(Counter(placed[c] for c in in_range))
        for actor in queries.actor_page(db, kind="person", limit=5)["items"]:
            assert actor["events"] == sum(1 for ks in keys.values() if actor["id"] in ks)
        word = db.execute("SELECT summary FROM event_index LIMIT 1").fetchone()[0].split()[1]
        assert all(word.lower() in e["summary"].lower() for e in queries.search(db, word)["events"])


def _day(db: sqlite3.Connection, cluster_id: str) -> str:
    value = db.execute("SELECT date_value FROM events WHERE id = ?", (cluster_id,)).fetchone()[0] or ""
    return value if value[:1].isdigit() else ""
