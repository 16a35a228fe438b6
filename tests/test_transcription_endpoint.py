"""The test server's /v1/audio/transcriptions, and Tutor's transcription client against
it: what is sent (a 16 kHz mono WAV, the model, the language hint), the answer in each
format, and every fault explained in words."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request

import openai
import pytest

from tests.openai_server import OpenAITestServer
from tests.spoken_audio import espeak_pcm
from tests.transcription_endpoint import ScriptedTranscript
from tutor.domain.wav import wav_bytes
from tutor.llm.connection import Timeouts
from tutor.llm.errors import ErrorKind, LlmError
from tutor.llm.transcription import Transcriber, TranscriptionServer, language_hint

SPEECH = wav_bytes(espeak_pcm("Hola, me llamo Ana."))


def _client(server: OpenAITestServer, key: str = "sk-test") -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key=key, max_retries=0, timeout=5)


def test_a_valid_request_is_answered_in_json_text_and_verbose_json(server):
    server.transcriptions.enqueue("Uno.", "Dos.", "Tres.")
    client = _client(server)
    first = client.audio.transcriptions.create(
        file=("a.wav", SPEECH, "audio/wav"), model="whisper-1", language="es"
    )
    assert first.text == "Uno."
    text = client.audio.transcriptions.create(
        file=("a.wav", SPEECH, "audio/wav"), model="whisper-1", response_format="text"
    )
    assert str(text).strip() == "Dos."
    verbose = client.audio.transcriptions.create(
        file=("a.wav", SPEECH, "audio/wav"), model="whisper-1", response_format="verbose_json"
    )
    assert verbose.text == "Tres." and verbose.duration == pytest.approx(1.4, abs=1.0)
    recorded = server.transcriptions.requests
    assert [r.language for r in recorded] == ["es", None, None]
    assert recorded[0].model == "whisper-1" and recorded[0].sample_rate == 16000
    assert recorded[0].duration > 0.8 and recorded[0].audio == SPEECH


@pytest.mark.parametrize(
    ("change", "param"),
    [
        ({"model": "gpt-4o"}, "model"),
        ({"language": "Spanish"}, "language"),
        ({"language": "es-ES"}, "language"),
        ({"response_format": "srt"}, "response_format"),
    ],
)
def test_bad_fields_are_refused_with_400_naming_the_parameter(server, change, param):
    fields = {"model": "whisper-1", "language": "es", **change}
    with pytest.raises(openai.BadRequestError) as caught:
        _client(server).audio.transcriptions.create(file=("a.wav", SPEECH, "audio/wav"), **fields)
    assert caught.value.body["param"] == param  # type: ignore[index]


@pytest.mark.parametrize(
    "audio",
    [
        wav_bytes(espeak_pcm("Hola"), sample_rate=22050),
        wav_bytes(espeak_pcm("Hola") * 2, channels=2),
        b"ID3\x03 this is an mp3, not a wav" * 10,
    ],
)
def test_audio_that_is_not_16_khz_mono_16_bit_wav_is_refused(server, audio):
    with pytest.raises(openai.BadRequestError, match=r"WAV|file format"):
        _client(server).audio.transcriptions.create(
            file=("a.wav", audio, "audio/wav"), model="whisper-1"
        )


def test_a_body_that_is_not_multipart_is_refused(server):
    request = urllib.request.Request(
        f"{server.base_url}/audio/transcriptions",
        data=b'{"model": "whisper-1"}',
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 400


def _server(test_server: OpenAITestServer, key: str | None = None) -> TranscriptionServer:
    return TranscriptionServer(test_server.base_url, key, "whisper-1")


def test_tutor_sends_the_wav_the_model_and_the_languages_two_letters(server):
    server.transcriptions.enqueue("Me llamo Ana.")
    text = Transcriber().transcribe(_server(server), SPEECH, "es")
    assert text == "Me llamo Ana."
    (request,) = server.transcriptions.requests
    assert (request.language, request.model, request.sample_rate) == ("es", "whisper-1", 16000)
    assert language_hint("pt-BR") == "pt" and language_hint("zh-Hans") == "zh"


def _failure(server: OpenAITestServer, **kwargs: object) -> LlmError:
    transcriber = Transcriber(Timeouts(connect=1, read=0.5))
    target = _server(server, kwargs.pop("key", None))  # type: ignore[arg-type]
    with pytest.raises(LlmError) as caught:
        transcriber.transcribe(target, SPEECH, "es")
    return caught.value


def test_a_wrong_key_is_explained():
    with OpenAITestServer(api_key="sk-right") as server:
        error = _failure(server, key="sk-wrong")
    assert error.kind is ErrorKind.BAD_KEY and "401" in error.message


def test_a_server_that_does_not_transcribe_says_so(server):
    server.transcriptions.enabled = False
    error = _failure(server)
    assert error.kind is ErrorKind.NOT_FOUND
    assert "does not transcribe speech" in error.message


def test_a_server_error_empty_text_and_a_hang_are_explained(server):
    server.transcriptions.enqueue(ScriptedTranscript(status=500, error_message="boom"))
    assert _failure(server).kind is ErrorKind.SERVER_ERROR
    server.transcriptions.enqueue(ScriptedTranscript(""))
    silence = _failure(server)
    assert silence.kind is ErrorKind.EMPTY_REPLY and "heard nothing" in silence.message
    server.transcriptions.enqueue(ScriptedTranscript(hang=True))
    started = time.perf_counter()
    hang = _failure(server)
    assert hang.kind is ErrorKind.TIMEOUT and "Your recording is kept" in hang.message
    assert time.perf_counter() - started < 5
    server.transcriptions.release()


def test_a_slow_server_is_waited_for(server):
    server.transcriptions.enqueue(ScriptedTranscript("Despacio.", delay=0.3))
    assert Transcriber().transcribe(_server(server), SPEECH, "es") == "Despacio."


def test_nothing_listening_is_explained():
    with OpenAITestServer() as server:
        address = server.base_url
    error = _failure_at(address)
    assert error.kind is ErrorKind.UNREACHABLE and address in error.message


def _failure_at(address: str) -> LlmError:
    with pytest.raises(LlmError) as caught:
        Transcriber(Timeouts(connect=1, read=1)).transcribe(
            TranscriptionServer(address), SPEECH, "es"
        )
    return caught.value


def test_requests_from_two_threads_are_both_recorded(server):
    transcriber = Transcriber()
    results: list[str] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(transcriber.transcribe(_server(server), SPEECH, "es"))
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(server.transcriptions.wait_for_requests(2)) == 2 and len(results) == 2
