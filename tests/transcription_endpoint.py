"""``POST /v1/audio/transcriptions`` for the test server (tests/openai_server.py).

It checks what Tutor sends as strictly as a real server would, and more strictly on the
audio, since Tutor promises 16 kHz mono 16-bit WAV:

* the body is ``multipart/form-data`` with a ``file`` part and a ``model`` field;
* the file is a WAV (RIFF/WAVE) at 16 kHz, mono, 16-bit; anything else is refused with
  OpenAI's 400 ``Invalid file format.``;
* ``model`` is one of :attr:`TranscriptionScript.models`, ``language`` (when sent) an
  ISO-639-1 code, ``response_format`` one of json, text, verbose_json.

It answers with scripted text (:meth:`TranscriptionScript.enqueue`, else
:attr:`TranscriptionScript.default_text`) in the format asked for, records each request
(:attr:`TranscriptionScript.requests`: fields, the audio and its duration, when it
arrived), and does every fault on demand: an HTTP error (401, 404, 500…), a hang until
released, a slow answer, an empty transcript. ``enabled = False`` makes the server one
that does not transcribe at all (404 on the path, as a chat-only server answers).
"""

from __future__ import annotations

import io
import re
import threading
import time
import wave
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any, Protocol

PATH = "/v1/audio/transcriptions"
RESPONSE_FORMATS = ("json", "text", "verbose_json")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


class _Handler(Protocol):
    """What the test server's request handler gives this endpoint."""

    headers: Any
    arrived_at: float
    wfile: Any

    def _authorized(self) -> bool: ...
    def _send_json(
        self, status: int, payload: Any, headers: dict[str, str] | None = None
    ) -> None: ...
    def _send_error(
        self,
        status: int,
        message: str = "",
        headers: dict[str, str] | None = None,
        *,
        param: str | None = None,
        code: str | None = None,
    ) -> None: ...
    def send_response(self, code: int, message: str | None = None) -> None: ...
    def send_header(self, keyword: str, value: str) -> None: ...
    def end_headers(self) -> None: ...


@dataclass(frozen=True)
class ScriptedTranscript:
    """One answer: its text, or a fault."""

    text: str = "Hola, me llamo Ana."
    status: int = 200
    error_message: str = ""
    hang: bool = False
    """Send nothing until :meth:`TranscriptionScript.release` (or the server stops)."""
    delay: float = 0.0
    """Seconds to wait before answering (a slow server)."""


@dataclass(frozen=True)
class TranscriptionRequest:
    """What one request carried."""

    fields: dict[str, str]
    filename: str
    audio: bytes
    arrived_at: float
    """time.perf_counter() when its request line was read."""
    authorization: str = ""
    sample_rate: int = 0
    channels: int = 0
    sample_width: int = 0
    duration: float = 0.0

    @property
    def language(self) -> str | None:
        return self.fields.get("language")

    @property
    def model(self) -> str | None:
        return self.fields.get("model")


@dataclass
class TranscriptionScript:
    models: set[str] = field(
        default_factory=lambda: {"whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe"}
    )
    default_text: str = "Hola, me llamo Ana."
    enabled: bool = True
    requests: list[TranscriptionRequest] = field(default_factory=list)
    answered_at: list[float] = field(default_factory=list)
    """time.perf_counter() as each transcript's last byte was written (benchmarks)."""
    stop_event: threading.Event = field(default_factory=threading.Event)
    """Set by the server as it stops: a hanging answer gives up."""
    _queue: deque[ScriptedTranscript] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _arrived: threading.Condition = field(init=False)
    _release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._arrived = threading.Condition(self._lock)

    def enqueue(self, *answers: ScriptedTranscript | str) -> None:
        """Answers for the next requests, in order (a string is a transcript)."""
        with self._lock:
            self._queue.extend(ScriptedTranscript(a) if isinstance(a, str) else a for a in answers)

    def release(self) -> None:
        """Let hanging answers end (their connections are dropped)."""
        self._release.set()

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[TranscriptionRequest]:
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.requests) >= count, timeout):
                raise TimeoutError(f"{len(self.requests)} of {count} transcription requests")
            return list(self.requests)

    # ---- serving

    def serve(self, handler: _Handler, raw: bytes) -> None:
        if not self.enabled:
            handler._send_error(404, f"Unknown path POST {PATH}")
            return
        parsed = parse_form(handler.headers.get("Content-Type", ""), raw)
        if parsed is None:
            handler._send_error(400, "Expected multipart/form-data.")
            return
        fields, files = parsed
        request = _request(fields, files, handler)
        with self._arrived:
            self.requests.append(request)
            self._arrived.notify_all()
        if not handler._authorized():
            handler._send_error(401, "Incorrect API key provided.", code="invalid_api_key")
            return
        problem = self._problem(fields, files, request)
        if problem is not None:
            status, message, param = problem
            handler._send_error(status, message, param=param, code="invalid_value")
            return
        answer = self._next()
        if answer.hang:
            while not (self._release.wait(0.05) or self.stop_event.is_set()):
                pass
            handler.wfile.flush()
            raise ConnectionAbortedError("hung transcription dropped")
        if answer.delay:
            self.stop_event.wait(answer.delay)
        if answer.status != 200:
            handler._send_error(answer.status, answer.error_message)
            return
        _answer(handler, fields.get("response_format", "json"), answer.text, request)
        self.answered_at.append(time.perf_counter())

    def _next(self) -> ScriptedTranscript:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        return ScriptedTranscript(self.default_text)

    def _problem(
        self, fields: dict[str, str], files: dict[str, tuple[str, bytes]], request: Any
    ) -> tuple[int, str, str] | None:
        if "file" not in files:
            return 400, "'file' is a required property", "file"
        if not fields.get("model"):
            return 400, "'model' is a required property", "model"
        if fields["model"] not in self.models:
            return 400, f"Invalid model {fields['model']!r} for transcription.", "model"
        language = fields.get("language")
        if language is not None and not _LANGUAGE.match(language):
            return 400, f"Invalid language {language!r}: use ISO-639-1 (e.g. 'es').", "language"
        if fields.get("response_format", "json") not in RESPONSE_FORMATS:
            return 400, "Unsupported response_format.", "response_format"
        if not request.sample_rate:
            return 400, "Invalid file format. Expected a WAV (RIFF/WAVE) file.", "file"
        shape = (request.sample_rate, request.channels, request.sample_width)
        if shape != (16_000, 1, 2):
            return 400, f"Expected 16 kHz mono 16-bit WAV, got {shape}.", "file"
        return None


def parse_form(
    content_type: str, raw: bytes
) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]] | None:
    """(fields, files by name -> (filename, bytes)) of a multipart/form-data body."""
    if not content_type.lower().startswith("multipart/form-data"):
        return None
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
    )
    if not message.is_multipart():
        return None
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = (filename, data)
        else:
            fields[name] = data.decode("utf-8", "replace")
    return fields, files


def _request(
    fields: dict[str, str], files: dict[str, tuple[str, bytes]], handler: _Handler
) -> TranscriptionRequest:
    filename, audio = files.get("file", ("", b""))
    shape: dict[str, Any] = {}
    try:
        with wave.open(io.BytesIO(audio), "rb") as wav:
            rate = wav.getframerate()
            shape = {
                "sample_rate": rate,
                "channels": wav.getnchannels(),
                "sample_width": wav.getsampwidth(),
                "duration": wav.getnframes() / rate if rate else 0.0,
            }
    except (wave.Error, EOFError):
        pass
    return TranscriptionRequest(
        fields=dict(fields),
        filename=filename,
        audio=audio,
        arrived_at=handler.arrived_at,
        authorization=handler.headers.get("Authorization", "") or "",
        **shape,
    )


def _answer(handler: _Handler, kind: str, text: str, request: TranscriptionRequest) -> None:
    if kind == "text":
        data = text.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
        handler.wfile.flush()
        return
    if kind == "verbose_json":
        handler._send_json(
            200,
            {
                "task": "transcribe",
                "language": request.language or "",
                "duration": round(request.duration, 2),
                "text": text,
                "segments": [
                    {"id": 0, "start": 0.0, "end": round(request.duration, 2), "text": text}
                ]
                if text
                else [],
            },
        )
        return
    handler._send_json(200, {"text": text})
