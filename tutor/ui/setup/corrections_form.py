"""How the coach corrects: which mistakes, with or without explanations, in which of
three styles, and with which model, with how that model measured (coach_figures.py).

The styles are one choice, not two ticks: "strict" asks the coach to flag more and
"precise" to flag only what it is sure of, so a learner cannot ask for both.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
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
from tutor.ui.setup.coach_figures import CoachFigures

SCOPE_TEXT = {
    CorrectionScope.ALL: N_("Every mistake"),
    CorrectionScope.MEANING: N_("Only mistakes that change or block the meaning"),
}
EXPLANATIONS_TEXT = N_("Explain each correction in my language")
STRICT_TEXT = N_("Strict teacher: also flag phrasing that is correct but unnatural")
PRECISE_TEXT = N_("Precision first: only sure, minimal corrections")
STANDARD_TEXT = N_("Standard: mark what is wrong")

STANDARD, STRICT, PRECISE = "standard", "strict", "precise"
STYLE_TEXT = {STANDARD: STANDARD_TEXT, STRICT: STRICT_TEXT, PRECISE: PRECISE_TEXT}
"""The three correction styles, in the order offered (here and in the measure dialog)."""


def style_name(style: CorrectionStyle) -> str:
    """Which of the three styles `style` is; precise wins over strict, as in the prompt."""
    return PRECISE if style.precise else STRICT if style.strict else STANDARD


def with_style(style: CorrectionStyle, name: str) -> CorrectionStyle:
    """`style` with its scope and explanations, in the style called `name`."""
    return CorrectionStyle(
        scope=style.scope,
        explanations=style.explanations,
        strict=name == STRICT,
        precise=name == PRECISE,
    )


class CorrectionsForm(QWidget):
    style_changed = Signal()
    """The learner chose another scope or style: the figures shown are for another key."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scopes = QButtonGroup(self)
        scope_box = QVBoxLayout()
        scope_box.setSpacing(2)
        for index, scope in enumerate(CorrectionScope):
            button = QRadioButton(_(SCOPE_TEXT[scope]))
            scope_box.addWidget(button)
            self.scopes.addButton(button, index)
        self.styles = QButtonGroup(self)
        self.style_buttons: dict[str, QRadioButton] = {}
        style_box = QVBoxLayout()
        style_box.setSpacing(2)
        for index, (name, text) in enumerate(STYLE_TEXT.items()):
            button = QRadioButton(_(text))
            style_box.addWidget(button)
            self.styles.addButton(button, index)
            self.style_buttons[name] = button
        self.strict = self.style_buttons[STRICT]
        self.precise = self.style_buttons[PRECISE]
        self.explanations = QCheckBox(_(EXPLANATIONS_TEXT))
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
        self.figures = CoachFigures()

        form = QFormLayout(self)
        # Translators: the label before the choice "Every mistake" / "Only mistakes that…".
        form.addRow(pgettext("corrections form", "Correct"), scope_box)
        form.addRow("", self.explanations)
        # Translators: the label before the choice of correction style (standard, strict
        # teacher, precision first).
        form.addRow(pgettext("corrections form", "Style"), style_box)
        form.addRow(_("Coach model"), self.coach_model)
        form.addRow("", hint)
        # Translators: the label before how the coach model measured on learner texts.
        form.addRow(pgettext("corrections form", "Measured"), self.figures)
        self.set_values(CorrectionStyle(), "")
        self.scopes.idClicked.connect(lambda _id: self.style_changed.emit())
        self.styles.idClicked.connect(lambda _id: self.style_changed.emit())

    def set_values(self, style: CorrectionStyle, coach_model: str) -> None:
        self.scopes.button(list(CorrectionScope).index(style.scope)).setChecked(True)
        self.explanations.setChecked(style.explanations)
        self.style_buttons[style_name(style)].setChecked(True)
        self.coach_model.setText(coach_model)

    def chosen_style(self) -> CorrectionStyle:
        chosen = next(
            (name for name, button in self.style_buttons.items() if button.isChecked()),
            STANDARD,
        )
        return with_style(
            CorrectionStyle(
                scope=list(CorrectionScope)[max(0, self.scopes.checkedId())],
                explanations=self.explanations.isChecked(),
            ),
            chosen,
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
