"""Speech made by a server: `POST /audio/speech` through the `openai` package, streamed,
and the server's voices where it lists them.

OpenAI's speech models and compatible servers (Kokoro-FastAPI, Speaches, LocalAI) take
the same request: model, voice, input, response format and speed. Tutor asks for `wav`
(a file a player opens and the cache keeps) or `pcm` (24 kHz 16-bit mono, bytes a sink
plays as they come). The audio arrives in pieces (`SpeechClient.stream`), so the caller
can start playing, or stop, before the server has finished.

Voices: Kokoro-FastAPI lists its own at `GET /audio/voices`; OpenAI's API has no such
list, so where a server offers none Tutor shows OpenAI's known names and says that they
are not the server's own (`VoiceList.from_server`); the learner may type another.

Every error is an LlmError in words (errors.py), with speech's own for a server that
has no speech endpoint (404) and for a key refused by a separate speech server.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, Literal

from tutor.i18n.translate import _
from tutor.llm.connection import ServerConfig, Timeouts, explained
from tutor.llm.errors import ErrorKind, LlmError

SpeechFormat = Literal["wav", "pcm"]
PCM_SAMPLE_RATE = 24_000
"""OpenAI's `pcm`: 24 kHz, signed 16-bit little-endian, mono."""
OPENAI_VOICES = (
    "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer",
    "verse",
)  # fmt: skip
"""OpenAI's voices (its speech documentation); other servers name theirs otherwise."""
CHUNK_BYTES = 4_800
"""0.1 s of 24 kHz 16-bit audio: small enough that the first piece comes at once."""
_NO_KEY = "no-key-needed"


@dataclass(frozen=True)
class VoiceList:
    voices: tuple[str, ...]
    from_server: bool
    """False: the server lists no voices, and these are OpenAI's names."""


class SpeechClient:
    """Speech from one server. `separate`: the server is not the chat server (its key is
    set in Settings → Voice, and its errors say so). Build it off the GUI thread: the
    first one imports `openai`."""

    def __init__(
        self, config: ServerConfig, timeouts: Timeouts | None = None, *, separate: bool = False
    ) -> None:
        import httpx2
        import openai

        timeouts = timeouts or Timeouts()
        self.config = config
        self.separate = separate
        timeout = httpx2.Timeout(timeouts.read, connect=timeouts.connect)
        http_client = None
        if config.proxy:
            try:
                http_client = openai.DefaultHttpxClient(proxy=config.proxy, timeout=timeout)
            except (ImportError, ValueError) as error:
                raise self._explained(error) from None
        self._client = openai.OpenAI(
            api_key=config.api_key or _NO_KEY,
            base_url=config.base_url,
            max_retries=0,
            timeout=timeout,
            http_client=http_client,
        )

    def stream(
        self,
        text: str,
        *,
        voice: str,
        speed: float = 1.0,
        response_format: SpeechFormat = "wav",
        chunk_bytes: int = CHUNK_BYTES,
    ) -> Generator[bytes, None, None]:
        """The audio of `text`, piece by piece as the server sends it. Nothing is sent
        before the first `next()`; closing the iterator closes the connection. Raises
        LlmError (in words) when the server refuses, fails or breaks off."""
        started = False
        try:
            with self._client.audio.speech.with_streaming_response.create(
                model=self.config.model,
                voice=voice,
                input=text,
                response_format=response_format,
                speed=speed,
            ) as response:
                for piece in response.iter_bytes(chunk_bytes):
                    started = True
                    yield piece
        except GeneratorExit:
            raise
        except Exception as error:
            raise self._explained(error, during_stream=started) from error

    def voices(self) -> VoiceList:
        """The server's voices (Kokoro-FastAPI's list), else OpenAI's names. Raises
        LlmError when the server refuses the key, is down or times out."""
        try:
            answer = self._client.get("/audio/voices", cast_to=str)
        except Exception as error:
            status = getattr(error, "status_code", None)
            if status in (404, 405):
                return VoiceList(OPENAI_VOICES, from_server=False)
            raise self._explained(error) from error
        names = _voice_names(answer)
        if not names:
            return VoiceList(OPENAI_VOICES, from_server=False)
        return VoiceList(names, from_server=True)

    def _explained(self, error: BaseException, *, during_stream: bool = False) -> LlmError:
        found = explained(error, self.config, self.config.model, during_stream=during_stream)
        if found.kind is ErrorKind.NOT_FOUND:
            # Translators: "Settings → Voice" names the page in Settings: same words.
            words = _(
                "The server at {address} does not make speech, or has no speech model "
                "'{model}' (404). Choose a speech server and model in Settings → Voice, or "
                "use the system voices."
            ).format(address=self.config.base_url, model=self.config.model)
            return LlmError(ErrorKind.NOT_FOUND, words, found.status)
        if found.kind is ErrorKind.BAD_KEY and self.separate:
            words = _(
                "The speech server at {address} refused the API key (401). Check its key "
                "in Settings → Voice."
            ).format(address=self.config.base_url)
            return LlmError(ErrorKind.BAD_KEY, words, found.status)
        if found.kind is ErrorKind.UNEXPECTED and isinstance(error, ValueError):
            return LlmError(
                ErrorKind.UNEXPECTED,
                _(
                    "The speech server at {address} answered with something that is not audio."
                ).format(address=self.config.base_url),
            )
        return found


def _voice_names(answer: str) -> tuple[str, ...]:
    """Voice ids from a voice list: Kokoro-FastAPI's {"voices": [...]}, or a bare list,
    of names or of objects with an id."""
    try:
        data: Any = json.loads(answer)
    except ValueError:
        return ()
    if isinstance(data, dict):
        data = data.get("voices", data.get("data"))
    if not isinstance(data, list):
        return ()
    names: list[str] = []
    for item in data:
        if isinstance(item, dict):
            item = item.get("id") or item.get("voice_id") or item.get("name")
        if isinstance(item, str) and item and item not in names:
            names.append(item)
    return tuple(names)
