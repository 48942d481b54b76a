"""The analyst workbench's queries: pages of events, one event with its evidence, a dyad's events
and monthly cooperation-conflict scores, actors, map points and search. Every function takes the
store's connection (``Store.db``) and returns plain JSON-able dicts and lists.

Event ids are cluster ids (one real-world event, possibly reported by many articles). Lists read
the read model (dyad.store.event_index), where analysts' reviews are applied: corrected values
are shown with ``reviewed`` naming the review and the machine's values; rejected events are left
out unless ``include_rejected``. An actor or side (``actor``, ``a``, ``b``) is an actor id (merges
followed), a country code (matching the country's government, people and bodies too) or an
exact actor name.
"""

from __future__ import annotations

import json
import re
import sqlite3

from dyad.scores import PLANNED_STATUSES, QUADS, SCORED_STATUSES
from dyad.store import review
from dyad.store.event_index import aggregate_months, bucket_days, clusters_of_articles, ensure_built, month_rows

MAX_LIMIT = 500
DYAD_EVENTS = 500      # events a dyad view lists (the latest); its months count them all
COUNTERPARTS = 20
_WORD = re.compile(r"\w+", re.UNICODE)
_HIGH = "\U0010ffff"   # sorts after any date text: "2025-11" + _HIGH ends November 2025


# --- events ----------------------------------------------------------------------------------------


def event_page(db: sqlite3.Connection, *, actor: str | None = None, a: str | None = None, b: str | None = None,
               type: str | None = None, status: str | None = None, since: str | None = None,  # noqa: A002 - the API's name
               until: str | None = None, q: str | None = None, limit: int = 50, offset: int = 0,
               include_rejected: bool = False) -> dict:
    """Events matching every filter given, the latest first, with the total that match."""
    limit, offset = _page(limit, offset)
    ensure_built(db)
    sides = [_key(db, s) for s in (a, b) if s]
    if actor:
        sides.append(_key(db, actor))
    sides = list(dict.fromkeys(sides))
    if len(sides) >= 2:
        lo, hi = sorted(sides[:2])
        driver, params = "event_index_pairs d", [lo, hi]
        where = ["d.lo = ?", "d.hi = ?"]
        extra = sides[2:]
    elif sides:
        driver, params, where, extra = "event_index_parties d", [sides[0]], ["d.actor_key = ?"], []
    else:
        driver, params, where, extra = None, [], [], []
    day = "d.day" if driver else "e.day"
    for key in extra:
        where.append("EXISTS (SELECT 1 FROM event_index_parties p WHERE p.cluster_id = e.id AND p.actor_key = ?)")
        params.append(key)
    for column, value in (("type", type.upper() if type else None), ("status", status)):
        if value:
            where.append(f"{'d' if driver else 'e'}.{column} = ?")  # in the driver's index: counted there
            params.append(value)
    _date_range(where, params, day, since, until)
    if q:
        where.append("e.rowid IN (SELECT rowid FROM event_index_fts WHERE event_index_fts MATCH ?)")
        params.append(_fts_query(q))
    if not include_rejected:
        where.append("d.rejected = 0" if driver else "e.rejected = 0")
    source = f"{driver} JOIN event_index e ON e.id = d.cluster_id" if driver else "event_index e"
    order = f"{day} DESC, {'d.cluster_id' if driver else 'e.id'} DESC"
    clause = " AND ".join(where) or "1"
    rows = db.execute(f"SELECT e.* FROM {source} WHERE {clause} ORDER BY {order} LIMIT ? OFFSET ?",
                      [*params, limit, offset]).fetchall()
    if not (driver or q or since or until or include_rejected):
        total = _total(db, type.upper() if type else None, status)
    else:
        # Counting needs the events only for a word search or a second actor; else the driver's index answers.
        counted = source if (q or extra or not driver) else driver
        total = db.execute(f"SELECT count(*) FROM {counted} WHERE {clause}", params).fetchone()[0]
    return {"items": [_summary(r) for r in rows], "total": total, "limit": limit, "offset": offset}


def event_detail(db: sqlite3.Connection, event_id: str) -> dict | None:
    """One event: its summary, each field with the words that say it, every report of it (one per
    article sentence), its links to plans it fulfils or that it was planned as, review history."""
    ensure_built(db)
    row = db.execute("SELECT cluster_id FROM event_clusters WHERE event_id = ?", (event_id,)).fetchone()
    cluster_id = row[0] if row else event_id
    shown = db.execute("SELECT * FROM event_index WHERE id = ?", (cluster_id,)).fetchone()
    if shown is None:
        return None
    members = db.execute(
        "SELECT e.*, a.title, a.outlet, a.published, a.url FROM events e JOIN articles a ON a.id = e.article_id"
        " JOIN (SELECT event_id AS id FROM event_clusters WHERE cluster_id = ? UNION SELECT ?) m ON m.id = e.id",
        (cluster_id, cluster_id)).fetchall()
    members.sort(key=lambda m: (m["id"] != cluster_id, m["article_id"], m["trigger_start"]))
    head = members[0]
    record = _summary(shown)
    record["fields"] = _fields(db, shown, members)
    record["sources"] = [{"event_id": m["id"], "article_id": m["article_id"], "title": m["title"], "outlet": m["outlet"],
                          "published": m["published"], "url": m["url"],
                          "sentence": _evidence(m["article_id"], m["sentence_start"], m["sentence_end"], m["sentence_quote"]),
                          "trigger": _evidence(m["article_id"], m["trigger_start"], m["trigger_end"], m["trigger_quote"])}
                         for m in members]
    record["links"] = [{"kind": "fulfils", "event_id": r[0]} for r in db.execute(
        "SELECT from_cluster FROM event_links WHERE to_cluster = ? ORDER BY from_cluster", (cluster_id,))] + \
        [{"kind": "fulfilled_by", "event_id": r[0]} for r in db.execute(
            "SELECT to_cluster FROM event_links WHERE from_cluster = ? ORDER BY to_cluster", (cluster_id,))]
    record["history"] = review.history(db, cluster_id)
    record["context"] = list(dict.fromkeys(c for m in members for c in json.loads(m["context"])))
    record["confidence"] = max(m["confidence"] for m in members)
    record["article_id"] = head["article_id"]
    return record


def article_events(db: sqlite3.Connection, article_id: str, *, include_rejected: bool = False) -> list[dict]:
    """The events an article reports (each as the whole real-world event), in text order."""
    ensure_built(db)
    ids = clusters_of_articles(db, [article_id]).get(article_id, [])
    rows = {r["id"]: r for r in _index_rows(db, ids)}
    return [_summary(rows[i]) for i in ids if i in rows and (include_rejected or not rows[i]["rejected"])]


def timeline(db: sqlite3.Connection, a: str, b: str | None = None, *, since: str | None = None, until: str | None = None,
             limit: int = MAX_LIMIT, offset: int = 0, include_rejected: bool = False) -> dict:
    """Dated events of an actor, or between two, oldest first, compact."""
    limit, offset = _page(limit, offset)
    ensure_built(db)
    driver, where, params = _side_driver(db, a, b)
    where.append("d.day > ''")
    _date_range(where, params, "d.day", since, until)
    if not include_rejected:
        where.append("d.rejected = 0")
    clause = " AND ".join(where)
    rows = db.execute(f"SELECT e.* FROM {driver} JOIN event_index e ON e.id = d.cluster_id WHERE {clause}"
                      " ORDER BY d.day, d.cluster_id LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    total = db.execute(f"SELECT count(*) FROM {driver} WHERE {clause}", params).fetchone()[0]
    items = [{"id": r["id"], "date": r["date_value"], "granularity": r["granularity"], "type": r["type"], "mode": r["mode"],
              "quad": r["quad"], "status": r["status"], "actors": _refs(r["actors"]), "recipients": _refs(r["recipients"]),
              "summary": r["summary"], "sources": r["sources"], "reviewed": r["reviewed"] is not None} for r in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


# --- dyads ------------------------------------------------------------------------------------------


def dyad_view(db: sqlite3.Connection, a: str, b: str, *, since: str | None = None, until: str | None = None,
              limit: int = DYAD_EVENTS, include_rejected: bool = False) -> dict:
    """Two sides' events (the latest ``limit``, in date order; undated first), their score and
    counts per month, and the people and places in them. A month's ``score`` sums the weights
    (dyad.scores) of the events that occurred or are ongoing; ``by_quad`` counts those;
    ``planned`` counts planned and proposed events apart; ``events`` counts all."""
    ensure_built(db)
    lo, hi = sorted((_key(db, a), _key(db, b)))
    where, params = ["d.lo = ?", "d.hi = ?"], [lo, hi]
    _date_range(where, params, "d.day", since, until)
    if not include_rejected:
        where.append("d.rejected = 0")
    rows = db.execute(f"SELECT e.* FROM event_index_pairs d JOIN event_index e ON e.id = d.cluster_id WHERE {' AND '.join(where)}"
                      " ORDER BY d.day DESC, d.cluster_id DESC LIMIT ?", [*params, max(0, min(int(limit), 5000))]).fetchall()
    buckets = _pair_buckets(db, lo, hi, since, until, include_rejected)
    months = []
    for bucket in sorted(b for b in buckets if len(b) == 7):
        entry = buckets[bucket]
        month = {"month": bucket, "score": 0.0, "events": entry["events"], "by_quad": dict.fromkeys(QUADS, 0), "planned": 0}
        for key, (count, weight_sum) in entry["counts"].items():
            quad, status = key.split(" ")
            if status in SCORED_STATUSES:
                month["score"] = round(month["score"] + weight_sum, 2)
                month["by_quad"][quad] += count
            elif status in PLANNED_STATUSES:
                month["planned"] += count
        months.append(month)
    people = _top(buckets, "people", 50)
    names = _names(db, [lo, hi, *people])
    return {"a": _ref(_key(db, a), names), "b": _ref(_key(db, b), names),
            "total": sum(e["events"] for e in buckets.values()),
            "events": [_summary(r) for r in reversed(rows)], "months": months,
            "people": [{"id": p, "name": names.get(p, p), "events": n} for p, n in people.items()],
            "places": _places(db, _top(buckets, "places", 100))}


def _pair_buckets(db: sqlite3.Connection, lo: str, hi: str, since: str | None, until: str | None,
                  include_rejected: bool) -> dict[str, dict]:
    """A pair's events in the range, per month bucket (event_index.aggregate_months): whole
    months from event_index_dyad_months, the months the range cuts (and every month when
    rejected events are wanted, which that table leaves out) from the events themselves."""
    found: dict[str, dict] = {}
    if include_rejected:
        where, params = ["d.lo = ?", "d.hi = ?"], [lo, hi]
        _date_range(where, params, "d.day", since, until)
        return aggregate_months(month_rows(db, " AND ".join(where), params))
    for row in db.execute("SELECT bucket, events, counts, people, places FROM event_index_dyad_months WHERE lo = ? AND hi = ?",
                          (lo, hi)):
        share = _bucket_share(row["bucket"], since, until)
        if share == "all":
            found[row["bucket"]] = {"events": row["events"], "counts": json.loads(row["counts"]),
                                    "people": json.loads(row["people"]), "places": json.loads(row["places"])}
        elif share == "some":
            within, params = bucket_days("d.day", row["bucket"])
            where, params = ["d.lo = ?", "d.hi = ?", "d.rejected = 0", within], [lo, hi, *params]
            _date_range(where, params, "d.day", since, until)
            found.update(aggregate_months(month_rows(db, " AND ".join(where), params)))
    return found


def _bucket_share(bucket: str, since: str | None, until: str | None) -> str:
    """How much of a month bucket the range [since, until] takes: all, some or none (the same
    rule as _date_range: a bucket holds the days that start with it)."""
    if not bucket:
        return "none" if since or until else "all"
    shares = []
    if since:
        shares.append("all" if bucket >= since else "some" if len(bucket) == 7 and since.startswith(bucket) else "none")
    if until:
        if bucket.startswith(until) or bucket < until and not until.startswith(bucket):
            shares.append("all")
        elif until.startswith(bucket):
            shares.append("some" if len(bucket) == 7 else "all")
        else:
            shares.append("none")
    return "none" if "none" in shares else "some" if "some" in shares else "all"


def _top(buckets: dict[str, dict], part: str, count: int) -> dict[str, int]:
    totals: dict[str, int] = {}
    for entry in buckets.values():
        for key, n in entry[part].items():
            totals[key] = totals.get(key, 0) + n
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:count])


def _places(db: sqlite3.Connection, counts: dict[str, int]) -> list[dict]:
    places = []
    for place_id, n in counts.items():
        row = db.execute("SELECT place_name, place_country, place_lat, place_lon FROM event_index WHERE place_id = ? LIMIT 1",
                         (place_id,)).fetchone()
        if row:
            places.append({"place_id": place_id, "name": row[0], "country": row[1], "lat": row[2], "lon": row[3], "events": n})
    return places


# --- actors -----------------------------------------------------------------------------------------


def actor_page(db: sqlite3.Connection, *, q: str | None = None, kind: str | None = None, limit: int = 50,
               offset: int = 0) -> dict:
    """Actors as known now (merged spellings folded in), those in most events first; ``q``
    matches a part of the name or the id."""
    limit, offset = _page(limit, offset)
    ensure_built(db)
    where = ["NOT EXISTS (SELECT 1 FROM actor_merges m WHERE m.from_id = a.id AND m.undone_at IS NULL)"]
    params: list = []
    if q:
        where.append("(a.name LIKE ? ESCAPE '\\' OR a.id = ?)")
        params += ["%" + re.sub(r"([\\%_])", r"\\\1", q) + "%", q]
    if kind:
        where.append("a.kind = ?")
        params.append(kind)
    clause = " AND ".join(where)
    rows = db.execute(
        "SELECT a.id, a.name, a.kind, a.country, a.sector, coalesce(n.events, 0) AS events FROM actors a"
        f" LEFT JOIN event_index_actors n ON n.actor_key = a.id WHERE {clause}"
        " ORDER BY events DESC, a.name, a.id LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    total = db.execute(f"SELECT count(*) FROM actors a WHERE {clause}", params).fetchone()[0]
    return {"items": [dict(r) for r in rows], "total": total, "limit": limit, "offset": offset}


def actor_detail(db: sqlite3.Connection, actor_id: str, *, events: int = 50) -> dict | None:
    """An actor: names it goes by, roles it held (with evidence), the sides it has most events
    with (``weight``: the mean weight of those that occurred), and its latest events."""
    from dyad.store.extraction import merged_ids

    ensure_built(db)
    key = _key(db, actor_id)
    row = db.execute("SELECT * FROM actors WHERE id = ?", (key,)).fetchone()
    if row is None:
        return None
    ids = merged_ids(db, key)
    marks = ",".join("?" * len(ids))
    aliases = [r[0] for r in db.execute(
        f"SELECT quote FROM actor_mentions WHERE actor_id IN ({marks}) GROUP BY quote ORDER BY count(*) DESC, quote LIMIT 50", ids)
        if r[0] != row["name"]]
    roles = [{"title": r["title"], "organization": r["organization"], "country": r["country"], "since": r["since"],
              "until": r["until"], "evidence": _evidence(r["article_id"], r["start"], r["end"], r["quote"])}
             for r in db.execute(f"SELECT * FROM roles WHERE actor_id IN ({marks}) ORDER BY coalesce(since, until, ''), title LIMIT 200", ids)]
    counterparts = db.execute(
        "SELECT other, events, scored, weight_sum FROM ("
        " SELECT hi AS other, events, scored, weight_sum FROM event_index_dyads WHERE lo = ?"
        " UNION ALL SELECT lo, events, scored, weight_sum FROM event_index_dyads WHERE hi = ?)"
        " ORDER BY events DESC, other LIMIT ?", (key, key, COUNTERPARTS)).fetchall()
    names = _names(db, [r[0] for r in counterparts])
    latest = db.execute(
        "SELECT e.* FROM event_index_parties d JOIN event_index e ON e.id = d.cluster_id"
        " WHERE d.actor_key = ? AND d.rejected = 0 ORDER BY d.day DESC, d.cluster_id DESC LIMIT ?",
        (key, max(0, min(int(events), MAX_LIMIT)))).fetchall()
    total = db.execute("SELECT events FROM event_index_actors WHERE actor_key = ?", (key,)).fetchone()
    return {"id": key, "name": row["name"], "kind": row["kind"], "country": row["country"], "sector": row["sector"],
            "parent": row["parent"], "merged_from": ids[1:], "aliases": aliases, "roles": roles,
            "counterparts": [{"id": r[0], "name": names.get(r[0], r[0]), "events": r[1],
                              "weight": round(r[3] / r[2], 2) if r[2] else None} for r in counterparts],
            "events": [_summary(r) for r in latest], "total_events": total[0] if total else 0}


# --- map and search -------------------------------------------------------------------------------


def map_points(db: sqlite3.Connection, *, a: str | None = None, b: str | None = None, since: str | None = None,
               until: str | None = None, include_rejected: bool = False) -> dict:
    """Where the matching events took place: per place (with coordinates) and per country of
    the place."""
    ensure_built(db)
    if a and b:
        lo, hi = sorted((_key(db, a), _key(db, b)))
        counts = _top(_pair_buckets(db, lo, hi, since, until, include_rejected), "places", 10**9)
    elif a or b or include_rejected:
        where, params = ["d.place_id IS NOT NULL"], []
        if a or b:
            source = "event_index_parties d"
            where.append("d.actor_key = ?")
            params.append(_key(db, a or b))
        else:
            source = "event_index d"
        _date_range(where, params, "d.day", since, until)
        if not include_rejected:
            where.append("d.rejected = 0")
        counts = dict(db.execute(f"SELECT d.place_id, count(*) AS n FROM {source} WHERE {' AND '.join(where)}"
                                 " GROUP BY d.place_id ORDER BY n DESC, d.place_id", params).fetchall())
    else:
        counts = _place_counts(db, since, until)
    places = _places(db, counts)
    countries: dict[str, int] = {}
    for place in places:
        if place["country"]:
            countries[place["country"]] = countries.get(place["country"], 0) + place["events"]
    return {"places": places,
            "countries": [{"iso3": c, "events": n} for c, n in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))]}


def _place_counts(db: sqlite3.Connection, since: str | None, until: str | None) -> dict[str, int]:
    """Events per place in the range, from whole month buckets (event_index_place_months) and
    the events of the months the range cuts."""
    totals: dict[str, int] = {}
    buckets = [r[0] for r in db.execute("SELECT DISTINCT bucket FROM event_index_place_months")]
    for bucket in buckets:
        share = _bucket_share(bucket, since, until)
        if share == "all":
            rows = db.execute("SELECT place_id, events FROM event_index_place_months WHERE bucket = ?", (bucket,))
        elif share == "some":
            within, params = bucket_days("d.day", bucket)
            where = ["d.rejected = 0", "d.place_id IS NOT NULL", within]
            _date_range(where, params, "d.day", since, until)
            rows = db.execute(f"SELECT d.place_id, count(*) FROM event_index d WHERE {' AND '.join(where)} GROUP BY d.place_id", params)
        else:
            continue
        for place_id, n in rows:
            totals[place_id] = totals.get(place_id, 0) + n
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))


def _total(db: sqlite3.Connection, event_type: str | None, status: str | None) -> int:
    """Events (not rejected) of a type and status, either or neither, from event_index_totals."""
    return db.execute("SELECT coalesce(sum(events), 0) FROM event_index_totals WHERE (? IS NULL OR type = ?)"
                      " AND (? IS NULL OR status = ?)", (event_type, event_type, status, status)).fetchone()[0]


def search(db: sqlite3.Connection, q: str, *, limit: int = 20, include_rejected: bool = False) -> dict:
    """Articles (title and text) and events (their sentence) matching every word of ``q``: the
    best matches first when there are at most RANKED of them, else the latest stored (ranking
    every match of a common word in a large store takes seconds)."""
    limit, _ = _page(limit, 0)
    ensure_built(db)
    match = _fts_query(q)
    if not match:
        return {"articles": [], "events": []}
    article_ids = _fts_rowids(db, "articles_fts", match, limit)
    articles = [r for i in article_ids for r in db.execute(
        "SELECT id, title, outlet, published, dateline, url FROM articles WHERE rowid = ?", (i,))]
    events = [r for i in _fts_rowids(db, "event_index_fts", match, limit * 2) for r in db.execute(
        f"SELECT * FROM event_index WHERE rowid = ?{'' if include_rejected else ' AND rejected = 0'}", (i,))][:limit]
    return {"articles": [dict(r) for r in articles], "events": [_summary(r) for r in events]}


RANKED = 2000


def _fts_rowids(db: sqlite3.Connection, table: str, match: str, limit: int) -> list[int]:
    latest = [r[0] for r in db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
                                       (match, RANKED + 1))]
    if len(latest) > RANKED:
        return latest[:limit]
    return [r[0] for r in db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?", (match, limit))]


# --- helpers ----------------------------------------------------------------------------------------


def _key(db: sqlite3.Connection, side: str) -> str:
    """The index key a side names: an actor id (followed through merges), a country code, or
    an exact name."""
    from dyad.store.extraction import resolved_id

    side = side.strip()
    if db.execute("SELECT 1 FROM actors WHERE id = ?", (side,)).fetchone():
        return resolved_id(db, side)
    if db.execute("SELECT 1 FROM event_index_actors WHERE actor_key = ?", (side.upper(),)).fetchone():
        return side.upper()  # a country code with no actor row of its own
    row = db.execute("SELECT id FROM actors WHERE name = ? COLLATE NOCASE ORDER BY kind = 'country' DESC, id LIMIT 1",
                     (side,)).fetchone()
    return resolved_id(db, row[0]) if row else side


def _side_driver(db: sqlite3.Connection, a: str, b: str | None) -> tuple[str, list[str], list]:
    if b:
        lo, hi = sorted((_key(db, a), _key(db, b)))
        return "event_index_pairs d", ["d.lo = ?", "d.hi = ?"], [lo, hi]
    return "event_index_parties d", ["d.actor_key = ?"], [_key(db, a)]


def _date_range(where: list[str], params: list, day: str, since: str | None, until: str | None) -> None:
    """Dates whose year is unknown (--12-08, day '') fall outside every range."""
    if since:
        where.append(f"{day} >= ?")
        params.append(since)
    if until:
        where.append(f"{day} > '' AND {day} <= ?")
        params.append(until + _HIGH)


def _fts_query(text: str) -> str:
    """Words as FTS5 phrases (all must match): an analyst's punctuation is not query syntax."""
    return " ".join(f'"{word}"' for word in _WORD.findall(text or ""))


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))


def _index_rows(db: sqlite3.Connection, ids: list[str]) -> list[sqlite3.Row]:
    rows = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows += db.execute(f"SELECT * FROM event_index WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    return rows


def _names(db: sqlite3.Connection, ids: list[str]) -> dict[str, str]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    return dict(db.execute(f"SELECT id, name FROM actors WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall())


def _ref(actor_id: str, names: dict[str, str]) -> dict:
    return {"id": actor_id, "name": names.get(actor_id, actor_id)}


def _refs(value: str) -> list[dict]:
    return [{"id": i, "name": n} for i, n in json.loads(value)]


def _evidence(article_id: str, start: int | None, end: int | None, quote: str | None) -> dict | None:
    return None if start is None else {"article_id": article_id, "start": start, "end": end, "quote": quote}


def _summary(row: sqlite3.Row) -> dict:
    """EventSummary from an event_index row."""
    place = {"id": row["place_id"], "name": row["place_name"], "country": row["place_country"],
             "lat": row["place_lat"], "lon": row["place_lon"]} if row["place_id"] else None
    return {"id": row["id"], "type": row["type"], "mode": row["mode"], "quad": row["quad"], "weight": row["weight"],
            "status": row["status"], "date": row["date_value"], "granularity": row["granularity"],
            "actors": _refs(row["actors"]), "recipients": _refs(row["recipients"]), "place": place,
            "summary": row["summary"], "sources": row["sources"],
            "reviewed": json.loads(row["reviewed"]) if row["reviewed"] else None, "rejected": bool(row["rejected"])}


def _fields(db: sqlite3.Connection, shown: sqlite3.Row, members: list[sqlite3.Row]) -> dict:
    """Each field's shown value with the words of the first report that states it; a corrected
    value has the analyst's review as its basis instead."""
    head = members[0]
    corrected = set((json.loads(shown["reviewed"]) or {}).get("machine", {})) if shown["reviewed"] else set()

    def field(name: str, value: object, evidence: dict | None) -> dict:
        return {"value": value, "evidence": None if name in corrected else evidence,
                "corrected": name in corrected}

    trigger = _evidence(head["article_id"], head["trigger_start"], head["trigger_end"], head["trigger_quote"])
    date_of = next((m for m in members if m["date_start"] is not None), None)
    place_of = next((m for m in members if m["place_start"] is not None), None)
    fields = {"type": field("type", shown["type"], trigger), "mode": field("mode", shown["mode"], trigger),
              "status": field("status", shown["status"], trigger),
              "date": field("date", {"value": shown["date_value"], "granularity": shown["granularity"]} if shown["date_value"] else None,
                            _evidence(date_of["article_id"], date_of["date_start"], date_of["date_end"], date_of["date_quote"]) if date_of else None),
              "place": field("place", {"id": shown["place_id"], "name": shown["place_name"], "country": shown["place_country"]}
                             if shown["place_id"] else None,
                             _evidence(place_of["article_id"], place_of["place_start"], place_of["place_end"], place_of["place_quote"]) if place_of else None)}
    ids = [m["id"] for m in members]
    evidence_of: dict[tuple[str, str], dict] = {}
    from dyad.store.extraction import resolved_id

    for party in db.execute(f"SELECT p.*, e.article_id FROM event_participants p JOIN events e ON e.id = p.event_id"
                            f" WHERE p.event_id IN ({','.join('?' * len(ids))}) ORDER BY p.event_id = ? DESC, p.role, p.seq",
                            [*ids, head["id"]]):
        evidence_of.setdefault((party["role"], resolved_id(db, party["actor_id"])),
                               _evidence(party["article_id"], party["start"], party["end"], party["quote"]))
    for side, role in (("actors", "actor"), ("recipients", "recipient")):
        fields[side] = [{"value": ref, "evidence": evidence_of.get((role, ref["id"])), "corrected": side in corrected}
                        for ref in _refs(shown[side])]
    fields["figures"] = [{"value": {"kind": f["kind"], "amount": f["amount"], "unit": f["unit"], "qualifier": f["qualifier"],
                                    "usd": f["usd"]},
                          "evidence": _evidence(f["article_id"], f["start"], f["end"], f["quote"])}
                         for f in db.execute(f"SELECT * FROM figures WHERE event_id IN ({','.join('?' * len(ids))}) ORDER BY article_id, start", ids)]
    return fields
