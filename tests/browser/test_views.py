"""Every view of the workbench renders over the seeds' store without an error in the page; with
DYAD_SCREENSHOTS=1 (scripts/screenshots) it also saves each view to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

import httpx

def _dyad_event_with_place(base: str) -> dict:
    """The default dyad's event that shows most: a dated one with a place, from a titled article."""
    events = httpx.get(f"{base}/api/dyad", params={"a": "KAZ", "b": "AFG"}).json()["events"]
    titled = {e["id"]: bool(httpx.get(f"{base}/api/events/{e['id']}").json()["sources"][0]["title"]) for e in events}
    return max(events, key=lambda e: (titled[e["id"]], (e["date"] or "")[:1].isdigit(), e["place"] is not None, len(e["summary"] or "")))


def test_every_view_renders(seeds_server, watched, shots: Path) -> None:
    base = seeds_server.url
    event = _dyad_event_with_place(base)
    ids = [a["id"] for a in httpx.get(f"{base}/api/articles").json()["items"]]
    article = max(ids, key=lambda i: len(httpx.get(f"{base}/api/articles/{i}").json()["removed"]))
    people = httpx.get(f"{base}/api/people").json()["items"]
    person = max(people, key=lambda p: len(p["roles"]))["id"]
    views = [
        ("dyad", f"{base}/", "dyad", "svg.timeline circle.marker"),
        ("event", f"{base}/#/event/{event['id']}", "event", "mark.evidence"),
        ("actor", f"{base}/#/actor/KAZ", "actor", "svg.network a"),
        ("person", f"{base}/#/actor/{person}", "actor", "svg.roles rect.role-bar"),
        ("map", f"{base}/#/map", "map", "svg.map path.heat-5"),
        ("search", f"{base}/#/search?q=humanitarian", "search", "table.events tbody tr"),
        ("article", f"{base}/#/article/{article}", "article", "ul.removed li"),
        ("brief", f"{base}/brief?a=KAZ&b=AFG", "brief", "li.key-event"),
    ]
    for name, url, ready, expected in views:
        page = watched.open(url, ready)
        if name == "event":  # show a field's evidence marked, as an analyst would
            page.locator("table.fields tr[data-field='date']").click()
        assert page.locator(expected).count() > 0, f"{name}: nothing matches {expected}"
        assert page.locator("p.error").count() == 0, f"{name}: {page.locator('p.error').first.text_content()}"
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert watched.errors == [] and watched.dialogs == []


def test_api_reference_renders_offline_under_the_content_policy(seeds_server, watched) -> None:
    """/docs is Swagger UI from the vendored files: every operation of the spec is listed, with no
    request leaving the server and no policy violation in the console."""
    page = watched.page
    outside = []
    page.on("request", lambda request: request.url.startswith(seeds_server.url) or outside.append(request.url))
    page.goto(f"{seeds_server.url}/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    spec = httpx.get(f"{seeds_server.url}/api/openapi.json").json()
    operations = sum(len(methods) for methods in spec["paths"].values())
    assert page.locator(".opblock").count() == operations
    assert outside == [] and watched.errors == []
