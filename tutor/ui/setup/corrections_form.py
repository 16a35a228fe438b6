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
from tutor.i18n.translate import N_, _, pgettext

SCOPE_TEXT = {
    CorrectionScope.ALL: N_("Every mistake"),
    CorrectionScope.MEANING: N_("Only mistakes that change or block the meaning"),
}
EXPLANATIONS_TEXT = N_("Explain each correction in my language")
STRICT_TEXT = N_("Strict teacher: also flag phrasing that is correct but unnatural")


class CorrectionsForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scopes = QButtonGroup(self)
        scope_box = QVBoxLayout()
        scope_box.setSpacing(2)
        for index, scope in enumerate(CorrectionScope):
            button = QRadioButton(_(SCOPE_TEXT[scope]))
            scope_box.addWidget(button)
            self.scopes.addButton(button, index)
        self.explanations = QCheckBox(_(EXPLANATIONS_TEXT))
        self.strict = QCheckBox(_(STRICT_TEXT))
        self.coach_model = QLineEdit()
        self.coach_model.setAccessibleName(_("Coach model"))
        self.coach_model.setPlaceholderText(_("Same as the partner"))
        hint = QLabel(
            _(
                "The coach checks each of your messages in a separate request. A smaller, "
                "cheaper model often does this well; leave empty to use the partner's model."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)

        form = QFormLayout(self)
        # Translators: the label before the choice "Every mistake" / "Only mistakes that…".
        form.addRow(pgettext("corrections form", "Correct"), scope_box)
        form.addRow("", self.explanations)
        form.addRow("", self.strict)
        form.addRow(_("Coach model"), self.coach_model)
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
            raise ValueError(_("Coach model: {problem}").format(problem=error)) from error
