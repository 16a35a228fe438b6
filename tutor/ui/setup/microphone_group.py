"""Settings → Voice: "Microphone and transcription". Which microphone records, a test
that records three seconds and plays them back with the level shown, where recordings
are transcribed (empty: the chat server; another address has its own key and model),
whether a transcript is sent at once, and whether recordings are kept.

A self-contained group: the voice page places it and, when Settings is saved, takes
`chosen(voice)` into the settings (ValueError in words for a bad address), calls
`save_key(keys)`, and `stop()` as the dialog closes (`save` does the first two at once).
QtMultimedia is loaded when the group is made (the microphones are listed), which is
when Settings opens, never at start-up.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from tutor.domain.voice_settings import DEFAULT_TRANSCRIPTION_MODEL, SpeechServer, VoiceSettings
from tutor.domain.wav import SILENCE_DBFS, is_too_quiet, peak_dbfs, wav_bytes
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _
from tutor.store.secrets import KeyStore
from tutor.ui.shell.context import AppContext
from tutor.ui.widgets.level_meter import LevelMeter
from tutor.ui.widgets.recorder import Recorder, Recording

if TYPE_CHECKING:
    from tutor.ui.widgets.playback import Playback

TEST_SECONDS = 3


class MicrophoneGroup(QGroupBox):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Microphone and transcription"), parent)
        from tutor.ui.widgets.microphones import microphones

        voice = context.settings.voice
        self._context = context
        self.microphone = QComboBox()
        # Translators: the name a screen reader gives the list of microphones.
        self.microphone.setAccessibleName(_("Microphone"))
        self.microphone.addItem(_("The system's default microphone"), "")
        for device_id, name in microphones():
            self.microphone.addItem(name, device_id)
        found = self.microphone.findData(voice.microphone)
        if voice.microphone and found < 0:  # chosen before, not plugged in now
            self.microphone.addItem(_("{name} (not found now)").format(name=voice.microphone))
            self.microphone.setItemData(self.microphone.count() - 1, voice.microphone)
            found = self.microphone.count() - 1
        self.microphone.setCurrentIndex(max(0, found))
        self.test_button = QPushButton(_("Test"))
        self.test_button.setAccessibleName(_("Test the microphone"))
        self.test_button.setToolTip(
            _("Records three seconds and plays them back, with the level shown.")
        )
        self.meter = LevelMeter()
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.address = QLineEdit(voice.transcription_server.base_url)
        self.address.setPlaceholderText(_("Empty: the chat server"))
        self.address.setAccessibleName(_("Transcription server address"))
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(_("Unchanged when empty"))
        self.key.setAccessibleName(_("Transcription server API key"))
        self.model = QLineEdit(voice.transcription_server.model)
        self.model.setPlaceholderText(DEFAULT_TRANSCRIPTION_MODEL)
        self.model.setAccessibleName(_("Transcription model"))
        self.send_at_once = QCheckBox(_("Send what I say at once, without editing it first"))
        self.send_at_once.setChecked(voice.send_transcript_at_once)
        self.keep_recordings = QCheckBox(_("Keep my recordings with my messages"))
        self.keep_recordings.setChecked(voice.keep_recordings)
        self.keep_recordings.setToolTip(
            _(
                "To hear how you said something beside the partner's reply. Kept on this "
                "computer only."
            )
        )

        test_row = QHBoxLayout()
        test_row.addWidget(self.microphone, 1)
        test_row.addWidget(self.test_button)
        form = QFormLayout(self)
        form.addRow(_("Microphone:"), test_row)
        form.addRow("", self.meter)
        form.addRow("", self.test_result)
        form.addRow(_("Transcription address:"), self.address)
        form.addRow(_("Its API key:"), self.key)
        form.addRow(_("Transcription model:"), self.model)
        form.addRow("", self.send_at_once)
        form.addRow("", self.keep_recordings)
        self.meter.hide()
        self.address.textChanged.connect(self._address_changed)
        self._address_changed(self.address.text())
        self.recorder = Recorder(self, longest_seconds=TEST_SECONDS)
        self.recorder.level_changed.connect(self.meter.set_level)
        self.recorder.finished.connect(self._recorded)
        self.recorder.failed.connect(self._test_failed)
        self.test_button.clicked.connect(self.test)
        self._playback: Playback | None = None  # made on the first test

    def _address_changed(self, text: str) -> None:
        separate = bool(text.strip())
        self.key.setEnabled(separate)

    # -- the test ----------------------------------------------------------------------

    def test(self) -> None:
        if self.recorder.is_recording:
            return
        self.meter.show()
        self.meter.set_level(SILENCE_DBFS)
        self.test_result.setText(_("Recording three seconds: say something…"))
        self.test_button.setEnabled(False)
        self.recorder.start(str(self.microphone.currentData() or ""))

    def _recorded(self, recording: Recording) -> None:
        self.test_button.setEnabled(True)
        pcm = recording.pcm
        peak = format_number(round(peak_dbfs(pcm)))
        if is_too_quiet(pcm):
            self.test_result.setText(
                # Translators: {peak} is the loudest moment in dB below full scale, e.g. -52.
                _(
                    "Almost silent (loudest moment {peak} dB): Tutor would hear no voice. "
                    "Check that this microphone is the one you speak into, and its volume."
                ).format(peak=peak)
            )
        else:
            self.test_result.setText(
                _("Heard you (loudest moment {peak} dB). Playing it back…").format(peak=peak)
            )
        from tutor.ui.widgets.playback import Playback

        if self._playback is None:
            self._playback = Playback(self)
            self._playback.failed.connect(self._test_failed)
        self._playback.play_bytes(wav_bytes(pcm))  # no output: `failed` says so

    def stop(self) -> None:
        """The dialog closes: the test's recording and playback end with it."""
        self.recorder.cancel()
        if self._playback is not None:
            self._playback.stop()
        self.test_button.setEnabled(True)

    def _test_failed(self, words: str) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setText(words)

    # -- what is saved -------------------------------------------------------------------

    def problem(self) -> str | None:
        """Why the values cannot be saved, in words; None when they can."""
        address = self.address.text().strip()
        if address and not address.startswith(("http://", "https://")):
            return _(
                "The transcription address must start with http:// or https:// (for "
                "example http://localhost:8000/v1)."
            )
        return None

    def chosen(self, voice: VoiceSettings) -> VoiceSettings:
        """`voice` with this group's choices; ValueError, in words, when they cannot be
        saved (as the other forms of Settings refuse)."""
        problem = self.problem()
        if problem is not None:
            raise ValueError(problem)
        return replace(
            voice,
            microphone=str(self.microphone.currentData() or ""),
            transcription_server=SpeechServer(
                self.address.text().strip(), self.model.text().strip()
            ),
            send_transcript_at_once=self.send_at_once.isChecked(),
            keep_recordings=self.keep_recordings.isChecked(),
        )

    def save_key(self, keys: KeyStore) -> str | None:
        """Keep a key typed for a separate transcription server; the message to show
        when it is kept for this run only."""
        from tutor.services.speaking import save_transcription_key

        address, key = self.address.text().strip(), self.key.text().strip()
        if not address or not key:
            return None
        return save_transcription_key(keys, address, key)

    def save(self) -> str | None:
        """Save the choices and the key now (a page without its own saving uses this).
        OSError when the settings file cannot be written."""
        from tutor.services.speaking import change_voice

        change_voice(self._context, self.chosen(self._context.settings.voice))
        return self.save_key(self._context.keys)
