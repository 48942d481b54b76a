"""Writing and reading extraction records (actors, roles, places, events, figures) in the
SQLite store. An article's extraction is replaced whole when it is extracted again, so machine
output never piles up; analysts' corrections (a later issue) live in tables of their own."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from dyad.records import Actor, Event, Extraction, Figure, Role
from dyad.resolve.actors import title_key

EXTRACTOR_VERSION = "dyad.extract.v1"
_PER_ARTICLE = ("actor_mentions", "roles", "places", "figures")


def write_extraction(db: sqlite3.Connection, extraction: Extraction) -> None:
    """Replace the stored extraction of one article (inside the caller's transaction)."""
    article_id = extraction.article_id
    db.execute("DELETE FROM event_participants WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)", (article_id,))
    db.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
    for table in _PER_ARTICLE:
        db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))  # table names are constants
    for actor in extraction.actors:
        # Corpus-level identity: the latest attributes win, but a known country or sector is not erased.
        db.execute(
            "INSERT INTO actors (id, name, kind, country, sector, parent) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
            " country = coalesce(excluded.country, actors.country), sector = coalesce(excluded.sector, actors.sector),"
            " parent = coalesce(excluded.parent, actors.parent)",
            (actor.id, actor.name, actor.kind, actor.country, actor.sector, actor.parent))
        db.executemany(
            "INSERT INTO roles (article_id, actor_id, title, organization, country, since, until, start, end, quote)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, actor.id, r.title, r.organization, r.country, r.since, r.until,
              r.evidence.start, r.evidence.end, r.evidence.quote) for r in actor.roles])
    db.executemany(
        "INSERT INTO actor_mentions (article_id, actor_id, label, start, end, quote) VALUES (?, ?, ?, ?, ?, ?)",
        [(article_id, m.ref, m.label, m.evidence.start, m.evidence.end, m.evidence.quote) for m in extraction.mentions if m.ref])
    db.executemany(
        "INSERT INTO places (article_id, place_id, name, country, lat, lon, feature, start, end, quote)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(article_id, p.id, p.name, p.country, p.lat, p.lon, p.feature, *_span(p.evidence)) for p in extraction.places])
    for event in extraction.events:
        _write_event(db, event)
    event_of_figure = {(f.evidence.start, f.evidence.end): e.id for e in extraction.events for f in e.figures}
    db.executemany(
        "INSERT INTO figures (article_id, event_id, kind, amount, unit, qualifier, usd, usd_basis, start, end, quote)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(article_id, event_of_figure.get((f.evidence.start, f.evidence.end)), f.kind, f.amount, f.unit, f.qualifier,
          f.usd, f.usd_basis, f.evidence.start, f.evidence.end, f.evidence.quote) for f in extraction.figures])
    db.execute("INSERT OR REPLACE INTO extractions (article_id, extractor, extracted_at) VALUES (?, ?, ?)",
               (article_id, EXTRACTOR_VERSION, datetime.now(timezone.utc).isoformat(timespec="seconds")))


def _span(evidence) -> tuple:  # noqa: ANN001
    return (evidence.start, evidence.end, evidence.quote) if evidence else (None, None, None)


def _write_event(db: sqlite3.Connection, event: Event) -> None:
    date, place = event.date, event.place
    db.execute(
        "INSERT INTO events (id, article_id, type, mode, context, status, confidence,"
        " date_value, date_granularity, date_basis, date_start, date_end, date_quote,"
        " place_id, place_name, place_country, place_lat, place_lon, place_start, place_end, place_quote,"
        " sentence_start, sentence_end, sentence_quote, trigger_start, trigger_end, trigger_quote)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (event.id, event.article_id, event.type, event.mode, json.dumps(list(event.context)), event.status, event.confidence,
         date.value if date else None, date.granularity if date else None, date.basis if date else None,
         *(_span(date.evidence) if date else (None, None, None)),
         place.id if place else None, place.name if place else None, place.country if place else None,
         place.lat if place else None, place.lon if place else None,
         *(_span(place.evidence) if place else (None, None, None)),
         event.evidence.start, event.evidence.end, event.evidence.quote,
         event.trigger.start, event.trigger.end, event.trigger.quote))
    db.executemany(
        "INSERT INTO event_participants (event_id, role, seq, actor_id, start, end, quote) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(event.id, role, seq, ref.actor_id, ref.evidence.start, ref.evidence.end, ref.evidence.quote)
         for role, refs in (("actor", event.actors), ("recipient", event.recipients)) for seq, ref in enumerate(refs)])


def has_extraction(db: sqlite3.Connection, article_id: str) -> bool:
    """Whether the article has an extraction that need not be redone: one by this extractor or a
    newer one (a store also written by a newer dyad keeps that dyad's output)."""
    row = db.execute("SELECT extractor FROM extractions WHERE article_id = ?", (article_id,)).fetchone()
    return row is not None and not is_older_extractor(row[0])


def is_older_extractor(version: str) -> bool:
    """``dyad.extract.vN`` with N below this extractor's; a version not in that form counts as older."""
    return _generation(version) < _generation(EXTRACTOR_VERSION)


def _generation(version: str) -> int:
    prefix, _, number = version.rpartition(".v")
    return int(number) if prefix == "dyad.extract" and number.isdigit() else -1


# --- reading ----------------------------------------------------------------------------------


def resolved_id(db: sqlite3.Connection, actor_id: str) -> str:
    """Follow active merges: the id an actor is known by now."""
    seen = {actor_id}
    while True:
        row = db.execute("SELECT into_id FROM actor_merges WHERE from_id = ? AND undone_at IS NULL", (actor_id,)).fetchone()
        if row is None or row[0] in seen:
            return actor_id
        actor_id = row[0]
        seen.add(actor_id)


def merged_ids(db: sqlite3.Connection, actor_id: str) -> list[str]:
    """An actor's id and every id merged into it (transitively)."""
    ids, frontier = [actor_id], [actor_id]
    while frontier:
        rows = db.execute("SELECT from_id FROM actor_merges WHERE into_id = ? AND undone_at IS NULL", (frontier.pop(),)).fetchall()
        for (from_id,) in rows:
            if from_id not in ids:
                ids.append(from_id)
                frontier.append(from_id)
    return ids


@dataclass(frozen=True, slots=True)
class ActorSummary:
    actor: Actor
    articles: int
    mentions: int
    merged_from: tuple[str, ...]


def actor_summaries(db: sqlite3.Connection, *, kind: str | None = None) -> Iterator[ActorSummary]:
    """Every actor as known now (merged ids folded in), most mentioned first."""
    rows = db.execute("SELECT * FROM actors WHERE (? IS NULL OR kind = ?)", (kind, kind)).fetchall()
    summaries = []
    for row in rows:
        if resolved_id(db, row["id"]) != row["id"]:
            continue  # shown under the actor it was merged into
        summaries.append(actor_summary(db, row["id"]))
    yield from sorted(summaries, key=lambda s: (-s.mentions, s.actor.name))


def actor_summary(db: sqlite3.Connection, actor_id: str) -> ActorSummary:
    row = db.execute("SELECT * FROM actors WHERE id = ?", (actor_id,)).fetchone()
    ids = merged_ids(db, actor_id)
    marks = ",".join("?" * len(ids))
    aliases = [r[0] for r in db.execute(
        f"SELECT quote FROM actor_mentions WHERE actor_id IN ({marks}) GROUP BY quote ORDER BY count(*) DESC, quote", ids)]
    articles, mentions = db.execute(
        f"SELECT count(DISTINCT article_id), count(*) FROM actor_mentions WHERE actor_id IN ({marks})", ids).fetchone()
    roles = tuple(_role(r) for r in db.execute(
        f"SELECT * FROM roles WHERE actor_id IN ({marks}) ORDER BY coalesce(since, until, ''), title, article_id, start", ids))  # ties in a fixed order
    actor = Actor(row["id"], row["name"], row["kind"], row["country"], row["sector"],
                  tuple(a for a in aliases if a != row["name"]), row["parent"], _dedupe_roles(roles))
    return ActorSummary(actor, articles, mentions, tuple(ids[1:]))


def _role(row: sqlite3.Row) -> Role:
    from dyad.records import Evidence

    return Role(row["title"], Evidence("text", row["start"], row["end"], row["quote"], row["article_id"]),
                row["organization"], row["country"], row["since"], row["until"])


def _dedupe_roles(roles: tuple[Role, ...]) -> tuple[Role, ...]:
    """One entry per title; its period is the widest the articles state, evidence of the first."""
    merged: dict[str, Role] = {}
    for role in roles:
        key = title_key(role.title)
        known = merged.get(key)
        if known is None:
            merged[key] = role
        else:
            merged[key] = Role(known.title, known.evidence, known.organization or role.organization,
                               known.country or role.country, known.since or role.since, known.until or role.until)
    return tuple(merged.values())


def figure_rows(db: sqlite3.Connection, article_id: str) -> list[Figure]:
    from dyad.records import Evidence

    return [Figure(r["kind"], r["amount"], r["unit"], Evidence("text", r["start"], r["end"], r["quote"], article_id),
                   r["qualifier"], r["usd"], r["usd_basis"])
            for r in db.execute("SELECT * FROM figures WHERE article_id = ? ORDER BY start", (article_id,))]


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Filters for listing events; None means no filter. ``actor`` matches an actor id (merges
    followed), a name or an alias; ``pair`` two countries or actors on either side."""

    actor: str | None = None
    pair: tuple[str, str] | None = None
    type: str | None = None
    status: str | None = None
    since: str | None = None
    until: str | None = None


def find_actor_ids(db: sqlite3.Connection, needle: str) -> set[str]:
    """Actor ids that ``needle`` names: an id, a country code, a name or a mentioned alias
    (case-insensitive), with every id merged into them."""
    rows = db.execute(
        "SELECT id FROM actors WHERE id = ? COLLATE NOCASE OR name = ? COLLATE NOCASE OR country = ? COLLATE NOCASE"
        " UNION SELECT actor_id FROM actor_mentions WHERE quote = ? COLLATE NOCASE", (needle, needle, needle, needle)).fetchall()
    found: set[str] = set()
    for (actor_id,) in rows:
        found.update(merged_ids(db, resolved_id(db, actor_id)))
    return found


def event_records(db: sqlite3.Connection, where: EventFilter = EventFilter()) -> list[dict]:
    """Events as plain dicts (participants resolved to actors), ordered by date."""
    rows = db.execute(
        "SELECT e.*, a.outlet, a.title AS article_title, a.source FROM events e JOIN articles a ON a.id = e.article_id"
        " WHERE (? IS NULL OR e.type = ?) AND (? IS NULL OR e.status = ?)"
        # a date whose year is unknown (--12-08) cannot be placed in a range, so a range excludes it
        " AND (? IS NULL OR (e.date_value GLOB '[0-9]*' AND e.date_value >= ?))"
        " AND (? IS NULL OR (e.date_value GLOB '[0-9]*' AND substr(e.date_value, 1, length(?)) <= ?))"
        " ORDER BY coalesce(e.date_value, ''), e.article_id, e.trigger_start",
        (where.type, where.type, where.status, where.status, where.since, where.since,
         where.until, where.until, where.until)).fetchall()
    wanted_actor = find_actor_ids(db, where.actor) if where.actor else None
    pair = (find_actor_ids(db, where.pair[0]), find_actor_ids(db, where.pair[1])) if where.pair else None
    records = []
    for row in rows:
        record = _event_record(db, row)
        ids = {p["raw_id"] for p in record["actors"] + record["recipients"]}
        if wanted_actor is not None and not ids & wanted_actor:
            continue
        if pair is not None and not (_side_has(record, pair[0]) and _side_has(record, pair[1])):
            continue
        records.append(record)
    return records


def event_records_by_id(db: sqlite3.Connection, ids: list[str]) -> dict[str, dict]:
    """The events with these ids, as ``event_records`` makes them."""
    records = {}
    for start in range(0, len(ids), 500):  # SQLite limits the number of parameters
        chunk = ids[start:start + 500]
        rows = db.execute(
            "SELECT e.*, a.outlet, a.title AS article_title, a.source FROM events e JOIN articles a ON a.id = e.article_id"
            f" WHERE e.id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        records.update((row["id"], _event_record(db, row)) for row in rows)
    return records


def _side_has(record: dict, ids: set[str]) -> bool:
    return any(p["raw_id"] in ids or p["country"] in ids for p in record["actors"] + record["recipients"])


def _participant(db: sqlite3.Connection, row: sqlite3.Row) -> dict:
    actor_id = resolved_id(db, row["actor_id"])
    actor = db.execute("SELECT * FROM actors WHERE id = ?", (actor_id,)).fetchone()
    return {"id": actor_id, "raw_id": row["actor_id"], "name": actor["name"] if actor else row["quote"],
            "country": actor["country"] if actor else None, "sector": actor["sector"] if actor else None,
            "kind": actor["kind"] if actor else None,
            "evidence": {"start": row["start"], "end": row["end"], "quote": row["quote"]}}


def _event_record(db: sqlite3.Connection, row: sqlite3.Row) -> dict:
    participants = db.execute("SELECT * FROM event_participants WHERE event_id = ? ORDER BY role, seq", (row["id"],)).fetchall()
    article = row["article_id"]
    evidence = [{"field": "event", "article_id": article, "start": row["sentence_start"], "end": row["sentence_end"], "quote": row["sentence_quote"]},
                {"field": "trigger", "article_id": article, "start": row["trigger_start"], "end": row["trigger_end"], "quote": row["trigger_quote"]}]
    for p in participants:
        evidence.append({"field": p["role"], "article_id": article, "start": p["start"], "end": p["end"], "quote": p["quote"]})
    if row["date_start"] is not None:
        evidence.append({"field": "date", "article_id": article, "start": row["date_start"], "end": row["date_end"], "quote": row["date_quote"]})
    if row["place_start"] is not None:
        evidence.append({"field": "location", "article_id": article, "start": row["place_start"], "end": row["place_end"], "quote": row["place_quote"]})
    figures = [{"kind": f["kind"], "amount": f["amount"], "unit": f["unit"], "qualifier": f["qualifier"], "usd": f["usd"],
                "usd_basis": f["usd_basis"], "evidence": {"article_id": article, "start": f["start"], "end": f["end"], "quote": f["quote"]}}
               for f in db.execute("SELECT * FROM figures WHERE event_id = ? ORDER BY start", (row["id"],))]
    for figure in figures:
        evidence.append({"field": "figure", **figure["evidence"]})
    return {
        "id": row["id"], "article_id": article, "type": row["type"], "mode": row["mode"],
        "context": json.loads(row["context"]), "status": row["status"], "confidence": row["confidence"],
        "actors": [_participant(db, p) for p in participants if p["role"] == "actor"],
        "recipients": [_participant(db, p) for p in participants if p["role"] == "recipient"],
        "date": {"value": row["date_value"], "granularity": row["date_granularity"], "basis": row["date_basis"]} if row["date_value"] else None,
        "location": {"id": row["place_id"], "name": row["place_name"], "country": row["place_country"],
                     "lat": row["place_lat"], "lon": row["place_lon"]} if row["place_id"] else None,
        "figures": figures,
        "evidence": evidence,
        "source": {"outlet": row["outlet"], "title": row["article_title"], "path": row["source"]},
    }
