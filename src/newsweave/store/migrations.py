"""The SQLite schema, as an ordered list of migrations. Append; never edit a released one."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: articles, where each was seen, near-duplicate links, MinHash signatures, full-text index
    """
    CREATE TABLE articles (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        outlet TEXT NOT NULL,
        url TEXT,
        published TEXT,
        published_utc REAL,
        published_precision TEXT,
        published_tz_assumed INTEGER,
        language TEXT,
        authors TEXT NOT NULL DEFAULT '[]',
        input_id TEXT,
        origin TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published_utc);
    CREATE INDEX articles_outlet ON articles(outlet COLLATE NOCASE);

    CREATE TABLE sightings (
        pk INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        outlet TEXT NOT NULL,
        url TEXT NOT NULL DEFAULT '',
        input_id TEXT NOT NULL DEFAULT '',
        title TEXT,
        published TEXT,
        origin TEXT NOT NULL,
        UNIQUE (article_id, outlet, url, input_id)
    );
    CREATE INDEX sightings_outlet ON sightings(outlet COLLATE NOCASE);

    CREATE TABLE copies (
        copy_id TEXT PRIMARY KEY REFERENCES articles(id),
        origin_id TEXT NOT NULL REFERENCES articles(id),
        similarity REAL NOT NULL,
        containment REAL NOT NULL
    );
    CREATE INDEX copies_origin ON copies(origin_id);

    CREATE TABLE signatures (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        minhash BLOB NOT NULL
    );

    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='pk',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.pk, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.pk, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
    END;
    """,
    # 2: events and storylines, rebuilt as a whole by each clustering run
    """
    CREATE TABLE storylines (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        first_published TEXT,
        last_published TEXT,
        articles INTEGER NOT NULL
    );
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        size INTEGER NOT NULL,
        representative_id TEXT NOT NULL REFERENCES articles(id),
        storyline_id TEXT NOT NULL REFERENCES storylines(id),
        first_published TEXT,
        first_utc REAL,
        last_published TEXT,
        outlets TEXT NOT NULL DEFAULT '[]',
        key_terms TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX events_storyline ON events(storyline_id);
    CREATE INDEX events_first ON events(first_utc);
    CREATE TABLE article_events (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        event_id TEXT NOT NULL REFERENCES events(id),
        similarity REAL NOT NULL
    );
    CREATE INDEX article_events_event ON article_events(event_id);
    """,
    # 3: annotations: one JSON document per article, plus the tables queries need
    """
    CREATE TABLE annotations (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        version INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE mentions (
        article_id TEXT NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL
    );
    CREATE INDEX mentions_article ON mentions(article_id);
    CREATE INDEX mentions_name ON mentions(name, kind);
    CREATE INDEX mentions_text ON mentions(text COLLATE NOCASE);
    CREATE TABLE quotes (
        article_id TEXT NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        speaker TEXT,
        cue TEXT
    );
    CREATE INDEX quotes_article ON quotes(article_id);
    CREATE INDEX quotes_speaker ON quotes(speaker);
    CREATE TABLE actions (
        article_id TEXT NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        source TEXT NOT NULL,
        verb TEXT NOT NULL,
        target TEXT,
        negated INTEGER NOT NULL,
        event_type TEXT
    );
    CREATE INDEX actions_article ON actions(article_id);
    CREATE INDEX actions_source ON actions(source);
    CREATE INDEX actions_target ON actions(target);
    CREATE TABLE actors (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL
    );
    CREATE TABLE actor_names (
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        actor_id TEXT NOT NULL REFERENCES actors(id),
        PRIMARY KEY (name, kind)
    );
    CREATE INDEX actor_names_actor ON actor_names(actor_id);
    """,
    # 4: what `newsweave watch` knows about each feed and each file it has read
    """
    CREATE TABLE watch_feeds (
        location TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        next_try REAL NOT NULL DEFAULT 0,
        last_error TEXT,
        checked_at REAL
    );
    CREATE TABLE watch_files (
        path TEXT PRIMARY KEY,
        mtime_ns INTEGER NOT NULL,
        size INTEGER NOT NULL
    );
    """,
    # 5: thin articles, where outlets came from, record lookups, and what each stage has
    # caught up with (a re-run finishes what an interrupted one left)
    """
    ALTER TABLE articles ADD COLUMN thin TEXT;
    ALTER TABLE articles ADD COLUMN outlet_source TEXT;
    ALTER TABLE sightings ADD COLUMN outlet_source TEXT;
    CREATE INDEX sightings_article ON sightings(article_id);
    CREATE INDEX sightings_input_id ON sightings(input_id) WHERE input_id != '';
    CREATE INDEX sightings_url ON sightings(url) WHERE url != '';
    CREATE INDEX sightings_origin ON sightings(origin);
    CREATE VIRTUAL TABLE sightings_fts USING fts5(
        title, content='sightings', content_rowid='pk',
        tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO sightings_fts(sightings_fts) VALUES ('rebuild');
    CREATE TRIGGER sightings_fts_insert AFTER INSERT ON sightings BEGIN
        INSERT INTO sightings_fts(rowid, title) VALUES (new.pk, new.title);
    END;
    CREATE TRIGGER sightings_fts_delete AFTER DELETE ON sightings BEGIN
        INSERT INTO sightings_fts(sightings_fts, rowid, title) VALUES ('delete', old.pk, old.title);
    END;
    CREATE TRIGGER sightings_fts_update AFTER UPDATE OF title ON sightings BEGIN
        INSERT INTO sightings_fts(sightings_fts, rowid, title) VALUES ('delete', old.pk, old.title);
        INSERT INTO sightings_fts(rowid, title) VALUES (new.pk, new.title);
    END;
    CREATE TABLE marks (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO marks (key, value) VALUES ('articles', 1), ('events_from', 0),
        ('annotations', 1), ('actors_from', 0);
    """,
    # 6: the fragments of a quote broken by its attribution (JSON [[start, end], ...])
    """
    ALTER TABLE quotes ADD COLUMN parts TEXT;
    """,
    # 7: what incremental clustering keeps: each article's sketch, the term table, the
    # candidate-pair graph and its indexes, and the ids of events that were merged or split
    """
    CREATE TABLE cluster_terms (
        id INTEGER PRIMARY KEY,
        term TEXT NOT NULL UNIQUE,
        documents INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE sketches (
        item INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        outlet TEXT NOT NULL,
        published TEXT,
        moment REAL,
        data BLOB NOT NULL,
        event_id TEXT
    );
    CREATE INDEX sketches_event ON sketches(event_id);
    CREATE TABLE sketch_keys (
        term INTEGER NOT NULL,
        item INTEGER NOT NULL,
        moment REAL,
        PRIMARY KEY (term, item)
    ) WITHOUT ROWID;
    CREATE TABLE sketch_recent (
        term INTEGER NOT NULL,
        moment REAL NOT NULL,
        item INTEGER NOT NULL,
        PRIMARY KEY (term, moment, item)
    ) WITHOUT ROWID;
    CREATE TABLE sketch_streets (
        street TEXT NOT NULL,
        item INTEGER NOT NULL,
        PRIMARY KEY (street, item)
    ) WITHOUT ROWID;
    CREATE TABLE title_tails (tail TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
    CREATE INDEX title_tails_count ON title_tails(count);
    CREATE TABLE furniture (
        key INTEGER PRIMARY KEY,
        first REAL NOT NULL,
        last REAL NOT NULL
    );
    CREATE INDEX furniture_last ON furniture(last);
    CREATE TABLE pairs (
        first INTEGER NOT NULL,
        second INTEGER NOT NULL,
        score REAL NOT NULL,
        evidence REAL NOT NULL,
        PRIMARY KEY (first, second)
    ) WITHOUT ROWID;
    CREATE INDEX pairs_second ON pairs(second, first);
    CREATE TABLE event_names (
        term TEXT NOT NULL,
        event_id TEXT NOT NULL,
        moment REAL NOT NULL,
        PRIMARY KEY (term, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX event_names_event ON event_names(event_id);
    CREATE INDEX event_names_time ON event_names(term, moment);
    CREATE TABLE event_redirects (
        old_id TEXT PRIMARY KEY,
        new_id TEXT NOT NULL,
        why TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX event_redirects_new ON event_redirects(new_id);
    CREATE TABLE cluster_dirty (article_id TEXT PRIMARY KEY) WITHOUT ROWID;
    ALTER TABLE events ADD COLUMN names TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE events ADD COLUMN last_utc REAL;
    INSERT INTO marks (key, value) VALUES ('sketched_pk', 0), ('cluster_version', 0),
        ('cluster_documents', 0);
    """,
    # 8: each event's comparison (JSON), used while the fingerprint of what it was computed
    # from (title, member ids, versions) holds; a change to a member article, its records or
    # its annotations drops it
    """
    CREATE TABLE comparisons (
        event_id TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TRIGGER comparisons_article_update AFTER UPDATE ON articles BEGIN
        DELETE FROM comparisons WHERE event_id IN
            (SELECT event_id FROM article_events WHERE article_id = new.id);
    END;
    CREATE TRIGGER comparisons_sighting_insert AFTER INSERT ON sightings BEGIN
        DELETE FROM comparisons WHERE event_id IN
            (SELECT event_id FROM article_events WHERE article_id = new.article_id);
    END;
    CREATE TRIGGER comparisons_sighting_delete AFTER DELETE ON sightings BEGIN
        DELETE FROM comparisons WHERE event_id IN
            (SELECT event_id FROM article_events WHERE article_id = old.article_id);
    END;
    CREATE TRIGGER comparisons_annotation_insert AFTER INSERT ON annotations BEGIN
        DELETE FROM comparisons WHERE event_id IN
            (SELECT event_id FROM article_events WHERE article_id = new.article_id);
    END;
    CREATE TRIGGER comparisons_annotation_delete AFTER DELETE ON annotations BEGIN
        DELETE FROM comparisons WHERE event_id IN
            (SELECT event_id FROM article_events WHERE article_id = old.article_id);
    END;
    """,
    # 9: each article's analysed document (see store/documents.py), dropped when the article's
    # title, text or date changes
    """
    CREATE TABLE documents (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        version INTEGER NOT NULL,
        data BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE TRIGGER documents_article_update
    AFTER UPDATE OF title, text, published_utc ON articles BEGIN
        DELETE FROM documents WHERE article_id = new.id;
    END;
    """,
    # 10: the sentence vectors of an article's analysed document (see store/vectors.py),
    # dropped with the document
    """
    CREATE TABLE sentence_vectors (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        model TEXT NOT NULL,
        data BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE TRIGGER sentence_vectors_article_update
    AFTER UPDATE OF title, text, published_utc ON articles BEGIN
        DELETE FROM sentence_vectors WHERE article_id = new.id;
    END;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
