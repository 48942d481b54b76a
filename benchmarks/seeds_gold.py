"""Score dyad on the seed articles against their gold facts (gold/seeds.yaml).

    .venv/bin/python benchmarks/seeds_gold.py [--seeds DIR] [--gold FILE]

Ingests the seeds into a fresh store, then checks every `must` fact (articles, people, aliases,
places, projects, events) and every `must_not`, and writes benchmarks/results/seeds_gold.{json,md}.
Matching follows the gold file's own rules: names case-insensitively on any listed form, dates
on any accepted value, a field left out is not checked.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Fact:
    section: str
    name: str
    passed: bool
    detail: str = ""


@dataclass
class Score:
    facts: list[Fact] = field(default_factory=list)

    def add(self, section: str, name: str, passed: bool, detail: str = "") -> None:
        self.facts.append(Fact(section, name, passed, detail))

    def summary(self) -> dict:
        sections: dict[str, list[int]] = {}
        for fact in self.facts:
            counts = sections.setdefault(fact.section, [0, 0])
            counts[0] += fact.passed
            counts[1] += 1
        return {"passed": sum(f.passed for f in self.facts), "total": len(self.facts),
                "by_section": {k: {"passed": v[0], "total": v[1]} for k, v in sections.items()}}


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().replace("’", "'").split())


def load_store_view(db_path: Path) -> dict:
    """What the checks need from a store: articles by file prefix, actors, events, places."""
    from dyad.store import Store
    from dyad.store.extraction import EventFilter, actor_summaries, event_records

    with Store(db_path) as store:
        articles = {Path(a.source).name[:3]: a for a in store.articles()}
        by_id = {a.id: prefix for prefix, a in articles.items()}
        actors = [s for s in actor_summaries(store.db)]
        mentions: dict[str, set[str]] = {}
        for summary in actors:
            from dyad.store.extraction import merged_ids

            ids = merged_ids(store.db, summary.actor.id)
            rows = store.db.execute(f"SELECT DISTINCT article_id FROM actor_mentions WHERE actor_id IN ({','.join('?' * len(ids))})", ids)
            mentions[summary.actor.id] = {by_id.get(r[0], "?") for r in rows}
        events = event_records(store.db, EventFilter())
        places = [dict(r) for r in store.db.execute("SELECT * FROM places")]
        figures = [dict(r) for r in store.db.execute("SELECT * FROM figures")]
        from dyad.store.resolution import project_records

        projects = project_records(store.db)
    return {"articles": articles, "by_id": by_id, "actors": actors, "mentions": mentions, "events": events,
            "places": places, "figures": figures, "projects": projects}


def _actor_names(summary) -> set[str]:  # noqa: ANN001
    return {_fold(summary.actor.name), *(_fold(a) for a in summary.actor.aliases)}


def find_person(view: dict, names: list[str]):  # noqa: ANN201
    wanted = {_fold(n) for n in names}
    for summary in view["actors"]:
        if summary.actor.kind == "person" and _actor_names(summary) & wanted:
            return summary
    return None


def check_articles(score: Score, gold: dict, view: dict) -> None:
    for expected in gold["articles"]:
        article = view["articles"].get(expected["file"][:3])
        for name in ("title", "outlet", "published", "dateline"):
            if name not in expected:
                continue
            value = getattr(article, name) if article else None
            got = value.value if value else None
            want = None if expected[name] is None else str(expected[name])
            score.add("articles", f"{expected['file'][:3]} {name}", _fold(got) == _fold(want), f"got {got!r}, want {want!r}")
        for line in expected.get("body_must_not_contain", []):
            score.add("must_not", f"{expected['file'][:3]} body without {line!r}", article is not None and line not in article.text)


def _role_matches(role, wanted: dict) -> bool:  # noqa: ANN001
    title, want = _fold(role.title), _fold(wanted["title"])
    if not (title == want or want in title):
        return False
    for bound in ("since", "until"):
        if bound in wanted and not str(getattr(role, bound) or "").startswith(str(wanted[bound])):
            return False
    return True


def check_people(score: Score, gold: dict, view: dict) -> None:
    for person in gold["people"]:
        names = [person["name"], *person.get("aliases", [])]
        found = find_person(view, names)
        label = person["name"]
        score.add("people", f"{label} found", found is not None)
        if found is None:
            continue
        if "country" in person:
            score.add("people", f"{label} country", found.actor.country == person["country"], f"got {found.actor.country}")
        for role in person.get("roles", []):
            ok = any(_role_matches(r, role) for r in found.actor.roles)
            score.add("people", f"{label} role {role['title']}" + "".join(f" {k} {role[k]}" for k in ("since", "until") if k in role),
                      ok, "has: " + "; ".join(f"{r.title} [{r.since}–{r.until}]" for r in found.actor.roles))
        if "mentioned_in" in person:
            seen = view["mentions"].get(found.actor.id, set())
            score.add("people", f"{label} mentioned in {person['mentioned_in']}", set(person["mentioned_in"]) <= seen, f"seen in {sorted(seen)}")


def check_aliases(score: Score, gold: dict, view: dict) -> None:
    for group in gold["aliases_same_actor"]:
        owners = set()
        for name in group:
            owner = next((s.actor.id for s in view["actors"] if _fold(name) in _actor_names(s)), None)
            owners.add(owner)
        score.add("aliases", " = ".join(group), len(owners) == 1 and None not in owners, f"actors: {sorted(map(str, owners))}")
    for token in gold.get("actors_must_not", []):
        bad = [s.actor.id for s in view["actors"] if _fold(token) in _actor_names(s)]
        score.add("must_not", f"no actor named {token!r}", not bad, f"found {bad}")


def check_places(score: Score, gold: dict, view: dict) -> None:
    for place in gold["places"]:
        hits = [p for p in view["places"] if _fold(p["name"]) == _fold(place["name"]) or _fold(p["quote"]) == _fold(place["name"])]
        score.add("places", f"{place['name']} in {place['country']}", any(p["country"] == place["country"] for p in hits),
                  f"got {[(p['name'], p['country']) for p in hits][:3]}")


def _name_key(name: str) -> str:
    """A project name for comparison: folded, dashes without the spaces around them."""
    return re.sub(r"\s*[–—-]\s*", "-", _fold(name))


def check_projects(score: Score, gold: dict, view: dict) -> None:
    """Each gold project is one project with all its names, mentioned in the listed articles,
    with each listed status update quoted from its article."""
    for project in gold.get("projects", []):
        names = [project["name"], *project.get("aliases", [])]
        owners = {}
        for record in view["projects"]:
            known = {_name_key(n) for n in [record["name"], *record["aliases"]]}
            for name in names:
                if _name_key(name) in known:
                    owners[name] = record
        found = next(iter(owners.values()), None)
        label = project["name"]
        score.add("projects", f"{label} = {' = '.join(names[1:])}", len(owners) == len(names) and len({id(r) for r in owners.values()}) == 1,
                  f"found as: {sorted((n, r['id']) for n, r in owners.items())}")
        seen = {view["by_id"].get(m["article_id"], "?") for m in found["mentioned_in"]} if found else set()
        if "mentioned_in" in project:
            score.add("projects", f"{label} mentioned in {project['mentioned_in']}", set(project["mentioned_in"]) <= seen,
                      f"seen in {sorted(seen)}")
        for update in project.get("status_updates", []):
            quotes = [u["quote"] for u in (found["status_updates"] if found else []) if view["by_id"].get(u["article_id"]) == update["article"]]
            score.add("projects", f"{label} status in {update['article']}: {update['quote']!r}",
                      any(_fold(update["quote"]) in _fold(q) for q in quotes), f"got {quotes}")


def _side_matches(participants: list[dict], names: list[str] | None, countries: list[str] | None, view: dict) -> bool:
    if names:
        for name in names:
            person = find_person(view, [name])
            ids = {person.actor.id} if person else set()
            if not any(p["id"] in ids or _fold(p["name"]) == _fold(name) for p in participants):
                return False
    if countries:
        for country in countries:
            if not any(p["country"] == country for p in participants):
                return False
    return True


def event_matches(event: dict, wanted: dict, view: dict) -> list[str]:
    """The fields of a gold event that this event gets wrong (empty: a match)."""
    wrong = []
    if view["by_id"].get(event["article_id"]) != wanted["article"]:
        return ["article"]
    if event["type"] != wanted["type"]:
        return ["type"]
    if "mode" in wanted and event["mode"] != wanted["mode"]:
        wrong.append("mode")
    if "status" in wanted and event["status"] != wanted["status"]:
        wrong.append("status")
    both = event["actors"] + event["recipients"]
    if not _side_matches(event["actors"], wanted.get("actors"), wanted.get("actors_countries"), view):
        # a reciprocal event may list every party as actor; gold's actor may sit on either side
        if not _side_matches(both, wanted.get("actors"), wanted.get("actors_countries"), view):
            wrong.append("actors")
    if not _side_matches(event["recipients"] or both, wanted.get("recipients"), wanted.get("recipients_countries"), view):
        wrong.append("recipients")
    if "date" in wanted:
        value = event["date"]["value"] if event["date"] else None
        if value not in [str(v) for v in wanted["date"]["accept"]]:
            wrong.append("date")
        elif "granularity" in wanted["date"] and event["date"]["granularity"] != wanted["date"]["granularity"]:
            wrong.append("date granularity")
    if "location" in wanted and not (event["location"] and _fold(event["location"]["name"]) == _fold(wanted["location"])):
        wrong.append("location")
    return wrong


def check_events(score: Score, gold: dict, view: dict) -> None:
    for wanted in gold["events"]:
        candidates = [(event_matches(e, wanted, view), e) for e in view["events"]]
        typed = [(w, e) for w, e in candidates if w[:1] not in (["article"], ["type"])]
        best = min(typed, key=lambda item: len(item[0]), default=None)
        score.add("events", wanted["id"], best is not None and not best[0],
                  "no event of this type in the article" if best is None else
                  ("ok" if not best[0] else f"closest is wrong on {', '.join(best[0])}: {best[1]['evidence'][0]['quote'][:90]!r}"))
    for wanted in gold.get("events_must_not", []):
        bad = [e for e in view["events"] if view["by_id"].get(e["article_id"]) == wanted["article"]
               and any(wanted["quote_contains"] in item["quote"] for item in e["evidence"])]
        score.add("must_not", f"no event from {wanted['article']} quoting {wanted['quote_contains']!r}", not bad)


def check_figures(score: Score, gold: dict, view: dict) -> None:
    """A gold figure holds when a figure of that article quotes it with the value (and unit and
    qualifier when given); a stated USD equivalent may sit on the local-currency figure."""
    for wanted in gold.get("figures", []):
        rows = [f for f in view["figures"] if view["by_id"].get(f["article_id"]) == wanted["article"]]
        value = float(wanted["value"])  # YAML 1.1 reads "6.4e9" as text

        def holds(f: dict) -> bool:
            if wanted["quote"] in f["quote"] and abs(f["amount"] - value) < 1e-6 * max(1, value):
                unit_ok = "unit" not in wanted or f["unit"] == wanted["unit"]
                qualifier_ok = "qualifier" not in wanted or _fold(f["qualifier"]).replace(" ", "_") == wanted["qualifier"]
                return unit_ok and qualifier_ok
            return (wanted.get("unit") == "USD" and f["usd"] is not None and abs(f["usd"] - value) < 1
                    and wanted["quote"] in (f["usd_basis"] or ""))
        score.add("figures", f"{wanted['article']} {wanted['quote']}", any(holds(f) for f in rows),
                  f"got {[(f['quote'], f['amount'], f['unit'], f['qualifier']) for f in rows][:4]}")


def score_seeds(seeds: Path, gold_path: Path) -> tuple[Score, float]:
    from dyad.api import ingest, open_store
    from dyad.settings import load_settings

    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "seeds.db"
        started = time.perf_counter()
        with open_store(db) as store:
            ingest([seeds], store=store, settings=load_settings(db_path=db))
        elapsed = time.perf_counter() - started
        view = load_store_view(db)
    score = Score()
    for check in (check_articles, check_people, check_aliases, check_places, check_projects, check_events, check_figures):
        check(score, gold, view)
    return score, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=REPO / "tests" / "fixtures" / "seeds")
    parser.add_argument("--gold", type=Path, default=REPO / "tests" / "fixtures" / "seeds_gold.yaml")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args()
    score, elapsed = score_seeds(args.seeds, args.gold)
    summary = score.summary()
    command = "python benchmarks/seeds_gold.py"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "seeds_gold.json").write_text(json.dumps({
        "date": date.today().isoformat(), "command": command, "ingest_seconds": round(elapsed, 2), **summary,
        "facts": [fact.__dict__ for fact in score.facts]}, indent=2, ensure_ascii=False) + "\n")
    lines = [f"# Seed gold facts: {summary['passed']} of {summary['total']} hold", "",
             f"Run {date.today().isoformat()} with `{command}` (ingest and extraction of the 5 seeds: {elapsed:.1f} s).", "",
             "| section | passed | total |", "|---|---|---|"]
    lines += [f"| {name} | {v['passed']} | {v['total']} |" for name, v in summary["by_section"].items()]
    lines += ["", "## Facts not produced", ""]
    lines += [f"- **{f.section}** {f.name}: {f.detail}" for f in score.facts if not f.passed] or ["- none"]
    (args.out / "seeds_gold.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
