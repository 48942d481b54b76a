"""The brief on one dyad: its key events by date, each with citations (outlet, date, quote,
article id), the commitments between the two sides (open, due, met, overdue) and the people who
carried the relationship, with their roles. ``brief_data`` gathers it, ``render_markdown`` writes it."""

from __future__ import annotations

import re
import sqlite3
from datetime import date

from dyad.errors import DyadError, NotFoundError, ValidationError
from dyad.store import queries
from dyad.store.extraction import actor_summary, resolved_id
from dyad.store.resolution import commitments

PLANS = ("planned", "proposed")
COMMITMENT_STATES = ("overdue", "due", "open", "met")
KEY_EVENTS = 60


class PartyError(DyadError):
    """The two sides of a dyad are not two known actors: a name matches several (the message
    lists them), or both sides name the same one."""

    exit_code = 2


DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


def check_date(value: str | None, name: str) -> str | None:
    """``value`` if it is a real year, month or day (YYYY[-MM[-DD]]; 2025-02-30 is not), else
    ValidationError."""
    if value is None:
        return None
    if not re.fullmatch(DATE_PATTERN, value):
        raise ValidationError(f"{name}={value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in value.split("-")]
    try:
        date(*parts, *[1] * (3 - len(parts)))
    except ValueError:
        raise ValidationError(f"{name}={value!r} is not a real date; use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return value


def check_period(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    since, until = check_date(since, "since"), check_date(until, "until")
    if since and until and since[:len(until)] > until:
        raise ValidationError(f"since={since} is after until={until}")
    return since, until


def resolve_party(db: sqlite3.Connection, text: str) -> dict:
    """The one actor ``text`` names: an actor id or ISO3 code, else a name or alias (exact, then
    contained). A country wins over its own government and bodies named the same way; any other
    tie raises PartyError listing the candidates; nothing raises NotFoundError."""
    text = text.strip()
    row = db.execute("SELECT id FROM actors WHERE id = ? COLLATE NOCASE", (text,)).fetchone()
    if row is not None:
        return _actor(db, resolved_id(db, row[0]))
    exact = db.execute("SELECT id FROM actors WHERE name = ? COLLATE NOCASE"
                       " UNION SELECT actor_id FROM actor_mentions WHERE quote = ? COLLATE NOCASE", (text, text)).fetchall()
    found = _distinct(db, [r[0] for r in exact])
    if not found and len(text) >= 3:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        contained = db.execute("SELECT id FROM actors WHERE name LIKE ? ESCAPE '\\'", (pattern,)).fetchall()
        found = _distinct(db, [r[0] for r in contained])
    if not found:
        raise NotFoundError(f"no actor matches {text!r}; give an actor id, an ISO3 country code or a name 'dyad actors' lists")
    if len(found) > 1:
        countries = [a for a in found if a["kind"] == "country"]
        if len(countries) == 1 and all(a["country"] == countries[0]["id"] for a in found if a is not countries[0]):
            return countries[0]
        listed = "; ".join(f"{a['id']} ({a['name']}, {a['kind']})" for a in found[:10])
        more = f" and {len(found) - 10} more" if len(found) > 10 else ""
        raise PartyError(f"{text!r} names {len(found)} actors: {listed}{more}; give one of these ids")
    return found[0]


def _distinct(db: sqlite3.Connection, ids: list[str]) -> list[dict]:
    unique = dict.fromkeys(resolved_id(db, i) for i in ids)
    return [a for a in (_actor(db, i) for i in unique) if a is not None]


def _actor(db: sqlite3.Connection, actor_id: str) -> dict | None:
    row = db.execute("SELECT id, name, kind, country FROM actors WHERE id = ?", (actor_id,)).fetchone()
    return dict(row) if row is not None else None


def brief_data(db: sqlite3.Connection, a: str, b: str, *, since: str | None = None, until: str | None = None,
               as_of: str | None = None, max_events: int = KEY_EVENTS) -> dict:
    """Everything the brief says, as plain data (the JSON of GET /api/brief). Key events are the
    dyad's events that are not plans, all of them up to ``max_events``, else the most reported."""
    since, until = check_period(since, until)
    as_of = check_date(as_of, "as_of")
    side_a, side_b = resolve_party(db, a), resolve_party(db, b)
    if side_a["id"] == side_b["id"]:
        raise PartyError(f"{a!r} and {b!r} name the same actor ({side_a['id']}); a dyad needs two")
    found = _pair_events(db, side_a["id"], side_b["id"], since, until)
    done = [e for e in found if e["status"] not in PLANS]
    key = sorted(done, key=lambda e: (-e["sources"], _date_rank(e.get("date")), -_date_order(e.get("date"))))[:max_events]
    events = sorted((_key_event(db, e) for e in key), key=lambda e: (_date_rank(e["date"]), e["date"] or "", e["id"]))
    plans = {e["id"] for e in _pair_events(db, side_a["id"], side_b["id"], None, None) if e["status"] in PLANS}
    pledged = [c for c in commitments(db, as_of) if c["id"] in plans and _in_range(c, since, until)]
    people = queries.dyad_view(db, side_a["id"], side_b["id"], since=since, until=until, limit=0)["people"]
    return {
        "a": side_a, "b": side_b, "since": since, "until": until,
        "as_of": pledged[0]["as_of"] if pledged else as_of,
        "events": events, "events_left_out": len(done) - len(events),
        "commitments": {state: [_commitment(c) for c in pledged if c["state"] == state] for state in COMMITMENT_STATES},
        "people": [_person(db, p) for p in people],
    }


def _pair_events(db: sqlite3.Connection, a: str, b: str, since: str | None, until: str | None) -> list[dict]:
    """Every event between the two sides (reviews applied, rejected ones left out), page by page."""
    found: list[dict] = []
    while True:
        page = queries.event_page(db, a=a, b=b, since=since, until=until, limit=500, offset=len(found))
        found += page["items"]
        if not page["items"] or len(found) >= page["total"]:
            return found


def _date_order(value: str | None) -> int:
    """A date as a number that grows with it (for "latest first" among equally reported events)."""
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    return int(digits.ljust(8, "0")) if digits and (value or "")[:1].isdigit() else 0


def _date_rank(value: str | None) -> int:
    return 2 if not value else 0 if value[:1].isdigit() else 1


def _key_event(db: sqlite3.Connection, summary: dict) -> dict:
    detail = queries.event_detail(db, summary["id"]) or {}
    citations = [{"outlet": s.get("outlet"), "published": s.get("published"), "article_id": s["article_id"],
                  "quote": s["sentence"]["quote"], "start": s["sentence"]["start"], "end": s["sentence"]["end"]}
                 for s in detail.get("sources", [])]
    return {"id": summary["id"], "date": summary.get("date"), "granularity": summary.get("granularity"),
            "type": summary["type"], "mode": summary.get("mode"), "status": summary["status"],
            "actors": summary["actors"], "recipients": summary["recipients"], "summary": summary.get("summary"),
            "reviewed": summary.get("reviewed"), "citations": citations}


def _in_range(commitment: dict, since: str | None, until: str | None) -> bool:
    """A commitment belongs to a period when it was reported or falls due in it."""
    if since is None and until is None:
        return True
    dates = [s["published"] for s in commitment["sources"] if s.get("published")]
    dates += [commitment["due"]["value"]] if commitment["due"] else []
    return any((since is None or d[:len(since)] >= since) and (until is None or d[:len(until)] <= until) for d in dates)


def _commitment(record: dict) -> dict:
    sentence = next(e for e in record["evidence"] if e["field"] == "event")
    published = {s["article_id"]: s for s in record["sources"]}
    source = published.get(sentence["article_id"], {})
    return {"id": record["id"], "state": record["state"], "type": record["type"], "status": record["status"],
            "due": record["due"]["value"] if record["due"] else None,
            "actors": [{"id": p["id"], "name": p["name"]} for p in record["actors"]],
            "recipients": [{"id": p["id"], "name": p["name"]} for p in record["recipients"]],
            "projects": record["projects"], "fulfilled_by": record["fulfilled_by"],
            "citation": {"outlet": source.get("outlet"), "published": source.get("published"), "article_id": sentence["article_id"],
                         "quote": sentence["quote"], "start": sentence["start"], "end": sentence["end"]}}


def _person(db: sqlite3.Connection, person: dict) -> dict:
    roles = actor_summary(db, person["id"]).actor.roles
    return {"id": person["id"], "name": person["name"], "events": person["events"],
            "roles": [{"title": r.title, "organization": r.organization, "country": r.country, "since": r.since,
                       "until": r.until, "article_id": r.evidence.article_id, "quote": r.evidence.quote} for r in roles]}


def render_markdown(data: dict) -> str:
    """The brief as Markdown: a heading, key events by date with their citations, commitments by
    state, and the people with their roles."""
    a, b = data["a"], data["b"]
    period = " to ".join(filter(None, (data["since"], data["until"]))) or "all dates in the store"
    lines = [f"# {a['name']} – {b['name']}", "",
             f"Brief on {a['name']} ({a['id']}) and {b['name']} ({b['id']}), {period}.", ""]
    lines += ["## Key events", ""]
    if not data["events"]:
        lines += ["No events between them in this period.", ""]
    elif data["events_left_out"]:
        lines += [f"The {len(data['events'])} most reported of {len(data['events']) + data['events_left_out']} events.", ""]
    for event in data["events"]:
        who = f"{_names(event['actors'])} → {_names(event['recipients'])}"
        mode = f"/{event['mode']}" if event["mode"] else ""
        reviewed = f" (reviewed: {event['reviewed']['action']})" if event.get("reviewed") else ""
        lines.append(f"- **{_when(event['date'])}** {event['type']}{mode} ({event['status']}): {who}{reviewed}")
        lines += [f"  - {_cite(c)}" for c in event["citations"]]
    lines += ["", f"## Commitments (as of {data['as_of'] or 'the latest article'})", ""]
    pledged = [(state, c) for state in COMMITMENT_STATES for c in data["commitments"][state]]
    if not pledged:
        lines += ["No commitments between them in this period.", ""]
    for state, c in pledged:
        due = f"due {c['due']}" if c["due"] else "no date set"
        met = f", met by event {', '.join(c['fulfilled_by'])}" if c["fulfilled_by"] else ""
        project = f", project: {', '.join(p['name'] for p in c['projects'])}" if c["projects"] else ""
        lines.append(f"- **{state}** ({due}{met}{project}) {c['type']} ({c['status']}): "
                     f"{_names(c['actors'])} → {_names(c['recipients'])}")
        lines.append(f"  - {_cite(c['citation'])}")
    lines += ["", "## People", ""]
    if not data["people"]:
        lines += ["No named people in these events.", ""]
    for person in data["people"]:
        lines.append(f"- **{person['name']}** ({person['events']} event{'s' * (person['events'] != 1)})")
        for role in person["roles"]:
            period = ", ".join(filter(None, (role["since"] and f"since {role['since']}", role["until"] and f"until {role['until']}")))
            country = f" ({role['country']})" if role["country"] else ""
            when = f", {period}" if period else ""
            lines.append(f"  - {role['title']}{country}{when} — “{_one_line(role['quote'])}” [article {role['article_id']}]")
    return "\n".join(lines).rstrip() + "\n"


def _when(value: str | None) -> str:
    if not value:
        return "undated"
    return value if value[:1].isdigit() else f"{value.lstrip('-')} (year not stated)"


def _names(parties: list[dict]) -> str:
    return ", ".join(p.get("name") or p["id"] for p in parties) or "—"


def _cite(citation: dict) -> str:
    return (f"{citation['outlet'] or 'unknown outlet'}, {citation['published'] or 'undated'}: "
            f"“{_one_line(citation['quote'])}” [article {citation['article_id']}, {citation['start']}–{citation['end']}]")


def _one_line(text: str) -> str:
    return " ".join(text.split())
