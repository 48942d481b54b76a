"""Score the named entities of dyad's NLP pipeline against plain spaCy, on CoNLL++ dev and re3d.

- CoNLL++ dev (dev/conll/conllpp_dev.txt: CoNLL-2003 testa, IOB2): entity-level P / R / F1 with
  exact span and type, as conlleval counts them. Each sentence is one Doc built from the gold
  tokens, so both systems see the same tokens and spans compare token for token. The headline is
  the micro F1 over PER, ORG and LOC. MISC is scored and reported on its own, not in the
  headline: CoNLL's MISC (nationalities, events, titles of works, slogans...) has no counterpart
  in OntoNotes' label set and its boundaries follow other rules (OntoNotes NORP includes
  political and religious groups that CoNLL tags ORG or leaves out), and dyad reads no actor from
  it (NORP is read only as a demonym, and then counts as a country).
- re3d (dev/re3d: the DFAT, BBC, CENTCOM, EU delegation and Wikipedia parts, defence and
  diplomacy texts on Syria and Iraq): the entity types an actor can come from, Person,
  Organisation, Location and Nationality, with crowd confidence >= 0.5 (the dataset's own
  advice). Scored on character offsets, exact and relaxed (a system span overlapping a gold span
  of the same type, one to one). re3d's spans follow other conventions than OntoNotes (they keep
  "the", titles with names, nominal mentions such as "rebels"), so the relaxed score is the
  headline there.

spaCy's OntoNotes labels map to CoNLL as PERSON -> PER, ORG -> ORG, GPE / LOC / FAC -> LOC,
NORP / EVENT / WORK_OF_ART / LAW / LANGUAGE / PRODUCT -> MISC (numbers and dates are dropped),
and to re3d as PERSON -> Person, ORG -> Organisation, GPE / LOC / FAC -> Location,
NORP -> Nationality.

    .venv/bin/python benchmarks/ner_conll.py [--shared PATH] [--limit N] [--re3d-limit N]

``--limit N`` scores N CoNLL sentences taken at an even stride through the set, ``--re3d-limit``
the first N re3d documents (sorted by source and id): the fast tier of the accuracy gate. Writes
benchmarks/results/ner.json and .md; the files hold scores only, no text from the corpora
(CoNLL's Reuters text may not be redistributed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from dyad.extract.nlp import MODEL, load_nlp

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
DYAD, PLAIN = "dyad load_nlp (gazetteer ruler + model)", "spaCy en_core_web_sm (plain)"
CONLL_OF_SPACY = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC",
                  "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC", "PRODUCT": "MISC"}
RE3D_OF_SPACY = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location", "FAC": "Location",
                 "NORP": "Nationality"}
HEADLINE_TYPES = ("PER", "ORG", "LOC")
RE3D_TYPES = ("Person", "Organisation", "Location", "Nationality")
RE3D_MIN_CONFIDENCE = 0.5
PUBLISHED = ("spaCy en_core_web_sm 3.x on OntoNotes 5 (18 types, its own test split): NER F 0.85. Context only: "
             "other corpus, other label set; CoNLL-2003 is Reuters 1996 newswire, much of it sport.")

Span = tuple[int, int, str]  # start, end (tokens for CoNLL, characters for re3d), type


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_shared = os.environ.get("DYAD_SHARED") or REPO.parent / "shared"
    parser.add_argument("--shared", type=Path, default=Path(default_shared), help="shared data folder")
    parser.add_argument("--limit", type=int, default=None, help="score N CoNLL sentences at an even stride")
    parser.add_argument("--re3d-limit", type=int, default=None, help="score the first N re3d documents")
    args = parser.parse_args(argv)
    conll_path, re3d_dir = args.shared / "dev" / "conll" / "conllpp_dev.txt", args.shared / "dev" / "re3d"
    if not conll_path.is_file() and not re3d_dir.is_dir():
        parser.exit(2, f"[B001] neither {conll_path} nor {re3d_dir} found: pass --shared PATH or set DYAD_SHARED\n")

    started = time.perf_counter()
    systems = {DYAD: load_nlp(), PLAIN: spacy.load(MODEL)}
    results: dict[str, Any] = {
        "date": date.today().isoformat(),
        "command": " ".join([".venv/bin/python", "benchmarks/ner_conll.py", *(argv if argv is not None else sys.argv[1:])]),
        "environment": {"python": platform.python_version(), "spacy": version("spacy"), "model": MODEL},
        "published_figure": PUBLISHED,
    }
    if conll_path.is_file():
        results["conll"] = score_conll(read_conll(conll_path, args.limit), systems)
    if re3d_dir.is_dir():
        results["re3d"] = score_re3d(read_re3d(re3d_dir, args.re3d_limit), systems)
    results["wall_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ner.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "ner.md").write_text(_markdown(results), encoding="utf-8")
    print(_markdown(results))
    return 0


# --- CoNLL ---


def read_conll(path: Path, limit: int | None = None) -> list[tuple[list[str], list[Span]]]:
    """Sentences as (tokens, gold spans); ``limit`` keeps that many at an even stride."""
    sentences: list[tuple[list[str], list[Span]]] = []
    words: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        parts = line.split()
        if parts and parts[0] != "-DOCSTART-":
            words.append(parts[0])
            tags.append(parts[-1])
        elif words:
            sentences.append((words, iob_spans(tags)))
            words, tags = [], []
    if limit is not None and limit < len(sentences):
        stride = len(sentences) / limit
        sentences = [sentences[int(i * stride)] for i in range(limit)]
    return sentences


def iob_spans(tags: list[str]) -> list[Span]:
    """Spans from IOB2 tags (an I- after O or another type opens a span, as conlleval reads IOB1)."""
    spans: list[Span] = []
    start, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if start is not None and (prefix != "I" or label != kind):
            spans.append((start, i, kind))
            start, kind = None, None
        if prefix == "B" or (prefix == "I" and start is None):
            start, kind = i, label
    return spans


def score_conll(sentences: list[tuple[list[str], list[Span]]], systems: dict[str, Language]) -> dict[str, Any]:
    gold = [spans for _, spans in sentences]
    scores: dict[str, Any] = {
        "sentences": len(sentences),
        "tokens": sum(len(words) for words, _ in sentences),
        "gold_entities": dict(Counter(kind for spans in gold for _, _, kind in spans)),
        "systems": {},
    }
    for name, nlp in systems.items():
        began = time.perf_counter()
        docs = nlp.pipe(Doc(nlp.vocab, words=words) for words, _ in sentences)
        found = [[(e.start, e.end, CONLL_OF_SPACY[e.label_]) for e in doc.ents if e.label_ in CONLL_OF_SPACY]
                 for doc in docs]
        scores["systems"][name] = {
            **_exact_scores(gold, found, ("PER", "ORG", "LOC", "MISC"), HEADLINE_TYPES),
            "errors_on_per_org_loc": _error_kinds(gold, found, HEADLINE_TYPES),
            "seconds": round(time.perf_counter() - began, 1),
        }
    return scores


# --- re3d ---


def read_re3d(folder: Path, limit: int | None = None) -> list[tuple[str, list[Span]]]:
    """Documents as (text, gold spans of the actor types with confidence >= 0.5), in a fixed order."""
    documents: list[tuple[str, str, list[Span]]] = []
    for source in sorted(p for p in folder.iterdir() if (p / "documents.json").is_file()):
        texts = {row["_id"]: row["text"] for row in _json_lines(source / "documents.json")}
        spans: dict[str, set[Span]] = {key: set() for key in texts}
        for row in _json_lines(source / "entities.json"):
            if row["type"] in RE3D_TYPES and row.get("confidence", 1) >= RE3D_MIN_CONFIDENCE:
                spans[row["documentId"]].add((row["begin"], row["end"], row["type"]))
        documents += [(f"{source.name}/{key}", texts[key], sorted(spans[key])) for key in sorted(texts)]
    return [(text, spans) for _, text, spans in documents[:limit]]


def _json_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]


def score_re3d(documents: list[tuple[str, list[Span]]], systems: dict[str, Language]) -> dict[str, Any]:
    gold = [spans for _, spans in documents]
    scores: dict[str, Any] = {
        "documents": len(documents),
        "gold_entities": dict(Counter(kind for spans in gold for _, _, kind in spans)),
        "systems": {},
    }
    for name, nlp in systems.items():
        began = time.perf_counter()
        found = [[(e.start_char, e.end_char, RE3D_OF_SPACY[e.label_]) for e in doc.ents if e.label_ in RE3D_OF_SPACY]
                 for doc in nlp.pipe(text for text, _ in documents)]
        scores["systems"][name] = {
            "exact": _exact_scores(gold, found, RE3D_TYPES, RE3D_TYPES),
            "relaxed": _relaxed_scores(gold, found, RE3D_TYPES),
            "seconds": round(time.perf_counter() - began, 1),
        }
    return scores


# --- scoring ---


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"P": round(precision, 4), "R": round(recall, 4), "F1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn}


def _exact_scores(gold: list[list[Span]], found: list[list[Span]], types: tuple[str, ...],
                  headline: tuple[str, ...]) -> dict[str, Any]:
    counts = {kind: Counter() for kind in types}
    for expected, predicted in zip(gold, found):
        expected_set, predicted_set = set(expected), set(predicted)
        for kind in types:
            e = {s for s in expected_set if s[2] == kind}
            p = {s for s in predicted_set if s[2] == kind}
            counts[kind].update(tp=len(e & p), fp=len(p - e), fn=len(e - p))
    return {
        "micro_" + "_".join(t.lower() for t in headline): _micro(counts, headline),
        "micro_all": _micro(counts, types),
        "by_type": {kind: _prf(c["tp"], c["fp"], c["fn"]) for kind, c in counts.items()},
    }


def _micro(counts: dict[str, Counter], types: tuple[str, ...]) -> dict[str, float | int]:
    return _prf(*(sum(counts[kind][key] for kind in types) for key in ("tp", "fp", "fn")))


def _relaxed_scores(gold: list[list[Span]], found: list[list[Span]], types: tuple[str, ...]) -> dict[str, Any]:
    """One-to-one matches of overlapping spans of the same type, each system span taking the first
    unmatched gold span it overlaps."""
    counts = {kind: Counter() for kind in types}
    for expected, predicted in zip(gold, found):
        taken: set[int] = set()
        for start, end, kind in sorted(set(predicted)):
            match = next((i for i, (s, e, k) in enumerate(expected)
                          if i not in taken and k == kind and start < e and s < end), None)
            if match is None:
                counts[kind]["fp"] += 1
            else:
                taken.add(match)
                counts[kind]["tp"] += 1
        for i, (_, _, kind) in enumerate(expected):
            counts[kind]["fn"] += i not in taken
    return {"micro_all": _micro(counts, types),
            "by_type": {kind: _prf(c["tp"], c["fp"], c["fn"]) for kind, c in counts.items()}}


def _error_kinds(gold: list[list[Span]], found: list[list[Span]], types: tuple[str, ...]) -> dict[str, int]:
    """Why gold spans of these types were missed: the system has the span with another type, an
    overlapping span (boundary), or nothing there."""
    kinds: Counter = Counter()
    for expected, predicted in zip(gold, found):
        for start, end, kind in expected:
            if kind not in types or (start, end, kind) in predicted:
                continue
            if any((s, e) == (start, end) for s, e, _ in predicted):
                kinds["same span, other type"] += 1
            elif any(s < end and start < e for s, e, _ in predicted):
                kinds["boundary differs"] += 1
            else:
                kinds["not found"] += 1
    return dict(kinds)


# --- report ---


def _markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Named entities: dyad's pipeline vs plain spaCy on CoNLL++ dev and re3d",
        "",
        f"Run {results['date']} with `{results['command']}` ({results.get('wall_seconds', '?')} s; Python "
        f"{results['environment']['python']}, spaCy {results['environment']['spacy']}, {results['environment']['model']}).",
        "",
        f"- **{DYAD}**: `dyad.extract.nlp.load_nlp()`, the model with dyad's gazetteer entity ruler before its NER.",
        f"- **{PLAIN}**: `spacy.load(\"{MODEL}\")`, what a user would otherwise pick.",
        "",
    ]
    if "conll" in results:
        conll = results["conll"]
        lines += [
            f"## CoNLL++ dev: {conll['sentences']} sentences, {conll['tokens']} tokens, gold entities "
            + ", ".join(f"{k} {v}" for k, v in sorted(conll["gold_entities"].items())),
            "",
            "Exact span and type, on the gold tokens. Headline: micro F1 over PER, ORG, LOC; MISC on its own "
            "(OntoNotes has no like-for-like class).",
            "",
            "| system | PER/ORG/LOC P / R / F1 | PER F1 | ORG F1 | LOC F1 | MISC F1 | all four F1 | s |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, s in conll["systems"].items():
            head, by = s["micro_per_org_loc"], s["by_type"]
            lines.append(f"| {name} | {head['P']:.3f} / {head['R']:.3f} / **{head['F1']:.3f}** | {by['PER']['F1']:.3f} | "
                         f"{by['ORG']['F1']:.3f} | {by['LOC']['F1']:.3f} | {by['MISC']['F1']:.3f} | "
                         f"{s['micro_all']['F1']:.3f} | {s['seconds']} |")
        lines += ["", "Gold PER/ORG/LOC entities missed, by kind:", ""]
        lines += [f"- {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(s["errors_on_per_org_loc"].items()))
                  for name, s in conll["systems"].items()]
        lines += [""]
    if "re3d" in results:
        re3d = results["re3d"]
        lines += [
            f"## re3d: {re3d['documents']} documents, gold entities "
            + ", ".join(f"{k} {v}" for k, v in sorted(re3d["gold_entities"].items())),
            "",
            "Character offsets; confidence >= 0.5. Relaxed = overlapping span of the same type, one to one.",
            "",
            "| system | relaxed P / R / F1 | exact P / R / F1 | " + " | ".join(f"{t} relaxed F1" for t in RE3D_TYPES) + " | s |",
            "|---|---|---|" + "---|" * len(RE3D_TYPES) + "---|",
        ]
        for name, s in re3d["systems"].items():
            rel, ex = s["relaxed"]["micro_all"], s["exact"]["micro_all"]
            cells = " | ".join(f"{s['relaxed']['by_type'][t]['F1']:.3f}" for t in RE3D_TYPES)
            lines.append(f"| {name} | {rel['P']:.3f} / {rel['R']:.3f} / **{rel['F1']:.3f}** | "
                         f"{ex['P']:.3f} / {ex['R']:.3f} / {ex['F1']:.3f} | {cells} | {s['seconds']} |")
        lines += [""]
    lines += ["## For context", "", f"- {results['published_figure']}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
