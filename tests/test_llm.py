"""The model client against a local OpenAI-compatible server with scripted replies and faults."""

from __future__ import annotations

import socket
import threading
import urllib.request
from collections.abc import Iterator

import pytest

from tests.openai_server import OpenAITestServer, ScriptedReply
from tests.trickling_port import TricklingPort
from tutor.domain.conversation import TokenUsage
from tutor.domain.providers import ProviderKind, ProviderPreset
from tutor.llm.client import ChatClient, ServerConfig, Timeouts
from tutor.llm.errors import ErrorKind, LlmError
from tutor.llm.factory import ClientFactory
from tutor.llm.probe import fetch_model_ids, probe_local_servers

MODEL = "tutor-test-small"
MESSAGES = [
    {"role": "system", "content": "You are a friendly partner. Speak Spanish."},
    {"role": "user", "content": "(The learner has joined. Open the conversation.)"},
    {"role": "assistant", "content": "¡Hola! ¿Cómo te llamas?"},
    {"role": "user", "content": "Me llamo Ana. 日本から来ました。"},
]


def _client(server, api_key=None, model=MODEL, timeouts=None):
    return ChatClient(ServerConfig(server.base_url, model, api_key), timeouts)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fail(stream_or_call):
    """Run a stream (or a callable) to the end; the LlmError it raised and the pieces seen."""
    pieces: list[str] = []
    with pytest.raises(LlmError) as caught:
        if callable(stream_or_call):
            stream_or_call()
        else:
            for piece in stream_or_call:
                pieces.append(piece)
    return caught.value, pieces


@pytest.fixture
def keyed_server() -> Iterator[OpenAITestServer]:
    with OpenAITestServer(api_key="right") as running:
        yield running


# ------------------------------------------------------------------ a good reply


def test_stream_reply_yields_pieces_then_finish_reason_and_usage(server):
    server.enqueue(ScriptedReply(tokens=["¡Hola", ", Ana", "!", " ¿Qué tal?"], prompt_tokens=42))
    stream = _client(server).stream_reply(MESSAGES)
    assert list(stream) == ["¡Hola", ", Ana", "!", " ¿Qué tal?"]
    assert stream.finish_reason == "stop"
    assert stream.usage == TokenUsage(prompt_tokens=42, completion_tokens=4)


def test_request_body_streams_with_usage_model_and_messages(server):
    server.enqueue(ScriptedReply(text="Vale."))
    list(_client(server).stream_reply(MESSAGES))
    (body,) = server.chat_requests()
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["model"] == MODEL
    assert body["messages"] == MESSAGES


def test_key_is_sent_as_bearer_token(keyed_server):
    keyed_server.enqueue(ScriptedReply(text="Bien."))
    assert "".join(_client(keyed_server, api_key="right").stream_reply(MESSAGES)) == "Bien."
    assert keyed_server.requests[-1].headers["authorization"] == "Bearer right"


def test_cjk_reply_arrives_whole(server):
    server.enqueue(ScriptedReply(text="今日はいい天気ですね"))
    assert "".join(_client(server).stream_reply(MESSAGES)) == "今日はいい天気ですね"


def test_length_limit_is_reported(server):
    server.enqueue(ScriptedReply(text="Una respuesta muy larga", finish_reason="length"))
    stream = _client(server).stream_reply(MESSAGES)
    assert "".join(stream) == "Una respuesta muy larga"
    assert stream.finish_reason == "length"


# ------------------------------------------------------------------------ errors


def _readable(message: str) -> None:
    assert message[:1].isupper()
    assert message.rstrip().endswith((".", "?"))
    assert ".." not in message
    assert "Traceback" not in message


def test_wrong_key_is_bad_key(keyed_server):
    error, _ = _fail(lambda: _client(keyed_server, api_key="wrong").stream_reply(MESSAGES))
    assert error.kind is ErrorKind.BAD_KEY
    assert error.status == 401
    assert "key" in error.message.lower()
    _readable(error.message)


def test_not_found_names_the_model(server):
    server.enqueue(ScriptedReply(status=404))
    error, _ = _fail(lambda: _client(server).stream_reply(MESSAGES))
    assert error.kind is ErrorKind.NOT_FOUND
    assert error.status == 404
    assert MODEL in error.message
    _readable(error.message)


def test_rate_limit_with_retry_after(server):
    server.enqueue(ScriptedReply(status=429, headers={"Retry-After": "7"}))
    error, _ = _fail(lambda: _client(server).stream_reply(MESSAGES))
    assert error.kind is ErrorKind.RATE_LIMITED
    assert error.retry_after == 7.0
    assert "7" in error.message
    _readable(error.message)


def test_rate_limit_without_retry_after(server):
    server.enqueue(ScriptedReply(status=429))
    error, _ = _fail(lambda: _client(server).stream_reply(MESSAGES))
    assert error.kind is ErrorKind.RATE_LIMITED
    assert error.retry_after is None
    _readable(error.message)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors(server, status):
    server.enqueue(ScriptedReply(status=status, error_message="Model crashed."))
    error, _ = _fail(lambda: _client(server).stream_reply(MESSAGES))
    assert error.kind is ErrorKind.SERVER_ERROR
    assert error.status == status
    assert str(status) in error.message
    assert "Model crashed" in error.message
    _readable(error.message)


@pytest.mark.parametrize(
    ("status", "kind"), [(400, ErrorKind.BAD_REQUEST), (403, ErrorKind.FORBIDDEN)]
)
def test_other_refusals(server, status, kind):
    server.enqueue(ScriptedReply(status=status))
    error, _ = _fail(lambda: _client(server).stream_reply(MESSAGES))
    assert error.kind is kind
    assert error.status == status
    _readable(error.message)


def test_nothing_listening_is_unreachable_and_names_the_address():
    base_url = f"http://127.0.0.1:{_free_port()}/v1"
    client = ChatClient(ServerConfig(base_url, MODEL), Timeouts(connect=1, read=1))
    error, _ = _fail(lambda: client.stream_reply(MESSAGES))
    assert error.kind is ErrorKind.UNREACHABLE
    assert base_url in error.message
    _readable(error.message)
    error, _ = _fail(client.list_models)
    assert error.kind is ErrorKind.UNREACHABLE


def test_cut_stream_after_pieces_arrived(server):
    server.enqueue(ScriptedReply(tokens=["Uno", " dos", " tres", " cuatro", " cinco"], cut_after=3))
    error, pieces = _fail(_client(server).stream_reply(MESSAGES))
    assert pieces == ["Uno", " dos", " tres"]
    assert error.kind is ErrorKind.STREAM_CUT
    _readable(error.message)


def test_malformed_stream(server):
    server.enqueue(ScriptedReply(tokens=["Uno", " dos", " tres", " cuatro"], malformed_after=2))
    error, pieces = _fail(_client(server).stream_reply(MESSAGES))
    assert pieces == ["Uno", " dos"]
    assert error.kind is ErrorKind.MALFORMED_STREAM
    _readable(error.message)


def test_hanging_server_times_out_as_an_llm_error(server):
    server.enqueue(ScriptedReply(hang=True))
    client = _client(server, timeouts=Timeouts(connect=1, read=0.5))
    try:
        list(client.stream_reply(MESSAGES))
    except LlmError as error:
        assert error.kind is ErrorKind.TIMEOUT
        assert server.base_url in error.message
        _readable(error.message)
    else:
        pytest.fail("a hanging server gave no error")


def test_server_going_quiet_mid_reply_times_out(server):
    server.enqueue(ScriptedReply(tokens=["Uno", " dos"], token_delay=3.0))
    client = _client(server, timeouts=Timeouts(connect=1, read=0.3))
    error, pieces = _fail(client.stream_reply(MESSAGES))
    assert error.kind in (ErrorKind.TIMEOUT, ErrorKind.STREAM_CUT)
    assert pieces == []


def test_close_from_another_thread_ends_the_iteration_quietly(server):
    tokens = [f" palabra{i}" for i in range(50)]
    server.enqueue(ScriptedReply(tokens=tokens, token_delay=0.2))
    stream = _client(server).stream_reply(MESSAGES)
    pieces: list[str] = []
    problems: list[BaseException] = []
    two_arrived = threading.Event()

    def consume():
        try:
            for piece in stream:
                pieces.append(piece)
                if len(pieces) == 2:
                    two_arrived.set()
        except BaseException as error:
            problems.append(error)

    consumer = threading.Thread(target=consume)
    consumer.start()
    assert two_arrived.wait(10)
    stream.close()
    consumer.join(10)
    assert not consumer.is_alive()
    assert problems == []
    assert 2 <= len(pieces) <= 5
    assert pieces == tokens[: len(pieces)]


def test_close_before_iterating_yields_nothing(server):
    server.enqueue(ScriptedReply(text="No me leas"))
    stream = _client(server).stream_reply(MESSAGES)
    stream.close()
    assert list(stream) == []


# ------------------------------------------------------------ models and checking


def test_list_models(server):
    assert _client(server).list_models() == ["tutor-test-large", "tutor-test-small"]


def test_check_connection_names_the_model(server):
    verdict = _client(server).check_connection()
    assert MODEL in verdict
    assert verdict.endswith(".")


def test_check_connection_unknown_model_names_the_available_ones(server):
    error, _ = _fail(_client(server, model="llama-9000").check_connection)
    assert error.kind is ErrorKind.NOT_FOUND
    assert "llama-9000" in error.message
    assert "tutor-test-small" in error.message
    assert "tutor-test-large" in error.message


def test_check_connection_with_a_wrong_key(keyed_server):
    # The test server, like llama.cpp's, lists models without checking the key.
    error, _ = _fail(_client(keyed_server, api_key="wrong").check_connection)
    assert error.kind is ErrorKind.BAD_KEY
    assert _client(keyed_server, api_key="right").check_connection()


def test_check_connection_without_a_models_endpoint(server):
    server.models_status = 404
    server.enqueue(ScriptedReply(text="OK"))
    assert MODEL in _client(server).check_connection()


def test_check_connection_empty_reply(server):
    server.enqueue(ScriptedReply(text=""))
    error, _ = _fail(_client(server).check_connection)
    assert error.kind is ErrorKind.EMPTY_REPLY


# ------------------------------------------------------------------------- probe


def test_fetch_model_ids(server):
    assert fetch_model_ids(server.base_url, 1.0) == ("tutor-test-large", "tutor-test-small")
    assert fetch_model_ids(server.base_url + "/", 1.0) == ("tutor-test-large", "tutor-test-small")


def test_fetch_model_ids_from_nothing_raises_os_error():
    with pytest.raises(OSError):
        fetch_model_ids(f"http://127.0.0.1:{_free_port()}/v1", 1.0)


def _preset(title, base_url):
    return ProviderPreset(ProviderKind.CUSTOM, title, base_url, False, True, "")


def test_probe_local_servers_finds_only_the_live_one(server):
    live = _preset("live", server.base_url)
    dead = _preset("dead", f"http://127.0.0.1:{_free_port()}/v1")
    found = probe_local_servers([dead, live], timeout=1.0)
    assert [f.preset for f in found] == [live]
    assert found[0].models == ("tutor-test-large", "tutor-test-small")


def test_probe_skips_a_server_that_is_not_an_openai_api(server):
    server.models_status = 500
    assert probe_local_servers([_preset("broken", server.base_url)], timeout=1.0) == []


def test_probe_with_no_presets():
    assert probe_local_servers([], timeout=0.1) == []


def test_probe_answers_while_a_slow_port_is_still_answering(server):
    """A socket timeout applies to each read: a port that sends a byte now and then kept
    the welcome's "Looking for model servers…" on screen for as long as it sent."""
    live = _preset("live", server.base_url)
    with TricklingPort() as slow:
        found = probe_local_servers([_preset("slow", slow.base_url), live], timeout=1.0)
        assert slow.asked.is_set()
        assert not slow.finished.is_set()  # the probe did not wait for it
    assert [f.preset for f in found] == [live]


def test_probe_asks_local_servers_directly_not_through_a_proxy(server, monkeypatch):
    """HTTP_PROXY is for leaving this computer; a proxy asked for localhost answers
    slowly, wrongly or not at all."""
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_free_port()}")
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{_free_port()}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    # urlopen() keeps the proxies it read first; a Tutor started with HTTP_PROXY reads it.
    monkeypatch.setattr(urllib.request, "_opener", None)
    found = probe_local_servers([_preset("live", server.base_url)], timeout=1.0)
    assert [f.models for f in found] == [("tutor-test-large", "tutor-test-small")]


# ----------------------------------------------------------------------- factory


def test_client_factory_reuses_the_client_for_the_same_config(server):
    factory = ClientFactory()
    config = ServerConfig(server.base_url, MODEL, "key")
    first = factory.client(config)
    assert factory.client(ServerConfig(server.base_url, MODEL, "key")) is first
    other = factory.client(ServerConfig(server.base_url, "tutor-test-large", "key"))
    assert other is not first
    assert other.config.model == "tutor-test-large"
    assert factory.client(ServerConfig(server.base_url, MODEL, "other-key")) is not first


def test_server_config_repr_hides_the_key():
    assert "sk-secret-value" not in repr(ServerConfig("http://x/v1", MODEL, "sk-secret-value"))
