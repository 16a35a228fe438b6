"""Help on what the partner says: what a look-up and a translation cost on this computer,
apart from the model's answer.

Run: .venv/bin/python -m benchmarks.word_help   (or benchmarks.run --only word_help)

- The dictionary form: simplemma loads a language's list the first time (in this fresh
  process: the cold figure; it runs on the look-up's pool thread, never the GUI's), then
  each word costs microseconds.
- A click on a word already looked up: finding the word under the click, checking it
  against the message shown, and reading the kept answer, all on the GUI thread; the
  target is well under a frame (16 ms).
- Opening a session with 150 translated replies: reading its kept translations once.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from benchmarks.common import Config, Figure, ms
from tutor.domain.conversation import Role, TokenUsage
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.word_help import (
    LOOKUP_KIND,
    TRANSLATION_KIND,
    Lookup,
    PartOfSpeech,
    Translation,
    as_json,
)
from tutor.domain.word_spans import word_at
from tutor.services import help_words
from tutor.store.database import open_database, transaction
from tutor.store.help_answers import HelpAnswerStore
from tutor.store.sessions import SessionStore

REPLY = "¡Hola! Ayer comí paella en la playa con mis amigos. ¿Qué hiciste tú el fin de semana?"
WORDS = REPLY.replace("¡", " ").replace("¿", " ").replace("?", " ").replace(".", " ").split()


def run(config: Config) -> list[Figure]:
    from tutor.domain.lemmas import dictionary_form

    started = time.perf_counter()
    dictionary_form("comí", "es")
    cold = ms(time.perf_counter() - started)
    rounds = 20 if config.quick else 200
    warm = []
    for _ in range(rounds):
        for word in WORDS:
            started = time.perf_counter()
            dictionary_form(word, "es")
            warm.append(time.perf_counter() - started)

    connection = open_database(config.work / "tutor.sqlite3")
    sessions, answers = SessionStore(connection), HelpAnswerStore(connection)
    session = sessions.create_session(
        LearnerProfile("es", Level.A2, "en"),
        FREE_CONVERSATION,
        base_url="http://127.0.0.1:1/v1",
        model="m",
        system_message="s",
    )
    lookup = Lookup("comí", "I ate", "comer", True, PartOfSpeech.VERB, "Como.", "I eat.")
    with transaction(connection):
        for _ in range(150):
            message = sessions.add_message(session.id, Role.ASSISTANT, REPLY)
            usage = TokenUsage(40, 12)
            answers.save(
                session.id, message.id, TRANSLATION_KIND, as_json(Translation("Hi!")), usage=usage
            )
            answers.save(session.id, message.id, LOOKUP_KIND, as_json(lookup), question="comí")
    offset = REPLY.index("comí") + 1
    clicks = []
    for _ in range(rounds):
        started = time.perf_counter()
        span = word_at(REPLY, offset)
        assert span is not None
        target = help_words.shown_target(message, span[0], span[1], REPLY[span[0] : span[1]])
        kept = help_words.kept_lookup_of(answers, message, target.word)
        clicks.append(time.perf_counter() - started)
        assert kept == lookup
    opening = []
    for _ in range(max(5, rounds // 10)):
        started = time.perf_counter()
        kept_all = help_words.kept_translations(answers, session.id)
        opening.append(time.perf_counter() - started)
        assert len(kept_all) == 150
    connection.close()
    click_ms = ms(statistics.median(clicks))
    open_ms = ms(statistics.median(opening))
    return [
        Figure(
            "word_help.lemma_cold_ms",
            "Dictionary form, first Spanish word (list loaded; pool thread)",
            cold,
            "ms",
            None,
            measured=f"{cold:.0f} ms",
        ),
        Figure(
            "word_help.lemma_warm_us",
            "Dictionary form, each word after",
            ms(statistics.median(warm)) * 1000,
            "µs",
            None,
            measured=f"{ms(statistics.median(warm)) * 1000:.1f} µs",
        ),
        Figure(
            "word_help.click_kept_ms",
            "Click on a word already looked up: GUI-thread work",
            click_ms,
            "ms",
            16.0,
            measured=f"{click_ms:.2f} ms (median of {len(clicks)})",
        ),
        Figure(
            "word_help.open_translations_ms",
            "Opening a session: its 150 kept translations read",
            open_ms,
            "ms",
            16.0,
            measured=f"{open_ms:.2f} ms",
        ),
    ]


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for figure in run(Config(quick=False, data=Path(folder), work=Path(folder))):
            print(f"{figure.title}: {figure.measured}")
