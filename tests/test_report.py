"""Session reports: the figures, the cost, the summary's checks, and the report as a learner
opens it when a session ends."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt, QUrl

from tests.gui_helpers import practice_argv, session_of, start_app, type_and_send, wait_until_idle
from tests.openai_server import ScriptedReply, _manual_server, _parse_args, coach_reply
from tutor.domain.conversation import ChatMessage, Role, TokenUsage
from tutor.domain.corrections import (
    Category,
    CoachItem,
    CoachVerdict,
    Correction,
    CorrectionState,
    build_marks,
)
from tutor.domain.report import estimate_cost, session_figures
from tutor.llm.summary import parse_summary

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def learner(mid: int, text: str, corrected: str | None, minutes: int) -> ChatMessage:
    correction = None
    if corrected is not None:
        verdict = CoachVerdict(corrected, (CoachItem("goed", "went", "", Category.GRAMMAR),))
        correction = Correction(
            mid, CorrectionState.CHECKED, corrected, marks=build_marks(text, verdict)
        )
    return ChatMessage(
        mid, 1, Role.USER, text, T0 + timedelta(minutes=minutes), correction=correction
    )


def partner(mid: int, minutes: int, usage: TokenUsage | None) -> ChatMessage:
    return ChatMessage(
        mid, 1, Role.ASSISTANT, "Vale.", T0 + timedelta(minutes=minutes), usage=usage
    )


def test_figures_count_turns_words_mistakes_clean_messages_new_words_time_and_tokens():
    messages = [
        partner(1, 0, TokenUsage(100, 20)),
        learner(2, "Yesterday I goed to the park", "Yesterday I went to the park", 2),
        partner(3, 3, TokenUsage(150, 25)),
        learner(4, "It was sunny and warm", "It was sunny and warm", 9),
        partner(5, 10, None),
        learner(6, "Not checked yet", None, 12),
    ]
    figures = session_figures(
        "en",
        messages,
        known_words={"yesterday", "i", "to", "the", "it", "was"},
        coach_tokens=TokenUsage(300, 60),
        model="gpt-4o-mini",
        local=False,
    )
    assert figures.turns == 3
    assert figures.words_written == 6 + 5 + 3
    assert figures.mistakes == 1
    assert figures.mistakes_by_category == {"Grammar": 1}
    assert (figures.clean_messages, figures.checked_messages) == (1, 2)
    assert figures.new_words == tuple(
        sorted({"went", "park", "sunny", "and", "warm", "not", "checked", "yet"})
    )
    assert figures.duration_minutes == 12
    assert figures.partner_tokens == TokenUsage(250, 45)
    expected = ((250 + 300) * 0.15 + (45 + 60) * 0.60) / 1e6
    assert figures.cost.dollars is not None and abs(figures.cost.dollars - expected) < 1e-12


def test_local_models_are_free_and_unknown_models_say_so():
    assert estimate_cost("llama3.2", TokenUsage(10**6, 10**6), local=True).dollars == 0.0
    unknown = estimate_cost("my-model", TokenUsage(10, 10), local=False)
    assert unknown.dollars is None and "my-model" in unknown.note


def test_new_words_are_not_claimed_for_languages_written_without_spaces():
    messages = [learner(2, "週末は京都に行きました。", None, 0)]
    figures = session_figures(
        "ja", messages, known_words=set(), coach_tokens=TokenUsage(0, 0), model="m", local=True
    )
    assert figures.new_words is None


def test_a_summary_keeps_only_messages_the_learner_wrote():
    text = json.dumps(
        {
            "went_well": "Buenas preguntas.",
            "patterns": [
                {"text": "El pasado de ir.", "message_ids": [2, 99, "4", True, 4]},
                {"no_text": 1},
            ],
        }
    )
    summary = parse_summary(text, {2, 4})
    assert summary is not None
    assert summary.went_well == "Buenas preguntas."
    assert [(p.text, p.message_ids) for p in summary.patterns] == [("El pasado de ir.", (2, 4))]
    assert parse_summary("no json here", {2}) is None
    assert parse_summary('{"patterns": []}', {2}) is None


def test_ending_a_session_offers_its_report_with_a_summary_linked_to_messages(
    qtbot, server, data_dir, keyring_backend
):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    server.enqueue_coach(
        coach_reply("Ayer fui al parque.", [("fue", "fui", "Yo: fui.", "grammar")])
    )
    type_and_send(qtbot, window, "Ayer fue al parque.")
    wait_until_idle(qtbot, window)
    first = next(m for m in window.practice.messages if m.role is Role.USER)
    summary = {
        "went_well": "Escribes frases claras.",
        "patterns": [{"text": "Repasa el pretérito de ir.", "message_ids": [first.id]}],
    }
    server.enqueue_summary(ScriptedReply(text=json.dumps(summary, ensure_ascii=False)))
    window.end_action.trigger()
    dialog = window.report_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.summary_pending)
    shown = dialog.view.toPlainText()
    assert "Your messages" in shown and "Grammar: 1" in shown
    assert "Escribes frases claras." in shown and "Repasa el pretérito de ir." in shown
    assert not window.composer.isEnabled()  # the session has ended
    stored = context.reports.report(session_of(window).id)
    assert stored is not None and stored.summary is not None
    assert stored.summary.patterns[0].message_ids == (first.id,)

    received = []
    dialog.message_requested.connect(lambda s, m: received.append((s, m)))
    dialog.view.anchorClicked.emit(QUrl(f"tutor:message/{first.id}"))
    assert received == [(session_of(window).id, first.id)]


def test_a_failed_summary_keeps_the_figures_and_offers_try_again(
    qtbot, server, data_dir, keyring_backend
):
    window, _ = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    type_and_send(qtbot, window, "Hola, ¿qué tal?")
    wait_until_idle(qtbot, window)
    server.enqueue_summary(ScriptedReply(status=500))
    window.report_action.trigger()
    dialog = window.report_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.summary_pending)
    assert "The server had a problem (500)" in dialog.view.toPlainText()
    assert "Your messages" in dialog.view.toPlainText()
    assert dialog.summary_button.text() == "Try again"
    server.enqueue_summary(ScriptedReply(text='{"went_well": "Bien.", "patterns": []}'))
    qtbot.mouseClick(dialog.summary_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.summary_pending)
    assert "Bien." in dialog.view.toPlainText()


def test_the_report_written_against_the_try_it_server_has_a_summary(
    qtbot, data_dir, keyring_backend
):
    """The README's way to try Tutor without a model (`python -m tests.openai_server`)
    writes a whole report: the summary is asked for, answered and shown."""
    with _manual_server(_parse_args(["--port", "0"])) as server:
        window, _ = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
        wait_until_idle(qtbot, window)
        type_and_send(qtbot, window, "Yesterday I goed to the park.")
        wait_until_idle(qtbot, window)
        window.end_action.trigger()
        dialog = window.report_dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: not dialog.summary_pending)
        shown = dialog.view.toPlainText()
        assert "could not be written" not in shown
        assert "You wrote 1 message and" in shown
        assert "Watch «goed»: it should be «went»." in shown
        assert len(server.summary_requests()) == 1
