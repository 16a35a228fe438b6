"""The card that says what a mark means, opened by a click or by Enter on the mark.

It shows the category, the change and the explanation, and lets the learner disagree
("That was right") or take that back. Esc or a click elsewhere closes it.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tutor.domain.corrections import Mark, change_text
from tutor.i18n.translate import _


class MarkCard(QFrame):
    dismissed_changed = Signal(int, int, bool)  # message id, mark position, dismissed

    def __init__(
        self,
        message_id: int,
        position: int,
        mark: Mark,
        text: str,
        *,
        show_explanation: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("markCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAccessibleName(_("Correction"))
        self._message_id = message_id
        self._position = position
        self._mark = mark

        self.category = QLabel(mark.category.label)
        self.category.setObjectName("markCategory")
        self.change = QLabel(change_text(mark, text))
        self.change.setObjectName("markChange")
        self.change.setWordWrap(True)
        self.change.setTextFormat(Qt.TextFormat.PlainText)
        bigger = self.change.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.25)
        self.change.setFont(bigger)
        self.explanation = QLabel(mark.explanation)
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setVisible(show_explanation and bool(mark.explanation))
        self.dismiss_button = QPushButton(
            _("Count it again") if mark.dismissed else _("That was right")
        )
        self.dismiss_button.setToolTip(
            _("Count this mark as a mistake again")
            if mark.dismissed
            else _("You disagree: the mark stays visible but is not counted")
        )
        self.dismiss_button.clicked.connect(self._toggle_dismissed)
        close_button = QPushButton(_("Close"))
        close_button.clicked.connect(self.close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.category)
        layout.addWidget(self.change)
        layout.addWidget(self.explanation)
        if mark.dismissed:
            note = QLabel(_("You marked this as right; it is not counted."))
            note.setWordWrap(True)
            layout.addWidget(note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(close_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(280)
        self.setMaximumWidth(440)

    def show_at(self, point: QPoint) -> None:
        """Show below `point`, kept on the screen, with the keyboard on the first button."""
        self.adjustSize()
        screen = QGuiApplication.screenAt(point) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        x = min(max(point.x(), area.left()), area.right() - self.width())
        y = point.y() if point.y() + self.height() <= area.bottom() else point.y() - self.height()
        self.move(x, max(y, area.top()))
        self.show()
        self.dismiss_button.setFocus()

    def _toggle_dismissed(self) -> None:
        self.dismissed_changed.emit(self._message_id, self._position, not self._mark.dismissed)
        self.close()
