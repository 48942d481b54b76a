"""Exports of articles: JSON Lines (nested, with evidence), CSV (flat) and Parquet (via DuckDB)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from dyad.records import METADATA_FIELDS, Article, MetaValue
from dyad.store import Store

FORMATS = ("jsonl", "csv", "parquet")


def article_record(article: Article, sources: list[tuple[str, str]], *, removed: bool = False, raw: bool = False) -> dict:
    """One article as a plain dict: the values, then each value's evidence."""
    meta = article.metadata()
    record = {
        "id": article.id,
        "key": article.key,
        "version": article.version,
        "supersedes": article.supersedes,
        "source": article.source,
        "locator": article.locator,
        "kind": article.kind,
        **{name: meta[name].value if name in meta else None for name in METADATA_FIELDS},
        "text": article.text,
        "paragraphs": [[p.start, p.end] for p in article.paragraphs],
        "evidence": {name: _meta_dict(value) for name, value in meta.items()},
        "seen_at": [{"source": s, "locator": loc} for s, loc in sources],
    }
    if removed:
        record["removed"] = [{"start": b.start, "end": b.end, "reason": b.reason, "text": b.text} for b in article.removed]
    if raw:
        record["raw"] = article.raw
    return record


def _meta_dict(value: MetaValue) -> dict:
    evidence = value.evidence
    return {
        "value": value.value, "source": value.source, "confidence": value.confidence, "basis": value.basis,
        "layer": evidence.layer if evidence else None, "start": evidence.start if evidence else None,
        "end": evidence.end if evidence else None, "quote": evidence.quote if evidence else None,
    }


def article_records(store: Store, *, all_versions: bool = False, removed: bool = False, raw: bool = False) -> Iterator[dict]:
    for article in store.articles(all_versions=all_versions):
        yield article_record(article, store.sources(article.id), removed=removed, raw=raw)


def flat_record(record: dict) -> dict:
    """A nested record flattened for CSV: evidence as <field>_source/_confidence/_start/_end/_quote,
    lists as JSON text."""
    flat = {k: v for k, v in record.items() if k not in ("evidence", "paragraphs", "seen_at", "removed")}
    for name in METADATA_FIELDS:
        value = record["evidence"].get(name) or {}
        for part in ("source", "confidence", "basis", "start", "end", "quote"):
            flat[f"{name}_{part}"] = value.get(part)
    flat["seen_at"] = json.dumps(record["seen_at"], ensure_ascii=False)
    if "removed" in record:
        flat["removed"] = json.dumps(record["removed"], ensure_ascii=False)
    return flat


def export_articles(store: Store, fmt: str, out: Path | None, stdout: IO[str], *,
                    all_versions: bool = False, removed: bool = False, raw: bool = False) -> int:
    """Write every article in ``fmt``; return how many were written."""
    records = article_records(store, all_versions=all_versions, removed=removed, raw=raw)
    if fmt == "parquet":
        if out is None:
            raise ValueError("parquet export needs an output file (-o FILE)")
        return _write_parquet([flat_record(r) for r in records], out)
    with (out.open("w", encoding="utf-8", newline="") if out else _Unclosed(stdout)) as stream:
        count = 0
        writer = None
        for record in records:
            if fmt == "jsonl":
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                row = flat_record(record)
                if writer is None:
                    writer = csv.DictWriter(stream, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
            count += 1
        return count


def _write_parquet(rows: list[dict], out: Path) -> int:
    import duckdb
    import pyarrow as pa

    if rows:
        table = pa.Table.from_pylist(rows)
    else:
        empty = flat_record(article_record(_EMPTY_ARTICLE, []))
        table = pa.table({name: pa.array([], pa.string()) for name in empty})
    with duckdb.connect() as con:
        con.from_arrow(table).write_parquet(str(out))
    return len(rows)


_EMPTY_ARTICLE = Article(id="", key="", source="", locator="", kind="text", raw="", text="")


class _Unclosed:
    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def __enter__(self) -> IO[str]:
        return self.stream

    def __exit__(self, *exc: object) -> None:
        self.stream.flush()


def actor_record(summary) -> dict:  # noqa: ANN001 - dyad.store.extraction.ActorSummary
    """An actor as exported: identity, aliases, roles with their evidence, and counts."""
    actor = summary.actor
    return {
        "id": actor.id, "name": actor.name, "aliases": list(actor.aliases), "kind": actor.kind,
        "country": actor.country, "sector": actor.sector, "parent": actor.parent,
        "roles": [{"title": r.title, "organization": r.organization, "country": r.country, "since": r.since, "until": r.until,
                   "evidence": {"article_id": r.evidence.article_id, "start": r.evidence.start, "end": r.evidence.end,
                                "quote": r.evidence.quote}} for r in actor.roles],
        "merged_from": list(summary.merged_from), "articles": summary.articles, "mentions": summary.mentions,
    }


def plover_record(event: dict) -> dict:
    """An event in the PLOVER/POLECAT JSON shape (field names as in the PLOVER gold data and
    POLECAT releases), with dyad's status, date granularity and evidence kept as extra fields;
    a clustered event also keeps its reports (``event_ids``) and the articles of each (``sources``)."""
    def party(p: dict) -> dict:
        return {"actorText": p["evidence"]["quote"], "code": p["country"], "sector": p["sector"], "name": p["name"], "id": p["id"]}

    sentence = next(e for e in event["evidence"] if e["field"] == "event")
    trigger = next(e for e in event["evidence"] if e["field"] == "trigger")
    location = event["location"]
    return {
        "event_id": event["id"],
        "event_type": event["type"],
        "event_mode": event["mode"],
        "context": event["context"],
        "event_date": event["date"]["value"] if event["date"] else None,
        "date_granularity": event["date"]["granularity"] if event["date"] else None,
        "date_basis": event["date"]["basis"] if event["date"] else None,
        "actor": [party(p) for p in event["actors"]],
        "recipient": [party(p) for p in event["recipients"]],
        "event_text": trigger["quote"],
        "text": sentence["quote"],
        "story_id": event["article_id"],
        "publisher": event["source"]["outlet"],
        "event_loc": location and {"name": location["name"], "country": location["country"], "lat": location["lat"],
                                   "lon": location["lon"], "id": location["id"]},
        "status": event["status"],
        "confidence": event["confidence"],
        "evidence": event["evidence"],
        **({"event_ids": event["members"], "sources": event["sources"]} if "members" in event else {}),
    }
