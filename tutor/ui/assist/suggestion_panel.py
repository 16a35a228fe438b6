"""A small panel above the composer with one to three ways to say something: the
answer to "how do I say…?" or a hint. Each has its note (when to use it, or what it
means) and a Use button that puts it in the composer; Esc or × closes the panel.

It only shows: what is asked and where a chosen option goes is the assist controller's
(tutor/ui/assist/assist.py).
"""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tutor.domain.say_help import Suggestion
from tutor.i18n.translate import _
from tutor.ui.widgets.bidi import interface_mark, isolate


class SuggestionPanel(QFrame):
    used = Signal(str)  # the option's text, for the composer
    retry_clicked = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpPanel")
        self.setAccessibleName(_("Help with what to say"))
        self.title = QLabel()
        self.title.setObjectName("helpTitle")
        self.title.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setProperty("state", "error")
        self.problem.setAccessibleName(_("Problem"))
        self.retry = QPushButton(_("Retry"))
        self.retry.setAccessibleName(_("Ask again"))
        self.retry.clicked.connect(self.retry_clicked)
        close = QPushButton("×")
        close.setFlat(True)
        close.setAccessibleName(_("Close"))
        close.setToolTip(_("Close (Esc)"))
        close.clicked.connect(self.close_panel)
        self.close_button = close
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(close, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        problem_row = QHBoxLayout()
        problem_row.addWidget(self.problem, 1)
        problem_row.addWidget(self.retry)
        self._options = QVBoxLayout()
        self._options.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 8)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addLayout(problem_row)
        layout.addLayout(self._options)
        self.use_buttons: list[QPushButton] = []
        self.option_labels: list[QLabel] = []
        escape = QShortcut(QKeySequence(QtCore.Qt.Key.Key_Escape), self)
        escape.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_panel)
        self.hide()

    def asking(self, title: str, status: str) -> None:
        """Shown while the model is asked: the question, and a quiet 'Asking…'."""
        self._show(title, status=status)

    def show_options(self, title: str, options: tuple[Suggestion, ...]) -> None:
        self._show(title)
        for option in options:
            self._add_option(option)
        if self.use_buttons:
            self.use_buttons[0].setFocus()

    def show_problem(self, title: str, problem: str, *, can_retry: bool = True) -> None:
        self._show(title, problem=problem, can_retry=can_retry)

    def show_note(self, title: str, note: str) -> None:
        """An instruction, no options (how to ask "how do I say…?")."""
        self._show(title, status=note)

    def close_panel(self) -> None:
        if self.isVisible():
            self.hide()
            self.closed.emit()

    def _show(
        self, title: str, *, status: str = "", problem: str = "", can_retry: bool = False
    ) -> None:
        self.title.setText(interface_mark() + title)
        self.status.setText(status)
        self.status.setVisible(bool(status))
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.retry.setVisible(bool(problem) and can_retry)
        self._clear_options()
        self.show()

    def _clear_options(self) -> None:
        while self._options.count():
            item = self._options.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        self.use_buttons = []
        self.option_labels = []

    def _add_option(self, option: Suggestion) -> None:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 2, 0, 2)
        words = QVBoxLayout()
        words.setSpacing(0)
        text = QLabel(interface_mark() + isolate(option.text))
        text.setObjectName("helpOption")
        text.setWordWrap(True)
        text.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        words.addWidget(text)
        if option.note:
            note = QLabel(interface_mark() + isolate(option.note))
            note.setObjectName("hint")
            note.setWordWrap(True)
            words.addWidget(note)
        line.addLayout(words, 1)
        # Translators: puts a suggested sentence into the message box, to edit and send.
        use = QPushButton(_("Use"))
        # Translators: {text} is a sentence in the language practised.
        use.setAccessibleName(_("Use “{text}”").format(text=option.text))
        use.setToolTip(_("Put it in your message, to edit and send"))
        use.clicked.connect(lambda _checked=False, chosen=option.text: self.used.emit(chosen))
        line.addWidget(use, 0, QtCore.Qt.AlignmentFlag.AlignVCenter)
        self._options.addWidget(row)
        self.use_buttons.append(use)
        self.option_labels.append(text)
