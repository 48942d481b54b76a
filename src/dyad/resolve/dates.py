"""Stored dates read as calendar spans, so that two reports can be compared.

A stored date is ISO at its granularity (``2025-12-08``, ``2025-12``, ``2025``) or ``--MM-DD``
when the text gave no year. As a span: a day is itself, a month or a year every day in it, and
a date that is only the article's own (basis ``fallback_published``: the text gave none) the
month before publication to a week after, since news reports what happened in the days before,
sometimes weeks before, and what is due shortly. A year-less day matches that day in any year.
Only dates the text states are firm enough to keep two reports apart (``firm``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

FALLBACK_BASIS = "fallback_published"
REPORTED_WITHIN = timedelta(days=30)  # how long before publication an undated report may speak of
DUE_WITHIN = timedelta(days=7)  # how long after publication an undated plan may be due


@dataclass(frozen=True, slots=True)
class DateSpan:
    """``first``..``last`` inclusive, or only ``month_day`` when the year is unknown. ``stated``:
    the text names this day (not a month, a year, or the publication date standing in);
    ``from_publication``: the text gave no date, this is the span around publication."""

    first: date | None
    last: date | None
    month_day: tuple[int, int] | None = None
    stated: bool = False
    from_publication: bool = False

    @property
    def firm(self) -> bool:
        return not self.from_publication

    @property
    def reported(self) -> date | None:
        """The publication day a ``from_publication`` span stands for."""
        return self.last - DUE_WITHIN if self.from_publication else None


def read_date(value: str | None, granularity: str | None, basis: str | None = None) -> DateSpan | None:
    """The span of a stored date; None when there is no date or it cannot be read."""
    if not value:
        return None
    try:
        if value.startswith("--"):
            month, day = int(value[2:4]), int(value[5:7])
            return DateSpan(None, None, (month, day), stated=True)
        parts = [int(p) for p in value.split("-")]
    except ValueError:
        return None
    if len(parts) == 3:
        day = date(*parts)
        if basis == FALLBACK_BASIS:
            return DateSpan(day - REPORTED_WITHIN, day + DUE_WITHIN, from_publication=True)
        return DateSpan(day, day, stated=granularity in (None, "day"))
    if len(parts) == 2:
        year, month = parts
        return DateSpan(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
    return DateSpan(date(parts[0], 1, 1), date(parts[0], 12, 31))


def compatible(a: DateSpan, b: DateSpan) -> bool:
    """Whether the two spans can name the same day. Two stated days must be the same day."""
    if a.first is None or b.first is None:
        return _month_day_fits(a, b) if a.first is None else _month_day_fits(b, a)
    return a.first <= b.last and b.first <= a.last


def _month_day_fits(yearless: DateSpan, other: DateSpan) -> bool:
    if other.first is None:
        return yearless.month_day == other.month_day
    month, day = yearless.month_day
    for year in range(other.first.year, other.last.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:  # 29 February of a common year
            continue
        if other.first <= candidate <= other.last:
            return True
    return False


def months(span: DateSpan) -> list[str]:
    """The months (YYYY-MM) a span touches, or ``--MM`` for a year-less day: blocking keys."""
    if span.first is None:
        return [f"--{span.month_day[0]:02d}"]
    found, cursor = [], date(span.first.year, span.first.month, 1)
    while cursor <= span.last:
        found.append(f"{cursor.year:04d}-{cursor.month:02d}")
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    return found
