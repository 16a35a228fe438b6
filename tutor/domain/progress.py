"""Progress in one language, from what Tutor keeps: days, minutes, writing, mistakes,
words used correctly, cards learnt and how hard the partner's replies were, by day and
by week.

What each figure means (the README says the same to the learner):

- **Minutes** are measured from message times, not from a window left open. Within a
  session, the time between one message and the next (the learner's or the partner's)
  counts in full up to MAX_GAP, and a longer pause counts as MAX_GAP: reading a reply and
  writing an answer rarely takes longer, and a learner who walked away for an hour did
  not practise for an hour. A gap counts for the day of the message that ends it. A
  session of one message therefore counts no minutes.
- **A day practised** is a day (in the learner's time zone) on which they sent at least
  one message in the language.
- **Messages and words** are the learner's own. Words are counted as the mistakes
  notebook counts them (`notebook.words_in`: runs of letters in spaced scripts, an
  estimate from length in Chinese, Japanese and Thai), so no tokenizer loads.
- **Mistakes per 100 words** are the notebook's: marks not dismissed, over the words of
  the messages the coach checked that week (`notebook.weekly_rates`).
- **Replies' fit** comes from the session reports (a report is made when a session ends
  or its report is opened): replies judged, the mean share of their words within the
  learner's level (weighted by replies), and how many were too hard.
- **Cards learnt** are review cards in FSRS's Review state (LEARNT_STATE): recalled at
  the end of their learning steps and not forgotten since (a lapse puts a card back into
  relearning until it is recalled again).
- **Words used correctly** are distinct dictionary forms in the messages the coach found
  no mistake in (see `distinct_correct_words`; it loads the language's tokenizer, so it
  runs off the GUI thread).

Pure: plain data in, plain data out; times are timezone-aware.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from tutor.domain.notebook import week_start, words_in

MAX_GAP = timedelta(minutes=5)
"""The most one gap between two messages of a session counts for."""
LEARNT_STATE = 2
"""fsrs.State.Review: a card past its learning steps and not lapsed since."""


@dataclass(frozen=True)
class SessionMessage:
    """A message of a session in the language, as progress needs it."""

    session_id: int
    when: datetime
    learner: bool
    text: str = ""
    """The learner's text (a partner's is not needed, and not read)."""
    checked: bool = False
    """The coach checked it: its words count toward mistakes per 100 words."""


@dataclass(frozen=True)
class ReportFit:
    """How a session's replies fitted the level, from its report."""

    when: datetime
    """When the session started."""
    judged: int
    mean_share: float | None
    too_hard: int


@dataclass(frozen=True)
class DayFigures:
    day: date
    minutes: float
    messages: int
    words: int


@dataclass(frozen=True)
class WeekFigures:
    week_start: date
    """The Monday of the ISO week, in the learner's time zone."""
    days: int = 0
    minutes: float = 0.0
    messages: int = 0
    words: int = 0
    checked_words: int = 0
    """Words of the messages the coach checked: what mistakes are counted against."""
    mistakes: int = 0
    replies_judged: int = 0
    known_share: float | None = None
    """Mean share of the replies' words within the level, 0..1; None without a judged reply."""
    replies_too_hard: int = 0

    @property
    def per_100_words(self) -> float | None:
        """Mistakes per 100 checked words; None in a week with nothing checked."""
        return 100 * self.mistakes / self.checked_words if self.checked_words else None


@dataclass(frozen=True)
class Progress:
    language: str
    days: tuple[DayFigures, ...] = ()
    """Each day practised, oldest first."""
    weeks: tuple[WeekFigures, ...] = ()
    """Every week from the first practised to the last, oldest first (empty weeks too,
    so a chart's time axis has no holes)."""
    correct_words: int = 0
    cards_learnt: int = 0
    cards: int = 0
    totals: WeekFigures = field(default_factory=lambda: WeekFigures(date.min))
    """The weeks added up (`week_start` means nothing here)."""

    @property
    def is_empty(self) -> bool:
        """Nothing practised yet in the language."""
        return not self.days


def minutes_by_day(
    messages: Iterable[SessionMessage], tz: tzinfo | None = None
) -> dict[date, float]:
    """Minutes practised per day: each session's gaps between consecutive messages,
    capped at MAX_GAP, on the day of the message that ends the gap."""
    by_session: dict[int, list[datetime]] = {}
    for message in messages:
        by_session.setdefault(message.session_id, []).append(message.when)
    minutes: dict[date, float] = {}
    for times in by_session.values():
        times.sort()
        for earlier, later in itertools.pairwise(times):
            gap = min(later - earlier, MAX_GAP)
            day = later.astimezone(tz).date()
            minutes[day] = minutes.get(day, 0.0) + gap.total_seconds() / 60
    return minutes


@dataclass
class _Tally:
    """Per local day: minutes, and the learner's messages, words and checked words; each
    message's words counted once (words_in is the costly part: 0.3 s for 8,000 messages)."""

    minutes: dict[date, float]
    written: dict[date, list[int]]
    """day → [messages, words, checked words]"""


def _tally(messages: Sequence[SessionMessage], tz: tzinfo | None) -> _Tally:
    written: dict[date, list[int]] = {}
    for message in messages:
        if message.learner:
            row = written.setdefault(message.when.astimezone(tz).date(), [0, 0, 0])
            words = words_in(message.text)
            row[0] += 1
            row[1] += words
            if message.checked:
                row[2] += words
    return _Tally(minutes_by_day(messages, tz), written)


def day_figures(messages: Sequence[SessionMessage], tz: tzinfo | None = None) -> list[DayFigures]:
    """Each day on which the learner wrote, oldest first."""
    return _days(_tally(messages, tz))


def _days(tally: _Tally) -> list[DayFigures]:
    return [
        DayFigures(day, round(tally.minutes.get(day, 0.0), 6), count, words)
        for day, (count, words, _checked) in sorted(tally.written.items())
    ]


def week_figures(
    messages: Sequence[SessionMessage],
    mistakes: Iterable[datetime],
    fits: Iterable[ReportFit] = (),
    tz: tzinfo | None = None,
) -> list[WeekFigures]:
    """Every week from the first practised to the last, oldest first.

    `mistakes`: when each counted mistake's message was written (the notebook's marks,
    dismissed ones left out)."""
    return _weeks(_tally(messages, tz), mistakes, fits, tz)


def _weeks(
    tally: _Tally, mistakes: Iterable[datetime], fits: Iterable[ReportFit], tz: tzinfo | None
) -> list[WeekFigures]:
    if not tally.written:
        return []
    weeks: dict[date, dict[str, float]] = {}

    def week(day: date) -> dict[str, float]:
        return weeks.setdefault(day - timedelta(days=day.weekday()), {})

    def add(row: dict[str, float], key: str, value: float) -> None:
        row[key] = row.get(key, 0) + value

    for day, (count, words, checked) in tally.written.items():
        row = week(day)
        add(row, "days", 1)
        add(row, "messages", count)
        add(row, "words", words)
        add(row, "checked_words", checked)
    for day, minutes in tally.minutes.items():
        add(week(day), "minutes", minutes)
    for when in mistakes:
        add(weeks.setdefault(week_start(when, tz), {}), "mistakes", 1)
    for fit in fits:
        if fit.judged and fit.mean_share is not None:
            row = week(fit.when.astimezone(tz).date())
            add(row, "judged", fit.judged)
            add(row, "known", fit.mean_share * fit.judged)
            add(row, "too_hard", fit.too_hard)
    first, last = min(weeks), max(weeks)
    return [_week(first + timedelta(weeks=n), weeks) for n in range((last - first).days // 7 + 1)]


def _week(start: date, weeks: dict[date, dict[str, float]]) -> WeekFigures:
    row = weeks.get(start, {})
    judged = int(row.get("judged", 0))
    return WeekFigures(
        week_start=start,
        days=int(row.get("days", 0)),
        minutes=round(row.get("minutes", 0.0), 6),
        messages=int(row.get("messages", 0)),
        words=int(row.get("words", 0)),
        checked_words=int(row.get("checked_words", 0)),
        mistakes=int(row.get("mistakes", 0)),
        replies_judged=judged,
        known_share=row.get("known", 0.0) / judged if judged else None,
        replies_too_hard=int(row.get("too_hard", 0)),
    )


def totals(weeks: Iterable[WeekFigures]) -> WeekFigures:
    """The weeks added up; the known share is weighted by replies judged."""
    rows = list(weeks)
    judged = sum(w.replies_judged for w in rows)
    known = sum((w.known_share or 0.0) * w.replies_judged for w in rows)
    return WeekFigures(
        week_start=rows[0].week_start if rows else date.min,
        days=sum(w.days for w in rows),
        minutes=round(sum(w.minutes for w in rows), 6),
        messages=sum(w.messages for w in rows),
        words=sum(w.words for w in rows),
        checked_words=sum(w.checked_words for w in rows),
        mistakes=sum(w.mistakes for w in rows),
        replies_judged=judged,
        known_share=known / judged if judged else None,
        replies_too_hard=sum(w.replies_too_hard for w in rows),
    )


def distinct_correct_words(texts: Iterable[str], language: str) -> int:
    """Distinct words in the learner's correct messages, by dictionary form ("fui" and
    "fue" are one word, ir), names and numbers left out as the fit meter leaves them out.

    Loads the language's word lists and tokenizer (jieba, MeCab) on first use: call it
    off the GUI thread."""
    from tutor.domain import word_frequency
    from tutor.domain.level_fit import text_words

    lemmas: set[str] = set()
    for text in texts:
        for word in text_words(text, language):
            lemmas.add(word_frequency.lemma(word.form, language))
    return len(lemmas)


def progress(
    language: str,
    messages: Sequence[SessionMessage],
    mistakes: Iterable[datetime],
    *,
    fits: Iterable[ReportFit] = (),
    correct_words: int = 0,
    card_states: Iterable[int] = (),
    tz: tzinfo | None = None,
) -> Progress:
    """Everything the Progress view shows for `language`. `card_states` are the FSRS
    states of the language's review cards."""
    states = list(card_states)
    tally = _tally(messages, tz)
    weeks = _weeks(tally, mistakes, fits, tz)
    return Progress(
        language=language,
        days=tuple(_days(tally)),
        weeks=tuple(weeks),
        correct_words=correct_words,
        cards_learnt=sum(state == LEARNT_STATE for state in states),
        cards=len(states),
        totals=totals(weeks),
    )
