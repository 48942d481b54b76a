"""Actors in one article, on general news sentences: people with titles and tenures, countries,
governments, regime names over time, organisations with their country, surnames, datelines."""

from __future__ import annotations

import pytest

from dyad.extract import extract_text
from dyad.extract.actors import regime_for
from dyad.extract.titles import split_titles


def actors_of(text: str, published: str | None = "2024-05-10") -> dict:
    return {a.id: a for a in extract_text(text, published).actors}


@pytest.mark.parametrize(
    ("title", "parts"),
    [("Deputy Prime Minister and Minister of Finance", ["Deputy Prime Minister", "Minister of Finance"]),
     ("Minister of Industry and Commerce", ["Minister of Industry and Commerce"]),
     ("Special Envoy for Syria and Ambassador-at-Large", ["Special Envoy for Syria", "Ambassador-at-Large"])],
)
def test_actors_titles_split_only_where_two_titles_join(title: str, parts: list[str]) -> None:
    assert [text for _, text in split_titles(title)] == parts


@pytest.mark.parametrize(
    ("name", "on", "sector"),
    [("Taliban", "2019-02-01", "REB"), ("Taliban", "2023-02-01", "GOV"), ("Kremlin", None, "GOV")],
)
def test_actors_regime_names_hold_their_role_for_a_period(name: str, on: str | None, sector: str) -> None:
    assert regime_for(name, on).sector == sector


def test_actors_person_with_title_before_and_country_after() -> None:
    found = actors_of("Foreign Minister Sergey Lavrov of Russia met Chinese diplomats in Beijing on Monday.")
    lavrov = next(a for a in found.values() if a.kind == "person")
    assert lavrov.name == "Sergey Lavrov" and lavrov.country == "RUS"
    assert [r.title for r in lavrov.roles] == ["Foreign Minister"]
    assert found["CHNGOV"].aliases == ("Chinese diplomats",)


def test_actors_apposition_title_and_possessive_country() -> None:
    found = actors_of("Jean Dupont, France's ambassador to Mali, said the talks would resume.")
    person = found["person:jean-dupont"]
    assert person.country == "FRA" and person.roles[0].title == "ambassador to Mali"
    assert person.roles[0].evidence.quote == "ambassador to Mali"


def test_actors_surname_resolves_to_the_full_name_seen_before() -> None:
    text = "Prime Minister Anna Kowalska of Poland arrived in Vilnius.\n\nKowalska said the visit mattered."
    extraction = extract_text(text, "2024-05-10")
    refs = [m.ref for m in extraction.mentions if m.label == "PERSON"]
    assert refs == ["person:anna-kowalska", "person:anna-kowalska"]


def test_actors_tenure_from_appointment_and_previous_post() -> None:
    text = ("Maria Lopez was appointed Ambassador to Japan in March 2023. Prior to this, she served as Spain's "
            "Consul General in Shanghai.")
    lopez = actors_of(text)["person:maria-lopez"]
    roles = {r.title: r for r in lopez.roles}
    assert roles["Ambassador to Japan"].since == "2023-03"
    assert roles["Consul General in Shanghai"].until == "2023-03" and roles["Consul General in Shanghai"].country == "ESP"


def test_actors_capital_as_subject_is_its_government_and_demonym_body_is_an_organisation() -> None:
    found = actors_of("Tokyo remains committed to the talks, the Japanese Embassy said.")
    assert found["JPNGOV"].aliases == ("Tokyo",)
    embassy = next(a for a in found.values() if a.kind == "government body")
    assert embassy.country == "JPN" and embassy.parent == "JPNGOV"


def test_actors_media_and_igo_are_not_government_bodies() -> None:
    found = actors_of("The World Food Programme said aid reached Gaza, Reuters News Agency reported.")
    kinds = {a.name: (a.kind, a.sector) for a in found.values()}
    assert kinds.get("World Food Programme") == ("igo", "IGO")
    assert kinds.get("Reuters News Agency", ("media", "MED")) == ("media", "MED")


def test_actors_dateline_is_not_an_actor() -> None:
    extraction = extract_text("CAIRO (Agency): Egypt hosted talks between the two delegations on Sunday.", "2024-05-10")
    assert all(m.evidence.start >= len("CAIRO (Agency):") or m.ref != "EGYGOV" for m in extraction.mentions)


def test_actors_name_misread_as_organisation_after_a_title_is_a_person() -> None:
    """spaCy's model tags some hyphenated names ORG; right after a title of office they are people
    with that title, and a real organisation after a person's title stays one."""
    x = extract_text("Kazakh President Kassym-Jomart Tokayev met Uzbek President Shavkat Mirziyoyev in Tashkent "
                     "on Monday.", published="2026-01-10")
    tokayev = next(a for a in x.actors if a.name == "Kassym-Jomart Tokayev")
    assert tokayev.kind == "person" and tokayev.country == "KAZ" and [r.title for r in tokayev.roles] == ["President"]
    [meeting] = x.events
    assert [a.actor_id for a in meeting.actors] == [tokayev.id]
    bank = extract_text("Chinese President Xi Jinping met the head of the Asian Development Bank on Monday.",
                        published="2026-01-10")
    assert {a.name: a.kind for a in bank.actors}["Asian Development Bank"] == "organization"
