"""The recorder fed real speech (espeak-ng) in real time, with no audio device: what it
keeps, its meter, its limit, the end of a turn in talk mode, and no microphone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.spoken_audio import LiveFeed, espeak_pcm
from tutor.domain.pcm_convert import PcmConverter, SampleFormat
from tutor.domain.wav import duration
from tutor.ui.widgets.recorder import Recorder, Recording, limit_note

SPEECH = espeak_pcm("Hola, me llamo Ana y vivo en Madrid.")


@pytest.fixture(autouse=True)
def _feeds_stopped() -> Iterator[None]:
    yield
    LiveFeed.stop_all()


def test_what_the_source_gives_is_recorded_whole_with_a_moving_meter(qtbot):
    recorder = Recorder()
    levels: list[float] = []
    recorder.level_changed.connect(levels.append)
    feed = LiveFeed(SPEECH)
    recorder.start_from(feed)
    assert recorder.is_recording
    qtbot.waitUntil(lambda: feed.exhausted, timeout=10_000)
    with qtbot.waitSignal(recorder.finished) as finished:
        recorder.stop()
    recording = finished.args[0]
    assert isinstance(recording, Recording) and not recording.reached_limit
    assert recording.pcm == SPEECH
    assert not recorder.is_recording
    assert len(levels) > 10 and max(levels) > -30 and min(levels) < max(levels) - 10


def test_a_recording_stops_by_itself_at_the_limit_and_says_so(qtbot):
    recorder = Recorder(longest_seconds=0.5)
    with qtbot.waitSignal(recorder.finished, timeout=5000) as finished:
        recorder.start_from(LiveFeed(SPEECH))
    recording = finished.args[0]
    assert recording.reached_limit and duration(recording.pcm) == pytest.approx(0.5)
    assert "60 seconds" in limit_note(60)


def test_talk_mode_stops_after_a_silence_that_follows_speech(qtbot):
    recorder = Recorder()
    feed = LiveFeed(SPEECH, then_silence=3.0)
    with qtbot.waitSignal(recorder.finished, timeout=10_000) as finished:
        recorder.start_from(feed, stop_after_silence=1.0)
    kept = duration(finished.args[0].pcm)
    assert duration(SPEECH) + 0.8 < kept < duration(SPEECH) + 1.6
    assert not feed.exhausted  # it stopped before the silence ran out


def test_a_source_in_another_format_is_converted_as_it_arrives(qtbot):
    # 22,050 Hz mono, as espeak-ng writes it, converted by the recorder.
    import subprocess
    import tempfile
    from pathlib import Path

    from tutor.domain.wav import wav_pcm

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "s.wav"
        subprocess.run(["espeak-ng", "-v", "es", "-w", str(out), "Hola"], check=True)
        info, raw = wav_pcm(out.read_bytes())
    recorder = Recorder()
    feed = LiveFeed(raw, rate_bytes=info.sample_rate * 2)
    recorder.start_from(feed, PcmConverter(SampleFormat.INT16, 1, info.sample_rate))
    qtbot.waitUntil(lambda: feed.exhausted, timeout=10_000)
    with qtbot.waitSignal(recorder.finished) as finished:
        recorder.stop()
    assert duration(finished.args[0].pcm) == pytest.approx(info.duration, abs=0.01)


class _NoDevices:
    @staticmethod
    def audioInputs() -> list[object]:  # noqa: N802 - Qt's name
        return []


def test_without_a_microphone_the_recorder_says_so_and_records_nothing(qtbot, monkeypatch):
    from tutor.ui.widgets import microphones

    monkeypatch.setattr(microphones, "QMediaDevices", _NoDevices)
    recorder = Recorder()
    with qtbot.waitSignal(recorder.failed) as failed:
        recorder.start("")
    assert "no microphone" in failed.args[0]
    assert not recorder.is_recording


def test_a_source_that_stops_sending_is_given_up_in_words(qtbot):
    recorder = Recorder()
    with qtbot.waitSignal(recorder.failed, timeout=5000) as failed:
        recorder.start_from(LiveFeed(SPEECH[:16000]), stalled_ms=300)
    assert "stopped sending sound" in failed.args[0] and not recorder.is_recording
