-- dyad store, schema version 2: what extraction read from each article (machine output,
-- replaced per article when it is re-extracted) and cross-article actor merges.

CREATE TABLE actors (
    id       TEXT PRIMARY KEY,          -- KAZ, AFGGOV, org:..., person:...
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    country  TEXT,
    sector   TEXT,
    parent   TEXT
);

CREATE TABLE actor_mentions (
    article_id TEXT NOT NULL REFERENCES articles(id),
    actor_id   TEXT NOT NULL,
    label      TEXT NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    quote      TEXT NOT NULL
);
CREATE INDEX actor_mentions_actor ON actor_mentions(actor_id);
CREATE INDEX actor_mentions_article ON actor_mentions(article_id);

CREATE TABLE roles (
    article_id   TEXT NOT NULL REFERENCES articles(id),
    actor_id     TEXT NOT NULL,
    title        TEXT NOT NULL,
    organization TEXT,
    country      TEXT,
    since        TEXT,
    until        TEXT,
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    quote        TEXT NOT NULL
);
CREATE INDEX roles_actor ON roles(actor_id);

CREATE TABLE places (
    article_id TEXT NOT NULL REFERENCES articles(id),
    place_id   TEXT NOT NULL,
    name       TEXT NOT NULL,
    country    TEXT,
    lat        REAL,
    lon        REAL,
    feature    TEXT NOT NULL,
    start      INTEGER,
    end        INTEGER,
    quote      TEXT
);
CREATE INDEX places_article ON places(article_id);

CREATE TABLE events (
    id               TEXT PRIMARY KEY,
    article_id       TEXT NOT NULL REFERENCES articles(id),
    type             TEXT NOT NULL,
    mode             TEXT,
    context          TEXT NOT NULL DEFAULT '[]',   -- JSON list
    status           TEXT NOT NULL,
    confidence       REAL NOT NULL,
    date_value       TEXT,
    date_granularity TEXT,
    date_basis       TEXT,
    date_start       INTEGER,
    date_end         INTEGER,
    date_quote       TEXT,
    place_id         TEXT,
    place_name       TEXT,
    place_country    TEXT,
    place_lat        REAL,
    place_lon        REAL,
    place_start      INTEGER,
    place_end        INTEGER,
    place_quote      TEXT,
    sentence_start   INTEGER NOT NULL,
    sentence_end     INTEGER NOT NULL,
    sentence_quote   TEXT NOT NULL,
    trigger_start    INTEGER NOT NULL,
    trigger_end      INTEGER NOT NULL,
    trigger_quote    TEXT NOT NULL
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_date ON events(date_value);

CREATE TABLE event_participants (
    event_id  TEXT NOT NULL REFERENCES events(id),
    role      TEXT NOT NULL CHECK (role IN ('actor', 'recipient')),
    seq       INTEGER NOT NULL,
    actor_id  TEXT NOT NULL,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    quote     TEXT NOT NULL,
    PRIMARY KEY (event_id, role, seq)
);
CREATE INDEX event_participants_actor ON event_participants(actor_id);

CREATE TABLE figures (
    article_id TEXT NOT NULL REFERENCES articles(id),
    event_id   TEXT,
    kind       TEXT NOT NULL,
    amount     REAL NOT NULL,
    unit       TEXT NOT NULL,
    qualifier  TEXT NOT NULL DEFAULT '',
    usd        REAL,
    usd_basis  TEXT NOT NULL DEFAULT '',
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    quote      TEXT NOT NULL
);
CREATE INDEX figures_article ON figures(article_id);

-- Articles whose extraction is stored (an article may have none: nothing found is a result too).
CREATE TABLE extractions (
    article_id   TEXT PRIMARY KEY REFERENCES articles(id),
    extractor    TEXT NOT NULL,             -- version of the extraction code
    extracted_at TEXT NOT NULL
);

-- Cross-article merges of actors (two spellings of one person): inspectable and reversible.
CREATE TABLE actor_merges (
    id         INTEGER PRIMARY KEY,
    from_id    TEXT NOT NULL,
    into_id    TEXT NOT NULL,
    rule       TEXT NOT NULL,
    score      REAL NOT NULL,
    evidence   TEXT NOT NULL,               -- JSON: what the rule compared
    created_at TEXT NOT NULL,
    undone_at  TEXT,
    UNIQUE (from_id, into_id)
);
