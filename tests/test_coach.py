"""The coach call against the local server: JSON schema first, then the fallbacks."""

from __future__ import annotations

import pytest

from tests.openai_server import ScriptedReply, coach_json, coach_reply
from tutor.domain.corrections import Category, CoachPath, CorrectionStyle
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.llm.client import ChatClient, ServerConfig
from tutor.llm.coach import CoachRequest, check_message
from tutor.llm.errors import ErrorKind, LlmError

GOED = "Yesterday I goed to the park"
WENT = "Yesterday I went to the park"
GOED_ITEM = ("goed", "went", "Go is irregular: went.", "grammar")


def _request(first_path: CoachPath = CoachPath.JSON_SCHEMA, model: str = "tutor-test-small"):
    return CoachRequest(
        profile=LearnerProfile("en", Level.A2, "es"),
        style=CorrectionStyle(),
        learner_text=GOED,
        partner_line="What did you do yesterday?",
        model=model,
        first_path=first_path,
    )


@pytest.fixture
def client(server):
    return ChatClient(ServerConfig(server.base_url, "tutor-test-small"))


def test_a_server_that_takes_json_schema_answers_in_one_strict_request(server, client):
    server.enqueue_coach(coach_reply(WENT, [GOED_ITEM]))
    result = check_message(client, _request())
    assert result.path is CoachPath.JSON_SCHEMA
    assert result.verdict.corrected == WENT
    assert result.verdict.items[0].category is Category.GRAMMAR
    assert result.usage is not None and result.usage.completion_tokens > 0
    (sent,) = server.coach_requests()
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["strict"] is True
    assert sent.get("stream") in (None, False)


def test_a_refused_json_schema_falls_back_to_json_object(server, client):
    server.refused_response_formats = {"json_schema"}
    server.enqueue_coach(coach_reply(WENT, [GOED_ITEM]))
    result = check_message(client, _request())
    assert result.path is CoachPath.JSON_OBJECT
    assert result.verdict.items[0].original == "goed"
    kinds = [r.get("response_format", {}).get("type") for r in server.coach_requests()]
    assert kinds == ["json_schema", "json_object"]


def test_a_server_that_takes_no_response_format_gets_a_plain_request(server, client):
    server.refused_response_formats = {"json_schema", "json_object"}
    server.enqueue_coach(
        ScriptedReply(text=f"Here you go:\n```json\n{coach_json(WENT, [GOED_ITEM])}\n```")
    )
    result = check_message(client, _request())
    assert result.path is CoachPath.PLAIN
    assert result.verdict.corrected == WENT
    last = server.coach_requests()[-1]
    assert "response_format" not in last
    assert "JSON object only" in last["messages"][0]["content"]


def test_an_answer_that_is_not_the_json_asked_for_moves_down_one_step(server, client):
    server.enqueue_coach(
        ScriptedReply(text="I think the message is fine!"),
        coach_reply(WENT, [GOED_ITEM]),
    )
    result = check_message(client, _request())
    assert result.path is CoachPath.JSON_OBJECT
    assert result.verdict.corrected == WENT


def test_truncated_json_on_every_path_fails_with_a_plain_reason(server, client):
    cut = coach_json(WENT, [GOED_ITEM])[:25]
    server.enqueue_coach(*[ScriptedReply(text=cut, finish_reason="length")] * 3)
    with pytest.raises(LlmError) as caught:
        check_message(client, _request())
    assert caught.value.kind is ErrorKind.UNUSABLE_ANSWER
    assert "could not check" in caught.value.message
    assert len(server.coach_requests()) == 3


def test_items_about_words_the_learner_did_not_write_are_dropped(server, client):
    server.enqueue_coach(coach_reply(WENT, [GOED_ITEM, ("runned", "ran", "Irregular.", "grammar")]))
    result = check_message(client, _request())
    assert [i.original for i in result.verdict.items] == ["goed"]


def test_a_remembered_path_is_used_straight_away(server, client):
    server.enqueue_coach(coach_reply(WENT, [GOED_ITEM]))
    result = check_message(client, _request(first_path=CoachPath.PLAIN))
    assert result.path is CoachPath.PLAIN
    (sent,) = server.coach_requests()
    assert "response_format" not in sent


def test_the_coach_may_use_its_own_model(server, client):
    check_message(client, _request(model="tutor-test-large"))
    assert server.coach_requests()[0]["model"] == "tutor-test-large"


@pytest.mark.parametrize(
    ("status", "kind"),
    [(401, ErrorKind.BAD_KEY), (500, ErrorKind.SERVER_ERROR), (429, ErrorKind.RATE_LIMITED)],
)
def test_failures_that_are_not_refusals_do_not_fall_back(server, client, status, kind):
    server.enqueue_coach(ScriptedReply(status=status))
    with pytest.raises(LlmError) as caught:
        check_message(client, _request())
    assert caught.value.kind is kind
    assert len(server.coach_requests()) == 1
