"""Score dyad's actor resolution on NGEC's actor-resolution gold (dev/ngec/actor_resolution_gold.jsonl).

Each gold row is an actor as a news text names it ("Mexican authorities", "Vladimir Putin",
"the rebel FDLR force"), sometimes with a query date, and what NGEC's resolver should return:
the actor's country (ISO 3166 alpha-3, "" for none, IGO / UNO / EUR for international bodies)
and its first CAMEO sector code (code_1: GOV, MIL, REB...).

- **dyad** (the real path): ``dyad.extract.extract_text(input, published=query date)``; the actor
  whose mention covers most of the input (the first on a tie) is dyad's answer. Nothing found
  means no country and no sector.
- **dyad registry only** (a diagnostic): ``gazetteer.actor_entries(input)[0].role_on(date)``,
  the Phoenix actor registry without the NLP, for names that are in it.
- **baseline**: pycountry names (name, official and common name; a code only when written in
  capitals) matched against the whole input, then its word n-grams, longest first. Country only.

Scored per check, over the rows that state one:
- country accuracy: the rows with a ``country`` (or ``cc``) expectation. "" expects no country;
  IGO, UNO and EUR all count as the class "IGO", since dyad codes international bodies by sector
  IGO without a country (it does not tell the UN or the EU apart there);
- sector accuracy: the rows with a ``code_1`` expectation; "", UNK (unknown) and JNK (not an
  actor) expect no sector; "????" (undecided in the gold) is left out;
- abstention: the rows that expect no actor at all (``code is None``): right when the system
  gives neither country nor sector.
Rows that check only Wikipedia titles, patterns or code_2 are not scored (dyad has no Wikipedia
index); rows whose input is a placeholder of a parametrized NGEC test are left out. Gold values
that are malformed (a country field holding a sector code, a sector field holding a country code)
are left out and counted. NGEC's optional ``context`` (a country hint) is not used by any system
here. A query date of "today" is pinned to the latest explicit query date in the file, so that the
score does not drift with the calendar.

    .venv/bin/python benchmarks/actor_resolution.py [--shared PATH] [--limit N]

Writes benchmarks/results/actor_resolution.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pycountry

from dyad.extract import extract_text, gazetteer

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
DYAD, REGISTRY, BASELINE = "dyad extract_text", "dyad registry only (diagnostic)", "pycountry names (baseline)"
INTERNATIONAL = {"IGO", "UNO", "EUR"}  # NGEC's non-state "country" codes for international bodies
NO_SECTOR = {"", "UNK", "JNK"}
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y")
_CODE_IN = re.compile(r"code\['code_1'\] in \[(?P<codes>[^\]]*)\]")
_CC = re.compile(r"cc == '(?P<code>[^']*)'")

Answer = tuple[str | None, str | None]  # country (ISO3 or "IGO"), sector


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_shared = os.environ.get("DYAD_SHARED") or REPO.parent / "shared"
    parser.add_argument("--shared", type=Path, default=Path(default_shared), help="shared data folder")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N scorable rows")
    args = parser.parse_args(argv)
    gold_path = args.shared / "dev" / "ngec" / "actor_resolution_gold.jsonl"
    if not gold_path.is_file():
        parser.exit(2, f"[B001] {gold_path} not found: pass --shared PATH or set DYAD_SHARED\n")

    started = time.perf_counter()
    raw_rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    today = max((d for row in raw_rows if (d := parse_date(row["query_date"])) and d != "today"), default=None)
    items, skipped = gold_items(raw_rows, today)
    items = items[: args.limit]
    systems: dict[str, Callable[[str, str | None], Answer]] = {DYAD: dyad_answer, REGISTRY: registry_answer,
                                                               BASELINE: baseline_answer}
    answers = {name: [system(item["input"], item["date"]) for item in items] for name, system in systems.items()}
    sectors = Counter(item["sector"] for item in items if "sector" in item and item["sector"] is not None)
    majority, majority_count = sectors.most_common(1)[0] if sectors else (None, 0)
    scored_sector = sum("sector" in item for item in items)
    results = {
        "date": date.today().isoformat(),
        "command": " ".join([".venv/bin/python", "benchmarks/actor_resolution.py", *(argv if argv is not None else sys.argv[1:])]),
        "environment": {"python": platform.python_version(), "spacy": version("spacy"), "pycountry": version("pycountry")},
        "wall_seconds": round(time.perf_counter() - started, 1),
        "data": {"rows": len(raw_rows), "scored_rows": len(items), "today_pinned_to": today,
                 "rows_with_query_date": sum(item["date"] is not None for item in items), "not_scored": dict(skipped)},
        "systems": {name: score(items, answers[name]) for name in systems},
        "sector_majority_class": {"sector": majority, "accuracy": _share(majority_count, scored_sector)},
        "dyad_errors": _errors(items, answers[DYAD]),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "actor_resolution.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / "actor_resolution.md").write_text(_markdown(results), encoding="utf-8")
    print(_markdown(results))
    return 0


# --- the gold ---


def parse_date(text: str | None) -> str | None:
    """ISO date of a query date as the gold writes it ("2022-01-01", "10 May 2015", "October 1,
    2021"); "today" stays "today"; None or unreadable -> None."""
    if not text:
        return None
    if text.strip().lower() == "today":
        return "today"
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip().title(), pattern).date().isoformat()
        except ValueError:
            continue
    return None


def gold_items(rows: list[dict[str, Any]], today: str | None) -> tuple[list[dict[str, Any]], Counter]:
    """The scorable rows: input, ISO query date, and the expected country / sector / abstention."""
    items: list[dict[str, Any]] = []
    skipped: Counter = Counter()
    for row in rows:
        if not isinstance(row["input"], str):
            skipped["placeholder input of a parametrized test"] += 1
            continue
        when = parse_date(row["query_date"])
        item: dict[str, Any] = {"id": row["test_id"], "method": row["method"], "input": row["input"].strip(),
                                "date": today if when == "today" else when}
        for check in row["expected"]:
            _read_check(check, item, skipped)
        if not {"country", "sector", "abstain"} & item.keys():
            skipped["checks only Wikipedia, pattern or code_2"] += 1
            continue
        items.append(item)
    return items, skipped


def _read_check(check: dict[str, Any], item: dict[str, Any], skipped: Counter) -> None:
    raw = check.get("raw", "")
    field, value = check.get("field"), check.get("value")
    if check.get("op", "==") != "==":
        return
    if field == "country" or _CC.fullmatch(raw):
        code = value if field == "country" else _CC.fullmatch(raw).group("code")
        if code == "" or code in INTERNATIONAL or _is_state(code):
            item["country"] = None if code == "" else ("IGO" if code in INTERNATIONAL else code)
        else:
            skipped["malformed country value"] += 1
    elif field == "code_1":
        if value == "????":
            skipped["sector undecided in the gold (????)"] += 1
        elif _is_state(value):
            skipped["malformed sector value"] += 1
        else:
            item["sector"] = None if value in NO_SECTOR else value
    elif (match := _CODE_IN.fullmatch(raw)) is not None:
        item["sector"] = tuple(code.strip(" '\"") for code in match.group("codes").split(","))
    elif raw.replace(" ", "") in ("codeisNone", "code==None"):
        item["abstain"] = True


def _is_state(code: str) -> bool:
    """An ISO 3166 alpha-3 code, or a user-assigned one dyad's country table knows (XKX, Kosovo)."""
    return bool(pycountry.countries.get(alpha_3=code) or gazetteer.country_name(code))


# --- the systems ---


def dyad_answer(text: str, on: str | None) -> Answer:
    """dyad's pipeline on the text alone: the actor of the longest mention."""
    extraction = extract_text(text, published=on)
    actors = {actor.id: actor for actor in extraction.actors}
    mentions = [m for m in extraction.mentions if m.ref in actors]
    if not mentions:
        return None, None
    best = max(mentions, key=lambda m: (m.evidence.end - m.evidence.start, -m.evidence.start))
    actor = actors[best.ref]
    return actor.country or ("IGO" if actor.sector == "IGO" else None), actor.sector


def registry_answer(text: str, on: str | None) -> Answer:
    entries = gazetteer.actor_entries(text)
    window = entries[0].role_on(on) if entries else None
    if window is None:
        return None, None
    return window.country or ("IGO" if window.sector == "IGO" else None), window.sector


def _pycountry_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if value := getattr(country, attribute, None):
                names.setdefault(value.casefold(), country.alpha_3)
    return names


_NAMES: dict[str, str] = {}


def baseline_answer(text: str, on: str | None) -> Answer:  # noqa: ARG001 - same signature as the others
    """pycountry alone: a country name (or a capitalised code) in the text, longest first."""
    if not _NAMES:
        _NAMES.update(_pycountry_names())
    words = re.findall(r"[\w.’'-]+", text)
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start:start + size]).removesuffix("’s").removesuffix("'s")
            if phrase.casefold().removeprefix("the ") in _NAMES:
                return _NAMES[phrase.casefold().removeprefix("the ")], None
            if size == 1 and phrase.isupper() and len(phrase) in (2, 3):
                found = pycountry.countries.get(alpha_2=phrase) or pycountry.countries.get(alpha_3=phrase)
                if found:
                    return found.alpha_3, None
    return None, None


# --- scoring ---


def score(items: list[dict[str, Any]], answers: list[Answer]) -> dict[str, Any]:
    hits: dict[str, list[bool]] = defaultdict(list)
    for item, (country, sector) in zip(items, answers):
        dated = "with query date" if item["date"] else "no query date"
        if "country" in item:
            ok = country == item["country"]
            hits["country"].append(ok)
            hits[f"country, {dated}"].append(ok)
            hits[f"country, gold {'none' if item['country'] is None else 'IGO' if item['country'] == 'IGO' else 'a state'}"].append(ok)
        if "sector" in item:
            wanted = item["sector"]
            ok = sector in wanted if isinstance(wanted, tuple) else sector == wanted
            hits["sector"].append(ok)
            hits[f"sector, {dated}"].append(ok)
            hits[f"sector, gold {'none' if wanted is None else 'a sector'}"].append(ok)
        if "country" in item and "sector" in item:
            hits["country and sector"].append(hits["country"][-1] and hits["sector"][-1])
        if item.get("abstain"):
            hits["abstention"].append(country is None and sector is None)
    return {key: {"n": len(values), "right": sum(values), "accuracy": _share(sum(values), len(values))}
            for key, values in hits.items()}


def _share(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


def _errors(items: list[dict[str, Any]], answers: list[Answer]) -> list[dict[str, Any]]:
    """dyad's wrong answers by the gold file's test_id, with dyad's answer: the gold rows are read
    in place (the results hold no input text or gold value of the data)."""
    wrong = []
    for item, (country, sector) in zip(items, answers):
        bad_country = "country" in item and country != item["country"]
        wanted = item.get("sector")
        bad_sector = "sector" in item and not (sector in wanted if isinstance(wanted, tuple) else sector == wanted)
        if bad_country or bad_sector:
            wrong.append({"test_id": item["id"], "got": [country, sector]})
    return wrong


# --- report ---


def _markdown(results: dict[str, Any]) -> str:
    data, systems = results["data"], results["systems"]
    names = list(systems)
    keys = [key for key in ("country", "sector", "country and sector", "abstention", "country, with query date",
                            "country, no query date", "sector, with query date", "sector, no query date",
                            "country, gold a state", "country, gold none", "country, gold IGO",
                            "sector, gold a sector", "sector, gold none")
            if key in systems[names[0]]]
    majority = results["sector_majority_class"]
    lines = [
        "# Actor resolution: NGEC's actor-resolution gold",
        "",
        f"Run {results['date']} with `{results['command']}` ({results['wall_seconds']} s; Python "
        f"{results['environment']['python']}, spaCy {results['environment']['spacy']}, pycountry "
        f"{results['environment']['pycountry']}).",
        "",
        f"{data['scored_rows']} of {data['rows']} gold rows scored ({data['rows_with_query_date']} with a query date; "
        f"\"today\" pinned to {data['today_pinned_to']}). Not scored: "
        + "; ".join(f"{reason} {count}" for reason, count in data["not_scored"].items()) + ".",
        "",
        f"- **{DYAD}**: dyad's pipeline on the input text, published = the query date; the actor of the longest mention.",
        f"- **{REGISTRY}**: the Phoenix actor registry looked up by the whole input, role on the query date.",
        f"- **{BASELINE}**: country names from pycountry in the input; no sectors.",
        "",
        "| measure | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for key in keys:
        cells = [f"{systems[name][key]['accuracy']:.3f} ({systems[name][key]['right']}/{systems[name][key]['n']})"
                 if key in systems[name] else "–" for name in names]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Sector by majority class (always {majority['sector']}): {majority['accuracy']:.3f}.",
        "",
        "Country accuracy counts no country as right where the gold has none (\"soldier\", \"two men\"); the "
        "baseline gets those for free, as does any system that abstains.",
        "",
        f"dyad's {len(results['dyad_errors'])} wrong answers are listed in actor_resolution.json (`dyad_errors`).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
