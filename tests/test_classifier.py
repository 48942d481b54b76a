"""The learned event-type model beside the rules: the artefact, predictions on clear sentences, the
combine policy on hand-built events, the threshold, and the rules-only fallback."""

from __future__ import annotations

import logging
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from dyad.errors import ConfigError
from dyad.extract import classifier, extract_text
from dyad.extract.classifier import NONE, Disagreement, EncoderUnavailable, Prediction, combine
from dyad.records import Event, Evidence
from dyad.settings import load_settings, with_overrides

needs_model = pytest.mark.skipif(not classifier.available(), reason="event model encoder not installed")

SENTENCE = "Officials from both countries held talks in Geneva on Monday."


def event(type_: str = "CONSULT", confidence: float = 0.5, mode: str | None = "visit") -> Event:
    sentence = Evidence("text", 0, len(SENTENCE), SENTENCE, "a")
    return Event(id="", article_id="a", type=type_, status="occurred", evidence=sentence,
                 trigger=Evidence("text", 35, 40, "talks", "a"), mode=mode, confidence=confidence)


def prediction(type_: str, probability: float) -> Prediction:
    rest = (1 - probability) / 16
    others = [(label, rest) for label in classifier.PLOVER_TYPES | {NONE} if label != type_]
    return Prediction(type_, probability, ((type_, probability), *others))


# -- artefact and predictions ----------------------------------------------------------------

def test_artefact_holds_weights_labels_temperature_and_report() -> None:
    model = classifier.load_model_file()
    assert model.labels[-1] == NONE and set(model.labels[:-1]) == classifier.PLOVER_TYPES
    assert model.weights.shape == (17, 384) and model.bias.shape == (17,)
    assert 0.05 <= model.temperature <= 10
    assert model.report["seed"] and model.report["training_set"]["plover_gold_train"] > 0
    assert {"rule_keep", "threshold"} <= set(model.report["policy"])
    # Trained with the hand-annotated news sentences (training/annotations) and chosen on them too.
    assert sum(model.report["training_set"]["annotated_news"].values()) >= 300
    assert "annotated_news_out_of_fold" in model.report["policy"]["by_set"]


@needs_model
@pytest.mark.parametrize(("sentence", "expected"), [
    ("Russian troops shelled the city with artillery, killing five civilians.", "ASSAULT"),
    ("Thousands of demonstrators marched through the capital demanding the president's resignation.", "PROTEST"),
    ("The United States imposed new economic sanctions on Iran's oil exports.", "SANCTION"),
    ("The army withdrew its troops from the disputed border region.", "RETREAT"),
])
def test_clear_sentences_get_their_type(sentence: str, expected: str) -> None:
    [result] = classifier.classify([sentence])
    # The type ranked first among the PLOVER types (the model may still doubt that a sentence
    # reports an event at all: some attack reports read as NONE, see event_model.md).
    assert next(label for label, _ in result.ranked if label != NONE) == expected, result.ranked[:3]


@needs_model
def test_predictions_are_ranked_probabilities() -> None:
    results = classifier.classify(["The two leaders met in Paris to discuss trade.", "It rained."])
    assert len(results) == 2 and classifier.classify([]) == []
    for result in results:
        probabilities = [p for _, p in result.ranked]
        assert probabilities == sorted(probabilities, reverse=True)
        assert abs(sum(probabilities) - 1) < 1e-3 and 0 <= result.probability <= 1  # calibrated: see below
        assert len(result.ranked) == 17


@needs_model
def test_embeddings_are_normalised_and_deterministic() -> None:
    encoder = classifier._loaded()[0]
    a = encoder.embed(["The ministers signed an agreement.", "Short."])
    b = encoder.embed(["Short.", "The ministers signed an agreement."])
    assert np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-4)
    assert np.allclose(a[0], b[1], atol=1e-5)


# -- combine policy --------------------------------------------------------------------------

def test_strong_rule_event_keeps_its_type() -> None:
    events, disagreements = combine([event(confidence=0.95)], prediction("ASSAULT", 0.99), 0.5, rule_keep=0.8)
    assert events[0].type == "CONSULT" and events[0].mode == "visit"
    assert disagreements == [Disagreement(SENTENCE, "talks", "CONSULT", 0.95, "ASSAULT", 0.99, "kept_rule")]


def test_weak_rule_event_takes_a_confident_model_type() -> None:
    events, disagreements = combine([event(confidence=0.5, mode=None)], prediction("AGREE", 0.8), 0.5, rule_keep=0.8)
    changed = events[0]
    assert (changed.type, changed.mode, changed.confidence) == ("AGREE", None, 0.8)
    assert changed.trigger.quote == "talks" and changed.evidence.quote == SENTENCE  # the evidence trail stays
    assert disagreements[0].action == "replaced" and disagreements[0].rule_type == "CONSULT"


def test_a_model_type_brings_the_models_mode_and_a_rule_event_keeps_its_own() -> None:
    from dataclasses import replace

    attack = replace(prediction("ASSAULT", 0.8), mode="aerial", mode_probability=0.9)
    [changed], _ = combine([event(confidence=0.5, mode=None)], attack, 0.5, rule_keep=1.01)
    assert (changed.type, changed.mode) == ("ASSAULT", "aerial")
    [confirmed], seen = combine([event("ASSAULT", confidence=0.5, mode=None)], attack, 0.5, rule_keep=1.01)
    assert (confirmed.type, confirmed.mode) == ("ASSAULT", None) and seen == []
    [kept], _ = combine([event("ASSAULT", confidence=0.5, mode="firearms")], attack, 0.5, rule_keep=1.01)
    assert kept.mode == "firearms"  # a rule event's own mode stands
    visit = replace(prediction("CONSULT", 0.8), mode="visit", mode_probability=0.9)
    [plan], _ = combine([replace(event("SUPPORT", confidence=0.5, mode=None), status="planned")], visit, 0.5,
                        rule_keep=1.01)
    assert (plan.type, plan.mode) == ("AGREE", None)  # a planned visit is AGREE, which has no modes


def test_artefact_mode_heads_cover_the_types_with_modes() -> None:
    from dyad.scores import modes

    model = classifier.load_model_file()
    assert model.modes and 0 < model.mode_threshold <= 1.01
    for event_type, head in model.modes.items():
        assert head.labels[0] == "" and set(head.labels[1:]) <= set(modes(event_type))
        assert head.weights.shape == (len(head.labels), 384) and head.bias.shape == (len(head.labels),)
    assert {"ASSAULT", "CONSULT", "PROTEST"} <= set(model.modes)
    assert model.report["modes"]["out_of_fold_mode_accuracy_by_threshold"]


@needs_model
def test_the_real_model_reads_an_air_strike_as_an_aerial_assault() -> None:
    [reading] = classifier.classify(["Fighter jets bombed rebel positions near the city overnight, killing twelve."])
    assert reading.type == "ASSAULT" and reading.mode == "aerial"


def test_threshold_trades_changes_for_caution() -> None:
    guess = prediction("AGREE", 0.6)
    assert combine([event(mode=None)], guess, 0.5, rule_keep=0.8)[0][0].type == "AGREE"
    kept, disagreements = combine([event(mode=None)], guess, 0.7, rule_keep=0.8)
    assert kept[0].type == "CONSULT" and disagreements[0].action == "below_threshold"


def test_a_rule_event_with_a_mode_keeps_its_type() -> None:
    visit = event(confidence=0.5, mode="visit")
    events, disagreements = combine([visit], prediction("COOPERATE", 0.95), 0.5, rule_keep=0.8)
    assert events == [visit] and disagreements[0].action == "kept_rule"


def test_model_never_deletes_or_adds_events() -> None:
    kept, disagreements = combine([event(mode=None)], prediction(NONE, 0.99), 0.5, rule_keep=0.8)
    assert kept == [event(mode=None)] and disagreements[0].action == "model_none"
    assert combine([], prediction("ASSAULT", 0.99), 0.5) == ([], [])
    assert combine([event()], None, 0.5) == ([event()], [])


def test_agreement_and_extensions_are_left_alone() -> None:
    assert combine([event()], prediction("CONSULT", 0.9), 0.5, rule_keep=0.8) == ([event()], [])
    appoint = event("APPOINT", confidence=0.3, mode=None)
    events, disagreements = combine([appoint], prediction("AGREE", 0.9), 0.5, rule_keep=0.8)
    assert events == [appoint] and disagreements[0].action == "kept_rule"


def test_only_the_sentences_top_rule_event_is_compared() -> None:
    weak, strong = event("REQUEST", confidence=0.4, mode=None), event("CONSULT", confidence=0.6, mode=None)
    events, _ = combine([weak, strong], prediction("AGREE", 0.9), 0.5, rule_keep=0.8)
    assert [e.type for e in events] == ["REQUEST", "AGREE"]


def test_a_changed_event_stays_its_sentences_top_event() -> None:
    # The model's probability (0.55) is below the changed event's own confidence (0.7) and the
    # lesser event's (0.6): the changed event keeps 0.7, so the sentence still answers with it.
    lesser, top = event("REQUEST", confidence=0.6, mode=None), event("CONSULT", confidence=0.7, mode=None)
    events, _ = combine([lesser, top], prediction("PROTEST", 0.55), 0.5, rule_keep=0.8)
    assert [(e.type, e.confidence) for e in events] == [("REQUEST", 0.6), ("PROTEST", 0.7)]
    assert max(events, key=lambda e: e.confidence).type == "PROTEST"


# -- integration and fallback ----------------------------------------------------------------

@pytest.fixture
def no_encoder(monkeypatch: pytest.MonkeyPatch):
    """As if onnxruntime were not installed."""
    classifier._loaded.cache_clear()
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    monkeypatch.setattr(classifier, "_warned", False)
    yield
    classifier._loaded.cache_clear()


def test_missing_encoder_package_means_rules_only(no_encoder, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(EncoderUnavailable):
        classifier.Encoder()
    text = "Russia and China signed a trade agreement on Monday. Protesters marched in Moscow."
    with caplog.at_level(logging.WARNING, logger="dyad.extract.classifier"):
        with_model = extract_text(text, model=True)
        again = extract_text(text, model=True)
    assert [e.type for e in with_model.events] == [e.type for e in extract_text(text, model=False).events]
    assert with_model.events == again.events
    warnings = [r for r in caplog.records if "rules only" in r.getMessage()]
    assert len(warnings) == 1  # said once, not per article
    assert classifier.code_with_model(list(with_model.events)) == (list(with_model.events), [])


@needs_model
def test_extraction_hook_keeps_events_and_their_evidence() -> None:
    text = "Russia and China signed a trade agreement on Monday. Protesters marched in Moscow."
    rules = extract_text(text, model=False).events
    combined = extract_text(text, model=True, model_threshold=0.5).events
    assert len(rules) == len(combined)
    assert [(e.trigger, e.evidence, e.actors) for e in rules] == [(e.trigger, e.evidence, e.actors) for e in combined]
    untouched = extract_text(text, model=True, model_threshold=1.0).events
    assert [e.type for e in untouched] == [e.type for e in rules]


def test_settings_carry_the_model_switch_and_threshold() -> None:
    settings = load_settings()
    assert settings.extract_model is True and 0 < settings.model_threshold < 1
    assert classifier.model_setting(False, 0.3) == (False, 0.3)
    with pytest.raises(ConfigError):
        with_overrides(settings, model_threshold=1.5)


def test_settings_file_turns_the_model_off(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "dyad.toml"
    config.write_text("[extract]\nmodel = false\nmodel_threshold = 0.8\n", "utf-8")
    monkeypatch.setenv("DYAD_CONFIG", str(config))
    assert classifier.model_setting() == (False, 0.8)


def test_classify_command_shows_rules_model_and_combined(tmp_path) -> None:
    from dyad.serve.cli import main

    text = "Protesters marched in Moscow on Sunday. Russia and China signed a trade agreement."
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "classify", text, "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    import json

    rows = json.loads(result.output)
    assert [row["sentence"] for row in rows] == ["Protesters marched in Moscow on Sunday.",
                                                  "Russia and China signed a trade agreement."]
    assert {"rules", "model", "combined", "disagreements", "fill"} <= set(rows[0])
    plain = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "classify", text], catch_exceptions=False)
    assert plain.exit_code == 0 and "rules" in plain.output and "combined" in plain.output


# -- calibration -----------------------------------------------------------------------------

def test_confidence_map_is_monotone_and_a_probability() -> None:
    model = classifier.load_model_file()
    points = model.confidence_map
    assert points[0, 0] == 0.0 and points[-1, 0] == 1.0
    assert np.all(np.diff(points[:, 0]) >= 0) and np.all(np.diff(points[:, 1]) >= -1e-9)
    grid = np.linspace(0, 1, 101)
    mapped = model.confidence(grid)
    assert np.all((mapped >= 0) & (mapped <= 1)) and np.all(np.diff(mapped) >= -1e-9)
    assert model.report["calibration"]["method"] in ("temperature", "temperature+platt", "temperature+isotonic")


@needs_model
def test_prediction_probability_is_the_calibrated_confidence_of_its_top_label() -> None:
    model = classifier._loaded()[1]
    [result] = classifier.classify(["The army shelled the rebel positions overnight."])
    assert result.ranked[0][0] == result.type
    assert result.probability == pytest.approx(float(model.confidence(np.array([result.ranked[0][1]]))[0]), abs=1e-3)


# -- fill: the model codes a sentence the rules left empty ------------------------------------

def _reading(monkeypatch: pytest.MonkeyPatch, type_: str, probability: float) -> None:
    """The model reads every sentence as ``type_``: what fill does with a reading is under test."""
    monkeypatch.setattr(classifier, "available", lambda: True)
    monkeypatch.setattr(classifier, "classify", lambda sentences: [prediction(type_, probability) for _ in sentences])
    monkeypatch.setattr(classifier, "code_with_model", lambda events, threshold: (list(events), []))


def test_fill_reads_participants_and_status_like_a_rule_trigger(monkeypatch: pytest.MonkeyPatch) -> None:
    from dyad.extract.events import MODEL_CODED

    text = "Japan handed over three patrol boats to the Philippines on Monday."
    assert extract_text(text, model=False).events == ()  # no trigger in the table for "hand over"
    _reading(monkeypatch, "AID", 0.7)
    [filled] = extract_text(text, model=True, model_fill=True, fill_threshold=0.6).events
    assert (filled.type, filled.status, filled.trigger.quote) == ("AID", "occurred", "handed")
    assert [a.actor_id for a in filled.actors] == ["JPN"] and [r.actor_id for r in filled.recipients] == ["PHL"]
    assert MODEL_CODED in filled.context and filled.confidence == 0.7
    assert filled.evidence.quote == text and text[filled.trigger.start:filled.trigger.end] == "handed"
    planned = extract_text("Japan will hand over three patrol boats to the Philippines next month.",
                           model=True, model_fill=True, fill_threshold=0.6).events
    assert [(e.type, e.status) for e in planned] == [("AGREE", "planned")]  # PLOVER: a planned AID is AGREE


def test_fill_needs_confidence_a_participant_and_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Japan handed over three patrol boats to the Philippines on Monday."
    _reading(monkeypatch, "AID", 0.5)
    assert extract_text(text, model=True, model_fill=True, fill_threshold=0.6).events == ()
    assert extract_text(text, model=True, model_fill=False, fill_threshold=0.0).events == ()
    assert extract_text("Heavy rain fell across the region on Monday.", model=True, model_fill=True,
                        fill_threshold=0.0).events == ()
    _reading(monkeypatch, NONE, 0.99)
    assert extract_text(text, model=True, model_fill=True, fill_threshold=0.0).events == ()


def test_fill_leaves_sentences_with_rule_events_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Russia and China signed a trade agreement on Monday. Japan handed over patrol boats to the Philippines."
    _reading(monkeypatch, "AID", 0.9)
    # Combined without fill (the model may change a rule event's type; see combine): fill only adds.
    combined = extract_text(text, model=True, model_fill=False).events
    filled = extract_text(text, model=True, model_fill=True, fill_threshold=0.6).events
    assert combined and filled[:len(combined)] == combined and [e.type for e in filled[len(combined):]] == ["AID"]


def test_fill_is_off_by_default() -> None:
    settings = load_settings()
    assert settings.model_fill is False and 0 < settings.model_fill_threshold <= 1
    assert classifier.fill_setting(True, 0.3) == (True, 0.3)
    with pytest.raises(ConfigError):
        with_overrides(settings, model_fill_threshold=2.0)


@needs_model
def test_fill_with_the_real_model_codes_an_attack_the_table_misses() -> None:
    text = "Ethiopian soldiers torched several villages in Sudan."
    filled = extract_text(text, model=True, model_fill=True, fill_threshold=0.0).events
    assert len(filled) >= 1 and all(e.actors or e.recipients for e in filled)


# -- held-out splits ---------------------------------------------------------------------------

def test_held_out_stories_never_train() -> None:
    import importlib.util
    from pathlib import Path

    from conftest import require_shared

    shared = require_shared("dev", "ngec").parents[1]
    spec = importlib.util.spec_from_file_location("train_event_model", Path(__file__).parents[1] / "scripts" / "train_event_model.py")
    trainer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(trainer)
    stories = trainer.ngec_stories(shared)
    roles = trainer.story_split(stories)
    assert roles == trainer.story_split(stories)  # fixed seed
    test, calibrate = trainer.held_out_stories(stories, "test"), trainer.held_out_stories(stories, "calibrate")
    assert test and calibrate and not {s["id"] for s in test} & {s["id"] for s in calibrate}
    assert {s["label"] for s in test} == {s["label"] for s in stories}  # every type is tested
    trained = {text for text, _, _ in trainer.ngec_examples(shared, stories)}
    for story in test + calibrate:
        assert roles[story["template"]] != "train"
        assert story["headline"] not in trained and trainer.lead_sentence(story["text"]) not in trained
