"""Metadata stated in the running text of a plain-text document: dateline, outlet, publication date.

Each value is a ``MetaValue`` with evidence in the raw layer. The readers look only where such
statements live: the start of the first body paragraph (dateline, agency lead), labelled date
lines and date lines next to the body (publication date), and the boilerplate that cleaning set
aside (site header, closing promo, copyright footer). Running prose ("on Dec. 8") and related
article lists are never read as the article's own metadata.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dyad.records import Evidence, MetaValue, Paragraph, RemovedBlock

# --- Dates -----------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = "(?i:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b"

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)")
_DAY_MONTH_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?,?\s+(\d{{4}})(?!\d)")
_MONTH_DAY_DATE = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)")

# A label written just before the date: "Published 21/04/2025", "Posted on: March 3, 2025".
_DATE_LABEL = re.compile(
    r"(?i)\b(first published|published|posted|written|last updated|updated|last modified|modified|date)"
    r"(?:\s+on)?\s*[:=\-–—]?[\s,]*$"
)
_UPDATE_LABELS = frozenset({"last updated", "updated", "last modified", "modified"})
_TIME = re.compile(r"(?i)\b\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?-i:GMT|UTC|[A-Z]{1,3}T)\b)?")
# Words that go with a date without adding anything: weekdays, "at", "on".
_FILLER = re.compile(r"(?i)\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|at|on)\b\.?")
_WORD = re.compile(r"\w+")
# "By Jane Doe, March 3, 2025", "Written by Jane Doe on ...": the author's name is not extra text.
_BYLINE = re.compile(r"(?i:\b(?:written |posted |reported )?by:?)\s+[A-Z][\w.'’-]*(?:,? [A-Z][\w.'’-]*){0,4}")
# A date line may carry a few more words than the date: a site name, a byline, a time zone.
_MAX_WORDS_BESIDE_DATE = 3


@dataclass(frozen=True, slots=True)
class DateMention:
    """A full date written in text; ``start``/``end`` are offsets in the text it was found in."""

    start: int
    end: int
    year: int
    first: int  # numeric dates: the two components in the order written
    second: int
    order: str  # "ymd" and "name" are unambiguous; "numeric" needs a day/month decision


@dataclass(frozen=True, slots=True)
class DateLine:
    """A line that states a date and little else: ``Published 21/04/2025``, ``Gazette 21/04/2025``."""

    label: str  # lower case label ("published", "updated"...), "" when unlabelled
    mention: DateMention


def find_dates(text: str) -> list[DateMention]:
    """Every full date (with a year) in ``text``, in order of position."""
    found = [DateMention(m.start(), m.end(), int(m[1]), int(m[3]), int(m[4]), "ymd") for m in _ISO_DATE.finditer(text)]
    found += [DateMention(m.start(), m.end(), int(m[4]), int(m[1]), int(m[3]), "numeric") for m in _NUMERIC_DATE.finditer(text)]
    found += [DateMention(m.start(), m.end(), int(m[3]), _MONTHS[m[2].lower()], int(m[1]), "name") for m in _DAY_MONTH_DATE.finditer(text)]
    found += [DateMention(m.start(), m.end(), int(m[3]), _MONTHS[m[1].lower()], int(m[2]), "name") for m in _MONTH_DAY_DATE.finditer(text)]
    return sorted(found, key=lambda d: d.start)


def parse_date_line(text: str) -> DateLine | None:
    """The date of a line that is essentially a date (with an optional label), else None."""
    if len(text) > 120:
        return None
    dates = find_dates(text)
    if not dates:
        return None
    mention = dates[0]
    before = _TIME.sub(" ", _BYLINE.sub(" ", text[: mention.start]))
    label = bare_label(before)
    between = [text[a.end : b.start] for a, b in zip(dates, dates[1:])]
    rest = " ".join(["" if label else before, *between, text[dates[-1].end :]])
    if len(_WORD.findall(_FILLER.sub(" ", _TIME.sub(" ", _BYLINE.sub(" ", rest))))) > _MAX_WORDS_BESIDE_DATE:
        return None
    return DateLine(label, mention)


def bare_label(text: str) -> str:
    """The date label that is all the words of ``text`` ("Published:", "| Posted on"), else "".

    A label inside other words labels nothing: "Terms of Service (Updated" is a link's text."""
    label = _DATE_LABEL.search(text)
    return label[1].lower() if label and not _WORD.search(text[: label.start()]) else ""


def page_date_order(content: str) -> tuple[str, str] | None:
    """How a page orders day and month ("dmy" or "mdy", with the basis), from its numeric dates
    that cannot be read the other way; None when it has none or contradicts itself."""
    day_first = [m for m in _NUMERIC_DATE.finditer(content) if int(m[1]) > 12 >= int(m[3])]
    month_first = [m for m in _NUMERIC_DATE.finditer(content) if int(m[3]) > 12 >= int(m[1])]
    if day_first and not month_first:
        return "dmy", f"day-first: the page also writes {day_first[0][0]}, where {day_first[0][1]} cannot be a month"
    if month_first and not day_first:
        return "mdy", f"month-first: the page also writes {month_first[0][0]}, where {month_first[0][3]} cannot be a month"
    return None  # no other numeric date, or the page contradicts itself


def resolve_date(mention: DateMention, page_order: tuple[str, str] | None) -> tuple[date, str, float] | None:
    """The calendar date of a mention, the basis of the day/month decision and its confidence.

    ``page_order`` (from ``page_date_order``) settles a numeric date whose day and month are both
    12 or less. None when the mention is not a real date.
    """
    year, first, second = mention.year, mention.first, mention.second
    if mention.order == "ymd":
        day, month, basis, confidence = second, first, "year-month-day order", 1.0
    elif mention.order == "name":
        day, month, basis, confidence = second, first, "month written as a word", 1.0
    elif first > 12 >= second:
        day, month, basis, confidence = first, second, f"day-first: {first} cannot be a month", 1.0
    elif second > 12 >= first:
        day, month, basis, confidence = second, first, f"month-first: {second} cannot be a month", 1.0
    elif first == second:
        day, month, basis, confidence = first, second, "day and month are the same number", 1.0
    else:
        if page_order is not None:
            (order, basis), confidence = page_order, 0.8
            day, month = (first, second) if order == "dmy" else (second, first)
        else:
            day, month, confidence = first, second, 0.35
            basis = (
                f"ambiguous: {first:02d}/{second:02d}/{year} may be day-first or month-first and "
                "nothing else on the page settles it; read day-first, the order used by most of the world"
            )
    try:
        return date(year, month, day), basis, confidence
    except ValueError:
        return None


# --- Publication date --------------------------------------------------------------------------

# Blocks whose dates belong to other articles or other pages: never the publication date.
_FOREIGN_REASONS = frozenset({"related", "comments", "title"})
# An unlabelled date line is the article's only when it stands next to the body: right after it
# (a signature date), or in the lines that open it (under the headline, past a byline, share
# buttons and a photo). A header showing today's date sits above the menus, further away.
_NEXT_TO_BODY = 2
_ABOVE_BODY = 15
_AGREEMENT_BONUS = 0.05
_LABEL_LOOKBACK = 40  # a label on the line above a date is a word or two


def _lines(text: str, offset: int) -> list[tuple[int, int, str]]:
    """Non-blank lines of ``text`` as (start, end, stripped text), offsets shifted by ``offset``."""
    found, pos = [], offset
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = pos + len(line) - len(line.lstrip())
            found.append((start, start + len(stripped), stripped))
        pos += len(line)
    return found


def _previous_line(content: str, start: int) -> str:
    """The non-blank line above ``start`` if it is short enough to be a label ("Published:")."""
    end = start
    while end > 0 and content[end - 1].isspace():
        end -= 1
    window = max(0, end - _LABEL_LOOKBACK - 1)
    newline = content.rfind("\n", window, end)
    if newline < 0 and window > 0:
        return ""  # longer than any label
    return content[newline + 1 : end]


def _distance_to_body(line_starts: list[int], start: int, end: int, paragraphs: Sequence[Paragraph]) -> tuple[int, bool] | None:
    """Non-blank lines between a line and the body, and whether the line is above it;
    ``line_starts`` are where the page's non-blank lines start, in order."""
    spans = [(p.raw_start, p.raw_end) for p in paragraphs if p.raw_start is not None and p.raw_end is not None]
    if not spans:
        return None
    first, last = spans[0][0], spans[-1][1]
    if end <= first:
        return bisect_left(line_starts, first) - bisect_left(line_starts, end), True
    if start >= last:
        return bisect_left(line_starts, start) - bisect_left(line_starts, last), False
    return None


def _date_source(reason: str, label: str, distance: tuple[int, bool] | None) -> tuple[str, float] | None:
    if reason == "scrape-prefix":
        return "text:scrape-prefix", 0.9
    if label in _UPDATE_LABELS:
        return "text:updated-line", 0.5
    if label:
        return "text:published-line", 0.85
    if distance is None:
        return None
    lines, above = distance
    if lines <= _NEXT_TO_BODY:
        return "text:date-line", 0.6
    return ("text:date-line", 0.5) if above and lines <= _ABOVE_BODY else None


def read_published(content: str, paragraphs: Sequence[Paragraph], removed: Sequence[RemovedBlock]) -> MetaValue | None:
    """The publication date from date lines set aside by cleaning, as an ISO ``YYYY-MM-DD``."""
    candidates: list[tuple[float, MetaValue]] = []  # ranked by how surely the line states the date
    line_starts = [start for start, _end, _line in _lines(content, 0)]
    page_order = page_date_order(content)
    for block in removed:
        if block.reason in _FOREIGN_REASONS:
            continue
        for start, end, line in _lines(block.text, block.start):
            parsed = parse_date_line(line)
            if parsed is None:
                continue
            # A label may stand on the line above: "PUBLISHED:" / "November 8, 2023 at 11:30 p.m."
            label = parsed.label or bare_label(_previous_line(content, start))
            source = _date_source(block.reason, label, _distance_to_body(line_starts, start, end, paragraphs))
            resolved = resolve_date(parsed.mention, page_order) if source else None
            if source and resolved:
                day, basis, order_confidence = resolved
                evidence = Evidence("raw", start, end, content[start:end])
                value = MetaValue(day.isoformat(), source[0], min(source[1], order_confidence), evidence, basis)
                candidates.append((source[1], value))
    return _best_agreed(candidates)


def _best_agreed(candidates: list[tuple[float, MetaValue]]) -> MetaValue | None:
    """The best ranked candidate, a little surer when other sources state the same value."""
    if not candidates:
        return None
    best = max(candidates, key=lambda c: c[0])[1]  # max keeps the first of equals
    agreeing = [c for _, c in candidates if c is not best and c.value.casefold() == best.value.casefold()]
    if not agreeing:
        return best
    also = ", ".join(f"{c.source} {c.evidence.quote!r}" for c in agreeing if c.evidence)
    basis = "; ".join(filter(None, (best.basis, f"also stated by {also}")))
    confidence = min(0.95, best.confidence + _AGREEMENT_BONUS * len(agreeing))
    return MetaValue(best.value, best.source, round(confidence, 2), best.evidence, basis)


# --- Dateline ---------------------------------------------------------------------------------

# "DUSHANBE (Asia-Plus): ", "TASHKENT – ", "LONDON, March 3 (AP) — ", "SAN FRANCISCO, Calif. (AP) - "
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3})"
    r"(?:,\s*[A-Z][\w.]*(?:\s+[\w.]+){0,2}){0,2}"
    r"\s*(?:\((?P<agency>[^()\n]{2,40})\))?"
    r"\s*(?::|—|–|--?)\s+"
)
# Upper-case words that open a story as a label, not as a place.
_NOT_PLACES = frozenset(
    "BREAKING UPDATE UPDATED EXCLUSIVE WATCH OPINION ANALYSIS EDITORIAL LIVE VIDEO PHOTOS COMMENT "
    "REVIEW INTERVIEW FEATURE FACTBOX EXPLAINER NOTE CORRECTION URGENT FLASH ALERT NEWS REPORT".split()
)
_DATELINE_SCAN = 200  # a dateline sits in the first characters of the first paragraph


def match_dateline(paragraph: str) -> re.Match[str] | None:
    """A dateline ("KABUL (Agency):", "ALMATY –") opening ``paragraph``, with its ``place``."""
    match = _DATELINE.match(paragraph[:_DATELINE_SCAN])
    if not match or set(match["place"].split()) & _NOT_PLACES or sum(c.isalpha() for c in match["place"]) < 3:
        return None
    return match


def dateline_value(match: re.Match[str], source: str, evidence: Evidence) -> MetaValue:
    """The dateline's place in normal case (``New York``), from ``match_dateline``."""
    return MetaValue(match["place"].title(), source, 0.85 if match["agency"] else 0.8, evidence)


def _dateline_match(paragraphs: Sequence[Paragraph]) -> tuple[re.Match[str], int] | None:
    if not paragraphs or paragraphs[0].raw_start is None:
        return None
    match = match_dateline(paragraphs[0].text)
    return (match, paragraphs[0].raw_start) if match else None


def read_dateline(content: str, paragraphs: Sequence[Paragraph]) -> MetaValue | None:
    """The place of a dateline opening the first body paragraph."""
    found = _dateline_match(paragraphs)
    if found is None:
        return None
    match, offset = found
    start, end = offset + match.start("place"), offset + match.end("place")
    return dateline_value(match, "text:dateline", Evidence("raw", start, end, content[start:end]))


# --- Outlet -----------------------------------------------------------------------------------

_NAME = r"[A-Z][\w&'’.-]*(?: [A-Z][\w&'’.-]*){0,5}"
# "Xinhua News Agency: The minister ..." — an outlet naming itself at the start of the story.
_AGENCY_LEAD = re.compile(rf"(?P<name>{_NAME})\s*(?::|—|–| - )\s")
_MEDIA_WORDS = frozenset(
    "agency news press times post media tv television radio daily herald tribune gazette journal "
    "service network wire online observer telegraph chronicle monitor express today weekly dispatch".split()
)
# "Get The X stories sent directly to you", "Sign up for the X newsletter"
_PROMO_OUTLET = re.compile(
    r"\b(?:[Gg]et|[Ss]ign up for|[Ss]ubscribe to) (?:the )?(?P<name>(?:The )?[A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*){0,4})"
    r"(?:['’]s)? (?:daily |weekly )?(?:stories|news|updates|headlines|newsletters?)\b"
)
# "© 2023 X. All Rights Reserved.", "Copyright © 2010-2021 by X": the name that ends the notice.
_NAME_WORD = r"[A-Z][\w&'’-]*(?:\.[A-Za-z][\w&'’-]*)*"
_COPYRIGHT_OUTLET = re.compile(
    r"^(?P<notice>(?:(?:©|\([cC]\)|[Cc]opyright)\s*|\d{4}(?:\s*[-–]\s*\d{4})?,?\s*|by\s+)+)"
    rf"(?P<name>(?![Cc]opyright\b){_NAME_WORD}(?: (?!All\b){_NAME_WORD}){{0,4}})(?=\s*(?:$|[.,|]|[Aa]ll [Rr]ights))"
)


def undouble(text: str) -> str:
    """A line scraped twice over (a logo's text and its alt text): ``X NewsX News`` -> ``X News``."""
    half = len(text) // 2
    if len(text) % 2 == 0 and text[:half] == text[half:]:
        return text[:half]
    if len(text) % 2 == 1 and text[half] == " " and text[:half] == text[half + 1 :]:
        return text[:half]
    return text


def _agency_lead(content: str, paragraphs: Sequence[Paragraph]) -> MetaValue | None:
    if not paragraphs or paragraphs[0].raw_start is None or _dateline_match(paragraphs):
        return None
    match = _AGENCY_LEAD.match(paragraphs[0].text[:_DATELINE_SCAN])
    words = match["name"].split() if match else []
    if not words or words[-1].casefold() not in _MEDIA_WORDS:
        return None
    # "X News Agency" is the agency of the outlet "X News": the trailing word only says what it is.
    if len(words) > 2 and words[-1].casefold() == "agency" and words[-2].casefold() in _MEDIA_WORDS:
        words = words[:-1]
    name = " ".join(words)  # the name pattern joins its words with single spaces: a verbatim span
    start = paragraphs[0].raw_start + match.start("name")
    end = start + len(name)
    return MetaValue(name, "text:agency-lead", 0.7, Evidence("raw", start, end, content[start:end]))


def _dateline_agency(content: str, paragraphs: Sequence[Paragraph]) -> MetaValue | None:
    found = _dateline_match(paragraphs)
    if found is None or not found[0]["agency"]:
        return None
    match, offset = found
    start, end = offset + match.start("agency"), offset + match.end("agency")
    return MetaValue(match["agency"].strip(), "text:dateline", 0.65, Evidence("raw", start, end, content[start:end]))


def _states_owner(match: re.Match[str]) -> bool:
    """A copyright notice names an owner only with its sign or year ("Copyright Policy" is a link)."""
    notice = match.groupdict().get("notice")
    return notice is None or "©" in notice or any(c.isdigit() for c in notice)


def _from_blocks(content: str, removed: Sequence[RemovedBlock], reason: str, pattern: re.Pattern[str] | None, source: str, confidence: float) -> MetaValue | None:
    """The first outlet name found in removed blocks of one kind (``pattern`` None: the line itself)."""
    for block in removed:
        if block.reason != reason:
            continue
        for start, _end, line in _lines(block.text, block.start):
            if pattern is None:
                name, at = undouble(line), start
            elif (match := pattern.search(line)) and _states_owner(match):
                name, at = match["name"], start + match.start("name")
            else:
                continue
            return MetaValue(name, source, confidence, Evidence("raw", at, at + len(name), content[at : at + len(name)]))
    return None


def read_outlet(content: str, paragraphs: Sequence[Paragraph], removed: Sequence[RemovedBlock]) -> MetaValue | None:
    """The outlet the text names, or None: an outlet is never guessed when the text is silent."""
    candidates = [
        _from_blocks(content, removed, "site-header", None, "text:site-header", 0.75),
        _from_blocks(content, removed, "promo", _PROMO_OUTLET, "text:promo", 0.75),
        _agency_lead(content, paragraphs),
        _dateline_agency(content, paragraphs),
        _from_blocks(content, removed, "footer", _COPYRIGHT_OUTLET, "text:copyright", 0.5),
    ]
    return _best_agreed([(c.confidence, c) for c in candidates if c is not None])


def read_text_metadata(content: str, paragraphs: Sequence[Paragraph], removed: Sequence[RemovedBlock]) -> dict[str, MetaValue]:
    """Outlet, publication date and dateline stated in a cleaned plain-text document.

    ``paragraphs`` and ``removed`` are what cleaning made of ``content`` (raw-layer spans); the
    result holds only the fields the text states, keyed by ``CleanResult`` field name.
    """
    found = {
        "outlet": read_outlet(content, paragraphs, removed),
        "published": read_published(content, paragraphs, removed),
        "dateline": read_dateline(content, paragraphs),
    }
    return {name: value for name, value in found.items() if value is not None}
