"""Speech for the test server (tests/openai_server.py): ``POST /v1/audio/speech`` and
Kokoro-FastAPI's ``GET /v1/audio/voices``.

The speech answer is real audio: 16-bit mono PCM at SAMPLE_RATE (OpenAI's `pcm`), a
tone as long as the text would take to say (`seconds_per_character`) or as asked
(`audio_seconds`), as a WAV file or bare PCM, sent with chunked transfer in pieces of
`chunk_bytes` (after `chunk_delay` each), as a streaming speech server sends it. Every
request is recorded (`requests`: model, voice, input, speed, response_format and when it
arrived) and the next answers can be faults (`fail_next`, `hang_next`, `slow_next`), or
every answer slow to start (`first_byte_delay`), so tests and benchmarks know the
server's share of a latency exactly.
"""

from __future__ import annotations

import contextlib
import math
import struct
import threading
from array import array
from collections import deque
from dataclasses import dataclass
from typing import Any

SPEECH_PATH = "/v1/audio/speech"
VOICES_PATH = "/v1/audio/voices"
SAMPLE_RATE = 24_000
"""OpenAI's `pcm`: 24 kHz, 16-bit signed little-endian, mono."""
FORMATS = ("mp3", "opus", "aac", "flac", "wav", "pcm")
MADE_HERE = ("wav", "pcm")
KOKORO_VOICES = ("af_bella", "af_sky", "am_adam", "ef_dora", "em_alex", "jf_alpha", "zf_xiaobei")


@dataclass(frozen=True)
class SpeechRequest:
    model: Any
    voice: Any
    input: Any
    speed: Any
    response_format: Any
    authorization: str
    arrived_at: float
    """time.perf_counter() when the request line had been read."""


@dataclass(frozen=True)
class SpeechFault:
    status: int = 200
    message: str = ""
    hang: bool = False
    """Send nothing until the server stops or release_hanging(): a client's timeout."""
    first_byte_delay: float = 0.0


def wav_header(data_bytes: int, sample_rate: int = SAMPLE_RATE) -> bytes:
    """The 44-byte RIFF header of 16-bit mono PCM holding `data_bytes`."""
    return b"RIFF" + struct.pack(
        "<I4s4sIHHIIHH4sI",
        36 + data_bytes,
        b"WAVE",
        b"fmt ",
        16,
        1,  # PCM
        1,  # mono
        sample_rate,
        sample_rate * 2,
        2,
        16,
        b"data",
        data_bytes,
    )


def tone(seconds: float, sample_rate: int = SAMPLE_RATE, frequency: int = 200) -> bytes:
    """`seconds` of a quiet sine tone as 16-bit PCM: one period, repeated."""
    period = max(1, sample_rate // frequency)
    one = array("h", (int(6000 * math.sin(2 * math.pi * i / period)) for i in range(period)))
    frames = max(0, round(seconds * sample_rate))
    whole = one * (frames // period + 1)
    return whole[:frames].tobytes()


class SpeechEndpoint:
    """The speech endpoints' script and record; the server holds one as `.speech`."""

    def __init__(self) -> None:
        self.enabled = True
        """False: the server does not do speech (404 on every path here, as a chat-only
        server answers)."""
        self.seconds_per_character = 0.06
        self.audio_seconds: float | None = None
        self.chunk_bytes = 4_800  # 0.1 s of audio
        self.chunk_delay = 0.0
        self.first_byte_delay = 0.0
        self.voices: tuple[str, ...] | None = KOKORO_VOICES
        """What GET /audio/voices lists; None: the path is unknown (OpenAI's own API)."""
        self.requests: list[SpeechRequest] = []
        self._faults: deque[SpeechFault] = deque()
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)

    # ---- scripting

    def fail_next(self, status: int, message: str = "") -> None:
        with self._lock:
            self._faults.append(SpeechFault(status=status, message=message))

    def hang_next(self) -> None:
        with self._lock:
            self._faults.append(SpeechFault(hang=True))

    def slow_next(self, first_byte_delay: float) -> None:
        with self._lock:
            self._faults.append(SpeechFault(first_byte_delay=first_byte_delay))

    def audio_length(self, text: str) -> float:
        if self.audio_seconds is not None:
            return self.audio_seconds
        return max(0.2, len(text) * self.seconds_per_character)

    # ---- inspection

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[SpeechRequest]:
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.requests) >= count, timeout):
                raise TimeoutError(f"{len(self.requests)} speech requests, not {count}")
            return list(self.requests)

    # ---- serving (called by the server's handler thread)

    def handles(self, path: str) -> bool:
        return path in (SPEECH_PATH, VOICES_PATH)

    def serve(self, handler: Any, path: str, body: Any) -> None:
        """Answer one request; `handler` is the test server's request handler."""
        if not self.enabled or (path == VOICES_PATH and self.voices is None):
            handler._send_error(404, f"Unknown path {handler.command} {path}")
            return
        wanted = "GET" if path == VOICES_PATH else "POST"
        if handler.command != wanted:
            handler._send_error(405, f"Method {handler.command} not allowed on {path}")
            return
        if not handler._authorized():
            handler._send_error(401, "Incorrect API key provided.")
            return
        if path == VOICES_PATH:
            handler._send_json(200, {"voices": list(self.voices or ())})
            return
        self._speak(handler, body if isinstance(body, dict) else {})

    def _speak(self, handler: Any, body: dict[str, Any]) -> None:
        request = SpeechRequest(
            model=body.get("model"),
            voice=body.get("voice"),
            input=body.get("input"),
            speed=body.get("speed"),
            response_format=body.get("response_format", "mp3"),
            authorization=handler.headers.get("Authorization") or "",
            arrived_at=handler.arrived_at,
        )
        with self._arrived:
            self.requests.append(request)
            self._arrived.notify_all()
            fault = self._faults.popleft() if self._faults else SpeechFault()
        problem = _invalid(request)
        if problem:
            handler._send_error(400, problem)
            return
        if fault.hang:
            handler._hang()
            return
        if fault.status != 200:
            handler._send_error(fault.status, fault.message)
            return
        stop = handler.owner.stop_event
        delay = fault.first_byte_delay or self.first_byte_delay
        if delay and stop.wait(delay):
            handler._drop_connection()
            return
        audio = tone(self.audio_length(str(request.input)))
        if request.response_format == "wav":
            audio = wav_header(len(audio)) + audio
        handler.send_response(200)
        handler.send_header("Content-Type", f"audio/{request.response_format}")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        try:
            for start in range(0, len(audio), self.chunk_bytes):
                if start and self.chunk_delay and stop.wait(self.chunk_delay):
                    handler._drop_connection()
                    return
                handler._write_chunk(audio[start : start + self.chunk_bytes])
            handler._write_chunk(b"")
        except Exception:  # the client went away, or the server is stopping
            with contextlib.suppress(Exception):
                handler._drop_connection()


def _invalid(request: SpeechRequest) -> str:
    """Why OpenAI would refuse the request (400), or ""."""
    if not isinstance(request.model, str) or not request.model:
        return "you must provide a model parameter"
    if not isinstance(request.input, str) or not request.input.strip():
        return "input: string too short"
    if not isinstance(request.voice, str) or not request.voice:
        return "voice: field required"
    if request.response_format not in FORMATS:
        return f"response_format: must be one of {', '.join(FORMATS)}"
    if request.response_format not in MADE_HERE:
        return "the test server makes wav and pcm only"
    speed = request.speed
    if speed is not None and (
        isinstance(speed, bool) or not isinstance(speed, int | float) or not 0.25 <= speed <= 4
    ):
        return "speed: must be between 0.25 and 4.0"
    return ""
