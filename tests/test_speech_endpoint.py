"""Speech from a server (tutor/llm/speech.py) against the test server's speech endpoint
(tests/speech_endpoint.py): real audio, streamed; the request as sent; the voices; each
fault in words."""

from __future__ import annotations

import io
import json
import threading
import time
import urllib.request
import wave

import pytest

from tests.openai_server import OpenAITestServer
from tests.speech_endpoint import KOKORO_VOICES, SAMPLE_RATE, tone, wav_header
from tutor.llm.connection import ServerConfig, Timeouts
from tutor.llm.errors import ErrorKind, LlmError
from tutor.llm.speech import OPENAI_VOICES, SpeechClient

QUICK = Timeouts(connect=1.0, read=1.0)


def client(server: OpenAITestServer, key: str | None = None, **kw: object) -> SpeechClient:
    config = ServerConfig(server.base_url, "kokoro", key)
    return SpeechClient(config, QUICK, **kw)  # type: ignore[arg-type]


def test_the_audio_is_a_real_wav_of_the_texts_length(server: OpenAITestServer) -> None:
    server.speech.seconds_per_character = 0.05
    text = "Hola, ¿qué tal estás hoy?"
    pieces = list(client(server).stream(text, voice="ef_dora", speed=0.75))
    assert len(pieces) > 2, "the audio arrives in pieces"
    with wave.open(io.BytesIO(b"".join(pieces))) as audio:
        assert (audio.getnchannels(), audio.getsampwidth()) == (1, 2)
        assert audio.getframerate() == SAMPLE_RATE
        assert audio.getnframes() == round(len(text) * 0.05 * SAMPLE_RATE)
        assert max(audio.readframes(100)) > 0  # a tone, not silence
    [request] = server.speech.requests
    assert (request.model, request.voice, request.input) == ("kokoro", "ef_dora", text)
    assert (request.speed, request.response_format) == (0.75, "wav")


def test_raw_pcm_when_asked(server: OpenAITestServer) -> None:
    server.speech.audio_seconds = 0.5
    audio = b"".join(client(server).stream("Sí.", voice="af_sky", response_format="pcm"))
    assert audio == tone(0.5)
    assert len(audio) == SAMPLE_RATE  # 0.5 s of 16-bit samples
    assert server.speech.requests[0].response_format == "pcm"


def test_the_first_piece_comes_before_the_rest_is_made(server: OpenAITestServer) -> None:
    server.speech.audio_seconds = 1.0
    server.speech.chunk_delay = 0.2
    stream = client(server).stream("Una frase larga.", voice="alloy")
    started = time.perf_counter()
    first = next(stream)
    assert first.startswith(b"RIFF")
    first_after = time.perf_counter() - started
    rest = b"".join(stream)
    assert len(first) + len(rest) == 44 + SAMPLE_RATE * 2
    assert time.perf_counter() - started > first_after + 1.0  # 9 pieces, 0.2 s apart


def test_the_endpoint_answers_chunked_audio_to_plain_http(server: OpenAITestServer) -> None:
    body = json.dumps({"model": "m", "voice": "v", "input": "abc", "response_format": "wav"})
    request = urllib.request.Request(
        server.base_url + "/audio/speech", body.encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.headers["Transfer-Encoding"] == "chunked"
        assert response.headers["Content-Type"] == "audio/wav"
        data = response.read()
    assert data[:44] == wav_header(len(data) - 44)


def test_a_slow_first_byte_is_as_slow_as_scripted(server: OpenAITestServer) -> None:
    server.speech.slow_next(0.3)
    started = time.perf_counter()
    next(client(server).stream("Hola.", voice="alloy"))
    assert time.perf_counter() - started >= 0.3


def test_the_voices_a_server_lists(server: OpenAITestServer) -> None:
    voices = client(server).voices()
    assert voices.from_server
    assert voices.voices == KOKORO_VOICES


def test_a_server_without_a_voice_list_gets_openais_names_said_so(
    server: OpenAITestServer,
) -> None:
    server.speech.voices = None
    voices = client(server).voices()
    assert not voices.from_server
    assert voices.voices == OPENAI_VOICES


def fault(server: OpenAITestServer, **kw: object) -> LlmError:
    with pytest.raises(LlmError) as raised:
        b"".join(client(server, **kw).stream("Hola.", voice="alloy"))  # type: ignore[arg-type]
    return raised.value


def test_a_refused_key_is_said(server: OpenAITestServer) -> None:
    server.api_key = "sk-right-key-123456"
    error = fault(server, key="sk-wrong-key-123456")
    assert error.kind is ErrorKind.BAD_KEY
    assert "401" in error.message
    error = fault(server, key="sk-wrong-key-123456", separate=True)
    assert "speech server" in error.message and "Settings → Voice" in error.message
    assert "sk-wrong" not in error.message


def test_a_server_that_does_not_make_speech_says_so(server: OpenAITestServer) -> None:
    server.speech.enabled = False
    error = fault(server)
    assert error.kind is ErrorKind.NOT_FOUND
    assert "does not make speech" in error.message
    server.speech.enabled = True
    server.speech.fail_next(404, "model not found")
    assert "does not make speech" in fault(server).message


def test_a_server_error_and_a_hang_and_nothing_there(server: OpenAITestServer) -> None:
    server.speech.fail_next(500, "kaput")
    error = fault(server)
    assert error.kind is ErrorKind.SERVER_ERROR and "500" in error.message
    server.speech.hang_next()
    threading.Timer(3.0, server.release_hanging).start()
    assert fault(server).kind is ErrorKind.TIMEOUT
    down = ServerConfig("http://127.0.0.1:9/v1", "kokoro")
    with pytest.raises(LlmError) as raised:
        next(SpeechClient(down, QUICK).stream("Hola.", voice="alloy"))
    assert raised.value.kind is ErrorKind.UNREACHABLE


def test_the_server_refuses_what_openai_refuses(server: OpenAITestServer) -> None:
    with pytest.raises(LlmError) as raised:
        next(client(server).stream("Hola.", voice="alloy", speed=9.0))
    assert "speed" in raised.value.message
    assert server.speech.requests[0].speed == 9.0
