"""What the learner practises: target language, CEFR level, their own language."""

from __future__ import annotations

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
from tutor.domain.levels import Level, all_guides
from tutor.domain.profile import LearnerProfile


class LearnerForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = QComboBox()
        self.target.setAccessibleName("Language you are learning")
        self.native = QComboBox()
        self.native.setAccessibleName("Your own language")
        _fill(self.target, practice_languages())
        _fill(self.native, native_languages())

        self.levels = QButtonGroup(self)
        level_box = QVBoxLayout()
        level_box.setSpacing(2)
        for index, guide in enumerate(all_guides()):
            button = QRadioButton(f"{guide.level.value} · {guide.name}")
            button.setAccessibleName(f"Level {guide.level.value}, {guide.name}")
            button.setAccessibleDescription(guide.can_do)
            button.setToolTip(guide.can_do)
            description = QLabel(guide.can_do)
            description.setObjectName("hint")
            description.setWordWrap(True)
            description.setIndent(24)
            level_box.addWidget(button)
            level_box.addWidget(description)
            self.levels.addButton(button, index)
        self.levels.button(1).setChecked(True)

        form = QFormLayout(self)
        form.addRow("I am learning", self.target)
        form.addRow("My level", level_box)
        form.addRow("My own language", self.native)
        self.set_values(None)

    def set_values(self, profile: LearnerProfile | None) -> None:
        profile = profile or LearnerProfile("es", Level.A2, "en")
        _select(self.target, profile.target_language)
        _select(self.native, profile.native_language)
        self.levels.button(list(Level).index(profile.level)).setChecked(True)

    def profile(self) -> LearnerProfile:
        """The learner's choice; ValueError if it cannot be practised."""
        level = list(Level)[max(0, self.levels.checkedId())]
        return LearnerProfile(
            target_language=str(self.target.currentData()),
            level=level,
            native_language=str(self.native.currentData()),
        ).validated()


def _fill(combo: QComboBox, languages: list[Language]) -> None:
    for item in languages:
        combo.addItem(item.label, item.code)
    combo.setMaxVisibleItems(16)


def _select(combo: QComboBox, code: str) -> None:
    index = combo.findData(code)
    if index >= 0:
        combo.setCurrentIndex(index)
