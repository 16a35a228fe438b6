"""The window's side of the session actions (tutor/services/session_actions.py): the
dialogs that ask for a name or a meaning, and the notice that offers Undo. The use case
does the work and says what changed; the views that show it refresh themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore
from PySide6.QtWidgets import QInputDialog, QMainWindow

from tutor.i18n.translate import _
from tutor.services import session_actions
from tutor.ui.chat.practice import PracticeController
from tutor.ui.shell.context import AppContext
from tutor.ui.shell.notice_bar import NoticeBar
from tutor.ui.shell.window_words import window_title


class SessionActionsUi:
    def __init__(
        self,
        window: QMainWindow,
        context: AppContext,
        practice: PracticeController,
        notice: NoticeBar,
        *,
        show_no_session: Callable[[], None],
        open_session: Callable[[int], None],
    ) -> None:
        self._window = window
        self._context = context
        self._practice = practice
        self._notice = notice
        self._show_no_session = show_no_session
        self._open_session = open_session
        self.rename_dialog: QInputDialog | None = None
        self.word_dialog: QInputDialog | None = None

    def rename(self, session_id: int) -> None:
        session = self._context.sessions.session(session_id)
        dialog = QInputDialog(self._window)
        dialog.setWindowTitle(_("Rename session"))
        dialog.setLabelText(_("Name (leave empty for the language, level and scenario):"))
        dialog.setTextValue(session.custom_title or "")
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(lambda text: self._renamed(session_id, text))
        self.rename_dialog = dialog
        dialog.open()

    def _renamed(self, session_id: int, title: str) -> None:
        renamed = session_actions.rename_session(self._context, session_id, title)
        current = self._practice.session
        if current is not None and current.id == session_id:
            self._practice.session_renamed(renamed)
            self._window.setWindowTitle(window_title(renamed))

    def delete(self, session_id: int) -> None:
        """Delete at once, with Undo until Tutor closes."""
        session = session_actions.delete_session(self._context, session_id)
        current = self._practice.session
        if current is not None and current.id == session_id:
            self._show_no_session()
        self._notice.say(
            _("Deleted “{session}”.").format(session=session.title),
            undo=lambda: self._undelete(session_id),
        )

    def _undelete(self, session_id: int) -> None:
        session_actions.restore_session(self._context, session_id)
        if self._practice.session is None:
            self._open_session(session_id)

    def save_word(self, word: str) -> None:
        """Ask what the selected word or phrase means, then keep it as a review card."""
        session = self._practice.session
        if session is None:
            return
        dialog = QInputDialog(self._window)
        dialog.setWindowTitle(_("Save to review"))
        dialog.setLabelText(_("“{word}”: what does it mean? (your own words)").format(word=word))
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        language = session.target_language
        dialog.textValueSelected.connect(lambda meaning: self._word_saved(language, word, meaning))
        self.word_dialog = dialog
        dialog.open()

    def _word_saved(self, language: str, word: str, meaning: str) -> None:
        try:
            session_actions.save_word(self._context, language, word, meaning)
        except ValueError as error:
            self._notice.say(str(error))
            return
        self._notice.say(_("Saved “{word}” to review.").format(word=word))
