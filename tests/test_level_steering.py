"""Steering the partner when its replies keep missing the learner's level: the rule, the
learner's known words from the store, and the one place a request carries it."""

from __future__ import annotations

import json

from tutor.domain.conversation import ChatMessage, MessageState, Role, utc_now
from tutor.domain.corrections import Category, CoachPath, CoachVerdict, Mark, MarkKind
from tutor.domain.level_bands import Verdict
from tutor.domain.level_fit import LevelFit, TextWord
from tutor.domain.level_steering import level_steering
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.services.changes import ChangeHub
from tutor.services.level_fit import LevelFits
from tutor.services.turns import Turns
from tutor.store.corrections import CorrectionStore
from tutor.store.database import open_database
from tutor.store.known_words import KnownWordStore
from tutor.store.sessions import SessionStore

HARD = "El ornitorrinco menesteroso deambulaba soterrado entre sus díscolos congéneres."
EASY = "Hola, me llamo Ana. Vivo en una casa pequeña con mi familia."
MARK = Mark(0, "Yo soy", "Soy", MarkKind.CHANGE, Category.GRAMMAR)
VERY_EASY = "Mi casa es muy grande y mi perro es muy pequeño. Me gusta mucho."


def fit(verdict: Verdict, known: int = 10, hard: tuple[str, ...] = ()) -> LevelFit:
    words = tuple(TextWord(word, 0, 0) for word in hard)
    return LevelFit(verdict, known + len(hard), known, words, "es")


def test_two_of_three_too_hard_asks_for_everyday_words_naming_the_hard_ones() -> None:
    recent = [
        fit(Verdict.TOO_HARD, hard=("ornitorrinco", "soterrado")),
        fit(Verdict.FITS),
        fit(Verdict.TOO_HARD, hard=("díscolos", "ornitorrinco")),
    ]
    instruction = level_steering(Level.A1, recent)
    assert instruction is not None
    assert '"díscolos", "ornitorrinco", "soterrado"' in instruction  # newest first, once each
    assert "common everyday words a learner at A1 knows" in instruction
    assert level_steering(Level.A1, recent[:2]) is None  # one too hard is not a habit
    # The window moves on: two replies that fit and the instruction is gone.
    assert level_steering(Level.A1, [*recent, fit(Verdict.FITS), fit(Verdict.FITS)]) is None


def test_replies_far_too_easy_ask_an_advanced_learner_for_richer_words() -> None:
    easy = [fit(Verdict.FITS, known=300)] * 3
    instruction = level_steering(Level.C1, easy)
    assert instruction is not None and "richer vocabulary" in instruction
    assert level_steering(Level.A2, easy) is None  # a beginner is never steered up
    assert level_steering(Level.C1, easy[:2]) is None
    nearly = [*easy[:2], fit(Verdict.FITS, known=100, hard=("x",))]  # 99.0%
    assert level_steering(Level.C1, nearly) is None


def test_replies_that_cannot_be_judged_never_steer() -> None:
    unjudged = [LevelFit(Verdict.CANNOT_JUDGE), LevelFit(Verdict.TOO_SHORT)] * 3
    assert level_steering(Level.A1, unjudged) is None
    assert level_steering(Level.C2, unjudged) is None


def test_known_words_are_the_learner_messages_the_coach_left_unmarked(tmp_path) -> None:
    connection = open_database(tmp_path / "tutor.sqlite3")
    sessions, corrections = SessionStore(connection), CorrectionStore(connection)
    profile = LearnerProfile("es", Level.A1, "en")
    session = sessions.create_session(
        profile, FREE_CONVERSATION, base_url="u", model="m", system_message="s"
    )
    clean = sessions.add_message(session.id, Role.USER, "Nadé en el mar", checking_with="c")
    marked = sessions.add_message(session.id, Role.USER, "Yo soy ornitorrinco", checking_with="c")
    unchecked = sessions.add_message(session.id, Role.USER, "Me gusta la manzana")
    for message, marks in ((clean, ()), (marked, (MARK,))):
        verdict = CoachVerdict("Soy ornitorrinco" if marks else message.text, ())
        corrections.save(message.id, verdict, marks, model="c", path=CoachPath.PLAIN, usage=None)
    store = KnownWordStore(connection)
    assert store.correct_messages("es") == [(clean.id, "Nadé en el mar")]
    assert store.correct_messages("fr") == []
    assert unchecked.id not in dict(store.correct_messages("es"))
    # The learner says the mark was wrong: the message was correct after all.
    corrections.set_dismissed(marked.id, 0, True)
    assert [i for i, _ in store.correct_messages("es")] == [clean.id, marked.id]
    connection.close()


def reply(message_id: int, text: str) -> ChatMessage:
    return ChatMessage(message_id, 1, Role.ASSISTANT, text, utc_now())


def test_the_partner_request_carries_the_instruction_until_replies_fit(tmp_path) -> None:
    connection = open_database(tmp_path / "tutor.sqlite3")
    sessions, corrections = SessionStore(connection), CorrectionStore(connection)
    fits = LevelFits()
    turns = Turns(sessions, corrections, ChangeHub(), steering=fits)
    session = turns.start_session(
        LearnerProfile("es", Level.A1, "en"), FREE_CONVERSATION, base_url="u", model="m"
    )
    history = [reply(1, HARD), reply(2, EASY), reply(3, HARD)]
    measured = fits.measure(history, "es", Level.A1)
    assert [measured[i].verdict for i in (1, 2, 3)] == [
        Verdict.TOO_HARD,
        Verdict.FITS,
        Verdict.TOO_HARD,
    ]
    started = turns.start_reply(session, history, budget_tokens=6000, model="m")
    system = started.request[0]["content"]
    assert system.startswith(session.system_message)
    assert "too hard for this A1 learner" in system and '"ornitorrinco"' in system
    # Replies fit again: the next request is the system message alone.
    history += [reply(4, EASY), reply(5, VERY_EASY)]
    fits.measure(history, "es", Level.A1)
    started = turns.start_reply(session, history, budget_tokens=6000, model="m")
    assert started.request[0]["content"] == session.system_message
    # A reply not measured yet (its words still loading) never blocks or steers.
    assert LevelFits().steering(session, [reply(1, HARD)] * 3) is None
    connection.close()


def test_a_reply_still_arriving_or_cut_off_is_not_measured() -> None:
    fits = LevelFits()
    streaming = reply(1, HARD).with_changes(state=MessageState.STREAMING)
    cut = reply(2, HARD).with_changes(state=MessageState.CUT_OFF)
    learner = ChatMessage(3, 1, Role.USER, HARD, utc_now())
    assert fits.measure([streaming, cut, learner], "es", Level.A1) == {}
    assert fits.fit(streaming) is None


def test_the_report_counts_the_replies_fit_and_reads_reports_kept_before(tmp_path) -> None:
    from tutor.domain.conversation import TokenUsage
    from tutor.domain.report import session_figures
    from tutor.store.reports import ReportStore
    from tutor.ui.review.report_fit import fit_rows

    fits = [
        fit(Verdict.FITS, known=19, hard=("a",)),  # 95%
        fit(Verdict.TOO_HARD, known=8, hard=("b", "c")),  # 80%
        LevelFit(Verdict.TOO_SHORT),
    ]
    figures = session_figures(
        "es",
        [],
        known_words=set(),
        coach_tokens=TokenUsage(0, 0),
        model="m",
        local=True,
        fits=fits,
    )
    assert (figures.fit_judged, figures.fit_too_hard) == (2, 1)
    assert figures.fit_mean_share is not None
    assert abs(figures.fit_mean_share - 0.875) < 1e-9
    assert fit_rows(figures) == [
        ("Replies at your level", "88% of their words within your level; 1 of 2 replies too hard")
    ]

    connection = open_database(tmp_path / "tutor.sqlite3")
    sessions, reports = SessionStore(connection), ReportStore(connection)
    session = sessions.create_session(
        LearnerProfile("es", Level.A1, "en"),
        FREE_CONVERSATION,
        base_url="u",
        model="m",
        system_message="s",
    )
    assert reports.save(session.id, figures).figures == figures
    # A report kept before the fit meter: its JSON has none of the fit's figures.
    old = json.loads(connection.execute("SELECT figures FROM session_reports").fetchone()[0])
    for key in ("fit_judged", "fit_mean_share", "fit_too_hard"):
        del old[key]
    connection.execute("UPDATE session_reports SET figures = ?", (json.dumps(old),))
    read = reports.report(session.id)
    assert read is not None and read.figures.fit_judged == 0
    assert read.figures.fit_mean_share is None and fit_rows(read.figures) == []
    connection.close()
