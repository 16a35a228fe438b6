"""The reading aids' switch: a check box beside the session's title ("Pinyin",
"Furigana", "Romanization") and the Session menu's "Show reading aids", in step, for
the open session only, and only where its language has an aid; and "Copy with pinyin"
(furigana, romanization) in the conversation's menu for a selection in a reply.

The choice is kept with the session (services/reading_aids.py); the readings are drawn
by tutor/ui/chat/reading_overlay.py. Where the aid's library is not installed the switch
stays in view, turned off and disabled, and its tooltip names the package to install.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QCheckBox, QMenu

from tutor.domain.reading_aids import (
    AidKind,
    aid_for,
    missing_package,
    readings_within,
    with_readings,
)
from tutor.domain.session import PracticeSession
from tutor.i18n.translate import N_, _
from tutor.services.reading_aids import show_reading_aids
from tutor.ui.chat.chat_view import ChatView
from tutor.ui.chat.practice import PracticeController
from tutor.ui.chat.reading_overlay import ReadingOverlay
from tutor.ui.shell.context import AppContext

AID_NAMES = {
    # Translators: the switch for the readings of Chinese in Latin letters (pinyin).
    AidKind.PINYIN: N_("Pinyin"),
    # Translators: the switch for readings in kana over Japanese kanji (furigana).
    AidKind.FURIGANA: N_("Furigana"),
    # Translators: the switch for Korean written in Latin letters.
    AidKind.ROMANIZATION: N_("Romanization"),
}
COPY_WITH = {
    # Translators: in the conversation's context menu, for a selection of Chinese.
    AidKind.PINYIN: N_("Copy with pinyin"),
    # Translators: in the conversation's context menu, for a selection of Japanese.
    AidKind.FURIGANA: N_("Copy with furigana"),
    # Translators: in the conversation's context menu, for a selection of Korean.
    AidKind.ROMANIZATION: N_("Copy with romanization"),
}
AID_TIPS = {
    AidKind.PINYIN: N_("Show pinyin over the partner's Chinese"),
    AidKind.FURIGANA: N_("Show the readings of kanji (furigana) over the partner's Japanese"),
    AidKind.ROMANIZATION: N_("Show the partner's Korean in Latin letters above it"),
}


class ReadingAidControls(QObject):
    problem = Signal(str)  # the choice could not be kept, in words

    def __init__(
        self,
        context: AppContext,
        practice: PracticeController,
        view: ChatView,
        action: QAction,
    ) -> None:
        super().__init__(view)
        self._context = context
        self._practice = practice
        self._action = action
        self._session: PracticeSession | None = None
        self.overlay = ReadingOverlay(view, context.tasks)
        self.toggle = QCheckBox()
        self.toggle.setObjectName("readingAids")
        # Translators: the name of the switch for pinyin, furigana or romanization, for
        # screen readers before a session names the one it has.
        self.toggle.setAccessibleName(_("Reading aids"))
        self.toggle.hide()
        action.setCheckable(True)
        action.setEnabled(False)
        self.toggle.clicked.connect(self._chosen)
        action.triggered.connect(self._chosen)
        self.overlay.unavailable.connect(self._unavailable)
        self._view = view
        view.selection_actions.append(self._offer_copy)

    def show_session(self, session: PracticeSession | None) -> None:
        """The session now open (None: none): its language's switch, set as it chose."""
        self._session = session
        aid = aid_for(session.target_language) if session is not None else None
        if session is None or aid is None:
            self.toggle.hide()
            self._action.setEnabled(False)
            self._action.setChecked(False)
            self.overlay.set_shown(False)
            return
        self.overlay.set_language(session.target_language)
        self.toggle.setText(_(AID_NAMES[aid.kind]))
        self.toggle.setAccessibleName(_(AID_NAMES[aid.kind]))
        self.toggle.show()
        missing = missing_package(session.target_language)
        if missing is not None:
            self._unavailable(missing)
            return
        self.toggle.setEnabled(True)
        self._action.setEnabled(True)
        self.toggle.setToolTip(_(AID_TIPS[aid.kind]))
        self._action.setStatusTip(_(AID_TIPS[aid.kind]))
        self._show(session.reading_aids)

    def _show(self, shown: bool) -> None:
        self.toggle.setChecked(shown)
        self._action.setChecked(shown)
        self.overlay.set_shown(shown)

    def _chosen(self, shown: bool) -> None:
        session = self._session
        if session is None:
            return
        try:
            session = show_reading_aids(self._context, session.id, shown)
        except sqlite3.Error as error:
            self._show(session.reading_aids)
            self.problem.emit(
                _("The reading aids could not be switched: {error}").format(error=error)
            )
            return
        self._session = session
        self._practice.session_renamed(session)  # the controller keeps the session as stored
        self._show(shown)

    def _unavailable(self, package: str) -> None:
        """The aid's library is missing (or would not load): off, and why."""
        session = self._session
        aid = aid_for(session.target_language) if session is not None else None
        name = _(AID_NAMES[aid.kind]) if aid is not None else ""
        self._show(False)
        self.toggle.setEnabled(False)
        self._action.setEnabled(False)
        # Translators: {aid} is Pinyin, Furigana or Romanization; {package} a Python
        # package's name, as pip knows it.
        why = _(
            "{aid} needs the Python package “{package}”, which is not installed with "
            "Tutor here. Install it (pip install {package}) and start Tutor again."
        ).format(aid=name, package=package)
        self.toggle.setToolTip(why)
        self._action.setStatusTip(why)

    def _offer_copy(self, menu: QMenu, _selected: str) -> None:
        """ "Copy with pinyin" (furigana, romanization) for a selection within a reply
        whose readings are shown: the text and its readings as plain text, for notes."""
        where = self._view.selection_in_message()
        aid = aid_for(self._session.target_language) if self._session is not None else None
        if where is None or aid is None:
            return
        message_id, start, end = where
        text = self._view.message_text(message_id)
        readings = readings_within(self.overlay.readings_of(message_id), start, end)
        if text is None or not readings:
            return
        copied = with_readings(text[start:end], readings, aid.kind)
        action = menu.addAction(_(COPY_WITH[aid.kind]))
        action.triggered.connect(lambda: QApplication.clipboard().setText(copied))
