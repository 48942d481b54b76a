"""Cross-article event resolution: dates as spans, the rule's hard limits, blocking, clustering as
an order-independent partition, plan → fulfilment links, the stored clusters through the CLI,
and the coreference scorers of benchmarks/event_coref.py on the standard toy example."""

from __future__ import annotations

import importlib.util
import itertools
import json
import random
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, write_corpus
from dyad.resolve.dates import compatible, months, read_date
from dyad.resolve.events import (THRESHOLD, EventFeatures, block_keys, candidate_pairs, cluster_events, forbidden,
                                 link_fulfilments, probe_keys, score_pair)
from dyad.serve.cli import main


def run(db: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def event(ident: str, article: str = "a1", *, type_: str = "CONSULT", status: str = "occurred", date: str | None = "2025-03-12",
          granularity: str = "day", basis: str = "explicit", participants: tuple[str, ...] = ("person:x", "person:y"),
          countries: tuple[str, ...] = ("KAZ", "UZB"), trigger: str = "held talks", sentence: str = "", sentence_key: int = 0,
          place: str | None = None) -> EventFeatures:
    return EventFeatures(
        id=ident, article_id=article, type=type_, status=status, date=read_date(date, granularity, basis),
        participants=frozenset(participants), countries=frozenset(countries), place=place, trigger=trigger,
        sentence=sentence or f"The ministers {trigger} on the border question.", sentence_key=sentence_key,
        precision=3 if date and basis != "fallback_published" else 0)


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "same"), [
    (("2025-12-08", "day", "explicit"), ("2025-12-08", "day", "relative_to_published"), True),
    (("2025-12-08", "day", "explicit"), ("2025-12-09", "day", "explicit"), False),
    (("2025-12", "month", "explicit"), ("2025-12-08", "day", "explicit"), True),
    (("2025", "year", "explicit"), ("2026-01-02", "day", "explicit"), False),
    (("--12-08", "day", "year_unknown"), ("2025-12-08", "day", "explicit"), True),
    (("--12-08", "day", "year_unknown"), ("2025-12-09", "day", "explicit"), False),
    (("--02-29", "day", "year_unknown"), ("2025", "year", "explicit"), False),
    (("2025-12-20", "day", "fallback_published"), ("2025-12-08", "day", "explicit"), True),
])
def test_resolve_events_dates_compatible(a: tuple, b: tuple, same: bool) -> None:
    assert compatible(read_date(*a), read_date(*b)) is same
    assert compatible(read_date(*b), read_date(*a)) is same


@pytest.mark.parametrize(("value", "granularity", "expected"), [
    ("2025-12-08", "day", ["2025-12"]), ("2025", "year", [f"2025-{m:02d}" for m in range(1, 13)]), ("--03-01", "day", ["--03"])])
def test_resolve_events_dates_months_are_blocking_windows(value: str, granularity: str, expected: list[str]) -> None:
    assert months(read_date(value, granularity, "explicit")) == expected


# --- the rule ------------------------------------------------------------------------------------


def test_resolve_events_same_meeting_in_two_articles_scores_above_threshold() -> None:
    a = event("e1", "a1", sentence="Kazakh minister Nurtleu held talks with Uzbek minister Saidov in Tashkent on March 12.")
    b = event("e2", "a2", sentence="Nurtleu held talks with his Uzbek counterpart Saidov in Tashkent on March 12, the ministry said.")
    scored = score_pair(a, b)
    assert scored is not None and scored.score >= THRESHOLD
    assert scored == score_pair(b, a)  # symmetric
    clusters, joined = cluster_events([a, b], [scored])
    assert clusters == {"e1": "e1", "e2": "e1"} and [(j.a, j.b) for j in joined] == [("e1", "e2")]


@pytest.mark.parametrize(("b", "why"), [
    (event("e2", "a2", date="2025-03-13"), "dates cannot be the same day"),
    (event("e2", "a2", status="planned"), "planned and occurred are linked, not merged"),
    (event("e2", "a2", type_="AGREE"), "different type"),
    (event("e2", "a1", sentence_key=0), "same sentence"),
])
def test_resolve_events_hard_rules_forbid_merges(b: EventFeatures, why: str) -> None:
    a = event("e1", "a1")
    assert forbidden(a, b) == why and score_pair(a, b) is None


@pytest.mark.parametrize(("a", "b", "basis"), [
    (event("e1", "a1", participants=("USA",), countries=("USA",), date=None),
     event("e2", "a2", participants=("USA",), countries=("USA",), date=None), None),  # one country and one act: not enough
    (event("e1", "a1", participants=("USA", "person:x"), countries=("USA",), date=None),
     event("e2", "a2", participants=("person:x",), countries=("USA",), date=None), "shared participant"),
    (event("e1", "a1", participants=("KAZ", "UZB"), date=None), event("e2", "a2", participants=("KAZ", "UZB"), date=None),
     "same pair of countries"),
    (event("e1", "a1", participants=("USA",), countries=("USA",)), event("e2", "a2", participants=(), countries=("USA",)), "same day"),
    (event("e1", "a1", participants=(), countries=(), date=None), event("e2", "a1", participants=(), countries=(), date=None,
                                                                         sentence_key=1), "same article"),
    (replace(event("e1", "a1", participants=("USA",), countries=("USA",), date=None), article_actors=frozenset({"person:p", "org:q"})),
     replace(event("e2", "a2", participants=("USA",), countries=("USA",), date=None), article_actors=frozenset({"person:p", "org:q"})),
     "articles name the same people"),
])
def test_resolve_events_reports_are_scored_only_with_evidence_of_identity(a: EventFeatures, b: EventFeatures, basis: str | None) -> None:
    scored = score_pair(a, b)
    assert (scored.evidence["identity"] if scored else None) == basis


def test_resolve_events_publication_date_standing_in_does_not_keep_reports_apart() -> None:
    stated = event("e1", "a1", date="2025-03-12")
    undated_in_text = event("e2", "a2", date="2025-03-20", basis="fallback_published")
    assert forbidden(stated, undated_in_text) is None


def test_resolve_events_chain_cannot_join_two_days() -> None:
    """A report without a date, similar to reports of two different days, joins one of them only."""
    day1, day2 = event("e1", "a1", date="2025-03-12"), event("e2", "a2", date="2025-03-19")
    floating = event("e3", "a3", date=None)
    scores = [s for x, y in candidate_pairs([day1, day2, floating]) if (s := score_pair(x, y))]
    clusters, _ = cluster_events([day1, day2, floating], scores)
    assert clusters["e1"] != clusters["e2"]
    assert clusters["e3"] in (clusters["e1"], clusters["e2"])


def test_resolve_events_undone_pair_stays_apart() -> None:
    a, b = event("e1", "a1"), event("e2", "a2")
    clusters, _ = cluster_events([a, b], [score_pair(a, b)], undone=frozenset({("e2", "e1")}))
    assert clusters["e1"] != clusters["e2"]


def test_resolve_events_blocking_compares_only_within_type_pair_and_month() -> None:
    events = [event(f"m{i}", f"a{i}", date=f"2025-{i % 12 + 1:02d}-{i // 12 + 1:02d}") for i in range(120)]
    events += [event("other", "b", countries=("AFG", "PAK"))]
    pairs = list(candidate_pairs(events))
    assert all(a.date.first.month == b.date.first.month for a, b in pairs)
    assert not any("other" in (a.id, b.id) for a, b in pairs)
    assert len(pairs) == 12 * (10 * 9 // 2)  # ten events a month, compared within their month


def test_resolve_events_undated_events_are_compared_with_their_type_and_pair() -> None:
    dated, undated = event("e1", "a1"), event("e2", "a2", date=None)
    unrelated = event("e3", "a3", date=None, countries=("AFG", "PAK"))
    assert [(a.id, b.id) for a, b in candidate_pairs([dated, undated, unrelated])] == [("e1", "e2")]


def test_resolve_events_each_candidate_pair_once_though_sharing_many_blocks() -> None:
    # Three countries (three pairs), a month-long date over two months' keys, events in one
    # article and undated ones on several pairs: each pair that shares a block, or has an event
    # without a year on a shared type and pair, comes out exactly once.
    countries = ("KAZ", "UZB", "AFG")
    events = [event("d1", "a1", countries=countries), event("d2", "a1", countries=countries, date="2025-03", granularity="month"),
              event("d3", "a2", countries=countries), event("d4", "a3", countries=("KAZ", "UZB"), date="2025-04-02"),
              event("u1", "a1", date=None, countries=countries), event("u2", "a4", date=None, countries=countries),
              event("u3", "a5", date=None, countries=("AFG", "KAZ")), event("x", "a6", countries=("PAK", "IND")),
              event("y1", "a7", date="--03-12", basis="year_unknown", countries=countries)]
    undated = {e.id for e in events if e.date is None or e.date.first is None}
    pairs = [(a.id, b.id) for a, b in candidate_pairs(events)]
    expected = {(a.id, b.id) for a, b in itertools.combinations(sorted(events, key=lambda e: e.id), 2)
                if block_keys(a) & block_keys(b)
                or ({a.id, b.id} & undated and probe_keys(a) & probe_keys(b))}
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == expected
    assert ("d2", "d3") in expected and ("d1", "d4") not in expected and ("u1", "u3") in expected and ("d4", "y1") in expected and not any("x" in pair for pair in expected)


def test_resolve_events_plan_is_linked_to_its_later_fulfilment_not_merged() -> None:
    plan = event("p", "a1", status="planned", trigger="will sign a trade agreement", date="2025-05-20",
                 sentence="Kazakhstan and Afghanistan will sign a trade agreement on May 20.", type_="AGREE")
    done = event("d", "a2", trigger="signed a trade agreement", date="2025-05-20", type_="AGREE",
                 sentence="Kazakhstan and Afghanistan signed a trade agreement on May 20 in Kabul.")
    earlier = replace(done, id="old", article_id="a3", date=read_date("2024-05-20", "day", "explicit"))
    events = [plan, done, earlier]
    scores = [s for a, b in candidate_pairs(events) if (s := score_pair(a, b))]
    clusters, _ = cluster_events(events, scores)
    assert clusters["p"] != clusters["d"]
    links = link_fulfilments(events, clusters)
    assert [(link.planned, link.fulfilled_by) for link in links] == [(clusters["p"], clusters["d"])]


def test_resolve_events_planned_agree_is_fulfilled_by_the_act_it_plans() -> None:
    """PLOVER codes a planned meeting as AGREE (planned); the meeting held is CONSULT. The plan is
    linked to it, and not to an unrelated act between the same parties on another subject."""
    plan = event("p", "a1", status="planned", type_="AGREE", trigger="will hold talks", date="2025-05-20",
                 sentence="The foreign ministers of Kazakhstan and Uzbekistan will hold talks on water sharing on May 20.")
    held = event("d", "a2", type_="CONSULT", trigger="held talks", date="2025-05-20",
                 sentence="The foreign ministers of Kazakhstan and Uzbekistan held talks on water sharing on May 20.")
    other = event("x", "a3", type_="ASSAULT", trigger="shelled", date="2025-05-21",
                  sentence="Troops shelled a border post on May 21.")
    events = [plan, held, other]
    scores = [s for a, b in candidate_pairs(events) if (s := score_pair(a, b))]
    clusters, _ = cluster_events(events, scores)
    assert [(link.planned, link.fulfilled_by) for link in link_fulfilments(events, clusters)] == [(clusters["p"], clusters["d"])]


# --- clustering is a partition, independent of input order (property) ----------------------------

_EVENTS = st.builds(
    event,
    ident=st.text("abcdefgh", min_size=1, max_size=3),
    article=st.sampled_from(["a1", "a2", "a3"]),
    type_=st.sampled_from(["CONSULT", "AGREE"]),
    status=st.sampled_from(["occurred", "planned"]),
    date=st.sampled_from([None, "2025-03-12", "2025-03-13", "2025-03", "--03-12"]),
    granularity=st.just("day"),
    participants=st.sampled_from([("person:x",), ("person:x", "person:y"), ("person:z",), ()]),
    countries=st.sampled_from([("KAZ", "UZB"), ("KAZ",)]),
    trigger=st.sampled_from(["held talks", "met", "signed a deal"]),
    sentence_key=st.integers(0, 2),
    place=st.sampled_from([None, "geonames:1", "geonames:2"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_EVENTS, min_size=1, max_size=12, unique_by=lambda e: e.id), st.randoms(use_true_random=False))
def test_resolve_events_clustering_is_an_order_independent_partition(events: list[EventFeatures], rnd: random.Random) -> None:
    scores = [s for a, b in candidate_pairs(events) if (s := score_pair(a, b))]
    clusters, joined = cluster_events(events, scores)
    assert set(clusters) == {e.id for e in events}  # every event in exactly one cluster
    by_id = {e.id: e for e in events}
    for head in set(clusters.values()):
        members = [by_id[i] for i, c in clusters.items() if c == head]
        assert head in {m.id for m in members}
        assert all(forbidden(a, b) is None for a in members for b in members if a.id < b.id)
    shuffled_events, shuffled_scores = events[:], scores[:]
    rnd.shuffle(shuffled_events)
    rnd.shuffle(shuffled_scores)
    again, _ = cluster_events(shuffled_events, [s for a, b in candidate_pairs(shuffled_events) if (s := score_pair(a, b))])
    assert again == clusters
    assert cluster_events(events, shuffled_scores)[0] == clusters


# --- the store, through the CLI ------------------------------------------------------------------


def test_resolve_events_cli_one_line_per_event_with_its_sources(news_db: Path) -> None:
    records = [json.loads(line) for line in run(news_db, "events", "--json", "--type", "consult").splitlines()]
    by_date = {r["date"]["value"]: r for r in records if r["date"]["basis"] == "explicit"}
    meeting = by_date["2025-03-12"]
    assert {s["outlet"] for s in meeting["sources"]} == {"Outlet One", "Outlet Two"} and len(meeting["members"]) == 2
    assert {e["article_id"] for e in meeting["evidence"] if e["field"] == "event"} == {s["article_id"] for s in meeting["sources"]}
    assert len(by_date["2025-04-20"]["sources"]) == 1  # the same ministers on another day: another event
    listing = run(news_db, "events", "--type", "consult")
    assert "[2 sources]" in listing and "[1 source]" in listing
    unclustered = [json.loads(line) for line in run(news_db, "events", "--json", "--type", "consult", "--unclustered").splitlines()]
    assert len(unclustered) == len(records) + 1


def test_resolve_events_cli_export_is_one_record_per_cluster(news_db: Path) -> None:
    exported = [json.loads(line) for line in run(news_db, "export", "events").splitlines()]
    listed = [json.loads(line) for line in run(news_db, "events", "--json").splitlines()]
    assert [r["id"] for r in exported] == [r["id"] for r in listed]
    plover = [json.loads(line) for line in run(news_db, "export", "events", "--format", "plover").splitlines()]
    assert max(len(p["sources"]) for p in plover) == 2 and all(p["event_ids"] for p in plover)


def test_resolve_events_cli_merge_listed_undone_and_kept_undone(tmp_path: Path) -> None:
    db = tmp_path / "undo.db"
    run(db, "ingest", str(write_corpus(tmp_path)), "-q")
    listing = run(db, "merges")
    assert "e1  event" in listing and "same-event.v1" in listing and "[active]" in listing
    assert "merge e1 undone" in run(db, "merges", "--undo", "e1")
    assert "[undone" in run(db, "merges")
    assert "[2 sources]" not in run(db, "events")
    run(db, "extract", "--force")
    assert "[2 sources]" not in run(db, "events")  # an analyst's undo is not redone
    assert CliRunner().invoke(main, ["--db", str(db), "merges", "--undo", "e99"]).exit_code == 5
    assert CliRunner().invoke(main, ["--db", str(db), "merges", "--undo", "x1"]).exit_code == 2


def test_resolve_events_cli_plan_met_by_later_report(news_db: Path) -> None:
    planned = [json.loads(line) for line in run(news_db, "events", "--json", "--status", "planned").splitlines()]
    trade = next(r for r in planned if "trade agreement" in r["evidence"][0]["quote"])
    assert trade["fulfilled_by"] and trade["fulfilled_by"][0] != trade["id"]
    # The report's type is whatever extraction gives the signing (the event model may read it as
    # PLOVER's SUPPORT, plan and report alike): the link is what is tested.
    done = [json.loads(line) for line in run(news_db, "events", "--json", "--status", "occurred").splitlines()]
    assert [r["fulfils"] for r in done if r["fulfils"]] == [[trade["id"]]]


# --- the coreference scorers (benchmarks/coref_metrics.py) ----------------------------------------

_spec = importlib.util.spec_from_file_location("coref_metrics", REPO / "benchmarks" / "coref_metrics.py")
coref_metrics = importlib.util.module_from_spec(_spec)
sys.modules["coref_metrics"] = coref_metrics
_spec.loader.exec_module(coref_metrics)


def _p(*clusters: str) -> list[frozenset]:
    return [frozenset(c) for c in clusters]


def test_resolve_events_scorers_pradhan_example() -> None:
    """Pradhan et al. (2014), figure 1: key {a,b,c} {d,e,f,g}; response {a,b} {c,d} {f,g,h,i}."""
    scores = coref_metrics.conll(_p("abc", "defg"), _p("ab", "cd", "fghi"))
    assert (scores["muc"]["recall"], scores["muc"]["precision"]) == (0.4, 0.4)
    assert (scores["b3"]["recall"], scores["b3"]["precision"]) == (round(35 / 84, 4), 0.5)
    assert (scores["ceaf_e"]["recall"], scores["ceaf_e"]["precision"]) == (0.65, round(1.3 / 3, 4))


@pytest.mark.parametrize(("response", "conll_f1"), [(_p("abc", "defg"), 1.0), (_p("a", "b", "c", "d", "e", "f", "g"), None)])
def test_resolve_events_scorers_perfect_and_singletons(response: list[frozenset], conll_f1: float | None) -> None:
    scores = coref_metrics.conll(_p("abc", "defg"), response)
    if conll_f1 is not None:
        assert scores["conll_f1"] == conll_f1
    else:  # no links: MUC 0, B³ precision 1, recall 2/7
        assert scores["muc"]["f1"] == 0 and scores["b3"]["precision"] == 1.0 and scores["b3"]["recall"] == round(2 / 7, 4)


def test_resolve_events_scorers_matching_is_optimal() -> None:
    rnd = random.Random(7)
    for _ in range(50):
        weights = [[rnd.choice([0, 0, rnd.random()]) for _ in range(4)] for _ in range(3)]
        got = sum(weights[i][j] for i, j in coref_metrics.max_weight_matching(weights))
        best = max(sum(weights[i][p[i]] for i in range(3)) for p in itertools.permutations(range(4), 3))
        assert abs(got - best) < 1e-9
