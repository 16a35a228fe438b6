"""Reading "how do I say…?", hint and simplify answers: lenient about their form,
strict about their content; the `?` prefix; what each request asks the model."""

from __future__ import annotations

import json

import pytest

from tutor.domain.conversation import ChatMessage, Role, utc_now
from tutor.domain.corrections import CoachPath
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.say_help import (
    HelpAnswerError,
    HelpTask,
    Suggestion,
    parse_simpler,
    parse_suggestions,
    say_question,
    simpler_json,
    suggestions_json,
)
from tutor.domain.say_prompt import HelpQuestion, help_messages, hint_turns, response_format

PROFILE = LearnerProfile("es", Level.A2, "de")


def test_a_good_answer_gives_its_options_with_notes() -> None:
    text = json.dumps(
        {"options": [{"text": "La cuenta, por favor.", "note": "höflich"}, {"text": "¿Me cobra?"}]}
    )
    assert parse_suggestions(text) == (
        Suggestion("La cuenta, por favor.", "höflich"),
        Suggestion("¿Me cobra?", ""),
    )


def test_prose_fences_renamed_keys_and_bare_lists_are_read() -> None:
    fenced = 'Sure!\n```json\n{"Suggestions": [{"phrase": "Hola", "meaning": "Hallo"}]}\n```'
    assert parse_suggestions(fenced) == (Suggestion("Hola", "Hallo"),)
    assert parse_suggestions('["Sí", "No", "Sí", "Quizás", "Nunca"]') == (
        Suggestion("Sí", ""),
        Suggestion("No", ""),
        Suggestion("Quizás", ""),
    )
    assert parse_simpler('Here: {"simplified": " ¿Quieres café? "}', "¿Te apetece un café?") == (
        "¿Quieres café?"
    )


@pytest.mark.parametrize(
    "answer",
    [
        "I would say: la cuenta.",
        '{"options": "la cuenta"}',
        '{"options": [{"text": ""}, 3, null]}',
        "x" * 30_000,
    ],
)
def test_a_malformed_answer_is_a_clear_error(answer: str) -> None:
    with pytest.raises(HelpAnswerError) as raised:
        parse_suggestions(answer)
    assert str(raised.value).startswith("The answer")


def test_a_simpler_wording_must_exist_and_be_no_essay() -> None:
    with pytest.raises(HelpAnswerError):
        parse_simpler('{"simpler": "  "}', "Hola")
    with pytest.raises(HelpAnswerError):
        parse_simpler(json.dumps({"simpler": "palabra " * 100}), "Hola, ¿qué tal?")


def test_kept_answers_read_back_the_same() -> None:
    options = (Suggestion("Hola", "Hallo"), Suggestion("Buenas", "Guten Tag"))
    assert parse_suggestions(suggestions_json(options)) == options
    assert parse_simpler(simpler_json("¿Café?")) == "¿Café?"


@pytest.mark.parametrize(
    ("typed", "question"),
    [
        ("? I'd like the bill", "I'd like the bill"),
        ("  ?I'd like the bill ", "I'd like the bill"),
        ("？お会計をお願いします", "お会計をお願いします"),
        ("؟ أريد الحساب", "أريد الحساب"),
        ("?", ""),
        ("¿Dónde está el baño?", None),  # Spanish opening mark: a real message
        ("Where? Here.", None),
        ("", None),
    ],
)
def test_the_question_mark_prefix_asks_how_to_say(typed: str, question: str | None) -> None:
    assert say_question(typed) == question


def _asked(question: HelpQuestion, path: CoachPath = CoachPath.JSON_OBJECT) -> dict[str, object]:
    messages = help_messages(question, path)
    assert messages[0]["role"] == "system" and "A2" in messages[0]["content"]
    return dict(json.loads(messages[-1]["content"]))


def test_each_request_names_its_task_level_and_languages() -> None:
    say = _asked(HelpQuestion(HelpTask.SAY, PROFILE, 'Ich möchte "zahlen"'))
    assert say["task"] == "say" and say["meaning"] == 'Ich möchte "zahlen"'
    assert (say["language"], say["native_language"], say["level"]) == ("Spanish", "German", "A2")
    simpler = _asked(HelpQuestion(HelpTask.SIMPLIFY, PROFILE, "¿Te apetece algo?"))
    assert simpler["task"] == "simplify" and simpler["reply"] == "¿Te apetece algo?"


def test_a_hint_sees_the_last_turns_and_the_next_goal() -> None:
    now = utc_now()
    messages = [
        ChatMessage(i, 1, Role.ASSISTANT if i % 2 else Role.USER, f"t{i}", now)
        for i in range(1, 10)
    ]
    turns = hint_turns(messages)
    assert len(turns) == 6 and turns[-1] == ("partner", "t9") and turns[0] == ("learner", "t4")
    asked = _asked(HelpQuestion(HelpTask.HINT, PROFILE, "t9", turns, "Order a coffee"))
    assert asked["next_goal"] == "Order a coffee" and asked["partner_said"] == "t9"
    assert len(asked["conversation"]) == 6  # type: ignore[arg-type]
    free = _asked(HelpQuestion(HelpTask.HINT, PROFILE, "t9", turns))
    assert "next_goal" not in free


def test_each_path_asks_for_json_its_own_way() -> None:
    fmt = response_format(HelpTask.SIMPLIFY, CoachPath.JSON_SCHEMA)
    assert fmt is not None and fmt["json_schema"]["schema"]["required"] == ["simpler"]
    assert response_format(HelpTask.HINT, CoachPath.JSON_OBJECT) == {"type": "json_object"}
    assert response_format(HelpTask.SAY, CoachPath.PLAIN) is None
    plain = help_messages(HelpQuestion(HelpTask.SAY, PROFILE, "x"), CoachPath.PLAIN)
    assert "Example:" in plain[0]["content"]
