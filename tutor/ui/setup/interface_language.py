"""The "Interface language" choice, in the welcome and in Settings: the system's language
first, then English and every language Tutor is translated into, each named in itself
("한국어", "العربية"), so a learner finds their own whatever language the window is in.

The value is the setting's: "" follows the system, else a gettext name ("ko", "pt_BR").
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from tutor.i18n.formats import sort_key
from tutor.i18n.translate import (
    INTERFACE_LANGUAGES,
    _,
    interface_language_for,
    reads_right_to_left,
    use_language,
)

SYSTEM_DEFAULT = ""
"""The setting's value for "the system's language"."""


def autonym(code: str) -> str:
    """An interface language named in itself: "Español", "Português (Brasil)", "한국어"."""
    from babel import Locale  # its name tables load only when the choice is shown

    name: str = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def system_language() -> str:
    """The interface language Tutor offers nearest to the system's ("en" if none)."""
    for tag in QLocale.system().uiLanguages():
        chosen = interface_language_for(tag)
        if chosen != "en" or tag.split("-")[0].lower() == "en":
            return chosen
    return "en"


def language_for(setting: str) -> str:
    """The interface language a setting means: the system's for SYSTEM_DEFAULT."""
    return interface_language_for(setting) if setting else system_language()


def suggestion_for(own_language: str) -> str | None:
    """The interface language to suggest to a learner whose own language is `own_language`
    (a BCP 47 tag), or None when Tutor is not translated into it."""
    chosen = interface_language_for(own_language)
    offered = chosen != "en" or own_language.split("-")[0].lower() == "en"
    return chosen if offered else None


def use_in_this_run(language: str) -> None:
    """Word Tutor's text in `language` from now on, and lay out windows in its direction
    (the welcome, which changes it at once, then words its own text again)."""
    use_language(language)
    direction = (
        Qt.LayoutDirection.RightToLeft if reads_right_to_left() else Qt.LayoutDirection.LeftToRight
    )
    QApplication.setLayoutDirection(direction)


class InterfaceLanguageBox(QComboBox):
    """ "System default (…)", then the languages, each named in itself."""

    chosen = Signal(str)
    """The learner chose in the list (the setting's value); not sent for a suggestion."""

    def __init__(self, setting: str = SYSTEM_DEFAULT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem("", SYSTEM_DEFAULT)
        for code in sorted(INTERFACE_LANGUAGES, key=lambda c: sort_key(autonym(c))):
            self.addItem(autonym(code), code)
        self.set_value(setting)
        self.explicit = bool(setting)
        """The learner chose a language (here or before): a suggestion does not replace it."""
        self.activated.connect(self._chosen)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(_("Interface language"))
        # Translators: the first choice of the interface language: "System default (한국어)".
        self.setItemText(
            0, _("System default ({language})").format(language=autonym(system_language()))
        )

    def value(self) -> str:
        return str(self.currentData())

    def set_value(self, setting: str) -> None:
        index = self.findData(interface_language_for(setting) if setting else SYSTEM_DEFAULT)
        self.setCurrentIndex(max(0, index))

    def suggest(self, setting: str) -> bool:
        """Show `setting` unless the learner chose a language; True if it is now shown."""
        if self.explicit or setting == self.value():
            return False
        self.set_value(setting)
        return True

    def _chosen(self) -> None:
        self.explicit = True
        self.chosen.emit(self.value())
