"""A session's report: the figures at once, the model's summary when it arrives.

The report is kept with the session: opening it again shows what was written then. What
is made, asked and kept is services/reports.py's; this dialog shows it and runs the
summary off the GUI thread. If the summary fails, the figures stay and Try again is offered.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.report import SessionSummary
from tutor.domain.session import PracticeSession
from tutor.llm.errors import ErrorKind, LlmError
from tutor.services import reports
from tutor.services.server import NO_SERVER
from tutor.store.reports import SessionReport
from tutor.ui.shell.context import AppContext

MESSAGE_LINK = "tutor:message/"


class ReportDialog(QDialog):
    message_requested = Signal(int, int)  # session id, message id

    def __init__(
        self,
        context: AppContext,
        session: PracticeSession,
        messages: list[ChatMessage],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Report · {session.title}")
        self.resize(620, 640)
        self._context = context
        self._session = session
        self._messages = messages
        self.view = QTextBrowser()
        self.view.setAccessibleName("Report")
        self.view.setOpenLinks(False)
        self.view.anchorClicked.connect(self._link)
        self.summary_button = QPushButton("Write the summary again")
        self.summary_button.clicked.connect(self.write_summary)
        close = QPushButton("Close")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.summary_pending = False
        # Only this dialog writes the session's report: it is read once, then each write
        # gives back what was kept.
        self._report, new = reports.open_report(context, session, messages)
        self._show(self._report)
        if new:
            self.write_summary()

    @property
    def report(self) -> SessionReport:
        return self._report

    def write_summary(self) -> None:
        """Ask the model for the summary, off the GUI thread."""
        context, session, messages = self._context, self._session, self._messages
        model = context.coach_model()
        if model is None:
            self._summary_failed(LlmError(ErrorKind.UNEXPECTED, NO_SERVER))
            return
        self.summary_pending = True
        self.summary_button.setEnabled(False)
        self._show(self.report)
        context.tasks.run(
            lambda: reports.ask_summary(context, model, session.profile, messages),
            lambda summary: self._summarized(summary, model),
            self._summary_failed,
            owner=self,
        )

    def _summarized(self, summary: SessionSummary, model: str) -> None:
        self._report = reports.keep_summary(self._context, self._report, summary, model)
        self._done()

    def _summary_failed(self, error: Exception) -> None:
        self._report = reports.keep_failed_summary(
            self._context, self._session, self._report, error
        )
        self._done()

    def _done(self) -> None:
        self.summary_pending = False
        self.summary_button.setEnabled(True)
        report = self._report
        self.summary_button.setText(
            "Try again" if report.summary is None else "Write the summary again"
        )
        self._show(report)

    def _show(self, report: SessionReport | None) -> None:
        if report is None:
            return
        learner = [m.id for m in self._messages if m.role is Role.USER]
        ordinals = {message_id: n for n, message_id in enumerate(learner, 1)}
        self.view.setHtml(
            report_html(self._session, report, pending=self.summary_pending, ordinals=ordinals)
        )

    def _link(self, url: QUrl) -> None:
        link = url.toString()
        if link.startswith(MESSAGE_LINK) and link[len(MESSAGE_LINK) :].isdigit():
            self.message_requested.emit(self._session.id, int(link[len(MESSAGE_LINK) :]))


def report_html(
    session: PracticeSession,
    report: SessionReport,
    *,
    pending: bool,
    ordinals: dict[int, int],
) -> str:
    """The report as HTML in which every piece of text is escaped; `ordinals` number the
    learner's messages (1 = their first) for the links."""
    e = html.escape
    f = report.figures
    rows = [
        ("Your messages", f"{f.turns}"),
        ("Words you wrote", f"{f.words_written:,}"),
        ("Mistakes", f"{f.mistakes}"),
        ("Messages without a mistake", f"{f.clean_messages} of {f.checked_messages} checked"),
        (
            "New words",
            "not counted for this language" if f.new_words is None else f"{len(f.new_words)}",
        ),
        ("Time", f"{round(f.duration_minutes)} minutes"),
        (
            "Tokens",
            f"{f.partner_tokens.total_tokens:,} for the partner, "
            f"{f.coach_tokens.total_tokens:,} for the coach",
        ),
        ("Cost", f.cost.note),
    ]
    parts = [
        f"<h2>{e(session.title)}</h2>",
        "<table cellspacing='0' cellpadding='3'>",
        *(f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in rows),
        "</table>",
    ]
    if f.mistakes_by_category:
        kinds = "".join(
            f"<li>{e(label)}: {count}</li>" for label, count in f.mistakes_by_category.items()
        )
        parts.append(f"<h3>Mistakes by kind</h3><ul>{kinds}</ul>")
    if f.new_words:
        shown = ", ".join(e(word) for word in f.new_words[:40])
        more = f" and {len(f.new_words) - 40} more" if len(f.new_words) > 40 else ""
        parts.append(f"<h3>Words new in this session</h3><p>{shown}{more}</p>")
    parts.append("<h3>Summary</h3>")
    if pending:
        parts.append("<p><i>Writing the summary…</i></p>")
    elif report.summary is not None:
        parts.append(f"<p>{e(report.summary.went_well)}</p>")
        if report.summary.patterns:
            items = []
            for pattern in report.summary.patterns:
                links = " ".join(
                    f"<a href='{MESSAGE_LINK}{i}'>your message {ordinals[i]}</a>"
                    for i in pattern.message_ids
                    if i in ordinals
                )
                items.append(f"<li>{e(pattern.text)} {links}</li>")
            parts.append(f"<p><b>To work on</b></p><ul>{''.join(items)}</ul>")
    elif report.summary_error:
        parts.append(f"<p style='color:#b3261e'>{e(report.summary_error)}</p>")
    return "".join(parts)
