#!/usr/bin/env python3
"""Speed of the workbench's queries (dyad.store.queries) on a large store: p50, p95 and max
milliseconds over repeated calls with random dyads, actors, filters, pages and words.

The store is made by scripts/synth_store.py (a million event reports by default):

    .venv/bin/python scripts/synth_store.py /tmp/synth.db --events 1000000
    .venv/bin/python benchmarks/query_speed.py /tmp/synth.db [--calls 200] [--out benchmarks/results/query_speed.md]

Dyads are drawn uniformly from the country pairs with at least 10 events (a pair named together
once or twice is not what an analyst opens), so most are mid-sized and a few heavy; the heaviest
ten are also timed apart. Times are of the Python call, result built (what
the HTTP API then serialises), on a warm page cache after a few warm-up calls.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from dyad.store import Store, queries

TARGETS = {"dyad_view": 200, "dyad_view (10 heaviest dyads)": 200, "dyad_view (heaviest, day-precise range)": 200, "timeline (dyad)": 100, "timeline (actor)": 100,
           "actor_detail": 100}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(call: Callable[[], object], count: int) -> list[float]:
    for _ in range(3):
        call()
    times = []
    for _ in range(count):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--calls", type=int, default=200, help="calls per query kind (default 200)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    store = Store(args.db, readonly=True)
    db = store.db
    reports = db.execute("SELECT count(*) FROM events").fetchone()[0]
    events = db.execute("SELECT count(*) FROM event_index").fetchone()[0]
    dyads = db.execute("SELECT d.lo, d.hi, d.events FROM event_index_dyads d JOIN actors a ON a.id = d.lo AND a.kind = 'country'"
                       " JOIN actors b ON b.id = d.hi AND b.kind = 'country' ORDER BY d.events DESC").fetchall()
    heavy = dyads[:10]
    dyads = [d for d in dyads if d[2] >= 10]
    actors = [r[0] for r in db.execute("SELECT actor_key FROM event_index_actors WHERE events >= 5")]
    event_ids = [r[0] for r in db.execute("SELECT id FROM event_index WHERE rowid IN (SELECT abs(random()) % ? + 1 FROM"
                                          " (SELECT 1 FROM event_index LIMIT 2000))", (events,))]
    words = [w for r in db.execute("SELECT summary FROM event_index WHERE rowid % 9973 = 0 LIMIT 200")
             for w in r[0].split() if w.isalpha() and len(w) > 4]
    types = ["CONSULT", "AGREE", "ASSAULT", "AID", "ACCUSE", "SANCTION"]
    years = [str(y) for y in range(2019, 2026)]

    def dyad() -> tuple[str, str]:
        lo, hi, _ = rng.choice(dyads)
        return (lo, hi) if rng.random() < 0.5 else (hi, lo)

    def filtered_page() -> dict:
        a, b = dyad()
        kind = rng.randrange(5)
        page = {"limit": 50, "offset": 50 * rng.randrange(5)}
        if kind == 0:
            return queries.event_page(db, a=a, b=b, **page)
        if kind == 1:
            return queries.event_page(db, a=a, b=b, type=rng.choice(types), **page)
        if kind == 2:
            year = rng.choice(years)
            return queries.event_page(db, actor=rng.choice(actors), since=f"{year}-01", until=f"{year}-12", **page)
        if kind == 3:
            return queries.event_page(db, type=rng.choice(types), status="occurred", **page)
        return queries.event_page(db, q=rng.choice(words), **page)

    def day_range() -> dict:
        first = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
        return {"since": first.isoformat(), "until": (first + timedelta(days=rng.randrange(30, 700))).isoformat()}

    def map_call() -> dict:
        kind = rng.randrange(4)
        if kind == 0:
            return queries.map_points(db, a=dyad()[0], b=dyad()[1])
        if kind == 1:
            return queries.map_points(db, a=rng.choice(actors))
        if kind == 2:
            return queries.map_points(db, **day_range())
        return queries.map_points(db)

    cases: dict[str, Callable[[], object]] = {
        "dyad_view": lambda: queries.dyad_view(db, *dyad()),
        "dyad_view (10 heaviest dyads)": lambda: queries.dyad_view(db, *rng.choice(heavy)[:2]),
        "dyad_view (heaviest, day-precise range)": lambda: queries.dyad_view(db, *rng.choice(heavy)[:2], **day_range()),
        "timeline (dyad)": lambda: queries.timeline(db, *dyad(), limit=200),
        "timeline (actor)": lambda: queries.timeline(db, rng.choice(actors), limit=200),
        "actor_detail": lambda: queries.actor_detail(db, rng.choice(actors)),
        "actor_page (name search)": lambda: queries.actor_page(db, q=rng.choice(words)[:3]),
        "event_page (filters, pages)": filtered_page,
        "event_detail": lambda: queries.event_detail(db, rng.choice(event_ids)),
        "map_points (dyad, actor, date range or all)": map_call,
        "search": lambda: queries.search(db, rng.choice(words)),
    }
    lines = [f"# Query speed at {reports:,} event reports ({events:,} events after clustering)", "",
             f"Command: `.venv/bin/python benchmarks/query_speed.py {args.db} --calls {args.calls}`"
             f" on a store from `scripts/synth_store.py {args.db} --events {reports}`.", "",
             f"Conditions: {platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores shared with other"
             f" processes (load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())}),"
             f" SQLite {__import__('sqlite3').sqlite_version}, Python {platform.python_version()},"
             f" store {args.db.stat().st_size / 2**30:.1f} GiB, {len(dyads)} country dyads with 10 or more events"
             f" (largest {heavy[0][2]:,} events, median {statistics.median(d[2] for d in dyads):,.0f}).", "",
             "| query | calls | p50 ms | p95 ms | max ms | target p95 |", "|---|---:|---:|---:|---:|---:|"]
    for name, call in cases.items():
        times = measure(call, args.calls)
        target = TARGETS.get(name)
        lines.append(f"| {name} | {len(times)} | {percentile(times, 0.5):.1f} | {percentile(times, 0.95):.1f} | {max(times):.1f} |"
                     f" {f'< {target}' if target else ''} |")
        print(lines[-1], flush=True)
    lines += ["", f"Load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}."]
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", "utf-8")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
