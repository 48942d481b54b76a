"""Event arguments on RAMS and WikiEvents dev: does dyad find the meet / agreement / aid /
appointment events (and, on WikiEvents, attacks, arrests, protests, threats, requests) at the
gold trigger, with the right PLOVER type, and name the gold participants as its actors and
recipients?

    .venv/bin/python benchmarks/event_arguments.py [--shared PATH]

Beside dyad runs the baseline a user would otherwise write: plain spaCy, every person,
organisation, country and nationality entity of the trigger's sentence taken as a participant.
Participants match when their character spans overlap. Places and times are not participants.
Writes benchmarks/results/event_arguments.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"

# Gold event type prefixes → the PLOVER type dyad should give.
RAMS_FAMILIES = {
    "contact.discussion.meet": "CONSULT", "contact.negotiate.meet": "CONSULT", "contact.requestadvise.meet": "CONSULT",
    "contact.commitmentpromiseexpressintent.meet": "CONSULT", "contact.collaborate.meet": "CONSULT",
    "government.agreements": "AGREE",
    "transaction.transaction.giftgrantprovideaid": "AID", "transaction.transfermoney.giftgrantprovideaid": "AID",
    "transaction.transferownership.giftgrantprovideaid": "AID",
    "personnel.startposition": "APPOINT", "personnel.elect": "APPOINT",
}
WIKIEVENTS_FAMILIES = {
    "Contact.Contact.Meet": "CONSULT", "Contact.RequestCommand": "REQUEST", "Contact.ThreatenCoerce": "THREATEN",
    "Conflict.Attack": "ASSAULT", "Conflict.Demonstrate": "PROTEST", "Justice.ArrestJailDetain": "COERCE",
}
NOT_PARTICIPANT = ("place", "time", "instrument", "weapon", "artifact", "money", "topic", "crime")
BASELINE_LABELS = {"PERSON", "ORG", "GPE", "NORP"}


@dataclass
class GoldEvent:
    text: str
    trigger: tuple[int, int]
    family: str
    plover: str
    participants: list[tuple[int, int]]


@dataclass
class Tally:
    events: int = 0
    found: int = 0
    typed: int = 0
    gold_participants: int = 0
    dyad_hits: int = 0
    dyad_named: int = 0
    dyad_right: int = 0
    base_hits: int = 0
    base_named: int = 0
    base_right: int = 0
    by_family: dict = field(default_factory=dict)


def _family(event_type: str, families: dict[str, str]) -> str | None:
    return next((prefix for prefix in families if event_type.startswith(prefix)), None)


def _role_is_participant(role: str) -> bool:
    return not any(word in role.lower() for word in NOT_PARTICIPANT)


def read_rams(path: Path) -> list[GoldEvent]:
    events = []
    for line in path.open(encoding="utf-8"):
        doc = json.loads(line)
        tokens = [t for sentence in doc["sentences"] for t in sentence]
        starts, offset = [], 0
        for token in tokens:
            starts.append(offset)
            offset += len(token) + 1
        text = " ".join(tokens)
        span = lambda s, e: (starts[s], starts[e] + len(tokens[e]))  # noqa: E731
        for start, end, types in doc["evt_triggers"]:
            family = _family(types[0][0], RAMS_FAMILIES)
            if family is None:
                continue
            participants = [span(*arg) for trig, arg, role in doc["gold_evt_links"]
                            if tuple(trig) == (start, end) and _role_is_participant(role.split("arg")[-1][2:])]
            events.append(GoldEvent(text, span(start, end), family, RAMS_FAMILIES[family], participants))
    return events


def read_wikievents(path: Path) -> list[GoldEvent]:
    events = []
    for line in path.open(encoding="utf-8"):
        doc = json.loads(line)
        offsets = [(tok[1], tok[2]) for sentence in doc["sentences"] for tok in sentence[0]]
        entities = {e["id"]: e for e in doc["entity_mentions"]}
        span = lambda s, e: (offsets[s][0], offsets[e - 1][1])  # noqa: E731 - WikiEvents ends are exclusive
        for mention in doc["event_mentions"]:
            family = _family(mention["event_type"], WIKIEVENTS_FAMILIES)
            if family is None:
                continue
            trigger = mention["trigger"]
            participants = [span(entities[a["entity_id"]]["start"], entities[a["entity_id"]]["end"])
                            for a in mention["arguments"] if a["entity_id"] in entities and _role_is_participant(a["role"])]
            events.append(GoldEvent(doc["text"], span(trigger["start"], trigger["end"]), family,
                                    WIKIEVENTS_FAMILIES[family], participants))
    return events


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(events: list[GoldEvent]) -> Tally:
    import spacy

    from dyad.extract import extract_text
    from dyad.extract.nlp import MODEL

    plain = spacy.load(MODEL)
    tally = Tally()
    extractions: dict[str, object] = {}
    for gold in events:
        family = tally.by_family.setdefault(gold.family, {"events": 0, "found": 0, "typed": 0})
        tally.events += 1
        family["events"] += 1
        tally.gold_participants += len(gold.participants)
        if gold.text not in extractions:
            extractions[gold.text] = extract_text(gold.text.replace("\n\n", "\n"))
        extraction = extractions[gold.text]
        at_trigger = [e for e in extraction.events if _overlaps((e.trigger.start, e.trigger.end), gold.trigger)]
        if at_trigger:
            tally.found += 1
            family["found"] += 1
            event = next((e for e in at_trigger if e.type == gold.plover), at_trigger[0])
            if event.type == gold.plover:
                tally.typed += 1
                family["typed"] += 1
            named = [(r.evidence.start, r.evidence.end) for r in event.actors + event.recipients]
            tally.dyad_named += len(named)
            tally.dyad_right += sum(any(_overlaps(n, g) for g in gold.participants) for n in named)
            tally.dyad_hits += sum(any(_overlaps(n, g) for n in named) for g in gold.participants)
        sentence = next((s for s in plain(gold.text).sents if s.start_char <= gold.trigger[0] < s.end_char), None)
        baseline = [(e.start_char, e.end_char) for e in (sentence.ents if sentence is not None else []) if e.label_ in BASELINE_LABELS]
        tally.base_named += len(baseline)
        tally.base_right += sum(any(_overlaps(n, g) for g in gold.participants) for n in baseline)
        tally.base_hits += sum(any(_overlaps(n, g) for n in baseline) for g in gold.participants)
    return tally


def _prf(right: int, named: int, hits: int, gold: int) -> dict:
    p = right / named if named else 0.0
    r = hits / gold if gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def report(name: str, tally: Tally) -> dict:
    return {
        "dataset": name, "events": tally.events,
        "trigger_recall": round(tally.found / tally.events, 3) if tally.events else 0.0,
        "type_accuracy_at_found": round(tally.typed / tally.found, 3) if tally.found else 0.0,
        "type_recall": round(tally.typed / tally.events, 3) if tally.events else 0.0,
        "participants_dyad": _prf(tally.dyad_right, tally.dyad_named, tally.dyad_hits, tally.gold_participants),
        "participants_baseline": _prf(tally.base_right, tally.base_named, tally.base_hits, tally.gold_participants),
        "by_family": tally.by_family,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("DYAD_SHARED", REPO.parent / "shared")))
    parser.add_argument("--limit", type=int, help="only the first N gold events of each set (the fast tier)")
    args = parser.parse_args(argv)
    folder = args.shared / "dev" / "rams"
    if not folder.is_dir():
        print(f"[B001] RAMS/WikiEvents data not found: {folder}")
        sys.exit(2)
    started = time.perf_counter()
    limit = slice(None, args.limit)
    results = [report("RAMS dev", score(read_rams(folder / "dev.jsonlines")[limit])),
               report("WikiEvents dev", score(read_wikievents(folder / "wikievents_dev.jsonl")[limit]))]
    elapsed = time.perf_counter() - started
    command = " ".join([".venv/bin/python benchmarks/event_arguments.py", *(argv if argv is not None else sys.argv[1:])])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "event_arguments.json").write_text(json.dumps(
        {"date": date.today().isoformat(), "command": command, "seconds": round(elapsed, 1), "results": results}, indent=2) + "\n")
    lines = ["# Event arguments: RAMS and WikiEvents dev", "",
             f"Run {date.today().isoformat()} with `{command}` ({elapsed:.0f} s).", "",
             "Gold events of the families dyad codes (RAMS: meet, agreement, aid, appointment; WikiEvents: meet, request,"
             " threaten, attack, demonstrate, arrest). *Found*: a dyad event whose trigger overlaps the gold trigger."
             " Participants: gold arguments other than places, times, instruments and topics; dyad's are its actors and"
             " recipients; the baseline takes every PERSON/ORG/GPE/NORP entity of the trigger's sentence (plain spaCy).", "",
             "| data | events | trigger found | right type (of found) | right type (of all) | participants P / R / F1 dyad | baseline P / R / F1 |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        d, b = r["participants_dyad"], r["participants_baseline"]
        lines.append(f"| {r['dataset']} | {r['events']} | {r['trigger_recall']} | {r['type_accuracy_at_found']} | {r['type_recall']} | "
                     f"{d['precision']} / {d['recall']} / {d['f1']} | {b['precision']} / {b['recall']} / {b['f1']} |")
    lines += ["", "By family (events / found / right type):", ""]
    for r in results:
        for family, counts in sorted(r["by_family"].items()):
            lines.append(f"- {r['dataset']} `{family}`: {counts['events']} / {counts['found']} / {counts['typed']}")
    lines += ["", "The baseline names every entity near the trigger: high recall, low precision, and no event type;"
              " dyad names only the parties its parse links to the trigger, and abstains otherwise."]
    (RESULTS / "event_arguments.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
