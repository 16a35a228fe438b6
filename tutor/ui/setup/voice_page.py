"""Settings → Voice: how each target language is spoken (the system's voices or a
server's, the voice, the speed), whether replies are read aloud, and the speech server
(its address, key and model), with a Test that says a sentence in the language.

The voices themselves are the voice feature's (tutor/ui/voice): the shell hands the
page a `VoiceSampler` that lists the system's voices and says the test sentence, so
this page imports nothing of it. Without one (a dialog built alone), voices are typed
and the Test button is hidden.

`speaking_area` is the place for the speaking half (the microphone and transcription):
a layout below the listening groups, empty until that feature adds its group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.languages import practice_languages
from tutor.domain.voice_settings import (
    DEFAULT_SPEECH_MODEL,
    SPEED_STEPS,
    LanguageVoice,
    SpeechServer,
    VoiceEngine,
    VoiceSettings,
)
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _
from tutor.ui.setup.microphone_group import MicrophoneGroup
from tutor.ui.shell.context import AppContext
from tutor.ui.widgets.error_label import ErrorLabel


class VoiceSampler(Protocol):
    """What the page needs of the voice feature."""

    def system_voices(self, language_code: str, ready: Callable[[], None]) -> list[str] | None:
        """The system's voices for the language; None while the engine starts (then
        `ready` is called once, and the page asks again)."""
        ...

    def system_problem(self, language_code: str) -> str:
        """Why the system cannot speak the language ("" when it can)."""
        ...

    def server_voices(
        self, voice: VoiceSettings, speech_key: str | None, done: Callable[[list[str], str], None]
    ) -> None:
        """The speech server's voices, then done(voices, note): the note says they are
        OpenAI's names (the server lists none) or what went wrong."""
        ...

    def test(
        self,
        voice: VoiceSettings,
        language_code: str,
        speech_key: str | None,
        done: Callable[[str], None],
    ) -> None:
        """Say the language's sample sentence; done("") once heard, else done(words)."""
        ...

    def stop(self) -> None: ...


class _Note(QLabel):
    """A hint under a field, out of the way while it has nothing to say."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("hint")
        self.setWordWrap(True)
        self.hide()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")


def speed_text(speed: float) -> str:
    # Translators: a playback speed, "0.75×" (× is the multiplication sign).
    return _("{speed}×").format(speed=format_number(speed))


def check_address(text: str) -> str:
    """The speech server's address as typed, "" for the chat server; ValueError if bad."""
    address = text.strip()
    if address and not address.startswith(("http://", "https://")):
        raise ValueError(
            _("The speech server's address must start with http:// or https:// (or be empty).")
        )
    return address


class VoicePage(QWidget):
    def __init__(
        self,
        context: AppContext,
        sampler: VoiceSampler | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._sampler = sampler
        self._seen = False
        """The page has been shown: only then is the system's engine started (opening
        Settings for another page starts no speech engine)."""
        voice = context.settings.voice
        self._languages = dict(voice.languages)
        learner = context.settings.learner
        self._language_code = learner.target_language if learner else "es"

        self.read_aloud = QCheckBox(_("Read each reply aloud as it arrives"))
        self.read_aloud.setChecked(voice.read_aloud)
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language"))
        for language in practice_languages():
            self.language.addItem(language.label, language.code)
        self.language.setCurrentIndex(max(0, self.language.findData(self._language_code)))
        self.engines = QButtonGroup(self)
        self.system_engine = QRadioButton(_("System voices (offline, free)"))
        self.server_engine = QRadioButton(_("Server voices (the speech server below)"))
        self.engines.addButton(self.system_engine, 0)
        self.engines.addButton(self.server_engine, 1)
        engine_box = QVBoxLayout()
        engine_box.setSpacing(2)
        engine_box.addWidget(self.system_engine)
        engine_box.addWidget(self.server_engine)
        self.voice = QComboBox()
        self.voice.setEditable(True)
        self.voice.setAccessibleName(_("Voice"))
        typed = self.voice.lineEdit()
        if typed is not None:
            typed.setPlaceholderText(_("The first voice for the language"))
        self.list_voices = QPushButton(_("List the server's voices"))
        self.list_voices.clicked.connect(self._list_server_voices)
        voice_row = QHBoxLayout()
        voice_row.addWidget(self.voice, 1)
        voice_row.addWidget(self.list_voices)
        self.voice_note = _Note()
        self.speed = QComboBox()
        self.speed.setAccessibleName(_("Speed"))
        for step in SPEED_STEPS:
            self.speed.addItem(speed_text(step), step)
        self.test_button = QPushButton(_("Test"))
        self.test_button.setToolTip(_("Say a sentence in this language with these choices"))
        self.test_button.clicked.connect(self._test)
        self.test_button.setVisible(sampler is not None)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_problem = ErrorLabel()
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)

        listening = QGroupBox(_("Listening"))
        rows = QFormLayout(listening)
        rows.addRow("", self.read_aloud)
        rows.addRow(_("&Language:"), self.language)
        rows.addRow(_("Voices:"), engine_box)
        voice_label = QLabel(_("&Voice:"))
        voice_label.setBuddy(self.voice)
        rows.addRow(voice_label, voice_row)
        rows.addRow("", self.voice_note)
        rows.addRow(_("&Speed:"), self.speed)
        rows.addRow("", test_row)
        rows.addRow("", self.test_problem)

        server = voice.speech_server
        self.address = QLineEdit(server.base_url)
        self.address.setAccessibleName(_("Speech server address"))
        self.address.setPlaceholderText(_("Empty: the chat server, with its key"))
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName(_("Speech server API key"))
        self.key.setPlaceholderText(_("Not needed for a server on this computer"))
        self._stored_key = context.keys.get(server.base_url) if server.base_url else None
        self.key.setText(self._stored_key or "")
        self.model = QLineEdit(server.model)
        self.model.setAccessibleName(_("Speech model"))
        self.model.setPlaceholderText(DEFAULT_SPEECH_MODEL)
        server_hint = QLabel(
            _(
                "Any server with OpenAI's speech endpoint (/audio/speech): OpenAI, or on "
                "this computer Kokoro-FastAPI, Speaches or LocalAI. Speech is kept on this "
                "computer once made, so a replay works offline."
            )
        )
        server_hint.setObjectName("hint")
        server_hint.setWordWrap(True)
        self.server_group = QGroupBox(_("Speech server"))
        server_rows = QFormLayout()
        server_rows.addRow(_("&Address:"), self.address)
        server_rows.addRow(_("API &key:"), self.key)
        server_rows.addRow(_("&Model:"), self.model)
        # Beneath the rows, not in one: a wrapped label in a form row gets a line's
        # height too many (QFormLayout asks its height before its width).
        server_column = QVBoxLayout(self.server_group)
        server_column.addLayout(server_rows)
        server_column.addWidget(server_hint)

        self.speaking_area = QVBoxLayout()
        """Where the speaking half (microphone and transcription) adds its group."""
        self.microphone_group = MicrophoneGroup(context)
        self.speaking_area.addWidget(self.microphone_group)
        layout = QVBoxLayout(self)
        layout.addWidget(listening)
        layout.addWidget(self.server_group)
        layout.addLayout(self.speaking_area)
        layout.addStretch(1)

        self._show_language()
        self.language.currentIndexChanged.connect(self._language_changed)
        self.engines.idToggled.connect(lambda _id, on: self._engine_changed() if on else None)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._seen:
            self._seen = True
            self._fill_voices(self.voice.currentText())

    # ---- what Settings saves

    def chosen(self) -> VoiceSettings:
        """The voice settings as shown; ValueError (in words) when the address is bad."""
        self._keep_language()
        address = check_address(self.address.text())
        listening = replace(
            self._context.settings.voice,
            read_aloud=self.read_aloud.isChecked(),
            languages=dict(self._languages),
            speech_server=SpeechServer(address, self.model.text().strip()),
        )
        return self.microphone_group.chosen(listening)  # and the speaking half's

    def chosen_key(self) -> str | None:
        """The separate speech server's key to keep, None to leave the keyring as it is."""
        if not self.address.text().strip():
            return None
        key = self.key.text().strip()
        return None if key == (self._stored_key or "") else key

    def close_voices(self) -> None:
        if self._sampler is not None:
            self._sampler.stop()
        self.microphone_group.stop()

    # ---- the language shown

    @property
    def language_code(self) -> str:
        return str(self.language.currentData() or self._language_code)

    def _language_voice(self) -> LanguageVoice:
        return LanguageVoice(
            engine=self._engine(),
            voice=self.voice.currentText().strip(),
            speed=float(self.speed.currentData() or 1.0),
        )

    def _engine(self) -> VoiceEngine:
        return "server" if self.server_engine.isChecked() else "system"

    def _keep_language(self) -> None:
        self._languages[self._language_code] = self._language_voice()

    def _language_changed(self) -> None:
        self._keep_language()
        self._language_code = self.language_code
        self._show_language()

    def _show_language(self) -> None:
        chosen = self._languages.get(self._language_code, LanguageVoice())
        button = self.server_engine if chosen.engine == "server" else self.system_engine
        button.setChecked(True)
        nearest = min(SPEED_STEPS, key=lambda step: abs(step - chosen.speed))
        self.speed.setCurrentIndex(self.speed.findData(nearest))
        self._fill_voices(chosen.voice)
        self.test_result.clear()
        self.test_problem.say(None)

    def _engine_changed(self) -> None:
        self._fill_voices("")

    def _fill_voices(self, chosen: str) -> None:
        self.voice.clear()
        self.voice_note.clear()
        self.list_voices.setVisible(self._engine() == "server")
        if self._engine() == "system" and self._sampler is not None and self._seen:
            code = self._language_code
            names = self._sampler.system_voices(code, lambda: self._system_ready(code))
            if names is None:
                self.voice_note.setText(_("Looking for the system's voices…"))
            else:
                self.voice.addItems(names)
                self.voice_note.setText(self._sampler.system_problem(code))
        self.voice.setEditText(chosen)

    def _system_ready(self, code: str) -> None:
        if code == self._language_code and self._engine() == "system":
            self._fill_voices(self.voice.currentText())

    def _list_server_voices(self) -> None:
        if self._sampler is None:
            return
        try:
            voice = self.chosen()
        except ValueError as error:
            self.test_problem.say(str(error))
            return
        self.voice_note.setText(_("Asking the server for its voices…"))
        self.list_voices.setEnabled(False)
        self._sampler.server_voices(voice, self._key_for_request(), self._server_voices)

    def _server_voices(self, names: list[str], note: str) -> None:
        self.list_voices.setEnabled(True)
        if self._engine() != "server":
            return
        typed = self.voice.currentText()
        self.voice.clear()
        self.voice.addItems(names)
        self.voice.setEditText(typed)
        self.voice_note.setText(note)

    def _key_for_request(self) -> str | None:
        return self.key.text().strip() or None if self.address.text().strip() else None

    # ---- the test

    def _test(self) -> None:
        if self._sampler is None:
            return
        self.test_problem.say(None)
        try:
            voice = self.chosen()
        except ValueError as error:
            self.test_problem.say(str(error))
            return
        self.test_result.setText(_("Speaking…"))
        self.test_button.setEnabled(False)
        self._sampler.test(voice, self._language_code, self._key_for_request(), self._tested)

    def _tested(self, problem: str) -> None:
        self.test_button.setEnabled(True)
        if problem:
            self.test_result.clear()
            self.test_problem.say(problem)
        else:
            self.test_result.setText(_("Heard: this voice works."))
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
