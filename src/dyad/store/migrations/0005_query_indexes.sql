-- dyad store, schema version 5: a read model for the analyst workbench, so that a dyad, an
-- actor or a page of events is a few index range scans at a million events. One row per
-- real-world event (cluster) with the analyst's review applied, its participants as search keys
-- and every unordered pair of them. Derived data: rebuilt whole after each resolution
-- (dyad.store.event_index), and per event after a review.

CREATE TABLE event_index (
    id            TEXT PRIMARY KEY,         -- the cluster id (the event id the API shows)
    day           TEXT NOT NULL,            -- the date when its year is known, else '' (for order and ranges)
    month         TEXT,                     -- YYYY-MM when the date has one
    type          TEXT NOT NULL,
    mode          TEXT,
    quad          TEXT NOT NULL,
    weight        REAL NOT NULL,            -- cooperation (+) / conflict (-), dyad.scores.weight
    status        TEXT NOT NULL,
    date_value    TEXT,
    granularity   TEXT,
    article_id    TEXT NOT NULL,            -- the article of the report that represents the event
    summary       TEXT NOT NULL,            -- its sentence, at most 300 characters
    place_id      TEXT,
    place_name    TEXT,
    place_country TEXT,
    place_lat     REAL,
    place_lon     REAL,
    actors        TEXT NOT NULL,            -- JSON [[id, name], ...]
    recipients    TEXT NOT NULL,            -- JSON [[id, name], ...]
    sources       INTEGER NOT NULL,         -- articles that report it
    reviewed      TEXT,                     -- JSON: the review in force (action, by, at, machine values)
    rejected      INTEGER NOT NULL DEFAULT 0
);
-- rejected last: filters and counts are answered from the index alone
CREATE INDEX event_index_day ON event_index(day, id, rejected);
CREATE INDEX event_index_type ON event_index(type, day, rejected);
CREATE INDEX event_index_type_status ON event_index(type, status, day, rejected);
CREATE INDEX event_index_status ON event_index(status, day, rejected);
CREATE INDEX event_index_place ON event_index(place_id);

-- Who takes part: each participant's resolved actor id and, when it has one, its country.
CREATE TABLE event_index_parties (
    actor_key  TEXT NOT NULL,               -- an actor id or a country code
    cluster_id TEXT NOT NULL,
    day        TEXT NOT NULL,
    kind       TEXT,                        -- the actor's kind ('country' for a country code)
    type       TEXT NOT NULL,               -- the event's (so that filters and counts stay in the index)
    status     TEXT NOT NULL,
    place_id   TEXT,
    rejected   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_index_parties_key ON event_index_parties(actor_key, day, cluster_id, rejected, type, status, place_id);
CREATE INDEX event_index_parties_cluster ON event_index_parties(cluster_id);

-- Every unordered pair of keys of two different participants (lo < hi).
CREATE TABLE event_index_pairs (
    lo         TEXT NOT NULL,
    hi         TEXT NOT NULL,
    cluster_id TEXT NOT NULL,
    day        TEXT NOT NULL,
    type       TEXT NOT NULL,
    status     TEXT NOT NULL,
    rejected   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_index_pairs_pair ON event_index_pairs(lo, hi, day, cluster_id, rejected, type, status);
CREATE INDEX event_index_pairs_cluster ON event_index_pairs(cluster_id);

-- Events per actor key, and per pair with the summed weight of what occurred (for counterparts).
CREATE TABLE event_index_actors (
    actor_key TEXT PRIMARY KEY,
    events    INTEGER NOT NULL
);

CREATE TABLE event_index_dyads (
    lo         TEXT NOT NULL,
    hi         TEXT NOT NULL,
    events     INTEGER NOT NULL,
    scored     INTEGER NOT NULL,            -- events that occurred or are ongoing
    weight_sum REAL NOT NULL,               -- their summed weight
    PRIMARY KEY (lo, hi)
);
CREATE INDEX event_index_dyads_hi ON event_index_dyads(hi, lo);

-- A pair's events per month (bucket: YYYY-MM, or YYYY for a date with a year only, or '' when
-- the year is unknown), rejected events left out: counts and summed weights per quad and status,
-- people and places, so that a dyad's view reads a hundred rows, not its thousands of events.
CREATE TABLE event_index_dyad_months (
    lo      TEXT NOT NULL,
    hi      TEXT NOT NULL,
    bucket  TEXT NOT NULL,
    events  INTEGER NOT NULL,
    counts  TEXT NOT NULL,                  -- JSON {"quad status": [events, summed weight]}
    people  TEXT NOT NULL,                  -- JSON {person id: events}
    places  TEXT NOT NULL,                  -- JSON {place id: events}
    PRIMARY KEY (lo, hi, bucket)
);

-- Events per type and status, and per place and month bucket, rejected ones left out: the
-- counts of an unfiltered page and of the map without sides.
CREATE TABLE event_index_totals (
    type   TEXT NOT NULL,
    status TEXT NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (type, status)
);

CREATE TABLE event_index_place_months (
    bucket   TEXT NOT NULL,
    place_id TEXT NOT NULL,
    events   INTEGER NOT NULL,
    PRIMARY KEY (bucket, place_id)
);

-- Full-text search over the events' sentences.
CREATE VIRTUAL TABLE event_index_fts USING fts5(summary, content='event_index', content_rowid='rowid');

-- Lookups an event's page makes at any size: its figures, and the plans it fulfils.
CREATE INDEX figures_event ON figures(event_id);
CREATE INDEX actor_mentions_actor_quote ON actor_mentions(actor_id, quote);
CREATE INDEX event_links_to ON event_links(to_cluster);
