"""Schema steps. MIGRATIONS[n - 1] brings the schema from version n - 1 to n.

Never edit a step that has shipped: add a new one.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: sessions with the settings they were made with, and their messages.
    (
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            target_language TEXT NOT NULL,
            level TEXT NOT NULL,
            native_language TEXT NOT NULL,
            scenario_id TEXT NOT NULL,
            scenario_title TEXT NOT NULL,
            base_url TEXT NOT NULL,
            model TEXT NOT NULL,
            system_message TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL
                CHECK (state IN ('complete', 'streaming', 'cut_off', 'failed')),
            model TEXT,
            finish_reason TEXT,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            error TEXT
        )
        """,
        "CREATE INDEX messages_by_session ON messages(session_id, id)",
        "CREATE INDEX sessions_by_update ON sessions(updated_at)",
    ),
    # 2: the coach's corrections of learner messages, their marks, and which way of
    # asking for JSON each server and model accepts.
    (
        """
        CREATE TABLE corrections (
            message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
            state TEXT NOT NULL CHECK (state IN ('checking', 'checked', 'failed')),
            corrected_text TEXT NOT NULL DEFAULT '',
            natural_text TEXT NOT NULL DEFAULT '',
            model TEXT,
            path TEXT,
            error TEXT,
            items_json TEXT NOT NULL DEFAULT '[]',
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            updated_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE correction_marks (
            message_id INTEGER NOT NULL REFERENCES corrections(message_id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            start INTEGER NOT NULL,
            original TEXT NOT NULL,
            corrected TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('change', 'note')),
            category TEXT NOT NULL,
            explanation TEXT NOT NULL,
            dismissed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (message_id, position)
        )
        """,
        """
        CREATE TABLE coach_paths (
            base_url TEXT NOT NULL,
            model TEXT NOT NULL,
            path TEXT NOT NULL,
            PRIMARY KEY (base_url, model)
        )
        """,
    ),
    # 3: which version of a scenario a session used, its goals as they were then, when
    # the learner ended it, and which message met each goal.
    (
        "ALTER TABLE sessions ADD COLUMN scenario_version INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE sessions ADD COLUMN scenario_goals TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE sessions ADD COLUMN ended_at TEXT",
        """
        CREATE TABLE goals_met (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            goal INTEGER NOT NULL,
            message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
            met_at TEXT NOT NULL,
            PRIMARY KEY (session_id, goal)
        )
        """,
    ),
    # 4: review. Full-text search over every message (trigram, so Japanese and Chinese
    # without spaces are found too), renamed and deleted sessions (deleted ones wait
    # for an undo until the next start), session reports, and review cards with
    # their FSRS state and every rating.
    (
        """
        CREATE VIRTUAL TABLE message_search USING fts5(
            text, content='messages', content_rowid='id', tokenize='trigram'
        )
        """,
        """
        CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
            INSERT INTO message_search(rowid, text) VALUES (new.id, new.text);
        END
        """,
        """
        CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
            INSERT INTO message_search(message_search, rowid, text)
                VALUES ('delete', old.id, old.text);
        END
        """,
        """
        CREATE TRIGGER message_search_update AFTER UPDATE OF text ON messages BEGIN
            INSERT INTO message_search(message_search, rowid, text)
                VALUES ('delete', old.id, old.text);
            INSERT INTO message_search(rowid, text) VALUES (new.id, new.text);
        END
        """,
        "INSERT INTO message_search(message_search) VALUES ('rebuild')",
        "ALTER TABLE sessions ADD COLUMN custom_title TEXT",
        "ALTER TABLE sessions ADD COLUMN deleted_at TEXT",
        """
        CREATE TABLE session_reports (
            session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            figures TEXT NOT NULL,
            summary TEXT,
            summary_error TEXT,
            model TEXT,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE review_cards (
            id INTEGER PRIMARY KEY,
            message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
            mark_position INTEGER,
            language TEXT NOT NULL,
            front TEXT NOT NULL,
            back TEXT NOT NULL,
            explanation TEXT NOT NULL DEFAULT '',
            category TEXT,
            fsrs TEXT NOT NULL,
            due TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (message_id, mark_position)
        )
        """,
        "CREATE INDEX review_cards_by_due ON review_cards(due)",
        """
        CREATE TABLE review_log (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES review_cards(id) ON DELETE CASCADE,
            rating INTEGER NOT NULL,
            reviewed_at TEXT NOT NULL,
            log TEXT NOT NULL
        )
        """,
    ),
    # 5: speaking and help while talking. A learner message that was spoken (the coach
    # then ignores punctuation and capitals), reading aids per session, and the answers
    # of help requests (translation, look-up, "how do I say", hints, simpler wording),
    # kept so each costs one request once and counted in the session's report.
    (
        "ALTER TABLE messages ADD COLUMN spoken INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE sessions ADD COLUMN reading_aids INTEGER NOT NULL DEFAULT 0",
        """
        CREATE TABLE help_answers (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            question TEXT NOT NULL DEFAULT '',
            answer TEXT NOT NULL,
            model TEXT,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE UNIQUE INDEX help_answers_by_question
            ON help_answers(session_id, COALESCE(message_id, 0), kind, question)
        """,
    ),
    # 6: a measured coach, a partner who remembers, practice built from mistakes.
    # Scorecards of a coach model on labelled learner corpora (per server, model,
    # language and correction style); the facts a learner shared about themselves (per
    # profile, so in no session: kept when the session they came from is deleted), and
    # which messages have been read for facts (with the cost, counted in the report);
    # a session's practice targets (from "Practise my mistakes") and each use of one.
    (
        """
        CREATE TABLE coach_scores (
            id INTEGER PRIMARY KEY,
            base_url TEXT NOT NULL,
            model TEXT NOT NULL,
            language TEXT NOT NULL,
            corpus TEXT NOT NULL,
            style TEXT NOT NULL,
            sentences INTEGER NOT NULL,
            tokens INTEGER NOT NULL,
            requests INTEGER NOT NULL,
            failed INTEGER NOT NULL DEFAULT 0,
            true_positives INTEGER NOT NULL,
            false_positives INTEGER NOT NULL,
            false_negatives INTEGER NOT NULL,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            seconds REAL NOT NULL,
            complete INTEGER NOT NULL,
            measured_at TEXT NOT NULL
        )
        """,
        """
        CREATE INDEX coach_scores_by_model
            ON coach_scores(base_url, model, language, style, measured_at)
        """,
        """
        CREATE TABLE learner_facts (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'other',
            about_date TEXT,
            session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
            source TEXT NOT NULL CHECK (source IN ('extracted', 'learner')),
            mentions INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE memory_extractions (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            up_to_message_id INTEGER NOT NULL,
            model TEXT,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            error TEXT,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX memory_extractions_by_session ON memory_extractions(session_id, id)",
        # What was written before memory existed counts as read: Tutor does not go back
        # through old conversations for facts the learner never knew it would keep.
        """
        INSERT INTO memory_extractions (session_id, up_to_message_id, created_at)
            SELECT session_id, MAX(id), strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
            FROM messages GROUP BY session_id
        """,
        "ALTER TABLE sessions ADD COLUMN practice_targets TEXT NOT NULL DEFAULT '[]'",
        """
        CREATE TABLE target_uses (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            target INTEGER NOT NULL,
            correct INTEGER NOT NULL,
            PRIMARY KEY (message_id, target)
        )
        """,
    ),
)
