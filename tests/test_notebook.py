"""The mistakes notebook without Qt: word counts, weeks, search, grouping, and the store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.corrections import Category, CoachItem, CoachPath, CoachVerdict, build_marks
from tutor.domain.levels import Level
from tutor.domain.notebook import (
    NotebookEntry,
    WeekPoint,
    by_category,
    by_language,
    matches,
    week_start,
    weekly_rates,
    words_by_week,
    words_in,
)
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.i18n.translate import use_language
from tutor.store.corrections import CorrectionStore
from tutor.store.database import open_database
from tutor.store.notebook import NotebookStore
from tutor.store.sessions import SessionStore

MONDAY = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)  # an ISO week starts on a Monday

# Ten words, two mistakes ("goed", "parck").
GOED = "Yesterday I goed to the parck with my two friends"
WENT = "Yesterday I went to the park with my two friends"
GOED_ITEMS = (
    CoachItem("goed", "went", "Go is irregular: went.", Category.GRAMMAR),
    CoachItem("parck", "park", "No c in park.", Category.SPELLING),
)
# Ten words, no mistake.
CLEAN = "We ate lunch in the sun and talked for hours"


# -- words_in ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Yesterday I went to the park.", 6),
        ("I don't know, it's well-known.", 5),  # an apostrophe or a hyphen joins
        ("Ayer fui al parque, ¿verdad?", 5),
        ("¿Qué tal? Está muy bien, señor.", 6),  # accents stay inside their word
        ("Привет, как дела?", 3),
        ("ذهبتُ إلى المدرسة أمس", 4),  # harakat are marks inside the word
        ("أنا طالب", 2),
        ("私は昨日公園に行きました。", 6),  # 12 characters, 2 a word; 。 is not one
        ("我昨天去了公园。", 4),  # 7 characters → 3.5 → 4
        ("はい", 1),
        ("好", 1),  # a one-character reply is a word
        ("コーヒーを飲む", 4),  # ー is a letter of the word: 7 graphemes
        ("Tokyoに行った", 3),  # 1 spaced word + 4 kana
        ("ภาษาไทยง่ายมาก", 5),  # 13 graphemes, 3 a word in Thai
        ("안녕하세요 저는 학생입니다", 3),  # Hangul is written with spaces
        ("...!?  —  ", 0),
        ("", 0),
    ],
)
def test_words_are_counted_in_every_script(text, words):
    assert words_in(text) == words


def test_a_week_starts_on_monday_in_the_learners_time_zone():
    sunday_night = datetime(2025, 3, 9, 23, 30, tzinfo=UTC)
    assert week_start(sunday_night, UTC) == date(2025, 3, 3)
    assert week_start(MONDAY, UTC) == date(2025, 3, 3)
    # In Berlin (UTC+1 in March) it is already Monday: the next week.
    assert week_start(sunday_night, timezone(timedelta(hours=1))) == date(2025, 3, 10)


# -- weekly rates (pure) ---------------------------------------------------------------


def _entry(
    when: datetime,
    category: Category = Category.GRAMMAR,
    *,
    language: str = "en",
    original: str = "goed",
    corrected: str = "went",
    explanation: str = "",
    learner_text: str = GOED,
    message_id: int = 1,
) -> NotebookEntry:
    return NotebookEntry(
        language=language,
        category=category,
        original=original,
        corrected=corrected,
        explanation=explanation,
        when=when,
        session_id=1,
        message_id=message_id,
        learner_text=learner_text,
    )


def test_weekly_rates_divide_mistakes_by_words_and_skip_weeks_without_writing():
    third_week = MONDAY + timedelta(weeks=2)
    entries = [_entry(MONDAY), _entry(MONDAY + timedelta(days=6)), _entry(third_week)]
    words = words_by_week(
        [(MONDAY, GOED), (MONDAY + timedelta(days=2), CLEAN), (third_week, CLEAN * 2)], UTC
    )
    assert words == {date(2025, 3, 3): 20, date(2025, 3, 17): 19}  # CLEAN*2 runs "hoursWe"

    points = weekly_rates(entries, words, UTC)

    assert points == [WeekPoint(date(2025, 3, 3), 2, 20), WeekPoint(date(2025, 3, 17), 1, 19)]
    assert points[0].per_100_words == 10.0
    assert points[1].per_100_words == pytest.approx(5.263, abs=1e-3)
    assert weekly_rates([e.when for e in entries], words, UTC) == points  # times will do


def test_a_week_of_writing_without_mistakes_is_a_zero_not_a_gap():
    points = weekly_rates([], {date(2025, 3, 3): 40}, UTC)
    assert points == [WeekPoint(date(2025, 3, 3), 0, 40)]
    assert points[0].per_100_words == 0.0


def test_mistakes_in_a_week_without_counted_words_are_left_out():
    assert weekly_rates([_entry(MONDAY)], {}, UTC) == []


# -- grouping and search (pure) --------------------------------------------------------


def test_groups_put_the_most_frequent_category_first_and_keep_the_order_within():
    spelling = [_entry(MONDAY, Category.SPELLING, message_id=i) for i in (1, 2)]
    grammar = _entry(MONDAY, Category.GRAMMAR, message_id=3)
    order = _entry(MONDAY, Category.WORD_ORDER, message_id=4)
    groups = by_category([spelling[0], order, grammar, spelling[1]])
    assert [(category, len(members)) for category, members in groups] == [
        (Category.SPELLING, 2),
        (Category.GRAMMAR, 1),  # ties follow the Category order
        (Category.WORD_ORDER, 1),
    ]
    assert groups[0][1] == spelling


def test_entries_are_grouped_by_language():
    es, ja = _entry(MONDAY, language="es"), _entry(MONDAY, language="ja")
    assert by_language([es, ja, es]) == {"es": [es, es], "ja": [ja]}


def test_search_ignores_case_accents_and_harakat_but_not_kana_voicing():
    spanish = _entry(
        MONDAY,
        original="esta",
        corrected="está",
        explanation="Lleva tilde.",
        learner_text="La casa esta lejos",
    )
    assert matches(spanish, "ESTÁ") and matches(spanish, "tilde lejos")
    assert not matches(spanish, "tilde cerca")  # every word of the search must be there
    arabic = _entry(
        MONDAY, original="المدرسه", corrected="المَدْرَسَة", learner_text="ذهبت إلى المدرسه"
    )
    assert matches(arabic, "المدرسة")  # the fix, typed without its vowel signs
    japanese = _entry(MONDAY, original="か", corrected="が", learner_text="本か好きです")
    assert matches(japanese, "が") and matches(japanese, "好き")
    assert not matches(japanese, "ぱ")
    assert matches(japanese, "   ")


# -- the store ---------------------------------------------------------------------------


class Notebook:
    """A database with sessions, learner messages and the coach's verdicts on them."""

    def __init__(self, path):
        self.connection = open_database(path)
        self.sessions = SessionStore(self.connection)
        self.corrections = CorrectionStore(self.connection)
        self.store = NotebookStore(self.connection)

    def session(self, language: str = "en") -> int:
        native = "es" if language == "en" else "en"
        return self.sessions.create_session(
            LearnerProfile(language, Level.A2, native),
            FREE_CONVERSATION,
            base_url="http://127.0.0.1:8080/v1",
            model="m",
            system_message="s",
        ).id

    def say(
        self,
        session_id: int,
        text: str,
        corrected: str | None = None,
        items: tuple[CoachItem, ...] = (),
        *,
        when: datetime = MONDAY,
        role: Role = Role.USER,
        checked: bool = True,
    ) -> ChatMessage:
        """A message written at `when`, checked by the coach (no mistakes unless given)."""
        message = self.sessions.add_message(session_id, role, text)
        self.connection.execute(
            "UPDATE messages SET created_at = ? WHERE id = ?", (when.isoformat(), message.id)
        )
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
        return message

    def delete_session(self, session_id: int) -> None:
        self.connection.execute(
            "UPDATE sessions SET deleted_at = ? WHERE id = ?",
            (datetime.now(UTC).isoformat(), session_id),
        )


@pytest.fixture
def notebook(tmp_path):
    opened = Notebook(tmp_path / "tutor.sqlite3")
    yield opened
    opened.connection.close()


def test_entries_are_the_marks_of_learner_messages_with_where_they_came_from(notebook):
    session = notebook.session("en")
    first = notebook.say(session, GOED, WENT, GOED_ITEMS, when=MONDAY)
    second = notebook.say(
        session,
        "She have a dog",
        "She has a dog",
        (CoachItem("have", "has", "She has.", Category.GRAMMAR),),
        when=MONDAY + timedelta(days=1),
    )

    entries = notebook.store.entries()

    assert [(e.message_id, e.original, e.corrected) for e in entries] == [
        (second.id, "ve", "s"),  # newest first; a change inside a word marks that part
        (first.id, "goed", "went"),
        (first.id, "c", ""),
    ]
    newest = entries[0]
    assert newest.language == "en" and newest.session_id == session
    assert newest.category is Category.GRAMMAR and newest.explanation == "She has."
    assert newest.learner_text == "She have a dog"
    assert newest.when == MONDAY + timedelta(days=1)
    assert newest.mark.in_words(newest.learner_text) == ("have", "has")
    assert entries[2].category is Category.SPELLING
    assert entries[2].mark.in_words(GOED) == ("parck", "park")
    assert [(c, len(m)) for c, m in by_category(entries)] == [
        (Category.GRAMMAR, 2),
        (Category.SPELLING, 1),
    ]


def test_dismissed_marks_are_not_in_the_notebook_nor_counted(notebook):
    session = notebook.session("en")
    message = notebook.say(session, GOED, WENT, GOED_ITEMS)
    assert notebook.store.weekly_trend("en", UTC)[0].mistakes == 2

    notebook.corrections.set_dismissed(message.id, 0, True)  # "goed": "That was right"

    assert [e.original for e in notebook.store.entries()] == ["c"]
    assert notebook.store.weekly_trend("en", UTC) == [WeekPoint(date(2025, 3, 3), 1, 10)]


def test_deleted_sessions_leave_the_notebook_and_the_trend(notebook):
    kept, deleted = notebook.session("en"), notebook.session("en")
    notebook.say(kept, GOED, WENT, GOED_ITEMS)
    notebook.say(deleted, "She have a dog", "She has a dog", ())
    notebook.say(deleted, CLEAN)
    notebook.delete_session(deleted)

    assert {e.session_id for e in notebook.store.entries()} == {kept}
    assert notebook.store.weekly_trend("en", UTC) == [WeekPoint(date(2025, 3, 3), 2, 10)]

    only = notebook.session("fr")
    notebook.say(only, "Je suis allé", "Je suis allée", ())
    notebook.delete_session(only)
    assert notebook.store.languages() == ["en"]


def test_only_the_learners_messages_count(notebook):
    session = notebook.session("en")
    notebook.say(session, GOED, WENT, GOED_ITEMS, role=Role.ASSISTANT)
    assert notebook.store.entries() == []
    assert notebook.store.weekly_trend("en", UTC) == []


def test_languages_are_those_with_mistakes_by_the_names_the_learner_reads(notebook):
    for code, text, fixed in (
        ("ja", "本か好きです", "本が好きです"),
        ("ar", "ذهبت إلى المدرسه", "ذهبت إلى المدرسة"),
        ("es", "La casa esta lejos", "La casa está lejos"),
    ):
        notebook.say(notebook.session(code), text, fixed)
    notebook.say(notebook.session("fr"), "Je vais bien")  # no mistake, so no entry

    assert notebook.store.languages() == ["ar", "ja", "es"]  # Arabic, Japanese, Spanish
    assert [e.language for e in notebook.store.entries("ja")] == ["ja"]
    assert notebook.store.entries("fr") == []
    use_language("ko")
    try:  # 스페인어, 아랍어, 일본어: by the names the learner reads
        assert notebook.store.languages() == ["es", "ar", "ja"]
    finally:
        use_language("en")


def test_search_finds_japanese_arabic_and_spanish_in_any_part_of_an_entry(notebook):
    japanese = notebook.say(
        notebook.session("ja"),
        "私は昨日公園に行きます",
        "私は昨日公園に行きました",
        (CoachItem("行きます", "行きました", "過去のことは過去形で。", Category.GRAMMAR),),
    )
    arabic = notebook.say(
        notebook.session("ar"),
        "ذهبت إلى المدرسه",
        "ذهبت إلى المدرسة",
        (CoachItem("المدرسه", "المدرسة", "تُكتب بالتاء المربوطة.", Category.SPELLING),),
    )
    spanish = notebook.say(
        notebook.session("es"),
        "La casa esta lejos",
        "La casa está lejos",
        (CoachItem("esta", "está", "Verbo estar: lleva TILDE.", Category.SPELLING),),
    )

    def found(query: str, language: str | None = None) -> list[int]:
        return [e.message_id for e in notebook.store.entries(language, query)]

    assert found("公園") == [japanese.id]  # in the learner's message only
    assert found("過去形") == [japanese.id]  # in the explanation
    assert found("行きました", "ja") == [japanese.id]  # in the fix
    assert found("行きました", "ar") == []  # another language
    assert found("المدرسة") == [arabic.id]
    assert found("المَدرسة") == [arabic.id]  # typed with a vowel sign
    assert found("مربوطة") == [arabic.id]
    assert found("tilde") == [spanish.id]  # any case
    assert found("ESTÁ lejos") == [spanish.id]
    assert found("esta") == [spanish.id]
    assert found("nowhere") == []
    assert len(found("")) == 3


def test_the_weekly_trend_over_several_weeks(notebook):
    english, spanish = notebook.session("en"), notebook.session("es")
    week1, week3, week4 = MONDAY, MONDAY + timedelta(weeks=2), MONDAY + timedelta(weeks=3)
    # Week 1: 20 words, 2 mistakes → 10 per 100 words.
    notebook.say(english, GOED, WENT, GOED_ITEMS, when=week1)
    notebook.say(english, CLEAN, when=week1 + timedelta(days=6, hours=14))  # Sunday 23:30
    # Week 2: nothing. Week 3: 25 words, 1 mistake → 4 per 100 words.
    notebook.say(
        english,
        "She have a dog and two cats and they sleep all day in the garden near "
        "the old tree by the river every single morning",
        "She has a dog and two cats and they sleep all day in the garden near "
        "the old tree by the river every single morning",
        (CoachItem("have", "has", "She has.", Category.GRAMMAR),),
        when=week3,
    )
    # Not counted: a message the coach never checked, and Spanish.
    notebook.say(english, GOED, checked=False, when=week3)
    notebook.say(spanish, "Yo soy cansado", "Yo estoy cansado", (), when=week3)
    # Week 4: 10 words, none wrong → 0.
    notebook.say(english, CLEAN, when=week4)

    trend = notebook.store.weekly_trend("en", UTC)

    assert trend == [
        WeekPoint(date(2025, 3, 3), 2, 20),
        WeekPoint(date(2025, 3, 17), 1, 25),
        WeekPoint(date(2025, 3, 24), 0, 10),
    ]
    assert [p.per_100_words for p in trend] == [10.0, 4.0, 0.0]
    assert notebook.store.weekly_trend("es", UTC) == [WeekPoint(date(2025, 3, 17), 1, 3)]
    assert notebook.store.weekly_trend("de", UTC) == []


def test_an_entry_reads_alone_with_its_word_or_a_few_characters_around_it():
    def entry(text: str, corrected_text: str) -> NotebookEntry:
        (mark,) = build_marks(text, CoachVerdict(corrected_text, ()))
        return NotebookEntry(
            "xx", mark.category, mark.original, mark.corrected, "", MONDAY, 1, 1, text,
            mark.kind, mark.start,
        )  # fmt: skip

    spelling = entry(GOED, GOED.replace("parck", "park"))
    assert (spelling.original, spelling.corrected) == ("c", "")
    assert spelling.in_context() == ("parck", "park")  # the whole word, as in the chat
    assert spelling.fixed_text == "Yesterday I goed to the park with my two friends"
    # Without spaces the "word" would be the whole sentence: three characters a side.
    chinese = entry("我明天去了北京看朋友", "我昨天去了北京看朋友")
    assert (chinese.original, chinese.corrected) == ("明", "昨")
    assert chinese.in_context() == ("我明天去了", "我昨天去了")
    japanese = entry("私は昨日公園に行きます。楽しかった", "私は昨日公園に行きました。楽しかった")
    assert japanese.in_context() == ("行きます", "行きました")  # stops at 。
    assert japanese.fixed_text == "私は昨日公園に行きました。楽しかった"
