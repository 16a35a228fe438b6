"""How the coach corrects: which mistakes, with or without explanations, how strictly,
and with which model."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.corrections import CorrectionScope, CorrectionStyle
from tutor.domain.providers import check_model_name

SCOPE_TEXT = {
    CorrectionScope.ALL: "Every mistake",
    CorrectionScope.MEANING: "Only mistakes that change or block the meaning",
}
EXPLANATIONS_TEXT = "Explain each correction in my language"
STRICT_TEXT = "Strict teacher: also flag phrasing that is correct but unnatural"


class CorrectionsForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scopes = QButtonGroup(self)
        scope_box = QVBoxLayout()
        scope_box.setSpacing(2)
        for index, scope in enumerate(CorrectionScope):
            button = QRadioButton(SCOPE_TEXT[scope])
            scope_box.addWidget(button)
            self.scopes.addButton(button, index)
        self.explanations = QCheckBox(EXPLANATIONS_TEXT)
        self.strict = QCheckBox(STRICT_TEXT)
        self.coach_model = QLineEdit()
        self.coach_model.setAccessibleName("Coach model")
        self.coach_model.setPlaceholderText("Same as the partner")
        hint = QLabel(
            "The coach checks each of your messages in a separate request. A smaller, "
            "cheaper model often does this well; leave empty to use the partner's model."
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)

        form = QFormLayout(self)
        form.addRow("Correct", scope_box)
        form.addRow("", self.explanations)
        form.addRow("", self.strict)
        form.addRow("Coach model", self.coach_model)
        form.addRow("", hint)
        self.set_values(CorrectionStyle(), "")

    def set_values(self, style: CorrectionStyle, coach_model: str) -> None:
        self.scopes.button(list(CorrectionScope).index(style.scope)).setChecked(True)
        self.explanations.setChecked(style.explanations)
        self.strict.setChecked(style.strict)
        self.coach_model.setText(coach_model)

    def chosen_style(self) -> CorrectionStyle:
        return CorrectionStyle(
            scope=list(CorrectionScope)[max(0, self.scopes.checkedId())],
            explanations=self.explanations.isChecked(),
            strict=self.strict.isChecked(),
        )

    def chosen_coach_model(self) -> str:
        """The coach model, "" for the partner's; ValueError naming the field if bad."""
        text = self.coach_model.text().strip()
        if not text:
            return ""
        try:
            return check_model_name(text)
        except ValueError as error:
            raise ValueError(f"Coach model: {error}") from error
