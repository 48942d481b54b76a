"""Shared test helpers: where the fixtures and the shared data live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SEEDS = FIXTURES / "seeds"


def shared_path() -> Path:
    """The shared data folder: $DYAD_SHARED, or ../shared beside the repository."""
    return Path(os.environ.get("DYAD_SHARED", REPO.parent / "shared"))


def require_shared(*parts: str) -> Path:
    """A path under the shared folder, or skip the test when it is absent."""
    path = shared_path().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found: {path} (set DYAD_SHARED)")
    return path


@pytest.fixture(scope="session")
def seeds_gold() -> dict:
    return yaml.safe_load((FIXTURES / "seeds_gold.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))
