"""The welcome wizard (first start) and the settings dialog share the same two forms, and
the choice of the interface language.

The welcome changes the interface language at once: it is the first thing a learner
reads, and its pages word their text again (`retranslate`). Settings saves the choice for
the next start, and says so (tutor/services/interface_language.py tells why).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from tutor.domain.profile import LearnerProfile
from tutor.domain.settings import APPEARANCES
from tutor.i18n.translate import N_, _
from tutor.services.interface_language import change_note, suggested_language
from tutor.ui.setup.coach_score_link import CoachScoreLink
from tutor.ui.setup.corrections_form import CorrectionsForm
from tutor.ui.setup.interface_language import InterfaceLanguageBox, use_at_once
from tutor.ui.setup.learner_form import LearnerForm
from tutor.ui.setup.provider_form import ProviderChoice, ProviderForm
from tutor.ui.setup.voice_page import VoicePage, VoiceSampler
from tutor.ui.shell.context import AppContext
from tutor.ui.shell.interface_language import system_languages
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


def not_saved(error: OSError) -> str:
    """Why the settings file could not be written, and that nothing changed."""
    # Translators: {reason} is the system's own words (a full disk, a read-only folder).
    return _(
        "Your settings could not be saved ({reason}), so nothing was changed. Make room "
        "on the disk or make the data folder writable, then save again."
    ).format(reason=error.strerror or error)


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


APPEARANCE_NAMES = {"system": N_("System"), "light": N_("Light"), "dark": N_("Dark")}

PROVIDER_PAGE = (
    N_("Where does your language model live?"),
    N_(
        "Tutor talks to any server that speaks the OpenAI Chat Completions API: "
        "OpenAI itself, or a model running on your computer."
    ),
)
LEARNER_PAGE = (
    N_("What are you learning?"),
    N_(
        "Your partner speaks only the language you learn, at your level. "
        "Explanations are written in your own language."
    ),
)


class _FormPage(QWizardPage):
    """A wizard page holding one form; Next is refused, with the reason, until it checks."""

    def __init__(
        self,
        texts: tuple[str, str],
        form: QWidget,
        check: Callable[[], object],
    ) -> None:
        """`texts`: the title and subtitle, marked with N_."""
        super().__init__()
        self._texts = texts
        self.form = form
        self._check = check
        self.error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(form)
        layout.addWidget(self.error)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_(self._texts[0]))
        self.setSubTitle(_(self._texts[1]))
        self.error.say(None)  # said in the language it was in: the check says it again

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            self._check()
        except ValueError as error:
            self.error.say(str(error))
            return False
        return True


class WelcomeWizard(QWizard):
    """The first start: the interface language and the server, then what to learn.

    A language chosen, or suggested by the learner's own, applies at once: every page
    words its text again."""

    language_changed = Signal()
    """The interface language changed: the window behind words its frame again."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self._context = context
        self.interface_language = InterfaceLanguageBox(context.settings.interface_language)
        self.interface_language.chosen.connect(self._use_interface_language)
        self._language_label = QLabel()
        self._language_label.setBuddy(self.interface_language)
        self.provider_form = ProviderForm(context.tasks, context.clients)
        self.learner_form = LearnerForm()
        self.learner_form.native_chosen.connect(self._suggest_interface_language)
        _show_provider_in_use(self.provider_form, context, context.overrides.api_key)
        self.learner_form.set_values(context.settings.learner)
        # The first row of the provider's form, so its label and field line up with theirs.
        self.provider_form.rows.insertRow(0, self._language_label, self.interface_language)
        provider_page = _FormPage(PROVIDER_PAGE, self.provider_form, self.provider_form.choice)
        self.provider_form.changed.connect(lambda: provider_page.error.say(None))
        learner_page = _FormPage(LEARNER_PAGE, self.learner_form, self.learner_form.profile)
        self._pages = (provider_page, learner_page)
        for page in self._pages:
            self.addPage(page)
        self.retranslate()
        self.key_message: str | None = None
        self.resize(640, 600)
        # A wizard page lays out its wrapped hints for one line when squeezed (Qt gives
        # its pages no height for their width): below this, German and French overlap.
        self.setMinimumSize(600, 560)
        if context.settings.provider is None and not context.overrides.base_url:
            self.provider_form.probe_local()
        # The address and key in use (from the environment, or the OpenAI preset with
        # OPENAI_API_KEY) bring their model list at once, so that Enter accepts a model;
        # not needed when a model was chosen before (saved, or given with --model).
        if not self.provider_form.model.is_learners():
            self.provider_form.load_models(quiet=True)

    def retranslate(self) -> None:
        """Every text of the welcome in the interface language in use."""
        self.setWindowTitle(_("Welcome to Tutor"))
        self._language_label.setText(_("Interface language"))
        self.interface_language.retranslate()
        for page in self._pages:
            page.retranslate()
        self.provider_form.retranslate()
        self.learner_form.retranslate()
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Start practising"))
        # Back, Next and Cancel are Qt's own, from its catalogue: QWizard words them again
        # only when its style changes.
        style = self.wizardStyle()
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setWizardStyle(style)

    def _use_interface_language(self, setting: str) -> None:
        use_at_once(setting)
        self.retranslate()
        self.language_changed.emit()

    def _suggest_interface_language(self, own_language: str) -> None:
        """The learner's own language, when Tutor speaks it (else the system's), unless
        they chose one."""
        suggested = suggested_language(own_language)
        if self.interface_language.suggest(suggested):
            self._use_interface_language(suggested)

    def accept(self) -> None:
        # QWizard validates the last page only in done(), after accept(): check first.
        if not self.validateCurrentPage():
            return
        try:
            self.key_message = _apply_setup(
                self._context,
                self.provider_form.choice(),
                self.learner_form.profile(),
                interface_language=self.interface_language.value(),
            )
        except OSError as error:  # the welcome stays, with every choice in it
            page = self.currentPage()
            assert isinstance(page, _FormPage)
            page.error.say(not_saved(error))
            return
        super().accept()


def _scrolling(form: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(form)
    return area


class SettingsDialog(QDialog):
    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        voices: VoiceSampler | None = None,
    ) -> None:
        """`voices`: the voice feature's lists and test (tutor/ui/voice/sampler.py)."""
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self._context = context
        self.provider_form = ProviderForm(context.tasks, context.clients)
        self.learner_form = LearnerForm()
        provider = context.settings.provider
        key = context.keys.get(provider.base_url) if provider else None
        _show_provider_in_use(self.provider_form, context, key)
        self.learner_form.set_values(context.settings.learner)
        self.corrections_form = CorrectionsForm()
        self.corrections_form.set_values(context.settings.corrections, context.settings.coach_model)
        # How the coach model in the boxes measured, and its Measure button (issue 19).
        self.coach_scores = CoachScoreLink(context, self.provider_form, self.corrections_form, self)
        self.voice_page = VoicePage(context, voices)
        tabs = QTabWidget()
        # Each tab scrolls when the dialog is small: wrapped descriptions (longer in
        # German or French) then never overlap the next choice.
        forms: tuple[tuple[QWidget, str], ...] = (
            (self.provider_form, _("Model server")),
            (self.learner_form, _("Learning")),
            (self.corrections_form, _("Corrections")),
            (self.voice_page, _("Voice")),
        )
        self._pages = {form: _scrolling(form) for form, _title in forms}
        for form, title in forms:
            tabs.addTab(self._pages[form], title)
        self.tabs = tabs
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        note = QLabel(
            _(
                "A new language or level applies to new sessions; corrections change from "
                "your next message."
            )
        )
        note.setObjectName("hint")
        note.setWordWrap(True)  # a long translation wraps instead of widening the dialog
        # Appearance applies to the whole window at once, so it sits outside the tabs.
        self.appearance = QComboBox()
        self.appearance.setAccessibleName(_("Appearance"))
        for value in APPEARANCES:
            self.appearance.addItem(_(APPEARANCE_NAMES[value]), value)
        self.appearance.setCurrentIndex(
            max(0, self.appearance.findData(context.settings.appearance))
        )
        # The interface language, like the appearance, is the whole window's.
        self.interface_language = InterfaceLanguageBox(context.settings.interface_language)
        self.language_note = QLabel()
        self.language_note.setObjectName("hint")
        self.language_note.setWordWrap(True)
        self.interface_language.currentIndexChanged.connect(self._language_changed)
        self._language_changed()
        whole_window = QFormLayout()
        whole_window.addRow(_("&Appearance:"), self.appearance)
        whole_window.addRow(_("&Interface language:"), self.interface_language)
        whole_window.addRow("", self.language_note)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addLayout(whole_window)
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
            form = self.voice_page
            voice = self.voice_page.chosen()
        except ValueError as error:
            self.show_tab(form)
            self.error.say(str(error))
            return
        try:
            self.key_message = _apply_setup(
                self._context,
                choice,
                profile,
                corrections=self.corrections_form.chosen_style(),
                coach_model=coach_model,
                appearance=str(self.appearance.currentData()),
                interface_language=self.interface_language.value(),
                voice=voice,
            )
            speech_note = self._keep_speech_key()
            transcription_note = self.voice_page.microphone_group.save_key(self._context.keys)
            self.key_message = speech_note or transcription_note or self.key_message
        except OSError as error:  # the dialog stays open, with every choice in it
            self.error.say(not_saved(error))
            return
        super().accept()

    def _keep_speech_key(self) -> str | None:
        from tutor.services.voice import keep_speech_key

        return keep_speech_key(
            self._context, self.voice_page.address.text(), self.voice_page.chosen_key()
        )

    def done(self, result: int) -> None:
        self.voice_page.close_voices()  # its engines end with the dialog
        super().done(result)

    def show_tab(self, form: QWidget) -> None:
        """Bring the tab of `form` (one of the forms) to the front."""
        self.tabs.setCurrentWidget(self._pages[form])

    def _language_changed(self) -> None:
        """Say when another language applies: at the next start (see the module's note)."""
        note = change_note(self.interface_language.value(), system_languages())
        self.language_note.setText(note or "")
        self.language_note.setVisible(note is not None)
