"""Shared test helpers: where the fixtures and the shared data live, and a small news corpus."""

from __future__ import annotations

import json
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


# A small corpus of JSON lines for cross-article resolution: one meeting reported by two outlets,
# the same two ministers meeting again on another day, and three plans of which one is reported done.
CORPUS = [
    ("https://one.example/talks", "Outlet One", "Kazakh and Uzbek ministers meet", "2025-03-13",
     "Kazakh Foreign Minister Murat Nurtleu held talks with Uzbek Foreign Minister Bakhtiyor Saidov in Tashkent on March 12, 2025. "
     "The two ministers discussed trade, transit and water sharing between the two countries, according to the ministry."),
    ("https://two.example/talks", "Outlet Two", "Top diplomats hold talks in Tashkent", "2025-03-14",
     "Kazakhstan’s Foreign Minister Murat Nurtleu held talks with his Uzbek counterpart Bakhtiyor Saidov in Tashkent on "
     "March 12, 2025, the ministry said. The sides discussed regional trade, water resources and transport links."),
    ("https://one.example/again", "Outlet One", "Ministers meet again", "2025-04-21",
     "Kazakh Foreign Minister Murat Nurtleu held talks with Uzbek Foreign Minister Bakhtiyor Saidov in Astana on April 20, 2025. "
     "They reviewed progress on water sharing agreed in March, the ministry said in a statement."),
    ("https://three.example/plans", "Outlet Three", "Agreements ahead", "2025-05-02",
     "Kazakhstan and Afghanistan will sign a trade agreement on May 20, 2025, officials in Kabul said on Friday. "
     "Kazakhstan and Turkmenistan will sign a transit agreement on 15 May 2025, officials said in Astana. "
     "Kazakhstan and Pakistan will sign a railway agreement in June 2025, the ministry of transport said."),
    ("https://three.example/signed", "Outlet Three", "Trade deal signed", "2025-05-21",
     "Kazakhstan and Afghanistan signed a trade agreement on May 20, 2025 in Kabul, officials of both governments said at a ceremony."),
]


def write_corpus(folder: Path) -> Path:
    path = folder / "news.jsonl"
    path.write_text("".join(json.dumps({"url": u, "outlet": o, "title": t, "published": p, "text": x}) + "\n"
                            for u, o, t, p, x in CORPUS))
    return path


@pytest.fixture(scope="module")
def news_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with ``CORPUS`` ingested (and extracted, and resolved across articles)."""
    from dyad.api import ingest, open_store
    from dyad.settings import load_settings

    folder = tmp_path_factory.mktemp("news")
    db = folder / "news.db"
    with open_store(db) as store:
        ingest([write_corpus(folder)], store=store, settings=load_settings(db_path=db))
    return db


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the seed articles ingested (extracted, resolved). Read it only; copy it
    (``copy_store``) to change it."""
    from dyad.api import ingest, open_store
    from dyad.settings import load_settings

    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with open_store(db) as store:
        ingest([SEEDS], store=store, settings=load_settings(db_path=db))
    return db


def copy_store(source: Path, target: Path) -> Path:
    """A consistent copy of a store (SQLite's backup API, so a WAL not yet checkpointed comes too)."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target
