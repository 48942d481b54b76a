"""The accuracy gate (benchmarks/gate.py; floors in benchmarks/baseline.json).

The fast tier runs ``benchmarks/run_all.py --fast`` in this process, into a temporary folder: the
seeds in full and small fixed samples of each dev set under $DYAD_SHARED (default ../shared). Each
headline metric must stay at or above its fast-tier floor; a metric whose data is absent is
skipped. The other tests show that the gate fails on a broken floor and will not lower a floor
without a recorded reason.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from conftest import REPO, shared_path

BENCHMARKS = REPO / "benchmarks"
BASELINE = json.loads((BENCHMARKS / "baseline.json").read_text(encoding="utf-8"))


def _module(name: str) -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)


@pytest.fixture(scope="module")
def gate() -> ModuleType:
    return _module("gate")


@pytest.fixture(scope="module")
def fast_summary(tmp_path_factory: pytest.TempPathFactory) -> dict:
    run_all = _module("run_all")
    return run_all.run(fast=True, shared=shared_path(), out=tmp_path_factory.mktemp("fast_tier"), log=lambda _: None)


def _summary(tier: str, **values: float) -> dict:
    """A hand-built summary: ``name_violations`` metrics are counts (lower is better)."""
    return {"tier": tier, "metrics": [
        {"id": metric, "status": "ok", "dyad": value, "better": "lower" if metric.endswith("violations") else "higher"}
        for metric, value in values.items()]}


# --- the fast tier, against the committed floors ---


@pytest.mark.parametrize("name", [b.name for b in _module("run_all").BENCHMARKS])
def test_accuracy_gate_fast_tier_benchmark_runs(fast_summary: dict, name: str) -> None:
    run = fast_summary["benchmarks"][name]
    if run["status"] == "data absent":
        pytest.skip(f"{name}: data absent under {shared_path()}")
    assert run["status"] == "ok", f"{name} {run['status']}: {run.get('detail')}"


@pytest.mark.parametrize("metric", sorted(BASELINE["fast"]))
def test_accuracy_gate_fast_tier_meets_floor(fast_summary: dict, gate: ModuleType, metric: str) -> None:
    finding = next(f for f in gate.check(fast_summary, {"fast": {metric: BASELINE["fast"][metric]}}) if f.metric == metric)
    if finding.status == "data absent":
        pytest.skip(f"{metric}: data absent under {shared_path()}")
    assert finding.status == "ok", (
        f"{metric} = {finding.value}, {finding.bound} in benchmarks/baseline.json (fast tier). If the drop is "
        "intended, lower the floor with benchmarks/gate.py --update-floors --allow-lower \"reason\"")


@pytest.mark.parametrize("tier", ["full", "fast"])
def test_accuracy_gate_every_metric_has_a_floor(tier: str) -> None:
    metrics = {m.id for b in _module("run_all").BENCHMARKS for m in b.metrics}
    assert metrics == set(BASELINE[tier]), "benchmarks/run_all.py metrics and baseline.json floors differ"


@pytest.mark.parametrize("path", [BENCHMARKS / "results" / "summary.json"])
def test_accuracy_gate_committed_summary_meets_full_floors(gate: ModuleType, path: Path) -> None:
    if not path.is_file():
        pytest.skip("no committed full-run summary")
    summary = json.loads(path.read_text(encoding="utf-8"))
    assert summary["tier"] == "full"
    assert not gate.broken(gate.check(summary, BASELINE)), gate.report(gate.check(summary, BASELINE))


# --- the gate itself ---


@pytest.mark.parametrize("tier", ["full", "fast"])
def test_accuracy_gate_fails_on_broken_floor(gate: ModuleType, tmp_path: Path, tier: str) -> None:
    summary = _summary(tier, **{"x.f1": 0.70, "x.violations": 0})
    baseline = {"tolerance": {"full": 0.01, "fast": 0.02}, "full": {}, "fast": {},
                tier: {"x.f1": {"floor": 0.71}, "x.violations": {"ceiling": 0}}}
    findings = gate.check(summary, baseline)
    assert [f.status for f in findings] == ["broken", "ok"]
    assert gate.broken(findings)
    (tmp_path / "summary.json").write_text(json.dumps(summary))
    (tmp_path / "baseline.json").write_text(json.dumps(baseline))
    assert gate.main([str(tmp_path / "summary.json"), "--baseline", str(tmp_path / "baseline.json")]) == 1


@pytest.mark.parametrize("violations, expected", [(0, "ok"), (1, "broken")])
def test_accuracy_gate_ceiling_on_counts(gate: ModuleType, violations: int, expected: str) -> None:
    baseline = {"full": {"x.violations": {"ceiling": 0}}}
    assert [f.status for f in gate.check(_summary("full", **{"x.violations": violations}), baseline)] == [expected]


@pytest.mark.parametrize("raise_by", [0.001])
def test_accuracy_gate_fails_on_deliberately_broken_fast_floor(fast_summary: dict, gate: ModuleType, raise_by: float) -> None:
    """The real fast-tier values against floors set just above them: every one must break."""
    measured = {row["id"]: row["dyad"] for row in fast_summary["metrics"] if row["status"] == "ok"}
    floors = {metric: ({"ceiling": value - 1} if metric.endswith("violations") else {"floor": value + raise_by})
              for metric, value in measured.items()}
    findings = gate.check(fast_summary, {"fast": floors})
    assert measured and all(f.status == "broken" for f in findings)
    assert gate.broken(findings)


@pytest.mark.parametrize("tier", ["full"])
def test_accuracy_gate_missing_metric_fails(gate: ModuleType, tier: str) -> None:
    findings = gate.check(_summary(tier), {tier: {"x.f1": {"floor": 0.5}}})
    assert [f.status for f in findings] == ["missing"] and gate.broken(findings)


@pytest.mark.parametrize("value, floor", [(0.90, 0.89)])
def test_accuracy_gate_update_raises_floor_without_reason(gate: ModuleType, value: float, floor: float) -> None:
    baseline = {"tolerance": {"full": 0.01, "fast": 0.02}, "full": {"x.f1": {"floor": 0.80}}, "fast": {}, "changes": []}
    updated, changes = gate.update_floors(_summary("full", **{"x.f1": value}), baseline, today="2026-01-01")
    assert updated["full"]["x.f1"] == {"floor": floor} and len(changes) == 1
    assert "reason" not in updated["changes"][-1]


@pytest.mark.parametrize("reason", ["gold corrected: 3 sentences re-annotated"])
def test_accuracy_gate_lowering_needs_reason(gate: ModuleType, tmp_path: Path, reason: str) -> None:
    baseline = {"tolerance": {"full": 0.01, "fast": 0.02}, "full": {"x.f1": {"floor": 0.80}}, "fast": {}, "changes": []}
    summary = _summary("full", **{"x.f1": 0.70})
    with pytest.raises(gate.LoweringRefused):
        gate.update_floors(summary, baseline)
    (tmp_path / "summary.json").write_text(json.dumps(summary))
    (tmp_path / "baseline.json").write_text(json.dumps(baseline))
    args = [str(tmp_path / "summary.json"), "--baseline", str(tmp_path / "baseline.json"), "--update-floors"]
    assert gate.main(args) == 1
    assert json.loads((tmp_path / "baseline.json").read_text()) == baseline  # refused: file unchanged
    assert gate.main([*args, "--allow-lower", reason]) == 0
    updated = json.loads((tmp_path / "baseline.json").read_text())
    assert updated["full"]["x.f1"] == {"floor": 0.69}
    assert updated["changes"][-1]["reason"] == reason and updated["changes"][-1]["from"] == 0.80
