"""Metadata read from running text: dateline, outlet and publication date, each with raw-layer
evidence, a source, a confidence and the basis of any day/month decision."""

from __future__ import annotations

import time
from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, SEEDS
from dyad.clean.text import clean_text
from dyad.clean.textmeta import find_dates, page_date_order, parse_date_line, resolve_date, undouble
from dyad.records import MetaValue

GOLD = yaml.safe_load((FIXTURES / "seeds_gold.yaml").read_text(encoding="utf-8"))["articles"]

BODY = (
    "The finance ministers of the two countries met on Monday to discuss a new trade agreement, "
    "officials said after the talks in the capital.\n\n"
    "The agreement would lower tariffs on agricultural goods and open new transit routes for "
    "freight, according to a statement released by the ministry."
)
LEAD = "the prime minister said on Tuesday that the talks would continue after the holidays, officials said."


def assert_raw_evidence(content: str, value: MetaValue) -> None:
    evidence = value.evidence
    assert evidence is not None and evidence.layer == "raw"
    assert content[evidence.start : evidence.end] == evidence.quote
    assert 0 < value.confidence <= 1


# --- Golden tests on the seeds ---------------------------------------------------------------------


GOLD_FIELDS = [(g, f) for g in GOLD for f in ("outlet", "published", "dateline") if f in g]


@pytest.mark.parametrize("expected, field", GOLD_FIELDS, ids=[f"{g['file']}-{f}" for g, f in GOLD_FIELDS])
def test_textmeta_seed_metadata_matches_gold(expected: dict, field: str) -> None:
    content = (SEEDS / expected["file"]).read_text(encoding="utf-8")
    value = getattr(clean_text(content), field)
    if expected[field] is None:
        assert value is None
    else:
        assert value is not None and value.value == str(expected[field])
        assert_raw_evidence(content, value)


@pytest.mark.parametrize("name", ["004_046a58d4f5734002.txt"])
def test_textmeta_seed_day_first_decision_is_explained(name: str) -> None:
    published = clean_text((SEEDS / name).read_text(encoding="utf-8")).published
    assert published.value == "2025-04-21" and "day-first" in published.basis


# --- Date forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, label, iso",
    [
        ("date 2025-11-29", "date", "2025-11-29"),
        ("Published 21/04/2025", "published", "2025-04-21"),
        ("Posted on March 3, 2025", "posted", "2025-03-03"),
        ("Updated: 2025-04-21", "updated", "2025-04-21"),
        ("Last updated 4 Jun 2020, 10:15 GMT", "last updated", "2020-06-04"),
        ("Monday, 21 April 2025 10:30 AM", "", "2025-04-21"),
        ("Gazette 21/04/2025", "", "2025-04-21"),
        ("By Jane Doe, Sept. 3rd, 2024", "", "2024-09-03"),
        ("November 8, 2023 at 11:30 p.m.", "", "2023-11-08"),
    ],
)
def test_textmeta_date_line_forms(line: str, label: str, iso: str) -> None:
    parsed = parse_date_line(line)
    assert parsed is not None and parsed.label == label
    assert resolve_date(parsed.mention, None)[0].isoformat() == iso


@pytest.mark.parametrize(
    "line",
    [
        "The ministers will meet again on March 3, 2025 to sign the agreement in the capital",
        "Terms of Service (Updated July 7, 2023)",
        "Officials met on Dec. 8 in the capital.",
        "Floods Devastate 100 Homes",
    ],
)
def test_textmeta_not_a_date_line(line: str) -> None:
    assert parse_date_line(line) is None


@pytest.mark.parametrize("text", ["He arrived on Dec. 8 and left on 9 December.", "Room 12/4 is open", "in 2025 and 2026"])
def test_textmeta_dates_without_a_year_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


# --- Day-first or month-first ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, page, iso, basis, min_confidence",
    [
        ("21/04/2025", "", "2025-04-21", "day-first: 21 cannot be a month", 1.0),
        ("04/21/2025", "", "2025-04-21", "month-first: 21 cannot be a month", 1.0),
        ("05.05.2025", "", "2025-05-05", "same number", 1.0),
        ("03/04/2025", "Related: 30/07/2024", "2025-04-03", "day-first: the page also writes 30/07/2024", 0.8),
        ("03/04/2025", "Related: 07/30/2024", "2025-03-04", "month-first: the page also writes 07/30/2024", 0.8),
    ],
)
def test_textmeta_day_month_order_is_decided_with_evidence(line: str, page: str, iso: str, basis: str, min_confidence: float) -> None:
    mention = find_dates(line)[0]
    day, why, confidence = resolve_date(mention, page_date_order(f"{line}\n{page}"))
    assert day.isoformat() == iso and basis in why and confidence >= min_confidence


@pytest.mark.parametrize("page", ["03/04/2025", "03/04/2025 and 30/07/2024 and 07/30/2024"])
def test_textmeta_ambiguous_date_is_kept_with_low_confidence(page: str) -> None:
    day, basis, confidence = resolve_date(find_dates(page)[0], page_date_order(page))
    assert day == date(2025, 4, 3)  # read day-first
    assert confidence < 0.5 and basis.startswith("ambiguous") and "day-first" in basis


@pytest.mark.parametrize("line", ["31/02/2024", "2024-13-01", "45/45/2024"])
def test_textmeta_impossible_date_is_rejected(line: str) -> None:
    assert all(resolve_date(m, None) is None for m in find_dates(line))


# --- Publication date in a page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, iso, source",
    [
        ("date 2024-03-05 " + BODY, "2024-03-05", "text:scrape-prefix"),
        ("Ministers agree on a trade deal\n\nPublished 05/03/2024\nSHARE\n\n" + BODY, "2024-03-05", "text:published-line"),
        (BODY + "\n\nGazette 17/03/2024\n\nFollow Us", "2024-03-17", "text:date-line"),
        ("Ministers agree on a trade deal\nBy Jane Doe\nMarch 5, 2024\n\n" + BODY, "2024-03-05", "text:date-line"),
        ("Ministers agree\n\nPUBLISHED:\nMarch 5, 2024 at 10:00 a.m.\n\n" + BODY, "2024-03-05", "text:published-line"),
    ],
)
def test_textmeta_published_date_is_read(content: str, iso: str, source: str) -> None:
    published = clean_text(content).published
    assert published is not None and (published.value, published.source) == (iso, source)
    assert_raw_evidence(content, published)


@pytest.mark.parametrize("order", ["updated first", "published first"])
def test_textmeta_published_line_wins_over_updated_line(order: str) -> None:
    lines = ["Published 05/03/2024", "Updated 07/03/2024"]
    if order == "updated first":
        lines.reverse()
    published = clean_text("\n".join(lines) + "\n\n" + BODY).published
    assert published.value == "2024-03-05"


@pytest.mark.parametrize(
    "content",
    [
        BODY + "\n\nThe ministers met again on March 3, 2024 in the capital, officials said after the talks ended.",
        BODY.replace("on Monday", "on Dec. 8"),
        BODY + "\n\nRelated Articles\n\nFloods hit the north\n\n30/07/2024\n\nElection date set",
        "Monday, 4 March 2024\n" + "\n".join(f"• Menu item {i}" for i in range(20)) + "\n\n" + BODY,
    ],
    ids=["prose", "prose-without-year", "related-list", "header-far-from-body"],
)
def test_textmeta_dates_that_are_not_the_publication_date(content: str) -> None:
    assert clean_text(content).published is None


# --- Dateline -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "opening, place, quote",
    [
        ("WASHINGTON (Reuters) - ", "Washington", "WASHINGTON"),
        ("LONDON, March 3 (AP) — ", "London", "LONDON"),
        ("TASHKENT – ", "Tashkent", "TASHKENT"),
        ("NEW YORK: ", "New York", "NEW YORK"),
        ("SAN FRANCISCO, Calif. (AP) -- ", "San Francisco", "SAN FRANCISCO"),
    ],
)
def test_textmeta_dateline_place_in_normal_case(opening: str, place: str, quote: str) -> None:
    content = opening + LEAD.capitalize() + "\n\n" + BODY
    result = clean_text(content)
    assert result.dateline.value == place and result.dateline.evidence.quote == quote
    assert result.paragraphs[0].text.startswith(opening.strip())  # the dateline stays in the body
    assert_raw_evidence(content, result.dateline)


@pytest.mark.parametrize("opening", ["BREAKING: ", "UN - ", "US President Joe Biden said ", "Officials said "])
def test_textmeta_no_dateline_without_one(opening: str) -> None:
    assert clean_text(opening + LEAD + "\n\n" + BODY).dateline is None


# --- Outlet -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, outlet, source",
    [
        ("DUSHANBE (Asia-Plus): " + LEAD + "\n\n" + BODY, "Asia-Plus", "text:dateline"),
        ("Xinhua News Agency: " + LEAD + "\n\n" + BODY, "Xinhua News", "text:agency-lead"),
        ("Anadolu Agency: " + LEAD + "\n\n" + BODY, "Anadolu Agency", "text:agency-lead"),
        (BODY + "\n\nGet The Daily Planet stories sent directly to you! Sign up now.", "The Daily Planet", "text:promo"),
        ("Steppe Herald\n\n• Home\n• World\n\nSteppe HeraldSteppe Herald\n\n" + BODY, "Steppe Herald", "text:site-header"),
        ("Steppe Herald > World > Ministers meet\n\nSteppe Herald\n\n" + BODY, "Steppe Herald", "text:site-header"),
        (BODY + "\n\n© 2024 Steppe Herald. All Rights Reserved.", "Steppe Herald", "text:copyright"),
    ],
)
def test_textmeta_outlet_stated_in_text(content: str, outlet: str, source: str) -> None:
    value = clean_text(content).outlet
    assert value is not None and (value.value, value.source) == (outlet, source)
    assert_raw_evidence(content, value)


@pytest.mark.parametrize(
    "content",
    [
        BODY,
        "Ministers agree on a trade deal\n" + BODY,
        "WASHINGTON – " + LEAD + "\n\n" + BODY,
        "Home\n\nHome > World > Ministers meet\n\n" + BODY,  # "Home" names a page, not the site
        "Menu\nExplore\nExplore\n\n" + BODY,  # a menu repeated one way only
        BODY + "\n\nCopyright Policy",
    ],
)
def test_textmeta_no_outlet_is_guessed(content: str) -> None:
    assert clean_text(content).outlet is None


@pytest.mark.parametrize("lead", ["Steppe Herald: "])
def test_textmeta_outlet_stated_twice_is_surer(lead: str) -> None:
    once = clean_text(BODY + "\n\n© 2024 Steppe Herald. All Rights Reserved.").outlet
    twice = clean_text(lead + LEAD + "\n\n" + BODY + "\n\n© 2024 Steppe Herald. All Rights Reserved.").outlet
    assert twice.value == once.value == "Steppe Herald"
    assert twice.confidence > once.confidence and "also stated by text:copyright" in twice.basis


@pytest.mark.parametrize(
    "text, single",
    [("X NewsX News", "X News"), ("Ad image Ad image", "Ad image"), ("Abc", "Abc"), ("", ""), ("aa", "a")],
)
def test_textmeta_undouble(text: str, single: str) -> None:
    assert undouble(text) == single


# --- Robustness ---------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789/.-: ,()ABCDEJanuaryMayPublished\n"), max_size=300))
def test_textmeta_date_readers_never_fail(text: str) -> None:
    for mention in find_dates(text):
        resolve_date(mention, page_date_order(text))
    result = clean_text(text)
    if result.published is not None:
        date.fromisoformat(result.published.value)


@pytest.mark.parametrize(
    "content",
    [
        "A" * 20_000 + ": " + "b " * 5_000,
        "NEW " * 5_000 + "(" * 3_000,
        "© " + "2024 " * 5_000 + "Abc." * 2_000,
        ("1/" * 5_000) + "\n" + ("Published " * 3_000),
        "Get " + "The " * 10_000 + "stories sent directly to you",
        ("x > " * 3_000) + "\n" + "• " * 10_000,
    ],
    ids=["long-name", "dateline", "copyright", "dates", "promo", "menu"],
)
def test_textmeta_pathological_input_is_fast(content: str) -> None:
    started = time.perf_counter()
    clean_text(content)
    assert time.perf_counter() - started < 2.0
