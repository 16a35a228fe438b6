"""Translating and looking up as use cases (tutor/services/help_words.py), without Qt,
against the local test server: asked on the coach's model, kept once (asking again
makes no request), counted in the session's report, and a failure said in words that
leaves the conversation as it was."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.help_endpoint import MALFORMED, translated
from tests.openai_server import OpenAITestServer, ScriptedReply, task_question
from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.corrections import CoachPath
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.session import PracticeSession
from tutor.domain.word_help import PartOfSpeech
from tutor.domain.word_spans import NotInTextError
from tutor.llm.client import ServerConfig
from tutor.llm.errors import LlmError
from tutor.llm.factory import ClientFactory
from tutor.services import help_words, reports
from tutor.services.changes import Change, ChangeHub, Changes
from tutor.store.corrections import CorrectionStore
from tutor.store.database import open_database
from tutor.store.help_answers import HelpAnswerStore
from tutor.store.learner_facts import LearnerFactStore
from tutor.store.reports import ReportStore
from tutor.store.review_cards import ReviewStore
from tutor.store.sessions import SessionStore

PARTNER = "¡Hola! Ayer comí paella en la playa. ¿Y tú?"


@dataclass
class Context:
    """The parts of the application context help needs."""

    sessions: SessionStore
    corrections: CorrectionStore
    help_answers: HelpAnswerStore
    review: ReviewStore
    reports: ReportStore
    learner_facts: LearnerFactStore
    base_url: str = ""
    clients: ClientFactory = field(default_factory=ClientFactory)
    changes: ChangeHub = field(default_factory=ChangeHub)
    heard: list[Changes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.changes.subscribe(self.heard.append)

    def server_address(self) -> tuple[str, str] | None:
        return (self.base_url, "partner") if self.base_url else None

    def coach_model(self) -> str | None:
        return "coach" if self.base_url else None

    def server_config(self) -> ServerConfig | None:
        return ServerConfig(self.base_url, "partner") if self.base_url else None


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tutor.sqlite3"


@pytest.fixture
def context(db_path: Path, server: OpenAITestServer) -> Iterator[Context]:
    connection = open_database(db_path)
    yield Context(
        SessionStore(connection),
        CorrectionStore(connection),
        HelpAnswerStore(connection),
        ReviewStore(connection),
        ReportStore(connection),
        LearnerFactStore(connection),
        base_url=server.base_url,
    )
    connection.close()


def _session(context: Context) -> tuple[PracticeSession, ChatMessage]:
    session = context.sessions.create_session(
        LearnerProfile("es", Level.A2, "en"),
        FREE_CONVERSATION,
        base_url="http://127.0.0.1:1/v1",
        model="partner",
        system_message="s",
    )
    message = context.sessions.add_message(session.id, Role.ASSISTANT, PARTNER)
    return session, message


def _conversation(db_path: Path) -> list[tuple[object, ...]]:
    """What another connection sees of the conversation: messages and corrections."""
    other = sqlite3.connect(db_path)
    try:
        return (
            other.execute("SELECT id, role, text, state FROM messages ORDER BY id").fetchall()
            + other.execute("SELECT * FROM corrections").fetchall()
        )
    finally:
        other.close()


def _translate(context: Context, session: PracticeSession, message: ChatMessage) -> str:
    request = help_words.help_request(context, session, message)
    assert request is not None
    result = help_words.ask_translation(context, request)
    return help_words.keep_translation(context, request, result).text


def test_a_translation_is_asked_of_the_coach_once_then_kept(
    context: Context, server: OpenAITestServer
) -> None:
    session, message = _session(context)
    assert help_words.kept_translation_of(context.help_answers, message) is None

    assert _translate(context, session, message) == translated(PARTNER, "English")
    asked = server.task_requests("translate")
    assert len(asked) == 1 and asked[0]["model"] == "coach"
    assert task_question(asked[0])["text"] == PARTNER
    assert asked[0]["response_format"]["type"] == "json_schema"

    kept = help_words.kept_translation_of(context.help_answers, message)
    assert kept is not None and kept.text == translated(PARTNER, "English")
    assert help_words.kept_translations(context.help_answers, session.id) == {
        (message.id, PARTNER): kept
    }
    assert len(server.task_requests("translate")) == 1  # kept: no second request
    changed = message.with_changes(text="¡Hola! ¿Qué tal?")  # made simpler since, say
    assert help_words.kept_translation_of(context.help_answers, changed) is None


def test_a_look_up_gives_simplemmas_dictionary_form_and_is_kept_under_its_word(
    context: Context, server: OpenAITestServer
) -> None:
    session, message = _session(context)
    start = PARTNER.index("comí")
    target = help_words.target_in(message, start, start + 4, "comí")
    request = help_words.help_request(context, session, message, target)
    assert request is not None
    server.enqueue_task(
        "lookup",
        ScriptedReply(
            text='{"meaning": "ate", "lemma": "comí", "part_of_speech": "verb", '
            '"example": "Como pan.", "example_meaning": "I eat bread."}'
        ),
    )
    lookup = help_words.keep_lookup(context, request, help_words.ask_lookup(context, request))
    assert (lookup.meaning, lookup.lemma, lookup.lemma_from_dictionary) == ("ate", "comer", True)
    assert lookup.part_of_speech is PartOfSpeech.VERB
    question = task_question(server.task_requests("lookup")[0])
    assert (question["word"], question["sentence"]) == ("comí", "Ayer comí paella en la playa.")
    assert help_words.kept_lookup_of(context.help_answers, message, "comí") == lookup
    assert help_words.kept_lookup_of(context.help_answers, message, "playa") is None


def test_a_word_no_longer_in_the_message_is_said_and_not_asked(
    context: Context, server: OpenAITestServer
) -> None:
    session, message = _session(context)
    with pytest.raises(NotInTextError, match="“bebí” is not in this message"):
        help_words.target_in(message, 11, 15, "bebí")
    learner = context.sessions.add_message(session.id, Role.USER, "Yo comí pan.")
    with pytest.raises(NotInTextError, match="partner"):
        help_words.target_in(learner, 3, 7)
    assert server.task_requests("lookup") == []


def test_a_malformed_answer_fails_in_words_after_every_path_and_changes_nothing(
    context: Context, server: OpenAITestServer, db_path: Path
) -> None:
    session, message = _session(context)
    before = _conversation(db_path)
    server.enqueue_task("translate", MALFORMED, MALFORMED, MALFORMED)
    request = help_words.help_request(context, session, message)
    assert request is not None
    with pytest.raises(LlmError) as caught:
        help_words.ask_translation(context, request)
    words = help_words.failure_words(caught.value, request)
    assert words.startswith("The message could not be translated: ")
    assert "no translation" in words or "no JSON" in words
    formats = [r.get("response_format", {}).get("type") for r in server.task_requests("translate")]
    assert formats == ["json_schema", "json_object", None]  # strict, then lenient
    assert _conversation(db_path) == before
    assert help_words.kept_translation_of(context.help_answers, message) is None
    assert context.heard == []


def test_a_server_error_is_explained_and_nothing_is_kept(
    context: Context, server: OpenAITestServer, db_path: Path
) -> None:
    session, message = _session(context)
    before = _conversation(db_path)
    server.enqueue_task("lookup", ScriptedReply(status=500))
    target = help_words.target_in(message, 1, 5)
    request = help_words.help_request(context, session, message, target)
    assert request is not None
    with pytest.raises(LlmError) as caught:
        help_words.ask_lookup(context, request)
    assert "The server had a problem (500)" in help_words.failure_words(caught.value, request)
    assert len(server.task_requests("lookup")) == 1  # a server error is not a format refusal
    assert _conversation(db_path) == before
    assert context.help_answers.answers(session.id, "lookup") == []


def test_the_path_that_worked_is_where_the_next_request_starts(
    context: Context, server: OpenAITestServer
) -> None:
    session, message = _session(context)
    server.refused_response_formats.add("json_schema")
    _translate(context, session, message)
    assert context.corrections.coach_path(server.base_url, "coach") is CoachPath.JSON_OBJECT
    target = help_words.target_in(message, 1, 5)
    request = help_words.help_request(context, session, message, target)
    assert request is not None and request.first_path is CoachPath.JSON_OBJECT


def test_without_a_server_nothing_is_asked(context: Context) -> None:
    session, message = _session(context)
    context.base_url = ""
    assert help_words.help_request(context, session, message) is None


def test_help_tokens_count_in_the_report_and_its_cost(
    context: Context, server: OpenAITestServer
) -> None:
    session, message = _session(context)
    _translate(context, session, message)  # 40 + 12 tokens (tests/help_endpoint.py)
    report, _new = reports.open_report(context, session, [message])
    assert report.figures.help_tokens.total_tokens == 52
    kept = context.reports.report(session.id)
    assert kept is not None and kept.figures.help_tokens.total_tokens == 52


def test_a_report_kept_before_help_was_counted_still_opens(context: Context, db_path: Path) -> None:
    session, message = _session(context)
    report, _new = reports.open_report(context, session, [message])
    other = sqlite3.connect(db_path)
    figures = other.execute("SELECT figures FROM session_reports").fetchone()[0]
    import json

    old = json.loads(figures)
    del old["help_tokens"]
    other.execute("UPDATE session_reports SET figures = ?", (json.dumps(old),))
    other.commit()
    other.close()
    kept = context.reports.report(session.id)
    assert kept is not None and kept.figures.help_tokens.total_tokens == 0
    assert kept.figures.turns == report.figures.turns


def test_add_to_review_makes_one_vocabulary_card_in_the_sessions_deck(
    context: Context, server: OpenAITestServer
) -> None:
    from tutor.services.exports import deck_cards

    session, message = _session(context)
    start = PARTNER.index("comí")
    target = help_words.target_in(message, start, start + 4)
    request = help_words.help_request(context, session, message, target)
    assert request is not None
    lookup = help_words.keep_lookup(context, request, help_words.ask_lookup(context, request))
    card = help_words.add_to_review(context, session, message.id, target, lookup)
    again = help_words.add_to_review(context, session, message.id, target, lookup)
    assert again.id == card.id  # the same word in the same sentence: one card
    assert card.front == "Ayer ⟦comí⟧ paella en la playa."
    assert card.back == "ate (I ate)\ncomer" and card.category == "vocabulary"
    assert not card.is_sentence
    assert context.heard[-1] == Changes(Change.CARDS, session.id)
    assert [c.id for c in deck_cards(context.review, context.sessions, session.id)] == [card.id]


def test_a_vocabulary_card_goes_to_anki_with_its_word_bold_in_the_sentence(
    context: Context, tmp_path: Path
) -> None:
    from tests.test_exports import read_notes
    from tutor.services.exports import write_deck

    session, message = _session(context)
    start = PARTNER.index("comí")
    target = help_words.target_in(message, start, start + 4)
    request = help_words.help_request(context, session, message, target)
    assert request is not None
    lookup = help_words.keep_lookup(context, request, help_words.ask_lookup(context, request))
    help_words.add_to_review(context, session, message.id, target, lookup)
    path = tmp_path / "deck.apkg"
    write_deck(context.review.cards(), path)
    notes, _decks = read_notes(path)
    front, back, explanation, language = notes[0][2].split("\x1f")
    assert front == "Ayer <b>comí</b> paella en la playa."
    assert back == "ate (I ate)<br>comer"
    assert explanation == "Hoy como en casa.<br>Today I eat at home."
    assert language == "es" and notes[0][3].split() == ["tutor", "es", "vocabulary"]
