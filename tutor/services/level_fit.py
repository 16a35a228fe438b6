"""The fit meter's use case: how well each partner reply fits the learner's level, kept
per message, and the instruction that steers the next request when replies keep
missing it (domain/level_fit.py, level_steering.py).

Threads: `warm()` and `measure()` run on a pool thread (the word lists load on first
use, 0.2-0.3 s, and a reply costs about a millisecond after that); `correct_texts()`
reads SQLite and so runs on the GUI thread, as every store call does. The caches are
plain dicts written whole per key, which a second thread may read at any time.
`steering()` runs on the GUI thread as a request is built: it uses only replies already
measured, and never loads a word list there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from tutor.domain import word_frequency
from tutor.domain.conversation import ChatMessage, MessageState, Role
from tutor.domain.level_fit import LevelFit, known_words, level_fit
from tutor.domain.level_steering import RECENT, level_steering
from tutor.domain.levels import Level
from tutor.domain.session import PracticeSession
from tutor.services.changes import Change
from tutor.services.settings import SettingsContext, write
from tutor.store.known_words import KnownWordStore

log = logging.getLogger(__name__)

CorrectTexts = Sequence[tuple[int, str]]
"""(message id, text) of the learner's correct messages in the language."""


def measurable(message: ChatMessage) -> bool:
    """A partner's reply that is complete: one still arriving, cut off or failed is not
    measured (the meter would change under the learner's eyes, or judge half a text)."""
    return (
        message.role is Role.ASSISTANT
        and message.state is MessageState.COMPLETE
        and bool(message.text.strip())
    )


class LevelFits:
    """Measured replies by message id, and the learner's known words by message id."""

    def __init__(self) -> None:
        self._fits: dict[tuple[int, str], LevelFit] = {}
        """By message id and text: a reply shown in simpler words (ui/chat/simpler.py) is
        measured as shown, while the partner's steering and the report keep its own."""
        self._words_of: dict[int, frozenset[str]] = {}
        self._read_up_to: dict[str, int] = {}
        """By language: the last correct message read from the store. Reading a learner's
        whole history on the GUI thread at each session's opening cost 40 ms at 100,000
        messages; after the first time only what is new is read."""
        self._ready: set[str] = set()
        # One measure at a time: MeCab's and jieba's taggers are shared and not made for
        # two threads at once, and a session's replies are measured in one task anyway.
        self._lock = threading.Lock()

    @property
    def tagger_lock(self) -> threading.Lock:
        """Held while the word lists and taggers work; another pool task that tokenizes
        (the Progress view's count) holds it too."""
        return self._lock

    def warm(self, language: str) -> None:
        """Load the language's word lists (a pool thread, once the window is shown)."""
        with self._lock:
            word_frequency.warm([language])
            self._ready.add(word_frequency.base_language(language))

    def is_ready(self, language: str) -> bool:
        return word_frequency.base_language(language) in self._ready

    def correct_texts(
        self, store: KnownWordStore, language: str, also: CorrectTexts = ()
    ) -> CorrectTexts:
        """The learner's correct messages not yet read into words (GUI thread: SQLite):
        those new in the store, and `also` (an older message found correct since, its
        marks dismissed)."""
        fresh = store.correct_messages(language, self._read_up_to.get(language, 0))
        if fresh:
            self._read_up_to[language] = fresh[-1][0]
        return [item for item in (*fresh, *also) if item[0] not in self._words_of]

    def measure(
        self,
        messages: Sequence[ChatMessage],
        language: str,
        level: Level,
        correct: CorrectTexts = (),
        *,
        again: bool = False,
    ) -> dict[int, LevelFit]:
        """Measure the replies among `messages` not measured yet (`again`: all of them,
        the learner's known words having grown) on a pool thread, with the words of
        `correct` added to those the learner is known to use."""
        with self._lock:
            return self._measure(messages, language, level, correct, again)

    def _measure(
        self,
        messages: Sequence[ChatMessage],
        language: str,
        level: Level,
        correct: CorrectTexts,
        again: bool,
    ) -> dict[int, LevelFit]:
        if not word_frequency.covers(language):
            correct = ()  # nothing is judged: no lemmas to load (simplemma's Swahili: 10 s)
        for message_id, text in correct:
            self._words_of[message_id] = known_words([text], language)
        known = frozenset().union(*self._words_of.values()) if self._words_of else frozenset()
        measured: dict[int, LevelFit] = {}
        for message in messages:
            if not measurable(message):
                continue
            key = (message.id, message.text)
            fit = None if again else self._fits.get(key)
            if fit is None:
                fit = level_fit(message.text, language, level, known)
                self._fits[key] = fit
            measured[message.id] = fit
        self._ready.add(word_frequency.base_language(language))
        return measured

    def fit(self, message: ChatMessage) -> LevelFit | None:
        """The reply's fit with the text it has, if measured."""
        return self._fits.get((message.id, message.text))

    def forget(self, message_id: int) -> None:
        """The reply changed (rephrased, deleted): measure it again when asked."""
        for key in [key for key in self._fits if key[0] == message_id]:
            self._fits.pop(key, None)

    def steering(self, session: PracticeSession, history: Sequence[ChatMessage]) -> str | None:
        """The instruction the next partner request carries, from the last measured
        replies of `history`, or None (GUI thread: never measures)."""
        replies = [m for m in history if measurable(m)][-RECENT * 2 :]
        fits = [fit for m in replies if (fit := self.fit(m)) is not None]
        instruction = level_steering(session.level, fits)
        if instruction:
            log.info("partner steered for level %s: %s", session.level, instruction[:60])
        return instruction


def session_fits(
    fits: LevelFits,
    store: KnownWordStore,
    session: PracticeSession,
    messages: Sequence[ChatMessage],
) -> list[LevelFit]:
    """How each complete reply of the session fitted the learner's level, for its report
    (GUI thread: the lists are loaded by then when the session was practised in this
    run; else the first report in a language loads them, once)."""
    language = session.target_language
    correct = fits.correct_texts(store, language)
    measured = fits.measure(messages, language, session.level, correct)
    return [measured[m.id] for m in messages if m.id in measured]


def show_meter(context: SettingsContext, shown: bool) -> None:
    """The learner shows or hides the fit meter and its underlines (a menu's toggle).
    OSError when the settings file cannot be written; then nothing has changed."""
    write(context, context.settings.with_changes(level_fit_meter=shown))
    context.changes.publish(Change.SETTINGS)
