"""Cleaning of plain-text web scrapes: keep the article body, set aside everything else.

A line classifier in the spirit of jusText (Pomikálek 2011):

1. the text is cut into units: non-blank lines, with hard-wrapped lines joined back;
2. a scrape prefix (``date 2025-11-29``) and trailing photo credits are cut off units;
3. each unit is matched against general boilerplate patterns (menus, share buttons, footers,
   login prompts...) and graded by its form: *good* (long prose, dense in stopwords),
   *prose* (a short sentence) or *short* (a heading, a menu item, a link);
4. the body is the main contiguous region of good units: short units between good ones stay
   (subheadings), a run of short units or an end marker ("Related Articles") splits regions;
5. the title is the headline-like unit standing just before the body;
6. metadata stated in the text (dateline, outlet, publication date) is read by ``textmeta``.

Nothing is lost: every character of the input is in a kept paragraph, a removed block or
whitespace, and each paragraph's text is exactly its raw span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from dyad.clean.textmeta import find_dates, parse_date_line, read_text_metadata, undouble
from dyad.records import CleanResult, Evidence, MetaValue, Paragraph, RemovedBlock

# Set on the seed scrapes, then checked on ~400 English pages of the htmldate and trafilatura
# evaluation sets turned into plain text (share of their must/must-not segments kept): news
# paragraphs run 100+ characters and ~40% stopwords; menus, headlines and link lists are short
# and rarely end a sentence.
GOOD_LENGTH = 80
MIN_STOPWORD_DENSITY = 0.2
ENGLISH_DOCUMENT_DENSITY = 0.1  # below this the text is not English: stopwords say nothing
MAX_SHORT_GAP = 3  # more short units than this between good paragraphs is a menu, not a subheading
CAPTION_LENGTH = 200  # text before a photo credit up to this long is the photo's caption
WRAPPED_LINE_LENGTH = 40  # a hard-wrapped line is at least this long
MENU_LINE_LENGTH = 200  # menus and button rows are short lines
MAX_STRAY_BEFORE_BODY = 2  # short odd lines ("5 min read") a headline may stand above

_STOPWORDS = frozenset(
    "a about after against all also an and any are as at be because been before being between both "
    "but by can could did do does during each for from had has have he her here his how i if in into "
    "is it its may more most no not of on only or other our out over said says she should so some "
    "such than that the their them then there these they this those through to under until up was "
    "we were what when where which while who will with would you your".split()
)

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]?\s+[\"“‘(]?[A-Z]")
_WRAP_STOP = re.compile(r"[.!?:;\"”’»)]$")
_BULLET = re.compile(r"(?:[•·▪▫◦‣∙●○■□►▸]\s*|[*+\-–—]\s+)")
_NOT_HEADLINE = re.compile(r"^/|[{}<>=]")  # paths, markup and code are not headlines
_CRUMB_SEPARATOR = re.compile(r"\s+[>»›→]\s+")

_SCRAPE_PREFIX = re.compile(
    r"(?i)(?:date|published|pubdate|datetime)\s*[:=]?\s*"
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?(?=\s|$)"
)
_CREDIT_SUFFIX = re.compile(r"(?i)\b(?:photo|image|picture)\s+(?:credit|courtesy)s?\s*:[^\n]{1,150}$")


@dataclass(frozen=True, slots=True)
class _Pattern:
    reason: str
    regex: re.Pattern[str]
    max_length: int  # longer units are prose that happens to contain the words
    ends_article: bool = False


# General boilerplate of news sites, matched on a unit's text with any doubling undone.
_PATTERNS = (
    _Pattern("placeholder", re.compile(r"(?i)\blorem ipsum\b"), 100_000),
    _Pattern("advert", re.compile(
        r"(?i)^[\W_]*(?:advertisement|advertising|sponsored(?: content)?|ad image|ads?|promoted(?: content)?"
        r"|scroll to continue(?: with content)?|(?:story )?continues? (?:reading )?below(?: advertisement)?)[\W_]*$"), 80),
    _Pattern("login", re.compile(
        r"(?i)^(?:welcome back|sign (?:in|up|out)(?: with \w+)?|log ?(?:in|out)|register|my account|remember me"
        r"|create an? (?:new )?account|(?:sign|log) (?:in|into|on) (?:to )?your account"
        r"|(?:lost|forgot|forgotten) (?:your )?password|reset (?:your )?password|password recovery"
        r"|recover your password|username(?: or e-?mail)?|password|a password will be e-?mailed to you)\W*$"), 60),
    _Pattern("reading-list", re.compile(
        r"(?i)^(?:(?:removed from|added to|add to|saved? to) (?:your )?(?:reading list|bookmarks|saved (?:articles|stories))"
        r"|undo|save(?: (?:article|story))?|bookmark)\W*$"), 60),
    _Pattern("footer", re.compile(
        r"(?i)^(?:©|\(c\)|copyright\b)|\ball rights reserved\b|^(?:privacy policy|terms of (?:use|service)"
        r"|cookie (?:policy|settings)|contact us|about us|advertise with us|sitemap)\b"), 200),
    _Pattern("related", re.compile(
        r"(?i)^(?:related(?: (?:articles?|news|posts?|stories|content|coverage|reading|topics))?|read (?:more|also|next)"
        r"|also read|see also|more (?:stories|news|articles|on this (?:topic|story))|more from [^\n]{1,40}"
        r"|you (?:may|might) (?:also )?(?:like|be interested in)|recommended(?: for you| stories| articles)?"
        r"|most (?:popular|read|viewed)|trending(?: now| stories)?|latest (?:news|stories|articles|posts)"
        r"|popular (?:posts|stories|news)|editor['’]?s (?:picks|choice)|top stories)\W*$"), 60, ends_article=True),
    _Pattern("related", re.compile(r"(?i)^(?:read more|read also|also read|see also|related)\s*[:|»›>–—-]+\s*\S"), 300),
    _Pattern("comments", re.compile(
        r"(?i)^(?:(?:\d+\s+)?(?:comments?|responses?|thoughts?|replies)(?: (?:on|to)\b.*)?|post a comment|add (?:a )?comment"
        r"|join the (?:discussion|conversation)|leave a (?:reply|comment)\b.*)\W*$"), 200, ends_article=True),
    _Pattern("comments", re.compile(r"(?i)^(?:reply|report|[^\n]{1,40} says:)$"), 60),
    _Pattern("promo", re.compile(
        r"(?i)\b(?:stories|news|newsletters?|updates|headlines|alerts) (?:sent|delivered) (?:directly |straight )?"
        r"to (?:you|your inbox)|\bsign up (?:for|to) (?:our|the)\b.{0,60}\bnewsletter"
        r"|\bsubscribe to (?:our|the)\b.{0,60}\b(?:newsletter|channel)|\bjoin (?:our|us on)\b.{0,40}\b(?:channel|telegram|whatsapp)"
        r"|\bdownload (?:our|the)\b.{0,40}\bapp\b"), 300),
    _Pattern("photo-credit", re.compile(
        r"(?i)^\(?(?:file )?(?:photo(?:graph)?|image|picture|pic)s?(?:\s+(?:credit|courtesy))?\s*(?::|by\b|courtesy\b)"
        r"|^(?:image|photo|picture|slide) \d+ of \d+\b|\b(?:getty images|shutterstock|istock(?:photo)?|alamy|ap photo)\b"
        r"|(?:/|\bvia )(?:afp|reuters|ap|epa|getty)\b"), 200),
    # A caption ends with its credit in brackets: "... winds (Picture: Reuters)".
    _Pattern("photo-caption", re.compile(
        r"(?i)\((?:(?:photo|picture|image|pic|credit)s?(?: by)?\s*:?|[^()\n]{0,40}/(?:getty|istock|afp|reuters|ap|epa)\b)[^()\n]{0,80}\)\W*$"), 300),
    _Pattern("tags", re.compile(r"(?i)^(?:tags|tagged|topics|filed under)\s*:"), 300),
    _Pattern("nav-menu", re.compile(
        r"(?i)^(?:skip to (?:main )?content|toggle navigation|main menu|menu|search|close|back to top|scroll to top"
        r"|load more|show more|next (?:post|article)|previous (?:post|article))\W*$"), 40),
    _Pattern("byline", re.compile(r"^(?i:(?:written |posted |reported )?by):?\s+[A-Z]"), 80),
)

_LANGUAGES = frozenset(name.casefold() for name in (
    "English", "Français", "Francais", "Deutsch", "Español", "Espanol", "Italiano", "Português", "Portugues",
    "Nederlands", "Polski", "Русский", "Українська", "Қазақша", "Қазақ тілі", "Кыргызча", "Oʻzbekcha",
    "O'zbekcha", "Oʻzbek", "Ўзбекча", "Тоҷикӣ", "Türkçe", "Türkmençe", "Azərbaycanca", "العربية",
    "عربي", "فارسی", "دری", "پښتو", "اردو", "हिन्दी", "বাংলা", "中文", "简体中文", "繁體中文", "日本語",
    "한국어", "Bahasa Indonesia", "Bahasa Melayu", "Tiếng Việt", "ไทย", "Ελληνικά", "עברית", "Svenska",
    "Norsk", "Dansk", "Suomi", "Čeština", "Magyar", "Română", "Српски", "Hrvatski", "Български",
    "ქართული", "Հայերեն", "Kiswahili", "Hausa", "Dari", "Pashto", "Farsi", "Arabic", "Russian",
    "Chinese", "French", "German", "Spanish", "Urdu", "Hindi", "Persian", "Turkish", "Uzbek", "Kazakh",
))  # fmt: skip
_LANGUAGE_CODE = re.compile(r"[A-Z]{2}")
_MENU_SEPARATOR = re.compile(r"\s*[|•·/,]\s*")

_SHARE_TRIGGERS = frozenset(
    "share tweet like follow subscribe email e-mail print whatsapp facebook twitter x instagram youtube "
    "telegram linkedin pinterest reddit tiktok vk viber messenger flipboard threads bluesky mastodon".split()
)
_SHARE_WORDS = _SHARE_TRIGGERS | frozenset("shares shared likes followers subscribers us on this article story via copy link".split())

# Units that may sit inside an article body without ending it.
_IN_BODY_NOISE = frozenset({"advert", "photo-credit", "photo-caption", "promo", "share", "related", "placeholder"})
# Units that may stand between a title and the body.
_BETWEEN_TITLE_AND_BODY = frozenset({"date-line", "share", "byline", "photo-credit", "photo-caption", "advert"})
# Pattern reasons too weak to override "related" in the list that follows a related heading.
_WEAK_REASONS = frozenset({"date-line", "byline", "breadcrumb", "tags", "photo-credit"})
# Breadcrumb roots and menu entries that name a page of the site, not the site.
_NOT_SITE_NAMES = frozenset({"home", "homepage", "home page", "front page", "main", "main page", "menu", "news", "index", "start"})


@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    text: str
    reason: str | None = None  # the boilerplate pattern it matched
    ends_article: bool = False
    quality: str = "short"  # "good", "prose" or "short"


def clean_text(content: str) -> CleanResult:
    """Body paragraphs, title and text-stated metadata of a plain-text scrape; boilerplate set aside."""
    removed: list[RemovedBlock] = []
    units = _cut_photo_credits(content, _cut_scrape_prefix(content, _units(content), removed), removed)
    english = _stopword_density(" ".join(u.text for u in units)) >= ENGLISH_DOCUMENT_DENSITY
    for unit in units:
        _classify(unit, english)
    region = _body_region(units)
    first, last = region if region else (len(units), -1)
    title_index, title = _find_title(units, first) if region else (None, None)
    site_names = _site_names(units[:first])
    kept: list[Paragraph] = []
    end_reason = None
    for i, unit in enumerate(units):
        if first <= i <= last and unit.reason is None:
            kept.append(Paragraph(unit.text, unit.start, unit.end))
            continue
        if i > last and unit.ends_article and end_reason is None:
            end_reason = unit.reason
        reason = _removal_reason(unit, i, first, title_index, end_reason, site_names)
        removed.append(RemovedBlock(unit.start, unit.end, reason, unit.text))
    paragraphs = tuple(kept)
    blocks = _merge_removed(content, removed)
    result = CleanResult(paragraphs=paragraphs, title=title, removed=blocks)
    return replace(result, **read_text_metadata(content, paragraphs, blocks))


# --- 1-2. Units ---------------------------------------------------------------------------------


def _units(content: str) -> list[_Unit]:
    """Non-blank lines, stripped; a line that is the hard-wrapped continuation of the one above
    (no blank line between, no sentence end before, a lower-case start) joins it."""
    spans: list[list[int]] = []
    pos, previous = 0, ""  # previous: the line just above, "" when it is blank
    for line in content.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = pos + len(line) - len(line.lstrip())
            end = start + len(stripped)
            if previous and _continues(previous, stripped):
                spans[-1][1] = end
            else:
                spans.append([start, end])
        previous = stripped
        pos += len(line)
    return [_Unit(start, end, content[start:end]) for start, end in spans]


def _continues(previous: str, line: str) -> bool:
    return (
        len(previous) >= WRAPPED_LINE_LENGTH
        and line[0].islower()
        and not _WRAP_STOP.search(previous)
        and not _BULLET.match(previous)
    )


def _cut_scrape_prefix(content: str, units: list[_Unit], removed: list[RemovedBlock]) -> list[_Unit]:
    """A scraper's ``date 2025-11-29`` glued before the first line is not part of the text."""
    match = _SCRAPE_PREFIX.match(units[0].text) if units else None
    if match is None:
        return units
    first = units[0]
    cut = first.start + match.end()
    removed.append(RemovedBlock(first.start, cut, "scrape-prefix", content[first.start : cut]))
    rest = content[cut : first.end]
    if not rest.strip():
        return units[1:]
    start = cut + len(rest) - len(rest.lstrip())
    return [_Unit(start, first.end, content[start : first.end]), *units[1:]]


def _cut_photo_credits(content: str, units: list[_Unit], removed: list[RemovedBlock]) -> list[_Unit]:
    """``... Photo credit: X.`` ends a caption: a short unit is the caption, a long one loses the credit."""
    result = []
    for unit in units:
        match = _CREDIT_SUFFIX.search(unit.text)
        head = unit.text[: match.start()].rstrip() if match else ""
        if not head or not _SENTENCE_END.search(head):
            result.append(unit)
        elif len(head) <= CAPTION_LENGTH:
            result.append(_Unit(unit.start, unit.end, unit.text, reason="photo-caption"))
        else:
            cut = unit.start + match.start()
            removed.append(RemovedBlock(cut, unit.end, "photo-credit", content[cut : unit.end]))
            result.append(_Unit(unit.start, unit.start + len(head), head))
    return result


# --- 3. Classification ----------------------------------------------------------------------------


def _stopword_density(text: str) -> float:
    words = _WORD.findall(text.casefold())
    return sum(w in _STOPWORDS for w in words) / len(words) if words else 0.0


def _classify(unit: _Unit, english: bool) -> None:
    if unit.reason is None:
        unit.reason, unit.ends_article = _pattern_reason(unit.text)
    words = _WORD.findall(unit.text)
    sentence = len(words) >= 4 and bool(_SENTENCE_END.search(unit.text) or _SENTENCE_BREAK.search(unit.text))
    if not sentence:
        unit.quality = "short"
    elif len(unit.text) < GOOD_LENGTH:
        unit.quality = "prose"  # too short for its stopwords to say anything
    else:
        # Long text without function words is a list of names or links, not running prose.
        unit.quality = "good" if not english or _stopword_density(unit.text) >= MIN_STOPWORD_DENSITY else "short"


def _pattern_reason(text: str) -> tuple[str | None, bool]:
    """The boilerplate kind of a unit and whether it ends the article, or (None, False)."""
    single = undouble(text)
    for pattern in _PATTERNS:
        if len(single) <= pattern.max_length and pattern.regex.search(single):
            return pattern.reason, pattern.ends_article
    if _is_language_menu(single):
        return "language-menu", False
    if _is_share_line(single):
        return "share", False
    if _crumbs(single):
        return "breadcrumb", False
    if _is_menu_item(single):
        return "nav-menu", False
    if parse_date_line(single):
        return "date-line", False
    return None, False


def _is_language_menu(text: str) -> bool:
    if len(text) > MENU_LINE_LENGTH:
        return False
    bullet = _BULLET.match(text)
    parts = [p for p in _MENU_SEPARATOR.split(text[bullet.end() if bullet else 0 :]) if p]
    codes = len(parts) >= 2 and all(_LANGUAGE_CODE.fullmatch(p) for p in parts)
    return bool(parts) and (codes or all(p.casefold() in _LANGUAGES for p in parts))


def _is_share_line(text: str) -> bool:
    if len(text) > MENU_LINE_LENGTH:
        return False
    words = _WORD.findall(text.casefold().replace("e-mail", "email"))
    return (
        0 < len(words) <= 8
        and all(w in _SHARE_WORDS or w.isdigit() for w in words)
        and any(w in _SHARE_TRIGGERS for w in words)
    )


def _crumbs(text: str) -> list[str]:
    """The parts of a breadcrumb (``Site > Section > Title``), or [] when the text is not one."""
    if len(text) > 300 or not _CRUMB_SEPARATOR.search(text):
        return []
    parts = _CRUMB_SEPARATOR.split(text)
    if all(parts) and len(parts[0].split()) <= 5 and all(len(p.split()) <= 20 for p in parts):
        return parts
    return []


def _is_menu_item(text: str) -> bool:
    bullet = _BULLET.match(text)
    item = text[bullet.end() :] if bullet else ""
    return bool(item) and len(item.split()) <= 4 and not _SENTENCE_END.search(item)


# --- 4. Body region ---------------------------------------------------------------------------------


def _body_region(units: list[_Unit]) -> tuple[int, int] | None:
    """First and last unit of the main contiguous body, or None when nothing reads as a body."""
    seeds = [i for i, u in enumerate(units) if u.reason is None and u.quality == "good"]
    seeds = seeds or [i for i, u in enumerate(units) if u.reason is None and u.quality == "prose"]
    if not seeds:
        return None
    regions = [[seeds[0], seeds[0]]]
    for previous, current in zip(seeds, seeds[1:]):
        if _splits_body(units[previous + 1 : current]):
            regions.append([current, current])
        else:
            regions[-1][1] = current
    first, last = max(regions, key=lambda r: sum(len(u.text) for u in units[r[0] : r[1] + 1] if u.reason is None))
    # Short sentences at the edges (a one-line lede, a closing line) belong to the body too.
    while last + 1 < len(units) and units[last + 1].reason is None and units[last + 1].quality == "prose":
        last += 1
    while first > 0 and units[first - 1].reason is None and units[first - 1].quality == "prose" and units[first - 1].text.endswith("."):
        first -= 1
    return first, last


def _splits_body(gap: list[_Unit]) -> bool:
    short = [u for u in gap if u.quality == "short" and u.reason not in _IN_BODY_NOISE]
    return any(u.ends_article for u in gap) or len(short) > MAX_SHORT_GAP


# --- 5. Title -------------------------------------------------------------------------------------


def _is_headline(text: str) -> bool:
    words = _WORD.findall(text)
    first_letter = next((c for c in text if c.isalpha()), "")
    return (
        3 <= len(words) <= 30
        and len(text) <= 250
        and "\n" not in text
        and not text.endswith((".", ",", ";", ":", "…"))
        and not first_letter.islower()
        and not _NOT_HEADLINE.search(text)
        and undouble(text) == text
        and not find_dates(text)
    )


def _find_title(units: list[_Unit], first: int) -> tuple[int | None, MetaValue | None]:
    """The headline standing just before the body (past date, share and byline lines), confirmed
    when a breadcrumb ends with it; else a breadcrumb's last crumb when it reads as a headline."""
    crumbs = [c for u in units[:first] if u.reason == "breadcrumb" for c in [_crumbs(u.text)] if c]
    crumb_titles = {c[-1].casefold() for c in crumbs}
    stray = 0
    for i in range(first - 1, -1, -1):
        unit = units[i]
        if unit.reason in _BETWEEN_TITLE_AND_BODY:
            continue
        # A headline in the few lines under "Related" is a link to another article.
        after_related = any(u.ends_article for u in units[max(0, i - MAX_SHORT_GAP) : i])
        if unit.reason is None and _is_headline(unit.text) and not after_related:
            evidence = Evidence("raw", unit.start, unit.end, unit.text)
            if unit.text.casefold() in crumb_titles:
                return i, MetaValue(unit.text, "text:title-line", 0.9, evidence, "headline before the body, repeated as the breadcrumb's last part")
            if i == 0:
                return i, MetaValue(unit.text, "text:title-line", 0.8, evidence, "headline opening the document, followed by the body")
            return i, MetaValue(unit.text, "text:title-line", 0.6, evidence, "headline-like line shortly before the body")
        stray += 1
        if unit.reason is not None or stray > MAX_STRAY_BEFORE_BODY:
            break
    for unit, parts in ((u, _crumbs(u.text)) for u in units[:first] if u.reason == "breadcrumb"):
        if len(parts) >= 2 and _is_headline(parts[-1]) and not parts[-1].endswith(("...", "…")):
            start = unit.start + unit.text.rindex(parts[-1])
            evidence = Evidence("raw", start, start + len(parts[-1]), parts[-1])
            return None, MetaValue(parts[-1], "text:breadcrumb", 0.6, evidence, "last part of the breadcrumb")
    return None, None


# --- 6. Removed blocks --------------------------------------------------------------------------


def _site_names(header: list[_Unit]) -> set[str]:
    """Names the page header states in two ways at least: as a line of its own, doubled (a
    logo's text and its alt text), as a breadcrumb's root. A menu repeats its items one way only."""
    ways: dict[str, set[str]] = {}
    for unit in header:
        single, crumbs = undouble(unit.text), _crumbs(unit.text)
        if crumbs:
            ways.setdefault(crumbs[0], set()).add("breadcrumb")
        elif unit.reason is None and unit.quality == "short" and len(single.split()) <= 5:
            ways.setdefault(single, set()).add("doubled" if single != unit.text else "line")
    return {
        name
        for name, seen in ways.items()
        if len(seen) >= 2 and any(c.isalpha() for c in name) and name.casefold() not in _NOT_SITE_NAMES
    }


def _removal_reason(unit: _Unit, i: int, first: int, title_index: int | None, end_reason: str | None, site_names: set[str]) -> str:
    if i == title_index:
        return "title"
    if unit.reason and not (end_reason and unit.reason in _WEAK_REASONS):
        return unit.reason
    if end_reason:
        return end_reason
    if i < first and undouble(unit.text) in site_names:
        return "site-header"
    return "outside-body" if unit.quality != "short" else "short-run"


def _merge_removed(content: str, removed: list[RemovedBlock]) -> tuple[RemovedBlock, ...]:
    """Removed blocks of one kind with only whitespace between become one block, so a menu reads
    as one piece (a kept paragraph between them is never whitespace, so none is swallowed)."""
    spans: list[list] = []  # [start, end, reason]
    for block in sorted(removed, key=lambda b: b.start):
        if spans and spans[-1][2] == block.reason and not content[spans[-1][1] : block.start].strip():
            spans[-1][1] = block.end
        else:
            spans.append([block.start, block.end, block.reason])
    return tuple(RemovedBlock(start, end, reason, content[start:end]) for start, end, reason in spans)
