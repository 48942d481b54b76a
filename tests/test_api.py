"""The REST API on the seed articles: what each endpoint answers, evidence that matches the
article text, reviews that persist, clear 4xx for bad input, and readers that keep answering
while an ingest writes."""

from __future__ import annotations

import csv
import io
import json
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import copy_store, write_corpus
from dyad.settings import load_settings
from dyad.store import Store
from dyad.store.extraction import EventFilter
from dyad.store.resolution import event_cluster_records
from dyad.web import create_app


def client_for(db: Path, **settings: object) -> TestClient:
    return TestClient(create_app(db, load_settings(db_path=db, **settings)))


@pytest.fixture(scope="module")
def api(seeds_db: Path) -> TestClient:
    return client_for(seeds_db)


@pytest.fixture
def own_store(seeds_db: Path, tmp_path: Path) -> Path:
    """A copy of the seed store that a test may change."""
    return copy_store(seeds_db, tmp_path / "own.db")


def get(api: TestClient, url: str, expect: int = 200, **params: object) -> dict:
    response = api.get(url, params=params)
    assert response.status_code == expect, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def pair_ids(db: Path, a: str, b: str) -> set[str]:
    """The pair's events as the CLI finds them (dyad events --pair), independently of the API."""
    with Store(db, readonly=True) as store:
        return {r["id"] for r in event_cluster_records(store.db, EventFilter(pair=(a, b)))}


def test_dyad_kaz_afg_lists_the_kazakhstan_afghanistan_events(api: TestClient, seeds_db: Path) -> None:
    view = get(api, "/api/dyad", a="KAZ", b="AFG")
    assert view["a"]["id"] == "KAZ" and view["b"]["id"] == "AFG"
    events = view["events"]
    assert {e["id"] for e in events} == pair_ids(seeds_db, "KAZ", "AFG")
    aid = [e for e in events if e["type"] == "AID" and "humanitarian aid was delivered to Afghanistan twice" in e["summary"]]
    assert len(aid) == 1 and aid[0]["date"] == "2025"
    visit = next(e for e in events if "paid a working visit to Afghanistan" in e["summary"])
    assert visit["date"] == "--12-08" and visit["place"]["name"] == "Kabul"
    assert "Yerkin Tukumov" in {p["name"] for p in view["people"]}
    assert sum(m["events"] for m in view["months"]) == len([e for e in events if e["date"] and e["date"][:1].isdigit() and len(e["date"]) >= 7])
    # the same pair by name and in the other order
    assert {e["id"] for e in get(api, "/api/dyad", a="Afghanistan", b="Kazakhstan")["events"]} == {e["id"] for e in events}


def test_events_list_filters_and_paginates(api: TestClient, seeds_db: Path) -> None:
    everything = get(api, "/api/events", limit=500)
    assert everything["total"] == len(everything["items"]) > 20
    pair = get(api, "/api/events", a="KAZ", b="AFG", limit=500)
    assert {e["id"] for e in pair["items"]} == pair_ids(seeds_db, "KAZ", "AFG")
    pages = [get(api, "/api/events", a="KAZ", b="AFG", limit=3, offset=o)["items"] for o in range(0, pair["total"], 3)]
    assert [e["id"] for p in pages for e in p] == [e["id"] for e in pair["items"]]
    aid = get(api, "/api/events", type="aid", a="KAZ", b="AFG")
    assert aid["total"] >= 2 and {e["type"] for e in aid["items"]} == {"AID"}
    dated = get(api, "/api/events", a="KAZ", b="AFG", since="2025-04", until="2025-04-30")
    assert dated["items"] and all(e["date"].startswith("2025-04") for e in dated["items"])
    planned = get(api, "/api/events", status="planned", limit=500)["items"]
    assert planned and {e["status"] for e in planned} == {"planned"}


def test_event_evidence_quotes_the_article_text_at_its_span(api: TestClient) -> None:
    events = get(api, "/api/dyad", a="KAZ", b="AFG")["events"]
    texts: dict[str, str] = {}
    checked = 0
    for summary in events:
        detail = get(api, f"/api/events/{summary['id']}")
        assert detail["id"] == summary["id"] and detail["sources"]
        spans = [s[k] for s in detail["sources"] for k in ("sentence", "trigger")]
        spans += [f["evidence"] for f in detail["fields"].values() if isinstance(f, dict) and f.get("evidence")]
        for evidence in spans:
            article_id = evidence["article_id"]
            if article_id not in texts:
                texts[article_id] = get(api, f"/api/articles/{article_id}")["text"]
            assert texts[article_id][evidence["start"]:evidence["end"]] == evidence["quote"]
            checked += 1
    assert checked >= 3 * len(events)


def test_article_detail_has_text_evidence_removed_blocks_and_events(api: TestClient) -> None:
    listed = get(api, "/api/articles")
    assert listed["total"] == 5 and len(listed["items"]) == 5
    rasc = next(a for a in listed["items"] if a["outlet"] == "RASC News")
    article = get(api, f"/api/articles/{rasc['id'][:10]}")
    assert article["id"] == rasc["id"] and article["published"] == "2025-04-21"
    assert article["meta"]["published"]["quote"] == "Published 21/04/2025" and article["meta"]["published"]["layer"] == "raw"
    assert any("Lorem ipsum" in block["text"] for block in article["removed"]) and "Lorem ipsum" not in article["text"]
    for start, end in article["paragraphs"]:
        assert 0 <= start < end <= len(article["text"])
    assert article["events"]
    for event in article["events"]:
        for span in (event["sentence"], event["trigger"]):
            assert article["text"][span["start"]:span["end"]] == span["quote"]
    visit = next(e for e in article["events"] if "arrived in" in e["trigger"]["quote"] or "arrived in" in e["sentence"]["quote"])
    assert visit["type"] == "CONSULT" and visit["quad"] == "verbal_cooperation" and not visit["reviewed"]
    found = get(api, "/api/articles", q='"arrived in Kabul"')
    assert [a["id"] for a in found["items"]] == [rasc["id"]] and found["total"] == 1
    page = get(api, "/api/articles", limit=2, offset=4)
    assert page["total"] == 5 and len(page["items"]) == 1


def test_actors_people_search_map_and_timeline(api: TestClient) -> None:
    actors = get(api, "/api/actors", q="Kazakh", limit=500)["items"]
    assert any(a["id"] == "KAZ" for a in actors)
    kaz = get(api, "/api/actors/KAZ")
    assert kaz["kind"] == "country" and kaz["events"] and any(c["id"] == "AFG" for c in kaz["counterparts"])
    people = get(api, "/api/people", limit=500)
    tukumov = next(p for p in people["items"] if p["name"] == "Yerkin Tukumov")
    assert any("Special Representative" in r["title"] for r in tukumov["roles"])
    found = get(api, "/api/search", q="humanitarian")
    assert found["articles"] and found["events"]
    places = get(api, "/api/map", a="KAZ", b="AFG")["places"]
    assert any(p["name"] == "Kabul" and p["lat"] is not None for p in places)
    timeline = get(api, "/api/timeline", a="KAZ", b="AFG")["items"]
    assert timeline and [e["date"] for e in timeline] == sorted(e["date"] for e in timeline)


def test_projects_commitments_stories_and_merges(api: TestClient) -> None:
    projects = get(api, "/api/projects")["items"]
    assert any("railway" in p["name"].lower() for p in projects)
    open_ones = get(api, "/api/commitments", state="open")["items"]
    assert any(c["actors"][0]["name"] == "Government of Kazakhstan" and c["recipients"][0]["name"] == "Government of Afghanistan"
               for c in open_ones)
    due = get(api, "/api/commitments", state="due")["items"]
    assert due and all(c["due"]["value"] == "2026-02" for c in due)
    assert get(api, "/api/commitments", state="due", as_of="2026-06-01")["total"] == 0
    assert get(api, "/api/commitments", state="overdue", as_of="2026-06-01")["total"] == len(due)
    assert get(api, "/api/stories")["total"] >= 1
    merges = get(api, "/api/merges", limit=500)
    assert merges["total"] == len(merges["items"])


def test_review_persists_and_shows_as_corrected(own_store: Path) -> None:
    api = client_for(own_store)
    events = get(api, "/api/dyad", a="KAZ", b="AFG")["events"]
    aid = next(e for e in events if "humanitarian aid was delivered" in e["summary"])
    response = api.post(f"/api/events/{aid['id']}/review",
                        json={"action": "correct", "changes": {"type": "SUPPORT"}, "note": "aid is support here"})
    assert response.status_code == 200, response.text
    # a new app (a restarted server) reads the review back from the store
    again = client_for(own_store)
    detail = get(again, f"/api/events/{aid['id']}")
    assert detail["type"] == "SUPPORT" and detail["reviewed"]["action"] == "correct"
    assert detail["reviewed"]["machine"]["type"] == "AID"
    assert [h["action"] for h in detail["history"]] == ["correct"]
    listed = {e["id"]: e for e in get(again, "/api/dyad", a="KAZ", b="AFG")["events"]}
    assert listed[aid["id"]]["type"] == "SUPPORT"
    source = detail["sources"][0]["article_id"]
    in_article = [e for e in get(again, f"/api/articles/{source}")["events"] if e["id"] == aid["id"]]
    assert in_article and all(e["type"] == "SUPPORT" and e["quad"] == "verbal_cooperation" and e["reviewed"] for e in in_article)
    assert again.post(f"/api/events/{aid['id']}/review", json={"action": "reject", "note": "not an event"}).status_code == 200
    assert aid["id"] not in {e["id"] for e in get(again, "/api/dyad", a="KAZ", b="AFG")["events"]}
    assert aid["id"] in {e["id"] for e in get(again, "/api/events", a="KAZ", b="AFG", include_rejected=True, limit=500)["items"]}


def test_review_rejects_bad_input_with_422_and_unknown_event_with_404(own_store: Path) -> None:
    api = client_for(own_store)
    event_id = get(api, "/api/dyad", a="KAZ", b="AFG")["events"][0]["id"]
    for body in ({"action": "approve"}, {"action": "correct", "changes": {"type": "NOT_A_TYPE"}},
                 {"action": "correct", "changes": {"date": "2025-02-30"}}, {"action": "confirm", "extra": 1}, {}):
        response = api.post(f"/api/events/{event_id}/review", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["detail"]
    assert api.post(f"/api/events/{event_id}/review", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422
    assert api.post("/api/events/no-such-event/review", json={"action": "confirm"}).status_code == 404
    assert get(api, f"/api/events/{event_id}")["reviewed"] is None


def test_bad_input_gets_a_clear_4xx(api: TestClient) -> None:
    cases = [
        ("/api/articles/ffffffffffff", {}, 404), ("/api/events/no-such-event", {}, 404), ("/api/actors/NO_SUCH_ACTOR", {}, 404),
        ("/api/dyad", {"a": "KAZ", "b": "Atlantis"}, 404), ("/api/dyad", {"a": "KAZ"}, 422),
        ("/api/dyad", {"a": "KAZ", "b": "kaz"}, 422), ("/api/events", {"b": "AFG"}, 422),
        ("/api/events", {"since": "2025-13"}, 422), ("/api/events", {"since": "2025-02-30"}, 422),
        ("/api/events", {"since": "yesterday"}, 422), ("/api/events", {"since": "2025-06", "until": "2025-05"}, 422),
        ("/api/events", {"limit": 0}, 422), ("/api/events", {"limit": 501}, 422), ("/api/events", {"offset": -1}, 422),
        ("/api/events", {"status": "maybe"}, 422), ("/api/commitments", {"as_of": "2025-99-01"}, 422),
        ("/api/export/events", {"format": "xlsx"}, 422), ("/api/export/actors", {"format": "csv"}, 422),
        ("/api/articles", {"q": '"unbalanced'}, 400), ("/api/merges/x12/undo", {}, 405), ("/api/nothing", {}, 404),
    ]
    for url, params, expect in cases:
        body = get(api, url, expect, **params)
        assert body["detail"], (url, params)


def test_exports_download_with_the_right_media_type(api: TestClient, seeds_db: Path) -> None:
    with Store(seeds_db, readonly=True) as store:
        events = event_cluster_records(store.db)
    response = api.get("/api/export/events")
    assert response.headers["content-type"] == "application/x-ndjson" and "attachment" in response.headers["content-disposition"]
    assert [json.loads(line)["id"] for line in response.text.splitlines()] == [e["id"] for e in events]
    plover = [json.loads(line) for line in api.get("/api/export/events", params={"format": "plover"}).text.splitlines()]
    assert {p["event_type"] for p in plover} == {e["type"] for e in events}
    rows = list(csv.DictReader(io.StringIO(api.get("/api/export/events", params={"format": "csv"}).text)))
    assert [r["id"] for r in rows] == [e["id"] for e in events] and rows[0]["quote"]
    parquet = api.get("/api/export/events", params={"format": "parquet"})
    assert parquet.headers["content-type"] == "application/vnd.apache.parquet" and parquet.content[:4] == b"PAR1"
    articles = api.get("/api/export/articles").text.splitlines()
    assert len(articles) == 5 and all(json.loads(line)["text"] for line in articles)
    assert api.get("/api/export/articles", params={"format": "parquet"}).content[:4] == b"PAR1"
    assert any(json.loads(line)["id"] == "KAZ" for line in api.get("/api/export/actors").text.splitlines())


def test_undo_merge_via_post(own_store: Path) -> None:
    api = client_for(own_store)
    merges = get(api, "/api/merges", limit=500)["items"]
    active = [m for m in merges if not m["undone_at"]]
    if not active:
        pytest.skip("the seeds produce no merge to undo")
    target = active[0]["id"]
    assert api.post(f"/api/merges/{target}/undo").json() == {"id": target, "undone": True}
    assert next(m for m in get(api, "/api/merges", limit=500)["items"] if m["id"] == target)["undone_at"]
    assert api.post(f"/api/merges/{target}/undo").status_code == 404
    assert api.post("/api/merges/e999999/undo").status_code == 404


def test_health_and_pages(api: TestClient) -> None:
    health = get(api, "/api/health")
    assert health["status"] == "ok" and health["articles"] == 5 and health["token_required"] is False
    spec = get(api, "/api/openapi.json")
    params = {p["name"]: p for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert params["limit"]["schema"]["maximum"] == 500 and params["offset"]["schema"]["minimum"] == 0
    assert params["since"]["schema"]["anyOf"][0]["pattern"]
    for page in ("/", "/brief?a=KAZ&b=AFG"):
        html = api.get(page)
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
        assert "default-src 'self'" in html.headers["content-security-policy"]
    script = api.get("/static/js/app.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert api.get("/static/../app.py").status_code == 404


def test_readers_answer_while_an_ingest_writes(own_store: Path, tmp_path: Path) -> None:
    """SQLite WAL: GETs keep answering (from the last committed state) while another thread ingests."""
    from dyad.api import ingest, open_store

    api = client_for(own_store)
    corpus = write_corpus(tmp_path)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            settings = load_settings(db_path=own_store, batch_size=1)
            with open_store(own_store, settings=settings) as store:
                ingest([corpus], store=store, settings=settings)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    answered = 0
    while writer.is_alive():
        assert get(api, "/api/articles")["total"] in range(5, 11)
        assert get(api, "/api/dyad", a="KAZ", b="AFG")["events"]
        answered += 1
    writer.join()
    assert not failures, failures
    assert answered >= 2
    assert get(api, "/api/articles")["total"] == 10
    assert any("trade agreement" in e["summary"] for e in get(api, "/api/dyad", a="KAZ", b="AFG")["events"])


def test_a_read_model_being_rebuilt_gives_503_not_500(own_store: Path) -> None:
    """Requests never write: one that finds the read model empty (an ingest from an older dyad
    is rebuilding it) is told to retry, and answers again once it is built."""
    from dyad.store.event_index import ensure_built

    api = client_for(own_store)
    with Store(own_store) as store:
        store.db.execute("DELETE FROM event_index")
    busy = api.get("/api/dyad", params={"a": "KAZ", "b": "AFG"})
    assert busy.status_code == 503 and busy.headers["retry-after"] == "5" and "not built yet" in busy.json()["detail"]
    with Store(own_store) as store:
        ensure_built(store.db)
    assert get(api, "/api/dyad", a="KAZ", b="AFG")["events"]
