"""Article text, titles, outlets, URLs and names are data, never markup: articles whose every field
carries script payloads are shown literally on the article, event, search and dyad pages, and no
payload runs (no dialog, no global set, no javascript: link)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from browser.conftest import make_store, serve

RUN = "window.__xss = (window.__xss || 0) + 1; alert(document.domain)"
TITLE = f"Trade deal <script>{RUN}</script><img src=x onerror=\"{RUN}\">"
OUTLET = f"<svg onload=\"{RUN}\">Evil Wire</svg>"
TEXT = ("Kazakhstan and Afghanistan signed a trade agreement in Kabul on May 20, 2025, "
        f"officials of both governments said <img src=x onerror=\"{RUN}\"> at a ceremony. "
        f"Kazakhstan will send humanitarian aid to Afghanistan in June 2025, the ministry said <script>{RUN}</script>.")
ARTICLES = [
    {"url": f"javascript:{RUN}", "outlet": OUTLET, "title": TITLE, "published": "2025-05-21", "text": TEXT},
    {"url": f"https://evil.example/\"><script>{RUN}</script>", "outlet": OUTLET, "title": f"<b>{TITLE}</b>",
     "published": "2025-05-22", "text": TEXT.replace("Kabul", "Astana")},
]


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("xss-store")
    corpus = folder / "payloads.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    server = serve(make_store(folder, corpus))
    yield server
    server.stop()


def _assert_inert(watched, page) -> None:
    assert watched.dialogs == [], watched.dialogs
    assert page.evaluate("window.__xss") is None
    assert page.locator("a[href^='javascript'], [onerror], [onload], body script:not([src])").count() == 0
    assert watched.errors == [], watched.errors


def test_payloads_are_shown_literally_and_never_run(xss_server, watched) -> None:
    base = xss_server.url
    articles = httpx.get(f"{base}/api/articles").json()["items"]
    assert len(articles) == 2
    first = next(a for a in articles if a["title"] == TITLE)

    page = watched.open(f"{base}/#/article/{first['id']}", "article")
    assert page.locator("h1.article-title").inner_text() == TITLE
    assert "<img src=x onerror=" in page.locator(".article-text").inner_text()
    assert OUTLET in page.locator(".meta-line").inner_text()
    _assert_inert(watched, page)

    events = httpx.get(f"{base}/api/articles/{first['id']}").json()["events"]
    assert events, "the payload article should still yield its events"
    page = watched.open(f"{base}/#/event/{events[0]['id']}", "event")
    assert TITLE in page.locator("ol.sources").inner_text()
    detail = httpx.get(f"{base}/api/events/{events[0]['id']}").json()
    assert page.locator("mark.evidence").inner_text() == detail["sources"][0]["sentence"]["quote"]
    assert "<img src=x onerror=" in page.locator("mark.evidence").inner_text()
    _assert_inert(watched, page)

    page = watched.open(f"{base}/#/search?q=trade", "search")
    assert TITLE in page.locator("ul.article-list").inner_text()
    assert page.locator("ul.article-list a.external").count() == 1  # the https URL, not the javascript: one
    _assert_inert(watched, page)

    page = watched.open(f"{base}/#/dyad?a=KAZ&b=AFG", "dyad")
    assert page.locator("table.events tbody tr").count() >= 1
    assert "<img src=x onerror=" in page.locator("table.events").inner_text()
    _assert_inert(watched, page)

    page = watched.open(f"{base}/brief?a=KAZ&b=AFG", "brief")
    assert OUTLET in page.locator("#brief").inner_text()
    _assert_inert(watched, page)
