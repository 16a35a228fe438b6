"""Help answers are kept once, found again by what was asked, counted, and go with
their session and message."""

import sqlite3
from pathlib import Path

from tutor.domain.conversation import TokenUsage
from tutor.store.database import open_database
from tutor.store.help_answers import HelpAnswerStore


def _database(tmp_path: Path) -> sqlite3.Connection:
    database = open_database(tmp_path / "tutor.sqlite3")
    for session in (1, 2):
        database.execute(
            """INSERT INTO sessions (id, created_at, updated_at, target_language, level,
               native_language, scenario_id, scenario_title, base_url, model, system_message)
               VALUES (?, '2026-01-01', '2026-01-01', 'es', 'A2', 'en', 's', 'S', 'u', 'm', '')""",
            (session,),
        )
    database.execute(
        """INSERT INTO messages (id, session_id, role, text, created_at, state)
           VALUES (10, 1, 'assistant', 'Hola', '2026-01-01', 'complete')"""
    )
    return database


def test_an_answer_is_found_again_by_message_kind_and_question(tmp_path: Path) -> None:
    store = HelpAnswerStore(_database(tmp_path))
    store.save(1, 10, "translation", '{"text": "Hello"}', model="m", usage=TokenUsage(30, 5))
    store.save(1, 10, "lookup", '{"meaning": "hello"}', question="Hola")
    store.save(1, None, "say", '{"options": []}', question="I am hungry")

    found = store.answer(1, 10, "translation")
    assert found is not None and found.answer == '{"text": "Hello"}'
    assert found.usage == TokenUsage(30, 5)
    assert store.answer(1, 10, "lookup", "Hola") is not None
    assert store.answer(1, 10, "lookup", "Adiós") is None
    assert store.answer(1, None, "say", "I am hungry") is not None
    assert store.answer(2, 10, "translation") is None


def test_asking_again_replaces_and_tokens_add_up_per_session(tmp_path: Path) -> None:
    store = HelpAnswerStore(_database(tmp_path))
    store.save(1, 10, "translation", "old", usage=TokenUsage(10, 1))
    store.save(1, 10, "translation", "new", usage=TokenUsage(20, 2))
    store.save(1, None, "hint", "h", usage=TokenUsage(5, 5))
    store.save(2, None, "hint", "h", usage=TokenUsage(100, 100))
    assert [a.answer for a in store.answers(1, "translation")] == ["new"]
    assert store.tokens(1) == TokenUsage(25, 7)


def test_answers_go_with_their_message_and_session(tmp_path: Path) -> None:
    database = _database(tmp_path)
    store = HelpAnswerStore(database)
    store.save(1, 10, "translation", "t")
    store.save(1, None, "hint", "h")
    database.execute("DELETE FROM messages WHERE id = 10")
    assert store.answer(1, 10, "translation") is None
    database.execute("DELETE FROM sessions WHERE id = 1")
    assert store.answers(1, "hint") == []
