"""The workbench's read model (tables event_index*, migration 0005): one row per real-world event
(cluster) with the analyst's review applied, its participants as search keys, every unordered
pair of them, and a full-text index of its sentence. dyad.store.queries reads only these and the
base tables by primary key, so a dyad or an actor is a few index range scans at any size.

Derived data: ``rebuild`` writes it whole after each resolution (clusters are recomputed then),
``refresh`` rewrites the rows of a few events after a review.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby

from dyad import scores
from dyad.errors import StoreError
from dyad.store import review

SUMMARY_CHARS = 300
_SEP = "\x1f"

# One row per report, its cluster first; participants as "role actor_id" joined by _SEP.
_REPORTS = """
SELECT {cluster} AS cluster_id, e.id, e.article_id, e.type, e.mode, e.status, e.date_value, e.date_granularity,
       e.place_id, e.place_name, e.place_country, e.place_lat, e.place_lon,
       e.sentence_start, e.sentence_end, e.sentence_quote, e.trigger_start, e.trigger_end,
       (SELECT group_concat(p.role || ' ' || p.actor_id, char(31))
          FROM (SELECT role, actor_id FROM event_participants WHERE event_id = e.id ORDER BY role, seq) p) AS parties
FROM {source}
"""


TABLES = ("event_index", "event_index_parties", "event_index_pairs", "event_index_actors", "event_index_dyads",
          "event_index_dyad_months", "event_index_totals", "event_index_place_months")
HIGH = "\U0010ffff"  # sorts after any date text: "2025-11" + HIGH ends November 2025
_BUCKET = "CASE WHEN length(d.day) >= 7 THEN substr(d.day, 1, 7) ELSE d.day END"
_TOTALS = ("INSERT INTO event_index_totals (type, status, events) SELECT type, status, count(*) FROM event_index"
           " WHERE rejected = 0 AND {where} GROUP BY type, status")
_PLACE_MONTHS = ("INSERT INTO event_index_place_months (bucket, place_id, events) SELECT {bucket}, d.place_id, count(*)"
                 " FROM event_index d WHERE d.rejected = 0 AND d.place_id IS NOT NULL AND {where} GROUP BY 1, 2")
_MONTH_ROWS = """
SELECT d.lo, d.hi, {bucket} AS bucket, e.quad, e.status, e.weight, e.place_id,
       (SELECT group_concat(p.actor_key, char(31)) FROM event_index_parties p
         WHERE p.cluster_id = d.cluster_id AND p.kind = 'person') AS people
FROM event_index_pairs d JOIN event_index e ON e.id = d.cluster_id
WHERE {where} ORDER BY d.lo, d.hi, d.day
"""
_DYADS = """
INSERT INTO event_index_dyads (lo, hi, events, scored, weight_sum)
SELECT d.lo, d.hi, count(*), sum(CASE WHEN e.status IN ('occurred', 'ongoing') THEN 1 ELSE 0 END),
       coalesce(sum(CASE WHEN e.status IN ('occurred', 'ongoing') THEN e.weight END), 0)
FROM event_index_pairs d JOIN event_index e ON e.id = d.cluster_id WHERE {where} GROUP BY d.lo, d.hi
"""


def _rows(db: sqlite3.Connection, sql: str, params: tuple | list = ()) -> sqlite3.Cursor:
    cursor = db.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, params)


class ActorBook:
    """Actors as known now: merges followed, names, kinds and countries (held in memory: actors
    are far fewer than events)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.into = dict(db.execute("SELECT from_id, into_id FROM actor_merges WHERE undone_at IS NULL").fetchall())
        self.rows = {r[0]: (r[1], r[2], r[3]) for r in db.execute("SELECT id, name, kind, country FROM actors")}

    def resolve(self, actor_id: str) -> str:
        seen = {actor_id}
        while actor_id in self.into and self.into[actor_id] not in seen:
            actor_id = self.into[actor_id]
            seen.add(actor_id)
        return actor_id

    def name(self, actor_id: str) -> str:
        return self.rows.get(actor_id, (actor_id,))[0]

    def keys(self, actor_id: str) -> list[tuple[str, str | None]]:
        """The search keys of a participant: its id (with its kind) and its country's code."""
        name, kind, country = self.rows.get(actor_id, (actor_id, None, None))
        keys = [(actor_id, kind)]
        if country and country != actor_id:
            keys.append((country, "country"))
        return keys


def rebuild(db: sqlite3.Connection) -> int:
    """Write the read model whole from the base tables (inside the caller's transaction);
    returns the number of events."""
    for table in TABLES:
        db.execute(f"DELETE FROM {table}")  # constant names
    book = ActorBook(db)
    reviews = review.ReviewBook(db)
    clustered = _rows(db, _REPORTS.format(
        cluster="c.cluster_id", source="event_clusters c JOIN events e ON e.id = c.event_id ORDER BY c.cluster_id, e.id"))
    alone = _rows(db, _REPORTS.format(
        cluster="e.id", source="events e JOIN articles a ON a.id = e.article_id"
        " WHERE NOT EXISTS (SELECT 1 FROM event_clusters c WHERE c.event_id = e.id)"
        " AND NOT EXISTS (SELECT 1 FROM articles b WHERE b.key = a.key AND b.version > a.version)"))
    count = _write(db, _clusters(clustered, alone), book, reviews)
    db.execute("INSERT INTO event_index_fts(event_index_fts) VALUES ('rebuild')")
    db.execute("INSERT INTO event_index_actors (actor_key, events) SELECT actor_key, count(DISTINCT cluster_id)"
               " FROM event_index_parties WHERE rejected = 0 GROUP BY actor_key")
    db.execute(_DYADS.format(where="d.rejected = 0"))
    _write_dyad_months(db, _rows(db, _MONTH_ROWS.format(bucket=_BUCKET, where="d.rejected = 0")))
    write_totals(db)
    return count


def write_totals(db: sqlite3.Connection) -> None:
    """The counts per type and status and per place and month (tables cleared by the caller)."""
    db.execute(_TOTALS.format(where="1"))
    db.execute(_PLACE_MONTHS.format(bucket=_BUCKET, where="1"))


def refresh(db: sqlite3.Connection, cluster_ids: Iterable[str]) -> None:
    """Rewrite the rows of these events (after a review), keeping their full-text entries."""
    wanted = sorted(set(cluster_ids))
    if not wanted:
        return
    marks = ",".join("?" * len(wanted))
    old_rowids = dict(db.execute(f"SELECT id, rowid FROM event_index WHERE id IN ({marks})", wanted).fetchall())
    old_fts = _rows(db, f"SELECT rowid, summary FROM event_index WHERE id IN ({marks})", wanted).fetchall()
    for rowid, summary in old_fts:
        db.execute("INSERT INTO event_index_fts(event_index_fts, rowid, summary) VALUES ('delete', ?, ?)", (rowid, summary))
    kinds = {tuple(r) for r in db.execute(f"SELECT type, status FROM event_index WHERE id IN ({marks})", wanted)}
    spots = {tuple(r) for r in db.execute(f"SELECT {_BUCKET}, d.place_id FROM event_index d WHERE d.id IN ({marks})"
                                          " AND d.place_id IS NOT NULL", wanted)}
    keys = {r[0] for r in db.execute(f"SELECT actor_key FROM event_index_parties WHERE cluster_id IN ({marks})", wanted)}
    pairs = {tuple(r) for r in db.execute(f"SELECT lo, hi, {_BUCKET} FROM event_index_pairs d WHERE cluster_id IN ({marks})", wanted)}
    for table, column in (("event_index", "id"), ("event_index_parties", "cluster_id"), ("event_index_pairs", "cluster_id")):
        db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", wanted)
    rows = _rows(db, _REPORTS.format(
        cluster="coalesce(c.cluster_id, e.id)",
        source=f"events e LEFT JOIN event_clusters c ON c.event_id = e.id WHERE coalesce(c.cluster_id, e.id) IN ({marks})"
               " ORDER BY 1, e.id"), wanted)
    _write(db, _clusters(rows), ActorBook(db), review.ReviewBook(db), rowids=old_rowids)
    keys |= {r[0] for r in db.execute(f"SELECT actor_key FROM event_index_parties WHERE cluster_id IN ({marks})", wanted)}
    pairs |= {tuple(r) for r in db.execute(f"SELECT lo, hi, {_BUCKET} FROM event_index_pairs d WHERE cluster_id IN ({marks})", wanted)}
    kinds |= {tuple(r) for r in db.execute(f"SELECT type, status FROM event_index WHERE id IN ({marks})", wanted)}
    spots |= {tuple(r) for r in db.execute(f"SELECT {_BUCKET}, d.place_id FROM event_index d WHERE d.id IN ({marks})"
                                           " AND d.place_id IS NOT NULL", wanted)}
    for event_type, status in kinds:
        db.execute("DELETE FROM event_index_totals WHERE type = ? AND status = ?", (event_type, status))
        db.execute(_TOTALS.format(where="type = ? AND status = ?"), (event_type, status))
    for bucket, place_id in spots:
        db.execute("DELETE FROM event_index_place_months WHERE bucket = ? AND place_id = ?", (bucket, place_id))
        within, params = bucket_days("d.day", bucket)
        db.execute(_PLACE_MONTHS.format(bucket=_BUCKET, where=f"d.place_id = ? AND {within}"), (place_id, *params))
    for key in keys:
        db.execute("DELETE FROM event_index_actors WHERE actor_key = ?", (key,))
        db.execute("INSERT INTO event_index_actors (actor_key, events) SELECT actor_key, count(DISTINCT cluster_id)"
                   " FROM event_index_parties WHERE actor_key = ? AND rejected = 0 GROUP BY actor_key", (key,))
    for lo, hi, bucket in pairs:
        db.execute("DELETE FROM event_index_dyads WHERE lo = ? AND hi = ?", (lo, hi))
        db.execute(_DYADS.format(where="d.lo = ? AND d.hi = ? AND d.rejected = 0"), (lo, hi))
        db.execute("DELETE FROM event_index_dyad_months WHERE lo = ? AND hi = ? AND bucket = ?", (lo, hi, bucket))
        within, params = bucket_days("d.day", bucket)
        _write_dyad_months(db, _rows(db, _MONTH_ROWS.format(bucket=_BUCKET, where=f"d.lo = ? AND d.hi = ? AND d.rejected = 0 AND {within}"),
                                     (lo, hi, *params)))
    for cluster_id in wanted:
        row = db.execute("SELECT rowid, summary FROM event_index WHERE id = ?", (cluster_id,)).fetchone()
        if row:
            db.execute("INSERT INTO event_index_fts(rowid, summary) VALUES (?, ?)", tuple(row))


def bucket_days(column: str, bucket: str) -> tuple[str, list[str]]:
    """SQL selecting the days of a month bucket (a month's days and the month itself; a year or
    '' only itself)."""
    if len(bucket) == 7:
        return f"{column} >= ? AND {column} < ?", [bucket, bucket + HIGH]
    return f"{column} = ?", [bucket]


def _write_dyad_months(db: sqlite3.Connection, rows: Iterable[sqlite3.Row]) -> None:
    """Aggregate pair rows (ordered by pair) into event_index_dyad_months."""
    batch: list[tuple] = []
    for (lo, hi), group in groupby(rows, key=lambda r: (r["lo"], r["hi"])):
        months = aggregate_months(group)
        batch += [(lo, hi, bucket, e["events"], json.dumps(e["counts"]), json.dumps(e["people"]), json.dumps(e["places"]))
                  for bucket, e in months.items()]
        if len(batch) >= 20000:
            _insert_months(db, batch)
    _insert_months(db, batch)


def aggregate_months(rows: Iterable[sqlite3.Row]) -> dict[str, dict]:
    """Pair rows (_MONTH_ROWS) of one pair as bucket -> events, counts per "quad status"
    ([events, summed weight]), people and places (id -> events)."""
    months: dict[str, dict] = {}
    for row in rows:
        entry = months.setdefault(row["bucket"], {"events": 0, "counts": {}, "people": {}, "places": {}})
        entry["events"] += 1
        count = entry["counts"].setdefault(f"{row['quad']} {row['status']}", [0, 0.0])
        count[0] += 1
        count[1] = round(count[1] + row["weight"], 3)
        for person in row["people"].split(_SEP) if row["people"] else ():
            entry["people"][person] = entry["people"].get(person, 0) + 1
        if row["place_id"]:
            entry["places"][row["place_id"]] = entry["places"].get(row["place_id"], 0) + 1
    return months


def month_rows(db: sqlite3.Connection, where: str, params: list) -> sqlite3.Cursor:
    """The rows aggregate_months reads, for pair rows ``d`` matching ``where``."""
    return _rows(db, _MONTH_ROWS.format(bucket=_BUCKET, where=where), params)


def _insert_months(db: sqlite3.Connection, batch: list[tuple]) -> None:
    db.executemany("INSERT INTO event_index_dyad_months (lo, hi, bucket, events, counts, people, places)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
    batch.clear()


def _clusters(*streams: Iterable[sqlite3.Row]) -> Iterator[list[sqlite3.Row]]:
    for stream in streams:
        for _, members in groupby(stream, key=lambda r: r["cluster_id"]):
            yield list(members)


def _write(db: sqlite3.Connection, clusters: Iterable[list[sqlite3.Row]], book: ActorBook,
           reviews: "review.ReviewBook", rowids: dict[str, int] | None = None) -> int:
    count = 0
    events, parties, pairs = [], [], []
    for members in clusters:
        row, party_rows, pair_rows = summarise(members, book, reviews)
        events.append(((rowids or {}).get(row[0]), *row))
        parties.extend(party_rows)
        pairs.extend(pair_rows)
        count += 1
        if len(events) >= 20000:
            _flush(db, events, parties, pairs)
    _flush(db, events, parties, pairs)
    return count


def _flush(db: sqlite3.Connection, events: list, parties: list, pairs: list) -> None:
    db.executemany("INSERT INTO event_index (rowid, id, day, month, type, mode, quad, weight, status, date_value, granularity,"
                   " article_id, summary, place_id, place_name, place_country, place_lat, place_lon, actors, recipients,"
                   " sources, reviewed, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   events)
    db.executemany("INSERT INTO event_index_parties (actor_key, cluster_id, day, kind, type, status, rejected, place_id)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", parties)
    db.executemany("INSERT INTO event_index_pairs (lo, hi, cluster_id, day, type, status, rejected) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   pairs)
    events.clear()
    parties.clear()
    pairs.clear()


def summarise(members: list[sqlite3.Row], book: ActorBook, reviews: "review.ReviewBook") -> tuple[tuple, list, list]:
    """One event's index row, party rows and pair rows from its reports (the cluster's
    representative first), with the review in force applied."""
    cluster_id = members[0]["cluster_id"]
    head = next((m for m in members if m["id"] == cluster_id), members[0])
    ordered = [head, *(m for m in members if m is not head)]
    sides: dict[str, list[str]] = {"actor": [], "recipient": []}
    for member in ordered:
        for party in (member["parties"] or "").split(_SEP) if member["parties"] else ():
            role, actor_id = party.split(" ", 1)
            resolved = book.resolve(actor_id)
            if resolved not in sides[role]:
                sides[role].append(resolved)
    place = head if head["place_id"] else next((m for m in ordered if m["place_id"]), head)
    machine = {"type": head["type"], "mode": head["mode"], "status": head["status"],
               "date": head["date_value"], "granularity": head["date_granularity"],
               "actors": sides["actor"], "recipients": sides["recipient"]}
    state = reviews.state_for(ordered)
    shown = review.apply(machine, state)
    rejected = int(bool(state and state["rejected"]))
    date_value = shown["date"]
    day = date_value if date_value and date_value[:1].isdigit() else ""
    row = (cluster_id, day, day[:7] if len(day) >= 7 else None, shown["type"], shown["mode"],
           scores.quad_class(shown["type"]), scores.weight(shown["type"], shown["mode"]), shown["status"],
           date_value, shown["granularity"], head["article_id"], head["sentence_quote"][:SUMMARY_CHARS],
           place["place_id"], place["place_name"], place["place_country"], place["place_lat"], place["place_lon"],
           json.dumps([[a, book.name(a)] for a in shown["actors"]], ensure_ascii=False),
           json.dumps([[a, book.name(a)] for a in shown["recipients"]], ensure_ascii=False),
           len({m["article_id"] for m in members}),
           json.dumps(review.marker(machine, state), ensure_ascii=False) if state else None, rejected)
    keys_of = [book.keys(a) for a in dict.fromkeys(shown["actors"] + shown["recipients"])]
    kinds = (shown["type"], shown["status"], rejected)
    party_rows = {(key, cluster_id, day, kind, *kinds, place["place_id"]) for keys in keys_of for key, kind in keys}
    pair_rows = set()
    for i, left in enumerate(keys_of):
        for right in keys_of[i + 1:]:
            for a, _ in left:
                for b, _ in right:
                    if a != b:
                        pair_rows.add((min(a, b), max(a, b), cluster_id, day, *kinds))
    return row, sorted(party_rows, key=str), sorted(pair_rows)


def ensure_built(db: sqlite3.Connection) -> None:
    """Build the read model of a store resolved before it existed (migration 0005 creates it empty)."""
    if db.execute("SELECT 1 FROM event_index LIMIT 1").fetchone() is None and \
            db.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None:
        in_transaction = db.in_transaction
        if not in_transaction:
            try:
                if db.execute("PRAGMA query_only").fetchone()[0]:
                    raise sqlite3.OperationalError("the connection is query-only")
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:  # a read-only connection
                raise StoreError(f"[S013] the store's event index is not built yet and this connection cannot write it"
                                 f" ({exc}); run 'dyad extract' once, or any query on a writable connection") from exc
        try:
            if db.execute("SELECT 1 FROM event_index LIMIT 1").fetchone() is None:
                rebuild(db)
            if not in_transaction:
                db.execute("COMMIT")
        except BaseException:
            if not in_transaction:
                db.execute("ROLLBACK")
            raise


def clusters_of_articles(db: sqlite3.Connection, article_ids: Iterable[str]) -> dict[str, list[str]]:
    """article id -> ids of the events (clusters) with a report in it."""
    found: dict[str, list[str]] = defaultdict(list)
    for article_id in article_ids:
        for (cluster_id,) in db.execute(
                "SELECT DISTINCT coalesce(c.cluster_id, e.id) FROM events e LEFT JOIN event_clusters c ON c.event_id = e.id"
                " WHERE e.article_id = ?", (article_id,)):
            found[article_id].append(cluster_id)
    return found
