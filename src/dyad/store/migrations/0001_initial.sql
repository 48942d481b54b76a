-- dyad store, schema version 1: articles with their metadata evidence, removed boilerplate,
-- every place each article was seen, rejections, and ingest runs.

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    command     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'running',   -- running | done | interrupted
    counts      TEXT NOT NULL DEFAULT '{}'         -- JSON: added, new_versions, unchanged, rejected
);

CREATE TABLE articles (
    id          TEXT PRIMARY KEY,                  -- content hash of the raw document
    key         TEXT NOT NULL,                     -- the document across versions (URL or path)
    version     INTEGER NOT NULL,
    supersedes  TEXT REFERENCES articles(id),
    source      TEXT NOT NULL,
    locator     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('text', 'html')),
    raw         BLOB NOT NULL,                     -- zlib-compressed UTF-8 of the decoded input
    text        TEXT NOT NULL,                     -- the clean body
    paragraphs  TEXT NOT NULL,                     -- JSON [[start, end], ...] in text
    title       TEXT,
    outlet      TEXT,
    published   TEXT,
    dateline    TEXT,
    author      TEXT,
    url         TEXT,
    run_id      INTEGER REFERENCES runs(id),
    ingested_at TEXT NOT NULL,
    UNIQUE (key, version)
);
CREATE INDEX articles_published ON articles(published);

-- The latest version of each document.
CREATE VIEW current_articles AS
    SELECT a.* FROM articles a
    WHERE a.version = (SELECT max(b.version) FROM articles b WHERE b.key = a.key);

CREATE TABLE article_meta (
    article_id  TEXT NOT NULL REFERENCES articles(id),
    field       TEXT NOT NULL,
    value       TEXT NOT NULL,
    source      TEXT NOT NULL,
    confidence  REAL NOT NULL,
    basis       TEXT NOT NULL DEFAULT '',
    layer       TEXT,
    start       INTEGER,
    end         INTEGER,
    quote       TEXT,
    PRIMARY KEY (article_id, field)
);

CREATE TABLE removed_blocks (
    article_id  TEXT NOT NULL REFERENCES articles(id),
    seq         INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE article_sources (
    article_id  TEXT NOT NULL REFERENCES articles(id),
    source      TEXT NOT NULL,
    locator     TEXT NOT NULL,
    run_id      INTEGER REFERENCES runs(id),
    PRIMARY KEY (article_id, locator)
);

CREATE TABLE rejections (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER REFERENCES runs(id),
    source      TEXT NOT NULL,
    locator     TEXT NOT NULL,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL
);
CREATE INDEX rejections_run ON rejections(run_id);

-- Full-text search over title and body, kept in step with articles by triggers.
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid');
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
