"""Exports: a session as Markdown, corrections as CSV, review cards as an Anki deck."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtGui import QTextDocument

from tutor.domain.conversation import ChatMessage, MessageState, Role
from tutor.domain.corrections import (
    Category,
    CoachItem,
    CoachVerdict,
    Correction,
    CorrectionState,
    Mark,
    MarkKind,
    build_marks,
)
from tutor.domain.csv_export import CSV_ENCODING, CSV_HEADER, correction_rows, corrections_csv
from tutor.domain.levels import Level
from tutor.domain.markdown_export import escape_markdown, session_markdown
from tutor.domain.review import ReviewCard
from tutor.domain.session import PracticeSession
from tutor.store.anki_deck import DECK_ID, MODEL_ID, card_guid, write_apkg
from tutor.store.atomic_file import PRIVATE, write_atomically

START = datetime(2024, 5, 3, 14, 3, tzinfo=UTC)


def make_session(language: str = "es", session_id: int = 7) -> PracticeSession:
    return PracticeSession(
        id=session_id,
        created_at=START,
        updated_at=START,
        target_language=language,
        level=Level.A2,
        native_language="en",
        scenario_id="cafe-order",
        scenario_title="Ordering at a café",
        base_url="http://127.0.0.1:8080/v1",
        model="m",
        system_message="s",
    )


def learner(
    message_id: int,
    text: str,
    verdict: CoachVerdict | None = None,
    *,
    marks: tuple[Mark, ...] | None = None,
    minutes: int = 0,
) -> ChatMessage:
    correction = None
    if verdict is not None:
        correction = Correction(
            message_id,
            CorrectionState.CHECKED,
            verdict.corrected,
            verdict.natural,
            build_marks(text, verdict) if marks is None else marks,
        )
    return ChatMessage(
        message_id,
        7,
        Role.USER,
        text,
        START + timedelta(minutes=minutes),
        correction=correction,
    )


def partner(message_id: int, text: str, *, minutes: int = 1, **changes: object) -> ChatMessage:
    message = ChatMessage(message_id, 7, Role.ASSISTANT, text, START + timedelta(minutes=minutes))
    return message.with_changes(**changes)


GOED = "Yesterday I goed to the park"
GOED_VERDICT = CoachVerdict(
    "Yesterday I went to the park",
    (CoachItem("goed", "went", "Go is irregular.", Category.GRAMMAR),),
)


def markdown(*messages: ChatMessage) -> str:
    return session_markdown(make_session(), list(messages), tz=UTC)


@pytest.fixture
def render(qapp):
    """What a real Markdown reader (Qt's md4c, GitHub dialect) makes of the text."""

    def rendered(text: str) -> Rendered:
        document = QTextDocument()
        document.setMarkdown(text, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        return Rendered(document)

    return rendered


class Rendered:
    def __init__(self, document: QTextDocument) -> None:
        self.plain = document.toPlainText()
        self.struck: list[str] = []
        self.bold: list[str] = []
        self.italic: list[str] = []
        self.links: list[str] = []
        self.lists = 0
        self.headings: list[str] = []
        block = document.begin()
        while block.isValid():
            if block.textList() is not None:
                self.lists += 1
            if block.blockFormat().headingLevel():
                self.headings.append(block.text())
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                style = fragment.charFormat()
                text = fragment.text()
                if style.fontStrikeOut():
                    self.struck.append(text)
                if style.fontWeight() > 500:
                    self.bold.append(text)
                if style.fontItalic():
                    self.italic.append(text)
                if style.isAnchor():
                    self.links.append(text)
                iterator += 1
            block = block.next()


def test_the_session_has_a_title_line_and_each_message_its_speaker_and_time():
    text = markdown(learner(1, GOED, GOED_VERDICT), partner(2, "¡Qué bien!"))
    lines = text.splitlines()
    assert lines[0] == "# Spanish · A2 · Ordering at a café"
    assert lines[2] == (
        "Date: 2024-05-03 14:03 · Language: Spanish (es) · Level: A2 · Scenario: Ordering at a café"
    )
    assert "**You** (14:03)" in lines
    assert "**Partner** (14:04)" in lines
    assert "¡Qué bien!" in lines
    assert text.endswith("\n")


def test_a_mistake_is_struck_with_the_fix_beside_it_and_explained_below(render):
    text = markdown(learner(1, GOED, GOED_VERDICT))
    assert "Yesterday I ~~goed~~ **went** to the park" in text
    assert "- goed → went: Go is irregular." in text
    shown = render(text)
    assert shown.struck == ["goed"]
    assert "went" in shown.bold
    assert "Yesterday I goed went to the park" in shown.plain


def test_insertions_and_deletions_are_drawn_alone(render):
    verdict = CoachVerdict("I went to the park", ())
    text = markdown(learner(1, "I really went park", verdict))
    assert "I ~~really~~ went **to the** park" in text
    shown = render(text)
    assert shown.struck == ["really"] and "to the" in shown.bold


def test_a_fix_inside_a_word_strikes_the_whole_word(render):
    text = markdown(learner(1, "the parc is big", CoachVerdict("the park is big", ())))
    assert "the ~~parc~~ **park** is big" in text
    assert render(text).struck == ["parc"]


def test_fixes_sharing_a_word_with_punctuation_become_one(render):
    marks = (
        Mark(2, "goed", "went", MarkKind.CHANGE, Category.GRAMMAR),
        Mark(6, ",", ".", MarkKind.CHANGE, Category.PUNCTUATION),
    )
    verdict = CoachVerdict("I went.then", ())
    text = markdown(learner(1, "I goed,then", verdict, marks=marks))
    assert "I ~~goed,then~~ **went.then**" in text
    assert "- goed → went (Grammar)" in text
    assert "- goed,then → goed.then (Punctuation)" in text
    shown = render(text)
    assert shown.struck == ["goed,then"]


def test_marks_in_scripts_without_spaces_get_spaces_around_them(render):
    marks = (Mark(2, "、", "。", MarkKind.CHANGE, Category.PUNCTUATION),)
    verdict = CoachVerdict("はい。行きます", ())
    text = markdown(learner(1, "はい、行きます", verdict, marks=marks))
    assert "はい ~~、~~ **。** 行きます" in text
    shown = render(text)
    assert shown.struck == ["、"] and "。" in shown.bold


def test_japanese_marks_stay_inside_the_sentence(render):
    verdict = CoachVerdict(
        "私は公園へ行きました", (CoachItem("に", "へ", "方向", Category.GRAMMAR),)
    )
    text = markdown(learner(1, "私は公園に行きました", verdict))
    # Strict readers need a space beside a delimiter, and Japanese has no words to widen to.
    assert "私は公園 ~~に~~ **へ** 行きました" in text
    assert "- に → へ: 方向" in text  # not the whole sentence: Japanese has no spaces
    shown = render(text)
    assert shown.struck == ["に"] and "へ" in shown.bold


def test_arabic_words_are_marked_whole(render):
    verdict = CoachVerdict("ذهبت إلى المدرسة", ())
    text = markdown(learner(1, "ذهبت الى المدرسة", verdict))
    assert "ذهبت ~~الى~~ **إلى** المدرسة" in text
    assert render(text).struck == ["الى"]


def test_nothing_the_learner_or_the_model_wrote_becomes_formatting(render):
    typed = "*hi* <b>bold</b> __x__ [a](http://e.com) `code` ~~no~~ a|b &amp; $1"
    lines = "1. item\n# head\n> quote\n- dash\n    indented\n==="
    text = markdown(
        learner(1, typed, CoachVerdict(typed, ())),
        partner(2, f"{typed}\n{lines}"),
    )
    assert "\\*hi\\* \\<b\\>bold\\</b\\>" in text
    shown = render(text)
    assert shown.struck == []
    assert shown.italic == []
    # A bare address is a link in GitHub's Markdown; the [a](…) syntax stays text.
    assert shown.links in ([], ["http://e.com", "http://e.com"])
    assert shown.lists == 0
    assert shown.headings == ["Spanish · A2 · Ordering at a café"]
    assert shown.bold == [shown.headings[0], "You", "Partner"]  # a heading is bold
    assert shown.plain.count(typed) == 2
    for line in ("1. item", "# head", "> quote", "- dash", "indented", "==="):
        assert line in shown.plain


def test_line_breaks_and_paragraphs_in_a_message_are_kept(render):
    text = markdown(partner(2, "one\ntwo\n\nthree\\"))
    assert "one\\\ntwo\n\nthree\\\\" in text
    shown = render(text)
    assert "one\ntwo\nthree\\" in shown.plain


def test_a_note_follows_its_fragment_and_a_dismissed_mark_is_plain(render):
    note = Mark(6, "very good", "excellent", MarkKind.NOTE, Category.PHRASING, "Stronger.")
    dismissed = Mark(0, "It", "This", MarkKind.CHANGE, Category.VOCABULARY, "Why", True)
    verdict = CoachVerdict("This is very good", ())
    text = markdown(learner(1, "It is very good", verdict, marks=(dismissed, note)))
    assert "It is very good *(better: excellent)*" in text
    assert "- very good → excellent: Stronger." in text
    assert "This" not in text and "Why" not in text
    shown = render(text)
    assert shown.italic == ["(better: excellent)"]
    assert shown.struck == []


def test_a_mark_without_explanation_names_its_category_and_natural_version_is_listed():
    verdict = CoachVerdict("I went home", (), natural="I headed home.")
    text = markdown(learner(1, "I goed home", verdict))
    assert "- goed → went (Spelling)" in text or "- goed → went (Other)" in text
    assert "- More natural: I headed home." in text


def test_failed_and_cut_off_replies_are_noted(render):
    text = markdown(
        partner(2, "Claro, el", state=MessageState.CUT_OFF, error="You stopped this reply."),
        partner(3, "", state=MessageState.FAILED, error="The server had a problem (500)."),
    )
    assert "Claro, el\n\n*Cut off: You stopped this reply.*" in text
    assert "*This reply failed: The server had a problem (500).*" in text
    assert render(text).italic == [
        "Cut off: You stopped this reply.",
        "This reply failed: The server had a problem (500).",
    ]


def test_a_session_over_two_days_dates_the_second():
    text = markdown(learner(1, "Hola"), partner(2, "Buenas noches", minutes=60 * 24))
    assert "## 2024-05-04" in text
    assert "**Partner** (14:03)" in text


def test_escape_markdown_leaves_plain_text_alone():
    assert escape_markdown("¿Qué tal? Bien, gracias.") == "¿Qué tal? Bien, gracias."
    assert escape_markdown("a_b*c") == "a\\_b\\*c"


# CSV


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_corrections_csv_reads_back_with_every_script_and_awkward_text():
    japanese = "私は公園に行きました"
    arabic = "ذهبت الى المدرسة"
    tricky = 'He said "hi", then\nI goed home'
    session = make_session()
    messages = [
        learner(
            1,
            japanese,
            CoachVerdict(
                "私は公園へ行きました", (CoachItem("に", "へ", "方向, «へ»", Category.GRAMMAR),)
            ),
        ),
        learner(2, arabic, CoachVerdict("ذهبت إلى المدرسة", ())),
        learner(
            3,
            tricky,
            CoachVerdict(
                'He said "hi", then\nI went home',
                (CoachItem("goed", "went", 'Irregular: "go", "went"', Category.GRAMMAR),),
            ),
        ),
        partner(4, "no marks here"),
    ]
    rows = read_csv(corrections_csv(correction_rows(session, messages), tz=UTC))
    assert rows[0] == list(CSV_HEADER)
    assert rows[1] == [
        "2024-05-03 14:03",
        "7",
        "es",
        "Grammar",
        "に",
        "へ",
        "方向, «へ»",
        japanese,
        "私は公園へ行きました",
        "change",
    ]
    assert rows[2][4:6] == ["الى", "إلى"] and rows[2][7] == arabic
    assert rows[3][4:8] == ["goed", "went", 'Irregular: "go", "went"', tricky]
    assert rows[3][8] == 'He said "hi", then\nI went home'
    assert len(rows) == 4


def test_corrections_csv_widens_to_whole_words_and_skips_dismissed_marks():
    session = make_session()
    park = learner(1, "the parc", CoachVerdict("the park", ()))
    assert park.correction is not None
    kept = correction_rows(session, [park])
    assert [(r.original, r.corrected) for r in kept] == [("parc", "park")]
    dismissed = park.correction.with_dismissed(0, True)
    assert correction_rows(session, [park.with_changes(correction=dismissed)]) == []


def test_csv_bytes_open_as_utf8_in_spreadsheets_and_formulas_do_not_run(tmp_path):
    session = make_session()
    verdict = CoachVerdict("=1+1 went", (CoachItem("goed", "went", "@SUM(A1)", Category.GRAMMAR),))
    text = corrections_csv(correction_rows(session, [learner(1, "=1+1 goed", verdict)]))
    path = tmp_path / "c.csv"
    write_atomically(path, text.encode(CSV_ENCODING), mode=PRIVATE)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    assert b"\r\n" in data and b"\r\r\n" not in data
    with path.open(encoding=CSV_ENCODING, newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][0] == "Date"
    assert rows[1][6] == "'@SUM(A1)"
    assert rows[1][7] == "'=1+1 goed"


# Anki


def card(card_id: int, front: str, back: str, explanation: str = "", language: str = "es"):
    return ReviewCard(
        id=card_id,
        language=language,
        front=front,
        back=back,
        explanation=explanation,
        category="grammar",
        due=START,
        message_id=card_id,
        mark_position=0,
    )


def read_notes(path):
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        collection = path.parent / f"{path.name}.anki2"
        collection.write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(collection)
    try:
        notes = db.execute("SELECT guid, mid, flds, tags FROM notes ORDER BY id").fetchall()
        decks = {int(did) for (did,) in db.execute("SELECT did FROM cards")}
    finally:
        db.close()
    return notes, decks


def test_an_apkg_is_a_zip_whose_notes_hold_the_escaped_fields(tmp_path):
    cards = [
        card(1, "Ayer yo <b>goed</b> & *más*", "Ayer yo fui", 'Irregular: "ir"'),
        card(2, "私は公園に行きました", "私は公園へ行きました", language="ja"),
        card(3, "ذهبت الى المدرسة\nمعا", "ذهبت إلى المدرسة", language="ar"),
    ]
    path = tmp_path / "deck.apkg"
    write_apkg(cards, path, "Tutor")
    notes, decks = read_notes(path)
    assert decks == {DECK_ID}
    assert [mid for _guid, mid, _f, _t in notes] == [MODEL_ID] * 3
    fields = [flds.split("\x1f") for _guid, _mid, flds, _tags in notes]
    assert fields[0] == [
        "Ayer yo &lt;b&gt;goed&lt;/b&gt; &amp; *más*",
        "Ayer yo fui",
        "Irregular: &quot;ir&quot;",
        "es",
    ]
    assert fields[1] == ["私は公園に行きました", "私は公園へ行きました", "", "ja"]
    assert fields[2][0] == "ذهبت الى المدرسة<br>معا"
    assert notes[0][3].split() == ["tutor", "es", "grammar"]


def test_exporting_again_keeps_each_cards_guid_so_anki_updates_it(tmp_path):
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    write_apkg([card(1, "a", "b"), card(2, "c", "d")], first)
    write_apkg([card(2, "c", "d (fixed)"), card(1, "a", "b")], second)
    guids_first = {guid for guid, *_ in read_notes(first)[0]}
    guids_second = {guid for guid, *_ in read_notes(second)[0]}
    assert guids_first == guids_second == {card_guid(card(1, "", "")), card_guid(card(2, "", ""))}
    assert len(guids_first) == 2


def test_an_unwritable_deck_raises_and_leaves_nothing_behind(tmp_path):
    with pytest.raises(OSError):
        write_apkg([card(1, "a", "b")], tmp_path / "missing" / "deck.apkg")
    target = tmp_path / "deck.apkg"
    target.write_bytes(b"old")
    write_apkg([card(1, "a", "b")], target)
    assert zipfile.is_zipfile(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.apkg"]


def test_a_renamed_session_keeps_its_name_as_the_title():
    from dataclasses import replace

    session = replace(make_session(), custom_title="Café #3 with *Ana*")
    text = session_markdown(session, [], tz=UTC)
    assert text.startswith("# Café \\#3 with \\*Ana\\*\n")
    assert "Language: Spanish (es) · Level: A2 · Scenario: Ordering at a café" in text


def test_the_window_exports_a_session_its_corrections_and_the_cards(
    qtbot, server, data_dir, keyring_backend, tmp_path
):
    import csv
    import io
    import zipfile

    from tests.gui_helpers import (
        practice_argv,
        session_of,
        start_app,
        type_and_send,
        wait_until_idle,
    )
    from tests.openai_server import coach_reply
    from tutor.domain.csv_export import CSV_ENCODING
    from tutor.domain.exports import ExportFormat
    from tutor.ui.history.export_actions import export_to

    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    server.enqueue_coach(coach_reply("Yo fui al parque", [("fue", "fui", "Yo: fui.", "grammar")]))
    type_and_send(qtbot, window, "Yo fue al parque")
    wait_until_idle(qtbot, window)
    session_id = session_of(window).id

    export_to(context, session_id, ExportFormat.MARKDOWN, tmp_path / "s.md")
    assert "~~fue~~ **fui**" in (tmp_path / "s.md").read_text(encoding="utf-8")
    outcome = export_to(context, session_id, ExportFormat.CSV, tmp_path / "c.csv")
    assert outcome.startswith("Saved 1 correction to")  # one: not "1 corrections"
    rows = list(csv.reader(io.StringIO((tmp_path / "c.csv").read_text(encoding=CSV_ENCODING))))
    assert any("fue" in row and "fui" in row for row in rows[1:])
    outcome = export_to(context, session_id, ExportFormat.ANKI, tmp_path / "d.apkg")
    assert outcome.startswith("Saved 1 card to")
    assert "collection.anki2" in zipfile.ZipFile(tmp_path / "d.apkg").namelist()


def test_the_window_and_tutor_export_write_the_same_bytes(
    qtbot, server, data_dir, keyring_backend, tmp_path, monkeypatch
):
    import io

    from tests.gui_helpers import (
        practice_argv,
        session_of,
        start_app,
        type_and_send,
        wait_until_idle,
    )
    from tests.openai_server import coach_reply
    from tutor.cli.arguments import parse_arguments
    from tutor.cli.commands import run_command
    from tutor.domain.exports import ExportFormat
    from tutor.services import exports
    from tutor.ui.history.export_actions import export_to

    # A deck holds the moment it was written (Anki updates a note only from a newer one):
    # the same moment for both, so that any difference is one of content.
    monkeypatch.setattr(exports, "_now", lambda: 1_733_000_000.25)
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    server.enqueue_coach(coach_reply("Yo fui al parque", [("fue", "fui", "Yo: fui.", "grammar")]))
    type_and_send(qtbot, window, "Yo fue al parque, ¿y tú?")
    wait_until_idle(qtbot, window)
    session_id = session_of(window).id

    for kind in ExportFormat:
        from_window = tmp_path / f"window.{kind.value}"
        from_cli = tmp_path / f"cli.{kind.value}"
        export_to(context, session_id, kind, from_window)
        # The window's deck holds every card, as `tutor export` without a session does.
        which = "all" if kind is ExportFormat.ANKI else str(session_id)
        argv = ["export", which, "--format", kind.value, "-o", str(from_cli)]
        out, err = io.StringIO(), io.StringIO()
        status = run_command(parse_arguments([*argv, "--data-dir", str(data_dir)]), out, err)
        assert status == 0, err.getvalue()
        assert from_window.read_bytes() == from_cli.read_bytes(), kind
    notes, _decks = read_notes(tmp_path / "window.apkg")
    assert len(notes) == 1
    db = sqlite3.connect(tmp_path / "window.apkg.anki2")  # read_notes() put it there
    try:
        (decks,) = db.execute("SELECT decks FROM col").fetchone()
    finally:
        db.close()
    assert '"Tutor::Spanish"' in decks  # `tutor export`'s name, in the window too


def test_a_deck_is_never_written_empty_and_an_old_file_is_kept(tmp_path):
    from tutor.services import exports

    path = tmp_path / "cards.apkg"
    with pytest.raises(exports.NoCardsError, match="no review cards yet"):
        exports.write_deck([], path)
    assert not path.exists()
    path.write_bytes(b"an older deck")
    with pytest.raises(ValueError):
        exports.write_deck([], path)
    assert path.read_bytes() == b"an older deck"
