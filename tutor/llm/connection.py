"""How to reach a model server (ServerConfig, Timeouts), and what went wrong with it in
words that are safe to show and to store (`explained`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from tutor.i18n.translate import N_, _
from tutor.llm.errors import ErrorKind, LlmError, explain


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


# Translators: put in an error's words where the server quoted the API key.
KEY_HIDDEN = N_("[key hidden]")


def explained(
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
    hidden = _(KEY_HIDDEN)
    if len(key) >= 8:
        message = message.replace(key, hidden)
    if len(key) >= 16:
        # Masked quotes ("sk-****…cdef") keep the end; eight characters of it go too.
        message = message.replace(key[-8:], hidden)
    if config.proxy and explained.kind is ErrorKind.UNREACHABLE:
        # Translators: "Settings → Model server" names the page in Settings: same words.
        message = _(
            "Nothing answers at {address} through the proxy {proxy}. Is the proxy running, "
            "and are both addresses right (Settings → Model server)?"
        ).format(address=config.base_url, proxy=config.proxy)
    if message == explained.message:
        return explained
    return dataclasses.replace(explained, message=message)
