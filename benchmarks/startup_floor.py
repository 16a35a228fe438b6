"""The floor for start-up: a bare PySide6 script that shows an empty QMainWindow.

Run: .venv/bin/python -m benchmarks.startup_floor
It measures exactly as `tutor --measure-startup` does (tutor/app.py): from the process
start in /proc/self/stat to the end of the window's first paint, and prints the same
line. It imports nothing from Tutor, so it costs what Qt alone costs.
"""

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def process_age_ms() -> float:
    """The same clock as tutor.ui.shell.startup_timing.process_age_ms (Linux)."""
    with Path("/proc/self/stat").open() as stat:
        fields = stat.read().rpartition(")")[2].split()
    started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
    return (time.clock_gettime(time.CLOCK_BOOTTIME) - started) * 1000


class FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, report)
        return False


def report() -> None:
    print(f"{process_age_ms():.1f} ms from process start to the first painted window")
    sys.stdout.flush()
    QApplication.quit()


def main() -> int:
    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.setWindowTitle("Floor")
    window.resize(1000, 720)  # Tutor's default size: the same area to paint
    window.show()
    window.installEventFilter(FirstPaint(window))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
