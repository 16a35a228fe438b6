"""Requests shaped by what the server takes, against the local test server: every request
capped, a refused parameter, system role or context retried once, shaped otherwise, and
remembered for the server and model, also by a new Tutor on the same data folder."""

from __future__ import annotations

import pytest

from tests.openai_server import ScriptedReply, with_thinking
from tutor.domain.output_caps import CONNECTION_CHECK_TOKENS, DEFAULT_CAP, REASONING_ROOM
from tutor.domain.request_fit import fold_system_message
from tutor.llm.client import ChatClient, ServerConfig
from tutor.llm.errors import ErrorKind, LlmError
from tutor.llm.factory import ClientFactory
from tutor.store.server_habits import HabitsFile

MODEL = "tutor-test-small"
SYSTEM = {"role": "system", "content": "Eres un compañero amable. Habla solo en español."}
MESSAGES = [
    SYSTEM,
    {"role": "user", "content": "(The learner has joined. Open the conversation.)"},
    {"role": "assistant", "content": "¡Hola! ¿Cómo te llamas?"},
    {"role": "user", "content": "Me llamo Ana."},
]
CAP_NAMES = ("max_tokens", "max_completion_tokens")


def client(server, data_dir, model=MODEL) -> ChatClient:
    """A client as a Tutor started on `data_dir` builds it: each call is a new start."""
    factory = ClientFactory(habits=HabitsFile(data_dir / "server-habits.json"))
    return factory.client(ServerConfig(server.base_url, model))


def caps(body):
    """The cap parameters a request sent (name -> value)."""
    return {name: body[name] for name in CAP_NAMES if name in body}


def reply(server, chat, **kwargs) -> str:
    return "".join(chat.stream_reply(MESSAGES, **kwargs))


# ------------------------------------------------------------------- every cap


def test_every_request_carries_a_cap_sized_by_its_caller(server, data_dir):
    chat = client(server, data_dir)
    reply(server, chat, cap=180)
    chat.complete(MESSAGES, cap=700)
    reply(server, chat)  # a caller that sized none
    chat.check_connection()
    sent = [caps(body) for body in server.chat_requests()]
    assert sent == [
        {"max_tokens": 180},
        {"max_tokens": 700},
        {"max_tokens": DEFAULT_CAP},
        {"max_tokens": CONNECTION_CHECK_TOKENS},
    ]
    assert server.chat_requests()[1]["temperature"] == 0


def test_a_looping_reply_stops_at_the_cap_and_says_it_was_cut(server, data_dir):
    server.enqueue(ScriptedReply(text="De nada.", loop=" De nada."))
    stream = client(server, data_dir).stream_reply(MESSAGES, cap=50)
    pieces = list(stream)
    assert len(pieces) == 50
    assert stream.finish_reason == "length"


# ----------------------------------------------------------- refused parameters


@pytest.mark.parametrize("status", [400, 422])
def test_a_model_refusing_max_tokens_gets_max_completion_tokens_remembered(
    server, data_dir, status
):
    server.refused_parameters[MODEL] = {"max_tokens"}
    server.refused_parameter_status = status
    server.enqueue(ScriptedReply(text="Encantada, Ana."))
    assert reply(server, client(server, data_dir), cap=200) == "Encantada, Ana."
    first, second = server.chat_requests()
    assert caps(first) == {"max_tokens": 200}
    assert caps(second) == {"max_completion_tokens": 200}
    assert second["messages"] == first["messages"] == MESSAGES
    # The next request starts with the form that worked, also after a restart.
    reply(server, client(server, data_dir), cap=200)
    chat = client(server, data_dir)
    chat.complete(MESSAGES, cap=300)
    assert [caps(body) for body in server.chat_requests()[2:]] == [
        {"max_completion_tokens": 200},
        {"max_completion_tokens": 300},
    ]


def test_a_model_refusing_both_forms_is_sent_no_cap(server, data_dir):
    server.refused_parameters[MODEL] = {"max_tokens", "max_completion_tokens"}
    server.enqueue(ScriptedReply(text="Vale."))
    assert reply(server, client(server, data_dir), cap=200) == "Vale."
    assert [caps(body) for body in server.chat_requests()] == [
        {"max_tokens": 200},
        {"max_completion_tokens": 200},
        {},
    ]
    reply(server, client(server, data_dir), cap=200)
    assert len(server.chat_requests()) == 4 and caps(server.chat_requests()[3]) == {}


def test_a_model_refusing_temperature_and_max_tokens_answers_the_coach_remembered(server, data_dir):
    server.refused_parameters[MODEL] = {"max_tokens", "temperature"}
    server.enqueue_coach(ScriptedReply(text='{"corrected": "Me llamo Ana."}'))
    completion = client(server, data_dir).complete(MESSAGES, cap=500)
    assert completion.text == '{"corrected": "Me llamo Ana."}'
    sent = [(caps(body), body.get("temperature")) for body in server.chat_requests()]
    assert sent == [
        ({"max_tokens": 500}, 0),
        ({"max_completion_tokens": 500}, 0),
        ({"max_completion_tokens": 500}, None),
    ]
    client(server, data_dir).complete(MESSAGES, cap=500)
    last = server.chat_requests()[-1]
    assert len(server.chat_requests()) == 4
    assert caps(last) == {"max_completion_tokens": 500} and "temperature" not in last


def test_what_one_model_refuses_is_not_assumed_of_another(server, data_dir):
    server.refused_parameters[MODEL] = {"max_tokens"}
    reply(server, client(server, data_dir), cap=200)
    reply(server, client(server, data_dir, model="tutor-test-large"), cap=200)
    assert caps(server.chat_requests()[-1]) == {"max_tokens": 200}


def test_a_refusal_tutor_cannot_act_on_is_said_at_once(server, data_dir):
    server.enqueue(ScriptedReply(status=400, error_message="The messages are malformed."))
    with pytest.raises(LlmError) as caught:
        reply(server, client(server, data_dir), cap=200)
    assert caught.value.kind is ErrorKind.BAD_REQUEST
    assert len(server.chat_requests()) == 1


# ----------------------------------------------------------------- system role


def test_a_chat_template_without_a_system_role_gets_it_in_the_first_user_turn(server, data_dir):
    server.no_system_role.add(MODEL)
    server.enqueue(ScriptedReply(text="Mucho gusto."))
    assert reply(server, client(server, data_dir), cap=200) == "Mucho gusto."
    first, second = server.chat_requests()
    assert first["messages"][0]["role"] == "system"
    assert second["messages"] == fold_system_message(MESSAGES)
    assert second["messages"][0]["content"].startswith(SYSTEM["content"] + "\n\n(The learner")
    # Remembered: the next request, after a restart, is folded from the start.
    client(server, data_dir).complete(MESSAGES, cap=300)
    assert len(server.chat_requests()) == 3
    assert server.chat_requests()[-1]["messages"] == fold_system_message(MESSAGES)


# -------------------------------------------------------------- context window


def long_conversation(turns: int = 30) -> list[dict[str, str]]:
    roles = ("user", "assistant")
    return [
        SYSTEM,
        *(
            {"role": roles[i % 2], "content": f"Turno {i}. " + "Hablamos de muchas cosas. " * 8}
            for i in range(turns)
        ),
    ]


def test_a_context_too_long_leaves_out_the_oldest_turns_once_and_is_remembered(server, data_dir):
    server.context_windows[MODEL] = 1200
    request = long_conversation()
    server.enqueue(ScriptedReply(text="Sí, claro."))
    assert "".join(client(server, data_dir).stream_reply(request, cap=200)) == "Sí, claro."
    first, second = server.chat_requests()
    assert first["messages"] == request
    kept = second["messages"]
    assert kept[0] == SYSTEM and kept[1]["role"] == "user"
    assert kept[-1] == request[-1] and kept[1:] == request[len(request) - len(kept) + 1 :]
    assert 2 < len(kept) < len(request)
    # The next turn starts within the smaller budget, also after a restart: one request.
    request.append({"role": "assistant", "content": "Sí, claro."})
    request.append({"role": "user", "content": "¿Y tú?"})
    "".join(client(server, data_dir).stream_reply(request, cap=200))
    assert len(server.chat_requests()) == 3
    assert server.chat_requests()[-1]["messages"][-1]["content"] == "¿Y tú?"
    assert len(server.chat_requests()[-1]["messages"]) <= len(kept) + 2


def test_a_context_still_too_long_is_said_in_words_after_one_retry(server, data_dir):
    server.context_windows[MODEL] = 600
    huge_system = {"role": "system", "content": "Sé amable y paciente. " * 200}
    request = [huge_system, *long_conversation(10)[1:]]
    with pytest.raises(LlmError) as caught:
        client(server, data_dir).stream_reply(request, cap=200)
    error = caught.value
    assert error.kind is ErrorKind.CONTEXT_EXCEEDED
    assert "too long for the model 'tutor-test-small'" in error.message
    assert "600 tokens" in error.message and "larger context window" in error.message
    assert len(server.chat_requests()) == 2
    assert all(body["messages"][0] == huge_system for body in server.chat_requests())


def test_a_coach_request_that_cannot_be_shortened_is_sent_once(server, data_dir):
    server.context_windows[MODEL] = 300
    request = [{"role": "system", "content": "Corrige. " * 200}, MESSAGES[-1]]
    with pytest.raises(LlmError) as caught:
        client(server, data_dir).complete(request, cap=100)
    assert caught.value.kind is ErrorKind.CONTEXT_EXCEEDED
    assert len(server.chat_requests()) == 1


def test_a_cap_taking_most_of_a_small_window_is_lowered(server, data_dir):
    server.context_windows[MODEL] = 200
    client(server, data_dir).complete(MESSAGES, cap=300)
    assert [caps(body) for body in server.chat_requests()] == [
        {"max_tokens": 300},
        {"max_tokens": 50},
    ]


# ------------------------------------------------------------------- reasoning


THINKING = "Veamos qué quiere decir Ana con esto y cómo contestar. " * 40  # 400 pieces


def test_a_model_seen_thinking_gets_room_in_every_later_request_remembered(server, data_dir):
    # Cut by the cap while it thinks: no words (said by the reply's end, domain/reasoning.py),
    # and from now on its caps have room for the thinking, after a restart too.
    server.enqueue(ScriptedReply(text="¡Hola, Ana!", reasoning=THINKING))
    stream = client(server, data_dir).stream_reply(MESSAGES, cap=200)
    assert "".join(stream) == "" and stream.finish_reason == "length"
    server.enqueue(ScriptedReply(text="¡Hola, Ana!", reasoning=THINKING))
    assert reply(server, client(server, data_dir), cap=200) == "¡Hola, Ana!"
    client(server, data_dir).complete(MESSAGES, cap=500)
    assert [caps(body) for body in server.chat_requests()] == [
        {"max_tokens": 200},
        {"max_tokens": 200 + REASONING_ROOM},
        {"max_tokens": 500 + REASONING_ROOM},
    ]


def test_a_model_thinking_within_its_cap_is_remembered_too(server, data_dir):
    server.enqueue(with_thinking(ScriptedReply(text="Vale."), "Corto."))
    assert reply(server, client(server, data_dir), cap=200) == "Vale."
    reply(server, client(server, data_dir), cap=200)
    assert caps(server.chat_requests()[-1]) == {"max_tokens": 200 + REASONING_ROOM}


def test_a_coach_answer_cut_while_the_model_thinks_gives_room_to_the_next(server, data_dir):
    answer = '{"corrected": "Me llamo Ana."}'
    server.enqueue_coach(*[ScriptedReply(text=answer, reasoning=THINKING)] * 2)
    assert client(server, data_dir).complete(MESSAGES, cap=300).text == ""
    assert client(server, data_dir).complete(MESSAGES, cap=300).text == answer
    assert [caps(body) for body in server.chat_requests()] == [
        {"max_tokens": 300},
        {"max_tokens": 300 + REASONING_ROOM},
    ]


def test_test_connection_on_a_thinking_model_connects_and_learns_it_reasons(server, data_dir):
    server.enqueue(ScriptedReply(text="OK", reasoning=THINKING))
    said = client(server, data_dir).check_connection()
    assert said.startswith("Connected") and "thinks before it answers" in said
    assert [caps(body) for body in server.chat_requests()] == [
        {"max_tokens": CONNECTION_CHECK_TOKENS}
    ]
    reply(server, client(server, data_dir), cap=200)
    assert caps(server.chat_requests()[-1]) == {"max_tokens": 200 + REASONING_ROOM}
