"""The brief on a dyad (dyad.brief, dyad brief, GET /api/brief) on the seed articles: key events
by date with citations that quote the article text, the commitments, the people with roles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dyad.brief import PartyError, brief_data, render_markdown, resolve_party
from dyad.errors import NotFoundError, ValidationError
from dyad.serve.cli import main
from dyad.store import Store


@pytest.fixture(scope="module")
def kaz_afg(seeds_db: Path) -> dict:
    with Store(seeds_db, readonly=True) as store:
        return brief_data(store.db, "KAZ", "AFG")


def article_texts(db: Path) -> dict[str, str]:
    with Store(db, readonly=True) as store:
        return dict(store.db.execute("SELECT id, text FROM articles").fetchall())


def test_brief_data_cites_every_key_event_from_the_article_text(kaz_afg: dict, seeds_db: Path) -> None:
    texts = article_texts(seeds_db)
    events = kaz_afg["events"]
    assert kaz_afg["a"]["id"] == "KAZ" and kaz_afg["b"]["id"] == "AFG"
    assert len(events) >= 8 and all(e["status"] not in ("planned", "proposed") for e in events)
    for event in events:
        assert event["citations"]
        for cite in event["citations"]:
            assert texts[cite["article_id"]][cite["start"]:cite["end"]] == cite["quote"]
    dated = [e["date"] for e in events if e["date"] and e["date"][0].isdigit()]
    assert dated == sorted(dated)
    (aid,) = [e for e in events if e["date"] == "2025" and e["type"] == "AID"]
    assert aid["citations"][0]["outlet"] == "The Astana Times"
    assert aid["citations"][0]["quote"].startswith("In 2025, humanitarian aid was delivered to Afghanistan twice")


def test_brief_data_has_the_dyads_commitments_and_people_with_roles(kaz_afg: dict) -> None:
    pledged = kaz_afg["commitments"]
    assert set(pledged) == {"overdue", "due", "open", "met"}
    (talks,) = pledged["open"]
    assert [p["name"] for p in talks["actors"]] == ["Government of Kazakhstan"]
    assert [p["name"] for p in talks["recipients"]] == ["Government of Afghanistan"]
    assert talks["citation"]["quote"] == "The Kazakh delegation is expected to hold a series of meetings with Taliban officials."
    # the railway memoranda are Kazakhstan's with the UAE and Pakistan, not with Afghanistan
    assert not pledged["due"] and not pledged["overdue"]
    people = {p["name"]: p for p in kaz_afg["people"]}
    assert "Yerkin Tukumov" in people and people["Yerkin Tukumov"]["events"] >= 2
    special = [r for r in people["Yerkin Tukumov"]["roles"] if r["title"] == "Special Representative for Afghanistan"]
    assert special and special[0]["since"] == "2025-06"


def test_markdown_lists_dated_events_with_citations_and_the_commitments(kaz_afg: dict) -> None:
    text = render_markdown(kaz_afg)
    assert text.startswith("# Kazakhstan – Afghanistan\n")
    events = text.split("## Key events")[1].split("## Commitments")[0]
    assert re.search(r"^- \*\*2025\*\* AID/humanitarian \(occurred\): Kazakhstan → Afghanistan\n"
                     r"  - The Astana Times, undated: “In 2025, humanitarian aid was delivered to Afghanistan twice, .*” "
                     r"\[article cf3b929edf60ccdb, \d+–\d+\]$", events, re.M)
    assert "- **12-08 (year not stated)** CONSULT/visit" in events
    commitments = text.split("## Commitments (as of 2025-11-29)")[1].split("## People")[0]
    assert "- **open** (no date set) AGREE (planned): Government of Kazakhstan → Government of Afghanistan" in commitments
    assert "“The Kazakh delegation is expected to hold a series of meetings with Taliban officials.”" in commitments
    people = text.split("## People")[1]
    assert re.search(r"^- \*\*Yerkin Tukumov\*\* \(\d+ events\)$", people, re.M)
    assert "  - Special Representative for Afghanistan (KAZ), since 2025-06 — “Special Representative for Afghanistan”" in people


def test_period_limits_events_and_commitments(seeds_db: Path) -> None:
    with Store(seeds_db, readonly=True) as store:
        april = brief_data(store.db, "KAZ", "AFG", since="2025-04", until="2025-04")
        later = brief_data(store.db, "KAZ", "AFG", since="2025-05")
    assert all(e["date"].startswith("2025-04") for e in april["events"])
    assert len(april["commitments"]["open"]) == 1 and not later["commitments"]["open"]
    assert later["events"] and all(e["date"] >= "2025-05" for e in later["events"])
    assert any(e["type"] == "AID" and e["status"] == "ongoing" for e in later["events"])


def test_sides_by_name_and_clear_errors(seeds_db: Path) -> None:
    with Store(seeds_db, readonly=True) as store:
        db = store.db
        assert resolve_party(db, "kazakhstan")["id"] == "KAZ" and resolve_party(db, "Afghanistan")["id"] == "AFG"
        assert resolve_party(db, "Serik Zhumangarin")["id"] == "person:serik-zhumangarin"
        assert resolve_party(db, "Zhumangarin")["id"] == "person:serik-zhumangarin"
        with pytest.raises(PartyError, match=r"'Ministry' names \d+ actors: .*org:ministry-of-foreign-affairs"):
            resolve_party(db, "Ministry")
        with pytest.raises(NotFoundError, match="no actor matches 'Atlantis'"):
            resolve_party(db, "Atlantis")
        with pytest.raises(PartyError, match="name the same actor"):
            brief_data(db, "KAZ", "Kazakhstan")
        with pytest.raises(ValidationError, match="not a real date"):
            brief_data(db, "KAZ", "AFG", since="2025-02-30")
        with pytest.raises(ValidationError, match="is after"):
            brief_data(db, "KAZ", "AFG", since="2025-06", until="2025-05")


def test_cli_brief_writes_markdown_to_a_file(seeds_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    result = CliRunner().invoke(main, ["--db", str(seeds_db), "brief", "Kazakhstan", "AFG", "--since", "2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Brief on Kazakhstan (KAZ) and Afghanistan (AFG), 2025." in text and "[article cf3b929edf60ccdb" in text
    shown = CliRunner().invoke(main, ["--db", str(seeds_db), "brief", "KAZ", "AFG"])
    assert shown.exit_code == 0 and shown.output.startswith("# Kazakhstan – Afghanistan")
    for args, code, message in ((["Ministry", "AFG"], 2, "names"), (["Atlantis", "AFG"], 5, "no actor matches"),
                                (["KAZ", "AFG", "--until", "2025-13"], 2, "not a real date")):
        failed = CliRunner().invoke(main, ["--db", str(seeds_db), "brief", *args])
        assert failed.exit_code == code and message in failed.output, failed.output


def test_api_brief_as_json_and_markdown(seeds_db: Path, kaz_afg: dict) -> None:
    from fastapi.testclient import TestClient

    from dyad.settings import load_settings
    from dyad.web import create_app

    api = TestClient(create_app(seeds_db, load_settings(db_path=seeds_db)))
    data = api.get("/api/brief", params={"a": "KAZ", "b": "AFG"}).json()
    assert [e["id"] for e in data["events"]] == [e["id"] for e in kaz_afg["events"]]
    markdown = api.get("/api/brief", params={"a": "KAZ", "b": "AFG", "format": "markdown"})
    assert markdown.headers["content-type"].startswith("text/markdown") and markdown.text == render_markdown(kaz_afg)
    assert api.get("/api/brief", params={"a": "Ministry", "b": "AFG"}).status_code == 400
    assert api.get("/api/brief", params={"a": "KAZ", "b": "Atlantis"}).status_code == 404
    assert api.get("/api/brief", params={"a": "KAZ", "b": "AFG", "since": "2025-00"}).status_code == 422


def test_a_long_dyad_keeps_the_most_reported_events(seeds_db: Path, kaz_afg: dict) -> None:
    with Store(seeds_db, readonly=True) as store:
        short = brief_data(store.db, "KAZ", "AFG", max_events=3)
    everything = len(kaz_afg["events"])
    assert kaz_afg["events_left_out"] == 0
    assert len(short["events"]) == 3 and short["events_left_out"] == everything - 3
    assert {e["id"] for e in short["events"]} <= {e["id"] for e in kaz_afg["events"]}
    assert f"The 3 most reported of {everything} events." in render_markdown(short)
