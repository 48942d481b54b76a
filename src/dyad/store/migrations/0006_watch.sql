-- dyad store, schema version 6: the files `dyad watch` has taken in, so that each content is
-- ingested exactly once. 'pending' is written before a file is ingested and 'done' after; a
-- watcher that was killed in between finds 'pending' and ingests the file again (which adds
-- nothing that is already stored).

CREATE TABLE watched_files (
    path       TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    mtime_ns   INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'done')),
    run_id     INTEGER,
    updated_at TEXT NOT NULL
);
