"""Words the domain, the llm and the store give the learner, in the interface language:
names of languages, numbers, money and dates as that language writes them, counts in the
singular or the plural; and what goes to the model stays English whatever the learner
reads.

Only English has a catalogue in these tests' reach, so in another language the words
stay English while names, numbers and dates change: what is asserted is what the
interface language changes without a translator.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.openai_server import OpenAITestServer, ScriptedReply
from tutor.domain.coach_prompt import coach_messages
from tutor.domain.conversation import TokenUsage
from tutor.domain.corrections import CoachPath, CorrectionStyle
from tutor.domain.levels import Level, all_guides, guide
from tutor.domain.markdown_export import session_markdown
from tutor.domain.profile import LearnerProfile
from tutor.domain.prompts import build_system_message
from tutor.domain.report import estimate_cost
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.session import PracticeSession, session_title
from tutor.i18n.translate import _, use_language
from tutor.llm.client import ChatClient, ServerConfig
from tutor.llm.errors import ErrorKind, LlmError
from tutor.llm.summary import summary_messages
from tutor.store.database import storage_problem

SPANISH_FROM_KOREAN = LearnerProfile("es", Level.A2, "ko")
MODEL = "tutor-test-small"
MESSAGES = [
    {"role": "system", "content": "You are a friendly partner. Speak Spanish."},
    {"role": "user", "content": "Hola"},
]


@pytest.fixture
def korean() -> Iterator[None]:
    use_language("ko")
    try:
        yield
    finally:
        use_language("en")


@pytest.fixture
def german() -> Iterator[None]:
    use_language("de")
    try:
        yield
    finally:
        use_language("en")


def _everything_sent_to_models() -> list[object]:
    profile = SPANISH_FROM_KOREAN
    return [
        build_system_message(profile, FREE_CONVERSATION),
        coach_messages(profile, CorrectionStyle(), "Yo soy bien", "¿Qué tal?", CoachPath.PLAIN, {}),
        summary_messages(profile, [], plain=True),
        [guide(level) for level in Level],
    ]


def test_what_goes_to_the_model_stays_english_whatever_the_interface_language():
    english = _everything_sent_to_models()
    for code in ("ko", "ar", "de"):
        use_language(code)
        try:
            assert _everything_sent_to_models() == english, code
        finally:
            use_language("en")
    assert "Spanish" in str(english[0]) and "스페인어" not in str(english[0])


def test_the_level_picker_reads_the_guides_the_partner_gets_in_english():
    assert [g.name for g in all_guides()] == [guide(level).name for level in Level]
    assert all_guides()[0].can_do == guide(Level.A1).can_do


def test_a_session_title_names_the_language_in_the_interface_language(korean):
    title = session_title(None, "es", "A2", "Ordering at a café")
    assert title == "스페인어 · A2 · Ordering at a café"
    assert session_title("Mi viaje", "es", "A2", "x") == "Mi viaje"  # the learner's own name


def test_free_conversation_is_translated_in_titles_stored_before_any_translation():
    # Sessions store the English title; the title is shown in the interface language.
    title = session_title(None, "es", "A2", FREE_CONVERSATION.title)
    assert title == f"Spanish · A2 · {_('Free conversation')}"


def test_an_exported_conversation_names_its_language_in_the_interface_language(korean):
    session = PracticeSession(
        id=1,
        created_at=datetime(2024, 5, 3, 14, 3, tzinfo=UTC),
        updated_at=datetime(2024, 5, 3, 14, 3, tzinfo=UTC),
        target_language="es",
        level=Level.A2,
        native_language="ko",
        scenario_id="free-conversation",
        scenario_title="Free conversation",
        base_url="http://localhost",
        model="m",
        system_message="",
    )
    text = session_markdown(session, [], tz=UTC)
    assert text.startswith("# 스페인어 · A2 · ")
    # Dates stay ISO 8601 in a document read anywhere.
    assert "2024-05-03 14:03" in text and "스페인어 (es)" in text


def test_a_cost_is_written_as_the_interface_language_writes_money(german):
    cost = estimate_cost("gpt-4o-mini", TokenUsage(1000, 1000), local=False)
    assert cost.dollars == pytest.approx(0.00075)
    assert "0,0008\xa0$" in cost.note  # German: decimal comma, the sign after


def _refusal(server: OpenAITestServer, request: list[dict[str, str]] | None = None) -> LlmError:
    client = ChatClient(ServerConfig(server.base_url, MODEL, None))
    with pytest.raises(LlmError) as caught:
        "".join(client.stream_reply(request or MESSAGES, cap=200))
    return caught.value


def test_a_context_window_is_written_with_the_interface_languages_digit_grouping(server, german):
    server.context_windows[MODEL] = 1200
    huge = [{"role": "system", "content": "Sé amable y paciente. " * 400}, *MESSAGES[1:]]
    error = _refusal(server, huge)
    assert error.kind is ErrorKind.CONTEXT_EXCEEDED
    assert "(sein Kontextfenster fasst 1.200 Tokens)" in error.message  # German words, digits


def test_the_server_s_own_words_are_quoted_inside_the_sentence(server):
    server.enqueue(ScriptedReply(status=500, error_message="Model is loading."))
    assert _refusal(server).message == (
        "The server had a problem (500): Model is loading. Retry in a moment."
    )


def test_a_rate_limit_says_the_wait_in_whole_seconds(server):
    server.enqueue(ScriptedReply(status=429, headers={"Retry-After": "1"}))
    assert _refusal(server).message == (
        "The server is limiting requests (429): Rate limit reached for requests. Try again in 1 s."
    )


def test_a_storage_problem_names_what_was_lost_in_a_whole_sentence():
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL
    assert storage_problem(full, "the reply") == (
        "Your disk is full: the reply could not be saved. Free some space, then try again."
    )
    # As the interface passes it, translated (English here): the same sentence.
    assert storage_problem(full, _("the reply")) == storage_problem(full, "the reply")
    # Something the sentences do not know is said in a sentence of its own.
    assert storage_problem(full, "your notes") == (
        "Your disk is full. Free some space, then try again. Not saved: your notes."
    )


def test_a_language_name_standing_alone_starts_with_a_capital(interface_language):
    from tutor.domain.languages import language
    from tutor.domain.session import session_title
    from tutor.i18n.formats import language_name

    interface_language("fr")
    assert language_name("es") == "espagnol"  # inside a sentence, as French writes it
    assert language("es").interface_name == "Espagnol"
    assert session_title(None, "es", "A2", "Free conversation").startswith("Espagnol · A2 · ")
