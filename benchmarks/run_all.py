"""Run every benchmark in benchmarks/, collect the headline metrics into one summary, check the gate.

    .venv/bin/python benchmarks/run_all.py [--fast] [--shared PATH] [--out DIR] [--no-gate]

- full tier (default): each script on its whole development set; each writes its own
  results/<name>.json and .md as when run alone, and this writes results/summary.json and .md.
- fast tier (``--fast``): the seeds in full and fixed small samples of each dev set (the options in
  BENCHMARKS); everything goes to results/fast/ so the full-run files are never overwritten.

The summary has one row per headline metric: dyad's value, the competitor run side by side on
the same data (the tool a user would otherwise pick), a published figure for context, and a
verdict (ahead / level / behind the competitor). Then the gate (benchmarks/gate.py) compares the
metrics with the floors of that tier in benchmarks/baseline.json; a broken floor makes the
command exit 1. A benchmark whose data is absent under --shared is skipped and its metrics are
marked "data absent", which the gate does not count as broken.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
LEVEL = 0.005  # a difference below half a point is "level": the runs are deterministic, the samples are not the task
COMMAND = ".venv/bin/python benchmarks/run_all.py"

Results = dict[str, Any]


@dataclass(frozen=True)
class Metric:
    id: str  # stable key for the gate: "<task>.<measure>"
    task: str
    label: str
    dyad: Callable[[Results], float]
    competitor: str | None = None
    competitor_value: Callable[[Results], float] | None = None
    published: str = "–"
    data: str | None = None  # what it reads under --shared (None: the repository)
    better: str = "higher"  # or "lower"


@dataclass(frozen=True)
class Benchmark:
    name: str  # the script's stem
    results: str  # the results file it writes
    full: tuple[str, ...]
    fast: tuple[str, ...]
    metrics: tuple[Metric, ...]
    takes_shared: bool = True
    argv_from_sys: bool = False  # main() takes no argv: it reads sys.argv (and --out names its folder)


def _seeds_facts(r: Results) -> float:
    must_not = r["by_section"].get("must_not", {"passed": 0, "total": 0})
    return round((r["passed"] - must_not["passed"]) / (r["total"] - must_not["total"]), 4)


HTML_DYAD, TRAF, HTMLDATE = "dyad clean_html", "trafilatura standard", "htmldate original_date=True"
TIMEX_DYAD, TIMEX_NAIVE = "dyad find_timexes + resolve", "dateparser search_dates (naive)"
NER_DYAD, NER_PLAIN = "dyad load_nlp (gazetteer ruler + model)", "spaCy en_core_web_sm (plain)"
ACTOR_DYAD, ACTOR_BASE = "dyad extract_text", "pycountry names (baseline)"
STAND_IN = "stand-in resolver (spaCy NER + pycountry names), same coder"

BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark("html_body_date", "html_body_date.json", (), ("--limit", "40"), (
        Metric("body.f1", "article body (trafilatura eval, 990 pages)", "segment F1",
               lambda r: r["article_body"]["all"][HTML_DYAD]["f1"], TRAF,
               lambda r: r["article_body"]["all"][TRAF]["f1"], "trafilatura 2.2.0, same pages: F 0.924",
               "dev/trafilatura"),
        Metric("date.f1", "publication date (htmldate eval_default, 800 pages)", "day F1",
               lambda r: r["published_date"]["all"][HTML_DYAD]["f1"], HTMLDATE,
               lambda r: r["published_date"]["all"][HTMLDATE]["f1"],
               "htmldate extensive, its own set (adds MediaCloud 2020): F 0.949", "dev/htmldate"),
        Metric("date.accuracy", "publication date (htmldate eval_default, 800 pages)", "day accuracy",
               lambda r: r["published_date"]["all"][HTML_DYAD]["accuracy"], HTMLDATE,
               lambda r: r["published_date"]["all"][HTMLDATE]["accuracy"], data="dev/htmldate"),
    )),
    Benchmark("tempeval", "tempeval.json", (), ("--limit", "25"), (
        Metric("timex.value_f1", "time expressions (TempEval-3 TBAQ)", "value F1 (relaxed extent, same value)",
               lambda r: r["systems"][TIMEX_DYAD]["value"]["F1"], TIMEX_NAIVE,
               lambda r: r["systems"][TIMEX_NAIVE]["value"]["F1"],
               "HeidelTime, TempEval-3 platinum (not TBAQ): value F1 0.776", "dev/tempeval3"),
        Metric("timex.extent_f1", "time expressions (TempEval-3 TBAQ)", "relaxed extent F1",
               lambda r: r["systems"][TIMEX_DYAD]["extent_relaxed"]["F1"], TIMEX_NAIVE,
               lambda r: r["systems"][TIMEX_NAIVE]["extent_relaxed"]["F1"],
               "HeidelTime, TempEval-3 platinum: relaxed extent F1 0.903", "dev/tempeval3"),
    )),
    Benchmark("ner_conll", "ner.json", (), ("--limit", "500", "--re3d-limit", "10"), (
        Metric("ner.conll_f1", "entities (CoNLL++ dev)", "entity F1, PER/ORG/LOC, exact span",
               lambda r: r["conll"]["systems"][NER_DYAD]["micro_per_org_loc"]["F1"], NER_PLAIN,
               lambda r: r["conll"]["systems"][NER_PLAIN]["micro_per_org_loc"]["F1"],
               "spaCy en_core_web_sm on OntoNotes (18 types, other corpus): F 0.85", "dev/conll"),
        Metric("ner.re3d_f1", "actor entity types (re3d)", "relaxed F1, Person/Organisation/Location/Nationality",
               lambda r: r["re3d"]["systems"][NER_DYAD]["relaxed"]["micro_all"]["F1"], NER_PLAIN,
               lambda r: r["re3d"]["systems"][NER_PLAIN]["relaxed"]["micro_all"]["F1"], data="dev/re3d"),
    )),
    Benchmark("actor_resolution", "actor_resolution.json", (), (), (
        Metric("actors.country", "actor resolution (NGEC gold)", "country accuracy",
               lambda r: r["systems"][ACTOR_DYAD]["country"]["accuracy"], ACTOR_BASE,
               lambda r: r["systems"][ACTOR_BASE]["country"]["accuracy"], data="dev/ngec"),
        Metric("actors.sector", "actor resolution (NGEC gold)", "sector (CAMEO code_1) accuracy",
               lambda r: r["systems"][ACTOR_DYAD]["sector"]["accuracy"], "majority class (always GOV)",
               lambda r: r["sector_majority_class"]["accuracy"], data="dev/ngec"),
    )),
    Benchmark("plover_gsr", "plover_gsr.json", (), (), (
        Metric("events.type_accuracy", "event coding (PLOVER gold sentences)", "event-type accuracy",
               lambda r: r["runs"]["dyad"]["event_type_accuracy"], STAND_IN,
               lambda r: r["runs"]["stand-in"]["event_type_accuracy"],
               "MiniLM embeddings + logistic regression: about 0.46", "dev/plover_gsr"),
        Metric("events.macro_f1", "event coding (PLOVER gold sentences)", "macro F1 over types",
               lambda r: r["runs"]["dyad"]["macro_f1"], STAND_IN, lambda r: r["runs"]["stand-in"]["macro_f1"],
               data="dev/plover_gsr"),
        Metric("events.actor_country", "event coding (PLOVER gold sentences)", "actor country accuracy (overlap)",
               lambda r: r["runs"]["dyad"]["actor_country"]["overlap"], STAND_IN,
               lambda r: r["runs"]["stand-in"]["actor_country"]["overlap"], data="dev/plover_gsr"),
        Metric("events.recipient_country", "event coding (PLOVER gold sentences)",
               "recipient country accuracy (overlap)", lambda r: r["runs"]["dyad"]["recipient_country"]["overlap"],
               STAND_IN, lambda r: r["runs"]["stand-in"]["recipient_country"]["overlap"], data="dev/plover_gsr"),
    )),
    Benchmark("event_arguments", "event_arguments.json", (), ("--limit", "25"), (
        Metric("args.rams_participants_f1", "event arguments (RAMS dev: meet, agreement, aid, appointment)",
               "participant F1", lambda r: r["results"][0]["participants_dyad"]["f1"],
               "plain spaCy: every entity of the trigger's sentence",
               lambda r: r["results"][0]["participants_baseline"]["f1"], data="dev/rams"),
        Metric("args.rams_type_recall", "event arguments (RAMS dev: meet, agreement, aid, appointment)",
               "gold events found with the right PLOVER type", lambda r: r["results"][0]["type_recall"], data="dev/rams"),
        Metric("args.wikievents_participants_f1", "event arguments (WikiEvents dev: meet, attack, arrest...)",
               "participant F1", lambda r: r["results"][1]["participants_dyad"]["f1"],
               "plain spaCy: every entity of the trigger's sentence",
               lambda r: r["results"][1]["participants_baseline"]["f1"], data="dev/rams"),
    )),
    Benchmark("seeds_gold", "seeds_gold.json", (), (), (
        Metric("seeds.facts", "seed articles (gold facts)", "share of gold facts produced", _seeds_facts),
        Metric("seeds.must_not_violations", "seed articles (gold facts)", "must-not violations",
               lambda r: r["by_section"]["must_not"]["total"] - r["by_section"]["must_not"]["passed"],
               better="lower"),
    ), takes_shared=False, argv_from_sys=True),
)
NOT_MEASURED: tuple[str, ...] = ()
HELPERS = {"run_all", "gate"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fast", action="store_true", help="the fast tier: seeds plus small fixed samples")
    parser.add_argument("--shared", type=Path, default=_default_shared(),
                        help="shared data folder ($DYAD_SHARED, else ../shared)")
    parser.add_argument("--out", type=Path, default=None, help="results folder (default results/, fast: results/fast/)")
    parser.add_argument("--no-gate", action="store_true", help="write the summary without checking the floors")
    args = parser.parse_args(argv)
    out = args.out or (RESULTS / "fast" if args.fast else RESULTS)
    summary = run(fast=args.fast, shared=args.shared, out=out,
                  command=" ".join([COMMAND, *(argv if argv is not None else sys.argv[1:])]))
    print(markdown(summary))
    if args.no_gate:
        return 0
    import gate

    findings = gate.check(summary, gate.load_baseline())
    print(gate.report(findings))
    return 1 if gate.broken(findings) else 0


def run(fast: bool, shared: Path, out: Path, command: str = COMMAND,
        log: Callable[[str], None] = lambda line: print(line, file=sys.stderr)) -> dict[str, Any]:
    """Run the benchmarks of one tier into ``out``, write summary.json and summary.md there, and
    return the summary."""
    out.mkdir(parents=True, exist_ok=True)
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))  # the scripts import each other's siblings by plain name (gate)
    runs: dict[str, dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    for bench in BENCHMARKS:
        argv = [*(bench.fast if fast else bench.full)]
        if bench.takes_shared and shared.resolve() != _default_shared().resolve():
            argv += ["--shared", str(shared)]  # named only when not the default, so commands stay portable
        runs[bench.name] = _run_one(bench, argv, out)
        log(f"{bench.name}: {runs[bench.name]['status']} ({runs[bench.name]['seconds']} s)")
        results = _read(out / bench.results) if runs[bench.name]["status"] == "ok" else None
        rows += [_row(metric, results, runs[bench.name], shared) for metric in bench.metrics]
    known = {b.name for b in BENCHMARKS} | HELPERS
    summary = {
        "date": date.today().isoformat(),
        "tier": "fast" if fast else "full",
        "command": command,
        "seconds": round(sum(r["seconds"] for r in runs.values()), 1),
        "benchmarks": runs,
        "metrics": rows,
        "not_measured": [*NOT_MEASURED, *(f"benchmarks/{p.name}: a script run_all does not run yet (add it to "
                                          "BENCHMARKS)" for p in sorted(HERE.glob("*.py"))
                                          if p.stem not in known and "__main__" in p.read_text(encoding="utf-8"))],
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "summary.md").write_text(markdown(summary), encoding="utf-8")
    return summary


def _default_shared() -> Path:
    return Path(os.environ.get("DYAD_SHARED") or REPO.parent / "shared")


def _load(name: str) -> ModuleType:
    """A benchmark script as a module, registered under its stem (so worker processes find its
    functions)."""
    if name in sys.modules and getattr(sys.modules[name], "__file__", None) == str(HERE / f"{name}.py"):
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _run_one(bench: Benchmark, argv: list[str], out: Path) -> dict[str, Any]:
    """Run one script's ``main`` in this process with its results folder set to ``out``. A
    script exits 2 when its data is absent: that is a skip, any other failure is recorded."""
    started = time.perf_counter()
    status, detail, saved_argv = "ok", "", sys.argv
    captured = io.StringIO()
    try:
        module = _load(bench.name)
        module.RESULTS = out
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            if bench.argv_from_sys:
                sys.argv = [f"{bench.name}.py", *argv, "--out", str(out)]
                code = module.main()
            else:
                code = module.main(argv)
        if code not in (0, None):
            status, detail = "failed", f"exit {code}"
    except SystemExit as stop:  # the scripts exit 2 with "[B001] ... not found" when their data is absent
        output = captured.getvalue().strip()
        status = "data absent" if stop.code == 2 and "[B001]" in output else "failed"
        detail = (output.splitlines() or [f"exit {stop.code}"])[-1]
    except Exception as error:  # noqa: BLE001 - one broken benchmark must not stop the others
        status, detail = "failed", f"{type(error).__name__}: {error}\n{traceback.format_exc()[-2000:]}"
    finally:
        sys.argv = saved_argv
    run = {"status": status, "argv": argv, "seconds": round(time.perf_counter() - started, 1)}
    if detail:
        run["detail"] = detail
    return run


def _read(path: Path) -> Results | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _row(metric: Metric, results: Results | None, run: dict[str, Any], shared: Path) -> dict[str, Any]:
    row: dict[str, Any] = {"id": metric.id, "task": metric.task, "metric": metric.label, "better": metric.better,
                           "dyad": None, "competitor": metric.competitor, "competitor_value": None,
                           "published": metric.published, "date": None, "command": None}
    if metric.data is not None and not (shared / metric.data).exists():
        return {**row, "status": "data absent"}
    if results is None:
        return {**row, "status": "data absent" if run["status"] == "data absent" else f"benchmark {run['status']}"}
    try:
        row["dyad"] = metric.dyad(results)
        if metric.competitor_value is not None:
            row["competitor_value"] = metric.competitor_value(results)
    except (KeyError, TypeError, ZeroDivisionError) as error:
        return {**row, "status": f"missing in results ({type(error).__name__}: {error})"}
    row.update(date=results.get("date"), command=results.get("command"), status="ok")
    row["verdict"] = verdict(row)
    return row


def verdict(row: dict[str, Any]) -> str:
    """ahead / level / behind the competitor, with the difference; no competitor: say so."""
    if row["competitor_value"] is None:
        return "no competitor run"
    diff = row["dyad"] - row["competitor_value"]
    if row["better"] == "lower":
        diff = -diff
    if abs(diff) < LEVEL:
        return "level"
    return f"{'ahead' if diff > 0 else 'BEHIND'} ({diff:+.3f})"


def markdown(summary: dict[str, Any]) -> str:
    tier = summary["tier"]
    lines = [
        f"# dyad benchmarks: summary ({tier} tier)",
        "",
        f"Run {summary['date']} with `{summary['command']}` ({summary['seconds']} s in all). Each row: dyad and the "
        "tool a user would otherwise pick, on the same data; the published figure is context, usually on other data. "
        "BEHIND means dyad scores below that tool.",
        "",
    ]
    if tier == "fast":
        lines += ["Fast tier: small fixed samples of each dev set (see `argv` in summary.json); the numbers differ "
                  "from the full run and are for the gate, not for comparison with published figures.", ""]
    lines += ["| task | metric | dyad | competitor | competitor's value | published figure | verdict | date | command |",
              "|---|---|---|---|---|---|---|---|---|"]
    for row in summary["metrics"]:
        if row["status"] != "ok":
            lines.append(f"| {row['task']} | {row['metric']} | – | {row['competitor'] or '–'} | – | {row['published']} "
                         f"| not measured: {row['status']} | – | – |")
            continue
        value = _fmt(row["dyad"])
        competitor_value = _fmt(row["competitor_value"]) if row["competitor_value"] is not None else "–"
        lines.append(f"| {row['task']} | {row['metric']} | {value} | {row['competitor'] or '–'} | {competitor_value} | "
                     f"{row['published']} | {row['verdict']} | {row['date']} | `{row['command']}` |")
    behind = [row for row in summary["metrics"] if row["status"] == "ok" and row["verdict"].startswith("BEHIND")]
    lines += ["", "Where dyad is behind the tool it competes with:", ""]
    lines += [f"- {row['task']}, {row['metric']}: dyad {_fmt(row['dyad'])}, {row['competitor']} "
              f"{_fmt(row['competitor_value'])}." for row in behind] or ["- nowhere in this run."]
    failed = {name: run for name, run in summary["benchmarks"].items() if run["status"] != "ok"}
    if failed:
        lines += ["", "Benchmarks that did not run:", ""]
        lines += [f"- {name}: {run['status']}: {run.get('detail', '').splitlines()[0] if run.get('detail') else ''}"
                  for name, run in failed.items()]
    lines += ["", "Not measured yet:", "", *(f"- {item}" for item in summary["not_measured"]), "",
              "Per-benchmark detail: the `<name>.md` files beside this one.", ""]
    return "\n".join(lines)


def _fmt(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.3f}"


if __name__ == "__main__":
    raise SystemExit(main())
