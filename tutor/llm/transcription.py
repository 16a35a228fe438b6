"""The learner's recording made into text: `POST /audio/transcriptions` through the
`openai` package, on the chat server or a separate address (OpenAI's transcription
models, Groq, Speaches / faster-whisper-server, LocalAI, whisper.cpp's server).

The target language goes as the `language` hint (ISO-639-1): a learner's accent makes a
recogniser guess the wrong language, and it then writes a Spanish sentence as English
words. Errors are explained for this job: a 404 here means the server does not
transcribe, not that a chat model is missing.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from typing import Any

from tutor.domain.voice_settings import DEFAULT_TRANSCRIPTION_MODEL
from tutor.i18n.translate import N_, _
from tutor.llm.connection import ServerConfig, Timeouts, explained
from tutor.llm.errors import ErrorKind, LlmError

HEARD_NOTHING = N_("Tutor heard nothing; try again closer to the microphone.")
_NO_KEY = "no-key-needed"  # the openai client needs a non-empty key, servers may not


@dataclass(frozen=True)
class TranscriptionServer:
    """Where a recording is transcribed, and with which model."""

    base_url: str
    api_key: str | None = field(default=None, repr=False)
    model: str = DEFAULT_TRANSCRIPTION_MODEL
    proxy: str = ""


def language_hint(language_code: str) -> str:
    """The ISO-639-1 code of a target language's tag: "pt" for "pt-BR", "zh" for
    "zh-Hans" (transcription servers take the two letters only)."""
    return language_code.split("-")[0].split("_")[0].lower()


class Transcriber:
    """Transcribes recordings, from any thread; one client per server, kept between
    recordings (building one costs tens of milliseconds the learner would wait for)."""

    def __init__(self, timeouts: Timeouts | None = None) -> None:
        self._timeouts = timeouts or Timeouts()
        self._clients: dict[TranscriptionServer, Any] = {}
        self._lock = threading.Lock()

    def transcribe(self, server: TranscriptionServer, wav: bytes, language_code: str) -> str:
        """The transcript of a WAV recording; LlmError in words when there is none
        (an empty transcript included: the recording held no speech)."""
        model = server.model or DEFAULT_TRANSCRIPTION_MODEL
        try:
            answer = self._client(server).audio.transcriptions.create(
                file=("speech.wav", wav, "audio/wav"),
                model=model,
                language=language_hint(language_code),
                response_format="json",
            )
        except Exception as error:
            raise transcription_error(error, server, model) from error
        text = str(getattr(answer, "text", "") or "").strip()
        if not text:
            raise LlmError(ErrorKind.EMPTY_REPLY, _(HEARD_NOTHING))
        return text

    def warm(self, server: TranscriptionServer) -> None:
        """Build the client ahead of the first recording (off the GUI thread)."""
        self._client(server)

    def _client(self, server: TranscriptionServer) -> Any:
        with self._lock:
            found = self._clients.get(server)
            if found is None:
                import httpx2
                import openai

                timeout = httpx2.Timeout(self._timeouts.read, connect=self._timeouts.connect)
                http_client = (
                    openai.DefaultHttpxClient(proxy=server.proxy, timeout=timeout)
                    if server.proxy
                    else None
                )
                found = openai.OpenAI(
                    api_key=server.api_key or _NO_KEY,
                    base_url=server.base_url,
                    max_retries=0,  # the learner retries, with the recording kept
                    timeout=timeout,
                    http_client=http_client,
                )
                self._clients = {server: found}  # one server at a time
            return found


def transcription_error(error: BaseException, server: TranscriptionServer, model: str) -> LlmError:
    """What went wrong, in words for this job (the key taken out, as for chat)."""
    if isinstance(error, LlmError):
        return error
    import openai

    address = server.base_url
    if isinstance(error, openai.AuthenticationError):
        words = _(
            "The transcription server refused the API key (401). Check the key under "
            "Settings → Voice → Microphone and transcription."
        )
        return LlmError(ErrorKind.BAD_KEY, words, 401)
    if isinstance(error, openai.NotFoundError):
        words = _(
            "The server at {address} does not transcribe speech (404), or has no model "
            "'{model}'. Give a transcription address under Settings → Voice, or check the "
            "model's name."
        ).format(address=address, model=model)
        return LlmError(ErrorKind.NOT_FOUND, words, 404)
    if isinstance(error, openai.APITimeoutError):
        words = _(
            "The transcription server at {address} did not answer in time. Your recording "
            "is kept: retry in a moment."
        ).format(address=address)
        return LlmError(ErrorKind.TIMEOUT, words)
    config = ServerConfig(address, model, server.api_key, server.proxy)
    found = explained(error, config, model)
    if found.kind is ErrorKind.UNEXPECTED and isinstance(error, openai.APIResponseValidationError):
        words = _("The server at {address} answered with something that is not a transcript.")
        return dataclasses.replace(found, message=words.format(address=address))
    return found
