"""A proxy between Tutor and the model server: the setting, the environment, and failures.

The proxy here is a tiny forwarding HTTP proxy (plain HTTP, no CONNECT: the test server's
address is http://) that counts what passes through it. tests/conftest.py sets
NO_PROXY=127.0.0.1, so the environment tests set or clear it themselves.
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import Qt

from tests.gui_helpers import practice_argv, start_app, type_and_send, type_text, wait_until_idle
from tests.openai_server import ScriptedReply
from tutor.domain.providers import check_proxy_url
from tutor.domain.settings import Settings, settings_from_dict
from tutor.llm.client import ChatClient, ServerConfig, Timeouts
from tutor.llm.errors import ErrorKind, LlmError

MODEL = "tutor-test-small"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection"}


class CountingProxy:
    """Forwards absolute-URI requests (GET http://host:port/path) and records them."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []  # (method, absolute URL)
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._forward()

            def do_POST(self) -> None:
                self._forward()

            def _forward(self) -> None:
                with owner._lock:
                    owner.seen.append((self.command, self.path))
                target = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                host = target.hostname or "127.0.0.1"
                upstream = http.client.HTTPConnection(host, target.port, timeout=10)
                try:
                    path = target.path + (f"?{target.query}" if target.query else "")
                    upstream.request(self.command, path, body=body, headers=headers)
                    response = upstream.getresponse()
                    data = response.read()  # the whole reply, streamed or not
                    self.send_response(response.status)
                    for name, value in response.getheaders():
                        if name.lower() not in HOP_BY_HOP | {"content-length"}:
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    upstream.close()

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def paths(self) -> list[str]:
        with self._lock:
            return [urlsplit(url).path for _method, url in self.seen]

    def __enter__(self) -> CountingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def proxy() -> Iterator[CountingProxy]:
    with CountingProxy() as running:
        yield running


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _say_hola(config: ServerConfig) -> str:
    return "".join(ChatClient(config).stream_reply([{"role": "user", "content": "Hola"}]))


# ------------------------------------------------------------------ the setting


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("", ""),
        ("  ", ""),
        ("http://proxy.example.com:3128", "http://proxy.example.com:3128"),
        ("https://proxy.example.com:443/", "https://proxy.example.com:443"),
        ("socks5://127.0.0.1:1080", "socks5://127.0.0.1:1080"),
        ("socks5h://[::1]:1080", "socks5h://[::1]:1080"),
    ],
)
def test_proxy_addresses_that_are_taken(typed, kept):
    assert check_proxy_url(typed) == kept


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("ftp://proxy.example.com:21", "must start with http://"),
        ("proxy.example.com:3128", "must start with http://"),
        ("http://", "needs a host name"),
        ("http://user:secret@proxy.example.com:3128", "Leave the user name and password out"),
        ("http://proxy.example.com:99999", "not a number between"),
        ("http://proxy.example.com:3128/path", "ends after the port"),
        ("http://proxy example.com", "cannot contain spaces"),
        ("http://" + "p" * 3000 + ":1", "too long"),
    ],
)
def test_proxy_addresses_that_are_refused(typed, says):
    with pytest.raises(ValueError, match=says):
        check_proxy_url(typed)


def test_the_proxy_is_saved_and_a_bad_one_read_back_leniently():
    saved = Settings(proxy="http://proxy.example.com:3128").to_dict()
    assert saved["proxy"] == "http://proxy.example.com:3128"
    assert settings_from_dict(saved).proxy == "http://proxy.example.com:3128"
    assert settings_from_dict({"version": 1}).proxy == ""
    # Edited by hand into something unusable: dropped, the rest of the file kept.
    for bad in ("gopher://x:70", 42, None, "http://u:p@x:1"):
        loaded = settings_from_dict({"version": 1, "proxy": bad, "coach_model": "m"})
        assert loaded.proxy == "" and loaded.coach_model == "m"


# ------------------------------------------------------------- through the client


def test_the_proxy_setting_carries_every_request(server, proxy):
    # conftest's NO_PROXY names 127.0.0.1; a proxy the learner chose still applies.
    assert "127.0.0.1" in __import__("os").environ["NO_PROXY"]
    server.enqueue(ScriptedReply(text="Hola desde el otro lado"))
    config = ServerConfig(server.base_url, MODEL, proxy=proxy.url)
    assert _say_hola(config) == "Hola desde el otro lado"
    assert proxy.paths() == ["/v1/chat/completions"]
    assert ChatClient(config).list_models() == ["tutor-test-large", "tutor-test-small"]
    assert proxy.paths()[-1] == "/v1/models"
    assert len(server.requests) == 2


def test_http_proxy_in_the_environment_is_honoured(server, proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert _say_hola(ServerConfig(server.base_url, MODEL)).startswith("Respuesta 1")
    assert proxy.paths() == ["/v1/chat/completions"]


def test_all_proxy_in_the_environment_is_honoured(server, proxy, monkeypatch):
    monkeypatch.setenv("ALL_PROXY", proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    _say_hola(ServerConfig(server.base_url, MODEL))
    assert proxy.paths() == ["/v1/chat/completions"]


def test_no_proxy_in_the_environment_is_honoured(server, proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert _say_hola(ServerConfig(server.base_url, MODEL)).startswith("Respuesta 1")
    assert proxy.paths() == []
    assert len(server.chat_requests()) == 1


def test_a_proxy_that_is_down_is_named(server):
    dead = f"http://127.0.0.1:{_free_port()}"
    client = ChatClient(ServerConfig(server.base_url, MODEL, proxy=dead), Timeouts(1, 1))
    with pytest.raises(LlmError) as caught:
        client.stream_reply([{"role": "user", "content": "Hola"}])
    assert caught.value.kind is ErrorKind.UNREACHABLE
    assert f"through the proxy {dead}" in caught.value.message
    assert server.requests == []


@pytest.mark.skipif(
    importlib.util.find_spec("socksio") is not None, reason="socksio is installed here"
)
def test_a_socks_proxy_without_socks_support_is_said(server):
    with pytest.raises(LlmError, match="socksio"):
        ChatClient(ServerConfig(server.base_url, MODEL, proxy="socks5://127.0.0.1:1080"))


# ---------------------------------------------------------------- in the window


def test_the_proxy_is_set_in_settings_and_used_from_the_next_request(
    qtbot, server, proxy, data_dir, keyring_backend
):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    assert proxy.seen == []

    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None
    form = dialog.provider_form
    dialog.show_tab(form)
    assert form.proxy.text() == ""
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)

    form.proxy.setFocus()
    type_text(form.proxy, "ftp://proxy.example.com:21")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error.text().startswith("Proxy: The proxy address must start with http://")

    form.proxy.clear()
    type_text(form.proxy, proxy.url)
    qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.result.text().startswith("✓"), timeout=5000)
    assert "/v1/chat/completions" in proxy.paths()  # the connection test went through it
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert json.loads(context.paths.settings.read_text())["proxy"] == proxy.url

    before = len(proxy.seen)
    type_and_send(qtbot, window, "¿Me oyes por el proxy?")
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].text.startswith("Respuesta")
    bodies = [url for method, url in proxy.seen[before:] if method == "POST"]
    assert len(bodies) == 2  # the partner and the coach, both through the proxy

    # Reopened, the dialog shows the proxy in use.
    window.settings_action.trigger()
    assert window.settings_dialog is not None
    assert window.settings_dialog.provider_form.proxy.text() == proxy.url
    window.settings_dialog.reject()
