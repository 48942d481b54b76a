"""Time expressions in English news text: find them, then fix the date each one names.

Two steps, kept apart so that each can be tested on its own:

1. ``find_timexes(text)``: a grammar of compiled patterns (calendar dates, weekdays, "today",
   "last year", "two weeks ago", seasons, quarters, decades, durations, vague references) finds
   spans and keeps the fields the grammar read (year, month, day, weekday, offset...). Spans
   follow the TIMEX3 extent convention: a leading preposition is not part of the span, but it is
   kept in ``Timex.preposition`` because it changes what the date means ("since 2021").
2. ``resolve(timex, published, context_years, future=...)``: calendar arithmetic on those fields,
   anchored on the publication date, or on the article's explicit dates when there is none. It
   returns the dyad ``TimeValue`` (day, month or year granularity, never finer than the text),
   the ISO-TimeML (TIMEX3) value, and the reason for the choice or for abstaining.
   ``normalise`` is its short form and returns the ``TimeValue`` alone.

Why our own arithmetic and not dateparser for step 2: the grammar has already separated the
fields, so what is left is arithmetic, and dateparser re-reads the words and fills missing parts
from the anchor ("June 2025" -> 2025-06-29, "earlier this year" -> nothing, "Saturday" on a
Saturday with PREFER_DATES_FROM="past" -> a week earlier). Tests check that on weekdays and
year-less dates the two agree wherever dateparser's own rule is the same as ours.

Rules that fix a year (documented here because they are guesses, however careful):

- Weekdays refer to the past seven days, the publication day included ("exploded Friday" in a
  Friday story), unless ``future`` is true: then the next seven days. "last"/"next" exclude the
  publication day; "this" means the publication's ISO week.
- A year-less date or month takes the occurrence on or before publication when ``future`` is
  False, on or after it when True, and the nearest occurrence when it is None (unknown tense).
- With no publication date, a year-less date takes its year from the article's explicit dates
  (``context_years``): the latest explicit year that puts it on or before the latest explicit
  date, else the latest explicit year (``future``: the latest explicit year). This assumes the
  article's latest explicit date is close to when it was written; a purely historical year can
  mislead it, which is why the basis says ``from_context``. Nothing else (weekdays, "this year")
  is guessed from context: without a publication date those abstain.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from dyad.records import Evidence, Granularity, TimeValue

__all__ = [
    "Resolution", "Timex", "find_timexes", "normalise", "resolve", "resolve_timexes", "sounds_future",
]

TimexKind = Literal[
    "date", "weekday", "day_word", "deictic", "ago", "season", "quarter", "decade", "duration", "vague"
]


@dataclass(frozen=True, slots=True)
class Timex:
    """A temporal expression found in text and the fields the grammar read from it.

    ``offset`` is -1/0/+1 for last/this/next (or -n for "n units ago"); ``unit`` is day, week,
    weekend, month, year, quarter or decade for deictic, "ago" and duration expressions;
    ``duration`` is the ISO 8601 duration of a duration (P5Y, PXM); ``reference`` is PRESENT_REF,
    PAST_REF or FUTURE_REF for a vague one. ``preposition`` is the word before the span.
    """

    start: int
    end: int
    text: str
    kind: TimexKind
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # 0 = Monday
    offset: int | None = None
    unit: str | None = None
    quarter: int | None = None
    season: str | None = None  # TIMEX3 codes SP, SU, FA, WI
    decade: int | None = None  # 199 for the 1990s
    modifier: str = ""  # early, late, mid, earlier, later
    part_of_day: str = ""  # TIMEX3 codes MO, AF, EV, NI
    duration: str | None = None
    reference: str | None = None
    preposition: str = ""


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a timex normalises to: dyad's ``TimeValue`` (None when it names no day, month or
    year), the TIMEX3 ``value`` attribute (None when unknown) and why."""

    value: TimeValue | None
    timex3: str | None
    reason: str


# --- vocabulary ---

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100,
}
VAGUE_COUNTS = {"few", "a few", "several", "many", "some"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
# Winter is labelled by the year of its January (Dec 2024 to Feb 2025 is winter 2025).
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (1, 2)}
RELATIVE = {"last": -1, "past": -1, "this": 0, "current": 0, "next": 1, "coming": 1}
DURATION_UNITS = {
    "second": "TS", "minute": "TM", "hour": "TH", "day": "D", "week": "W", "month": "M",
    "year": "Y", "decade": "DE", "century": "CE",
}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
# Words before a span that we record: they change meaning ("since 2021") but are not TIMEX3 extent.
PREPOSITIONS = {
    "on", "in", "at", "since", "until", "till", "by", "from", "to", "through", "during", "before",
    "after", "over", "for", "within", "between", "of", "around", "throughout", "as",
}
# A bare four-digit number is a year only after one of these words (or before punctuation).
YEAR_LEADS = PREPOSITIONS - {"of", "for", "as", "at", "on", "over"} | {"fiscal", "year", "circa", "mid", "early", "late"}
# ...or after a determiner ("the 1996 Olympic bombing", "its 1988 recapitalization"): news style
# writes counts of a thousand and more with a comma, so "the 2000 troops" is the rarer reading.
YEAR_DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "our", "both", "due", "whose"}
YEAR_NOUNS = {
    "election", "elections", "budget", "census", "summit", "agreement", "accord", "deal", "treaty",
    "war", "crisis", "olympics", "earthquake", "floods", "flood", "attack", "attacks", "coup",
    "revolution", "invasion", "referendum", "campaign", "report", "survey", "plan", "law",
    "constitution", "season", "memorandum", "takeover", "withdrawal",
}
HOLIDAY_LEADS = {"good", "black", "ash", "holy", "super", "palm", "easter", "bloody", "cyber", "maundy"}

# --- the grammar: one compiled pattern per construction ---

_FULL_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH = r"(?P<month>(?:" + _FULL_MONTHS + r")\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_PART = r"(?P<part>[Ee]arly|[Ll]ate|[Mm]id)(?:\s+|-)"
_COUNT = (r"(?P<count>\d{1,3}(?:,\d{3})?|(?i:a\s+few|few|several|many|some|"
          + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r"))")
_UNIT = r"(?P<unit>seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries)"

ISO_DATE = re.compile(r"(?<![\d-])" + _YEAR + r"-(?P<month>0[1-9]|1[0-2])-(?P<day>[0-3]\d)(?![\d-])")
DAY_MONTH_YEAR = re.compile(r"(?<![\d.,])\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + r"(?!\d))?")
MONTH_DAY_YEAR = re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?!\.\d|,\d)(?:,?\s+" + _YEAR + r"\b)?")
MONTH_YEAR = re.compile(r"(?:\b" + _PART + r")?\b" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR + r"\b")
MONTH_ALONE = re.compile(
    r"(?:\b" + _PART + r"|\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?\b(?P<month>" + _FULL_MONTHS + r")\b(?![-\d])"
)
BARE_YEAR = re.compile(
    r"(?:\b(?P<fiscal>[Ff]iscal)\s+|\b" + _PART + r"|(?<![\w$€£¥₹.,/:-]))" + _YEAR + r"(?![\w%‰]|[.,:/-]\d)"
)
DECADE = re.compile(r"\b(?:(?P<the>[Tt]he)\s+)?(?:" + _PART + r")?(?P<decade>(?:1[89]|20)\d)0['’]?s\b")
WEEKDAY = re.compile(
    r"\b(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming)\s+)?(?P<weekday>" + "|".join(WEEKDAYS) + r")\b"
    r"(?:\s+(?P<pod>morning|afternoon|evening|night)\b)?"
)
DAY_WORD = re.compile(
    r"\b(?P<word>[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight)\b(?:\s+(?P<pod>morning|afternoon|evening|night)\b)?"
    r"|\b(?P<rel>[Tt]his|[Ll]ast)\s+(?P<pod2>morning|afternoon|evening|night)\b"
)
DEICTIC = re.compile(
    r"\b(?:(?P<mod>[Ee]arlier|[Ll]ater|[Ee]arly|[Ll]ate|[Mm]id)(?:\s+|-))?"
    r"(?P<rel>[Tt]his|[Ll]ast|[Nn]ext|[Cc]urrent)\s+(?P<unit>week|weekend|month|year|quarter|decade)\b"
)
AGO = re.compile(r"\b" + _COUNT + r"(?:\s+|-)" + _UNIT + r"\s+ago\b")
SEASON = re.compile(
    r"\b(?:(?P<mod>[Ee]arly|[Ll]ate|[Mm]id)(?:\s+|-))?(?:(?P<rel>[Tt]his|[Ll]ast|[Nn]ext|[Pp]ast)\s+)?"
    r"(?P<season>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)\b(?:,?\s+(?:of\s+)?" + _YEAR + r"\b)?"
)
QUARTER = re.compile(
    r"\b(?:(?P<the>[Tt]he)\s+)?(?P<ord>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|1st|2nd|3rd|4th)(?:\s+|-)quarter\b"
    r"(?:,?\s+(?:of\s+)?" + _YEAR + r"\b)?"
    r"|\bQ(?P<q>[1-4])\b(?:\s+" + _YEAR.replace("year", "qyear") + r"\b)?"
)
DURATION = re.compile(
    r"\b(?:(?P<the>[Tt]he)\s+)?(?:(?P<rel>[Pp]ast|[Ll]ast|[Nn]ext|[Cc]oming|[Rr]ecent|[Ff]irst|[Pp]revious)\s+)?"
    r"(?:" + _COUNT + r"(?:\s+|-))?" + _UNIT + r"\b(?!-old|\s+(?:ago|earlier|later)\b)"
)
VAGUE = re.compile(
    r"\b(?P<word>[Nn]ow|[Cc]urrently|[Rr]ecently|[Nn]owadays|[Ss]oon|[Tt]he\s+(?:near\s+|distant\s+)?future"
    r"|[Tt]he\s+past)\b(?!-)"
)
_WORD_BEFORE = re.compile(r"\b([A-Za-z]+)[ \t]+$")
_PREPOSITION_BEFORE = re.compile(r"\b([A-Za-z]+)[ \t]+(?:[Tt]he[ \t]+)?$")
_POSSESSIVE_BEFORE = re.compile(r"\w['’]s[ \t]+$")
_YEAR_BEFORE = re.compile(r"\b(?:1[89]|20)\d\d(?:,|\s+(?:and|or|to|through))?\s+$")
_FOLLOWED_BY_PUNCT = re.compile(r"\s*(?:$|[.,;:!?)\]\"'’”]|\s[(–-]|\n)")
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")


@functools.lru_cache(maxsize=4)  # an article's times and its figures (which skip dates) read the same text
def find_timexes(text: str) -> tuple[Timex, ...]:
    """Temporal expressions in ``text``, in order, without overlaps (the longest wins)."""
    candidates: list[tuple[int, int, int, Timex]] = []
    for rank, (pattern, build) in enumerate(_GRAMMAR):
        for match in pattern.finditer(text):
            timex = build(match, text)
            if timex is not None:
                candidates.append((timex.start, -(timex.end - timex.start), rank, timex))
    candidates.sort(key=lambda item: item[:3])
    chosen: list[Timex] = []
    for _, _, _, timex in candidates:
        if not chosen or timex.start >= chosen[-1].end:
            chosen.append(replace(timex, preposition=_preposition(text, timex.start)))
    return tuple(chosen)


# --- builders: a match to a Timex, or None when the grammar's extra conditions fail ---


def _timex(match: re.Match[str], kind: TimexKind, **fields: object) -> Timex:
    return Timex(match.start(), match.end(), match.group(0), kind, **fields)  # type: ignore[arg-type]


def _month_number(name: str) -> int:
    return int(name) if name.isdigit() else MONTHS[name.rstrip(".").lower()]


def _valid_day(year: int | None, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year if year is not None else 2000, month)[1]  # 2000: leap


def _calendar_date(match: re.Match[str], text: str) -> Timex | None:
    groups = match.groupdict()
    month = _month_number(groups["month"])
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else None
    if day is not None and not _valid_day(year, month, day):
        return None
    return _timex(match, "date", year=year, month=month, day=day, modifier=(groups.get("part") or "").lower())


def _month_alone(match: re.Match[str], text: str) -> Timex | None:
    rel, part = match.group("rel"), match.group("part")
    if not rel and not part and _preposition(text, match.start()) not in PREPOSITIONS:
        return None  # "April Ryan said", "May I": a bare month needs a temporal preposition
    month = MONTHS[match.group("month").lower()]
    return _timex(match, "date", month=month, offset=RELATIVE[rel.lower()] if rel else None,
                  modifier=(part or "").lower())


def _bare_year(match: re.Match[str], text: str) -> Timex | None:
    start = match.start("year")
    if not (match.group("fiscal") or match.group("part") or _is_year_context(text, start, match.end())):
        return None
    return _timex(match, "date", year=int(match.group("year")), modifier=(match.group("part") or "").lower())


def _is_year_context(text: str, start: int, end: int) -> bool:
    """A bare 19xx/20xx is a year after a temporal word, in a list of years, before punctuation,
    or before an event noun ("the 2024 election"); otherwise it may be a count ("2000 troops")."""
    if _preposition(text, start, YEAR_LEADS) or _YEAR_BEFORE.search(text, max(0, start - 20), start):
        return True
    if _word_before(text, start) in YEAR_DETERMINERS or _POSSESSIVE_BEFORE.search(text, max(0, start - 6), start):
        return True
    if _FOLLOWED_BY_PUNCT.match(text, end):
        return True
    following = _NEXT_WORD.match(text, end)
    return bool(following and following.group(1).lower() in YEAR_NOUNS)


def _decade(match: re.Match[str], text: str) -> Timex | None:
    return _timex(match, "decade", decade=int(match.group("decade")), modifier=(match.group("part") or "").lower())


def _weekday(match: re.Match[str], text: str) -> Timex | None:
    before = _WORD_BEFORE.search(text, max(0, match.start() - 12), match.start())
    if not match.group("rel") and before and before.group(1).lower() in HOLIDAY_LEADS:
        return None  # Good Friday, Super Tuesday: named days, not the week's
    rel = match.group("rel")
    return _timex(match, "weekday", weekday=WEEKDAYS.index(match.group("weekday")),
                  offset=RELATIVE[rel.lower()] if rel else None,
                  part_of_day=PARTS_OF_DAY.get(match.group("pod") or "", ""))


def _day_word(match: re.Match[str], text: str) -> Timex | None:
    word = (match.group("word") or "").lower()
    offsets = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
    if word:
        pod = "NI" if word == "tonight" else PARTS_OF_DAY.get(match.group("pod") or "", "")
        return _timex(match, "day_word", offset=offsets[word], unit="day", part_of_day=pod)
    pod = match.group("pod2")
    offset = -1 if match.group("rel").lower() == "last" else 0  # "last night" is yesterday's night
    return _timex(match, "day_word", offset=offset, unit="day", part_of_day=PARTS_OF_DAY[pod])


def _deictic(match: re.Match[str], text: str) -> Timex | None:
    if text[max(0, match.start() - 4):match.start()].lower() == "the ":
        return None  # "the last year" is a duration, not last calendar year
    modifier = (match.group("mod") or "").lower()
    return _timex(match, "deictic", offset=RELATIVE[match.group("rel").lower()], unit=match.group("unit"),
                  modifier=modifier)


def _singular_unit(unit: str) -> str:
    unit = unit.lower()
    return "century" if unit.startswith("centur") else unit.rstrip("s")


def _count(word: str | None) -> int | None:
    """A count as a number, or None when vague ("several") or absent."""
    if word is None:
        return None
    word = " ".join(word.lower().split())
    if word in VAGUE_COUNTS:
        return None
    return int(word.replace(",", "")) if word[0].isdigit() else NUMBER_WORDS[word]


def _ago(match: re.Match[str], text: str) -> Timex | None:
    unit = _singular_unit(match.group("unit"))
    count = _count(match.group("count"))
    return _timex(match, "ago", unit=unit, offset=None if count is None else -count)


def _season(match: re.Match[str], text: str) -> Timex | None:
    rel, year = match.group("rel"), match.group("year")
    if not rel and not year:
        return None  # "prices fall", "the fall of Kabul": a season needs "this/last/next" or a year
    return _timex(match, "season", season=SEASONS[match.group("season").lower()],
                  year=int(year) if year else None, offset=RELATIVE[rel.lower()] if rel else None,
                  modifier=(match.group("mod") or "").lower())


def _quarter(match: re.Match[str], text: str) -> Timex | None:
    if match.group("q"):
        year = match.group("qyear")
        return _timex(match, "quarter", quarter=int(match.group("q")), year=int(year) if year else None)
    year = match.group("year")
    timex = _timex(match, "quarter", quarter=ORDINALS[match.group("ord").lower()], year=int(year) if year else None)
    if match.group("the") and "-quarter" in match.group(0):
        start = match.start("ord")  # "the third-quarter results": "the" belongs to "results"
        timex = replace(timex, start=start, text=text[start:match.end()])
    return timex


def _duration(match: re.Match[str], text: str) -> Timex | None:
    rel = (match.group("rel") or "").lower()
    raw_count = match.group("count")
    unit = _singular_unit(match.group("unit"))
    plural = match.group("unit").lower().endswith("s")
    if raw_count is None and not rel:
        return None  # "the year", "years": anaphoric or too vague to be worth a span
    if raw_count is None and rel in ("last", "next") and not match.group("the"):
        return None  # "last year", "next week": calendar units, found by the deictic pattern
    if raw_count is None and (rel in ("first", "previous") or rel in ("next", "coming") and not plural):
        return None  # "the next day", "the previous year": anaphoric dates, not spans of time
    if unit == "second" and not plural:
        return None  # "a second term": the ordinal, not a second of time
    count = _count(raw_count) if raw_count is not None else (None if plural else 1)
    if count is not None and count > 1 and not plural and "-" not in match.group(0):
        return None  # "two year" without "s" or hyphen: not a duration phrase
    code = DURATION_UNITS[unit]
    amount = "X" if count is None else str(count)
    duration = f"PT{amount}{code[1]}" if code.startswith("T") else f"P{amount}{code}"
    return _timex(match, "duration", unit=unit, duration=duration, offset=count)


def _vague(match: re.Match[str], text: str) -> Timex | None:
    word = " ".join(match.group("word").lower().split())
    if word == "soon" and text[max(0, match.start() - 3):match.start()].lower() == "as ":
        return None  # "as soon as" is a conjunction
    if word in ("now", "currently", "nowadays"):
        reference = "PRESENT_REF"
    elif word in ("recently", "the past"):
        reference = "PAST_REF"
    else:
        reference = "FUTURE_REF"
    return _timex(match, "vague", reference=reference)


_GRAMMAR: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], str], Timex | None]], ...] = (
    (ISO_DATE, _calendar_date),
    (DAY_MONTH_YEAR, _calendar_date),
    (MONTH_DAY_YEAR, _calendar_date),
    (MONTH_YEAR, _calendar_date),
    (MONTH_ALONE, _month_alone),
    (BARE_YEAR, _bare_year),
    (DECADE, _decade),
    (WEEKDAY, _weekday),
    (DAY_WORD, _day_word),
    (DEICTIC, _deictic),
    (AGO, _ago),
    (SEASON, _season),
    (QUARTER, _quarter),
    (DURATION, _duration),
    (VAGUE, _vague),
)


def _word_before(text: str, start: int) -> str:
    match = _WORD_BEFORE.search(text, max(0, start - 16), start)
    return match.group(1).lower() if match else ""


def _preposition(text: str, start: int, accepted: set[str] = PREPOSITIONS) -> str:
    """The word just before ``start`` (looking past a "the") when it is one of ``accepted``."""
    match = _PREPOSITION_BEFORE.search(text, max(0, start - 24), start)
    word = match.group(1).lower() if match else ""
    return word if word in accepted else ""


# --- resolution ---


def normalise(timex: Timex, published: date | str | None, context_years: Sequence[Timex | int] = (),
              *, future: bool | None = None) -> TimeValue | None:
    """The date ``timex`` names as a ``TimeValue``, or None; ``resolve`` says why."""
    return resolve(timex, published, context_years, future=future).value


def resolve(timex: Timex, published: date | str | None, context_years: Sequence[Timex | int] = (),
            *, future: bool | None = None) -> Resolution:
    """Normalise one timex. ``published`` (a date, or ISO text as ``MetaValue.value`` holds it)
    anchors relative expressions; ``context_years`` are the article's other timexes (or explicit
    years as ints), used only when ``published`` is None; ``future`` is a tense hint: True
    future, False past, None unknown."""
    evidence = Evidence("text", timex.start, timex.end, timex.text)
    resolver = _RESOLVERS[timex.kind]
    return resolver(timex, _as_date(published), context_years, future, evidence)


def _as_date(published: date | str | None) -> date | None:
    if published is None or isinstance(published, date):
        return published
    try:
        return date.fromisoformat(published[:10])
    except ValueError as exc:
        raise ValueError(f"[T001] published must be a date or ISO text (2025-11-29), not {published!r}") from exc


_DEFAULT_REASONS = {"explicit": "the text gives it whole", "relative_to_published": "counted from the publication date"}


def _value(value: str, granularity: Granularity, basis: str, evidence: Evidence, timex3: str | None = None,
           reason: str = "") -> Resolution:
    return Resolution(TimeValue(value, granularity, basis, evidence), timex3 or value,
                      reason or _DEFAULT_REASONS.get(basis, basis))


def _resolve_date(timex: Timex, published: date | None, context: Sequence[Timex | int], future: bool | None,
                  evidence: Evidence) -> Resolution:
    month, day = timex.month, timex.day
    if timex.year is not None:
        return _value(_iso(timex.year, month, day), _granularity(month, day), "explicit", evidence)
    assert month is not None  # the grammar gives a year-less date a month
    md = f"{month:02d}" + (f"-{day:02d}" if day is not None else "")
    if published is not None:
        if timex.offset is not None:
            year = _year_of_relative_month(published, month, timex.offset)
            reason = "month named with last/this/next, counted from the publication month"
        else:
            year = _year_near(published, month, day, future)
            reason = f"year-less date, {_tense_rule(future)} the publication date"
        return _value(_iso(year, month, day), _granularity(month, day), "relative_to_published", evidence,
                      reason=reason)
    anchors = _explicit_anchors(context)
    if anchors and timex.offset is None:
        year = _year_from_context(anchors, month, day, future)
        return _value(_iso(year, month, day), _granularity(month, day), "from_context", evidence,
                      reason=f"no publication date; year from the article's explicit dates (latest: {anchors[-1][1]})")
    if day is not None:
        return _value(f"--{md}", "day", "year_unknown", evidence, timex3=f"XXXX-{md}",
                      reason="no publication date and no explicit year in the article")
    return Resolution(None, f"XXXX-{md}", "a month without a year, and nothing in the article fixes the year")


def _resolve_weekday(timex: Timex, published: date | None, context: Sequence[Timex | int], future: bool | None,
                     evidence: Evidence) -> Resolution:
    assert timex.weekday is not None
    if published is None:
        return Resolution(None, None, "a weekday needs the publication date")
    found = _weekday_date(published, timex.weekday, timex.offset, future)
    pod = f"T{timex.part_of_day}" if timex.part_of_day else ""
    direction = {None: "the past" if not future else "the coming", -1: "the last", 1: "the next", 0: "this week's"}
    return _value(found.isoformat(), "day", "relative_to_published", evidence, timex3=found.isoformat() + pod,
                  reason=f"{direction[timex.offset]} {WEEKDAYS[timex.weekday]} counted from the publication date")


def _resolve_day_word(timex: Timex, published: date | None, context: Sequence[Timex | int], future: bool | None,
                      evidence: Evidence) -> Resolution:
    if published is None:
        return Resolution(None, None, f"'{timex.text}' needs the publication date")
    found = published + timedelta(days=timex.offset or 0)
    pod = f"T{timex.part_of_day}" if timex.part_of_day else ""
    return _value(found.isoformat(), "day", "relative_to_published", evidence, timex3=found.isoformat() + pod)


def _resolve_deictic(timex: Timex, published: date | None, context: Sequence[Timex | int], future: bool | None,
                     evidence: Evidence) -> Resolution:
    if published is None:
        return Resolution(None, None, f"'{timex.text}' needs the publication date")
    offset, unit = timex.offset or 0, timex.unit
    if unit == "year":
        year = str(published.year + offset)
        return _value(year, "year", "relative_to_published", evidence)
    if unit == "month":
        year, month = _shift_month(published.year, published.month, offset)
        return _value(f"{year:04d}-{month:02d}", "month", "relative_to_published", evidence)
    if unit == "quarter":
        index = published.year * 4 + (published.month - 1) // 3 + offset
        year, quarter = divmod(index, 4)
        return _value(str(year), "year", "relative_to_published", evidence, timex3=f"{year}-Q{quarter + 1}",
                      reason="a quarter: dyad keeps its year")
    if unit == "decade":
        return Resolution(None, str((published.year // 10 + offset)), "a decade is coarser than a year")
    monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
    iso_year, iso_week, _ = monday.isocalendar()
    first, label = (monday, "") if unit == "week" else (monday + timedelta(days=5), "-WE")
    last = monday + timedelta(days=6)
    return _containing(first, last, evidence, f"{iso_year}-W{iso_week:02d}{label}", f"a {unit}")


def _resolve_ago(timex: Timex, published: date | None, context: Sequence[Timex | int], future: bool | None,
                 evidence: Evidence) -> Resolution:
    if timex.offset is None:
        return Resolution(None, "PAST_REF", f"'{timex.text}': the count is vague")
    if published is None:
        return Resolution(None, None, f"'{timex.text}' needs the publication date")
    count, unit = -timex.offset, timex.unit
    if unit == "day":
        found = published - timedelta(days=count)
        return _value(found.isoformat(), "day", "relative_to_published", evidence)
    if unit == "week":
        found = published - timedelta(weeks=count)
        monday = found - timedelta(days=found.weekday())
        iso_year, iso_week, _ = monday.isocalendar()
        return _containing(monday, monday + timedelta(days=6), evidence, f"{iso_year}-W{iso_week:02d}", "a week")
    if unit == "month":
        year, month = _shift_month(published.year, published.month, -count)
        return _value(f"{year:04d}-{month:02d}", "month", "relative_to_published", evidence)
    if unit == "year":
        return _value(str(published.year - count), "year", "relative_to_published", evidence)
    return Resolution(None, None, f"'{timex.text}' is finer than a day or coarser than a year")


def _resolve_season(timex: Timex, published: date | None, context: Sequence[Timex | int], future: bool | None,
                    evidence: Evidence) -> Resolution:
    assert timex.season is not None
    if timex.year is not None:
        return _value(str(timex.year), "year", "explicit", evidence, timex3=f"{timex.year}-{timex.season}",
                      reason="a season: dyad keeps its year")
    if published is None:
        return Resolution(None, None, f"'{timex.text}' needs the publication date")
    first_month, last_month = SEASON_MONTHS[timex.season]
    year = published.year
    if timex.offset == -1 and published.month <= last_month:
        year -= 1  # "last summer" in May is the previous year's
    elif timex.offset == 1 and published.month >= first_month:
        year += 1  # "next spring" in April is the following year's
    return _value(str(year), "year", "relative_to_published", evidence, timex3=f"{year}-{timex.season}",
                  reason="a season: dyad keeps its year")


def _resolve_quarter(timex: Timex, published: date | None, context: Sequence[Timex | int], future: bool | None,
                     evidence: Evidence) -> Resolution:
    assert timex.quarter is not None
    if timex.year is not None:
        return _value(str(timex.year), "year", "explicit", evidence, timex3=f"{timex.year}-Q{timex.quarter}",
                      reason="a quarter: dyad keeps its year")
    if published is None:
        return Resolution(None, None, f"'{timex.text}' needs the publication date")
    current = (published.month - 1) // 3 + 1
    year = published.year
    if future and timex.quarter < current - 1:
        year += 1  # "first-quarter sales will rise" in the fourth quarter: next year's
    elif not future and timex.quarter > current:
        year -= 1  # results are reported once a quarter has begun: "the fourth quarter" in March is last year's
    return _value(str(year), "year", "relative_to_published", evidence, timex3=f"{year}-Q{timex.quarter}",
                  reason="a quarter: dyad keeps its year")


def _resolve_decade(timex: Timex, published: date | None, context: Sequence[Timex | int], future: bool | None,
                    evidence: Evidence) -> Resolution:
    return Resolution(None, str(timex.decade), "a decade is coarser than a year")


def _resolve_duration(timex: Timex, published: date | None, context: Sequence[Timex | int], future: bool | None,
                      evidence: Evidence) -> Resolution:
    return Resolution(None, timex.duration, f"a duration ({timex.duration}), not a point in time")


def _resolve_vague(timex: Timex, published: date | None, context: Sequence[Timex | int], future: bool | None,
                   evidence: Evidence) -> Resolution:
    return Resolution(None, timex.reference, f"a vague reference ({timex.reference})")


_RESOLVERS = {
    "date": _resolve_date, "weekday": _resolve_weekday, "day_word": _resolve_day_word, "deictic": _resolve_deictic,
    "ago": _resolve_ago, "season": _resolve_season, "quarter": _resolve_quarter, "decade": _resolve_decade,
    "duration": _resolve_duration, "vague": _resolve_vague,
}


# --- calendar arithmetic ---


def _iso(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


def _granularity(month: int | None, day: int | None) -> Granularity:
    return "day" if day is not None else "month" if month is not None else "year"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _span(year: int, month: int, day: int | None) -> tuple[date, date] | None:
    """First and last day of a date or month in ``year``; None when it does not exist (29 Feb)."""
    if day is not None:
        return (date(year, month, day),) * 2 if _valid_day(year, month, day) else None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _year_near(published: date, month: int, day: int | None, future: bool | None) -> int:
    """The year of a year-less date or month: its last occurrence that has begun by publication
    (past), its first occurrence that has not ended (future), or, with unknown tense, the nearer
    of the two with the future counted twice as far, because news reports more past than future
    (on TBAQ's year-less dates, 152 of 208 lie before the document date, most within months)."""
    # Eight years each way: 29 February can be that far (1896 to 1904, 2096 to 2104).
    years = range(max(published.year - 8, 1), min(published.year + 9, 10000))
    spans = [(year, bounds) for year in years if (bounds := _span(year, month, day)) is not None]
    past = [(year, bounds) for year, bounds in spans if bounds[0] <= published]
    ahead = [(year, bounds) for year, bounds in spans if bounds[1] >= published]
    if not past or not ahead:
        return (past or ahead)[-1 if past else 0][0]
    last_begun, first_open = past[-1], ahead[0]
    if future is True:
        return first_open[0]
    if future is False or last_begun[1][1] >= published:
        return last_begun[0]
    behind = (published - last_begun[1][1]).days
    forward = (first_open[1][0] - published).days
    return first_open[0] if 2 * forward < behind else last_begun[0]


def _tense_rule(future: bool | None) -> str:
    return {True: "the first occurrence on or after", False: "the last occurrence on or before",
            None: "the occurrence nearest to"}[future]


def _year_of_relative_month(published: date, month: int, offset: int) -> int:
    if offset == 0:
        return published.year
    if offset < 0:
        return published.year if month < published.month else published.year - 1
    return published.year if month > published.month else published.year + 1


def _weekday_date(published: date, weekday: int, offset: int | None, future: bool | None) -> date:
    ahead = (weekday - published.weekday()) % 7
    behind = (published.weekday() - weekday) % 7
    if offset == -1:
        return published - timedelta(days=behind or 7)
    if offset == 1:
        return published + timedelta(days=ahead or 7)
    if offset == 0:
        return published - timedelta(days=published.weekday()) + timedelta(days=weekday)
    return published + timedelta(days=ahead) if future else published - timedelta(days=behind)


def _containing(first: date, last: date, evidence: Evidence, timex3: str, what: str) -> Resolution:
    """A week or weekend as dyad can hold it: the month, or the year, that contains all of it."""
    if (first.year, first.month) == (last.year, last.month):
        return _value(f"{first.year:04d}-{first.month:02d}", "month", "relative_to_published", evidence,
                      timex3=timex3, reason=f"{what}: dyad keeps the month that contains it")
    if first.year == last.year:
        return _value(str(first.year), "year", "relative_to_published", evidence, timex3=timex3,
                      reason=f"{what} across two months: dyad keeps the year")
    return Resolution(None, timex3, f"{what} across two years")


Anchor = tuple[tuple[int, int, int], str]  # (year, month, day) with missing parts at their maximum; its text


def _explicit_anchors(context: Sequence[Timex | int]) -> list[Anchor]:
    """The article's explicit dates, earliest first."""
    anchors = [((item, 12, 31), str(item)) for item in context if isinstance(item, int)]
    anchors += [(key, timex.text) for key, timex in _explicit_anchor_timexes(context)]
    return sorted(anchors)


def _explicit_anchor_timexes(context: Sequence[Timex | int]) -> list[tuple[tuple[int, int, int], Timex]]:
    return [((item.year, item.month or 12, item.day or 31), item) for item in context
            if not isinstance(item, int) and item.kind in ("date", "season", "quarter") and item.year is not None]


def _year_from_context(anchors: list[Anchor], month: int, day: int | None, future: bool | None) -> int:
    latest = anchors[-1][0]
    if future:
        return latest[0]
    for year in sorted({key[0] for key, _ in anchors}, reverse=True):
        if (year, month, day or 1) <= latest:
            return year
    return latest[0]


# --- the article as a whole ---

_FUTURE_MARKERS = re.compile(
    r"\b(?:will|won['’]t|shall|is\s+to|are\s+to|is\s+due|are\s+due|scheduled|slated|set\s+to|expected\s+to|"
    r"plans?\s+to|planned\s+for|upcoming|going\s+to|intends?\s+to)\b|['’]ll\b",
    re.IGNORECASE,
)
_CLAUSE_BREAKS = re.compile(r"\b(?:said|says|told|announced|reported|added|stated|noted|that)\b|;", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"'’”]?\s+(?=[A-Z\"“])|\n")


def sounds_future(text: str, timex: Timex) -> bool:
    """Whether the clause around ``timex`` speaks of the future ("will meet on Tuesday",
    "scheduled for Tuesday"). The clause is the sentence cut at reporting verbs and "that", so
    "said on Monday that talks will resume" keeps Monday in the past."""
    start = max(0, timex.start - 400)  # bounded both ways, like the sentence end below
    for end_match in _SENTENCE_END.finditer(text, start, timex.start):
        start = end_match.end()
    following = _SENTENCE_END.search(text, timex.end, timex.end + 400)  # bounded: fuzzed text may have no sentences
    stop = following.start() if following else min(len(text), timex.end + 400)
    for brk in _CLAUSE_BREAKS.finditer(text, start, stop):
        if brk.end() <= timex.start:
            start = brk.end()
        elif brk.start() >= timex.end:
            stop = brk.start()
            break
    return bool(_FUTURE_MARKERS.search(text, start, stop))


def resolve_timexes(text: str, published: date | str | None) -> list[tuple[Timex, Resolution]]:
    """Find and normalise every timex of an article: the tense hint comes from ``sounds_future``
    (future, or unknown), the context from the article's own explicit dates."""
    timexes = find_timexes(text)
    context = _latest_per_year(timexes)
    pairs = []
    for timex in timexes:
        future = True if sounds_future(text, timex) else None
        pairs.append((timex, resolve(timex, published, context, future=future)))
    return pairs


def _latest_per_year(timexes: Sequence[Timex]) -> list[Timex]:
    """The latest explicit timex of each year: all that the context rule reads, and few."""
    latest: dict[int, tuple[tuple[int, int, int], Timex]] = {}
    for key, timex in _explicit_anchor_timexes(timexes):
        if key[0] not in latest or key > latest[key[0]][0]:
            latest[key[0]] = (key, timex)
    return [timex for _, timex in latest.values()]
