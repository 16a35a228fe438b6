"""The widgets of speaking: the microphone button beside the composer, the talk-mode
switch, and the strip above the composer that shows a recording (a level meter and the
time), its transcription, and what went wrong with Retry and Discard.

Plain widgets: what they do is decided by the speaking controller (speaking.py).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)

from tutor.domain.wav import SILENCE_DBFS
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _
from tutor.ui.widgets.level_meter import LevelMeter


class MicButton(QToolButton):
    """Press and hold to talk, or click to start and click again to stop."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(False)
        self.setAutoRaise(False)
        self.setMinimumSize(QSize(36, 32))
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.show_recording(False)

    def show_recording(self, recording: bool) -> None:
        self.setProperty("recording", recording)
        # Recording: a white stop square on red, seen from the corner of the eye.
        self.setText("■" if recording else "🎤")
        self.setStyleSheet(
            "QToolButton { background: #c62828; color: white; font-size: 16px; }"
            if recording
            else "QToolButton { font-size: 16px; }"
        )
        if recording:
            name = _("Stop recording")
            tip = _("Stop recording: release the button or F4, or click again.")
        else:
            name = _("Speak")
            tip = _(
                "Speak your message: hold this button (or F4) while you talk, or click to "
                "start and click again to stop."
            )
        self.setAccessibleName(name)
        self.setToolTip(tip)


class RecordingStrip(QWidget):
    """Above the composer while speaking: the meter and time, then the transcription's
    progress, or what went wrong (with Retry and Discard while a recording is kept)."""

    retry_clicked = Signal()
    discard_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordingStrip")
        self.meter = LevelMeter()
        self.time = QLabel()
        self.time.setAccessibleName(_("Recording time"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry = QPushButton(_("Retry"))
        self.retry.setAccessibleName(_("Transcribe the recording again"))
        self.discard = QPushButton(_("Discard"))
        self.discard.setAccessibleName(_("Discard the recording"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        row.addWidget(self.meter, 1)
        row.addWidget(self.time)
        row.addWidget(self.status, 4)
        row.addWidget(self.retry)
        row.addWidget(self.discard)
        self.retry.clicked.connect(self.retry_clicked)
        self.discard.clicked.connect(self.discard_clicked)
        self.hide()

    def show_recording(self) -> None:
        self.meter.set_level(SILENCE_DBFS)
        self._show(_("Listening…"), meter=True)
        self.show_time(0.0)

    def show_time(self, seconds: float) -> None:
        whole = int(seconds)
        self.time.setText(
            # Translators: minutes and seconds of a recording, e.g. 0:07.
            _("{minutes}:{seconds}").format(
                minutes=format_number(whole // 60), seconds=f"{whole % 60:02d}"
            )
        )

    def show_working(self, words: str) -> None:
        self._show(words)

    def show_problem(self, words: str, *, kept: bool) -> None:
        """What went wrong; `kept`: a recording waits, so Retry and Discard are offered."""
        self._show(words, problem=True, kept=kept)

    def show_note(self, words: str) -> None:
        self._show(words)

    def _show(
        self, words: str, *, meter: bool = False, problem: bool = False, kept: bool = False
    ) -> None:
        self.meter.setVisible(meter)
        self.time.setVisible(meter)
        self.status.setText(words)
        self.status.setProperty("problem", problem)
        self.status.setStyleSheet("color: #c62828;" if problem else "")
        self.retry.setVisible(kept)
        self.discard.setVisible(kept)
        self.show()


class TalkModeSwitch(QToolButton):
    """Talk mode on or off, beside the microphone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(True)
        # Translators: a short switch beside the microphone button: hands-free conversation.
        self.setText(_("Talk"))
        self.setAccessibleName(_("Talk mode"))
        self.setToolTip(
            _(
                "Talk mode: what you say is sent at once, the reply is read aloud, then "
                "the microphone listens again."
            )
        )
