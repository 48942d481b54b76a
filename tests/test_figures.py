"""Figures: money with its currency and stated USD equivalent, percentages and counts, with exact
amounts and spans; years, dates, durations and ordinals are never figures."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from dyad.extract.figures import find_figures
from dyad.records import Figure


def _one(text: str, quote: str) -> Figure:
    found = [f for f in find_figures(text) if f.evidence.quote == quote]
    assert len(found) == 1, f"{quote!r} not found once in {[f.evidence.quote for f in find_figures(text)]}"
    figure = found[0]
    assert text[figure.evidence.start:figure.evidence.end] == figure.evidence.quote
    assert figure.evidence.layer == "text"
    return figure


@pytest.mark.parametrize("text,quote,amount,unit,qualifier,usd", [
    ("committed to increasing the volume of trade to more than $3 billion.", "more than $3 billion", 3e9, "USD",
     "more than", 3e9),
    ("He paid US$12.7 million for the plant.", "US$12.7 million", 12.7e6, "USD", "", 12.7e6),
    ("The EU pledged €5m on Monday.", "€5m", 5e6, "EUR", "", None),
    ("Britain gave £200,000 to the fund.", "£200,000", 200_000, "GBP", "", None),
    ("India released Rs 1.2 crore for relief.", "Rs 1.2 crore", 1.2e7, "INR", "", None),
    ("Germany added 5 million euros.", "5 million euros", 5e6, "EUR", "", None),
    ("Russia spent 200 million rubles.", "200 million rubles", 2e8, "RUB", "", None),
    ("China offered 50 million yuan in aid.", "50 million yuan", 5e7, "CNY", "", None),
    ("Pakistan paid 10 billion Pakistani rupees.", "10 billion Pakistani rupees", 1e10, "PKR", "", None),
    ("The ministry paid 50,000 afghanis.", "50,000 afghanis", 5e4, "AFN", "", None),
    ("Kazakhstan allocated 6.4 billion tenge.", "6.4 billion tenge", 6.4e9, "KZT", "", None),
    ("The loan is USD 5m.", "USD 5m", 5e6, "USD", "", 5e6),
    ("The fee is 100 USD.", "100 USD", 100, "USD", "", 100),
    ("Aid reached about $2bn this year.", "about $2bn", 2e9, "USD", "about", 2e9),
    ("Exports of up to $1.5 billion were planned.", "up to $1.5 billion", 1.5e9, "USD", "up to", 1.5e9),
    ("Damage of at least 3 million dollars was reported.", "at least 3 million dollars", 3e6, "USD", "at least", 3e6),
    ("a deal worth $3-5 billion", "$3-5 billion", 3e9, "USD", "between 3000000000 and 5000000000", 3e9),
])
def test_figures_money_amount_currency_and_qualifier(text: str, quote: str, amount: float, unit: str,
                                                    qualifier: str, usd: float | None) -> None:
    figure = _one(text, quote)
    assert figure.kind == "money"
    assert figure.amount == pytest.approx(amount)
    assert figure.unit == unit
    assert figure.qualifier == qualifier
    assert figure.usd == (pytest.approx(usd) if usd is not None else None)


@pytest.mark.parametrize("text,quote,amount,unit,usd,basis", [
    ("bringing the total support over the past five years to 6.4 billion tenge (approximately US$12.7 million).",
     "6.4 billion tenge", 6.4e9, "KZT", 12.7e6, "stated: approximately US$12.7 million"),
    ("Russia spent 200 million rubles, or about $2.5 million, on the road.", "200 million rubles", 2e8, "RUB",
     2.5e6, "stated: about $2.5 million"),
    ("Kazakhstan committed $3bn (6.4 billion tenge) to the line.", "6.4 billion tenge", 6.4e9, "KZT", 3e9,
     "stated: $3bn"),
])
def test_figures_stated_usd_equivalent_is_linked_not_counted_twice(text: str, quote: str, amount: float, unit: str,
                                                                   usd: float, basis: str) -> None:
    money = [f for f in find_figures(text) if f.kind == "money"]
    assert [f.evidence.quote for f in money] == [quote]
    figure = money[0]
    assert (figure.amount, figure.unit) == (pytest.approx(amount), unit)
    assert figure.usd == pytest.approx(usd)
    assert figure.usd_basis == basis


def test_figures_no_usd_from_exchange_rates() -> None:
    figure = _one("Kazakhstan allocated 6.4 billion tenge.", "6.4 billion tenge")
    assert figure.usd is None and figure.usd_basis == ""


@pytest.mark.parametrize("text,quote,amount,unit,qualifier", [
    ("610 Afghan students are now studying at 34 Kazakh universities.", "610 Afghan students", 610, "students", ""),
    ("610 Afghan students are now studying at 34 Kazakh universities.", "34 Kazakh universities", 34,
     "universities", ""),
    ("Under an existing memorandum, 30 educational grants are offered annually", "30 educational grants", 30,
     "grants", ""),
    ("with plans to increase the quota to 60 grants per year.", "60 grants per year", 60, "grants per year", ""),
    ("Floods Devastate 100 Homes and Claim Life of Elderly Man", "100 Homes", 100, "homes", ""),
    ("More than 1,500 refugees crossed the border.", "More than 1,500 refugees", 1500, "refugees", "more than"),
    ("Nearly 2 million people were displaced.", "Nearly 2 million people", 2e6, "people", "nearly"),
    ("Some 300 armed fighters surrendered.", "Some 300 armed fighters", 300, "fighters", "some"),
    ("The two countries signed a deal.", "two countries", 2, "countries", ""),
    ("Aid was delivered to Afghanistan twice, bringing the total", "twice", 2, "times", ""),
    ("Kazakhstan shipped 1.5 million tonnes of grain.", "1.5 million tonnes", 1.5e6, "tonnes", ""),
    ("The line runs over 1,400 km of desert.", "over 1,400 km", 1400, "km", "over"),
    ("Between 20-30 delegates attended.", "20-30 delegates", 20, "delegates", "between 20 and 30"),
])
def test_figures_counts_keep_what_they_count(text: str, quote: str, amount: float, unit: str, qualifier: str) -> None:
    figure = _one(text, quote)
    assert figure.kind == "quantity"
    assert (figure.amount, figure.unit, figure.qualifier) == (pytest.approx(amount), unit, qualifier)
    assert figure.usd is None


@pytest.mark.parametrize("text,quote,amount,unit,qualifier", [
    ("Trade grew 12% in a year.", "12%", 12, "percent", ""),
    ("Inflation eased to 7.5 per cent.", "7.5 per cent", 7.5, "percent", ""),
    ("Output rose by up to 40 percent.", "up to 40 percent", 40, "percent", "up to"),
    ("Rates rose 3.5 percentage points.", "3.5 percentage points", 3.5, "percentage points", ""),
])
def test_figures_percentages(text: str, quote: str, amount: float, unit: str, qualifier: str) -> None:
    figure = _one(text, quote)
    assert (figure.kind, figure.amount, figure.unit, figure.qualifier) == ("quantity", amount, unit, qualifier)


@pytest.mark.parametrize("text", [
    "In 2025, humanitarian aid was delivered.",
    "The group met on Jan. 28 and again on 21 April 2025.",
    "over the past five years and for 24 hours",
    "since returning to power in August 2021",
    "The first meeting was held on the 21st floor.",
    "Article 5 states that UN Resolution 2254 applies.",
    "COVID-19 cases and A320 jets and G20 members",
    "a 30-year-old man and a three-year plan",
    "Published 21/04/2025",
    "twice as many people came",
])
def test_figures_ignore_years_dates_durations_ordinals_and_labels(text: str) -> None:
    assert find_figures(text) == []


@pytest.mark.parametrize("prefix,expected", [
    ("003", [("6.4 billion tenge", "money", 6.4e9, "KZT"), ("610 Afghan students", "quantity", 610, "students"),
             ("34 Kazakh universities", "quantity", 34, "universities"),
             ("30 educational grants", "quantity", 30, "grants"),
             ("60 grants per year", "quantity", 60, "grants per year")]),
    ("004", [("more than $3 billion", "money", 3e9, "USD"), ("100 Homes", "quantity", 100, "homes")]),
])
def test_figures_seed_articles(prefix: str, expected: list[tuple]) -> None:
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    found = {f.evidence.quote: f for f in find_figures(text)}
    for quote, kind, amount, unit in expected:
        figure = found[quote]
        assert (figure.kind, figure.amount, figure.unit) == (kind, pytest.approx(amount), unit)
        assert text[figure.evidence.start:figure.evidence.end] == quote
    assert not any(quote.strip().isdigit() and len(quote.strip()) == 4 for quote in found)  # no bare years


def test_figures_seed_003_usd_equivalent_is_on_the_tenge_figure() -> None:
    text = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    tenge = _one(text, "6.4 billion tenge")
    assert tenge.usd == pytest.approx(12.7e6) and tenge.usd_basis.startswith("stated")
    assert "US$12.7 million" in tenge.usd_basis


_PIECES = st.sampled_from([
    "$", "US$", "€", "Rs ", "1", "12", "2025", "6.4", "1,500", ",", ".", " ", "(", ")", "-", "million", "billion",
    "m", "bn", "tenge", "euros", "students", "Afghan ", "more than ", "about ", "%", " percent", "per year",
    "two ", "twice", "Jan. ", "in ", "years", "the past ", "approximately ", "\n",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_PIECES | st.text(max_size=5), max_size=40))
def test_figures_spans_are_quotes_and_do_not_overlap(pieces: list[str]) -> None:
    text = "".join(pieces)
    figures = find_figures(text)
    for figure in figures:
        assert text[figure.evidence.start:figure.evidence.end] == figure.evidence.quote
        assert figure.amount >= 0 and figure.unit
    spans = sorted((f.evidence.start, f.evidence.end) for f in figures)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end <= start
