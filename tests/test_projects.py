"""Projects: names found in text with the places they connect, status updates, names of one
project linked across articles (reversibly), the seeds' railway, and commitments' states."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEEDS
from dyad.resolve.projects import PlaceSpan, ProjectName, decide_merges, find_mentions, find_updates
from dyad.serve.cli import main
from dyad.store import Store


def run(db: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def places_in(text: str, *names: str, countries: tuple[str, ...] = ()) -> list[PlaceSpan]:
    """Place spans as the extractor would store them, found by name in ``text``."""
    found = []
    for name in (*names, *countries):
        start = text.index(name)
        found.append(PlaceSpan(f"place:{name.lower()}", name, start, start + len(name), name in countries))
    return found


@pytest.mark.parametrize(("text", "name", "kind", "places"), [
    ("Talks covered the Alpha – Beta – Gamma railway and its cost.", "Alpha–Beta–Gamma railway", "railway", ["alpha", "beta", "gamma"]),
    ("The ZETA railway project, connecting Alpha, Beta and Gamma through Freedonia, is on schedule.",
     "ZETA railway project", "railway", ["alpha", "beta", "gamma"]),
    ("Officials discussed the TUVA gas pipeline with investors.", "TUVA gas pipeline", "pipeline", []),
    ("Both sides back the Belt and Road Initiative in the region.", "Belt and Road Initiative", "initiative", []),
    ("The North–South transport corridor would link the ports.", "North–South transport corridor", "corridor", []),
    ("The Trans-Caspian Railway will open next year.", "Trans-Caspian Railway", "railway", []),
    ("Delegates discussed the Uzbekistan–Afghanistan–Pakistan railway.", "Uzbekistan–Afghanistan–Pakistan railway", "railway", []),
])
def test_projects_names_found_with_their_places(text: str, name: str, kind: str, places: list[str]) -> None:
    spans = places_in(text, *(p for p in ("Alpha", "Beta", "Gamma") if p in text),
                      countries=("Freedonia",) if "Freedonia" in text else ())
    [mention] = find_mentions(text, spans)
    assert (mention.name, mention.kind) == (name, kind)
    assert [p.removeprefix("place:") for p in mention.places] == places  # the country is left out
    assert text[mention.start:mention.end] == mention.quote


@pytest.mark.parametrize("text", [
    "The Afghan railway needs investment.",            # a demonym and a noun: a description
    "The Kazakh-Afghan railway needs investment.",     # the two countries it joins: a description
    "Kazakhstan’s railway network is old.",            # a country's possessive
    "Infrastructure projects were discussed at length.",  # a common word opening the sentence
    "The project was discussed.",
    "Officers of the California Highway Patrol arrived.",  # the noun does not end the name
    "The Music Program hosted a concert.",             # one plain word before a generic noun
    "They met on Wednesday. The project stalled.",     # a name does not run across sentences
])
def test_projects_descriptions_are_not_names(text: str) -> None:
    assert find_mentions(text, []) == []


@pytest.mark.parametrize(("text", "status", "quote"), [
    ("The ZETA railway project, connecting Alpha and Beta, is progressing according to plan.", "in progress",
     "is progressing according to plan"),
    ("Work on the TUVA gas pipeline has been suspended since March.", "delayed", "has been suspended since March"),
    ("Ministers discussed the planned construction of the Alpha – Beta railway.", "planned",
     "planned construction of the Alpha – Beta railway"),
    ("The TUVA gas pipeline was completed in 2019, officials said.", "completed", "was completed in 2019"),
])
def test_projects_status_updates_quote_their_words(text: str, status: str, quote: str) -> None:
    mentions = find_mentions(text, places_in(text, *(p for p in ("Alpha", "Beta") if p in text)))
    [update] = find_updates(text, mentions)
    assert (update.status, update.quote) == (status, quote) and text[update.start:update.end] == quote


def name(ident: str, places: set[str], kind: str = "railway", mentions: int = 1) -> ProjectName:
    return ProjectName(ident, ident.removeprefix("project:"), kind, frozenset(places), mentions)


def test_projects_names_sharing_their_places_are_one_project() -> None:
    chain = name("project:a-b-c-d-railway", {"a", "b", "c", "d"}, mentions=2)
    acronym = name("project:zeta-railway-project", {"a", "b", "c", "d"})
    [merge] = decide_merges([chain, acronym])
    assert (merge.from_id, merge.into_id) == (acronym.id, chain.id)
    assert merge.evidence["shared_places"] == ["a", "b", "c", "d"]


@pytest.mark.parametrize(("other", "why"), [
    (name("project:x", {"a", "z"}), "one shared place"),
    (name("project:x", {"a", "b", "c", "d"}, kind="pipeline"), "another kind"),
    (name("project:x", {"a", "b", "p", "q", "r", "s"}), "less than half of the places shared"),
])
def test_projects_rule_refuses(other: ProjectName, why: str) -> None:
    assert decide_merges([name("project:a-b-c-d-railway", {"a", "b", "c", "d"}), other]) == [], why


@pytest.mark.parametrize(("a", "b", "merged"), [
    ("project:internationally-recognised-transit-corridor", "project:internationally-recognized-transit-corridor", True),
    ("project:route-1-highway-project", "project:route-2-highway-project", False),
    ("project:tapi-pipeline", "project:tupi-pipeline", False),  # short names: an edit is another name
])
def test_projects_two_spellings_of_one_name_merge(a: str, b: str, merged: bool) -> None:
    found = decide_merges([name(a, set(), kind="corridor"), name(b, set(), kind="corridor")])
    assert bool(found) is merged
    assert not found or found[0].evidence["rule"] == "near-name.v1"


def test_projects_merges_do_not_depend_on_input_order() -> None:
    names = [name(f"project:{i}", {"a", "b", "c"} if i % 2 else {"p", "q"}, mentions=i % 3) for i in range(8)]
    expected = decide_merges(names)
    for seed in range(5):
        shuffled = names[:]
        random.Random(seed).shuffle(shuffled)
        assert decide_merges(shuffled) == expected


# --- the seeds ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    run(db, "ingest", str(SEEDS), "-q")
    return db


def test_projects_seed_railway_is_one_project_with_its_alias_and_status(seeded: Path, seeds_gold: dict) -> None:
    records = [json.loads(line) for line in run(seeded, "projects", "--json").splitlines()]
    gold = seeds_gold["projects"][0]
    fold = lambda text: text.replace(" – ", "–").casefold()  # noqa: E731
    [railway] = [r for r in records if fold(gold["name"]) in {fold(n) for n in [r["name"], *r["aliases"]]}]
    assert {fold(a) for a in gold["aliases"]} <= {fold(n) for n in [railway["name"], *railway["aliases"]]}
    assert len({m["article_id"] for m in railway["mentioned_in"]}) == 2
    assert [u["status"] for u in railway["status_updates"]] == ["planned", "in progress"]
    assert any(gold["status_updates"][0]["quote"] in u["quote"] for u in railway["status_updates"])
    assert all(p["id"].startswith(("curated:", "geonames:")) for p in railway["places"])
    listing = run(seeded, "projects")
    assert "aka CASA railway project" in listing and "“is progressing according to plan”" in listing


def test_projects_seed_merge_can_be_undone(tmp_path: Path) -> None:
    db = tmp_path / "seeds.db"
    run(db, "ingest", str(SEEDS), "-q")
    number = next(line.split()[0] for line in run(db, "merges").splitlines() if " project " in line)
    run(db, "merges", "--undo", number)
    records = [json.loads(line) for line in run(db, "projects", "--json").splitlines()]
    assert not any(r["aliases"] for r in records)


def test_projects_seed_commitment_of_the_railway_is_due(seeded: Path) -> None:
    rows = [json.loads(line) for line in run(seeded, "commitments", "--json").splitlines()]
    memorandum = [r for r in rows if r["due"] and r["due"]["value"] == "2026-02"]
    assert memorandum and all(r["state"] == "due" and r["projects"] for r in memorandum)
    assert {r["as_of"] for r in rows} == {"2025-11-29"}  # the latest publication date in the store
    later = [json.loads(line) for line in run(seeded, "commitments", "--json", "--as-of", "2026-03-01").splitlines()]
    assert {r["state"] for r in later if r["due"] and r["due"]["value"] == "2026-02"} == {"overdue"}


# --- commitments: due, met, overdue ----------------------------------------------------------------


@pytest.mark.parametrize(("as_of", "expected"), [
    (None, {"trade": "met", "transit": "overdue", "railway": "due"}),       # as of the latest publication, 2025-05-21
    ("2025-05-10", {"trade": "met", "transit": "due", "railway": "due"}),
    ("2025-07-01", {"trade": "met", "transit": "overdue", "railway": "overdue"}),
])
def test_projects_commitments_due_met_overdue(news_db: Path, as_of: str | None, expected: dict) -> None:
    rows = [json.loads(line) for line in run(news_db, "commitments", "--json", *(["--as-of", as_of] if as_of else [])).splitlines()]
    states = {word: r["state"] for r in rows for word in expected if f"{word} agreement" in r["evidence"][0]["quote"]}
    assert states == expected
    listing = run(news_db, "commitments", "--state", "met")
    assert "met      due 2025-05-20" in listing and "1 commitments" in listing


def test_projects_commands_on_an_empty_store(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    Store(db).close()
    assert "0 projects" in run(db, "projects")
    assert "0 commitments" in run(db, "commitments")
    assert CliRunner().invoke(main, ["--db", str(db), "stories"]).exit_code == 0
