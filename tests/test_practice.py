"""Practice built from the learner's mistakes, below the interface: which kinds are
chosen from the notebook, the scenario request and its strict checks, the coach watching
a session's targets (and asked exactly as before in a session without them), and the
report's count of each target's right and wrong uses."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.openai_server import OpenAITestServer, coach_json
from tests.practice_endpoint import (
    MALFORMED_SCENARIO,
    TASK,
    invalid_scenario,
    scenario_for,
)
from tests.practice_notebook import PAST_TENSE, write_mistakes
from tutor.domain.coach_prompt import coach_messages, response_format
from tutor.domain.coach_reply import parse_coach_reply
from tutor.domain.conversation import Role, TokenUsage
from tutor.domain.corrections import (
    Category,
    CoachPath,
    CoachVerdict,
    CorrectionScope,
    CorrectionStyle,
    MarkKind,
    TargetUse,
)
from tutor.domain.levels import Level
from tutor.domain.notebook import NotebookEntry
from tutor.domain.practice_prompt import (
    PracticeAnswerError,
    PracticeQuestion,
    parse_scenario,
    practice_messages,
)
from tutor.domain.practice_targets import (
    MistakeExample,
    MistakeKind,
    PracticeTarget,
    choose_kinds,
)
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import (
    Category as ScenarioCategory,
)
from tutor.domain.scenarios import (
    ScenarioError,
    scenario_from_dict,
    scenario_to_dict,
)
from tutor.llm.client import ChatClient, ServerConfig
from tutor.llm.coach import CoachResult
from tutor.llm.errors import LlmError
from tutor.llm.factory import ClientFactory, Timeouts
from tutor.llm.practice import ask_scenario
from tutor.services.changes import ChangeHub
from tutor.services.coaching import apply_check
from tutor.services.practice import (
    cannot_practise,
    keep_practice,
    mistake_kinds,
    new_scenario_id,
    practice_call,
    run_practice,
)
from tutor.services.reports import build_figures
from tutor.store.corrections import CorrectionStore
from tutor.store.database import open_database
from tutor.store.notebook import NotebookStore
from tutor.store.reports import ReportStore
from tutor.store.review_cards import ReviewStore
from tutor.store.scenario_library import ScenarioLibrary
from tutor.store.sessions import SessionStore

PROFILE = LearnerProfile("es", Level.A2, "en")
NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
PAST = PracticeTarget(Category.GRAMMAR, ("fui", "comí"), "past tense (preterite)", 0)
ACCENTS = PracticeTarget(Category.SPELLING, ("música",), "written accents", 1)
GOLDEN = Path(__file__).parent / "data" / "coach_prompts_before_practice.json"


def _entry(text: str, wrong: str, right: str, category: Category, days_ago: float) -> NotebookEntry:
    return NotebookEntry(
        language="es",
        category=category,
        original=wrong,
        corrected=right,
        explanation=f"'{right}', not '{wrong}'.",
        when=NOW - timedelta(days=days_ago),
        session_id=1,
        message_id=1,
        learner_text=text,
        kind=MarkKind.CHANGE,
        start=text.index(wrong),
    )


def _notebook(days_ago: float = 1) -> list[NotebookEntry]:
    return [_entry(*mistake, days_ago=days_ago + i / 10) for i, mistake in enumerate(PAST_TENSE)]


# -- choosing what to practise ------------------------------------------------------------


def test_the_most_frequent_recent_kinds_are_chosen_with_their_forms():
    choice = choose_kinds(_notebook(), NOW)
    assert choice.reason == ""
    # Grammar 5, spelling 2; vocabulary has only one mistake: not a kind of its own.
    assert [(k.category, k.count) for k in choice.kinds] == [
        (Category.GRAMMAR, 5),
        (Category.SPELLING, 2),
    ]
    past = choice.kinds[0].examples
    assert past[0] == MistakeExample("va", "fui", "'fui', not 'va'.")  # twice: first
    assert {(e.wrote, e.right) for e in past} == {
        ("va", "fui"),
        ("como", "comí"),
        ("es", "fue"),
        ("tengo", "tuve"),
    }


def test_recent_mistakes_win_over_old_ones_and_old_ones_help_when_too_few_are_recent():
    old_grammar = _notebook(days_ago=90)
    recent = [_entry("Me gusta la musica.", "musica", "música", Category.SPELLING, 2)] * 3
    assert choose_kinds(recent + old_grammar, NOW).kinds[0].category is Category.SPELLING
    # One recent mistake is too few to see a pattern: the newest of any age are read.
    choice = choose_kinds(recent[:1] + old_grammar, NOW)
    assert choice.kinds[0].category is Category.GRAMMAR


def test_no_mistakes_or_too_few_say_why_in_words():
    assert choose_kinds([], NOW).kinds == ()
    assert "No mistakes in your notebook yet" in choose_kinds([], NOW).reason
    two = choose_kinds(_notebook()[:2], NOW)
    assert two.kinds == ()
    assert two.reason.startswith("Only 2 mistakes in your notebook so far")
    assert "at least 3" in two.reason


def test_the_notebook_store_ignores_dismissed_marks_and_other_languages(tmp_path):
    connection = open_database(tmp_path / "tutor.sqlite3")
    sessions, corrections = SessionStore(connection), CorrectionStore(connection)
    notebook = NotebookStore(connection)
    write_mistakes(sessions, corrections, PAST_TENSE[5:7])  # two spelling mistakes
    write_mistakes(sessions, corrections, PAST_TENSE[:3], language="fr")
    assert mistake_kinds(notebook, "es").reason.startswith("Only 2 mistakes")
    write_mistakes(sessions, corrections, PAST_TENSE[5:6])
    assert mistake_kinds(notebook, "es").kinds[0].category is Category.SPELLING
    newest = notebook.entries("es")[0]
    corrections.set_dismissed(newest.message_id, newest.position, True)  # "That was right"
    assert mistake_kinds(notebook, "es").kinds == ()
    connection.close()


# -- the scenario: its schema and the model's answer --------------------------------------

KINDS = (
    MistakeKind(Category.GRAMMAR, 5, (MistakeExample("va", "fui", "past"),)),
    MistakeKind(Category.SPELLING, 2, (MistakeExample("musica", "música"),)),
)
QUESTION = PracticeQuestion(PROFILE, KINDS, "practice-20261206-0900")


def _asked(question: PracticeQuestion = QUESTION) -> dict[str, object]:
    return json.loads(practice_messages(question, CoachPath.JSON_SCHEMA)[-1]["content"])


def test_the_request_carries_the_language_level_and_each_kind_with_its_mistakes():
    asked = _asked()
    assert asked["task"] == TASK
    assert (asked["language"], asked["level"], asked["native_language"]) == (
        "Spanish",
        "A2",
        "English",
    )
    assert asked["targets"] == [
        {
            "number": 1,
            "category": "grammar",
            "mistakes": [{"wrote": "va", "right": "fui", "why": "past"}],
        },
        {
            "number": 2,
            "category": "spelling",
            "mistakes": [{"wrote": "musica", "right": "música", "why": ""}],
        },
    ]


def test_a_scenario_with_targets_round_trips_and_an_old_file_stays_valid():
    scenario = parse_scenario(json.dumps(scenario_for(_asked())), QUESTION)
    assert scenario.id == QUESTION.scenario_id and scenario.category is ScenarioCategory.MINE
    assert scenario.levels == (Level.A2,)
    assert [t.category for t in scenario.targets] == [Category.GRAMMAR, Category.SPELLING]
    assert scenario.targets[0].forms == ("fui",) and scenario.targets[0].goal == 0
    again = scenario_from_dict(scenario_to_dict(scenario), built_in=False)
    assert again.targets == scenario.targets
    old = scenario_to_dict(scenario)
    del old["targets"]
    assert scenario_from_dict(old, built_in=False).targets == ()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: s.update(goals=s["goals"][:1], targets=s["targets"][:1]), "goals"),
        (lambda s: s["targets"][1].update(goal=7), "targets.2.goal"),
        (lambda s: s["targets"][0].update(category="tense"), "targets.1.category"),
        (lambda s: s["targets"][0].update(description=""), "targets.1.description"),
        (lambda s: s.update(targets=s["targets"][:1]), "targets"),
        (lambda s: s["targets"][1].update(goal=1), "targets"),
        (lambda s: s.update(title=""), "title"),
    ],
)
def test_a_scenario_that_fails_the_checks_is_refused_naming_the_field(change, field):
    scenario = scenario_for(_asked())
    change(scenario)
    with pytest.raises(ScenarioError, match=f"Field '{field}'"):
        parse_scenario(json.dumps(scenario), QUESTION)


def test_the_answer_is_read_leniently_in_prose_a_fence_or_under_a_key():
    body = json.dumps(scenario_for(_asked()))
    for text in (f"Sure!\n```json\n{body}\n```", json.dumps({"scenario": json.loads(body)})):
        assert len(parse_scenario(text, QUESTION).targets) == 2
    with pytest.raises(PracticeAnswerError):
        parse_scenario("Here is a scenario about your weekend.", QUESTION)


@pytest.fixture
def client(server: OpenAITestServer) -> ChatClient:
    return ChatClient(ServerConfig(server.base_url, "tutor-test-small"))


def test_the_test_servers_scenario_comes_back_through_the_checks(server, client):
    result = ask_scenario(client, QUESTION, "partner", CoachPath.JSON_SCHEMA)
    assert result.path is CoachPath.JSON_SCHEMA
    assert result.scenario.targets[0].forms == ("fui",)
    (sent,) = server.task_requests(TASK)
    assert sent["response_format"]["json_schema"]["name"] == TASK


def test_the_scenario_is_written_for_the_learner_to_read_in_their_interface_language(
    server, client
):
    asked_in_japanese = replace(QUESTION, shown_in="ja")
    result = ask_scenario(client, asked_in_japanese, "partner", CoachPath.JSON_SCHEMA)
    (sent,) = server.task_requests(TASK)
    schema = sent["response_format"]["json_schema"]["schema"]
    assert "shown" in schema["required"]
    assert "written in Japanese" in sent["messages"][0]["content"]
    shown = result.scenario.text_in("ja")
    assert shown.title == "[Japanese] Your weekend, told again"
    assert shown.goals == tuple(f"[Japanese] {goal}" for goal in result.scenario.goals)
    assert result.scenario.text_in("en").title == "Your weekend, told again"
    # In English nothing more is asked, and the prompt is the same as before.
    english = replace(QUESTION, shown_in="en")
    assert practice_messages(english, CoachPath.PLAIN) == practice_messages(
        QUESTION, CoachPath.PLAIN
    )
    assert "shown" not in _asked(english)
    assert _asked(replace(QUESTION, shown_in="zh"))["shown_in"] == "Simplified Chinese"


def test_no_json_moves_down_a_path_and_three_times_is_said(server, client):
    server.enqueue_task(TASK, MALFORMED_SCENARIO)
    result = ask_scenario(client, QUESTION, "partner", CoachPath.JSON_SCHEMA)
    assert result.path is CoachPath.JSON_OBJECT
    server.enqueue_task(TASK, MALFORMED_SCENARIO, MALFORMED_SCENARIO, MALFORMED_SCENARIO)
    with pytest.raises(LlmError, match="could not write a scenario from your mistakes"):
        ask_scenario(client, QUESTION, "partner", CoachPath.JSON_SCHEMA)


def test_an_invalid_scenario_is_said_at_once_naming_the_field(server, client):
    server.enqueue_task(TASK, invalid_scenario())
    with pytest.raises(LlmError, match=r"cannot be used\. Field 'goals'"):
        ask_scenario(client, QUESTION, "partner", CoachPath.JSON_SCHEMA)
    assert len(server.task_requests(TASK)) == 1  # not asked again on another path


@dataclass
class Context:
    notebook: NotebookStore
    scenarios: ScenarioLibrary
    corrections: CorrectionStore
    sessions: SessionStore
    base_url: str
    changes: ChangeHub = field(default_factory=ChangeHub)
    clients: ClientFactory = field(default_factory=lambda: ClientFactory(Timeouts(2, 2)))

    def server_address(self) -> tuple[str, str] | None:
        return (self.base_url, "partner-model")

    def server_config(self) -> ServerConfig | None:
        return ServerConfig(self.base_url, "partner-model")


@pytest.fixture
def context(tmp_path: Path, server: OpenAITestServer) -> Iterator[Context]:
    connection = open_database(tmp_path / "tutor.sqlite3")
    library = ScenarioLibrary(tmp_path / "none", tmp_path / "mine")
    yield Context(
        NotebookStore(connection),
        library,
        CorrectionStore(connection),
        SessionStore(connection),
        server.base_url,
    )
    connection.close()


def test_the_service_writes_a_scenario_for_the_top_kinds_and_keeps_it(context, server):
    write_mistakes(context.sessions, context.corrections)
    call = practice_call(context, PROFILE, mistake_kinds(context.notebook, "es"))
    assert not isinstance(call, str)
    assert call.model == "partner-model"
    saved = keep_practice(context, run_practice(context, call))
    assert context.scenarios.find(saved.id) == saved
    assert [t.category for t in saved.targets] == [Category.GRAMMAR, Category.SPELLING]
    assert "fui" in saved.targets[0].forms and "comí" in saved.targets[0].forms
    asked = server.task_requests(TASK)[0]
    assert asked["model"] == "partner-model"


def test_an_invalid_scenario_saves_nothing(context, server):
    write_mistakes(context.sessions, context.corrections)
    call = practice_call(context, PROFILE, mistake_kinds(context.notebook, "es"))
    assert not isinstance(call, str)
    server.enqueue_task(TASK, invalid_scenario())
    with pytest.raises(LlmError):
        run_practice(context, call)
    assert context.scenarios.scenarios() == []


def test_without_mistakes_the_call_is_the_reason(context):
    assert "No mistakes" in str(
        practice_call(context, PROFILE, mistake_kinds(context.notebook, "es"))
    )


def test_each_new_scenario_gets_an_id_no_scenario_has(context):
    first = new_scenario_id(context.scenarios, NOW)
    assert first == "practice-20261206-0900"
    scenario = parse_scenario(json.dumps(scenario_for(_asked())), replace(QUESTION))
    context.scenarios.save(scenario)
    assert new_scenario_id(context.scenarios, NOW) == "practice-20261206-0900-2"


# -- the coach watching the targets -------------------------------------------------------


def test_without_targets_the_coachs_prompt_is_byte_for_byte_the_one_before_practice():
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    profiles = [LearnerProfile("es", Level.A2, "en"), LearnerProfile("ja", Level.B1, "ar")]
    styles = [
        CorrectionStyle(),
        CorrectionStyle(scope=CorrectionScope.MEANING, explanations=False),
        CorrectionStyle(strict=True),
        CorrectionStyle(precise=True),
    ]
    for case in golden["cases"]:
        path = CoachPath(case["path"])
        goals = {int(k): v for k, v in case["goals"].items()}
        messages = coach_messages(
            profiles[case["profile"]],
            styles[case["style"]],
            'Ayer yo "goed" al parque.',
            "¿Qué hiciste?",
            path,
            goals,
            spoken=case["spoken"],
            targets=(),
        )
        built = {"messages": messages, "response_format": response_format(path)}
        text = json.dumps(built, ensure_ascii=False, sort_keys=True)
        assert hashlib.sha256(text.encode()).hexdigest() == case["sha256"], case
        if "messages" in case:
            assert messages == case["messages"]
    assert response_format(CoachPath.JSON_SCHEMA, targets=False) == response_format(
        CoachPath.JSON_SCHEMA
    )


def test_with_targets_the_coach_is_asked_about_each_and_its_schema_has_the_key():
    messages = coach_messages(
        PROFILE, CorrectionStyle(), "Ayer va al parque.", "", CoachPath.PLAIN, targets=(PAST,)
    )
    asked = json.loads(messages[-1]["content"])
    assert asked["practice_targets"] == {
        "1": {"practise": "past tense (preterite)", "forms": ["fui", "comí"]}
    }
    assert '"target_uses"' in messages[0]["content"]
    schema = response_format(CoachPath.JSON_SCHEMA, targets=True)
    assert schema is not None
    properties = schema["json_schema"]["schema"]["properties"]
    assert "target_uses" in properties
    assert "target_uses" in schema["json_schema"]["schema"]["required"]


def _verdict(uses: object) -> str:
    data = json.loads(coach_json("Ayer fui al parque."))
    data["target_uses"] = uses
    return json.dumps(data)


def test_the_coachs_target_uses_are_read_leniently_and_kept_only_when_asked():
    text = "Ayer fui al parque."
    uses = [{"target": 1, "correct": True}, {"target": "2", "correct": False}]
    assert parse_coach_reply(_verdict(uses), text, (), 2).target_uses == (
        TargetUse(0, True),
        TargetUse(1, False),
    )
    junk = [{"target": 9, "correct": True}, {"target": 1}, "x", {"target": True, "correct": True}]
    assert parse_coach_reply(_verdict(junk), text, (), 2).target_uses == ()
    assert parse_coach_reply(coach_json(text), text, (), 2).target_uses == ()  # key missing
    assert parse_coach_reply(_verdict(uses), text, (), 0).target_uses == ()  # not asked


# -- a practice session: goals ticked, uses stored and counted ----------------------------


@dataclass
class Stores:
    sessions: SessionStore
    corrections: CorrectionStore
    review: ReviewStore
    changes: ChangeHub = field(default_factory=ChangeHub)


def test_a_correct_use_ticks_its_goal_and_the_report_counts_right_and_wrong(tmp_path):
    connection = open_database(tmp_path / "tutor.sqlite3")
    stores = Stores(SessionStore(connection), CorrectionStore(connection), ReviewStore(connection))
    reports = ReportStore(connection)
    scenario = parse_scenario(json.dumps(scenario_for(_asked())), QUESTION)
    session = stores.sessions.create_session(
        PROFILE, scenario, base_url="http://127.0.0.1:1/v1", model="m", system_message="s"
    )
    assert session.practice_targets == scenario.targets
    assert stores.sessions.session(session.id).goals == scenario.goals

    def check(text: str, uses: tuple[TargetUse, ...]) -> None:
        message = stores.sessions.add_message(session.id, Role.USER, text, checking_with="c")
        verdict = CoachVerdict(text, (), target_uses=uses)
        result = CoachResult(verdict, CoachPath.JSON_SCHEMA, "coach", TokenUsage(1, 1))
        apply_check(stores, message, "es", "u", result, (), session.practice_targets)

    check("Ayer va al cine.", (TargetUse(0, False),))
    assert stores.sessions.goals_met(session.id) == {}
    check("Ayer fui al cine.", (TargetUse(0, True),))
    check("Comí paella y fui a la playa.", (TargetUse(0, True), TargetUse(1, False)))
    assert set(stores.sessions.goals_met(session.id)) == {0}
    checked_again = stores.sessions.add_message(session.id, Role.USER, "Ayer fue.")
    stores.corrections.save_target_uses(session.id, checked_again.id, (TargetUse(0, True),))
    # Checked again, and this time the check failed: its earlier uses do not count.
    stores.corrections.fail(checked_again.id, "the server is down", "coach")

    figures = build_figures(reports, session, stores.sessions.messages(session.id))
    counts = [(t.category, t.right, t.wrong) for t in figures.target_counts]
    assert counts == [("grammar", 2, 1), ("spelling", 0, 1)]
    reports.save(session.id, figures)
    kept = reports.report(session.id)
    assert kept is not None and kept.figures.target_counts == figures.target_counts
    connection.close()


def test_a_session_without_targets_stores_no_uses_and_its_report_has_no_targets(tmp_path):
    connection = open_database(tmp_path / "tutor.sqlite3")
    stores = Stores(SessionStore(connection), CorrectionStore(connection), ReviewStore(connection))
    scenario = replace(parse_scenario(json.dumps(scenario_for(_asked())), QUESTION), targets=())
    session = stores.sessions.create_session(
        PROFILE, scenario, base_url="u", model="m", system_message="s"
    )
    message = stores.sessions.add_message(session.id, Role.USER, "Hola", checking_with="c")
    verdict = CoachVerdict("Hola", (), target_uses=(TargetUse(0, True),))
    result = CoachResult(verdict, CoachPath.JSON_SCHEMA, "coach", None)
    apply_check(stores, message, "es", "u", result, ())
    assert connection.execute("SELECT COUNT(*) FROM target_uses").fetchone()[0] == 0
    figures = build_figures(ReportStore(connection), session, [message])
    assert figures.target_counts == ()
    connection.close()


def test_whether_it_can_help_is_counted_cheaply_with_the_same_words(tmp_path):
    connection = open_database(tmp_path / "tutor.sqlite3")
    sessions, corrections = SessionStore(connection), CorrectionStore(connection)
    notebook = NotebookStore(connection)
    assert cannot_practise(notebook, "es") == mistake_kinds(notebook, "es").reason
    assert cannot_practise(notebook, "es").startswith("No mistakes in your notebook yet")
    write_mistakes(sessions, corrections, PAST_TENSE[:2])
    assert cannot_practise(notebook, "es") == mistake_kinds(notebook, "es").reason
    assert notebook.count("es", 3) == 2
    write_mistakes(sessions, corrections, PAST_TENSE[2:])
    assert notebook.count("es", 3) == 3  # counted no further
    assert cannot_practise(notebook, "es") == ""
    assert mistake_kinds(notebook, "es").kinds
    connection.close()


def test_a_sessions_unreadable_targets_open_as_none(tmp_path):
    connection = open_database(tmp_path / "tutor.sqlite3")
    sessions = SessionStore(connection)
    scenario = parse_scenario(json.dumps(scenario_for(_asked())), QUESTION)
    session = sessions.create_session(
        PROFILE, scenario, base_url="u", model="m", system_message="s"
    )
    stored = json.loads(
        connection.execute(
            "SELECT practice_targets FROM sessions WHERE id = ?", (session.id,)
        ).fetchone()[0]
    )
    assert stored[0] == {
        "category": "grammar",
        "forms": ["fui"],
        "description": "the right forms of your grammar mistakes",
        "goal": 1,
    }
    for damaged in ("{not json", '{"a": 1}', '[{"category": "tense"}]', "[1]"):
        connection.execute(
            "UPDATE sessions SET practice_targets = ? WHERE id = ?", (damaged, session.id)
        )
        assert sessions.session(session.id).practice_targets == ()
    connection.close()
