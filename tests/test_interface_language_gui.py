"""The interface language as a learner chooses it: in the welcome (at once, or suggested by
their own language) and in Settings (from the next start); the lists of languages named
and sorted in it."""

from __future__ import annotations

import gettext
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWizard

from tests.gui_helpers import practice_argv, start_app, wait_until_idle
from tutor.domain.providers import ProviderKind
from tutor.i18n.formats import sort_key
from tutor.i18n.translate import language_in_use, use_language
from tutor.ui.setup.learner_form import LearnerForm
from tutor.ui.shell.interface_language import install_interface_language

# A few words of a Korean catalogue: the welcome must show them once Korean is chosen,
# whatever the translators' catalogue holds today.
KOREAN = {
    "Welcome to Tutor": "Tutor에 오신 것을 환영합니다",
    "What are you learning?": "무엇을 배우나요?",
    "Where does your language model live?": "언어 모델은 어디에 있나요?",
    "Interface language": "인터페이스 언어",
    "Start practising": "연습 시작",
    "My own language": "나의 언어",
    "Server address": "서버 주소",
    "&Session": "세션(&S)",
    "New session": "새 세션",
}


class Catalogue(gettext.NullTranslations):
    def __init__(self, words: dict[str, str]) -> None:
        super().__init__()
        self.words = words

    def gettext(self, message: str) -> str:
        return self.words.get(message, message)


@pytest.fixture(autouse=True)
def english_system(monkeypatch):
    """The system speaks English, Korean has the words above, and every test leaves
    Tutor in English, left to right (the language in use is the whole process's)."""
    for module in ("tutor.ui.setup.interface_language", "tutor.ui.setup.setup_dialogs"):
        monkeypatch.setattr(f"{module}.system_languages", lambda: ["en-US"])
    monkeypatch.setattr("tutor.ui.setup.provider_form.probe_local_servers", lambda: [])
    monkeypatch.setattr(
        "tutor.i18n.translate._catalogue",
        lambda code: Catalogue(KOREAN) if code == "ko" else gettext.NullTranslations(),
    )
    yield
    app = QApplication.instance()
    assert app is not None
    install_interface_language(app, "en")


def items(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Open the list and click `text`, as a learner does."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not in {items(combo)}"
    combo.showPopup()
    view = combo.view()
    model_index = view.model().index(index, 0)
    view.scrollTo(model_index)
    qtbot.waitUntil(lambda: view.isVisible())
    rect = view.visualRect(model_index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not view.isVisible())


def open_welcome(qtbot, data_dir, keyring_backend):
    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    wizard = window.welcome
    assert wizard is not None
    qtbot.waitExposed(wizard)
    return window, context, wizard


def to_learner_page(qtbot, wizard, server) -> None:
    form = wizard.provider_form
    form.kind.setCurrentIndex(form.kind.findData(ProviderKind.CUSTOM.value))
    form.base_url.setText(server.base_url)
    form.model.setEditText("tutor-test-small")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage().form is wizard.learner_form


def test_the_welcome_offers_every_interface_language_also_named_in_itself(
    qtbot, data_dir, keyring_backend
):
    _window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend)
    box = wizard.interface_language
    assert box.isVisible()  # on the first page
    offered = items(box)
    assert offered[0] == "System language (English)"
    assert box.currentIndex() == 0
    for own_name in ("한국어", "日本語", "Español", "Français", "Deutsch", "Português (Brasil)"):
        assert any(label.endswith(f" — {own_name}") for label in offered), own_name
    assert "Arabic — العربية" in offered
    assert "English" in offered
    assert any(label.endswith("中文 (简体)") for label in offered)
    assert len(offered) == 10


def test_own_language_korean_suggests_korean_and_the_welcome_speaks_it_at_once(
    qtbot, server, data_dir, keyring_backend
):
    window, context, wizard = open_welcome(qtbot, data_dir, keyring_backend)
    assert wizard.windowTitle() == "Welcome to Tutor"
    to_learner_page(qtbot, wizard, server)
    learner = wizard.learner_form

    back_in_english = wizard.button(QWizard.WizardButton.BackButton).text()
    choose(qtbot, learner.native, "Korean — 한국어")

    assert wizard.interface_language.currentText() == "한국어"
    assert wizard.interface_language.currentData() == "ko"
    assert language_in_use() == "ko"
    # Qt's own buttons too, from Qt's Korean catalogue.
    assert wizard.button(QWizard.WizardButton.BackButton).text() != back_in_english
    assert wizard.windowTitle() == "Tutor에 오신 것을 환영합니다"
    assert wizard.currentPage().title() == "무엇을 배우나요?"
    assert wizard.buttonText(QWizard.WizardButton.FinishButton) == "연습 시작"
    # The lists now name the languages in Korean; the choices stayed.
    assert learner.native.currentText() == "한국어"
    assert learner.native.currentData() == "ko"
    assert learner.target.currentText() == "스페인어 — Español"
    assert wizard.layoutDirection() == Qt.LayoutDirection.LeftToRight
    # The window behind the welcome, a bare frame until it is done, follows at once.
    assert window.session_menu.title() == "세션(&S)"

    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)
    saved = json.loads(context.paths.settings.read_text())
    assert saved["interface_language"] == "ko"
    assert saved["learner"]["native_language"] == "ko"
    # The window behind the welcome is built once it is done: in Korean, from the start.
    assert window.session_menu.title() == "세션(&S)"
    assert window.new_button.text() == "새 세션"


def test_a_language_chosen_in_the_welcome_is_not_replaced_by_a_suggestion(
    qtbot, server, data_dir, keyring_backend
):
    window, context, wizard = open_welcome(qtbot, data_dir, keyring_backend)
    choose(qtbot, wizard.interface_language, "Arabic — العربية")
    assert language_in_use() == "ar"
    assert wizard.layoutDirection() == Qt.LayoutDirection.RightToLeft  # mirrored at once

    to_learner_page(qtbot, wizard, server)
    learner = wizard.learner_form
    korean = learner.native.itemText(learner.native.findData("ko"))
    assert korean == "الكورية — 한국어"  # named in Arabic, its own name beside
    choose(qtbot, learner.native, korean)
    assert wizard.interface_language.currentText() == "العربية"  # in Arabic, by one name
    assert language_in_use() == "ar"

    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)
    assert json.loads(context.paths.settings.read_text())["interface_language"] == "ar"


def test_a_suggestion_follows_the_own_language_back_to_the_system_default(
    qtbot, server, data_dir, keyring_backend
):
    _window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend)
    to_learner_page(qtbot, wizard, server)
    learner = wizard.learner_form
    choose(qtbot, learner.native, "Korean — 한국어")
    assert language_in_use() == "ko"
    # Czech has no translation of Tutor: the system's language again.
    choose(qtbot, learner.native, learner.native.itemText(learner.native.findData("cs")))
    assert wizard.interface_language.currentIndex() == 0
    assert language_in_use() == "en"
    assert wizard.windowTitle() == "Welcome to Tutor"


def test_settings_saves_the_interface_language_for_the_next_start(
    qtbot, server, data_dir, keyring_backend
):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None
    assert dialog.interface_language.currentText() == "System language (English)"
    assert not dialog.language_note.isVisible()

    choose(qtbot, dialog.interface_language, "Korean — 한국어")
    assert dialog.language_note.isVisible()
    assert dialog.language_note.text() == "Tutor will speak Korean from the next time it starts."
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert json.loads(context.paths.settings.read_text())["interface_language"] == "ko"
    assert language_in_use() == "en"  # from the next start

    window.settings_action.trigger()
    assert window.settings_dialog is not None
    assert window.settings_dialog.interface_language.currentText() == "Korean — 한국어"
    window.settings_dialog.reject()


def test_language_lists_are_named_and_sorted_in_the_interface_language(qtbot):
    english = LearnerForm()
    qtbot.addWidget(english)
    assert english.target.itemText(english.target.findData("es")) == "Spanish — Español"
    assert english.target.itemText(english.target.findData("en")) == "English"
    assert items(english.target)[:3] == ["Arabic — العربية", "Chinese — 中文", "Czech — Čeština"]

    use_language("ko")
    korean = LearnerForm()
    qtbot.addWidget(korean)
    for combo in (korean.target, korean.native):
        names = items(combo)
        assert names == sorted(names, key=sort_key)
        assert combo.itemText(combo.findData("es")) == "스페인어 — Español"
        assert combo.itemText(combo.findData("ko")) == "한국어"
    assert items(korean.target)[0] == "그리스어 — Ελληνικά"  # ㄱ first
    assert items(korean.target)[-1] == "힌디어 — हिन्दी"  # ㅎ last


def test_a_refusal_in_any_language_points_at_the_field_it_names():
    from tutor.ui.scenarios.scenario_editor import _field_named

    fields = ["id", "title", "partner_role", "partner_personality", "goals", "setting"]
    assert _field_named("Field 'goals': give 2 to 4 goals, not 1.", fields) == "goals"
    assert _field_named("필드 'goals': 목표를 2~4개 주세요.", fields) == "goals"
    assert _field_named("Champ « partner_personality » : 300 caractères au plus.", fields) == (
        "partner_personality"
    )
    assert _field_named("Le fichier ne contient pas de scénario.", fields) is None
