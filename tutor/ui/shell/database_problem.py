"""When the conversation file cannot be used at start: say why, and offer a safe way on.

A damaged file is never repaired in place, overwritten or deleted. The learner chooses:
start with a new, empty file (the damaged one is renamed to
`tutor.sqlite3.corrupt-<time>` beside it, where recovery tools can still read it) or
quit, which changes nothing. Any other problem (a file from a newer Tutor, a folder that
cannot be written) can only be fixed outside Tutor, so the dialog says what to do and
offers Quit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from tutor.i18n.translate import _
from tutor.store.database import (
    DatabaseCorruptError,
    DatabaseError,
    DatabaseTooNewError,
    set_aside_corrupt,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

TEXT_WIDTH = 460


class Choice(Enum):
    START_NEW = "start_new"
    QUIT = "quit"


@dataclass(frozen=True)
class Problem:
    title: str
    text: str
    """What happened and what each choice does, in plain words."""
    detail: str
    """The error itself, for a bug report (selectable)."""
    can_start_new: bool = False


def describe(error: Exception) -> Problem:
    """The dialog's words for a failure to open the conversation file."""
    detail = str(error)
    if isinstance(error, DatabaseCorruptError):
        # Translators: "Start with a new file" and "Quit" are the dialog's buttons, as
        # translated there; ".corrupt-" is part of a file name and stays as it is.
        text = _(
            "Tutor cannot read {file} in {folder}: part of it is damaged, perhaps by a disk "
            "fault.\n\n"
            "Start with a new file: Tutor keeps the damaged file beside it, renamed to "
            "{file}.corrupt-<date and time>, and opens a new, empty one. Nothing is deleted; "
            "tools such as sqlite3's .recover can often get conversations back from the kept "
            "file.\n\n"
            "Quit: Tutor closes and changes nothing."
        ).format(file=error.path.name, folder=error.path.parent)
        return Problem(_("Your conversation file is damaged"), text, detail, can_start_new=True)
    if isinstance(error, DatabaseTooNewError):
        return Problem(
            _("Your conversations are from a newer Tutor"),
            _(
                "A newer version of Tutor has written your conversation file, and this "
                "version cannot read it safely. Update Tutor to open it. The file was left "
                "exactly as it is."
            ),
            detail,
        )
    if isinstance(error, OSError):
        return Problem(
            _("Tutor cannot use its data folder"),
            _(
                "Tutor cannot create or open the files it keeps your conversations in. "
                "Check that the folder exists, is yours and has free space, then start "
                "Tutor again."
            ),
            detail,
        )
    return Problem(
        _("Tutor cannot open your conversations"),
        _(
            "The conversation file cannot be opened. Nothing was changed. The reason is "
            "below; fix it, then start Tutor again."
        ),
        detail,
    )


class DatabaseProblemDialog(QDialog):
    """The problem in words, with Start with a new file (when safe) and Quit."""

    def __init__(self, problem: Problem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = Choice.QUIT
        self.setWindowTitle("Tutor")
        self.setModal(True)
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(48, 48)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = QLabel(problem.title)
        self.title.setObjectName("problemTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.text = QLabel(problem.text)
        self.text.setWordWrap(True)
        self.text.setAccessibleName(_("What happened"))
        self.detail = QLabel(problem.detail)
        self.detail.setWordWrap(True)
        self.detail.setObjectName("problemDetail")
        self.detail.setAccessibleName(_("The error"))
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("color: palette(placeholder-text);")

        buttons = QDialogButtonBox()
        self.quit_button: QPushButton = buttons.addButton(
            _("Quit"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.start_new_button: QPushButton | None = None
        if problem.can_start_new:
            self.start_new_button = buttons.addButton(
                _("Start with a new file"), QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.start_new_button.setAccessibleName(_("Keep the damaged file and start a new one"))
        # Enter (or a stray click on the default) must never be the choice that changes
        # something: Quit is the default.
        self.quit_button.setDefault(True)
        self.quit_button.setAutoDefault(True)
        buttons.accepted.connect(self._start_new)
        buttons.rejected.connect(self.reject)

        # Word-wrapped labels in a dialog get a height for the wrong width unless the
        # width is known: a fixed text column, and a dialog sized to fit it.
        for label in (self.title, self.text, self.detail):
            label.setFixedWidth(TEXT_WIDTH)
        words = QVBoxLayout()
        words.setSpacing(10)
        words.addWidget(self.title)
        words.addWidget(self.text)
        words.addWidget(self.detail)
        row = QHBoxLayout()
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(words, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        self.quit_button.setFocus()

    def _start_new(self) -> None:
        self.choice = Choice.START_NEW
        self.accept()


def ask(problem: Problem) -> Choice:
    """Show the dialog and wait for the learner's choice (Quit if they close it)."""
    dialog = DatabaseProblemDialog(problem)
    dialog.exec()
    return dialog.choice


def open_or_ask(
    build: Callable[[], T], ask: Callable[[Problem], Choice] = ask
) -> tuple[T, str | None] | None:
    """`build()` (which opens the database), or the learner's choice when it cannot.

    Returns what build() returned and, after a damaged file was set aside, a line saying
    where it was kept; None when Tutor should quit.
    """
    try:
        return build(), None
    except DatabaseCorruptError as error:
        log.error("damaged conversation file: %s", error)
        if ask(describe(error)) is not Choice.START_NEW:
            return None
        try:
            kept = set_aside_corrupt(error.path)
        except OSError as failure:
            ask(describe(failure))
            return None
        log.warning("damaged conversation file kept as %s; starting a new one", kept)
        note = _(
            "Your damaged conversation file was kept as {file} in {folder}. This is a new, "
            "empty one."
        ).format(file=kept.name, folder=kept.parent)
    except (DatabaseError, OSError) as error:
        log.error("cannot open the conversation file: %s", error)
        ask(describe(error))
        return None
    try:
        return build(), note
    except (DatabaseError, OSError) as error:
        ask(describe(error))
        return None
