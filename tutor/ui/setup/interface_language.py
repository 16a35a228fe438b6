"""The "Interface language" list, in the welcome and in Settings: the system's language
first, then every language Tutor is translated into, each also named in itself, so a
learner finds their own whatever language the window is in (the choices, the suggestion
and the note are tutor/services/interface_language.py's).

The value is the setting's: "" follows the system, else a gettext name ("ko", "pt_BR").
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from tutor.i18n.translate import _
from tutor.services.interface_language import (
    FOLLOW_THE_SYSTEM,
    language_choices,
    starting_language,
)
from tutor.ui.shell.interface_language import install_interface_language, system_languages


def language_for(setting: str) -> str:
    """The interface language a setting means: the system's for FOLLOW_THE_SYSTEM."""
    return starting_language(setting, system_languages())


def use_at_once(setting: str) -> str:
    """Word Tutor's and Qt's text in the language of `setting` from now on, and lay out
    windows in its direction; returns the language in use. For the welcome, which then
    words its own text again."""
    app = QApplication.instance()
    assert app is not None  # a widget asks
    return install_interface_language(app, language_for(setting))


class InterfaceLanguageBox(QComboBox):
    """The system's language, then each interface language ("Korean — 한국어")."""

    chosen = Signal(str)
    """The learner chose in the list (the setting's value); not sent for a suggestion."""

    def __init__(self, setting: str = FOLLOW_THE_SYSTEM, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explicit = bool(setting)
        """The learner chose a language (here, or saved before): no suggestion replaces it."""
        self.activated.connect(self._chosen)
        self.retranslate(setting)

    def retranslate(self, setting: str | None = None) -> None:
        """The list named and sorted in the language in use; the choice stays (or becomes
        `setting`)."""
        value = self.value() if setting is None else setting
        self.blockSignals(True)
        self.clear()
        for choice in language_choices(system_languages()):
            self.addItem(choice.label, choice.code)
        self.blockSignals(False)
        self.setAccessibleName(_("Interface language"))
        self.set_value(value)

    def value(self) -> str:
        data = self.currentData()
        return str(data) if data is not None else FOLLOW_THE_SYSTEM

    def set_value(self, setting: str) -> None:
        self.setCurrentIndex(max(0, self.findData(setting)))

    def suggest(self, setting: str) -> bool:
        """Show `setting` unless the learner chose a language; True if it is now shown."""
        if self.explicit or setting == self.value():
            return False
        self.set_value(setting)
        return True

    def _chosen(self) -> None:
        self.explicit = True
        self.chosen.emit(self.value())
