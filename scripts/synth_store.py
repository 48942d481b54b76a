#!/usr/bin/env python3
"""Write a synthetic dyad store for load tests: articles, actors, events with participants,
places and dates, clustered across articles, and the workbench's read model built as a
resolution would build it.

Realistic in shape, not in content: every country in dyad's gazetteer with its government,
military, a few named people and a ministry; a few hundred country pairs whose frequencies
follow a Zipf law (a handful of dyads carry most events); each pair leaning to cooperation or
conflict; event types, modes and statuses (a tenth planned or proposed) drawn accordingly; dates
over several years (some only a month or a year, a few without a year); a place for most
events (a capital or a city of either side); several reports of one event from different
articles (clusters); one template sentence per event, at its offsets in its article's text.

Rows go in with executemany in large transactions; a million events take several minutes.

    .venv/bin/python scripts/synth_store.py /tmp/synth.db --events 1000000 [--seed 7]
    .venv/bin/python scripts/synth_store.py /tmp/synth.db --reindex   # read model only, anew

Never commit the database it writes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sqlite3
import sys
import time
import zlib
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from dyad import scores
from dyad.store import Store
from dyad.store.event_index import TABLES, rebuild
from dyad.store.migrations import available

COOPERATIVE = ("CONSULT", "AGREE", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT")
CONFLICTUAL = ("ACCUSE", "REJECT", "REQUEST", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
STATUSES = (("occurred", 0.78), ("ongoing", 0.06), ("planned", 0.09), ("proposed", 0.03), ("denied", 0.02),
            ("hypothetical", 0.02))
VERBS = {"CONSULT": "held talks with", "AGREE": "agreed with", "SUPPORT": "backed", "COOPERATE": "signed a cooperation deal with",
         "AID": "sent aid to", "CONCEDE": "made concessions to", "RETREAT": "withdrew forces from the border with",
         "ACCUSE": "accused", "REJECT": "rejected the proposal of", "REQUEST": "called on", "THREATEN": "threatened",
         "PROTEST": "protested against", "SANCTION": "imposed sanctions on", "MOBILIZE": "moved troops toward",
         "COERCE": "seized property of", "ASSAULT": "attacked"}
SYLLABLES = "ka ri mo ta sel van dor ben ash li ro fa ne gul tor sim al zar pe qui nu lo ha ber dan".split()
START, DAYS = date(2019, 1, 1), 7 * 365


def reference() -> tuple[list[dict], dict[str, list[tuple]]]:
    def load(name: str) -> dict:
        return json.loads(gzip.decompress(resources.files("dyad").joinpath("data", name).read_bytes()))

    countries = [c for c in load("countries.json.gz")["countries"] if c.get("capital_id")]
    cities: dict[str, list[tuple]] = {}
    for row in load("places.json.gz")["places"]:
        cities.setdefault(row[3], []).append((f"geonames:{row[0]}", row[1], row[4], row[5], row[6]))
    for country in cities.values():
        country.sort(key=lambda c: -c[4])
    # States with a few cities in the gazetteer: territories and micro-states make few dyads.
    return [c for c in countries if len(cities.get(c["iso3"], ())) >= 5], cities


def person_name(rng: random.Random) -> str:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{word()} {word()}"


class Generator:
    def __init__(self, db: sqlite3.Connection, rng: random.Random, events: int) -> None:
        self.db, self.rng, self.target = db, rng, events
        self.countries, self.cities = reference()
        self.actors: dict[str, list[tuple]] = {}
        self.made = 0

    def actors_table(self) -> None:
        rows = []
        for country in self.countries:
            iso, name = country["iso3"], country["name"]
            own = [(iso, name, "country", iso, None, None), (f"{iso}GOV", f"Government of {name}", "government", iso, "GOV", None),
                   (f"{iso}MIL", f"{name} (MIL)", "collective", iso, "MIL", None),
                   (f"org:{iso.lower()}-ministry-of-foreign-affairs", f"{name} Ministry of Foreign Affairs", "government body",
                    iso, "GOV", f"{iso}GOV")]
            for _ in range(self.rng.randint(2, 8)):
                person = person_name(self.rng)
                own.append((f"person:{person.lower().replace(' ', '-')}-{iso.lower()}", person, "person", iso, "GOV", None))
            self.actors[iso] = own
            rows += own
        rows.append(("org:un", "United Nations", "igo", None, "IGO", None))
        self.db.executemany("INSERT OR IGNORE INTO actors (id, name, kind, country, sector, parent) VALUES (?, ?, ?, ?, ?, ?)", rows)

    def dyads(self, count: int) -> list[tuple[str, str, float, float]]:
        """Country pairs with Zipf weights and a lean: the share of cooperative events."""
        isos = [c["iso3"] for c in self.countries]
        hubs = self.rng.sample(isos, 25)  # states in many dyads
        pairs: set[tuple[str, str]] = set()
        while len(pairs) < count:
            a = self.rng.choice(hubs) if self.rng.random() < 0.6 else self.rng.choice(isos)
            b = self.rng.choice(isos)
            if a != b:
                pairs.add((min(a, b), max(a, b)))
        ordered = sorted(pairs)
        self.rng.shuffle(ordered)
        return [(a, b, 1.0 / (rank + 1) ** 1.1, self.rng.betavariate(2, 1.2)) for rank, (a, b) in enumerate(ordered)]

    def party(self, iso: str) -> tuple:
        own = self.actors[iso]
        roll = self.rng.random()
        if roll < 0.45:
            return own[0]
        if roll < 0.7:
            return own[1]
        if roll < 0.78:
            return own[2]
        if roll < 0.84:
            return own[3]
        return self.rng.choice(own[4:])

    def real_event(self, dyad: tuple) -> dict:
        a, b, _, lean = dyad
        if self.rng.random() < 0.5:
            a, b = b, a
        event_type = self.rng.choice(COOPERATIVE if self.rng.random() < lean else CONFLICTUAL)
        modes = scores.modes(event_type)
        mode = self.rng.choice(modes) if modes and self.rng.random() < 0.4 else None
        status = self.rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
        day = START + timedelta(days=self.rng.randrange(DAYS))
        roll = self.rng.random()
        if roll < 0.03:
            value, granularity = f"--{day.month:02d}-{day.day:02d}", "day"
        elif roll < 0.10:
            value, granularity = f"{day.year}", "year"
        elif roll < 0.22:
            value, granularity = f"{day.year}-{day.month:02d}", "month"
        else:
            value, granularity = day.isoformat(), "day"
        actors = [self.party(a)]
        recipients = [self.party(b)]
        if self.rng.random() < 0.08:
            recipients.append(self.actors[self.rng.choice(self.countries)["iso3"]][0])
        place = None
        if self.rng.random() < 0.65:
            where = self.rng.choice((a, b))
            cities = self.cities.get(where) or []
            if cities:
                place = (cities[0] if self.rng.random() < 0.6 else self.rng.choice(cities[:30]), where)
        return {"type": event_type, "mode": mode, "status": status, "date": (value, granularity, day),
                "actors": actors, "recipients": [r for r in recipients if r[0] != actors[0][0]], "place": place}

    def run(self, dyad_count: int) -> None:
        self.actors_table()
        dyads = self.dyads(dyad_count)
        weights = [d[2] for d in dyads]
        pending: list[tuple[dict, int]] = []  # real events waiting for their further reports
        article_no = 0
        while self.made < self.target:
            reports = []
            for _ in range(min(self.rng.randint(1, 6), self.target - self.made)):
                if pending and self.rng.random() < 0.25:
                    event, left = pending.pop(self.rng.randrange(len(pending)))
                    if left > 1:
                        pending.append((event, left - 1))
                else:
                    event = self.real_event(self.rng.choices(dyads, weights)[0])
                    event["cluster"] = None
                    extra = min(int(self.rng.paretovariate(1.6)) - 1, 12)
                    if extra > 0:
                        pending.append((event, extra))
                reports.append(event)
                self.made += 1
            self.article(article_no, reports)
            article_no += 1
            if article_no % 20000 == 0:
                self.db.execute("COMMIT")
                self.db.execute("BEGIN")
                print(f"  {self.made} events, {article_no} articles", file=sys.stderr)

    def article(self, number: int, reports: list[dict]) -> None:
        published = max(r["date"][2] for r in reports) + timedelta(days=self.rng.randint(0, 3))
        sentences, spans = [], []
        at = 0
        for event in reports:
            actor, recipient = event["actors"][0], (event["recipients"] or [event["actors"][0]])[0]
            place = f" in {event['place'][0][1]}" if event["place"] else ""
            sentence = f"{actor[1]} {VERBS[event['type']]} {recipient[1]}{place} on {event['date'][0]}."
            spans.append((at, at + len(sentence), len(actor[1]) + 1))
            sentences.append(sentence)
            at += len(sentence) + 1
        text = " ".join(sentences)
        article_id = hashlib.sha256(f"synthetic article {number}".encode()).hexdigest()[:16]
        self.db.execute(
            "INSERT INTO articles (id, key, version, source, locator, kind, raw, text, paragraphs, title, outlet, published,"
            " run_id, ingested_at) VALUES (?, ?, 1, 'synthetic', ?, 'text', ?, ?, ?, ?, ?, ?, NULL, ?)",
            (article_id, f"synthetic:{number}", f"synthetic:{number}", zlib.compress(text.encode()), text,
             json.dumps([[0, len(text)]]), sentences[0][:80], f"Outlet {number % 97}", published.isoformat(), published.isoformat()))
        events, parties, mentions, clusters = [], [], [], []
        for event, (start, end, verb_at) in zip(reports, spans):
            verb = VERBS[event["type"]].split()[0]
            trigger = (start + verb_at, start + verb_at + len(verb))
            event_id = "ev:" + hashlib.sha256(f"{article_id}:{event['type']}:{trigger[0]}".encode()).hexdigest()[:16]
            event["cluster"] = event["cluster"] or event_id
            clusters.append((event_id, event["cluster"]))
            value, granularity, _ = event["date"]
            place = event["place"]
            events.append((event_id, article_id, event["type"], event["mode"], event["status"], 0.8, value, granularity,
                           "explicit", *(place[0][:4] if place else (None, None, None, None)),
                           place[1] if place else None, start, end, text[start:end], *trigger, verb))
            for role, side in (("actor", event["actors"]), ("recipient", event["recipients"])):
                for seq, actor in enumerate(side):
                    offset = text.find(actor[1], start, end)
                    span = (offset, offset + len(actor[1])) if offset >= 0 else (start, start)
                    parties.append((event_id, role, seq, actor[0], *span, actor[1]))
                    mentions.append((article_id, actor[0], "ACTOR", *span, actor[1]))
        self.db.executemany(
            "INSERT INTO events (id, article_id, type, mode, status, confidence, date_value, date_granularity, date_basis,"
            " place_id, place_name, place_lat, place_lon, place_country, sentence_start, sentence_end, sentence_quote,"
            " trigger_start, trigger_end, trigger_quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
        self.db.executemany("INSERT INTO event_participants (event_id, role, seq, actor_id, start, end, quote) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            parties)
        self.db.executemany("INSERT INTO actor_mentions (article_id, actor_id, label, start, end, quote) VALUES (?, ?, ?, ?, ?, ?)",
                            mentions)
        self.db.executemany("INSERT INTO event_clusters (event_id, cluster_id) VALUES (?, ?)", clusters)
        self.db.execute("INSERT INTO extractions (article_id, extractor, extracted_at) VALUES (?, 'synthetic', ?)",
                        (article_id, published.isoformat()))


def reindex(path: Path) -> int:
    """Recreate the tables and indexes of migration 0005 from its current text, and fill them."""
    began = time.perf_counter()
    script = dict(available())[5]
    with Store(path) as store:
        db = store.db
        for table in (*TABLES, "event_index_fts"):
            db.execute(f"DROP TABLE IF EXISTS {table}")
        for name in ("figures_event", "event_links_to", "actor_mentions_actor_quote"):
            db.execute(f"DROP INDEX IF EXISTS {name}")
        db.executescript(script)
        db.execute("BEGIN")
        count = rebuild(db)
        db.execute("COMMIT")
        db.execute("ANALYZE")
    print(f"{path}: read model of {count} events rebuilt in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="where to write the store (must not exist)")
    parser.add_argument("--events", type=int, default=1_000_000, help="event reports to write (default 1,000,000)")
    parser.add_argument("--dyads", type=int, default=400, help="country pairs (default 400)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reindex", action="store_true",
                        help="drop and rebuild the read model of an existing store (after migration 0005 changed)")
    args = parser.parse_args()
    if args.reindex:
        return reindex(args.db)
    if args.db.exists():
        parser.error(f"{args.db} exists; choose a new path")
    began = time.perf_counter()
    with Store(args.db) as store:
        db = store.db
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -400000")
        db.execute("BEGIN")
        Generator(db, random.Random(args.seed), args.events).run(args.dyads)
        db.execute("COMMIT")
        print(f"base tables written in {time.perf_counter() - began:.0f} s; building the read model", file=sys.stderr)
        db.execute("BEGIN")
        count = rebuild(db)
        db.execute("COMMIT")
        db.execute("ANALYZE")
        print(f"{args.db}: {args.events} event reports in {count} events, {time.perf_counter() - began:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
