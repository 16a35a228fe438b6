"""The windows and dialogs the main window opens: settings, the scenario picker, the
system message, a mark's card, a session's report, the review, the mistakes notebook,
About. Each is made when first asked for (its module imported then, not at start-up)
and kept here while open, so the window can close the ones still waiting on the
network when it closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6 import QtCore
from PySide6.QtWidgets import QMainWindow

from tutor import __version__
from tutor.i18n.translate import _

if TYPE_CHECKING:
    from PySide6.QtCore import QPoint

    from tutor.domain.profile import LearnerProfile
    from tutor.domain.scenarios import Scenario
    from tutor.ui.chat.mark_card import MarkCard
    from tutor.ui.chat.practice import PracticeController
    from tutor.ui.chat.system_message_dialog import SystemMessageDialog
    from tutor.ui.review.notebook_window import NotebookWindow
    from tutor.ui.review.report_dialog import ReportDialog
    from tutor.ui.review.review_window import ReviewWindow
    from tutor.ui.scenarios.scenario_picker import ScenarioPicker
    from tutor.ui.setup.setup_dialogs import SettingsDialog
    from tutor.ui.shell.context import AppContext
    from tutor.ui.shell.due_count import DueCount
    from tutor.ui.shell.practice_mistakes import PracticeMistakes


class WindowDialogs:
    def __init__(
        self,
        window: QMainWindow,
        context: AppContext,
        practice: PracticeController,
        *,
        open_message: Callable[[int, int], None],
        due_count: DueCount,
    ) -> None:
        self._window = window
        self._context = context
        self._practice = practice
        self._open_message = open_message
        self._due_count = due_count
        self.settings_dialog: SettingsDialog | None = None
        self.system_dialog: SystemMessageDialog | None = None
        self.mark_card: MarkCard | None = None
        self.scenario_picker: ScenarioPicker | None = None
        self.report_dialog: ReportDialog | None = None
        self.notebook_window: NotebookWindow | None = None
        self.notebook_practice: PracticeMistakes | None = None
        self.review_window: ReviewWindow | None = None

    def open_settings(self, saved: Callable[[str | None], None]) -> None:
        """Settings; `saved` gets the keyring's message (if any) once they are saved."""
        from tutor.ui.setup.setup_dialogs import SettingsDialog
        from tutor.ui.voice.sampler import VoiceSampler

        voices = VoiceSampler(self._context, self._context.speech_engine)
        dialog = SettingsDialog(self._context, self._window, voices)
        voices.setParent(dialog)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: saved(dialog.key_message))
        from tutor.ui.shell.memory_parts import add_facts_button  # what your partner knows

        add_facts_button(dialog.buttons, self._context, dialog)
        self.settings_dialog = dialog
        dialog.open()

    def open_scenario_picker(
        self, profile: LearnerProfile, chosen: Callable[[LearnerProfile, Scenario], None]
    ) -> None:
        from tutor.ui.scenarios.scenario_picker import ScenarioPicker

        picker = ScenarioPicker(self._context, profile, self._window)
        picker.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.scenario_chosen.connect(lambda scenario: chosen(profile, scenario))
        self.scenario_picker = picker
        picker.open()

    def show_system_message(self) -> None:
        if self._practice.session is None:
            return
        from tutor.ui.chat.system_message_dialog import SystemMessageDialog

        session = self._practice.session
        steering = self._context.partner_steering().steering(session, self._practice.messages)
        dialog = SystemMessageDialog(session, self._window, steering)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.system_dialog = dialog
        dialog.open()

    def show_mark(self, message_id: int, position: int, where: QPoint) -> None:
        """Open the card that explains a mark and lets the learner disagree with it."""
        message = next((m for m in self._practice.messages if m.id == message_id), None)
        correction = message.correction if message is not None else None
        if message is None or correction is None or position >= len(correction.marks):
            return
        if self.mark_card is not None:
            self.mark_card.close()
        from tutor.ui.chat.mark_card import MarkCard

        card = MarkCard(
            message_id,
            position,
            correction.marks[position],
            message.text,
            show_explanation=self._context.settings.corrections.explanations,
            parent=self._window,
        )
        card.dismissed_changed.connect(self._practice.set_dismissed)
        card.destroyed.connect(lambda: setattr(self, "mark_card", None))
        self.mark_card = card
        card.show_at(where)

    def show_report(self, session_id: int | None = None) -> None:
        """The report of a session (the open one by default), made now if it has none."""
        current = self._practice.session
        if session_id is None or (current is not None and current.id == session_id):
            if current is None:
                return
            session, messages = current, self._practice.messages
        else:
            from tutor.services.conversations import stored_conversation

            context = self._context
            session, messages = stored_conversation(
                context.sessions, context.corrections, session_id
            )
        from tutor.ui.review.report_dialog import ReportDialog

        dialog = ReportDialog(self._context, session, messages, self._window)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.message_requested.connect(self._open_message)
        self.report_dialog = dialog
        dialog.open()

    def show_review(self) -> None:
        from tutor.ui.review.review_window import ReviewWindow

        window = ReviewWindow(self._context, self._window)
        window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        # A rating says Change.CARDS on the hub, which the count follows; closing counts
        # again for the cards that came due meanwhile.
        window.finished.connect(lambda _code: self._due_count.refresh())  # time passed
        self.review_window = window
        window.open()

    def show_notebook(self) -> None:
        """Every mistake across sessions; not modal, so the learner can jump to several."""
        if self.notebook_window is not None and shiboken6.isValid(self.notebook_window):
            self.notebook_window.refresh()
            self.notebook_window.raise_()
            return
        from tutor.ui.review.notebook_window import NotebookWindow

        window = NotebookWindow(self._context, self._window)
        window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        window.message_requested.connect(self._open_message)
        self.notebook_window = window
        self._offer_practice(window)
        from tutor.ui.shell.progress_parts import offer_in_notebook

        offer_in_notebook(window, self._window)  # the learner's progress in the language
        window.show()

    def _offer_practice(self, window: NotebookWindow) -> None:
        """ "Practise my mistakes" in the notebook: starts the scenario written."""
        from tutor.services.session_actions import next_session_profile
        from tutor.ui.shell.practice_mistakes import offer_in_notebook

        context, practice = self._context, self._practice
        self.notebook_practice = offer_in_notebook(
            context,
            window,
            lambda: next_session_profile(context.settings.learner, practice.session),
            practice.start_session,
        )

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self._window,
            _("About Tutor"),
            _(
                "Tutor {version}\nA conversation partner for language learners.\n\nData: {folder}"
            ).format(version=__version__, folder=self._context.paths.data_dir),
        )

    def close_waiting(self) -> None:
        """Close the dialogs that may be waiting on the network, so no late answer
        reaches a closed store."""
        for dialog in (self.report_dialog, self.settings_dialog, self.review_window):
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.close()
