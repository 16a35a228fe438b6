"""A session's report: the figures at once, the model's summary when it arrives.

The report is kept with the session: opening it again shows what was written then. What
is made, asked and kept is services/reports.py's; this dialog shows it and runs the
summary off the GUI thread. If the summary fails, the figures stay and Try again is offered.
"""

from __future__ import annotations

import html
from functools import partial

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.report import Cost, SessionFigures, SessionSummary
from tutor.domain.session import PracticeSession
from tutor.i18n.formats import format_date, format_list, format_number, locale_in_use
from tutor.i18n.translate import _, ngettext
from tutor.llm.errors import ErrorKind, LlmError
from tutor.services import reports
from tutor.services.level_fit import session_fits
from tutor.services.server import NO_SERVER
from tutor.store.reports import SessionReport
from tutor.ui.review.report_fit import fit_rows
from tutor.ui.review.report_targets import target_rows
from tutor.ui.shell.context import AppContext

MESSAGE_LINK = "tutor:message/"
"""Where a model costs nothing, as services/reports.py decides it."""
NEW_WORDS_SHOWN = 40


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
        # Translators: the report window's title: "Report · Spanish · A2" (the session).
        self.setWindowTitle(_("Report · {session}").format(session=session.title))
        self.resize(620, 640)
        self._context = context
        self._session = session
        self._messages = messages
        self.view = QTextBrowser()
        # Translators: a session's report (a noun), as a screen reader names it.
        self.view.setAccessibleName(_("Report"))
        self.view.setOpenLinks(False)
        self.view.anchorClicked.connect(self._link)
        self.summary_button = QPushButton(_("Write the summary again"))
        self.summary_button.clicked.connect(self.write_summary)
        close = QPushButton(_("Close"))
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
        fits = partial(session_fits, context.level_fits, context.known_words, session, messages)
        self._report, new = reports.open_report(context, session, messages, fits)
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
            self._summary_failed(LlmError(ErrorKind.UNEXPECTED, _(NO_SERVER)))
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
            _("Try again") if report.summary is None else _("Write the summary again")
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
    parts = [
        f"<h2>{e(session.title)}</h2>",
        "<table cellspacing='0' cellpadding='3'>",
        *(f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in figure_rows(session, f)),
        "</table>",
    ]
    if f.mistakes_by_category:
        kinds = "".join(f"<li>{e(line)}</li>" for line in _mistake_kinds(f))
        kinds_heading = _("Mistakes by kind")
        parts.append(f"<h3>{e(kinds_heading)}</h3><ul>{kinds}</ul>")
    if f.new_words:
        heading = _("Words new in this session")
        parts.append(f"<h3>{e(heading)}</h3><p>{e(_new_words(f.new_words))}</p>")
    # Translators: the heading of the model's summary of the session in its report.
    heading = _("Summary")
    parts.append(f"<h3>{e(heading)}</h3>")
    if pending:
        writing = _("Writing the summary…")
        parts.append(f"<p><i>{e(writing)}</i></p>")
    elif report.summary is not None:
        parts.append(f"<p>{e(report.summary.went_well)}</p>")
        if report.summary.patterns:
            items = []
            for pattern in report.summary.patterns:
                links = " ".join(
                    f"<a href='{MESSAGE_LINK}{i}'>{e(_message_link(ordinals[i]))}</a>"
                    for i in pattern.message_ids
                    if i in ordinals
                )
                items.append(f"<li>{e(pattern.text)} {links}</li>")
            # Translators: the heading of what the learner should practise, in the report.
            heading = _("To work on")
            parts.append(f"<p><b>{e(heading)}</b></p><ul>{''.join(items)}</ul>")
    elif report.summary_error:
        parts.append(f"<p style='color:#b3261e'>{e(report.summary_error)}</p>")
    return "".join(parts)


def figure_rows(session: PracticeSession, f: SessionFigures) -> list[tuple[str, str]]:
    """The report's table: each figure's label and its value, in words and numbers of the
    interface language."""
    minutes = round(f.duration_minutes)
    return [
        # Translators: the day the session was held, in its report.
        (_("Date"), format_date(session.created_at.astimezone())),
        (_("Your messages"), format_number(f.turns)),
        (_("Words you wrote"), format_number(f.words_written)),
        (_("Mistakes"), format_number(f.mistakes)),
        (
            _("Messages without a mistake"),
            # Translators: of the learner's messages the coach checked, how many had no
            # mistake: "3 of 4 checked".
            ngettext(
                "{clean} of {count} checked", "{clean} of {count} checked", f.checked_messages
            ).format(
                clean=format_number(f.clean_messages), count=format_number(f.checked_messages)
            ),
        ),
        (
            _("New words"),
            # Translators: new words are not counted in Chinese, Japanese or Thai (no
            # spaces between words).
            _("not counted for this language")
            if f.new_words is None
            else format_number(len(f.new_words)),
        ),
        (
            # Translators: how long the session lasted, in the report.
            _("Time"),
            ngettext("{count} minute", "{count} minutes", minutes).format(
                count=format_number(minutes)
            ),
        ),
        (
            # Translators: the tokens (the units models are paid by) the session used.
            _("Tokens"),
            (
                _("{partner} for the partner, {coach} for the coach, {help} for help")
                if f.help_tokens.total_tokens
                else _("{partner} for the partner, {coach} for the coach")
            ).format(
                partner=format_number(f.partner_tokens.total_tokens),
                coach=format_number(f.coach_tokens.total_tokens),
                help=format_number(f.help_tokens.total_tokens),
            ),
        ),
        *_memory_rows(f),
        (_("Cost"), cost_words(f.cost, session)),
        *fit_rows(f),
        *target_rows(f),
    ]


def _memory_rows(f: SessionFigures) -> list[tuple[str, str]]:
    """The tokens spent reading the session for the facts the learner shared, if any."""
    spent = f.memory_tokens.total_tokens
    if not spent:
        return []
    # Translators: a row of the report: the tokens used to read the session for the
    # facts the learner shared about themselves (the partner's memory).
    words = ngettext(
        "{count} token to read what you shared", "{count} tokens to read what you shared", spent
    )
    return [(_("Memory"), words.format(count=format_number(spent)))]


def cost_words(cost: Cost, session: PracticeSession) -> str:
    """What the session cost, the sum in dollars as the interface language writes money.
    Worded here from the figures, not from the note kept with them (in the language of
    the day the report was made)."""
    if cost.dollars is None:
        return _("unknown: Tutor has no price for {model}").format(model=session.model)
    if cost.dollars == 0 and reports.runs_locally(session):
        return _("free: the model runs on your computer")
    from babel.numbers import format_currency

    # Prices per token are tiny: up to four decimals ("$0.0123"), two at least ("$1.50").
    amount = format_currency(
        round(cost.dollars, 4),
        "USD",
        locale=locale_in_use(),
        currency_digits=False,
        decimal_quantization=False,
    )
    # Translators: {amount} is in US dollars, as providers price their models.
    return _("about {amount} at list prices").format(amount=amount)


def _mistake_kinds(f: SessionFigures) -> list[str]:
    """ "Grammar: 3", a line a kind. The kinds are kept with the report as the domain's
    English labels (marked where they are written), so they are translated here."""
    return [
        # Translators: a line of the report's mistakes by kind: "Grammar: 3".
        _("{category}: {count}").format(category=_(label), count=format_number(count))
        for label, count in f.mistakes_by_category.items()
    ]


def _message_link(number: int) -> str:
    # Translators: a link to one of the learner's messages in the report, counted from
    # their first: "your message 3".
    return _("your message {number}").format(number=format_number(number))


def _new_words(words: tuple[str, ...]) -> str:
    """The session's new words as a list of the interface language ("a, b, and c"), the
    first NEW_WORDS_SHOWN of them, then how many more."""
    shown = list(words[:NEW_WORDS_SHOWN])
    more = len(words) - len(shown)
    if more > 0:
        # Translators: the last item of a list of new words that is cut short.
        shown.append(
            ngettext("{count} more", "{count} more", more).format(count=format_number(more))
        )
    return format_list(shown)
