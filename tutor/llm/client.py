"""A thin wrapper over the `openai` client: a plain generator of reply pieces.

`openai` is imported when the first client is built (about 0.4 to 1 s), which the UI
does off the GUI thread, so the window shows first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import socket
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
    proxy: str = ""
    """The proxy every request goes through (Settings → Model server). Empty: the
    environment decides (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY), as httpx2 does by
    default. A proxy set here is used for every address, NO_PROXY included: the learner
    chose it for this server."""


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 120.0
    """Between bytes: a local server may take a minute to load a model. Tests use ~1 s
    through ClientFactory(Timeouts(...))."""


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
            raise _explained(error, self._config, self._config.model, during_stream=True) from error

    def close(self) -> None:
        self._closed.set()
        # Shut the socket down first: that wakes the thread blocked reading it at once.
        # Closed alone, the read waits for the server's next byte (up to the read
        # timeout, 120 s, from a server that pauses), holding a pool thread.
        with contextlib.suppress(Exception):
            stream = self._raw.response.extensions["network_stream"]
            stream.get_extra_info("socket").shutdown(socket.SHUT_RDWR)
        # Closing a half-read socket may raise; it is closed either way.
        with contextlib.suppress(Exception):
            self._raw.close()


class ChatClient:
    def __init__(self, config: ServerConfig, timeouts: Timeouts | None = None) -> None:
        import httpx2
        import openai

        timeouts = timeouts or Timeouts()
        timeout = httpx2.Timeout(timeouts.read, connect=timeouts.connect)
        self.config = config
        http_client = None
        if config.proxy:
            try:
                # openai's own subclass keeps its defaults (connection limits, redirects).
                http_client = openai.DefaultHttpxClient(proxy=config.proxy, timeout=timeout)
            except ImportError:  # socks5:// needs socksio, which Tutor does not install
                raise LlmError(
                    ErrorKind.UNEXPECTED,
                    f"The proxy {config.proxy} needs SOCKS support, which this installation "
                    "lacks (the Python package 'socksio'). Use an http:// proxy, or install "
                    "socksio.",
                ) from None
            except ValueError as error:  # a scheme or URL httpx2 refuses
                raise LlmError(
                    ErrorKind.UNEXPECTED, f"Tutor cannot use the proxy {config.proxy}: {error}."
                ) from None
        self._client = openai.OpenAI(
            api_key=config.api_key or _NO_KEY,
            base_url=config.base_url,
            max_retries=0,  # Tutor retries itself, visibly
            timeout=timeout,
            http_client=http_client,
        )

    def stream_reply(self, messages: list[dict[str, str]]) -> ReplyStream:
        """Start a streamed completion; raises LlmError if the server refuses it."""
        import openai
        from openai.types.chat import ChatCompletion, ChatCompletionChunk

        body = {
            "model": self.config.model,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        try:
            # `chat.completions.create` first runs every message through openai's typed
            # transform: 113 ms for the 240 turns of a long session, before a byte is
            # sent. These are plain JSON strings already, so the same request is posted
            # as it is, through the client's public `post` (same errors, same stream).
            raw = self._client.post(
                "/chat/completions",
                body=body,
                cast_to=ChatCompletion,
                stream=True,
                stream_cls=openai.Stream[ChatCompletionChunk],
            )
        except Exception as error:
            raise _explained(error, self.config, self.config.model) from error
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
            raise _explained(error, self.config, model) from error

    def list_models(self) -> list[str]:
        try:
            return sorted(model.id for model in self._client.models.list())
        except Exception as error:
            raise _explained(error, self.config, self.config.model) from error

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


KEY_HIDDEN = "[key hidden]"


def _explained(
    error: BaseException, config: ServerConfig, model: str, *, during_stream: bool = False
) -> LlmError:
    """explain(), then the words made safe to show and to store for this server.

    A server may quote the key in its error text (OpenAI's 401 names the key's last
    characters; some proxies echo the header). The words go into the conversation file
    and the log, so the key is taken out here, where it is known. And a proxy that is
    down looks like a server that is down: the words say which one it may be.
    """
    explained = explain(error, config.base_url, model, during_stream=during_stream)
    message = explained.message
    key = config.api_key or ""
    if len(key) >= 8:
        message = message.replace(key, KEY_HIDDEN)
    if len(key) >= 16:
        # Masked quotes ("sk-****…cdef") keep the end; eight characters of it go too.
        message = message.replace(key[-8:], KEY_HIDDEN)
    if config.proxy and explained.kind is ErrorKind.UNREACHABLE:
        message = (
            f"Nothing answers at {config.base_url} through the proxy {config.proxy}. "
            "Is the proxy running, and are both addresses right (Settings → Model server)?"
        )
    if message == explained.message:
        return explained
    return dataclasses.replace(explained, message=message)
