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
)
