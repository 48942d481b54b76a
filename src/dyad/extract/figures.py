"""Money and counted quantities stated in English news text, each with its span.

``find_figures(text)`` reads, in this order of precedence where spans overlap:

1. money: an amount with a currency symbol, code or word ("US$12.7 million", "6.4 billion tenge",
   "€5m", "Rs 1.2 crore"), with an optional qualifier ("more than", "about", "up to"...). A
   USD equivalent stated beside it ("6.4 billion tenge (approximately US$12.7 million)", "...,
   or about $60 million") is linked to it as ``usd`` with ``usd_basis`` "stated (approximately)"
   instead of being a second figure, so sums never count the same money twice;
2. percentages ("12%", "12 per cent": unit "percent");
3. counts: a number and the plural noun it counts, across up to three modifiers ("610 Afghan
   students" -> 610 "students"; "60 grants per year" -> 60 "grants per year"); number words
   ("two countries") and "twice"/"thrice" (times).

Years, dates and durations are never figures: numbers inside a time expression found by
``dyad.extract.timex`` are skipped. Ordinals ("first", "21st") do not match the grammar.
Amounts stay in the stated currency; there is no conversion from exchange rates (no rate table
is shipped, so ``usd`` is set only when the text states a USD amount).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from dyad.extract.timex import find_timexes
from dyad.records import Evidence, Figure

__all__ = ["CURRENCY_SYMBOLS", "CURRENCY_WORDS", "find_figures"]

SCALES = {
    "thousand": 1e3, "k": 1e3, "lakh": 1e5, "lakhs": 1e5, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "crore": 1e7, "crores": 1e7, "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
    "hundred": 1e2,
}
# Symbols and codes written before the amount. "$" alone is read as USD, as news in English does.
CURRENCY_SYMBOLS = {
    "US$": "USD", "U.S.$": "USD", "U.S. $": "USD", "US $": "USD", "$": "USD", "A$": "AUD", "AU$": "AUD",
    "C$": "CAD", "CA$": "CAD", "HK$": "HKD", "NZ$": "NZD", "S$": "SGD", "€": "EUR", "£": "GBP", "₹": "INR",
    "Rs.": "INR", "Rs": "INR", "₽": "RUB", "₸": "KZT", "¥": "JPY", "₺": "TRY", "₩": "KRW",
}
CURRENCY_CODES = {
    "USD", "EUR", "GBP", "KZT", "RUB", "CNY", "RMB", "INR", "PKR", "AFN", "UZS", "KGS", "TJS", "TMT", "IRR",
    "AED", "SAR", "QAR", "TRY", "JPY", "CHF", "AZN", "GEL", "AMD", "UAH", "BYN", "MNT", "BDT", "LKR", "NPR",
}
# Currency words written after the amount; an adjective settles words that several countries use.
# Bare "rupees" is read as Indian (the commonest use in English news): a stated "Pakistani rupees"
# is PKR. "pounds" alone is a weight, so only "pounds sterling"/"British pounds" are GBP.
CURRENCY_WORDS = {
    "us dollars": "USD", "u.s. dollars": "USD", "american dollars": "USD", "dollars": "USD", "dollar": "USD",
    "australian dollars": "AUD", "canadian dollars": "CAD", "hong kong dollars": "HKD", "singapore dollars": "SGD",
    "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP", "british pounds": "GBP", "sterling": "GBP",
    "tenge": "KZT", "rubles": "RUB", "roubles": "RUB", "ruble": "RUB", "rouble": "RUB",
    "russian rubles": "RUB", "yuan": "CNY", "renminbi": "CNY", "chinese yuan": "CNY",
    "rupees": "INR", "rupee": "INR", "indian rupees": "INR", "pakistani rupees": "PKR", "pakistan rupees": "PKR",
    "sri lankan rupees": "LKR", "nepalese rupees": "NPR", "afghanis": "AFN", "afghani": "AFN",
    "uzbek soums": "UZS", "uzbek sums": "UZS", "soums": "UZS", "kyrgyz soms": "KGS", "kyrgyz som": "KGS",
    "somoni": "TJS", "turkmen manats": "TMT", "turkmen manat": "TMT", "azerbaijani manats": "AZN",
    "azerbaijani manat": "AZN", "rials": "IRR", "iranian rials": "IRR", "riyals": "SAR", "saudi riyals": "SAR",
    "qatari riyals": "QAR", "dirhams": "AED", "emirati dirhams": "AED", "lira": "TRY", "turkish lira": "TRY",
    "liras": "TRY", "yen": "JPY", "swiss francs": "CHF", "hryvnias": "UAH", "hryvnia": "UAH", "lari": "GEL",
    "drams": "AMD", "takas": "BDT", "taka": "BDT",
}
QUALIFIERS = (
    "more than", "less than", "fewer than", "over", "under", "about", "around", "approximately", "approx.",
    "roughly", "nearly", "almost", "up to", "at least", "at most", "some", "an estimated", "close to",
    "as many as", "as much as", "as few as", "in excess of", "upwards of", "just over", "just under", "well over",
    "no more than", "no less than", "not more than", "exactly",
)
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
# Nouns counted without a plural "s", and units of measure that are the head of a count.
UNCOUNTED_PLURALS = {
    "people", "men", "women", "children", "police", "personnel", "staff", "cattle", "sheep", "livestock",
    "aircraft", "refugees", "troops", "militia", "youth", "clergy", "kin",
}
MEASURES = {
    "km": "km", "kilometres": "km", "kilometers": "km", "miles": "miles", "tonnes": "tonnes", "tons": "tons",
    "mw": "MW", "gw": "GW", "kwh": "kWh", "hectares": "hectares", "ha": "hectares", "kg": "kg",
    "barrels": "barrels", "cubic metres": "cubic metres", "cubic meters": "cubic metres", "bcm": "bcm",
    "mt": "tonnes", "sq km": "sq km", "square kilometres": "sq km", "square kilometers": "sq km",
    "metres": "metres", "meters": "metres", "m3": "cubic metres",
}
# Words that end a count's noun phrase before its head: verbs, prepositions, determiners.
STOP_WORDS = {
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "can", "could",
    "may", "might", "shall", "should", "must", "do", "does", "did", "to", "of", "in", "on", "at", "for", "from",
    "with", "and", "or", "but", "by", "as", "that", "which", "who", "whom", "whose", "the", "a", "an", "this",
    "these", "those", "its", "their", "his", "her", "per", "each", "every", "than", "more", "less", "into",
    "across", "through", "during", "since", "while", "when", "where", "after", "before", "about", "also",
    "always", "perhaps", "thus", "plus", "minus", "percent", "cent", "nearly", "almost", "ago", "towards",
    "afterwards", "besides", "unless", "whereas", "news", "series", "species", "means", "headquarters",
}
# A number after one of these names a thing ("Article 5", "Resolution 2254"), it does not count.
LABEL_WORDS = {
    "article", "articles", "resolution", "no", "number", "section", "chapter", "paragraph", "clause", "page",
    "flight", "route", "highway", "road", "item", "phase", "stage", "part", "level", "grade", "category",
    "class", "room", "unit", "gate", "terminal", "platform", "block", "district", "zone", "sector", "point",
    "step", "tier", "round", "protocol", "annex", "table", "figure", "version", "model", "type", "size",
    "group", "g", "covid", "line", "lane", "pillar", "track", "book", "volume", "vol", "act", "decree",
}


def _alternation(words: object) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any whitespace."""
    phrases = sorted(words, key=len, reverse=True)  # type: ignore[call-overload]
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)


_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d|,\d)"
_RANGE_END = r"(?:\s?(?:-|–|to)\s?(?P<num2>" + _NUMBER + r"))?"
_AMOUNT = r"(?<![\w.,/:$€£¥₹-])(?P<num>" + _NUMBER + r")" + _RANGE_END  # not inside "A320", "3.5", "COVID-19"
_QUALIFIER = r"(?:\b(?P<qual>(?i:" + _alternation(QUALIFIERS) + r"))\s+)?"
_MONEY_SCALE = r"(?:\s?(?P<scale>(?i:trillion|billion|million|thousand|crores?|lakhs?|bn|tn|mln|mn|m|b|k))\b)?"
_WORD_SCALE = r"(?:\s(?P<scale>(?i:trillion|billion|million|thousand|hundred)))?"
_CODES = "|".join(sorted(CURRENCY_CODES))

MONEY_BEFORE = re.compile(
    _QUALIFIER + r"(?<![\w$])(?P<cur>" + _alternation(CURRENCY_SYMBOLS) + r"|(?:" + _CODES + r")(?=\s?\d))\s?"
    + r"(?P<num>" + _NUMBER + r")" + _RANGE_END + _MONEY_SCALE
)
MONEY_AFTER = re.compile(
    _QUALIFIER + _AMOUNT + _MONEY_SCALE
    + r"\s?(?:(?P<word>(?i:" + _alternation(CURRENCY_WORDS) + r"))|(?P<code>" + _CODES + r"))\b"
)
PERCENT = re.compile(_QUALIFIER + _AMOUNT + r"\s?(?P<unit>%|(?i:percentage\s+points?|per\s?cent|pct)\b)")
# The words after the number are read by a lookahead, so that a count does not swallow the next one.
COUNT = re.compile(
    _QUALIFIER + r"(?:" + _AMOUNT + r"|\b(?P<word>(?i:" + _alternation(NUMBER_WORDS) + r")))" + _WORD_SCALE
    + r"(?=(?P<phrase>(?:\s+[A-Za-z][A-Za-z’'-]*){1,4}))"
)
TIMES = re.compile(r"\b(?P<word>[Tt]wice|[Tt]hrice)\b(?!\s+(?:as|the|that|a|an|its|their|what)\b)")
RATE = re.compile(r"\s+(?:per|a|an|each|every)\s+(?P<per>year|month|week|day)\b")
LINKED_USD = re.compile(r"\s*\(\s*|,?\s+(?:or|i\.e\.|equivalent\s+to|worth)\s+")
_LABEL_BEFORE = re.compile(r"\b([A-Za-z]+)\.?[ \t]*(?:No\.?[ \t]*)?$")


@dataclass(frozen=True, slots=True)
class _Found:
    figure: Figure
    rank: int  # 0 money, 1 percent, 2 count: lower wins where spans overlap
    number_start: int
    number_end: int


def find_figures(text: str) -> list[Figure]:
    """Money, percentages and counts stated in ``text``, in text order, without overlaps."""
    in_time = bytearray(len(text))  # characters inside a time expression
    for timex in find_timexes(text):
        in_time[timex.start:timex.end] = b"\x01" * (timex.end - timex.start)
    found = [f for f in (*_money(text), *_percentages(text), *_counts(text))
             if not any(in_time[f.number_start:f.number_end])]
    found.sort(key=lambda f: (f.rank, f.figure.evidence.start))
    taken = bytearray(len(text))  # characters already claimed by a figure that ranks higher
    chosen: list[_Found] = []
    for candidate in found:
        span = candidate.figure.evidence
        if not any(taken[span.start:span.end]):
            taken[span.start:span.end] = b"\x01" * (span.end - span.start)
            chosen.append(candidate)
    money = sorted((c for c in chosen if c.rank == 0), key=lambda c: c.figure.evidence.start)
    others = [c.figure for c in chosen if c.rank != 0]
    return sorted([*_link_usd(text, money), *others], key=lambda f: f.evidence.start)


def _figure(text: str, start: int, end: int, kind: str, amount: float, unit: str, qualifier: str,
            usd: float | None = None, usd_basis: str = "") -> Figure:
    return Figure(kind, amount, unit, Evidence("text", start, end, text[start:end]),  # type: ignore[arg-type]
                  qualifier=qualifier, usd=usd, usd_basis=usd_basis)


def _number(raw: str) -> float:
    return float(raw.replace(",", ""))


def _amounts(match: re.Match[str]) -> tuple[float, str]:
    """The amount (the low end of a range, "3-5 billion") and the qualifier a range implies."""
    scale_word = match.groupdict().get("scale")
    scale = SCALES[scale_word.lower()] if scale_word else 1.0
    low = _number(match.group("num")) * scale
    high_raw = match.groupdict().get("num2")
    if high_raw is None:
        return low, ""
    return low, f"between {_plain(low)} and {_plain(_number(high_raw) * scale)}"


def _plain(amount: float) -> str:
    return str(int(amount)) if amount.is_integer() else str(amount)


def _qualifier(match: re.Match[str]) -> str:
    return " ".join((match.group("qual") or "").lower().split())


def _money(text: str) -> list[_Found]:
    results = []
    for match in MONEY_BEFORE.finditer(text):
        symbol = " ".join(match.group("cur").split())
        currency = CURRENCY_SYMBOLS.get(symbol) or CURRENCY_SYMBOLS.get(symbol.replace(" ", "")) or symbol
        results.append(_money_found(text, match, currency))
    for match in MONEY_AFTER.finditer(text):
        word = match.group("word")
        currency = CURRENCY_WORDS[" ".join(word.lower().split())] if word else match.group("code")
        results.append(_money_found(text, match, currency))
    return results


def _money_found(text: str, match: re.Match[str], currency: str) -> _Found:
    amount, range_text = _amounts(match)
    is_usd = currency == "USD"
    figure = _figure(text, match.start(), match.end(), "money", amount, currency, range_text or _qualifier(match),
                     usd=amount if is_usd else None, usd_basis="stated" if is_usd else "")
    return _Found(figure, 0, match.start("num"), match.end("num"))


def _link_usd(text: str, money: list[_Found]) -> list[Figure]:
    """Fold a USD equivalent stated right after a non-USD amount into it (and the reverse)."""
    figures: list[Figure] = []
    skip = False
    for index, current in enumerate(money):
        if skip:
            skip = False
            continue
        following = money[index + 1] if index + 1 < len(money) else None
        figure = current.figure
        if following is not None and _is_equivalent(text, figure, following.figure):
            local, usd = (figure, following.figure) if figure.unit != "USD" else (following.figure, figure)
            if local.unit != "USD" and usd.unit == "USD":
                basis = f"stated: {usd.evidence.quote}"  # the quote keeps its qualifier ("approximately")
                figures.append(replace(local, usd=usd.amount, usd_basis=basis))
                skip = True
                continue
        figures.append(figure)
    return figures


def _is_equivalent(text: str, first: Figure, second: Figure) -> bool:
    between = LINKED_USD.fullmatch(text, first.evidence.end, second.evidence.start)
    if between is None:
        return False
    if "(" in between.group(0):
        return text[second.evidence.end:second.evidence.end + 3].lstrip().startswith(")")
    return True


def _percentages(text: str) -> list[_Found]:
    results = []
    for match in PERCENT.finditer(text):
        amount, range_text = _amounts(match)
        unit = "percentage points" if match.group("unit").lower().startswith("percentage") else "percent"
        figure = _figure(text, match.start(), match.end(), "quantity", amount, unit, range_text or _qualifier(match))
        results.append(_Found(figure, 1, match.start("num"), match.end("num")))
    return results


def _counts(text: str) -> list[_Found]:
    results = []
    for match in COUNT.finditer(text):
        number_group = "num" if match.group("num") is not None else "word"
        if _labels(text, match.start(number_group)):
            continue
        head = _head(match.group("phrase"))
        if head is None:
            continue
        words_end, unit = head
        end = match.start("phrase") + words_end
        rate = RATE.match(text, end)
        if rate:
            unit, end = f"{unit} per {rate.group('per')}", rate.end()
        if number_group == "num":
            amount, range_text = _amounts(match)
        else:
            scale = SCALES[match.group("scale").lower()] if match.group("scale") else 1.0
            amount, range_text = NUMBER_WORDS[match.group("word").lower()] * scale, ""
        figure = _figure(text, match.start(), end, "quantity", amount, unit, range_text or _qualifier(match))
        results.append(_Found(figure, 2, match.start(number_group), match.end(number_group)))
    for match in TIMES.finditer(text):
        figure = _figure(text, match.start(), match.end(), "quantity", 2.0 if match.group("word").lower() == "twice"
                         else 3.0, "times", "")
        results.append(_Found(figure, 2, match.start(), match.end()))
    return results


def _labels(text: str, start: int) -> bool:
    before = _LABEL_BEFORE.search(text, max(0, start - 16), start)
    return bool(before and before.group(1).lower() in LABEL_WORDS)


_PHRASE_WORD = re.compile(r"\s+([A-Za-z][A-Za-z’'-]*)")


def _head(phrase: str) -> tuple[int, str] | None:
    """The counted noun of the words after a number: the first plural (or measure) word before a
    stop word, with where it ends in ``phrase``; None when there is none."""
    words = [(m.group(1), m.end()) for m in _PHRASE_WORD.finditer(phrase)]
    for index, (word, end) in enumerate(words):
        lower = word.lower()
        if lower in STOP_WORDS:
            return None
        if index + 1 < len(words) and f"{lower} {words[index + 1][0].lower()}" in MEASURES:
            return words[index + 1][1], MEASURES[f"{lower} {words[index + 1][0].lower()}"]
        if lower in MEASURES:
            return end, MEASURES[lower]
        if lower in UNCOUNTED_PLURALS or _looks_plural(lower):
            return end, lower
    return None


def _looks_plural(word: str) -> bool:
    return (len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s", "’s"))
            and word.isalpha())
