"""The dyad command line, driven as a user would: exit codes and exact output."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from conftest import REPO, SEEDS
from dyad.serve.cli import main

BODY = "The foreign ministers of both countries met in the capital on Monday to discuss trade and transit. " * 3


def run(db: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    db = tmp_path / "seeds.db"
    out = run(db, "ingest", str(SEEDS))
    assert "5 added, 0 new versions, 0 unchanged, 5 extracted, 0 rejected" in out
    return db


def test_cli_ingest_twice_adds_nothing(seeded: Path) -> None:
    assert "0 added, 0 new versions, 5 unchanged, 0 extracted, 0 rejected" in run(seeded, "ingest", str(SEEDS))
    assert json.loads(run(seeded, "stats", "--json"))["article_versions"] == 5


def test_cli_changed_file_becomes_new_version(tmp_path: Path) -> None:
    db, path = tmp_path / "v.db", tmp_path / "story.txt"
    path.write_text(BODY)
    run(db, "ingest", str(path))
    path.write_text(BODY + "\n\nA correction was added later by the editors of this page.")
    assert "0 added, 1 new versions" in run(db, "ingest", str(path))
    listed = [json.loads(line) for line in run(db, "articles", "list", "--json", "--all-versions").splitlines()]
    assert [a["version"] for a in listed] == [1, 2]
    assert len(run(db, "articles", "list", "--json").splitlines()) == 1


def test_cli_articles_list_shows_seed_metadata(seeded: Path) -> None:
    rows = [json.loads(line) for line in run(seeded, "articles", "list", "--json").splitlines()]
    assert len(rows) == 5
    by_file = {Path(r["source"]).name[:3]: r for r in rows}
    assert by_file["000"]["outlet"] == "Ariana News" and by_file["000"]["published"] == "2025-11-29"
    assert by_file["004"]["published"] == "2025-04-21"
    table = run(seeded, "articles", "list")
    assert "5 articles" in table and "RASC News" in table


def test_cli_show_prints_evidence_and_removed_boilerplate(seeded: Path) -> None:
    rows = [json.loads(line) for line in run(seeded, "articles", "list", "--json").splitlines()]
    scrape = next(r for r in rows if Path(r["source"]).name.startswith("004"))
    shown = run(seeded, "articles", "show", scrape["id"][:8], "--removed")
    assert "published: 2025-04-21" in shown and "Published 21/04/2025" in shown
    body, removed = shown.split("\nremoved\n")
    assert "Lorem ipsum" not in body and "Lorem ipsum" in removed
    record = json.loads(run(seeded, "articles", "show", scrape["id"], "--json"))
    published = record["evidence"]["published"]
    assert published["quote"] in Path(scrape["source"]).read_text() and published["layer"] == "raw"


def test_cli_show_unknown_id_exits_5(seeded: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(seeded), "articles", "show", "ffffffff"])
    assert result.exit_code == 5 and "no article with id" in result.output


def test_cli_reading_a_missing_store_exits_4(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "none.db"), "articles", "list"])
    assert result.exit_code == 4 and "run 'dyad ingest PATH' first" in result.output
    assert not (tmp_path / "none.db").exists()


def test_cli_export_jsonl_csv_parquet(seeded: Path, tmp_path: Path) -> None:
    lines = run(seeded, "export", "articles", "--format", "jsonl", "--removed").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 5
    for record in records:
        assert {"id", "source", "outlet", "title", "published", "dateline", "text", "evidence", "removed"} <= set(record)
        for value in record["evidence"].values():
            assert value["source"] and 0 <= value["confidence"] <= 1
    rows = list(csv.DictReader(io.StringIO(run(seeded, "export", "articles", "--format", "csv"))))
    assert len(rows) == 5 and {"published_source", "published_quote"} <= set(rows[0])
    parquet = tmp_path / "articles.parquet"
    run(seeded, "export", "articles", "--format", "parquet", "-o", str(parquet))
    [(count, outlets)] = duckdb.sql(f"SELECT count(*), count(outlet) FROM '{parquet}'").fetchall()
    assert count == 5 and outlets >= 3


def test_cli_search_and_sql(seeded: Path) -> None:
    assert "1 matches" in run(seeded, "articles", "search", '"interagency working group"')
    out = run(seeded, "sql", "SELECT count(*) AS n FROM current_articles WHERE text LIKE '%Kabul%'", "--json")
    assert json.loads(out)["n"] >= 3
    result = CliRunner().invoke(main, ["--db", str(seeded), "sql", "SELECT nope FROM articles"])
    assert result.exit_code == 2 and "SQL error" in result.output


def test_cli_bad_inputs_are_recorded_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text(BODY)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "latin1.txt").write_bytes(("Caf\u00e9 " + BODY).encode("latin-1"))
    (folder / "feed.jsonl").write_text(json.dumps({"text": BODY + " Second."}) + "\n{broken\n")
    (folder / "nobody.html").write_text("<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>")
    (folder / "huge.txt").write_text(BODY * 50)
    os.symlink(folder, folder / "loop")
    db = tmp_path / "bad.db"
    config = str(_config(tmp_path, max_bytes=5000))
    out = run(db, "--config", config, "ingest", str(folder), str(tmp_path / "missing"), code=1)
    assert "2 added" in out and "8 rejected" in out
    codes = sorted(json.loads(line)["code"] for line in run(db, "rejections", "--json").splitlines())
    assert codes == sorted(["E-EMPTY", "E-BINARY", "E-ENCODING", "E-JSON", "E-NO-BODY", "E-TOO-LARGE",
                            "E-SYMLINK-LOOP", "E-NOT-FOUND"])
    listing = run(db, "rejections")
    assert "--encoding cp1252" in listing and "8 rejections" in listing
    # nothing already stored is lost by a later bad batch
    assert "0 added, 0 new versions, 2 unchanged" in run(db, "--config", config, "ingest", str(folder), code=1)
    assert json.loads(run(db, "stats", "--json"))["articles"] == 2


def _config(tmp_path: Path, **ingest: int) -> Path:
    path = tmp_path / "dyad.toml"
    path.write_text("[ingest]\n" + "".join(f"{k} = {v}\n" for k, v in ingest.items()))
    return path


def test_cli_bad_config_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--config", str(_config(tmp_path, nonsense=1)), "stats"])
    assert result.exit_code == 2 and "unknown setting 'ingest.nonsense'" in result.output


def _commands(group, prefix=()):  # noqa: ANN001, ANN202
    for name, command in group.commands.items():
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("command", [(), *_commands(main)])
def test_cli_every_command_has_help(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    summary = result.output.split("\n\n")[1].strip()
    assert summary and not summary.startswith("Options"), f"{command} has no description"


@pytest.mark.parametrize("command", [c for c in _commands(main)])
def test_cli_every_command_is_in_the_readme(command: tuple[str, ...]) -> None:
    readme = (REPO / "README.md").read_text()
    assert re.search(rf"dyad {' '.join(command)}\b", readme), f"'dyad {' '.join(command)}' is not documented in README.md"


def test_cli_exit_codes_are_documented() -> None:
    readme = (REPO / "README.md").read_text()
    for code in range(6):
        assert re.search(rf"^\|\s*{code}\s*\|", readme, re.MULTILINE), f"exit code {code} missing from README"


def test_cli_people_show_roles_over_time_and_merge(seeded: Path) -> None:
    out = run(seeded, "people")
    assert "Yerkin Tukumov  [KAZ]  4 articles  (merged: person:yerkin-tokumov)" in out
    assert "Ambassador to Pakistan (KAZ)  until 2025-06" in out
    assert "Special Representative for Afghanistan (KAZ)  since 2025-06" in out
    merges = run(seeded, "merges")
    assert "person:yerkin-tokumov → person:yerkin-tukumov  near-surname.v1" in merges and "[active]" in merges


def test_cli_merge_can_be_undone_and_stays_undone(seeded: Path) -> None:
    run(seeded, "merges", "--undo", "1")
    assert "(merged:" not in run(seeded, "people")
    assert "[undone" in run(seeded, "merges")
    run(seeded, "extract", "--force")
    assert "(merged:" not in run(seeded, "people")  # an analyst's undo is not redone
    result = CliRunner().invoke(main, ["--db", str(seeded), "merges", "--undo", "99"])
    assert result.exit_code == 5


def test_cli_actors_lists_one_identity_per_actor(seeded: Path) -> None:
    actors = [json.loads(line) for line in run(seeded, "actors", "--json").splitlines()]
    by_id = {a["id"]: a for a in actors}
    assert {"Islamic Emirate of Afghanistan", "IEA"} <= set(by_id["AFGGOV"]["aliases"])
    assert by_id["KAZ"]["kind"] == "country" and by_id["AFGGOV"]["sector"] == "GOV"
    assert "person:yerkin-tokumov" not in by_id  # merged into the Tukumov spelling


def test_cli_events_filters_and_evidence(seeded: Path) -> None:
    records = [json.loads(line) for line in run(seeded, "events", "--json", "--type", "consult", "--actor", "Tokayev").splitlines()]
    assert records and all(r["type"] == "CONSULT" for r in records)
    meeting = next(r for r in records if r["date"] and r["date"]["value"] == "2025-11-25")
    pair = [json.loads(line) for line in run(seeded, "events", "--json", "--pair", "KAZ", "AFG").splitlines()]
    assert pair and meeting["id"] not in {r["id"] for r in pair}  # Tokayev and his envoy are both Kazakh
    assert meeting["date"]["basis"] == "relative_to_published" and meeting["location"]["name"] == "Astana"
    assert [a["name"] for a in meeting["actors"]] == ["Kassym-Jomart Tokayev"]
    assert {e["field"] for e in meeting["evidence"]} >= {"event", "trigger", "actor", "recipient", "date", "location"}
    planned = run(seeded, "events", "--status", "planned")
    assert "planned" in planned and "occurred" not in planned.split("events")[0].replace("planned", "")
    assert "2026-01" in run(seeded, "events", "--since", "2026-01-01")
    assert "0 events" in run(seeded, "events", "--until", "2000-01-01")


def test_cli_timeline_of_a_dyad(seeded: Path) -> None:
    out = run(seeded, "timeline", "Tokayev")
    assert "2025-11" in out and "CONSULT" in out
    result = CliRunner().invoke(main, ["--db", str(seeded), "timeline", "A", "B", "C"])
    assert result.exit_code == 2


def test_cli_export_events_actors_and_plover(seeded: Path, tmp_path: Path) -> None:
    events = [json.loads(line) for line in run(seeded, "export", "events").splitlines()]
    for event in events:
        assert {"id", "type", "mode", "context", "status", "actors", "recipients", "date", "location", "figures", "evidence"} <= set(event)
        for party in event["actors"] + event["recipients"]:
            assert {"id", "name", "country", "sector"} <= set(party)
    plover = [json.loads(line) for line in run(seeded, "export", "events", "--format", "plover").splitlines()]
    assert len(plover) == len(events) and {"event_type", "actor", "recipient", "event_date", "story_id"} <= set(plover[0])
    path = tmp_path / "actors.jsonl"
    run(seeded, "export", "actors", "-o", str(path))
    actors = [json.loads(line) for line in path.read_text().splitlines()]
    person = next(a for a in actors if a["id"] == "person:yerkin-tukumov")
    assert {"title", "organization", "since", "until", "evidence"} <= set(person["roles"][0])
