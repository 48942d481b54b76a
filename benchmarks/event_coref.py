"""Event coreference with dyad's rule, on ECB+ (dev topics, gold event mentions) and MEANTIME.

    .venv/bin/python benchmarks/event_coref.py [--shared PATH] [--tune] [--timing]

Each gold event mention becomes a ``dyad.resolve.events.EventFeatures`` built only from what dyad
would know of it: its words (trigger), its sentence, the entities spaCy finds in that sentence
(participants; the first place name as its place), the date of a time expression in the
sentence, normalised with dyad's timex module against the document's publication date when
dyad's cleaner finds one, or else that date itself (as dyad does when the text gives none).
Topics stand in for dyad's type blocks (ECB+ mentions have no PLOVER type), one constant for
the country pair.
Then dyad's own blocking, scoring and clustering run unchanged. Gold mentions are clustered
across all documents of a topic at once (no document clustering first).

- **dyad same-event.v1**: ``candidate_pairs`` → ``score_pair`` → ``cluster_events``;
- **identity evidence not required** (an ablation): the same rule, scoring every candidate pair
  (``dyad.resolve.events.identity`` replaced), to show what that requirement costs on ECB+, whose
  topics are small worlds where one shared word is strong evidence;
- **same lemma** (the usual baseline): mentions of one topic with the same head lemma (spaCy)
  are one event;
- **singletons**: every mention alone (what a system that never merges gets).

Scores: MUC, B³, CEAF-e and CoNLL F1 (their mean) with singletons, by benchmarks/coref_metrics.py.
``--tune`` searches a grid of weights and thresholds for the best CoNLL F1 on the ECB+ *training*
topics and prints the best (dyad.resolve.events took its constants from it); dev is never used
to tune.
``--timing`` also ingests the 772 ECB+ bench texts into a fresh store and times the resolution.
Writes benchmarks/results/event_coref.json and .md.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import platform
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from coref_metrics import conll, partition  # noqa: E402

from dyad.resolve import events as rule  # noqa: E402
from dyad.resolve.dates import read_date  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
PARTICIPANT_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
NO_COUNTRIES = frozenset({"any"})  # ECB+ has no participant countries: one pair key for all mentions


@dataclass(frozen=True, slots=True)
class GoldMention:
    id: str
    topic: str
    doc: str
    sent: int
    tokens: tuple[int, ...]
    text: str
    chain: str


# --- data --------------------------------------------------------------------------------------


def load_ecb(shared: Path, split: str) -> tuple[list[GoldMention], dict[tuple[str, int], list[str]], dict[str, str]]:
    """Gold event mentions, the tokens of their sentences, and the full text of each document."""
    folder = shared / "dev" / "ecbplus"
    mentions = [GoldMention(f"{m['doc_id']}:{m['sent_id']}:{m['tokens_number'][0]}", m["doc_id"].split("_")[0], m["doc_id"],
                            m["sent_id"], tuple(m["tokens_number"]), m["tokens_str"], m["coref_chain"])
                for m in json.loads((folder / f"ECB_{split}_Event_gold_mentions.json").read_text())]
    sentences: dict[tuple[str, int], list[str]] = defaultdict(list)
    for line in (folder / f"ECB_{split}_corpus.txt").read_text().splitlines():
        parts = line.split("\t")
        if len(parts) >= 4:
            sentences[(parts[0], int(parts[1]))].append(parts[3])
    with gzip.open(shared / "dev" / "bench" / "ecbplus_dev_texts.jsonl.gz", "rt") as stream:
        texts = {row["id"]: row["text"] for row in map(json.loads, stream)}
    return mentions, sentences, texts


def load_meantime(shared: Path) -> tuple[list[GoldMention], dict[tuple[str, int], list[str]]]:
    folder = shared / "dev" / "meantime" / "MEANTIME-prep" / "output_data" / "en"
    raw = json.loads((folder / "event_mentions.json").read_text())
    mentions = [GoldMention(m["mention_id"], str(m["topic_id"]), m["conll_doc_key"], m["sent_id"], tuple(m["tokens_number"]),
                            m["tokens_str"], m["coref_chain"]) for m in raw]
    sentences: dict[tuple[str, int], dict[int, str]] = defaultdict(dict)
    for line in (folder / "meantime.conll").read_text().splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and not line.startswith("#"):
            sentences[(parts[0], int(parts[1]))][int(parts[2])] = parts[3]
    return mentions, {key: [words[i] for i in sorted(words)] for key, words in sentences.items()}


def publication_dates(texts: dict[str, str]) -> dict[str, str]:
    """Each document's publication date as dyad's cleaner reads it from the text, where it can."""
    from dyad.clean import clean_document
    from dyad.records import Document

    found = {}
    for doc_id, text in texts.items():
        cleaned = clean_document(Document(doc_id, doc_id, doc_id, "text", text))
        if cleaned.published:
            found[doc_id] = cleaned.published.value
    return found


# --- features ----------------------------------------------------------------------------------


def parse_sentences(sentences: dict[tuple[str, int], list[str]], keys: set[tuple[str, int]]) -> dict:
    """spaCy (dyad's pipeline) over the given sentences, keeping the corpus tokenisation."""
    from spacy.tokens import Doc

    from dyad.extract.nlp import load_nlp

    nlp = load_nlp()
    parsed = {}
    for key in sorted(keys):
        doc = Doc(nlp.vocab, words=sentences[key])
        for _, component in nlp.pipeline:
            doc = component(doc)
        parsed[key] = doc
    return parsed


def _sentence_date(words: list[str], published: str | None):  # noqa: ANN202
    from dyad.extract.timex import find_timexes, resolve

    text = " ".join(words)
    timexes = find_timexes(text)
    for timex in timexes:
        value = resolve(timex, published, timexes).value
        if value is not None:
            return read_date(value.value, value.granularity, value.basis), value.granularity
    if published:
        return read_date(published, "day", "fallback_published"), None
    return None, None


def mention_features(mentions: list[GoldMention], sentences: dict, parsed: dict, published: dict[str, str]
                     ) -> tuple[list[rule.EventFeatures], dict[str, str]]:
    """dyad's features of each mention, and each mention's head lemma (for the baseline)."""
    from dyad.extract.gazetteer import normalise_name

    features, lemmas = [], {}
    named: dict[str, set[str]] = defaultdict(set)  # the entities of each document's sentences read here
    for (doc_id, _), doc in parsed.items():
        named[doc_id].update(normalise_name(e[-1].text if e.label_ == "PERSON" else e.text)
                             for e in doc.ents if e.label_ in PARTICIPANT_LABELS)
    for mention in mentions:
        key = (mention.doc, mention.sent)
        doc, words = parsed[key], sentences[key]
        inside = set(mention.tokens)
        heads = [t for t in (doc[i] for i in mention.tokens if i < len(doc)) if t.head.i not in inside or t.head.i == t.i]
        lemmas[mention.id] = (heads[-1] if heads else doc[mention.tokens[-1]]).lemma_.casefold()
        entities = [e for e in doc.ents if e.label_ in PARTICIPANT_LABELS and not inside & set(range(e.start, e.end))]
        participants = frozenset(normalise_name(e[-1].text if e.label_ == "PERSON" else e.text) for e in entities)
        places = [normalise_name(e.text) for e in entities if e.label_ in PLACE_LABELS]
        span, granularity = _sentence_date(words, published.get(mention.doc))
        precision = {"day": 3, "month": 2, "year": 1}.get(granularity, 0)
        features.append(rule.EventFeatures(
            id=mention.id, article_id=mention.doc, type=mention.topic, status="occurred", date=span,
            participants=participants - {""}, countries=NO_COUNTRIES, place=places[0] if places else None,
            trigger=mention.text, sentence=" ".join(words), sentence_key=mention.sent, precision=precision,
            article_actors=frozenset(named[mention.doc] - {""})))
    return features, lemmas


# --- systems -----------------------------------------------------------------------------------


def dyad_labels(features: list[rule.EventFeatures]) -> dict[str, str]:
    scores = [s for a, b in rule.candidate_pairs(features) if (s := rule.score_pair(a, b)) is not None]
    clusters, _ = rule.cluster_events(features, scores)
    return clusters


def rescore(scored: rule.PairScore, weights: dict) -> rule.PairScore:
    """The rule's score of a pair under other weights (tuning only); penalties are kept."""
    change = sum((weights[name] - rule.WEIGHTS[name]) * scored.evidence[name] for name in rule.WEIGHTS)
    return rule.PairScore(scored.a, scored.b, round(scored.score + change, 6), scored.evidence)


def lemma_labels(mentions: list[GoldMention], lemmas: dict[str, str]) -> dict[str, str]:
    return {m.id: f"{m.topic}:{lemmas[m.id]}" for m in mentions}


def evaluate(mentions: list[GoldMention], labels: dict[str, str]) -> dict:
    key = partition({m.id: m.chain for m in mentions})
    return conll(key, partition(labels))


def prepare(mentions: list[GoldMention], sentences: dict, published: dict[str, str]):  # noqa: ANN201
    parsed = parse_sentences(sentences, {(m.doc, m.sent) for m in mentions})
    return mention_features(mentions, sentences, parsed, published)


def systems(mentions: list[GoldMention], features: list[rule.EventFeatures], lemmas: dict[str, str]) -> dict:
    started = time.perf_counter()
    labels = dyad_labels(features)
    elapsed = time.perf_counter() - started
    with mock.patch.object(rule, "identity", lambda a, b: "not required"):
        ablation = dyad_labels(features)
    return {
        "dyad same-event.v1": evaluate(mentions, labels) | {"seconds": round(elapsed, 2), "pairs_scored": len(rule.candidate_pairs(features))},
        "dyad, identity evidence not required (ablation)": evaluate(mentions, ablation),
        "same lemma (baseline)": evaluate(mentions, lemma_labels(mentions, lemmas)),
        "singletons": evaluate(mentions, {m.id: m.id for m in mentions}),
    }


# --- tuning on train ---------------------------------------------------------------------------


def tune(shared: Path) -> dict:
    """The weights and threshold with the best CoNLL F1 on the ECB+ *training* topics: a grid
    over the participant, trigger and sentence weights (the date takes the rest, at least 0.05)
    and the threshold. The ten best settings are returned."""
    mentions, sentences, texts = load_ecb(shared, "Train")
    features, _ = prepare(mentions, sentences, publication_dates({d: texts[d] for d in {m.doc for m in mentions}}))
    scored = [s for a, b in rule.candidate_pairs(features) if (s := rule.score_pair(a, b)) is not None]
    results = []
    for participants, trigger, sentence in itertools.product((0.1, 0.15, 0.2, 0.25), (0.35, 0.45, 0.55, 0.65), (0.1, 0.2, 0.3)):
        date_weight = round(1 - participants - trigger - sentence, 2)
        if date_weight < 0.05:
            continue
        weights = {"participants": participants, "trigger": trigger, "date": date_weight, "sentence": sentence}
        rescored = [rescore(s, weights) for s in scored]
        for threshold in (0.45, 0.5, 0.55, 0.6, 0.65):
            clusters, _ = rule.cluster_events(features, rescored, threshold=threshold)
            results.append({"conll_f1": evaluate(mentions, clusters)["conll_f1"], "weights": weights, "threshold": threshold})
    results.sort(key=lambda r: (-r["conll_f1"], r["threshold"], sorted(r["weights"].items())))
    return {"pairs": len(scored), "best": results[:10]}


# --- timing ------------------------------------------------------------------------------------


def time_resolution(shared: Path) -> dict:
    """Ingest the bench texts (with extraction) into a fresh store, then time the resolution."""
    from dyad.api import ingest, open_store
    from dyad.settings import load_settings

    with tempfile.TemporaryDirectory() as folder:
        feed = Path(folder) / "bench.jsonl"
        with gzip.open(shared / "dev" / "bench" / "ecbplus_dev_texts.jsonl.gz", "rt") as stream, feed.open("w") as out:
            for row in map(json.loads, stream):
                out.write(json.dumps({"text": row["text"], "url": f"ecbplus:{row['id']}"}) + "\n")
        db = Path(folder) / "bench.db"
        started = time.perf_counter()
        with open_store(db) as store:
            ingest([feed], store=store, settings=load_settings(db_path=db))
            ingest_seconds = time.perf_counter() - started
            started = time.perf_counter()
            store.resolve_across_articles()
            resolve_seconds = time.perf_counter() - started
            counts = {name: store.db.execute(sql).fetchone()[0] for name, sql in {
                "articles": "SELECT count(*) FROM current_articles", "events": "SELECT count(*) FROM events",
                "event_clusters": "SELECT count(DISTINCT cluster_id) FROM event_clusters",
                "multi_source_clusters": "SELECT count(*) FROM (SELECT cluster_id FROM event_clusters c JOIN events e ON e.id = c.event_id"
                                         " GROUP BY cluster_id HAVING count(DISTINCT e.article_id) > 1)",
                "projects": "SELECT count(*) FROM projects", "stories": "SELECT count(*) FROM stories"}.items()}
            stories = story_agreement(store.db)
    return {"ingest_and_extract_seconds": round(ingest_seconds, 1), "resolution_seconds": round(resolve_seconds, 2), **counts,
            "stories_vs_subtopics": stories}


def story_agreement(db) -> dict:  # noqa: ANN001
    """Pairs of articles in one story against pairs in one ECB+ subtopic (a topic's ECB or ECB+
    half: one real-world event each), as precision and recall over article pairs."""
    subtopic = {}
    for article_id, url in db.execute("SELECT id, url FROM current_articles"):
        doc = url.removeprefix("ecbplus:")
        subtopic[article_id] = (doc.split("_")[0], doc.endswith("plus"))
    story = dict(db.execute("SELECT article_id, story_id FROM story_articles").fetchall())
    ids = sorted(subtopic)
    same_story = {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if story.get(a) == story.get(b)}
    same_gold = {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if subtopic[a] == subtopic[b]}
    both = len(same_story & same_gold)
    return {"precision": round(both / len(same_story), 3) if same_story else 0.0,
            "recall": round(both / len(same_gold), 3) if same_gold else 0.0, "subtopics": len(set(subtopic.values()))}


# --- report ------------------------------------------------------------------------------------


def write_report(results: dict, command: str) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "event_coref.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    lines = ["# Event coreference: ECB+ dev and MEANTIME, gold mentions", "",
             f"Run {results['date']} with `{command}` ({results['environment']}).", "",
             "Gold event mentions are clustered by dyad's rule (`dyad.resolve.events`, rule `same-event.v1`: block → pairs →"
             " score → cluster) from what dyad would know of each: its words, its sentence, the entities spaCy finds there,"
             " a date from the sentence or the document's publication date. Topics stand in for dyad's type blocks;"
             " no document clustering. Scores with singletons, CoNLL F1 = mean of MUC, B³ and CEAF-e F1.", ""]
    for corpus in ("ecbplus_dev", "meantime"):
        if corpus not in results:
            continue
        block = results[corpus]
        lines += [f"## {block['name']}", "", block["note"], "",
                  "| system | MUC R | MUC P | MUC F1 | B³ R | B³ P | B³ F1 | CEAF-e R | CEAF-e P | CEAF-e F1 | CoNLL F1 |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for name, s in block["systems"].items():
            cells = [f"{s[m][part] * 100:.1f}" for m in ("muc", "b3", "ceaf_e") for part in ("recall", "precision", "f1")]
            lines.append(f"| {name} | {' | '.join(cells)} | **{s['conll_f1'] * 100:.1f}** |")
        lines.append("")
    lines += ["Published for comparison (ECB+ *test*, gold mentions, with document clustering): lemma baselines in the"
              " 70s CoNLL F1; the best systems about 86.", ""]
    if "timing" in results:
        t = results["timing"]
        lines += ["## Run time on the ECB+ bench texts", "",
                  f"{t['articles']} articles, {t['events']} events: ingest with extraction {t['ingest_and_extract_seconds']} s;"
                  f" resolution (events, plans, projects, stories) {t['resolution_seconds']} s → {t['event_clusters']} event clusters"
                  f" ({t['multi_source_clusters']} reported by more than one article), {t['projects']} project names,"
                  f" {t['stories']} stories.", "",
                  f"Stories against the {t['stories_vs_subtopics']['subtopics']} ECB+ subtopics (each topic's ECB and ECB+ halves"
                  f" report two different real-world events), over pairs of articles: precision"
                  f" {t['stories_vs_subtopics']['precision']}, recall {t['stories_vs_subtopics']['recall']}. Most bench texts state"
                  " no publication date, and an undated article joins a story only by a shared event or project.", ""]
    text = "\n".join(lines)
    (RESULTS / "event_coref.md").write_text(text)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("DYAD_SHARED", REPO.parent / "shared")))
    parser.add_argument("--tune", action="store_true", help="grid-search weights and threshold on ECB+ train; print, write nothing")
    parser.add_argument("--timing", action="store_true", help="also time the resolution on the bench texts")
    args = parser.parse_args()
    if args.tune:
        print(json.dumps(tune(args.shared), indent=2))
        return 0
    command = ".venv/bin/python benchmarks/event_coref.py" + (" --timing" if args.timing else "")
    results = {"date": date.today().isoformat(), "command": command,
               "environment": f"Python {platform.python_version()}, spaCy {version('spacy')}, rapidfuzz {version('rapidfuzz')}",
               "rule": {"name": rule.RULE, "weights": rule.WEIGHTS, "threshold": rule.THRESHOLD}}
    mentions, sentences, texts = load_ecb(args.shared, "Dev")
    docs = {m.doc for m in mentions}
    published = publication_dates({d: texts[d] for d in docs})
    features, lemmas = prepare(mentions, sentences, published)
    results["ecbplus_dev"] = {
        "name": "ECB+ dev (topics 2, 5, 12, 18, 21, 23, 34, 35)",
        "note": f"{len(mentions)} gold event mentions in {len(docs)} documents, {len(set(m.chain for m in mentions))} gold clusters;"
                f" {len(published)} documents with a publication date found by dyad's cleaner.",
        "systems": systems(mentions, features, lemmas)}
    meantime = args.shared / "dev" / "meantime"
    if meantime.exists():
        m_mentions, m_sentences = load_meantime(args.shared)
        m_features, m_lemmas = prepare(m_mentions, m_sentences, {})
        results["meantime"] = {
            "name": "MEANTIME English (4 Wikinews topics)",
            "note": f"{len(m_mentions)} gold event mentions with cross-document annotation in {len({m.doc for m in m_mentions})} documents,"
                    f" {len(set(m.chain for m in m_mentions))} gold clusters; no publication dates in this release.",
            "systems": systems(m_mentions, m_features, m_lemmas)}
    if args.timing:
        results["timing"] = time_resolution(args.shared)
    print(write_report(results, command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
