-- dyad store, schema version 3: cross-article resolution. Reports of one real-world event become
-- one cluster; planned events are linked to the later reports that fulfil them; named projects
-- with their aliases, status updates and events; articles grouped into stories. All of it is
-- machine output, recomputed after each batch, except what an analyst undid, which is kept.

-- Merges of two events (same real-world event) or two project names (same project): the rule,
-- its score and what it compared. An undone merge is kept, so that it is never made again.
CREATE TABLE resolution_merges (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('event', 'project')),
    from_id    TEXT NOT NULL,
    into_id    TEXT NOT NULL,
    rule       TEXT NOT NULL,
    score      REAL NOT NULL,
    evidence   TEXT NOT NULL,               -- JSON: what the rule compared
    created_at TEXT NOT NULL,
    undone_at  TEXT,
    UNIQUE (kind, from_id, into_id)
);

-- Which cluster each event belongs to now: the connected components of the active event merges.
-- cluster_id is the id of the member that represents the cluster (the most precisely dated).
CREATE TABLE event_clusters (
    event_id   TEXT PRIMARY KEY,
    cluster_id TEXT NOT NULL
);
CREATE INDEX event_clusters_cluster ON event_clusters(cluster_id);

-- A planned event and a later report of it happening, between clusters: linked, never merged.
CREATE TABLE event_links (
    from_cluster TEXT NOT NULL,             -- the planned event
    to_cluster   TEXT NOT NULL,             -- the event that fulfils it
    kind         TEXT NOT NULL CHECK (kind IN ('fulfils')),
    rule         TEXT NOT NULL,
    score        REAL NOT NULL,
    evidence     TEXT NOT NULL,
    PRIMARY KEY (from_cluster, to_cluster, kind)
);

-- Named projects: one row per name as written (normalised); names of one project are merged.
CREATE TABLE projects (
    id      TEXT PRIMARY KEY,               -- project:<normalised name>
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL                   -- railway, pipeline, corridor, power line, programme...
);

CREATE TABLE project_mentions (
    article_id TEXT NOT NULL REFERENCES articles(id),
    project_id TEXT NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    quote      TEXT NOT NULL,
    places     TEXT NOT NULL DEFAULT '[]',  -- JSON: place ids (not countries) it names or connects
    PRIMARY KEY (article_id, start)
);
CREATE INDEX project_mentions_project ON project_mentions(project_id);

-- What an article says about a project's progress, with the words that say it.
CREATE TABLE project_updates (
    article_id TEXT NOT NULL REFERENCES articles(id),
    project_id TEXT NOT NULL,
    status     TEXT NOT NULL,               -- planned, in progress, delayed, completed
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    quote      TEXT NOT NULL,
    PRIMARY KEY (article_id, start)
);

-- Articles whose project mentions were read, and by which version of the reader.
CREATE TABLE project_scans (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    scanner    TEXT NOT NULL
);

-- Events said in the same sentence or paragraph as a project.
CREATE TABLE project_events (
    project_id TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    basis      TEXT NOT NULL,               -- same sentence | same paragraph
    PRIMARY KEY (project_id, event_id)
);

-- Stories: articles about one developing situation.
CREATE TABLE stories (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    first_date TEXT,
    last_date  TEXT,
    evidence   TEXT NOT NULL                -- JSON: what links its articles
);

CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    story_id   TEXT NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story_id);
