#!/usr/bin/env python3
"""Build src/dyad/data/plover_scores.json: per PLOVER event type its quad class, its
cooperation(+)/conflict(-) weight, the weights of its modes, and the modes dyad accepts for it.

Reads, under --shared (default $DYAD_SHARED, else ../shared beside the repository):
  data/plover/plover_ontology.json   quad categories, modes and PLOVER's own scores (type, type: mode)
  data/cameo/cameo_master.csv        CAMEO codes with Goldstein scores and their PLOVER type
and src/dyad/data/plover_triggers.tsv (the modes dyad's extractor emits, e.g. AID modes).

The weight is PLOVER's own score (the manual's -10..+10 table, Goldstein-like). One correction:
the manual gives ACCUSE +3 while every ACCUSE mode is negative and the 2019 table had -2, a sign
typo (the ontology file notes it), so ACCUSE is -3. The mean Goldstein score of the CAMEO codes
the CAMEO->PLOVER crosswalk maps to each type is kept beside it (``goldstein_mean``) for
comparison; it is not used. APPOINT, dyad's extension (an appointment to office), is verbal
cooperation with weight 0: it says nothing of the relation between the two sides.

    .venv/bin/python scripts/build_plover_scores.py [--shared DIR] [--check]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "dyad" / "data" / "plover_scores.json"
QUADS = {1: "verbal_cooperation", 2: "material_cooperation", 3: "verbal_conflict", 4: "material_conflict"}
SIGN_TYPOS = {"ACCUSE": -3.0}


def build(shared: Path) -> dict:
    ontology = json.loads((shared / "data/plover/plover_ontology.json").read_text("utf-8"))
    scores = ontology["plover_scores"]
    goldstein: dict[str, list[float]] = defaultdict(list)
    with open(shared / "data/cameo/cameo_master.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["plover_event"] not in ("", "dropped") and row["goldstein_gdelt"]:
                goldstein[row["plover_event"]].append(float(row["goldstein_gdelt"]))
    extractor_modes: dict[str, set[str]] = defaultdict(set)
    for line in (ROOT / "src/dyad/data/plover_triggers.tsv").read_text("utf-8").splitlines():
        cells = line.split("\t")
        if not line.startswith("#") and len(cells) > 4 and cells[3] not in ("type", "-", "") and cells[4]:
            extractor_modes[cells[3]].add(cells[4])
    types = {}
    for entry in ontology["event_types"]:
        name = entry["event"]
        modes = {m["mode"].lower(): scores.get(f"{name}: {m['mode'].capitalize()}", scores.get(f"{name}: {m['mode']}"))
                 for m in entry["modes"]}
        for key, value in scores.items():
            if key.startswith(f"{name}: "):
                modes[key.split(": ", 1)[1].lower()] = value
        for mode in extractor_modes.get(name, ()):
            modes.setdefault(mode.lower(), None)  # a dyad mode PLOVER does not score: the type's weight
        values = goldstein.get(name, [])
        types[name] = {"quad": QUADS[entry["quad_class"]], "weight": SIGN_TYPOS.get(name, scores[name]),
                       "modes": dict(sorted(modes.items())),
                       "goldstein_mean": round(sum(values) / len(values), 2) if values else None}
    types["APPOINT"] = {"quad": "verbal_cooperation", "weight": 0.0,
                        "modes": {m.lower(): None for m in sorted(extractor_modes.get("APPOINT", ()))}, "goldstein_mean": None}
    return {"source": "PLOVER manual scores (plover_ontology.json plover_scores); CAMEO Goldstein means for comparison",
            "built_by": "scripts/build_plover_scores.py", "types": types}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("DYAD_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed file differs")
    args = parser.parse_args()
    text = json.dumps(build(args.shared), indent=1, sort_keys=True) + "\n"
    if args.check:
        same = OUT.exists() and OUT.read_text("utf-8") == text
        print("plover_scores.json up to date" if same else "plover_scores.json differs; rebuild it")
        return 0 if same else 1
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
