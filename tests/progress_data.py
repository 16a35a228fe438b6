"""A database with known contents for the Progress view's tests: sessions in Spanish and
Japanese with messages at set times, the coach's verdicts and marks (one dismissed),
session reports with the replies' fit, and review cards in each FSRS state."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

from tutor.domain.conversation import Role, TokenUsage
from tutor.domain.corrections import Category, CoachItem, CoachPath, CoachVerdict, build_marks
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.report import Cost, SessionFigures
from tutor.domain.review import Rating
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.store.corrections import CorrectionStore
from tutor.store.reports import ReportStore
from tutor.store.review_cards import ReviewStore
from tutor.store.sessions import SessionStore

MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
WEEK1 = date(2025, 3, 3)
WEEK3 = date(2025, 3, 17)


class Filler:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.sessions = SessionStore(connection)
        self.corrections = CorrectionStore(connection)
        self.reports = ReportStore(connection)
        self.review = ReviewStore(connection)

    def session(self, language: str, when: datetime) -> int:
        native = "en"
        session_id = self.sessions.create_session(
            LearnerProfile(language, Level.A2, native),
            FREE_CONVERSATION,
            base_url="http://127.0.0.1:8080/v1",
            model="m",
            system_message="s",
        ).id
        self.connection.execute(
            "UPDATE sessions SET created_at = ? WHERE id = ?", (when.isoformat(), session_id)
        )
        return session_id

    def say(
        self,
        session_id: int,
        text: str,
        when: datetime,
        *,
        items: tuple[CoachItem, ...] = (),
        corrected: str | None = None,
        checked: bool = True,
    ) -> int:
        message = self.sessions.add_message(session_id, Role.USER, text)
        self._at(message.id, when)
        if checked:
            verdict = CoachVerdict(corrected if corrected is not None else text, items)
            self.corrections.save(
                message.id,
                verdict,
                build_marks(text, verdict),
                model="m",
                path=CoachPath.PLAIN,
                usage=None,
            )
        else:
            self.corrections.fail(message.id, "The server had a problem (500).", "m")
        return message.id

    def reply(self, session_id: int, text: str, when: datetime) -> int:
        message = self.sessions.add_message(session_id, Role.ASSISTANT, text)
        self._at(message.id, when)
        return message.id

    def report(self, session_id: int, judged: int, share: float | None, too_hard: int) -> None:
        figures = SessionFigures(
            turns=1,
            words_written=1,
            mistakes_by_category={},
            clean_messages=0,
            checked_messages=0,
            new_words=None,
            duration_minutes=1.0,
            partner_tokens=TokenUsage(0, 0),
            coach_tokens=TokenUsage(0, 0),
            cost=Cost(0.0, "free"),
            fit_judged=judged,
            fit_mean_share=share,
            fit_too_hard=too_hard,
        )
        self.reports.save(session_id, figures)

    def card(self, language: str, word: str, ratings: tuple[Rating, ...]) -> None:
        now = MONDAY
        card = self.review.add_word(language, word, "meaning", now)
        for rating in ratings:
            now += timedelta(days=1)
            self.review.rate(card.id, int(rating), now)

    def _at(self, message_id: int, when: datetime) -> None:
        self.connection.execute(
            "UPDATE messages SET created_at = ? WHERE id = ?", (when.isoformat(), message_id)
        )


def fill_known(connection: sqlite3.Connection, start: datetime = MONDAY) -> None:
    """The contents every Progress test knows (figures in tests/test_progress.py).

    Spanish, in UTC:
    - Monday 3 March 2025, session A: learner 09:00 (5 words, one mistake), partner
      09:02, learner 09:04:30 (4 words, correct), partner 09:20:30 (16 minutes later:
      counts 5). Minutes 2 + 2.5 + 5 = 9.5. Its report: 2 replies judged, 90% known,
      1 too hard.
    - Wednesday 5 March, session B: learner 10:00 (2 words, the check failed), partner
      10:01. Minutes 1.
    - Week 2: nothing.
    - Monday 17 March, session C: learner 18:00 (5 words, two marks, one dismissed),
      partner 18:03. Minutes 3. Its report: 1 reply judged, 96% known, none too hard.
    - A deleted session on 4 March: counts for nothing.
    - Cards: one learning, one in review (learnt), one relearning after a lapse.
    Japanese: one session on 10 March (one learner message) and a card in review.
    `start`: another Monday at 09:00 to begin on (the dates move with it).
    """

    def at(days: float = 0, minutes: float = 0, seconds: float = 0) -> datetime:
        return start + timedelta(days=days, minutes=minutes, seconds=seconds)

    fill = Filler(connection)
    a = fill.session("es", at())
    fill.say(
        a,
        "Ayer yo fue al parque",
        at(),
        items=(CoachItem("fue", "fui", "Primera persona: fui.", Category.GRAMMAR),),
        corrected="Ayer yo fui al parque",
    )
    fill.reply(a, "¡Qué bien! ¿Con quién fuiste?", at(minutes=2))
    fill.say(a, "Me gusta el café", at(minutes=4, seconds=30))
    fill.reply(a, "A mí también me gusta.", at(minutes=20, seconds=30))
    fill.report(a, judged=2, share=0.9, too_hard=1)

    b = fill.session("es", at(days=2, minutes=60))
    fill.say(b, "Hola amigo", at(days=2, minutes=60), checked=False)
    fill.reply(b, "¡Hola! ¿Qué tal?", at(days=2, minutes=61))

    c = fill.session("es", at(days=14, minutes=540))
    text = "Quiero un mesa para dos"
    message = fill.say(
        c,
        text,
        at(days=14, minutes=540),
        items=(
            CoachItem("un mesa", "una mesa", "Mesa es femenino.", Category.GRAMMAR),
            CoachItem("dos", "dos personas", "Más claro.", Category.VOCABULARY),
        ),
        corrected="Quiero una mesa para dos personas",
    )
    fill.corrections.set_dismissed(message, 1, True)
    fill.reply(c, "Muy bien, ¿a qué hora?", at(days=14, minutes=543))
    fill.report(c, judged=1, share=0.96, too_hard=0)

    deleted = fill.session("es", at(days=1))
    fill.say(deleted, "Esto no cuenta para nada", at(days=1))
    fill.reply(deleted, "Vale.", at(days=1, minutes=3))
    connection.execute(
        "UPDATE sessions SET deleted_at = ? WHERE id = ?", (at(days=1).isoformat(), deleted)
    )

    fill.card("es", "la mesa", ())
    fill.card("es", "el parque", (Rating.EASY,))
    fill.card("es", "el café", (Rating.EASY, Rating.AGAIN))

    ja = fill.session("ja", at(days=7))
    fill.say(ja, "私は学生です", at(days=7))
    fill.card("ja", "学生", (Rating.EASY,))
