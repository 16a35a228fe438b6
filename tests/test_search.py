"""Search across sessions: any script, any case, short queries, deleted sessions left out."""

from __future__ import annotations

import pytest

from tutor.domain.conversation import MessageState, Role
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.store.database import open_database
from tutor.store.search import MessageSearch, snippet
from tutor.store.sessions import SessionStore


@pytest.fixture
def stores(tmp_path):
    connection = open_database(tmp_path / "tutor.sqlite3")
    yield SessionStore(connection), MessageSearch(connection)
    connection.close()


def _session(sessions, language="es"):
    return sessions.create_session(
        LearnerProfile(language, Level.A2, "en"),
        FREE_CONVERSATION,
        base_url="http://x/v1",
        model="m",
        system_message="s",
    )


def _texts(hits):
    return ["".join(piece for piece, _ in hit.snippet) for hit in hits]


def test_finds_words_in_any_case_newest_first_with_the_hit_marked(stores):
    sessions, search = stores
    session = _session(sessions)
    sessions.add_message(session.id, Role.USER, "Ayer fui al Parque con mi hermana.")
    newer = sessions.add_message(session.id, Role.ASSISTANT, "¿Qué parque? El parque del Retiro?")
    hits = search.search("parque")
    assert hits[0].message_id == newer.id
    assert len(hits) == 2
    assert ("parque", True) in hits[0].snippet and ("Parque", True) in hits[1].snippet
    assert hits[0].session_id == session.id


def test_japanese_without_spaces_and_arabic_are_found(stores):
    sessions, search = stores
    ja = _session(sessions, "ja")
    ar = _session(sessions, "ar")
    sessions.add_message(ja.id, Role.USER, "週末は友達と京都に行きました。")
    sessions.add_message(ar.id, Role.USER, "قرأت رواية جميلة عن مدينة القاهرة.")
    assert _texts(search.search("京都に行")) == ["週末は友達と京都に行きました。"]
    assert _texts(search.search("京都")) == ["週末は友達と京都に行きました。"]  # 2 characters
    assert _texts(search.search("القاهرة")) == ["قرأت رواية جميلة عن مدينة القاهرة."]


def test_quotes_percent_and_operators_are_searched_as_text(stores):
    sessions, search = stores
    session = _session(sessions)
    sessions.add_message(session.id, Role.USER, 'Dijo "hola" al 100% AND NOT adiós')
    assert len(search.search('"hola"')) == 1
    assert len(search.search("0%")) == 1
    assert len(search.search("AND NOT")) == 1
    assert search.search("_") == []
    assert search.search("   ") == []


def test_edited_and_deleted_messages_and_deleted_sessions_drop_out(stores):
    sessions, search = stores
    session = _session(sessions)
    reply = sessions.add_message(session.id, Role.ASSISTANT, "", state=MessageState.STREAMING)
    sessions.save_partial_text(reply.id, "Una respuesta a medias")
    assert len(search.search("a medias")) == 1
    gone = sessions.add_message(session.id, Role.USER, "mensaje borrado")
    sessions.delete_message(gone.id)
    assert search.search("borrado") == []
    sessions.delete_session(session.id)
    assert search.search("a medias") == []
    sessions.restore_session(session.id)
    assert len(search.search("a medias")) == 1


def test_a_snippet_cuts_long_text_around_the_hit():
    text = "palabra " * 50 + "AGUJA en medio " + "palabra " * 50
    pieces = snippet(text, "aguja")
    joined = "".join(p for p, _ in pieces)
    assert joined.startswith("…") and joined.endswith("…")
    assert ("AGUJA", True) in pieces
    assert len(joined) < 200


def test_a_short_query_looks_through_the_newest_messages_only(stores, monkeypatch):
    import tutor.store.search as search_module

    sessions, search = stores
    monkeypatch.setattr(search_module, "SHORT_QUERY_REACH", 3)
    session = _session(sessions, "ja")
    sessions.add_message(session.id, Role.USER, "古い京都")
    for text in ("一", "二", "新しい京都"):
        sessions.add_message(session.id, Role.USER, text)
    assert _texts(search.search("京都")) == ["新しい京都"]  # two characters: the newest 3
    assert len(search.search("い京都")) == 2  # three: the index, everything
