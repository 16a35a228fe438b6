"""The scenario's goals as a checklist beside the conversation.

A goal is ticked when the coach finds a learner message that does it; the tick links to
that message. When every goal is met, the panel offers to end the session or go on.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext

UNMET = "☐"
MET = "☑"


class GoalsPanel(QFrame):
    message_requested = Signal(int)  # message id: show the message that met a goal
    end_requested = Signal()
    continue_requested = Signal()  # take an ended session up again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goals")
        self.setAccessibleName(_("Goals"))
        self.setFixedWidth(230)
        self.title = QLabel(_("Goals"))
        self.title.setObjectName("goalsTitle")
        self._list = QVBoxLayout()
        self._list.setSpacing(6)
        self.goal_labels: list[QLabel] = []

        self.offer = QLabel(_("Every goal is met. Well done!"))
        self.offer.setWordWrap(True)
        self.offer.setObjectName("goalsOffer")
        self.end_button = QPushButton(_("End session"))
        self.end_button.clicked.connect(self.end_requested)
        self.keep_button = QPushButton(_("Keep talking"))
        self.keep_button.setToolTip(_("Go on talking freely in this session"))
        self.keep_button.clicked.connect(self._keep_talking)
        self.ended = QLabel(_("This session has ended."))
        self.ended.setWordWrap(True)
        self.ended.setObjectName("hint")
        self.continue_button = QPushButton(_("Continue it"))
        self.continue_button.clicked.connect(self.continue_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.end_button)
        buttons.addWidget(self.keep_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.title)
        layout.addLayout(self._list)
        layout.addSpacing(8)
        layout.addWidget(self.offer)
        layout.addLayout(buttons)
        layout.addWidget(self.ended)
        layout.addWidget(self.continue_button)
        layout.addStretch(1)
        self._kept_talking = False
        self._all_met = False
        self._has_ended = False

    def show_goals(self, goals: tuple[str, ...] | list[str], met: dict[int, int | None]) -> None:
        """Show these goals (hidden when there are none), ticking those met."""
        if len(self.goal_labels) != len(goals):
            for label in self.goal_labels:
                self._list.removeWidget(label)
                label.hide()  # deleted later; hidden now, so it never shows stale
                label.deleteLater()
            self.goal_labels = [self._new_label() for _goal in goals]
        for index, (label, goal) in enumerate(zip(self.goal_labels, goals, strict=True)):
            self._write(label, goal, index in met, met.get(index))
        done = sum(1 for index in range(len(goals)) if index in met)
        # Translators: the goals panel's title: how many of the scenario's goals are met.
        title = ngettext("Goals · {done} of {total}", "Goals · {done} of {total}", len(goals))
        self.title.setText(title.format(done=format_number(done), total=format_number(len(goals))))
        self._all_met = bool(goals) and done == len(goals)
        self.setVisible(bool(goals))
        self._update_offer()

    def _new_label(self) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        label.linkActivated.connect(self._link)
        self._list.addWidget(label)
        return label

    def set_ended(self, ended: bool) -> None:
        self._has_ended = ended
        self._update_offer()

    def new_session(self) -> None:
        self._kept_talking = False

    def _write(self, label: QLabel, goal: str, met: bool, message_id: int | None) -> None:
        text = html.escape(goal)  # goal text is data, never markup
        if met:
            # Translators: a link after a goal met, to the message that met it.
            see = html.escape(_("see"))
            link = f' <a href="message:{message_id}">{see}</a>' if message_id is not None else ""
            label.setText(f"<span style='color:#1b7f3b'>{MET}</span> {text}{link}")
            label.setAccessibleName(_("Met: {goal}").format(goal=goal))
        else:
            label.setText(f"{UNMET} {text}")
            label.setAccessibleName(_("Not met yet: {goal}").format(goal=goal))

    def _link(self, href: str) -> None:
        kind, _colon, value = href.partition(":")
        if kind == "message" and value.isdigit():
            self.message_requested.emit(int(value))

    def _keep_talking(self) -> None:
        self._kept_talking = True
        self._update_offer()

    def _update_offer(self) -> None:
        offer = self._all_met and not self._kept_talking and not self._has_ended
        for widget in (self.offer, self.end_button, self.keep_button):
            widget.setVisible(offer)
        self.ended.setVisible(self._has_ended)
        self.continue_button.setVisible(self._has_ended)
