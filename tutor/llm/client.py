"""A thin wrapper over the `openai` client: a plain generator of reply pieces.

`openai` is imported when the first client is built (about 0.4 to 1 s), which the UI
does off the GUI thread, so the window shows first.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tutor.domain.conversation import TokenUsage
from tutor.llm.errors import ErrorKind, LlmError, explain

# Servers that need no key still need a non-empty one for the openai client.
_NO_KEY = "no-key-needed"


@dataclass(frozen=True)
class ServerConfig:
    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 120.0
    """Between bytes: a local server may take a minute to load a model."""


@dataclass(frozen=True)
class Completion:
    text: str
    finish_reason: str | None
    usage: TokenUsage | None


class ReplyStream:
    """Iterate for text pieces; afterwards `finish_reason` and `usage` are known.

    Any failure is raised as LlmError. `close()` from another thread ends the
    iteration soon after (the HTTP response is closed under it).
    """

    def __init__(self, raw: Any, config: ServerConfig) -> None:
        self._raw = raw
        self._config = config
        self._closed = threading.Event()
        self.finish_reason: str | None = None
        self.usage: TokenUsage | None = None

    def __iter__(self) -> Iterator[str]:
        try:
            for chunk in self._raw:
                if self._closed.is_set():
                    return
                if chunk.usage is not None:
                    self.usage = TokenUsage(
                        chunk.usage.prompt_tokens or 0, chunk.usage.completion_tokens or 0
                    )
                for choice in chunk.choices or ():
                    if choice.delta is not None and choice.delta.content:
                        yield choice.delta.content
                    if choice.finish_reason:
                        self.finish_reason = choice.finish_reason
        except Exception as error:
            if self._closed.is_set():
                return
            raise explain(
                error, self._config.base_url, self._config.model, during_stream=True
            ) from error

    def close(self) -> None:
        self._closed.set()
        # Closing a half-read socket may raise; it is closed either way.
        with contextlib.suppress(Exception):
            self._raw.close()


class ChatClient:
    def __init__(self, config: ServerConfig, timeouts: Timeouts | None = None) -> None:
        import httpx2
        import openai

        timeouts = timeouts or Timeouts()
        self.config = config
        self._client = openai.OpenAI(
            api_key=config.api_key or _NO_KEY,
            base_url=config.base_url,
            max_retries=0,  # Tutor retries itself, visibly
            timeout=httpx2.Timeout(timeouts.read, connect=timeouts.connect),
        )

    def stream_reply(self, messages: list[dict[str, str]]) -> ReplyStream:
        """Start a streamed completion; raises LlmError if the server refuses it."""
        try:
            raw = self._client.chat.completions.create(  # type: ignore[call-overload]
                model=self.config.model,
                messages=messages,
                stream=True,
                stream_options={"include_usage": True},
            )
        except Exception as error:
            raise explain(error, self.config.base_url, self.config.model) from error
        return ReplyStream(raw, self.config)

    def complete(
        self,
        messages: list[dict[str, str]],
        *,
        model: str | None = None,
        response_format: dict[str, Any] | None = None,
    ) -> Completion:
        """One whole (not streamed) completion; raises LlmError on failure."""
        model = model or self.config.model
        extra: dict[str, Any] = {"response_format": response_format} if response_format else {}
        try:
            response = self._client.chat.completions.create(
                model=model,
                messages=messages,  # type: ignore[arg-type]
                temperature=0,
                **extra,
            )
            choice = response.choices[0]
            usage = response.usage
            return Completion(
                choice.message.content or "",
                choice.finish_reason,
                TokenUsage(usage.prompt_tokens or 0, usage.completion_tokens or 0)
                if usage is not None
                else None,
            )
        except Exception as error:
            raise explain(error, self.config.base_url, model) from error

    def list_models(self) -> list[str]:
        try:
            return sorted(model.id for model in self._client.models.list())
        except Exception as error:
            raise explain(error, self.config.base_url, self.config.model) from error

    def check_connection(self) -> str:
        """A plain-words verdict on the server, key and model; raises LlmError if unusable."""
        try:
            models = self.list_models()
        except LlmError as error:
            if error.kind is not ErrorKind.NOT_FOUND:
                raise
            models = []  # some servers have no /models; a tiny request decides instead
        if models and self.config.model and self.config.model not in models:
            raise LlmError(
                ErrorKind.NOT_FOUND,
                f"The server answers, but has no model '{self.config.model}'. "
                f"It offers: {', '.join(models[:8])}{'…' if len(models) > 8 else ''}.",
            )
        # Always a tiny request too: some servers (llama.cpp with --api-key, OpenRouter)
        # list their models without checking the key, so a list proves neither key nor model.
        stream = self.stream_reply([{"role": "user", "content": "Say OK."}])
        if not "".join(stream).strip():
            raise LlmError(ErrorKind.EMPTY_REPLY, "The server answered with an empty reply.")
        return f"Connected: the server answers and '{self.config.model}' is ready."
