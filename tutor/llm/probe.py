"""Find model servers already running on this machine, without importing `openai`."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from tutor.domain.providers import ProviderPreset, local_presets

MAX_MODELS_BYTES = 2_000_000


@dataclass(frozen=True)
class FoundServer:
    preset: ProviderPreset
    models: tuple[str, ...]


def fetch_model_ids(base_url: str, timeout: float) -> tuple[str, ...]:
    """Model ids from GET {base_url}/models; raises OSError or ValueError if none answer."""
    request = urllib.request.Request(base_url.rstrip("/") + "/models", method="GET")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data = json.loads(response.read(MAX_MODELS_BYTES))
    entries = data.get("data") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError("not a model list")
    return tuple(
        sorted(
            str(e["id"]) for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)
        )
    )


def probe_local_servers(
    presets: list[ProviderPreset] | None = None, timeout: float = 0.5
) -> list[FoundServer]:
    """The local presets that answer, in preset order."""
    candidates = presets if presets is not None else local_presets()

    def probe(preset: ProviderPreset) -> FoundServer | None:
        try:
            return FoundServer(preset, fetch_model_ids(preset.base_url, timeout))
        except (OSError, ValueError, urllib.error.URLError):
            return None

    with ThreadPoolExecutor(max_workers=max(1, len(candidates))) as pool:
        found = list(pool.map(probe, candidates))
    return [f for f in found if f is not None]
