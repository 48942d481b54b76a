"""The workbench in a real browser over the seeds: the default dyad's timeline, evidence
highlighting, and an analyst's correction that survives re-ingest and re-extraction."""

from __future__ import annotations

from pathlib import Path

import httpx

from dyad.api import extract_stored, ingest, open_store
from dyad.settings import load_settings
from browser.conftest import serve

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def _dyad(base: str) -> dict:
    return httpx.get(f"{base}/api/dyad", params={"a": "KAZ", "b": "AFG"}).json()


def test_default_view_is_the_busiest_dyad_with_its_events(seeds_server, watched) -> None:
    page = watched.open(f"{seeds_server.url}/", "dyad")
    assert page.locator("h1.dyad-title").inner_text().replace("\u00a0", " ").split(" ⇄ ") == ["Kazakhstan", "Afghanistan"]
    expected = _dyad(seeds_server.url)["events"]
    rows = page.locator("table.events tbody tr")
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.eventId)")) == sorted(e["id"] for e in expected)
    # the seeds report the rail-corridor memorandum Kazakhstan signed with Afghanistan
    memorandum = rows.filter(has_text="memorandum of understanding with Afghanistan")
    assert memorandum.count() == 1 and "AGREE" in memorandum.inner_text()
    dated = [e for e in expected if e["date"] and e["date"][:4].isdigit()]
    markers = page.locator("svg.timeline a.marker-link")
    assert sorted(markers.evaluate_all("ms => ms.map(m => m.dataset.eventId)")) == sorted(e["id"] for e in dated)
    planned = [e["id"] for e in dated if e["status"] in ("planned", "proposed")]
    hollow = page.locator("svg.timeline circle.marker.hollow")
    assert hollow.count() == len(planned)
    assert page.locator("svg.trend .score-dot").count() == len({e["date"][:7] for e in dated if len(e["date"]) >= 7})
    assert watched.errors == [] and watched.dialogs == []


def test_clicking_an_event_and_its_fields_marks_their_quotes(seeds_server, watched) -> None:
    page = watched.open(f"{seeds_server.url}/", "dyad")
    event = max(_dyad(seeds_server.url)["events"], key=lambda e: len(e["actors"]) + len(e["recipients"]))
    page.locator(f"table.events tr[data-event-id='{event['id']}'] td.summary a").click()
    page.wait_for_selector("body[data-ready='event']", state="attached")
    detail = httpx.get(f"{seeds_server.url}/api/events/{event['id']}").json()

    page.locator("blockquote.headline").click()
    assert page.locator("mark.evidence").inner_text() == detail["sources"][0]["sentence"]["quote"]
    for name in ("type", "actors 1" if len(detail["fields"]["actors"]) > 1 else "actors"):
        field = detail["fields"][name.split()[0]]
        field = field[0] if isinstance(field, list) else field
        page.locator(f"table.fields tr[data-field='{name}']").click()
        mark = page.locator("mark.evidence")
        assert mark.count() == 1
        assert mark.inner_text() == field["evidence"]["quote"]
        # the mark sits at the stored span of the article's text
        text = httpx.get(f"{seeds_server.url}/api/articles/{field['evidence']['article_id']}").json()["text"]
        assert text[field["evidence"]["start"]:field["evidence"]["end"]] == mark.inner_text()
    assert watched.errors == [] and watched.dialogs == []


def test_a_correction_persists_through_reingest_and_reextraction(seeds_server, watched, shots) -> None:
    events = _dyad(seeds_server.url)["events"]
    target = next(e for e in events if "memorandum of understanding" in (e["summary"] or ""))
    page = watched.open(f"{seeds_server.url}/#/event/{target['id']}", "event")
    page.select_option("select[name=action]", "correct")
    page.fill("input[name=type]", "COOPERATE")
    page.fill("input[name=date]", "2025-03")
    page.fill("textarea[name=note]", "the memorandum was signed in March")
    page.click("form.review-form button[type=submit]")
    page.wait_for_selector("table.diff", state="attached")

    with open_store(seeds_server.db) as store:
        ingest([SEEDS], store=store, settings=load_settings())
        extract_stored(store, force=True)

    page = watched.open(f"{seeds_server.url}/", "dyad")
    row = page.locator("table.events tbody tr.reviewed").filter(has_text="memorandum of understanding")
    assert row.count() == 1
    assert "COOPERATE" in row.inner_text() and "2025-03" in row.inner_text()
    row.locator("td.summary a").click()
    page.wait_for_selector("body[data-ready='event']", state="attached")
    diff = page.locator("table.diff")
    assert diff.locator("tr[data-field='type'] td.old").inner_text() == "AGREE"
    assert diff.locator("tr[data-field='type'] td.new").inner_text() == "COOPERATE"
    assert diff.locator("tr[data-field='date'] td.new").inner_text() == "2025-03"
    assert "the memorandum was signed in March" in page.locator(".history").inner_text()
    page.screenshot(path=str(shots / "review.png"), full_page=True)
    assert watched.errors == [] and watched.dialogs == []


def test_a_server_with_a_token_takes_a_review_only_with_it(seeds_server, watched) -> None:
    server = serve(seeds_server.db, token="s3cret-token")
    try:
        event = next(e for e in _dyad(server.url)["events"] if not e["reviewed"])
        page = watched.open(f"{server.url}/#/event/{event['id']}", "event")
        page.fill("textarea[name=note]", "checked against the ministry's statement")
        page.click("form.review-form button[type=submit]")
        page.wait_for_selector(".form-message.error", state="visible")
        assert page.locator(".history").inner_text() == "Not reviewed yet."

        page.fill("input[name=token]", "s3cret-token")
        page.click("form.review-form button[type=submit]")
        page.wait_for_selector(".history li", state="attached")
        assert "checked against the ministry's statement" in page.locator(".history").inner_text()
        assert watched.dialogs == []
    finally:
        server.stop()


def test_picking_two_actors_from_suggestions_opens_their_dyad(seeds_server, watched) -> None:
    page = watched.open(f"{seeds_server.url}/", "dyad")
    for label, typed, pick in (("Actor A", "Tukum", "Yerkin Tukumov"), ("Actor B", "Afghan", "Afghanistan")):
        box = page.get_by_label(label)
        box.fill(typed)
        page.locator(".suggestions li").filter(has=page.locator(".s-name", has_text=pick)).first.dispatch_event("mousedown")
        assert box.input_value() == pick
    page.click("form.dyad-form button[type=submit]")
    page.locator("h1.dyad-title", has_text="Yerkin Tukumov").wait_for()  # the view was "dyad" already
    page.wait_for_selector("body[data-ready='dyad']", state="attached")
    assert "a=person%3Ayerkin-tukumov" in page.url and "b=AFG" in page.url
    assert page.locator("h1.dyad-title").inner_text().replace("\u00a0", " ") == "Yerkin Tukumov ⇄ Afghanistan"
    expected = httpx.get(f"{seeds_server.url}/api/dyad", params={"a": "person:yerkin-tukumov", "b": "AFG"}).json()["events"]
    assert expected
    rows = page.locator("table.events tbody tr").evaluate_all("rows => rows.map(r => r.dataset.eventId)")
    assert sorted(rows) == sorted(e["id"] for e in expected)
    assert watched.errors == [] and watched.dialogs == []


def test_undoing_a_merge_of_two_reports_from_the_event_page(seeds_server, watched) -> None:
    merges = httpx.get(f"{seeds_server.url}/api/merges").json()["items"]
    merge = next(m for m in merges if m["kind"] == "event" and not m["undone_at"])
    before = httpx.get(f"{seeds_server.url}/api/events/{merge['into_id']}").json()
    assert merge["from_id"] in {s["event_id"] for s in before["sources"]}
    page = watched.open(f"{seeds_server.url}/#/event/{merge['into_id']}", "event")
    page.click(f"button[data-merge-id='{merge['id']}']")
    page.locator("ul.merges", has_text="undone").wait_for()
    after = next(m for m in httpx.get(f"{seeds_server.url}/api/merges").json()["items"] if m["id"] == merge["id"])
    assert after["undone_at"]
    assert merge["from_id"] not in {s["event_id"] for s in httpx.get(f"{seeds_server.url}/api/events/{merge['into_id']}").json()["sources"]}
    assert watched.errors == [] and watched.dialogs == []


def test_the_map_shades_the_countries_with_events(seeds_server, watched) -> None:
    page = watched.open(f"{seeds_server.url}/#/map?a=KAZ&b=AFG", "map")
    expected = httpx.get(f"{seeds_server.url}/api/map", params={"a": "KAZ", "b": "AFG"}).json()
    shaded = page.locator("svg.map path[class*='heat-']").evaluate_all("ps => ps.map(p => p.dataset.iso3)")
    assert sorted(shaded) == sorted(c["iso3"] for c in expected["countries"] if c["events"])
    assert page.locator("svg.map circle.place").count() == len(expected["places"])
    assert watched.errors == [] and watched.dialogs == []
