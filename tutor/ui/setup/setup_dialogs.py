"""The welcome wizard (first start) and the settings dialog share the same two forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from tutor.domain.profile import LearnerProfile
from tutor.domain.settings import APPEARANCES
from tutor.ui.setup.corrections_form import CorrectionsForm
from tutor.ui.setup.learner_form import LearnerForm
from tutor.ui.setup.provider_form import ProviderChoice, ProviderForm
from tutor.ui.shell.context import AppContext
from tutor.ui.widgets.error_label import ErrorLabel


def _apply_setup(
    context: AppContext, choice: ProviderChoice, profile: LearnerProfile, **changes: Any
) -> str | None:
    """The forms' values to the setup use case (tutor/services/settings.py), which saves
    them in one write and says so on the change hub; the message is the keyring's."""
    from tutor.services import settings

    return settings.apply_setup(
        context, choice.settings, choice.api_key, choice.proxy, profile, **changes
    )


def _show_provider_in_use(form: ProviderForm, context: AppContext, key: str | None) -> None:
    """Fill the form with the server in use: the saved one, where flags and environment do
    not win over it (tutor/services/server.py decides, as for every request)."""
    from tutor.services.server import FROM_SETTINGS, chosen_base_url, chosen_model

    form.set_values(context.settings.provider, key, context.settings.proxy)
    base_url = chosen_base_url(context.overrides, context.settings)
    if base_url.value and base_url.source != FROM_SETTINGS:
        form.base_url.setText(base_url.value)
        form.sync_kind_to_url()
    model = chosen_model(context.overrides, context.settings)
    if model.value and model.source != FROM_SETTINGS:
        form.model.choose(model.value)


class _FormPage(QWizardPage):
    """A wizard page holding one form; Next is refused, with the reason, until it checks."""

    def __init__(
        self, title: str, subtitle: str, form: QWidget, check: Callable[[], object]
    ) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = form
        self._check = check
        self.error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(form)
        layout.addWidget(self.error)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            self._check()
        except ValueError as error:
            self.error.say(str(error))
            return False
        return True


class WelcomeWizard(QWizard):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Tutor")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Start practising")
        self._context = context
        self.provider_form = ProviderForm(context.tasks, context.clients)
        self.learner_form = LearnerForm()
        _show_provider_in_use(self.provider_form, context, context.overrides.api_key)
        self.learner_form.set_values(context.settings.learner)
        provider_page = _FormPage(
            "Where does your language model live?",
            "Tutor talks to any server that speaks the OpenAI Chat Completions API: "
            "OpenAI itself, or a model running on your computer.",
            self.provider_form,
            self.provider_form.choice,
        )
        self.provider_form.changed.connect(lambda: provider_page.error.say(None))
        self.addPage(provider_page)
        self.addPage(
            _FormPage(
                "What are you learning?",
                "Your partner speaks only the language you learn, at your level. "
                "Explanations are written in your own language.",
                self.learner_form,
                self.learner_form.profile,
            )
        )
        self.key_message: str | None = None
        self.resize(640, 600)
        if context.settings.provider is None and not context.overrides.base_url:
            self.provider_form.probe_local()
        # The address and key in use (from the environment, or the OpenAI preset with
        # OPENAI_API_KEY) bring their model list at once, so that Enter accepts a model;
        # not needed when a model was chosen before (saved, or given with --model).
        if not self.provider_form.model.is_learners():
            self.provider_form.load_models(quiet=True)

    def accept(self) -> None:
        # QWizard validates the last page only in done(), after accept(): check first.
        if not self.validateCurrentPage():
            return
        self.key_message = _apply_setup(
            self._context, self.provider_form.choice(), self.learner_form.profile()
        )
        super().accept()


class SettingsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._context = context
        self.provider_form = ProviderForm(context.tasks, context.clients)
        self.learner_form = LearnerForm()
        provider = context.settings.provider
        key = context.keys.get(provider.base_url) if provider else None
        _show_provider_in_use(self.provider_form, context, key)
        self.learner_form.set_values(context.settings.learner)
        self.corrections_form = CorrectionsForm()
        self.corrections_form.set_values(context.settings.corrections, context.settings.coach_model)
        tabs = QTabWidget()
        tabs.addTab(self.provider_form, "Model server")
        tabs.addTab(self.learner_form, "Learning")
        tabs.addTab(self.corrections_form, "Corrections")
        self.tabs = tabs
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        note = QLabel(
            "A new language or level applies to new sessions; corrections change from your "
            "next message."
        )
        note.setObjectName("hint")
        # Appearance applies to the whole window at once, so it sits outside the tabs.
        self.appearance = QComboBox()
        self.appearance.setAccessibleName("Appearance")
        for value in APPEARANCES:
            self.appearance.addItem(value.capitalize(), value)
        self.appearance.setCurrentIndex(
            max(0, self.appearance.findData(context.settings.appearance))
        )
        appearance_row = QFormLayout()
        appearance_row.addRow("&Appearance:", self.appearance)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addLayout(appearance_row)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.key_message: str | None = None
        self.resize(640, 600)

    def accept(self) -> None:
        # Each form checks itself; the first refusal shows its tab and its reason.
        form: QWidget = self.provider_form
        try:
            choice = self.provider_form.choice()
            form = self.learner_form
            profile = self.learner_form.profile()
            form = self.corrections_form
            coach_model = self.corrections_form.chosen_coach_model()
        except ValueError as error:
            self.tabs.setCurrentWidget(form)
            self.error.say(str(error))
            return
        self.key_message = _apply_setup(
            self._context,
            choice,
            profile,
            corrections=self.corrections_form.chosen_style(),
            coach_model=coach_model,
            appearance=str(self.appearance.currentData()),
        )
        super().accept()
