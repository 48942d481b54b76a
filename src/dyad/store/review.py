"""Analysts' review of events: confirm, correct (type, mode, status, date, actors, recipients) or
reject, with a note, who and when. Stored apart from machine output (tables reviews and
review_targets) and never changed by extraction or resolution.

A review names its event by the reports it was made of: each report's article (a content hash,
the same when a file is ingested again) and its trigger and sentence spans. It applies to any
event, now or after re-extraction with another model and re-clustering, with a report in one of
those articles whose trigger overlaps a reviewed trigger, or whose sentence is a reviewed
sentence and holds no other event. Reviews of one event apply in order: a correction adds to
the corrections before it, a reject hides the event, a later confirm or correct shows it again.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from datetime import date, datetime, timezone

from dyad import scores
from dyad.errors import NotFoundError, ValidationError

ACTIONS = ("confirm", "correct", "reject")
FIELDS = ("type", "mode", "status", "date", "actors", "recipients")
STATUSES = ("occurred", "ongoing", "planned", "proposed", "denied", "hypothetical")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_GRANULARITY = {1: "year", 2: "month", 3: "day"}
NOTE_CHARS = 4000


def record(db: sqlite3.Connection, event_id: str, action: str, changes: dict | None, note: str, by: str) -> dict:
    """Record a review of an event (a cluster id, or the id of one of its reports); returns the
    ReviewRecord. Raises ValidationError for invalid input, NotFoundError for an unknown event."""
    changes = _validated(db, action, changes, note, by)
    owns_transaction = not db.in_transaction
    if owns_transaction:
        db.execute("BEGIN IMMEDIATE")
    try:
        cluster_id, members = _members(db, event_id)
        from dyad.store.event_index import ensure_built, refresh

        ensure_built(db)
        shown = db.execute("SELECT * FROM event_index WHERE id = ?", (cluster_id,)).fetchone()
        machine = {name: _shown_value(shown, name) for name in changes} if shown else {}
        if changes.get("mode") and "type" not in changes and shown and changes["mode"] not in scores.modes(shown["type"]):
            raise ValidationError(f"[V009] {shown['type']} has no mode {changes['mode']!r}; its modes: "
                                  f"{', '.join(scores.modes(shown['type'])) or 'none'}")
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        review_id = db.execute(
            "INSERT INTO reviews (event_id, action, changes, machine, note, reviewer, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (cluster_id, action, json.dumps(changes, ensure_ascii=False), json.dumps(machine, ensure_ascii=False),
             note, by, at)).lastrowid
        db.executemany(
            "INSERT OR IGNORE INTO review_targets (review_id, article_id, trigger_start, trigger_end, sentence_start, sentence_end)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(review_id, m["article_id"], m["trigger_start"], m["trigger_end"], m["sentence_start"], m["sentence_end"])
             for m in members])
        refresh(db, [cluster_id])
        if owns_transaction:
            db.execute("COMMIT")
    except BaseException:
        if owns_transaction:
            db.execute("ROLLBACK")
        raise
    return _record_dict(db.execute("SELECT * FROM reviews WHERE id = ?", (review_id,)).fetchone())


def history(db: sqlite3.Connection, event_id: str) -> list[dict]:
    """Every review that applies to the event now, oldest first."""
    cluster_id, members = _members(db, event_id)
    book = ReviewBook(db, articles={m["article_id"] for m in members})
    ids = book.matching(members)
    return [_record_dict(book.reviews[i]) for i in sorted(ids)]


# --- applying reviews (used by dyad.store.event_index) --------------------------------------------


class ReviewBook:
    """The reviews of a store (or of some articles), to find those that apply to an event."""

    def __init__(self, db: sqlite3.Connection, articles: set[str] | None = None) -> None:
        self.db = db
        self.targets: dict[str, list[sqlite3.Row]] = defaultdict(list)
        for row in db.execute("SELECT * FROM review_targets"):
            if articles is None or row["article_id"] in articles:
                self.targets[row["article_id"]].append(row)
        wanted = {t["review_id"] for rows in self.targets.values() for t in rows}
        self.reviews = {r["id"]: r for r in db.execute("SELECT * FROM reviews")
                        if r["id"] in wanted} if wanted else {}
        self._sentences: dict[str, dict[tuple[int, int], int]] = {}

    def matching(self, members: list) -> set[int]:  # noqa: ANN001 - rows with the report's spans
        found = set()
        for member in members:
            for target in self.targets.get(member["article_id"], ()):
                overlaps = member["trigger_start"] < target["trigger_end"] and target["trigger_start"] < member["trigger_end"]
                same_sentence = (member["sentence_start"], member["sentence_end"]) == (target["sentence_start"], target["sentence_end"])
                if overlaps or (same_sentence and self._alone(member)):
                    found.add(target["review_id"])
        return found

    def state_for(self, members: list) -> dict | None:  # noqa: ANN001
        """The reviews in force on an event made of these reports, folded in order."""
        ids = self.matching(members) if self.targets else set()
        if not ids:
            return None
        changes: dict = {}
        rejected = False
        for review_id in sorted(ids):
            row = self.reviews[review_id]
            changes.update(json.loads(row["changes"]))
            rejected = row["action"] == "reject"
        return {"changes": changes, "rejected": rejected, "last": self.reviews[max(ids)], "reviews": sorted(ids)}

    def _alone(self, member) -> bool:  # noqa: ANN001
        article = member["article_id"]
        if article not in self._sentences:
            counts: dict[tuple[int, int], int] = defaultdict(int)
            for start, end in self.db.execute("SELECT sentence_start, sentence_end FROM events WHERE article_id = ?", (article,)):
                counts[(start, end)] += 1
            self._sentences[article] = counts
        return self._sentences[article].get((member["sentence_start"], member["sentence_end"]), 0) <= 1


def apply(machine: dict, state: dict | None) -> dict:
    """The values shown: the machine's, with the corrections in force."""
    shown = dict(machine)
    for name, value in (state or {}).get("changes", {}).items():
        shown[name] = value
        if name == "date":
            shown["granularity"] = _GRANULARITY[len(value.split("-"))]
    return shown


def marker(machine: dict, state: dict) -> dict:
    """The ``reviewed`` field of an event: the last review's action, who, when and note, and
    the machine's values of every corrected field."""
    last = state["last"]
    return {"action": last["action"], "by": last["reviewer"], "at": last["reviewed_at"], "note": last["note"],
            "review_id": last["id"], "reviews": len(state["reviews"]),
            "machine": {name: machine.get(name) for name in state["changes"]}}


# --- validation -------------------------------------------------------------------------------


def _validated(db: sqlite3.Connection, action: str, changes: dict | None, note: str, by: str) -> dict:
    if action not in ACTIONS:
        raise ValidationError(f"[V001] action must be one of {', '.join(ACTIONS)}, not {action!r}")
    if not isinstance(by, str) or not by.strip():
        raise ValidationError("[V002] a review needs its author ('by'): a non-empty name")
    if not isinstance(note, str) or len(note) > NOTE_CHARS:
        raise ValidationError(f"[V003] the note must be text of at most {NOTE_CHARS} characters")
    changes = changes or {}
    if not isinstance(changes, dict):
        raise ValidationError("[V004] changes must be an object of field -> value")
    if action != "correct":
        if changes:
            raise ValidationError(f"[V005] only 'correct' takes changes; {action!r} was given {sorted(changes)}")
        return {}
    if not changes:
        raise ValidationError(f"[V006] 'correct' needs at least one change among {', '.join(FIELDS)}")
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise ValidationError(f"[V007] cannot correct {', '.join(unknown)}; fields: {', '.join(FIELDS)}")
    clean = dict(changes)
    if "type" in clean:
        if not isinstance(clean["type"], str) or clean["type"].upper() not in scores.event_types():
            raise ValidationError(f"[V008] unknown event type {clean['type']!r}; one of {', '.join(scores.event_types())}")
        clean["type"] = clean["type"].upper()
    if "mode" in clean and clean["mode"] is not None:
        event_type = clean.get("type")
        if not isinstance(clean["mode"], str):
            raise ValidationError("[V009] mode must be text or null")
        clean["mode"] = clean["mode"].lower()
        if event_type and clean["mode"] not in scores.modes(event_type):
            raise ValidationError(f"[V009] {event_type} has no mode {clean['mode']!r}; its modes: "
                                  f"{', '.join(scores.modes(event_type)) or 'none'}")
    if "status" in clean and clean["status"] not in STATUSES:
        raise ValidationError(f"[V010] status must be one of {', '.join(STATUSES)}, not {clean['status']!r}")
    if "date" in clean:
        clean["date"] = _checked_date(clean["date"])
    for side in ("actors", "recipients"):
        if side in clean:
            clean[side] = _checked_actors(db, side, clean[side])
    if "actors" in clean and not clean["actors"]:
        raise ValidationError("[V013] an event needs at least one actor")
    return clean


def _checked_date(value: object) -> str:
    match = _DATE.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValidationError(f"[V011] date must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise ValidationError(f"[V011] {value!r} is not a calendar date") from None
    return value


def _checked_actors(db: sqlite3.Connection, side: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValidationError(f"[V012] {side} must be a list of actor ids")
    from dyad.store.extraction import resolved_id

    ids = list(dict.fromkeys(resolved_id(db, v) for v in value))
    known = {r[0] for r in db.execute(f"SELECT id FROM actors WHERE id IN ({','.join('?' * len(ids))})", ids)} if ids else set()
    missing = [v for v in ids if v not in known]
    if missing:
        raise ValidationError(f"[V012] unknown actor id(s) in {side}: {', '.join(missing)}; 'dyad actors' lists them")
    return ids


# --- reading ----------------------------------------------------------------------------------


def _members(db: sqlite3.Connection, event_id: str) -> tuple[str, list[sqlite3.Row]]:
    """The cluster an event id names (a cluster id or one report's id) and its reports."""
    if not isinstance(event_id, str) or not event_id:
        raise ValidationError("[V014] event id must be a non-empty string")
    row = db.execute("SELECT cluster_id FROM event_clusters WHERE event_id = ?", (event_id,)).fetchone()
    cluster_id = row[0] if row else event_id
    members = db.execute(
        "SELECT e.id, e.article_id, e.trigger_start, e.trigger_end, e.sentence_start, e.sentence_end FROM events e"
        " JOIN (SELECT event_id AS id FROM event_clusters WHERE cluster_id = ? UNION SELECT ?) m ON m.id = e.id ORDER BY e.id",
        (cluster_id, cluster_id)).fetchall()
    if not members:
        raise NotFoundError(f"[S012] no event {event_id}; 'dyad events' lists them")
    return cluster_id, members


def _shown_value(row: sqlite3.Row, name: str) -> object:
    if name in ("actors", "recipients"):
        return [a for a, _ in json.loads(row[name])]
    return row["date_value"] if name == "date" else row[name]


def _record_dict(row: sqlite3.Row) -> dict:
    return {"id": row["id"], "event_id": row["event_id"], "action": row["action"], "changes": json.loads(row["changes"]),
            "machine": json.loads(row["machine"]), "note": row["note"], "by": row["reviewer"], "at": row["reviewed_at"]}
