-- dyad store, schema version 4: analysts' review of events, kept apart from machine output.
-- A review names the event by what stays the same when articles are ingested or extracted
-- again (the article's content id and the trigger and sentence spans of each report of it),
-- never by an event or cluster id, which extraction and resolution recompute.

CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    event_id    TEXT NOT NULL,              -- the cluster id when reviewed (for reading; not the key)
    action      TEXT NOT NULL CHECK (action IN ('confirm', 'correct', 'reject')),
    changes     TEXT NOT NULL DEFAULT '{}', -- JSON: field -> corrected value (correct only)
    machine     TEXT NOT NULL DEFAULT '{}', -- JSON: the machine's values of those fields then
    note        TEXT NOT NULL DEFAULT '',
    reviewer    TEXT NOT NULL,
    reviewed_at TEXT NOT NULL
);

-- The reports the reviewed event was made of: each one's article and spans.
CREATE TABLE review_targets (
    review_id      INTEGER NOT NULL REFERENCES reviews(id),
    article_id     TEXT NOT NULL,
    trigger_start  INTEGER NOT NULL,
    trigger_end    INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    PRIMARY KEY (review_id, article_id, trigger_start)
);
CREATE INDEX review_targets_article ON review_targets(article_id);
