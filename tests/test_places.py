"""resolve_places: entity spans of a paragraph -> gazetteer places with text evidence."""

from __future__ import annotations

import pytest

from conftest import SEEDS
from dyad.extract.places import EntitySpan, resolve_places
from dyad.records import Evidence


def _span(text: str, name: str, label: str = "GPE", occurrence: int = 0) -> tuple:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(name, start + 1)
    return (start, start + len(name), name, label)


@pytest.mark.parametrize(("text", "names", "countries"), [
    ("Officials met in Kabul and Herat on Monday.", ["Kabul", "Herat"], ["AFG", "AFG"]),
    ("KABUL (Ariana News): the delegation arrived.", ["KABUL"], ["AFG"]),
    ("Trucks crossed at Torkham and Spin Boldak.", ["Torkham", "Spin Boldak"], ["AFG", "AFG"]),
    ("Georgia and Kazakhstan signed.", ["Georgia", "Kazakhstan"], ["GEO", "KAZ"]),
])
def test_places_resolve_places_attaches_text_evidence(text: str, names: list[str],
                                                      countries: list[str]) -> None:
    spans = [_span(text, n) for n in names]
    places = resolve_places(spans, article_id="a1")
    assert [p.country for p in places] == countries
    for found, (start, end, quote, _label) in zip(places, spans, strict=True):
        assert found.evidence == Evidence("text", start, end, quote, "a1")
        assert text[found.evidence.start:found.evidence.end] == found.evidence.quote


@pytest.mark.parametrize("offset", [0, 120])
def test_places_resolve_places_shifts_paragraph_offsets(offset: int) -> None:
    paragraph = "The railway will link Turgundi with Herat."
    places = resolve_places([EntitySpan(*_span(paragraph, "Turgundi"))], offset=offset)
    assert len(places) == 1 and places[0].id == "curated:turgundi"
    assert places[0].evidence.start == paragraph.index("Turgundi") + offset


@pytest.mark.parametrize(("name", "label"), [("Georgia", "PERSON"), ("Kabul", "ORG"),
                                             ("Kazakh", "NORP"), ("Will", "GPE"),
                                             ("Tuesday", "GPE"), ("Lorem", "LOC")])
def test_places_resolve_places_leaves_out_non_places(name: str, label: str) -> None:
    text = f"{name} said nothing."
    assert resolve_places([_span(text, name, label)]) == []


@pytest.mark.parametrize(("text", "hint", "iso3"), [
    ("Talks in Hyderabad went on.", None, "IND"),
    ("Talks in Hyderabad went on.", "PAK", "PAK"),
    ("Pakistan said talks in Hyderabad went on.", None, "PAK"),
])
def test_places_resolve_places_prefers_the_hinted_or_named_country(text: str, hint: str | None,
                                                                   iso3: str) -> None:
    spans = [_span(text, "Hyderabad")]
    if "Pakistan" in text:
        spans.insert(0, _span(text, "Pakistan"))
    places = resolve_places(spans, country_hint=hint)
    assert places[-1].name == "Hyderabad" and places[-1].country == iso3


@pytest.mark.parametrize("labels", [("GPE",), ("LOC", "GPE")])
def test_places_resolve_places_reads_a_spacy_doc(labels: tuple[str, ...]) -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    doc = nlp("Talks in Astana and Almaty ended.")
    doc.ents = [doc.char_span(9, 15, label="GPE"), doc.char_span(20, 26, label="LOC")]
    places = resolve_places(doc, offset=10, labels=labels)
    expected = [("Astana", 19)] + ([("Almaty", 30)] if "LOC" in labels else [])
    assert [(p.name, p.evidence.start) for p in places] == expected


@pytest.mark.parametrize(("span", "code"), [((0, 3, "Kabul", "GPE"), "PL002"),
                                            ((5, 2, "", "GPE"), "PL002"),
                                            ("Kabul", "PL001"), ((1, 2), "PL001")])
def test_places_resolve_places_rejects_malformed_spans(span: object, code: str) -> None:
    with pytest.raises(ValueError, match=code):
        resolve_places([span])


@pytest.mark.parametrize(("name", "iso3"), [
    ("Astana", "KAZ"), ("Almaty", "KAZ"), ("ALMATY", "KAZ"), ("Kabul", "AFG"), ("KABUL", "AFG"),
    ("Herat", "AFG"), ("Kandahar", "AFG"), ("Spin Boldak", "AFG"), ("Turgundi", "AFG"),
])
def test_places_resolve_places_finds_the_seed_places(name: str, iso3: str) -> None:
    """Every place of the seeds' gold resolves, through general data, where the seeds name it."""
    hits = 0
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text("utf-8")
        if name not in text:
            continue
        places = resolve_places([_span(text, name)])
        assert [p.country for p in places] == [iso3], seed.name
        assert places[0].evidence.quote == name
        hits += 1
    assert hits, f"{name} does not occur in the seeds"
