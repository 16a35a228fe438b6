"""The provider form's two notes: what the look for servers on this computer found, and
the verdict of a connection test or a model list. Each keeps how it words its text, so
`retranslate` says it again in another interface language (the welcome changes it at once).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel

from tutor.i18n.formats import format_list, format_number
from tutor.i18n.translate import _, ngettext
from tutor.llm.probe import FoundServer

Words = Callable[[], str]
"""A text worded in the interface language in use when called."""


class FoundNote(QLabel):
    """Over the form: hidden until `looking`, then what was found."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setObjectName("hint")
        self.hide()
        self._words: Words = str

    def looking(self) -> None:
        self._say(lambda: _("Looking for model servers on this computer…"))
        self.show()

    def found(self, found: list[FoundServer], *, chosen: bool) -> None:
        """`chosen`: the first server found was chosen in the form."""
        if not found:
            self._say(
                lambda: _(
                    "No model server answers on this computer's usual ports (Ollama 11434, "
                    "LM Studio 1234, llama.cpp 8080). Start one, or use OpenAI or another server."
                )
            )
        elif chosen:
            self._say(
                lambda: _("Found on this computer: {servers}.").format(servers=_servers(found))
            )
        else:
            self._say(
                lambda: _(
                    "Found on this computer: {servers}. Choose it under Provider to use it."
                ).format(servers=_servers(found))
            )

    def retranslate(self) -> None:
        self.setText(self._words())

    def _say(self, words: Words) -> None:
        self._words = words
        self.setText(words())


class ResultNote(QLabel):
    """Under the form: ✓ and the verdict, ✗ and the problem, or a word while it works."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self._ok: bool | None = None
        self._words: Words = str

    def say(self, ok: bool | None, words: Words | str) -> None:
        """`words`: a text made elsewhere (a server's verdict, a refusal), or how to word
        it again; `ok` None for neither ✓ nor ✗."""
        self._ok = ok
        self._words = words if callable(words) else (lambda: words)
        self.retranslate()
        self.setProperty("state", "" if ok is None else ("ok" if ok else "error"))
        self.style().unpolish(self)
        self.style().polish(self)

    def forget(self) -> None:
        self.say(None, "")

    def retranslate(self) -> None:
        self.setAccessibleName(_("Connection result"))
        mark = "" if self._ok is None else ("✓ " if self._ok else "✗ ")
        words = self._words()
        self.setText(mark + words if words else "")


def _servers(found: list[FoundServer]) -> str:
    return format_list(
        [
            # Translators: a server found, with how many models it has: "Ollama (3 models)".
            _("{server} ({models})").format(
                server=_(f.preset.title), models=_models_in_words(len(f.models))
            )
            for f in found
        ]
    )


def _models_in_words(count: int) -> str:
    return ngettext("{count} model", "{count} models", count).format(count=format_number(count))
