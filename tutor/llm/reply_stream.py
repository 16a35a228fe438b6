"""A reply as it arrives (ReplyStream) or whole (Completion): the answer's words, apart from
a reasoning model's thinking, its finish reason and its usage."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tutor.domain.conversation import TokenUsage
from tutor.domain.reasoning import ReasoningSplitter, separate_reasoning
from tutor.llm.connection import ServerConfig, explained
from tutor.llm.shaping import thought


@dataclass(frozen=True)
class Completion:
    text: str
    """The answer's words: a reasoning model's thinking is taken out (domain/reasoning.py)."""
    finish_reason: str | None
    usage: TokenUsage | None
    """As the server counted it: thinking included."""
    reasoned: bool = False
    """The model thought first (a <think> block, or a reasoning field). With no words,
    domain/reasoning.py's `no_words_reason` says why."""


REASONING_FIELDS = ("reasoning_content", "reasoning")
"""Where servers put thinking apart from the content: DeepSeek's API, vLLM, llama.cpp and
LM Studio say `reasoning_content`; Ollama's OpenAI API and OpenRouter say `reasoning`.
The openai package keeps these unknown fields in the object's `model_extra`."""


def _reasoning_in(part: Any) -> str:
    """The thinking a delta or message carries apart from its content, or ""."""
    extra = getattr(part, "model_extra", None)
    if not extra:
        return ""
    for name in REASONING_FIELDS:
        value = extra.get(name)
        if isinstance(value, str) and value:
            return value
    return ""


class ReplyStream:
    """Iterate for the reply's words, piece by piece; afterwards `finish_reason` and
    `usage` are known.

    A reasoning model's thinking (a leading <think> block in the content, or deltas in
    a reasoning field) is not yielded: while it arrives the pieces are "" and `thinking`
    is True, so a caller knows the model is alive. When a closing tag shows that the
    words so far were thinking (the opening tag was in the prompt), `restarts` counts up
    and the caller drops the words it has; `text` is always the words so far.

    Any failure is raised as LlmError. `close()` from another thread ends the
    iteration soon after (the HTTP response is closed under it).
    """

    def __init__(self, raw: Any, config: ServerConfig) -> None:
        self._raw = raw
        self._config = config
        self._closed = threading.Event()
        self._splitter = ReasoningSplitter()
        self._words: list[str] = []
        self._restarts_seen = 0
        self.finish_reason: str | None = None
        self.usage: TokenUsage | None = None

    @property
    def thinking(self) -> bool:
        """The model is thinking now (no words since)."""
        return self._splitter.thinking

    @property
    def reasoned(self) -> bool:
        """Some thinking arrived, in a block or a reasoning field."""
        return self._splitter.reasoned

    @property
    def restarts(self) -> int:
        """How often the words so far turned out to be thinking (0 or 1)."""
        return self._splitter.restarts

    @property
    def text(self) -> str:
        """The reply's words so far."""
        return "".join(self._words)

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
                    delta = choice.delta
                    if delta is not None:
                        reasoning = _reasoning_in(delta)
                        if reasoning:
                            self._splitter.feed_reasoning(reasoning)
                            yield ""
                        if delta.content:
                            words = self._words_of(self._splitter.feed(delta.content))
                            if words is not None:
                                yield words
                    if choice.finish_reason:
                        self.finish_reason = choice.finish_reason
            words = self._words_of(self._splitter.finish())
            if words:
                yield words
        except Exception as error:
            if self._closed.is_set():
                return
            raise explained(error, self._config, self._config.model, during_stream=True) from error

    def _words_of(self, words: str) -> str | None:
        """Keep `words`; what to yield for them: None when there is nothing to tell."""
        if self._splitter.restarts != self._restarts_seen:
            self._restarts_seen = self._splitter.restarts
            self._words.clear()
        elif not words:
            return "" if self._splitter.thinking else None
        if words:
            self._words.append(words)
        return words

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


class NoticingStream(ReplyStream):
    """A ReplyStream that, at its end, tells `learn` when the model was seen thinking
    (`reasoned`, or a reply cut by the cap before a word of it arrived): the model's
    next requests then get room for its thinking."""

    def __init__(self, raw: Any, config: ServerConfig, learn: Callable[[], None]) -> None:
        super().__init__(raw, config)
        self._learn = learn

    def __iter__(self) -> Iterator[str]:
        yield from super().__iter__()
        if not self._closed.is_set() and thought(self.reasoned, self.finish_reason, self.text):
            self._learn()


def completion_of(response: Any) -> Completion:
    """A whole answer: its words, without a reasoning model's thinking."""
    choice = response.choices[0]
    usage = response.usage
    answer = separate_reasoning(choice.message.content or "")
    return Completion(
        answer.words,
        choice.finish_reason,
        TokenUsage(usage.prompt_tokens or 0, usage.completion_tokens or 0)
        if usage is not None
        else None,
        reasoned=answer.reasoned or bool(_reasoning_in(choice.message).strip()),
    )
