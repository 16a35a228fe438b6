"""The bundle's entry point: PyInstaller starts here (packaging/tutor.spec).

With TUTOR_BUNDLE_CHECK=voice it runs the voice check instead of Tutor: the smoke check
(packaging/smoke_check.sh, tests/test_bundle.py) asks the built bundle whether it carries
Qt's speech and multimedia plugins, which Tutor loads only when it first speaks or
records, so a start of the window would not notice they are missing.
"""

import os
import sys


def voice_check() -> int:
    """Print the text-to-speech engines and the audio formats QtMultimedia can decode;
    0 if the `mock` engine speaks and the multimedia backend decodes WAV. No window, no
    sound, no speech-dispatcher needed."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtMultimedia import QMediaDevices, QMediaFormat
    from PySide6.QtTextToSpeech import QTextToSpeech

    app = QCoreApplication(sys.argv[:1])
    engines = QTextToSpeech.availableEngines()
    speech = QTextToSpeech("mock")
    # Empty without the multimedia plugin: no backend, nothing to decode with.
    decodes = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Decode)
    devices = QMediaDevices(app)
    print(f"voice check: text-to-speech engines: {', '.join(sorted(engines))}")
    voices = speech.availableVoices()
    print(f"voice check: mock engine: {speech.state().name}, {len(voices)} voices")
    print(f"voice check: decodes: {', '.join(sorted(f.name for f in decodes))}")
    print(f"voice check: audio outputs: {len(devices.audioOutputs())}")
    ready = speech.state() == QTextToSpeech.State.Ready and bool(voices)
    return 0 if ready and QMediaFormat.FileFormat.Wave in decodes else 1


if __name__ == "__main__":
    if os.environ.get("TUTOR_BUNDLE_CHECK") == "voice":
        sys.exit(voice_check())
    from tutor.app import main

    sys.exit(main())
