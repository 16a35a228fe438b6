"""A thin wrapper over the `openai` client: a plain generator of reply pieces
(reply_stream.py), and whole answers, each request shaped by what its server takes
(shaping.py). How a server is reached, and its errors in safe words: connection.py.

`openai` is imported when the first client is built (about 0.4 to 1 s), which the UI
does off the GUI thread, so the window shows first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from tutor.domain.conversation import EMPTY_REPLY
from tutor.domain.output_caps import CONNECTION_CHECK_TOKENS, DEFAULT_CAP
from tutor.domain.reasoning import no_words_reason
from tutor.domain.server_habits import ServerHabits
from tutor.i18n.translate import _
from tutor.llm.connection import KEY_HIDDEN as KEY_HIDDEN
from tutor.llm.connection import ServerConfig as ServerConfig
from tutor.llm.connection import Timeouts as Timeouts
from tutor.llm.connection import explained
from tutor.llm.errors import ErrorKind, LlmError
from tutor.llm.habits import HabitsInMemory, HabitsMemory
from tutor.llm.reply_stream import Completion as Completion
from tutor.llm.reply_stream import NoticingStream, completion_of
from tutor.llm.reply_stream import ReplyStream as ReplyStream
from tutor.llm.shaping import Messages, RequestShaper, Result, Shrink, thought

# Servers that need no key still need a non-empty one for the openai client.
_NO_KEY = "no-key-needed"


class ChatClient:
    """One server's client. `habits`: where what the server was found to take is kept
    (tutor/llm/habits.py); without one, in memory for the client's life."""

    def __init__(
        self,
        config: ServerConfig,
        timeouts: Timeouts | None = None,
        habits: HabitsMemory | None = None,
    ) -> None:
        import httpx2
        import openai

        timeouts = timeouts or Timeouts()
        timeout = httpx2.Timeout(timeouts.read, connect=timeouts.connect)
        self.config = config
        self._shaper = RequestShaper(
            config.base_url, habits if habits is not None else HabitsInMemory()
        )
        http_client = None
        if config.proxy:
            try:
                # openai's own subclass keeps its defaults (connection limits, redirects).
                http_client = openai.DefaultHttpxClient(proxy=config.proxy, timeout=timeout)
            except ImportError:  # socks5:// needs socksio, which Tutor does not install
                raise LlmError(
                    ErrorKind.UNEXPECTED,
                    _(
                        "The proxy {proxy} needs SOCKS support, which this installation lacks "
                        "(the Python package 'socksio'). Use an http:// proxy, or install "
                        "socksio."
                    ).format(proxy=config.proxy),
                ) from None
            except ValueError as error:  # a scheme or URL httpx2 refuses
                # Translators: {reason} is the HTTP library's own words, in English.
                raise LlmError(
                    ErrorKind.UNEXPECTED,
                    _("Tutor cannot use the proxy {proxy}: {reason}.").format(
                        proxy=config.proxy, reason=error
                    ),
                ) from None
        self._client = openai.OpenAI(
            api_key=config.api_key or _NO_KEY,
            base_url=config.base_url,
            max_retries=0,  # Tutor retries itself, visibly
            timeout=timeout,
            http_client=http_client,
        )

    def habits(self, model: str | None = None) -> ServerHabits:
        """What this server and `model` (the config's by default) are known to take."""
        return self._shaper.habits(model or self.config.model)

    def stream_reply(
        self, messages: Messages, *, cap: int = DEFAULT_CAP, shrink: Shrink | None = None
    ) -> ReplyStream:
        """Start a streamed completion; raises LlmError if the server refuses it.

        `cap`: the most tokens the reply may take (tutor/domain/output_caps.py); a model
        known to reason gets room for its thinking on top. `shrink`: the request rebuilt
        for a smaller history budget, when the server says it is too long for the model;
        by default its oldest turns are left out. A refusal Tutor can act on (a parameter,
        the system role, the context's length) is retried once, shaped otherwise, and
        remembered for this server and model.
        """
        return self._stream(messages, cap, shrink, room=True)

    def _stream(
        self, messages: Messages, cap: int, shrink: Shrink | None, *, room: bool
    ) -> ReplyStream:
        model = self.config.model

        def post(body: dict[str, Any]) -> Any:
            import openai
            from openai.types.chat import ChatCompletion, ChatCompletionChunk

            # `chat.completions.create` first runs every message through openai's typed
            # transform: 113 ms for the 240 turns of a long session, before a byte is
            # sent. These are plain JSON strings already, so the same request is posted
            # as it is, through the client's public `post` (same errors, same stream).
            return self._client.post(
                "/chat/completions",
                body={**body, "stream": True, "stream_options": {"include_usage": True}},
                cast_to=ChatCompletion,
                stream=True,
                stream_cls=openai.Stream[ChatCompletionChunk],
            )

        raw = self._send(model, messages, cap, shrink, post, room=room)
        return NoticingStream(raw, self.config, partial(self._shaper.learn_reasoning, model))

    def complete(
        self,
        messages: Messages,
        *,
        model: str | None = None,
        response_format: dict[str, Any] | None = None,
        cap: int = DEFAULT_CAP,
        shrink: Shrink | None = None,
    ) -> Completion:
        """One whole (not streamed) completion at temperature 0; raises LlmError on
        failure. `cap` and `shrink` as for stream_reply(); a model that takes only its
        default temperature is sent none."""
        model = model or self.config.model
        extra: dict[str, Any] = {"response_format": response_format} if response_format else {}

        def post(body: dict[str, Any]) -> Completion:
            from openai.types.chat import ChatCompletion

            response = self._client.post(
                "/chat/completions", body={**body, **extra}, cast_to=ChatCompletion
            )
            return completion_of(response)

        completion = self._send(model, messages, cap, shrink, post, temperature=0)
        if thought(completion.reasoned, completion.finish_reason, completion.text):
            self._shaper.learn_reasoning(model)
        return completion

    def _send(
        self,
        model: str,
        messages: Messages,
        cap: int,
        shrink: Shrink | None,
        post: Callable[[dict[str, Any]], Result],
        *,
        temperature: float | None = None,
        room: bool = True,
    ) -> Result:
        try:
            return self._shaper.send(
                model, messages, cap, shrink, post, temperature=temperature, room=room
            )
        except Exception as error:
            raise explained(error, self.config, model) from error

    def list_models(self) -> list[str]:
        try:
            return sorted(model.id for model in self._client.models.list())
        except Exception as error:
            raise explained(error, self.config, self.config.model) from error

    def check_connection(self) -> str:
        """A plain-words verdict on the server, key and model; raises LlmError if unusable."""
        try:
            models = self.list_models()
        except LlmError as error:
            if error.kind is not ErrorKind.NOT_FOUND:
                raise
            models = []  # some servers have no /models; a tiny request decides instead
        if models and self.config.model and self.config.model not in models:
            offered = ", ".join(models[:8]) + ("…" if len(models) > 8 else "")
            raise LlmError(
                ErrorKind.NOT_FOUND,
                # Translators: {models} are model ids, as the server names them.
                _("The server answers, but has no model '{model}'. It offers: {models}.").format(
                    model=self.config.model, models=offered
                ),
            )
        # Always a tiny request too: some servers (llama.cpp with --api-key, OpenRouter)
        # list their models without checking the key, so a list proves neither key nor model.
        # Its cap is tiny whatever the model: a model that thinks first is cut while
        # thinking, which proves the server, the key and the model as well as an answer.
        stream = self._stream(
            [{"role": "user", "content": "Say OK."}],  # i18n: ignore (to the model)
            CONNECTION_CHECK_TOKENS,
            None,
            room=False,
        )
        for _piece in stream:
            pass
        if not stream.text.strip():
            if stream.finish_reason == "length":
                return _(
                    "Connected: the server answers and '{model}' is ready (it thinks before "
                    "it answers)."
                ).format(model=self.config.model)
            # A reasoning model's thinking is no answer; its words after it are.
            if stream.reasoned:
                reason = no_words_reason(stream.finish_reason)
                raise LlmError(
                    ErrorKind.EMPTY_REPLY,
                    _("The server answers, but no words came: {reason}.").format(reason=reason),
                )
            raise LlmError(ErrorKind.EMPTY_REPLY, _(EMPTY_REPLY))
        return _("Connected: the server answers and '{model}' is ready.").format(
            model=self.config.model
        )
