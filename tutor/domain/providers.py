"""Where the model lives: OpenAI, or a server on this machine or elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from tutor.i18n.translate import N_, _

OPENAI_DEFAULT_MODEL = "gpt-4o-mini"
"""The model the OpenAI preset fills in: a chat model (not a reasoning one, so it answers at
once and takes `temperature`), among the cheapest, and quick enough for a conversation. The
learner can choose any other from the list; change it here only (README, "Choosing a model")."""


class ProviderKind(StrEnum):
    OPENAI = "openai"
    OLLAMA = "ollama"
    LM_STUDIO = "lmstudio"
    LLAMA_CPP = "llamacpp"
    CUSTOM = "custom"


@dataclass(frozen=True)
class ProviderPreset:
    kind: ProviderKind
    title: str
    """Marked (a brand name is not): shown with `_()`, as `hint` is."""
    base_url: str
    needs_key: bool
    is_local: bool
    hint: str
    default_model: str = ""
    """Filled in before the server's list arrives, and chosen from it when listed."""


PRESETS: tuple[ProviderPreset, ...] = (
    ProviderPreset(
        ProviderKind.OPENAI,
        "OpenAI",
        "https://api.openai.com/v1",
        True,
        False,
        N_("Needs an API key from platform.openai.com. Requests are billed to your account."),
        default_model=OPENAI_DEFAULT_MODEL,
    ),
    ProviderPreset(
        ProviderKind.OLLAMA,
        "Ollama",  # i18n: ignore (a program's name)
        "http://localhost:11434/v1",
        False,
        True,
        N_("Runs models on this computer. Start it with 'ollama serve' and pull a model."),
    ),
    ProviderPreset(
        ProviderKind.LM_STUDIO,
        "LM Studio",  # i18n: ignore (a program's name)
        "http://localhost:1234/v1",
        False,
        True,
        N_("Runs models on this computer. Start its local server from the Developer tab."),
    ),
    ProviderPreset(
        ProviderKind.LLAMA_CPP,
        # Translators: llama.cpp is a program's name.
        N_("llama.cpp server"),
        "http://localhost:8080/v1",
        False,
        True,
        N_("Runs models on this computer: llama-server -m model.gguf --port 8080"),
    ),
    ProviderPreset(
        ProviderKind.CUSTOM,
        N_("Other OpenAI-compatible server"),
        "",
        False,
        False,
        N_("Any server that speaks the Chat Completions API: vLLM, OpenRouter, Groq, ..."),
    ),
)


def preset(kind: ProviderKind) -> ProviderPreset:
    return next(p for p in PRESETS if p.kind is kind)


def local_presets() -> list[ProviderPreset]:
    return [p for p in PRESETS if p.is_local]


def kind_for_base_url(base_url: str) -> ProviderKind:
    """The preset whose URL this is, else CUSTOM."""
    wanted = base_url.rstrip("/")
    for p in PRESETS:
        if p.base_url and p.base_url.rstrip("/") == wanted:
            return p.kind
    return ProviderKind.CUSTOM


MAX_URL_LENGTH = 2048
MAX_KEY_LENGTH = 1024
MAX_MODEL_LENGTH = 256


def check_base_url(text: str) -> str:
    """The normalised base URL, or ValueError with a message for the learner."""
    url = text.strip()
    if not url:
        raise ValueError(_("Enter the server's address, for example http://localhost:11434/v1."))
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(_("That address is too long to be a server address."))
    if any(ch.isspace() for ch in url):
        raise ValueError(_("A server address cannot contain spaces."))
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket, as in http://[::1/v1
        raise ValueError(_("That is not a valid server address.")) from None
    if parts.scheme not in ("http", "https"):
        raise ValueError(_("The address must start with http:// or https://."))
    if not parts.hostname:
        raise ValueError(_("The address needs a host name, for example localhost."))
    if parts.username is not None or parts.password is not None:
        # Settings and logs hold the address in plain text; a key belongs in the keyring.
        # Translators: 'API key' is the label of the field in Settings: the same words.
        raise ValueError(_("Leave the user name and password out: put the key in 'API key'."))
    try:
        port = parts.port  # raises on a port that is not a number from 0 to 65535
    except ValueError:
        port = 0
    if port == 0:
        raise ValueError(_("The port in the address is not a number between 1 and 65535."))
    if "?" in url or "#" in url:  # also a bare '?': urlsplit reports no query for it
        raise ValueError(_("The address should end at its path, without ? or #."))
    return url.rstrip("/")


PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
"""What httpx2 can use as a proxy (socks5 needs the optional socksio package)."""


def check_proxy_url(text: str) -> str:
    """The proxy URL as the client takes it ("" for none), or ValueError for the learner.

    Checked like the server's address, with the proxy schemes httpx2 knows. A user name
    and password are refused for the same reason: the settings file is plain text. A
    proxy that needs them can still be given in HTTPS_PROXY, which Tutor honours.
    """
    url = text.strip()
    if not url:
        return ""
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(_("That address is too long to be a proxy address."))
    if any(ch.isspace() for ch in url) or not url.isprintable():
        raise ValueError(_("A proxy address cannot contain spaces."))
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ValueError(_("That is not a valid proxy address.")) from None
    if parts.scheme not in PROXY_SCHEMES:
        raise ValueError(
            _(
                "The proxy address must start with http://, https://, socks5:// or socks5h://, "
                "for example http://proxy.example.com:3128."
            )
        )
    if not parts.hostname:
        raise ValueError(_("The proxy address needs a host name, for example proxy.example.com."))
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            _(
                "Leave the user name and password out: Tutor keeps this address in a plain "
                "file. Give a proxy that needs them in the HTTPS_PROXY environment variable."
            )
        )
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise ValueError(_("The port in the proxy address is not a number between 1 and 65535."))
    if parts.path not in ("", "/") or "?" in url or "#" in url:
        raise ValueError(_("A proxy address ends after the port, for example http://host:3128."))
    return url.rstrip("/")


def check_api_key(text: str, *, required: bool) -> str:
    """The key as the server expects it, or ValueError with a message for the learner."""
    key = text.strip()
    if not key:
        if required:
            raise ValueError(_("This server needs an API key."))
        return ""
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError(_("That is too long to be an API key. Was something else pasted?"))
    if any(ch.isspace() for ch in key) or not key.isprintable() or not key.isascii():
        raise ValueError(_("An API key has no spaces, line breaks or special characters."))
    return key


def check_model_name(text: str) -> str:
    name = text.strip()
    if not name:
        raise ValueError(_("Choose or type a model name."))
    if len(name) > MAX_MODEL_LENGTH or not name.isprintable() or "\n" in name:
        raise ValueError(_("That does not look like a model name."))
    return name
