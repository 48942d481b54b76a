"""Writing and reading cross-article resolution (dyad.resolve.events, .projects, .stories) in the
SQLite store: event clusters and their merges, plan → fulfilment links, projects, stories.

Machine output is rewritten whole at each resolution; merges an analyst undid are kept, so the
next resolution honours them.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import datetime, timezone

from dyad.errors import NotFoundError
from dyad.store.extraction import EventFilter, event_records, event_records_by_id


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --- merges ----------------------------------------------------------------------------------------


def undone_pairs(db: sqlite3.Connection, kind: str) -> frozenset[tuple[str, str]]:
    return frozenset((r[0], r[1]) for r in db.execute(
        "SELECT from_id, into_id FROM resolution_merges WHERE kind = ? AND undone_at IS NOT NULL", (kind,)))


def sync_merges(db: sqlite3.Connection, kind: str, decisions: dict[tuple[str, str], tuple[str, float, dict]]) -> None:
    """Make the active merges of ``kind`` exactly ``decisions`` ((from, into) → rule, score,
    evidence): unchanged merges keep their number, stale ones go, undone ones stay undone."""
    known = {(r[0], r[1]): r[2] for r in db.execute(
        "SELECT from_id, into_id, undone_at FROM resolution_merges WHERE kind = ?", (kind,))}
    stale = [pair for pair, undone in known.items() if undone is None and pair not in decisions]
    db.executemany("DELETE FROM resolution_merges WHERE kind = ? AND from_id = ? AND into_id = ?",
                   [(kind, *pair) for pair in stale])
    db.executemany(
        "INSERT INTO resolution_merges (kind, from_id, into_id, rule, score, evidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(kind, *pair, rule, score, json.dumps(evidence), _now())
         for pair, (rule, score, evidence) in sorted(decisions.items()) if pair not in known])


def resolution_merges(db: sqlite3.Connection) -> list[dict]:
    """Event and project merges, oldest first, each with the words of both sides."""
    rows = [dict(r) | {"evidence": json.loads(r["evidence"])} for r in db.execute("SELECT * FROM resolution_merges ORDER BY id")]
    for row in rows:
        if row["kind"] == "event":
            quotes = dict(db.execute("SELECT id, sentence_quote FROM events WHERE id IN (?, ?)", (row["from_id"], row["into_id"])).fetchall())
        else:
            quotes = dict(db.execute("SELECT id, name FROM projects WHERE id IN (?, ?)", (row["from_id"], row["into_id"])).fetchall())
        row["from_text"], row["into_text"] = quotes.get(row["from_id"]), quotes.get(row["into_id"])
    return rows


def undo_resolution_merge(db: sqlite3.Connection, merge_id: int) -> str:
    """Mark a merge undone; returns its kind. The caller resolves again so that it takes effect."""
    row = db.execute("SELECT kind FROM resolution_merges WHERE id = ? AND undone_at IS NULL", (merge_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"[S011] no active event or project merge e{merge_id}; 'dyad merges' lists them")
    db.execute("UPDATE resolution_merges SET undone_at = ? WHERE id = ?", (_now(), merge_id))
    return row[0]


# --- events ----------------------------------------------------------------------------------------


def write_event_resolution(db: sqlite3.Connection, clusters: dict[str, str], joined: list, links: list) -> None:  # noqa: ANN001
    """Record the event merges (dyad.resolve.events.PairScore), each event's cluster and the
    plan → fulfilment links (dyad.resolve.events.Link)."""
    sync_merges(db, "event", {(pair.b, pair.a): (pair.evidence["rule"], pair.score, pair.evidence) for pair in joined})
    db.execute("DELETE FROM event_clusters")
    db.executemany("INSERT INTO event_clusters (event_id, cluster_id) VALUES (?, ?)", sorted(clusters.items()))
    db.execute("DELETE FROM event_links")
    db.executemany("INSERT INTO event_links (from_cluster, to_cluster, kind, rule, score, evidence) VALUES (?, ?, 'fulfils', ?, ?, ?)",
                   [(link.planned, link.fulfilled_by, link.evidence["rule"], link.score, json.dumps(link.evidence)) for link in links])
    from dyad.store.event_index import rebuild

    rebuild(db)  # the workbench's read model follows the clusters


def event_cluster_records(db: sqlite3.Connection, where: EventFilter = EventFilter()) -> list[dict]:
    """One record per real-world event: the clusters with a member that ``where`` selects, each
    with every member's evidence and every article that reported it (``sources``)."""
    matched = event_records(db, where)
    cluster_of = dict(db.execute("SELECT event_id, cluster_id FROM event_clusters").fetchall())
    current = {r[0] for r in db.execute("SELECT id FROM current_articles")}
    wanted = list(dict.fromkeys(cluster_of.get(r["id"], r["id"]) for r in matched
                                if r["id"] in cluster_of or r["article_id"] in current))
    members: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for event_id, cluster_id in db.execute(
                f"SELECT event_id, cluster_id FROM event_clusters WHERE cluster_id IN ({','.join('?' * len(chunk))})"
                " ORDER BY event_id", chunk):
            members[cluster_id].append(event_id)
    records = event_records_by_id(db, sorted({m for ids in members.values() for m in ids} | set(wanted)))
    links = db.execute("SELECT from_cluster, to_cluster FROM event_links").fetchall()
    clustered = [_cluster_record(db, cluster_id, [records[m] for m in members.get(cluster_id, [cluster_id])], links)
                 for cluster_id in wanted]
    return sorted(clustered, key=lambda r: ((r["date"] or {}).get("value") or "", r["article_id"], r["id"]))


def _cluster_record(db: sqlite3.Connection, cluster_id: str, members: list[dict], links: list) -> dict:  # noqa: ANN001
    head = next(m for m in members if m["id"] == cluster_id)
    others = [m for m in members if m is not head]
    record = dict(head)
    for side in ("actors", "recipients"):
        record[side] = _union(p for m in [head, *others] for p in m[side])
    record["context"] = list(dict.fromkeys(c for m in [head, *others] for c in m["context"]))
    record["confidence"] = max(m["confidence"] for m in members)
    record["location"] = head["location"] or next((m["location"] for m in others if m["location"]), None)
    record["figures"] = [f for m in [head, *others] for f in m["figures"]]
    record["evidence"] = [e for m in [head, *others] for e in m["evidence"]]
    record["members"] = [m["id"] for m in [head, *others]]
    record["sources"] = _sources(db, list(dict.fromkeys(m["article_id"] for m in [head, *others])))
    record["fulfils"] = [a for a, b in links if b == cluster_id]
    record["fulfilled_by"] = [b for a, b in links if a == cluster_id]
    return record


def _union(participants) -> list[dict]:  # noqa: ANN001
    seen, result = set(), []
    for party in participants:
        if party["id"] not in seen:
            seen.add(party["id"])
            result.append(party)
    return result


def _sources(db: sqlite3.Connection, article_ids: list[str]) -> list[dict]:
    rows = {r["id"]: r for r in db.execute(
        f"SELECT id, outlet, title, published, source FROM articles WHERE id IN ({','.join('?' * len(article_ids))})", article_ids)}
    return [{"article_id": i, "outlet": rows[i]["outlet"], "title": rows[i]["title"], "published": rows[i]["published"],
             "path": rows[i]["source"]} for i in article_ids if i in rows]


# --- dates of articles -------------------------------------------------------------------------------


PUBLISHED = "published"
NOT_BEFORE = "not before: the latest date the article states for something that happened"


def article_dates(db: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """The date each current article speaks for, with its basis: its publication date, else a
    lower bound, the latest date its text states for something that happened (an article on
    "the meeting on Jan. 28" was written that day or later)."""
    dates = {r[0]: (r[1], PUBLISHED) for r in db.execute("SELECT id, published FROM current_articles WHERE published IS NOT NULL")}
    for article_id, value in db.execute(
            "SELECT e.article_id, max(e.date_value) FROM events e JOIN current_articles a ON a.id = e.article_id"
            " WHERE a.published IS NULL AND e.status = 'occurred' AND e.date_value GLOB '[0-9]*'"
            " AND e.date_basis NOT IN ('fallback_published', 'year_unknown') GROUP BY e.article_id"):
        dates[article_id] = (value, NOT_BEFORE)
    return dates


# --- projects ------------------------------------------------------------------------------------


def write_project_scan(db: sqlite3.Connection, article_id: str, scanner: str, mentions: list, updates: list) -> None:  # noqa: ANN001
    """Replace one article's project mentions and status updates (dyad.resolve.projects)."""
    db.execute("DELETE FROM project_mentions WHERE article_id = ?", (article_id,))
    db.execute("DELETE FROM project_updates WHERE article_id = ?", (article_id,))
    for mention in mentions:
        db.execute("INSERT OR IGNORE INTO projects (id, name, kind) VALUES (?, ?, ?)", (mention.project_id, mention.name, mention.kind))
        db.execute("INSERT OR IGNORE INTO project_mentions (article_id, project_id, start, end, quote, places) VALUES (?, ?, ?, ?, ?, ?)",
                   (article_id, mention.project_id, mention.start, mention.end, mention.quote, json.dumps(list(mention.places))))
    db.executemany("INSERT OR IGNORE INTO project_updates (article_id, project_id, status, start, end, quote) VALUES (?, ?, ?, ?, ?, ?)",
                   [(article_id, u.project_id, u.status, u.start, u.end, u.quote) for u in updates])
    db.execute("INSERT OR REPLACE INTO project_scans (article_id, scanner) VALUES (?, ?)", (article_id, scanner))


def drop_unmentioned_projects(db: sqlite3.Connection) -> None:
    """Project names no article mentions any more (an article read again): machine output, gone."""
    db.execute("DELETE FROM projects WHERE id NOT IN (SELECT project_id FROM project_mentions)")


def project_names(db: sqlite3.Connection) -> list:
    """Every project name mentioned in a current article (dyad.resolve.projects.ProjectName)."""
    from dyad.resolve.projects import ProjectName

    places: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for project_id, value in db.execute(
            "SELECT m.project_id, m.places FROM project_mentions m JOIN current_articles a ON a.id = m.article_id"):
        places[project_id].update(json.loads(value))
        counts[project_id] += 1
    return [ProjectName(r[0], r[1], r[2], frozenset(places[r[0]]), counts[r[0]])
            for r in db.execute("SELECT id, name, kind FROM projects ORDER BY id") if r[0] in counts]


def project_groups(db: sqlite3.Connection) -> dict[str, str]:
    """Each project name's project now: the name the active merges lead to."""
    into = dict(db.execute("SELECT from_id, into_id FROM resolution_merges WHERE kind = 'project' AND undone_at IS NULL").fetchall())
    groups = {}
    for (project_id,) in db.execute("SELECT id FROM projects"):
        seen, current = {project_id}, project_id
        while current in into and into[current] not in seen:
            current = into[current]
            seen.add(current)
        groups[project_id] = current
    return groups


def write_project_events(db: sqlite3.Connection) -> None:
    """Tie each event to the project its sentence names, or else the one project its paragraph
    names (a paragraph naming two projects ties its other sentences to neither)."""
    group = project_groups(db)
    mentions: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for article_id, start, project_id in db.execute(
            "SELECT m.article_id, m.start, m.project_id FROM project_mentions m JOIN current_articles a ON a.id = m.article_id"):
        mentions[article_id].append((start, group[project_id]))
    db.execute("DELETE FROM project_events")
    for article_id, found in mentions.items():
        paragraphs = json.loads(db.execute("SELECT paragraphs FROM articles WHERE id = ?", (article_id,)).fetchone()[0])
        for event_id, start, end in db.execute("SELECT id, sentence_start, sentence_end FROM events WHERE article_id = ?", (article_id,)):
            in_sentence = {p for at, p in found if start <= at < end}
            paragraph = next(((s, e) for s, e in paragraphs if s <= start < e), (start, end))
            in_paragraph = {p for at, p in found if paragraph[0] <= at < paragraph[1]}
            tied = [(p, "same sentence") for p in sorted(in_sentence)] or (
                [(in_paragraph.pop(), "same paragraph")] if len(in_paragraph) == 1 else [])
            db.executemany("INSERT OR IGNORE INTO project_events (project_id, event_id, basis) VALUES (?, ?, ?)",
                           [(project_id, event_id, basis) for project_id, basis in tied])


def project_records(db: sqlite3.Connection) -> list[dict]:
    """Projects as known now: names, places, the articles that mention them, their status
    updates in date order, and their events (with commitments' states)."""
    group = project_groups(db)
    dates = article_dates(db)
    place_names = dict(db.execute("SELECT place_id, name FROM places GROUP BY place_id").fetchall())
    names = {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, name, kind FROM projects")}
    records: dict[str, dict] = {}
    for row in db.execute("SELECT m.*, a.title, a.outlet FROM project_mentions m JOIN current_articles a ON a.id = m.article_id"
                          " ORDER BY m.article_id, m.start"):
        head = group[row["project_id"]]
        record = records.setdefault(head, {"id": head, "name": names[head][0], "kind": names[head][1], "aliases": [],
                                           "places": [], "mentioned_in": [], "status_updates": [], "events": []})
        if row["project_id"] != head and names[row["project_id"]][0] not in record["aliases"]:
            record["aliases"].append(names[row["project_id"]][0])
        for place in json.loads(row["places"]):
            if place not in (p["id"] for p in record["places"]):
                record["places"].append({"id": place, "name": place_names.get(place, place)})
        record["mentioned_in"].append({"article_id": row["article_id"], "title": row["title"], "outlet": row["outlet"],
                                       "start": row["start"], "end": row["end"], "quote": row["quote"]})
    for row in db.execute("SELECT u.* FROM project_updates u JOIN current_articles a ON a.id = u.article_id"):
        value, basis = dates.get(row["article_id"], (None, None))
        records[group[row["project_id"]]]["status_updates"].append(
            {"status": row["status"], "date": value, "date_basis": basis, "article_id": row["article_id"],
             "start": row["start"], "end": row["end"], "quote": row["quote"]})
    cluster_of = dict(db.execute("SELECT event_id, cluster_id FROM event_clusters").fetchall())
    for project_id, event_id, basis, event_type, status, quote in db.execute(
            "SELECT p.project_id, p.event_id, p.basis, e.type, e.status, e.sentence_quote FROM project_events p"
            " JOIN events e ON e.id = p.event_id ORDER BY e.date_value, e.id"):
        if project_id in records:
            records[project_id]["events"].append({"event_id": event_id, "cluster_id": cluster_of.get(event_id, event_id),
                                                  "type": event_type, "status": status, "basis": basis, "quote": quote})
    for record in records.values():
        record["status_updates"].sort(key=lambda u: (u["date"] or "", u["article_id"], u["start"]))
    return sorted(records.values(), key=lambda r: (-len(r["mentioned_in"]), r["name"]))


# --- commitments ---------------------------------------------------------------------------------


def reference_date(db: sqlite3.Connection) -> str:
    """The day commitments are judged on: the latest publication date in the store, else today."""
    latest = db.execute("SELECT max(published) FROM current_articles WHERE published GLOB '[0-9][0-9][0-9][0-9]-*'").fetchone()[0]
    return latest or datetime.now(timezone.utc).date().isoformat()


def commitments(db: sqlite3.Connection, as_of: str | None = None) -> list[dict]:
    """Planned and proposed events (one per cluster) with their due date and state on ``as_of``:
    ``met`` (a later report says it happened), ``overdue`` (the date the text set has passed),
    ``due`` (it has not), or ``open`` (the text sets no date)."""
    from dyad.resolve.dates import read_date

    as_of = as_of or reference_date(db)
    records = [r for r in event_cluster_records(db) if r["status"] in ("planned", "proposed")]
    projects = defaultdict(list)
    names = {r["id"]: r["name"] for r in project_records(db)}
    for project_id, event_id in db.execute("SELECT project_id, event_id FROM project_events"):
        projects[event_id].append(project_id)
    found = []
    for record in records:
        date = record["date"]
        span = read_date(date["value"], date["granularity"], date["basis"]) if date else None
        due = date if span and span.firm and span.last else None
        if record["fulfilled_by"]:
            state = "met"
        elif due is None:
            state = "open"
        else:
            state = "overdue" if span.last.isoformat() < as_of else "due"
        tied = sorted({p for member in record["members"] for p in projects.get(member, [])})
        found.append(record | {"state": state, "due": due, "as_of": as_of,
                               "projects": [{"id": p, "name": names.get(p, p)} for p in tied]})
    return found


# --- stories -------------------------------------------------------------------------------------


def write_stories(db: sqlite3.Connection, stories: list) -> None:  # noqa: ANN001 - dyad.resolve.stories.Story
    db.execute("DELETE FROM story_articles")
    db.execute("DELETE FROM stories")
    for story in stories:
        db.execute("INSERT INTO stories (id, title, first_date, last_date, evidence) VALUES (?, ?, ?, ?, ?)",
                   (story.id, story.title, story.first_date, story.last_date, json.dumps(list(story.links))))
        db.executemany("INSERT INTO story_articles (article_id, story_id) VALUES (?, ?)", [(a, story.id) for a in story.articles])


def story_records(db: sqlite3.Connection, *, min_articles: int = 1) -> list[dict]:
    """Stories with their articles (in date order) and what links them, the largest first."""
    dates = {k: v for k, v in article_dates(db).items() if v[1] == PUBLISHED}
    records = []
    for row in db.execute("SELECT * FROM stories"):
        articles = [{"article_id": r["id"], "title": r["title"], "outlet": r["outlet"], "date": dates.get(r["id"], (None,))[0],
                     "path": r["source"]}
                    for r in db.execute("SELECT a.id, a.title, a.outlet, a.source FROM story_articles s JOIN articles a ON a.id = s.article_id"
                                        " WHERE s.story_id = ?", (row["id"],))]
        if len(articles) < min_articles:
            continue
        articles.sort(key=lambda a: (a["date"] is None, a["date"] or "", a["article_id"]))
        records.append({"id": row["id"], "title": row["title"], "first_date": row["first_date"], "last_date": row["last_date"],
                        "articles": articles, "links": json.loads(row["evidence"])})
    return sorted(records, key=lambda r: (-len(r["articles"]), r["first_date"] or "", r["id"]))
