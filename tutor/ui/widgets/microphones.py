"""The computer's microphones through QtMultimedia: which there are, opening the one
chosen in Settings, and what went wrong with it, in words.

Imported on the first recording (or when Settings lists the microphones), never at
start-up: QtMultimedia loads its FFmpeg backend and the audio server's client library,
which the first paint must not wait for.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QIODevice, QMicrophonePermission, QObject, Qt
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSource, QMediaDevices, QtAudio

from tutor.domain.pcm_convert import PcmConverter, SampleFormat
from tutor.domain.wav import SAMPLE_RATE
from tutor.i18n.translate import N_, _

log = logging.getLogger(__name__)

NO_MICROPHONE = N_(
    "Tutor finds no microphone. Plug one in (or allow this computer's), then try again; "
    "you can go on writing meanwhile."
)
STOPPED_SENDING = N_(
    "The microphone stopped sending sound (was it unplugged?). Your text is untouched; "
    "check the microphone and try again."
)
REFUSED = N_(
    "Tutor may not use the microphone: the system refused it. Allow Tutor to use the "
    "microphone in the system's privacy settings, then try again."
)

_FORMATS = {
    QAudioFormat.SampleFormat.UInt8: SampleFormat.UINT8,
    QAudioFormat.SampleFormat.Int16: SampleFormat.INT16,
    QAudioFormat.SampleFormat.Int32: SampleFormat.INT32,
    QAudioFormat.SampleFormat.Float: SampleFormat.FLOAT,
}


def microphones() -> list[tuple[str, str]]:
    """(id, name) of each microphone, the system's default first."""
    default = QMediaDevices.defaultAudioInput()
    found = [(_id(d), d.description()) for d in QMediaDevices.audioInputs()]
    found.sort(key=lambda pair: pair[0] != _id(default))
    return found


def _id(device: QAudioDevice) -> str:
    return bytes(device.id().data()).decode("utf-8", "replace")


def speech_format() -> QAudioFormat:
    wanted = QAudioFormat()
    wanted.setSampleRate(SAMPLE_RATE)
    wanted.setChannelCount(1)
    wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return wanted


def open_microphone(
    microphone_id: str, parent: QObject
) -> tuple[QAudioSource, QIODevice, PcmConverter] | str:
    """The chosen microphone, recording: its source, the stream to read and the
    converter from its format; or why it cannot record, in words."""
    refused = _permission_refused(parent)
    if refused is not None:
        return refused
    devices = QMediaDevices.audioInputs()
    if not devices:
        return _(NO_MICROPHONE)
    device = next((d for d in devices if _id(d) == microphone_id), None)
    if device is None:
        if microphone_id:
            log.info("microphone %r is gone; using the default", microphone_id)
        default = QMediaDevices.defaultAudioInput()
        device = default if not default.isNull() else devices[0]
    audio_format = speech_format()
    if not device.isFormatSupported(audio_format):
        audio_format = device.preferredFormat()  # recorded as it is, converted as it comes
        log.info(
            "microphone records %d Hz, %d channels, %s: converting",
            audio_format.sampleRate(),
            audio_format.channelCount(),
            audio_format.sampleFormat(),
        )
    kind = _FORMATS.get(audio_format.sampleFormat())
    if kind is None:
        return _unusable(device)
    try:
        converter = PcmConverter(kind, audio_format.channelCount(), audio_format.sampleRate())
    except ValueError:
        return _unusable(device)
    source = QAudioSource(device, audio_format, parent)
    stream = source.start()
    problem = source_problem(source)
    if stream is None or problem is not None:
        source.stop()
        source.deleteLater()
        return problem or _unusable(device)
    return source, stream, converter


def source_problem(source: Any) -> str | None:
    """What is wrong with a QAudioSource, in words; None while it works."""
    error = source.error()
    if error == QtAudio.Error.NoError or error == QtAudio.Error.UnderrunError:
        return None  # an underrun is a late read, not a broken microphone
    if error == QtAudio.Error.OpenError:
        return _(
            "The microphone could not be opened: another program may be using it, or "
            "the system refused it. Close the other program or choose another "
            "microphone in Settings → Voice."
        )
    if error == QtAudio.Error.IOError:
        return _(STOPPED_SENDING)
    return _(
        "The microphone failed. Choose another in Settings → Voice, or check it in the "
        "system's sound settings."
    )


def _unusable(device: QAudioDevice) -> str:
    return _(
        "The microphone “{name}” offers no sound format Tutor can record. Choose another "
        "in Settings → Voice."
    ).format(name=device.description())


def _permission_refused(parent: QObject) -> str | None:
    """The system's answer about the microphone (macOS, Flatpak portals): asked for when
    undecided, refused when denied. Linux without portals always grants it."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    permission = QMicrophonePermission()
    status = app.checkPermission(permission)
    if status == Qt.PermissionStatus.Denied:
        return _(REFUSED)
    if status == Qt.PermissionStatus.Undetermined:
        app.requestPermission(permission, parent, lambda _p: None)
        return _(
            "Tutor asked the system for the microphone. Allow it, then press the "
            "microphone button again."
        )
    return None
