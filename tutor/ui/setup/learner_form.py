"""What the learner practises: target language, CEFR level, their own language.

The languages are named in the interface language with their own name beside them
("스페인어 — Español" in Korean) and sorted as the interface language sorts; `retranslate`
names and sorts them again when the interface language changes (in the welcome).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.languages import Language, native_languages, practice_languages
from tutor.domain.levels import Level, LevelGuide, all_guides
from tutor.domain.profile import LearnerProfile
from tutor.i18n.formats import language_name, sort_key
from tutor.i18n.translate import _


class LearnerForm(QWidget):
    native_chosen = Signal(str)
    """The learner chose their own language in the list (a language code); not sent when
    the form is filled in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = QComboBox()
        self.target.setMaxVisibleItems(16)
        self.native = QComboBox()
        self.native.setMaxVisibleItems(16)
        self.native.activated.connect(lambda: self.native_chosen.emit(self.native_code()))

        self.levels = QButtonGroup(self)
        self._level_texts: list[tuple[QRadioButton, QLabel, LevelGuide]] = []
        level_box = QVBoxLayout()
        level_box.setSpacing(2)
        for index, guide in enumerate(all_guides()):
            button = QRadioButton()
            description = QLabel()
            description.setObjectName("hint")
            description.setWordWrap(True)
            description.setIndent(24)
            level_box.addWidget(button)
            level_box.addWidget(description)
            self.levels.addButton(button, index)
            self._level_texts.append((button, description, guide))
        self.levels.button(1).setChecked(True)

        self._target_label, self._level_label, self._native_label = QLabel(), QLabel(), QLabel()
        self._target_label.setBuddy(self.target)
        self._native_label.setBuddy(self.native)
        form = QFormLayout(self)
        form.addRow(self._target_label, self.target)
        form.addRow(self._level_label, level_box)
        form.addRow(self._native_label, self.native)
        self.retranslate()
        self.set_values(None)

    def retranslate(self) -> None:
        """Every text in the interface language in use; the choices stay."""
        self.target.setAccessibleName(_("Language you are learning"))
        self.native.setAccessibleName(_("Your own language"))
        _fill(self.target, practice_languages())
        _fill(self.native, native_languages())
        for button, description, guide in self._level_texts:
            name, can_do = _(guide.name), _(guide.can_do)
            # Translators: a level's code and name on the level's button: "A2 · Elementary".
            button.setText(_("{level} · {name}").format(level=guide.level.value, name=name))
            button.setAccessibleName(
                _("Level {level}, {name}").format(level=guide.level.value, name=name)
            )
            button.setAccessibleDescription(can_do)
            button.setToolTip(can_do)
            description.setText(can_do)
        self._target_label.setText(_("I am learning"))
        self._level_label.setText(_("My level"))
        self._native_label.setText(_("My own language"))

    def set_values(self, profile: LearnerProfile | None) -> None:
        profile = profile or LearnerProfile("es", Level.A2, "en")
        _select(self.target, profile.target_language)
        _select(self.native, profile.native_language)
        self.levels.button(list(Level).index(profile.level)).setChecked(True)

    def native_code(self) -> str:
        return str(self.native.currentData())

    def profile(self) -> LearnerProfile:
        """The learner's choice; ValueError if it cannot be practised."""
        level = list(Level)[max(0, self.levels.checkedId())]
        return LearnerProfile(
            target_language=str(self.target.currentData()),
            level=level,
            native_language=self.native_code(),
        ).validated()


def language_text(item: Language) -> str:
    """A language as a list shows it: its name in the interface language, its own name
    beside ("Spanish — Español"; "스페인어 — Español" in Korean); one name when both are
    the same ("English" in English)."""
    name = language_name(item.code)
    name = name[:1].upper() + name[1:]  # "espagnol" in French is "Espagnol" in a list
    if name.casefold() == item.native_name.casefold():
        return item.native_name
    # Translators: a language named in your language, then in itself: "Spanish — Español".
    return _("{name} — {own_name}").format(name=name, own_name=item.native_name)


def _fill(combo: QComboBox, languages: list[Language]) -> None:
    """The languages named and sorted in the interface language; the choice stays."""
    chosen = combo.currentData()
    named = sorted(((language_text(item), item.code) for item in languages), key=_by_text)
    combo.blockSignals(True)
    combo.clear()
    for text, code in named:
        combo.addItem(text, code)
    combo.blockSignals(False)
    if chosen is not None:
        _select(combo, str(chosen))


def _by_text(named: tuple[str, str]) -> tuple[int, ...]:
    return sort_key(named[0])


def _select(combo: QComboBox, code: str) -> None:
    index = combo.findData(code)
    if index >= 0:
        combo.setCurrentIndex(index)
