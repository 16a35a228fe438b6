"""The system's own voices through QtTextToSpeech: offline and free (speech-dispatcher
with espeak-ng on Linux, the platform's engine on Windows and macOS).

The engine lives on a thread of its own, made there and spoken to through queued
signals: speech-dispatcher's engine takes up to two seconds to connect (it may start the
dispatcher first), and the window must not wait for that, nor for any later call into
it. (Made on a pool thread and moved to the GUI thread, an engine's own objects would
stay behind on the pool thread, and its callbacks would never arrive.) What is asked
before the engine is there waits for it. `shutdown()` ends the thread (the window does
as it closes).

Voices are those of the target language (any territory: a Spanish learner hears es_ES
or es_MX alike). A language with no installed voice says so, and what to install.

Speed: QTextToSpeech's rate runs from -1 (slowest) through 0 (normal) to 1 (fastest),
and each engine stretches it its own way (speech-dispatcher with espeak-ng: -1 is about
half speed, +1 about twice). So below normal the rate is linear to half speed (0.5× →
-1, 0.75× → -0.5), above it to twice (1.25× → +0.25): 0.5× to 1.25× as the learner
chose, as near as the engine allows.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QThread, Signal, Slot
from PySide6.QtTextToSpeech import QTextToSpeech

from tutor.i18n.formats import language_name
from tutor.i18n.translate import _

SYSTEM_ENGINE = ""
"""The platform's default engine (speechd on Linux); tests pass "mock"."""


def rate_for(speed: float) -> float:
    """QTextToSpeech's rate (-1..1) for a playback speed (0.5×..1.25×; see above)."""
    if speed < 1.0:
        return max(-1.0, (speed - 1.0) / 0.5)
    return min(1.0, speed - 1.0)


def no_voice_message(language_code: str, platform: str = sys.platform) -> str:
    """What to do when the system has no voice for the language."""
    name = language_name(language_code)
    if platform.startswith("win"):
        # Translators: the path names Windows' own settings; keep them as Windows words them.
        words = _(
            "No system voice speaks {language}. Add its speech pack in Windows Settings → "
            "Time & language → Speech, or choose server voices in Settings → Voice."
        )
    elif platform == "darwin":
        words = _(
            "No system voice speaks {language}. Add a voice in System Settings → "
            "Accessibility → Spoken Content → System voice, or choose server voices in "
            "Settings → Voice."
        )
    else:
        # Translators: espeak-ng and speech-dispatcher are package names; keep them.
        words = _(
            "No system voice speaks {language}. Install espeak-ng and speech-dispatcher "
            "(with your distribution's packages), or choose server voices in Settings → "
            "Voice."
        )
    return words.format(language=name)


def engine_broken_message(reason: str) -> str:
    # Translators: {reason} is the speech engine's own words, often in English.
    return _(
        "The system's speech engine does not work ({reason}). On Linux, install "
        "speech-dispatcher and espeak-ng; or choose server voices in Settings → Voice."
    ).format(reason=reason or _("no reason given"))


VoiceNames = dict[int, list[tuple[str, str]]]
"""By QLocale.Language (as an int): the (voice name, locale name) of each voice."""


def default_check(engine: str) -> Callable[[], str] | None:
    if engine == "speechd" or (not engine and sys.platform.startswith("linux")):
        from tutor.ui.voice.speechd_probe import speechd_problem

        return speechd_problem
    return None


class _EngineHost(QObject):
    """Lives on the engine's thread; every call comes as a queued signal."""

    made = Signal(object, str)  # VoiceNames, the engine's error ("" when it works)
    state = Signal(int, int)  # utterance, QTextToSpeech.State as an int
    failed = Signal(int, str)  # utterance, words

    def __init__(self, engine: str, check: Callable[[], str] | None) -> None:
        super().__init__()
        self._engine = engine
        self._check = check
        self._tts: QTextToSpeech | None = None
        self._utterance = 0
        self._locale = QLocale()
        self._voice = ""

    @Slot()
    def make(self) -> None:
        problem = self._check() if self._check is not None else ""
        if problem:  # the engine is not made: making it would hang (speechd_probe.py)
            self.made.emit({}, problem)
            return
        tts = QTextToSpeech(self._engine, self) if self._engine else QTextToSpeech(self)
        self._tts = tts
        tts.stateChanged.connect(self._state_changed)
        tts.errorOccurred.connect(
            lambda _reason, words: self.failed.emit(self._utterance, engine_broken_message(words))
        )
        names: VoiceNames = {}
        if tts.state() != QTextToSpeech.State.Error:
            # allVoices(nullptr): every voice of every locale (PySide's stub lacks None).
            for voice in tts.allVoices(None):  # type: ignore[arg-type]
                locale = voice.locale()
                names.setdefault(locale.language().value, []).append((voice.name(), locale.name()))
        self.made.emit(names, tts.errorString() if tts.state() == QTextToSpeech.State.Error else "")

    def _state_changed(self, state: QTextToSpeech.State) -> None:
        if state != QTextToSpeech.State.Error:  # an error comes with its words: failed
            self.state.emit(self._utterance, state.value)

    @Slot(int, str, str, str, float)
    def say(self, utterance: int, text: str, locale_name: str, voice: str, rate: float) -> None:
        tts = self._tts
        if tts is None:
            return
        self._utterance = utterance
        if locale_name != self._locale.name():
            self._locale = QLocale(locale_name)
            tts.setLocale(self._locale)
            self._voice = ""
        if voice != self._voice:
            found = next((v for v in tts.availableVoices() if v.name() == voice), None)
            if found is not None:
                tts.setVoice(found)
            self._voice = voice
        tts.setRate(rate)
        tts.say(text)

    @Slot()
    def stop(self) -> None:
        if self._tts is not None:
            self._utterance = 0
            self._tts.stop(QTextToSpeech.BoundaryHint.Immediate)


class SystemVoice(QObject):
    """Says one text at a time: `started` when it is heard, `finished` when done,
    `failed(words)` when it cannot be said."""

    started = Signal()
    finished = Signal()
    failed = Signal(str)
    ready = Signal()
    """The engine is there (voices can be listed)."""
    _make = Signal()
    _say = Signal(int, str, str, str, float)
    _stop = Signal()

    def __init__(
        self,
        engine: str = SYSTEM_ENGINE,
        parent: QObject | None = None,
        *,
        check: Callable[[], str] | None = None,
    ) -> None:
        """`check`: why the engine cannot be made now ("" when it can), asked on its
        thread before it is made; by default, for speech-dispatcher (the platform's
        engine on Linux, or "speechd"), whether it answers (speechd_probe.py)."""
        super().__init__(parent)
        self.engine_name = engine
        self._check = check if check is not None else default_check(engine)
        self._thread: QThread | None = None
        self._host: _EngineHost | None = None
        self._voices: VoiceNames | None = None
        self._broken = ""
        self._waiting: Callable[[], None] | None = None
        self._utterance = 0
        self._speaking = False
        self.rate = 0.0
        """The rate of the last utterance (QTextToSpeech's -1..1)."""
        self.voice_name = ""
        """The voice of the last utterance."""

    @property
    def is_ready(self) -> bool:
        return self._voices is not None

    def prepare(self) -> None:
        """Start the engine now, on its thread (the Voice page lists voices)."""
        if self._thread is not None:
            return
        thread = QThread(self)  # deleted with its owner, after `end` below stopped it
        thread.setObjectName("system-voice")
        host = _EngineHost(self.engine_name, self._check)
        host.moveToThread(thread)
        thread.finished.connect(host.deleteLater)
        self._make.connect(host.make)
        self._say.connect(host.say)
        self._stop.connect(host.stop)
        host.made.connect(self._made)
        host.state.connect(self._state_changed)
        host.failed.connect(self._host_failed)
        self._thread, self._host = thread, host

        def end() -> None:  # the thread must not outlive its owner (Qt aborts then)
            if thread.isRunning():
                thread.quit()
                thread.wait(3000)

        self.destroyed.connect(end)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(end)
        thread.start()
        self._make.emit()

    def shutdown(self) -> None:
        """Stop speaking and end the engine's thread (before the window goes)."""
        thread, self._thread = self._thread, None
        if thread is not None and thread.isRunning():
            self._stop.emit()
            thread.quit()
            thread.wait(3000)

    def voices(self, language_code: str) -> list[tuple[str, str]]:
        """(name, locale name) of the engine's voices for the language, any territory
        (empty until `ready`)."""
        if self._voices is None:
            return []
        return list(self._voices.get(QLocale(language_code).language().value, []))

    def problem(self, language_code: str) -> str:
        """Why the language cannot be said ("" when it can, or before `ready`)."""
        if self._voices is None:
            return ""
        if self._broken:
            return engine_broken_message(self._broken)
        return "" if self.voices(language_code) else no_voice_message(language_code)

    def say(self, text: str, language_code: str, voice_name: str, speed: float) -> None:
        if self._voices is None:
            self._waiting = lambda: self.say(text, language_code, voice_name, speed)
            self.prepare()
            return
        problem = self.problem(language_code)
        if problem:
            self.failed.emit(problem)
            return
        voices = self.voices(language_code)
        name, locale = next(((n, loc) for n, loc in voices if n == voice_name), voices[0])
        self._utterance += 1
        self._speaking = False
        self.rate = rate_for(speed)
        self.voice_name = name
        self._say.emit(self._utterance, text, locale, name, self.rate)

    def stop(self) -> None:
        self._waiting = None
        self._utterance += 1  # what the engine still says of the last one is not heard
        if self._thread is not None:
            self._stop.emit()

    def _made(self, voices: VoiceNames, broken: str) -> None:
        self._voices = voices
        self._broken = broken
        self.ready.emit()
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            waiting()

    def _state_changed(self, utterance: int, state: int) -> None:
        if utterance != self._utterance:
            return
        if state == QTextToSpeech.State.Speaking.value and not self._speaking:
            self._speaking = True
            self.started.emit()
        elif state == QTextToSpeech.State.Ready.value and self._speaking:
            self._speaking = False
            self._utterance += 1
            self.finished.emit()

    def _host_failed(self, utterance: int, words: str) -> None:
        if utterance == self._utterance:
            self._utterance += 1
            self.failed.emit(words)
