"""Time expressions: the finder's spans and fields, normalisation against the publication date or
the article's explicit dates, the seed articles' gold dates, and invariants under fuzzing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import dateparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from dyad.extract.timex import (
    WEEKDAYS, Timex, find_timexes, normalise, resolve, resolve_timexes, sounds_future,
)

SATURDAY = date(2025, 11, 29)


def _only(text: str, phrase: str) -> Timex:
    found = [t for t in find_timexes(text) if t.text == phrase]
    assert len(found) == 1, f"{phrase!r} not found once in {[t.text for t in find_timexes(text)]}"
    return found[0]


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


# --- finding ---


@pytest.mark.parametrize("text,phrase,kind,preposition", [
    ("Tokayev met on Tuesday with Tukumov.", "Tuesday", "weekday", "on"),
    ("He was appointed in June 2025.", "June 2025", "date", "in"),
    ("The visit began on 21 April 2025 in Kabul.", "21 April 2025", "date", "on"),
    ("The visit began on April 21, 2025 in Kabul.", "April 21, 2025", "date", "on"),
    ("The group met on Jan. 28 under his chairmanship.", "Jan. 28", "date", "on"),
    ("He visited Afghanistan on Dec. 8 to talk.", "Dec. 8", "date", "on"),
    ("The file is dated 2025-11-29 in the archive.", "2025-11-29", "date", ""),
    ("since the return to power in 2021.", "2021", "date", "in"),
    ("since returning to power in August 2021.", "August 2021", "date", "in"),
    ("with signing scheduled for February 2026, and", "February 2026", "date", "for"),
    ("Relations have improved since 2021.", "2021", "date", "since"),
    ("Officials said last Friday that talks failed.", "last Friday", "weekday", ""),
    ("The ministers will meet next Monday in Astana.", "next Monday", "weekday", ""),
    ("The minister arrived yesterday in Kabul.", "yesterday", "day_word", ""),
    ("Talks resume today, officials said.", "today", "day_word", ""),
    ("Earlier this year, Kazakhstan signed a memorandum.", "Earlier this year", "deictic", ""),
    ("Trade fell last year by a tenth.", "last year", "deictic", ""),
    ("Aid rose this month after the floods.", "this month", "deictic", ""),
    ("The envoy left last week for Doha.", "last week", "deictic", ""),
    ("Elections are due next year, he said.", "next year", "deictic", ""),
    ("In recent months, Kabul hosted delegations.", "recent months", "duration", "in"),
    ("In recent years, Astana hosted forums.", "recent years", "duration", "in"),
    ("bringing the total over the past five years to 6.4 billion tenge", "the past five years", "duration", "over"),
    ("The talks collapsed two weeks ago in Geneva.", "two weeks ago", "ago", ""),
    ("Prices rose in the third quarter of 2024.", "the third quarter of 2024", "quarter", "in"),
    ("Fighting resumed last summer near the border.", "last summer", "season", ""),
    ("The treaty dates from the 1990s.", "the 1990s", "decade", "from"),
    ("The camp is now closed.", "now", "vague", ""),
    ("The border post opened in late November.", "late November", "date", "in"),
    ("The ceasefire held until mid-2024 at least.", "mid-2024", "date", "until"),
    ("Results for fiscal 1989 were weak.", "fiscal 1989", "date", "for"),
    ("Investigators reopened the 1996 bombing case.", "1996", "date", ""),
])
def test_timex_finds_span_kind_and_preposition(text: str, phrase: str, kind: str, preposition: str) -> None:
    timex = _only(text, phrase)
    assert text[timex.start:timex.end] == timex.text == phrase
    assert timex.kind == kind
    assert timex.preposition == preposition


@pytest.mark.parametrize("text", [
    "Some 2000 troops crossed the border.",          # a count, not a year
    "© 2023 RASC. All Rights Reserved.",
    "Published 21/04/2025",                          # numeric dates are read elsewhere (clean.textmeta)
    "The A320 and COVID-19 figures were cited.",
    "May I say that April Ryan asked June about it?",  # names and a modal verb, not months
    "Prices fall when supply rises.",                # "fall" without this/last/next or a year
    "Crowds gathered on Good Friday and Super Tuesday.",
    "The first meeting of the group opened.",
    "The ministers met as soon as possible.",
])
def test_timex_does_not_find_non_dates(text: str) -> None:
    assert find_timexes(text) == ()


@pytest.mark.parametrize("text,expected", [
    ("in 2024 and 2025", ["2024", "2025"]),
    ("from 2019, 2020 and 2021", ["2019", "2020", "2021"]),
    ("on Tuesday, Nov. 25, 2025", ["Tuesday", "Nov. 25, 2025"]),
    ("a year ago and the past year", ["a year ago", "the past year"]),
    ("the third-quarter results", ["third-quarter"]),
])
def test_timex_splits_and_joins_expressions(text: str, expected: list[str]) -> None:
    assert [t.text for t in find_timexes(text)] == expected


# --- normalising with a publication date ---


@pytest.mark.parametrize("text,phrase,published,value,granularity,basis", [
    # the seeds' gold
    ("President Tokayev met on Tuesday with Yerkin Tukumov", "Tuesday", SATURDAY, "2025-11-25", "day",
     "relative_to_published"),
    ("was appointed Special Representative for Afghanistan in June 2025.", "June 2025", SATURDAY, "2025-06",
     "month", "explicit"),
    ("Earlier this year, Kazakhstan signed a memorandum", "Earlier this year", SATURDAY, "2025", "year",
     "relative_to_published"),
    # general news sentences
    ("Talks were held on Saturday in Doha.", "Saturday", SATURDAY, "2025-11-29", "day", "relative_to_published"),
    ("Officials said last Saturday that talks failed.", "last Saturday", SATURDAY, "2025-11-22", "day",
     "relative_to_published"),
    ("The minister arrived yesterday in Kabul.", "yesterday", SATURDAY, "2025-11-28", "day", "relative_to_published"),
    ("Trade fell last year by a tenth.", "last year", SATURDAY, "2024", "year", "relative_to_published"),
    ("Aid was cut last month.", "last month", date(2025, 1, 15), "2024-12", "month", "relative_to_published"),
    ("The envoy arrived in September.", "September", SATURDAY, "2025-09", "month", "relative_to_published"),
    ("Shelling was reported on Oct. 3 near the border.", "Oct. 3", SATURDAY, "2025-10-03", "day",
     "relative_to_published"),
    ("The talks collapsed two weeks ago in Geneva.", "two weeks ago", SATURDAY, "2025-11", "month",
     "relative_to_published"),
    ("Relations froze three years ago.", "three years ago", SATURDAY, "2022", "year", "relative_to_published"),
    ("Prices rose in the third quarter.", "the third quarter", SATURDAY, "2025", "year", "relative_to_published"),
    ("Fighting resumed last summer.", "last summer", SATURDAY, "2025", "year", "relative_to_published"),
    ("The accord was signed on 21 April 2025.", "21 April 2025", None, "2025-04-21", "day", "explicit"),
    ("Relations have improved since 2021.", "2021", None, "2021", "year", "explicit"),
])
def test_timex_normalise_against_publication(text: str, phrase: str, published: date | None, value: str,
                                             granularity: str, basis: str) -> None:
    timex = _only(text, phrase)
    result = normalise(timex, published)
    assert result is not None
    assert (result.value, result.granularity, result.basis) == (value, granularity, basis)
    assert result.evidence is not None and text[result.evidence.start:result.evidence.end] == result.evidence.quote


@pytest.mark.parametrize("phrase,future,value", [
    ("on Tuesday", False, "2025-11-25"),
    ("on Tuesday", None, "2025-11-25"),   # news weekdays look back by default
    ("on Tuesday", True, "2025-12-02"),
    ("on Saturday", True, "2025-11-29"),
    ("next Tuesday", None, "2025-12-02"),
    ("on Dec. 8", None, "2025-12-08"),    # unknown tense: the nearer occurrence (future counted double)
    ("on Dec. 8", False, "2024-12-08"),
    ("on Jan. 28", None, "2026-01-28"),
    ("on Jan. 28", False, "2025-01-28"),
    ("on Aug. 3", None, "2025-08-03"),    # four months back beats eight months ahead
    ("on June 1", None, "2025-06-01"),    # six months back against six ahead (x2): the past
    ("on March 1", None, "2026-03-01"),   # nine months back against three ahead (x2 = six): the future
    ("in March", None, "2026-03"),        # a month is as far as its last day: eight months back, three ahead
    ("in March", False, "2025-03"),
])
def test_timex_normalise_follows_the_tense_hint(phrase: str, future: bool | None, value: str) -> None:
    timex = find_timexes(phrase)[0]
    assert normalise(timex, SATURDAY, future=future).value == value


@pytest.mark.parametrize("offset", range(14))
def test_timex_weekdays_agree_with_dateparser_except_on_the_same_day(offset: int) -> None:
    """dateparser with PREFER_DATES_FROM="past" takes "Saturday" on a Saturday to be a week back;
    wire copy ("exploded Friday" in a Friday story) means the day itself. Elsewhere: the same."""
    published = date(2025, 11, 17) + timedelta(days=offset)
    base = {"RELATIVE_BASE": datetime(published.year, published.month, published.day)}
    for name in WEEKDAYS:
        for phrase, prefer in ((name, "past"), (f"last {name}", "past"), (f"next {name}", "future")):
            ours = normalise(find_timexes(phrase)[0], published).value
            theirs = dateparser.parse(phrase, settings={**base, "PREFER_DATES_FROM": prefer}).date()
            if phrase == name and published.weekday() == WEEKDAYS.index(name):
                assert ours == published.isoformat() and theirs == published - timedelta(days=7)
            else:
                assert ours == theirs.isoformat(), (phrase, published)


@pytest.mark.parametrize("phrase", ["Jan. 28", "Dec. 8", "June 15", "29 February"])
@pytest.mark.parametrize("future,prefer", [(False, "past"), (True, "future")])
def test_timex_yearless_dates_agree_with_dateparser(phrase: str, future: bool, prefer: str) -> None:
    """With PREFER_DATES_FROM as the tense hint, dateparser picks the same year, save on the day itself."""
    for published in (date(2025, 1, 1) + timedelta(days=d) for d in range(0, 730, 11)):
        base = datetime(published.year, published.month, published.day)
        ours = normalise(find_timexes(f"on {phrase}")[0], published, future=future).value
        theirs = dateparser.parse(phrase, settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer}).date()
        if ours == published.isoformat():  # the day itself: dateparser "future" moves it a year on
            assert theirs in (published, published.replace(year=published.year + 1))
        else:
            assert ours == theirs.isoformat(), (phrase, published)


@pytest.mark.parametrize("text,phrase,timex3,reason", [
    ("bringing the total over the past five years to", "the past five years", "P5Y", "duration"),
    ("In recent years, Astana hosted forums.", "recent years", "PXY", "duration"),
    ("In recent months, Kabul hosted delegations.", "recent months", "PXM", "duration"),
    ("The camp is now closed.", "now", "PRESENT_REF", "vague"),
    ("Tensions have recently eased.", "recently", "PAST_REF", "vague"),
    ("The treaty dates from the 1990s.", "the 1990s", "199", "decade"),
    ("Several years ago, the road closed.", "Several years ago", "PAST_REF", "vague"),
])
def test_timex_durations_and_vague_expressions_have_no_date(text: str, phrase: str, timex3: str, reason: str) -> None:
    result = resolve(_only(text, phrase), SATURDAY)
    assert result.value is None
    assert result.timex3 == timex3
    assert reason in result.reason


@pytest.mark.parametrize("text,phrase,timex3,value,granularity", [
    ("The envoy left last week.", "last week", "2025-W47", "2025-11", "month"),
    ("Talks opened this week.", "this week", "2025-W48", None, None),   # Nov 24-30 is one month: see below
    ("Protests grew this weekend.", "this weekend", "2025-W48-WE", "2025-11", "month"),
    ("Sales rose in the third quarter.", "the third quarter", "2025-Q3", "2025", "year"),
    ("The blast hit on Friday morning.", "Friday morning", "2025-11-28TMO", "2025-11-28", "day"),
    ("Fighting resumed last summer.", "last summer", "2025-SU", "2025", "year"),
])
def test_timex_weeks_quarters_and_seasons_keep_the_unit_that_contains_them(
        text: str, phrase: str, timex3: str, value: str | None, granularity: str | None) -> None:
    result = resolve(_only(text, phrase), SATURDAY)
    assert result.timex3 == timex3
    if value is None:  # this week (Mon 24 - Sun 30 Nov) lies in November
        value, granularity = "2025-11", "month"
    assert (result.value.value, result.value.granularity) == (value, granularity)


def test_timex_week_across_two_months_keeps_the_year() -> None:
    result = resolve(find_timexes("last week")[0], date(2025, 12, 3))  # Mon 24 Nov - Sun 30 Nov: one month
    assert result.value.value == "2025-11"
    result = resolve(find_timexes("this week")[0], date(2025, 10, 1))  # Mon 29 Sep - Sun 5 Oct
    assert (result.value.value, result.value.granularity) == ("2025", "year")


# --- normalising without a publication date ---


def test_timex_seed_001_december_date_stays_year_unknown() -> None:
    text = _seed("001")
    timex = _only(text, "Dec. 8")
    value = normalise(timex, None, find_timexes(text))
    assert (value.value, value.granularity, value.basis) == ("--12-08", "day", "year_unknown")


def test_timex_seed_003_january_date_takes_its_year_from_context() -> None:
    text = _seed("003")
    timex = _only(text, "Jan. 28")
    value = normalise(timex, None, find_timexes(text))
    assert (value.value, value.granularity, value.basis) == ("2026-01-28", "day", "from_context")


@pytest.mark.parametrize("text,phrase,future,value", [
    # the latest explicit year that puts the date on or before the latest explicit date
    ("Talks on Jan. 28 prepared a signing set for February 2026. In 2025 aid doubled.", "Jan. 28", None,
     "2026-01-28"),
    ("In 2023 a deal was drafted and in March 2024 it was signed. Talks on Dec. 5 followed.", "Dec. 5", None,
     "2023-12-05"),
    # no explicit year puts it before the latest date: the latest explicit year
    ("The accord of March 2024 was followed by talks on Dec. 5.", "Dec. 5", None, "2024-12-05"),
    # a future hint takes the latest explicit year
    ("In 2023 a deal was drafted and in March 2024 it was signed. Talks on Dec. 5 will follow.", "Dec. 5", True,
     "2024-12-05"),
    ("Since 2021 the embassy has worked; it reopened on June 3.", "June 3", None, "2021-06-03"),
])
def test_timex_from_context_rule(text: str, phrase: str, future: bool | None, value: str) -> None:
    result = normalise(_only(text, phrase), None, find_timexes(text), future=future)
    assert (result.value, result.basis) == (value, "from_context")


def test_timex_from_context_accepts_plain_years() -> None:
    result = normalise(find_timexes("on Jan. 28")[0], None, [2025, 2026])
    assert (result.value, result.basis) == ("2026-01-28", "from_context")


@pytest.mark.parametrize("phrase", ["on Tuesday", "earlier this year", "yesterday", "two weeks ago", "last summer"])
def test_timex_relative_expressions_abstain_without_publication(phrase: str) -> None:
    result = resolve(find_timexes(phrase)[0], None, [2025])
    assert result.value is None and "publication" in result.reason


def test_timex_month_alone_without_any_year_abstains() -> None:
    result = resolve(find_timexes("in June")[0], None)
    assert result.value is None and result.timex3 == "XXXX-06"


@pytest.mark.parametrize("published", ["2025-11-29", "2025-11-29T08:00:00+05:00"])
def test_timex_normalise_accepts_iso_text_for_publication(published: str) -> None:
    assert normalise(find_timexes("on Tuesday")[0], published).value == "2025-11-25"


@pytest.mark.parametrize("published", ["29/11/2025", "yesterday"])
def test_timex_normalise_rejects_other_publication_text(published: str) -> None:
    with pytest.raises(ValueError, match=r"\[T001\]"):
        normalise(find_timexes("on Tuesday")[0], published)


# --- the whole article ---


@pytest.mark.parametrize("text,phrase,future", [
    ("The business forum, scheduled for Tuesday, will bring together officials.", "Tuesday", True),
    ("Talks will be held on Monday, officials said.", "Monday", True),
    ("The minister said on Monday that talks will resume.", "Monday", False),
    ("President Tokayev met on Tuesday with Yerkin Tukumov.", "Tuesday", False),
])
def test_timex_sounds_future_reads_the_clause(text: str, phrase: str, future: bool) -> None:
    assert sounds_future(text, _only(text, phrase)) is future


@pytest.mark.parametrize("prefix,published,expected", [
    ("000", date(2025, 11, 29), {"Tuesday": "2025-11-25", "June 2025": "2025-06", "Earlier this year": "2025",
                                 "2021": "2021"}),
    ("001", None, {"Dec. 8": "--12-08"}),
    ("002", None, {"August 2021": "2021-08"}),
    ("003", None, {"Jan. 28": "2026-01-28", "2025": "2025", "February 2026": "2026-02"}),
    ("004", date(2025, 4, 21), {"Tuesday": "2025-04-22"}),  # "scheduled for Tuesday, will bring together"
])
def test_timex_resolve_timexes_on_seed_articles(prefix: str, published: date | None, expected: dict) -> None:
    text = _seed(prefix)
    values = {t.text: r.value.value for t, r in resolve_timexes(text, published) if r.value is not None}
    for phrase, value in expected.items():
        assert values.get(phrase) == value, phrase


# --- invariants ---

_PIECES = st.sampled_from([
    "on ", "in ", "since ", "last ", "next ", "this ", "the past ", "Tuesday", "Jan. ", "May ", "June ", "2025",
    "1999", "28", "5", ",", ".", " ", "\n", "year", "years", "week", "ago", "early ", "mid-", "fall", "Q3", "(",
    "$", "million", "a ", "two ", "recent ", "-", "’s", "now",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_PIECES | st.text(max_size=6), max_size=40),
       published=st.none() | st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 10, 1)))
def test_timex_spans_are_ordered_quotes_and_resolution_never_fails(pieces: list[str], published: date | None) -> None:
    text = "".join(pieces)
    found = find_timexes(text)
    for earlier, later in zip(found, found[1:]):
        assert earlier.end <= later.start
    for timex, result in resolve_timexes(text, published):
        assert text[timex.start:timex.end] == timex.text and timex.start < timex.end
        if result.value is not None:
            assert result.value.granularity in ("day", "month", "year")
            assert result.value.evidence.quote == timex.text
