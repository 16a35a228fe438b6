"""The API key, kept in the OS keyring; never in a file, never in the log.

Where no keyring works (a headless Linux without Secret Service, a locked keyring),
the key is kept in memory for this run only, and the learner is told so.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tutor.i18n.translate import _

SERVICE = "Tutor"


class KeyLocation(StrEnum):
    KEYRING = "keyring"
    THIS_RUN = "this_run"
    NOWHERE = "nowhere"


@dataclass(frozen=True)
class SaveOutcome:
    location: KeyLocation
    message: str


class KeyStore:
    """Keys per server base URL.

    `backend` is a keyring backend (tests pass an in-memory one); None takes the
    system's, chosen by keyring on first use. `on_secret` hears every key this store
    handles, so the log can redact it.
    """

    def __init__(self, backend: Any = None, on_secret: Callable[[str], None] | None = None) -> None:
        self._backend = backend
        self._known: dict[str, str] = {}
        """Keys this run knows: read from the keyring once (every request needs its
        server's key, and a Secret Service read is a D-Bus round trip; the client holds
        the key anyway), or kept here alone when no keyring would take them."""
        self._on_secret = on_secret or (lambda _key: None)

    def backend_name(self) -> str:
        backend = self._keyring()
        return f"{type(backend).__module__}.{type(backend).__name__}"

    def problem(self) -> str | None:
        """None when the keyring answers; otherwise why not. Reads no stored key: it asks
        for an entry that never exists (`tutor doctor`)."""
        try:
            self._keyring().get_password(SERVICE, "tutor-doctor: no such entry")
        except Exception as error:  # as in get(): any failure means "not available"
            return f"{type(error).__name__}: {_reason(error)}"
        return None

    def get(self, base_url: str) -> str | None:
        if base_url in self._known:
            return self._known[base_url]
        try:
            key = self._keyring().get_password(SERVICE, base_url)
        except Exception:  # keyring backends raise many kinds; any means "not available"
            return None
        if not key:  # not remembered: a keyring unlocked later may have it
            return None
        self._on_secret(key)
        self._known[base_url] = key
        return key

    def save(self, base_url: str, key: str) -> SaveOutcome:
        if not key:
            self.delete(base_url)
            return SaveOutcome(KeyLocation.NOWHERE, _("No API key is stored for this server."))
        self._on_secret(key)
        self._known.pop(base_url, None)
        try:
            self._keyring().set_password(SERVICE, base_url, key)
        except Exception as error:
            self._known[base_url] = key
            # Translators: {reason} is the keyring's own words, often in English.
            words = _(
                "No system keyring is available ({reason}). Tutor keeps the key for this "
                "run only and will ask again next time; it never writes it to a file."
            ).format(reason=_reason(error))
            return SaveOutcome(KeyLocation.THIS_RUN, words)
        return SaveOutcome(KeyLocation.KEYRING, _("The key is saved in your system keyring."))

    def delete(self, base_url: str) -> None:
        self._known.pop(base_url, None)
        # Nothing stored, or no keyring: either way nothing is left.
        with contextlib.suppress(Exception):
            self._keyring().delete_password(SERVICE, base_url)

    def _keyring(self) -> Any:
        if self._backend is None:
            import keyring  # imported on first use: it scans entry points, which is slow

            self._backend = keyring.get_keyring()
        return self._backend


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:200]
