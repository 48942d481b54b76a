"""The accuracy gate: compare a benchmark summary with the pinned floors in benchmarks/baseline.json.

    .venv/bin/python benchmarks/gate.py [SUMMARY] [--baseline FILE] [--update-floors] [--allow-lower REASON]

SUMMARY is a summary.json written by run_all.py (default: results/summary.json); its ``tier``
(full or fast) picks the floors it is held to. Exit 0 when every metric is at or above its
floor (at or below its ceiling, for counts such as must-not violations), 1 when one is broken or
missing, 2 on a usage error. A metric whose data is absent under --shared is reported, not
counted as broken.

``--update-floors`` moves the tier's floors to the summary's values less the tier's tolerance
(counts: to the value itself). It only raises floors: a floor that would go down stays, and the
command says so, unless ``--allow-lower "reason"`` is given; then the reason is recorded with the
change in the baseline file's ``changes`` log, and belongs in the commit message too.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"


@dataclass(frozen=True)
class Finding:
    metric: str
    status: str  # ok, broken, missing, data absent, no floor
    value: float | None
    bound: str  # "floor 0.64" / "ceiling 0" / ""


class LoweringRefused(ValueError):
    """[G001] A floor would go down: pass --allow-lower "reason" to record why."""


def load_baseline(path: Path = BASELINE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def check(summary: dict[str, Any], baseline: dict[str, Any]) -> list[Finding]:
    """Each floor of the summary's tier against the summary's value, then the summary's metrics
    that have no floor yet."""
    tier = summary["tier"]
    floors: dict[str, dict[str, float]] = baseline[tier]
    rows = {row["id"]: row for row in summary["metrics"]}
    findings = []
    for metric, bound in floors.items():
        row = rows.get(metric)
        label = " ".join(f"{kind} {value}" for kind, value in bound.items())
        if row is None or row.get("status") != "ok":
            status = "data absent" if row is not None and row.get("status") == "data absent" else "missing"
            findings.append(Finding(metric, status, None, label))
            continue
        value = row["dyad"]
        ok = value >= bound["floor"] if "floor" in bound else value <= bound["ceiling"]
        findings.append(Finding(metric, "ok" if ok else "broken", value, label))
    findings += [Finding(m, "no floor", rows[m]["dyad"], "") for m in rows if m not in floors and rows[m].get("status") == "ok"]
    return findings


def broken(findings: list[Finding]) -> bool:
    return any(f.status in ("broken", "missing") for f in findings)


def report(findings: list[Finding]) -> str:
    lines = ["Accuracy gate:"]
    for f in findings:
        value = "–" if f.value is None else f"{f.value}"
        mark = {"ok": "ok", "broken": "BROKEN", "missing": "MISSING"}.get(f.status, f.status)
        lines.append(f"  {mark:12} {f.metric:28} {value:>8}  {f.bound}")
    lines.append("  => " + ("FAILED: a metric is below its floor or missing" if broken(findings) else "passed"))
    return "\n".join(lines)


def update_floors(summary: dict[str, Any], baseline: dict[str, Any], allow_lower: str | None = None,
                  today: str | None = None) -> tuple[dict[str, Any], list[str]]:
    """The baseline with the summary's tier moved to its current values (less the tolerance).
    Raises LoweringRefused when a floor would go down and no reason is given."""
    tier = summary["tier"]
    tolerance = float(baseline["tolerance"][tier])
    floors = {metric: dict(bound) for metric, bound in baseline[tier].items()}
    changes, refused = [], []
    for row in summary["metrics"]:
        if row.get("status") != "ok":
            continue
        metric, value = row["id"], row["dyad"]
        kind = "ceiling" if row["better"] == "lower" else "floor"
        target = value if kind == "ceiling" else math.floor(round((value - tolerance) * 1000, 6)) / 1000
        old = floors.get(metric, {}).get(kind)
        lowers = old is not None and (target < old if kind == "floor" else target > old)
        if old == target or (lowers and allow_lower is None):
            if lowers:
                refused.append(f"{metric}: {kind} {old} -> {target}")
            continue
        floors[metric] = {kind: target}
        change = {"date": today or date.today().isoformat(), "tier": tier, "metric": metric, "bound": kind,
                  "from": old, "to": target}
        if lowers:
            change["reason"] = allow_lower
        changes.append(change)
    if refused:
        raise LoweringRefused("[G001] these floors would go down: " + "; ".join(refused)
                              + '. Pass --allow-lower "reason" to lower them; the reason is recorded in '
                              "baseline.json and belongs in the commit message.")
    updated = {**baseline, tier: floors, "changes": [*baseline.get("changes", []), *changes]}
    return updated, [f"{c['metric']}: {c['bound']} {c['from']} -> {c['to']}" for c in changes]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("summary", type=Path, nargs="?", default=HERE / "results" / "summary.json")
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--update-floors", action="store_true", help="raise the tier's floors to the summary's values")
    parser.add_argument("--allow-lower", metavar="REASON", help="with --update-floors: allow floors to go down, recording why")
    args = parser.parse_args(argv)
    if args.allow_lower is not None and not args.update_floors:
        parser.error("--allow-lower goes with --update-floors")
    if args.allow_lower is not None and not args.allow_lower.strip():
        parser.error("--allow-lower needs a reason")
    for path in (args.summary, args.baseline):
        if not path.is_file():
            parser.exit(2, f"[G002] {path} not found: run benchmarks/run_all.py first, or pass the path\n")
    summary, baseline = json.loads(args.summary.read_text(encoding="utf-8")), load_baseline(args.baseline)
    if args.update_floors:
        try:
            updated, changes = update_floors(summary, baseline, args.allow_lower)
        except LoweringRefused as refusal:
            print(refusal, file=sys.stderr)
            return 1
        args.baseline.write_text(json.dumps(updated, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print("\n".join(changes) or "floors unchanged")
        return 0
    findings = check(summary, baseline)
    print(report(findings))
    return 1 if broken(findings) else 0


if __name__ == "__main__":
    raise SystemExit(main())
