"""Talk mode's timing against the speaker (the listening half's `Speaker`, met only by
its `idle` and `speaking_changed` signals): the microphone listens again after the
reply has been spoken, not while it is."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from tutor.ui.voice.talk_mode import SPEECH_GRACE_MS, TalkMode


class FakeSpeaker(QObject):
    idle = Signal()
    speaking_changed = Signal(bool)


def _talk(qtbot) -> tuple[TalkMode, FakeSpeaker, list[int]]:
    talk, speaker = TalkMode(), FakeSpeaker()
    talk.follow_speaker(speaker)
    talk.set_enabled(True)
    heard: list[int] = []
    talk.listen.connect(lambda: heard.append(1))
    return talk, speaker, heard


def test_it_listens_after_the_speaker_has_said_the_reply(qtbot):
    talk, speaker, heard = _talk(qtbot)
    talk.turn_sent()
    talk.reply_busy(True)
    speaker.speaking_changed.emit(True)  # read aloud as it streams
    talk.reply_busy(False)
    qtbot.wait(SPEECH_GRACE_MS + 200)
    assert heard == []  # still speaking
    speaker.speaking_changed.emit(False)
    speaker.idle.emit()
    assert heard == [1]


def test_it_waits_for_a_speaker_that_starts_after_the_reply_ended(qtbot):
    talk, speaker, heard = _talk(qtbot)
    talk.turn_sent()
    talk.reply_busy(False)
    speaker.speaking_changed.emit(True)
    qtbot.wait(SPEECH_GRACE_MS + 200)
    assert heard == []
    speaker.idle.emit()
    assert heard == [1]


def test_without_speech_it_listens_after_the_grace(qtbot):
    talk, _speaker, heard = _talk(qtbot)
    talk.turn_sent()
    talk.reply_busy(False)
    assert heard == []
    qtbot.waitUntil(lambda: heard == [1], timeout=SPEECH_GRACE_MS + 1000)


def test_off_or_not_a_turn_of_ours_it_never_listens(qtbot):
    talk, speaker, heard = _talk(qtbot)
    talk.reply_busy(False)  # the opening reply: no turn was sent
    speaker.idle.emit()
    talk.turn_sent()
    talk.set_enabled(False)
    talk.reply_busy(False)
    speaker.idle.emit()
    qtbot.wait(SPEECH_GRACE_MS + 200)
    assert heard == []
