"""Find model servers already running on this machine, without importing `openai`.

The welcome says "Looking for model servers on this computer…" until the probe answers,
so the probe answers within PROBE_SECONDS whatever the ports do. A socket timeout alone
does not bound it: it applies to each read, and a port that answers slowly (a server still
loading its model, another program on 8080) can keep a read going for as long as it sends
a byte now and then. So each server is asked on its own daemon thread, and whatever has
not answered by the deadline counts as not found (its thread ends with its socket).
"""

from __future__ import annotations

import json
import queue
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from tutor.domain.providers import ProviderPreset, local_presets

MAX_MODELS_BYTES = 2_000_000
PROBE_SECONDS = 1.5
"""How long the whole probe may take: a local server that answers, answers in milliseconds."""

# Local servers are asked directly: HTTP_PROXY names a way out of this computer, and a
# proxy asked for localhost answers slowly, wrongly or not at all.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class FoundServer:
    preset: ProviderPreset
    models: tuple[str, ...]


def fetch_model_ids(base_url: str, timeout: float) -> tuple[str, ...]:
    """Model ids from GET {base_url}/models, asked without a proxy; raises OSError or
    ValueError if none answer."""
    request = urllib.request.Request(base_url.rstrip("/") + "/models", method="GET")
    with _DIRECT.open(request, timeout=timeout) as response:
        data = json.loads(response.read(MAX_MODELS_BYTES))
    entries = data.get("data") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError("not a model list")  # i18n: ignore (caught: the server is skipped)
    return tuple(
        sorted(
            str(e["id"]) for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)
        )
    )


def probe_local_servers(
    presets: list[ProviderPreset] | None = None, timeout: float = PROBE_SECONDS
) -> list[FoundServer]:
    """The local presets that answer within `timeout` seconds in all, in preset order."""
    candidates = presets if presets is not None else local_presets()
    answers: queue.Queue[tuple[int, FoundServer | None]] = queue.Queue()

    def probe(index: int, preset: ProviderPreset) -> None:
        try:
            answers.put((index, FoundServer(preset, fetch_model_ids(preset.base_url, timeout))))
        except (OSError, ValueError, urllib.error.URLError):
            answers.put((index, None))

    for index, preset in enumerate(candidates):
        threading.Thread(
            target=probe, args=(index, preset), name=f"probe-{preset.kind}", daemon=True
        ).start()
    deadline = time.monotonic() + timeout
    found: dict[int, FoundServer] = {}
    for _ in candidates:
        try:
            index, server = answers.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break  # the rest are too slow to be a server worth offering
        if server is not None:
            found[index] = server
    return [found[i] for i in sorted(found)]
