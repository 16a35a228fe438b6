"""Choosing what to practise, and keeping one's own scenarios, through the real window."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest
import tomli_w
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QListWidget, QMessageBox

from tests.gui_helpers import practice_argv, session_of, start_app, type_text, wait_until_idle
from tests.openai_server import ScriptedReply
from tutor.domain.levels import Level
from tutor.domain.scenarios import Category, Scenario, scenario_to_dict
from tutor.i18n.translate import use_language
from tutor.services.scenarios import delete_scenario, save_scenario
from tutor.ui.scenarios.scenario_picker import ScenarioPicker

CAFE = "cafe-order"
LEFT = Qt.MouseButton.LeftButton


def open_app(qtbot, server, data_dir, keyring_backend, **languages):
    window, context = start_app(
        qtbot, practice_argv(data_dir, server, **languages), key_backend=keyring_backend
    )
    wait_until_idle(qtbot, window)
    return window, context


def open_picker(qtbot, window) -> ScenarioPicker:
    qtbot.mouseClick(window.new_button, LEFT)
    picker = window.scenario_picker
    assert picker is not None
    qtbot.waitUntil(picker.isVisible)
    return picker


def own_scenario(scenario_id: str = "zebra-zoo", **changes) -> Scenario:
    fields = {
        "id": scenario_id,
        "title": "Zebras at the zoo",
        "description": "Ask a keeper about the zebras.",
        "category": Category.MINE,
        "levels": (Level.A2, Level.B1),
        "partner_role": "a zoo keeper",
        "learner_role": "a visitor",
        "setting": "The zebra enclosure on a hot day.",
        "opening": "Say hello and ask whether the visitor likes zebras.",
        "goals": ("Ask what zebras eat", "Ask how old the youngest zebra is"),
        "vocabulary": ("stripes", "grass"),
        "built_in": False,
        **changes,
    }
    return Scenario(**fields)


def rows(widget: QListWidget) -> list[str]:
    return [widget.item(row).text() for row in range(widget.count())]


def surprise(picker: ScenarioPicker, seed: int) -> Scenario:
    picker.random.seed(seed)
    pick = picker.surprise_pick()
    assert pick is not None
    return pick


def shown_ids(picker: ScenarioPicker) -> list[str]:
    return [s.id for s in picker.shown_scenarios()]


def click_row(qtbot, widget: QListWidget, row: int, *, double: bool = False) -> None:
    widget.scrollToItem(widget.item(row))
    where = widget.visualItemRect(widget.item(row)).center()
    qtbot.mouseClick(widget.viewport(), LEFT, pos=where)
    if double:  # a double click follows a click, as with a real mouse
        qtbot.mouseDClick(widget.viewport(), LEFT, pos=where)


def click_scenario(qtbot, picker: ScenarioPicker, scenario_id: str) -> None:
    click_row(qtbot, picker.scenario_list, shown_ids(picker).index(scenario_id))
    selected = picker.selected_scenario()
    assert selected is not None and selected.id == scenario_id


def click_category(qtbot, picker: ScenarioPicker, label: str) -> None:
    labels = [text.rsplit(" (", 1)[0] for text in rows(picker.categories)]
    click_row(qtbot, picker.categories, labels.index(label))


def type_lines(qtbot, box, lines: list[str]) -> None:
    for number, line in enumerate(lines):
        if number:
            qtbot.keyClick(box, Qt.Key.Key_Return)
        type_text(box, line)


def files_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob("*")) if directory.is_dir() else []


# -- choosing -----------------------------------------------------------------------------


def test_the_cafe_found_by_search_starts_a_session_in_that_scenario(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    first = session_of(window).id
    picker = open_picker(qtbot, window)
    assert not picker.start_button.isEnabled()
    assert picker.start_button.isDefault()

    type_text(picker.search, "café")
    assert CAFE in shown_ids(picker)
    assert len(shown_ids(picker)) < len(context.scenarios.scenarios())
    click_scenario(qtbot, picker, CAFE)
    preview = picker.preview.toPlainText()
    cafe = context.scenarios.find(CAFE)
    assert cafe is not None
    assert "Ordering at a café" in preview
    assert f"You: {cafe.learner_role}" in preview
    assert f"Partner: {cafe.partner_role}" in preview
    assert cafe.setting in preview and "Goals" in preview
    assert all(f"☐ {goal}" in preview for goal in cafe.goals)
    assert all(word in preview for word in cafe.vocabulary)
    assert "Levels: A1–B1" in preview
    assert picker.start_button.isEnabled()

    server.enqueue(ScriptedReply(text="¡Buenos días! ¿Qué le pongo?"))
    chosen: list[Scenario] = []
    picker.scenario_chosen.connect(chosen.append)
    qtbot.mouseClick(picker.start_button, LEFT)
    wait_until_idle(qtbot, window)

    assert [s.id for s in chosen] == [CAFE]
    session = session_of(window)
    assert session.id != first and session.scenario_id == CAFE
    system = server.partner_requests()[-1]["messages"][0]["content"]
    assert cafe.partner_role in system
    assert all(goal in system for goal in cafe.goals)
    assert "Spanish" in system and "A2" in system
    assert "¡Buenos días! ¿Qué le pongo?" in window.chat.toPlainText()


def test_search_ignores_case_and_accents_and_looks_in_goals_and_vocabulary(
    qtbot, server, data_dir, keyring_backend
):
    window, _ = open_app(qtbot, server, data_dir, keyring_backend)
    picker = open_picker(qtbot, window)
    for query in ("CAFE", "bill", "a slice of cake", "ORDER A DRINK"):
        picker.search.clear()
        type_text(picker.search, query)
        assert CAFE in shown_ids(picker), query


@pytest.fixture
def english_after():
    """The interface language is the whole process's: back to English after the test."""
    yield
    use_language("en")


def test_titles_goals_and_search_use_the_interface_language(
    qtbot, server, data_dir, keyring_backend, english_after
):
    window, _ = open_app(qtbot, server, data_dir, keyring_backend, language="en", native="fr")
    use_language("es")
    picker = open_picker(qtbot, window)
    type_text(picker.search, "cafeteria")  # the Spanish title, "cafetería", typed without accent
    assert shown_ids(picker) == [CAFE]
    assert rows(picker.scenario_list) == ["Pedir en una cafetería"]
    click_scenario(qtbot, picker, CAFE)
    preview = picker.preview.toPlainText()
    assert "Pedir en una cafetería" in preview and "☐ Pedir una bebida" in preview
    picker.search.clear()
    type_text(picker.search, "Ordering at a")  # the English title is found too
    assert shown_ids(picker) == [CAFE]


def test_the_picker_shows_french_titles_in_french_and_english_where_untranslated(
    qtbot, server, data_dir, keyring_backend, english_after
):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    save_scenario(context, own_scenario(), new=True)
    use_language("fr")
    picker = open_picker(qtbot, window)
    assert "Demander son chemin" in rows(picker.scenario_list)
    assert "Asking for directions" not in rows(picker.scenario_list)
    click_scenario(qtbot, picker, "asking-directions")
    preview = picker.preview.toPlainText()
    assert "Demander son chemin" in preview
    assert "☐ Remercier la personne et dire au revoir" in preview
    directions = context.scenarios.find("asking-directions")
    assert directions is not None
    assert directions.setting not in preview  # the partner's English brief is not shown
    # A scenario without a French translation keeps its English.
    assert "Zebras at the zoo" in rows(picker.scenario_list)


def test_the_level_filter_keeps_only_scenarios_that_suit_the_level(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    everything = context.scenarios.scenarios()
    picker = open_picker(qtbot, window)
    assert picker.level.currentText() == "A2"  # the learner's level
    assert (
        rows(picker.categories)[0]
        == f"All scenarios ({sum(s.suits(Level.A2) for s in everything)})"
    )
    assert rows(picker.categories)[-1] == "My scenarios (0)"
    assert CAFE in shown_ids(picker)
    assert sorted(shown_ids(picker)) == sorted(s.id for s in everything if s.suits(Level.A2))

    picker.level.setFocus()
    qtbot.keyClick(picker.level, Qt.Key.Key_End)
    assert picker.level.currentText() == "C2"
    assert CAFE not in shown_ids(picker)
    assert sorted(shown_ids(picker)) == sorted(s.id for s in everything if s.suits(Level.C2))

    qtbot.keyClick(picker.level, Qt.Key.Key_Home)
    assert picker.level.currentText() == "Any level"
    assert sorted(shown_ids(picker)) == sorted(s.id for s in everything)


def test_a_search_without_match_says_so(qtbot, server, data_dir, keyring_backend):
    window, _ = open_app(qtbot, server, data_dir, keyring_backend)
    picker = open_picker(qtbot, window)
    type_text(picker.search, "xylophone quartet")
    assert picker.scenario_list.count() == 0
    assert not picker.scenario_list.isVisible()
    assert picker.empty_label.isVisible()
    assert picker.empty_label.text() == "No scenario matches “xylophone quartet” at level A2."
    assert not picker.start_button.isEnabled()
    picker.search.clear()
    assert picker.scenario_list.isVisible() and not picker.empty_label.isVisible()


def test_free_conversation_starts_a_free_session(qtbot, server, data_dir, keyring_backend):
    window, _ = open_app(qtbot, server, data_dir, keyring_backend)
    first = session_of(window).id
    picker = open_picker(qtbot, window)
    qtbot.mouseClick(picker.free_button, LEFT)
    wait_until_idle(qtbot, window)
    session = session_of(window)
    assert session.id != first
    assert session.scenario_id == "free-conversation"
    assert "Free conversation" in window.session_title.text()


def test_surprise_me_starts_a_scenario_that_suits_the_level(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    # Scenarios no A2 learner should be given, whatever the built-in ones are.
    for number in range(5):
        context.scenarios.save(own_scenario(f"expert-{number}", levels=(Level.C2,)))
    picker = open_picker(qtbot, window)

    picks = set()
    for seed in range(100):
        pick = surprise(picker, seed)
        assert pick.suits(Level.A2), pick
        picks.add(pick.id)
    assert len(picks) > 1  # really random

    type_text(picker.search, "café")  # among those shown
    assert all(surprise(picker, seed).id == CAFE for seed in range(10))

    picker.search.clear()
    type_text(picker.search, "no such scenario")  # nothing shown: any that suits the level
    assert all(surprise(picker, seed).suits(Level.A2) for seed in range(100))

    expected = surprise(picker, 7)
    picker.random.seed(7)
    qtbot.mouseClick(picker.surprise_button, LEFT)
    wait_until_idle(qtbot, window)
    assert session_of(window).scenario_id == expected.id
    assert expected.suits(session_of(window).level)


def test_the_keyboard_alone_finds_and_starts_a_scenario(qtbot, server, data_dir, keyring_backend):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    before = len(context.sessions.sessions())
    picker = open_picker(qtbot, window)
    qtbot.waitUntil(picker.search.hasFocus)
    type_text(picker.search, "café")
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.scenario_list.hasFocus()
    selected = picker.selected_scenario()
    assert selected is not None and selected.id == CAFE
    qtbot.keyClick(picker.scenario_list, Qt.Key.Key_Return)
    wait_until_idle(qtbot, window)
    assert session_of(window).scenario_id == CAFE
    assert len(context.sessions.sessions()) == before + 1  # started once, not twice


def test_a_double_click_starts_a_scenario(qtbot, server, data_dir, keyring_backend):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    before = len(context.sessions.sessions())
    picker = open_picker(qtbot, window)
    type_text(picker.search, "café")
    click_row(qtbot, picker.scenario_list, shown_ids(picker).index(CAFE), double=True)
    wait_until_idle(qtbot, window)
    assert session_of(window).scenario_id == CAFE
    assert len(context.sessions.sessions()) == before + 1


def test_scenario_text_is_shown_as_text_never_as_markup(qtbot, server, data_dir, keyring_backend):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    context.scenarios.save(
        own_scenario(
            title="<b>Bold</b> & <i>co</i>",
            setting='<img src="x"> <a href="https://example.com">a link</a>',
        )
    )
    picker = open_picker(qtbot, window)
    click_category(qtbot, picker, "My scenarios")
    click_scenario(qtbot, picker, "zebra-zoo")
    preview = picker.preview.toPlainText()
    assert "<b>Bold</b> & <i>co</i>" in preview
    assert '<img src="x"> <a href="https://example.com">a link</a>' in preview
    assert "<img" not in picker.preview.toHtml().replace("&lt;img", "")


# -- the learner's own scenarios --------------------------------------------------------------


def fill_editor(qtbot, editor, *, goals: list[str]) -> None:
    type_text(editor.id, "bakery-bread")
    type_text(editor.title, "Buying bread")
    type_text(editor.description, "Buy a loaf and ask what is fresh today.")
    for level in (Level.C1, Level.C2):  # a new scenario suits every level until unticked
        box = editor.level_boxes[level]
        qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))
        assert not box.isChecked()
    type_text(editor.learner_role, "a customer")
    type_text(editor.partner_role, "a baker in a village bakery")
    type_text(editor.partner_personality, "chatty and proud of the bread")
    type_text(editor.setting, "A small bakery early in the morning.")
    type_text(editor.opening, "Say good morning and ask what the customer would like.")
    type_lines(qtbot, editor.goals, goals)
    type_lines(qtbot, editor.vocabulary, ["a loaf", "fresh", "sliced"])


def test_a_new_scenario_is_checked_saved_and_listed(qtbot, server, data_dir, keyring_backend):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    folder = context.paths.user_scenarios
    picker = open_picker(qtbot, window)
    assert not picker.new_button.isVisible()  # managing belongs to My scenarios
    click_category(qtbot, picker, "My scenarios")
    assert picker.new_button.isVisible() and picker.import_button.isVisible()
    assert "no scenarios of your own" in picker.empty_label.text()

    qtbot.mouseClick(picker.new_button, LEFT)
    editor = picker.editor
    assert editor is not None
    qtbot.waitUntil(editor.isVisible)
    fill_editor(qtbot, editor, goals=["Ask for a loaf"])

    qtbot.mouseClick(editor.save_button, LEFT)
    assert editor.isVisible()
    assert "'goals'" in editor.error.text() and "not 1" in editor.error.text()
    assert editor.error.isVisible()
    qtbot.waitUntil(editor.goals.hasFocus, timeout=1000)
    assert files_in(folder) == []

    qtbot.keyClick(editor.goals, Qt.Key.Key_Return)
    type_text(editor.goals, "Ask whether it is fresh")
    editor.title.clear()
    qtbot.mouseClick(editor.save_button, LEFT)
    assert editor.isVisible()
    assert editor.error.text() == "Field 'title' is empty."
    assert editor.title.hasFocus()
    assert files_in(folder) == []

    type_text(editor.title, "Buying bread")
    qtbot.mouseClick(editor.save_button, LEFT)
    qtbot.waitUntil(lambda: picker.editor is None)

    assert files_in(folder) == ["bakery-bread.toml"]
    saved = context.scenarios.find("bakery-bread")
    assert saved is not None and not saved.built_in
    assert saved.category is Category.MINE and saved.version == 1
    assert saved.goals == ("Ask for a loaf", "Ask whether it is fresh")
    assert saved.vocabulary == ("a loaf", "fresh", "sliced")
    assert saved.levels == (Level.A1, Level.A2, Level.B1, Level.B2)
    assert saved.partner_personality == "chatty and proud of the bread"
    assert rows(picker.categories)[-1] == "My scenarios (1)"
    assert rows(picker.scenario_list) == ["Buying bread"]
    assert picker.selected_scenario() == saved
    assert "You: a customer" in picker.preview.toPlainText()

    # It is there to be practised, like any other.
    qtbot.mouseClick(picker.start_button, LEFT)
    wait_until_idle(qtbot, window)
    assert session_of(window).scenario_id == "bakery-bread"
    assert "a baker in a village bakery" in server.partner_requests()[-1]["messages"][0]["content"]


def test_a_new_scenario_may_not_take_an_id_in_use(qtbot, server, data_dir, keyring_backend):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    context.scenarios.save(own_scenario())
    picker = open_picker(qtbot, window)
    click_category(qtbot, picker, "My scenarios")
    for taken in ("zebra-zoo", CAFE):
        qtbot.mouseClick(picker.new_button, LEFT)
        editor = picker.editor
        assert editor is not None
        fill_editor(qtbot, editor, goals=["One goal", "Another goal"])
        editor.id.clear()
        type_text(editor.id, taken)
        qtbot.mouseClick(editor.save_button, LEFT)
        assert editor.isVisible()
        assert f"Field 'id': '{taken}'" in editor.error.text()
        editor.reject()
        qtbot.waitUntil(lambda: picker.editor is None)
    assert context.scenarios.find("zebra-zoo") == own_scenario()
    assert files_in(context.paths.user_scenarios) == ["zebra-zoo.toml"]


def test_editing_changes_the_title_and_makes_a_new_version(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    context.scenarios.save(own_scenario())
    picker = open_picker(qtbot, window)
    click_category(qtbot, picker, "My scenarios")
    click_scenario(qtbot, picker, "zebra-zoo")
    assert picker.edit_button.text() == "Edit…"
    qtbot.mouseClick(picker.edit_button, LEFT)
    editor = picker.editor
    assert editor is not None
    assert editor.id.text() == "zebra-zoo" and editor.id.isReadOnly()
    assert editor.title.text() == "Zebras at the zoo"
    assert editor.goals.toPlainText() == "Ask what zebras eat\nAsk how old the youngest zebra is"

    editor.title.selectAll()
    type_text(editor.title, "Zebras and giraffes")
    qtbot.mouseClick(editor.save_button, LEFT)
    qtbot.waitUntil(lambda: picker.editor is None)

    changed = context.scenarios.find("zebra-zoo")
    assert changed is not None
    assert changed.title == "Zebras and giraffes" and changed.version == 2
    assert changed.goals == own_scenario().goals
    assert rows(picker.scenario_list) == ["Zebras and giraffes"]
    assert "version 2" in picker.preview.toPlainText()
    assert files_in(context.paths.user_scenarios) == ["zebra-zoo.toml"]


def test_a_built_in_scenario_is_edited_as_a_copy_of_ones_own(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    cafe = context.scenarios.find(CAFE)
    picker = open_picker(qtbot, window)
    type_text(picker.search, "café")
    click_scenario(qtbot, picker, CAFE)
    assert picker.edit_button.text() == "Edit a copy…"
    qtbot.mouseClick(picker.edit_button, LEFT)
    editor = picker.editor
    assert editor is not None
    assert editor.id.text() == "cafe-order-mine" and not editor.id.isReadOnly()
    assert editor.partner_role.text() == cafe.partner_role
    qtbot.mouseClick(editor.save_button, LEFT)
    qtbot.waitUntil(lambda: picker.editor is None)

    copy = context.scenarios.find("cafe-order-mine")
    assert copy is not None and not copy.built_in and copy.category is Category.MINE
    assert copy.goals == cafe.goals and copy.setting == cafe.setting
    assert context.scenarios.find(CAFE) == cafe
    assert picker.current_category() == Category.MINE.value
    assert shown_ids(picker) == ["cafe-order-mine"]


def test_delete_asks_first_and_then_removes_the_scenario(qtbot, server, data_dir, keyring_backend):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    context.scenarios.save(own_scenario())
    picker = open_picker(qtbot, window)
    click_category(qtbot, picker, "My scenarios")
    click_scenario(qtbot, picker, "zebra-zoo")

    qtbot.mouseClick(picker.delete_button, LEFT)
    box = picker.confirm_box
    assert box is not None and box.isVisible()
    assert "Zebras at the zoo" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), LEFT)
    qtbot.waitUntil(lambda: picker.confirm_box is None)
    assert context.scenarios.find("zebra-zoo") is not None
    assert shown_ids(picker) == ["zebra-zoo"]

    qtbot.mouseClick(picker.delete_button, LEFT)
    box = picker.confirm_box
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), LEFT)
    qtbot.waitUntil(lambda: picker.confirm_box is None)
    assert context.scenarios.find("zebra-zoo") is None
    assert files_in(context.paths.user_scenarios) == []
    assert shown_ids(picker) == [] and picker.empty_label.isVisible()
    assert rows(picker.categories)[-1] == "My scenarios (0)"


def test_built_in_scenarios_cannot_be_deleted(qtbot, server, data_dir, keyring_backend):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    picker = open_picker(qtbot, window)
    type_text(picker.search, "café")
    click_scenario(qtbot, picker, CAFE)
    picker.delete_selected(confirm=False)
    assert context.scenarios.find(CAFE) is not None


def test_the_list_follows_the_hub_whoever_changed_the_learners_scenarios(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    picker = open_picker(qtbot, window)
    click_category(qtbot, picker, "My scenarios")
    assert shown_ids(picker) == []
    saved = save_scenario(context, own_scenario(), new=True)  # not through the picker
    assert shown_ids(picker) == ["zebra-zoo"]
    assert rows(picker.categories)[-1] == "My scenarios (1)"
    assert picker.current_category() == Category.MINE.value
    delete_scenario(context, saved)
    assert shown_ids(picker) == [] and picker.empty_label.isVisible()


# -- files ------------------------------------------------------------------------------------


def cafe_file_data() -> dict:
    source = Path(__file__).resolve().parent.parent / "resources" / "scenarios" / "cafe-order.toml"
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    data["id"] = "imported-cafe"
    return data


def without(data: dict, name: str) -> dict:
    return {k: v for k, v in data.items() if k != name}


BAD_FILES = {
    "missing field": (
        lambda: tomli_w.dumps(without(cafe_file_data(), "partner_role")).encode(),
        "Field 'partner_role' is missing",
    ),
    "wrong type": (
        lambda: tomli_w.dumps({**cafe_file_data(), "goals": 3}).encode(),
        "Field 'goals': expected a list of texts, found a number",
    ),
    "too big": (lambda: b"x = '" + b"a" * 5_000_000 + b"'\n", "a scenario file is at most"),
    "not utf-8": (
        lambda: tomli_w.dumps(cafe_file_data()).encode().replace("café".encode(), b"caf\xe9"),
        "not UTF-8",
    ),
    "not toml": (lambda: b"<html><body>Not a scenario</body></html>", "not valid TOML"),
    "a built-in's id": (
        lambda: tomli_w.dumps({**cafe_file_data(), "id": CAFE}).encode(),
        "built-in",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_with_the_reason_and_changes_nothing(
    qtbot, server, data_dir, keyring_backend, tmp_path, case
):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    context.scenarios.save(own_scenario())
    folder = context.paths.user_scenarios
    files_before = {name: (folder / name).read_bytes() for name in files_in(folder)}
    picker = open_picker(qtbot, window)
    click_category(qtbot, picker, "My scenarios")
    mine_before = picker.shown_scenarios()

    content, reason = BAD_FILES[case]
    path = tmp_path / "shared.toml"
    path.write_bytes(content())
    assert picker.import_from(path) is False

    assert picker.error.isVisible()
    assert "“shared.toml” was not imported." in picker.error.text()
    assert reason in picker.error.text()
    assert picker.shown_scenarios() == mine_before
    assert {name: (folder / name).read_bytes() for name in files_in(folder)} == files_before


def test_a_file_that_cannot_be_read_is_refused(qtbot, server, data_dir, keyring_backend, tmp_path):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    picker = open_picker(qtbot, window)
    assert picker.import_from(tmp_path / "gone.toml") is False
    assert "cannot be read" in picker.error.text()
    assert files_in(context.paths.user_scenarios) == []


def test_export_then_import_gives_back_the_same_scenario(
    qtbot, server, data_dir, keyring_backend, tmp_path
):
    window, context = open_app(qtbot, server, data_dir, keyring_backend)
    original = context.scenarios.save(own_scenario(partner_personality="calm"))
    picker = open_picker(qtbot, window)
    click_category(qtbot, picker, "My scenarios")
    click_scenario(qtbot, picker, "zebra-zoo")
    assert picker.export_button.isEnabled()
    exported = tmp_path / "shared" / "zebras.toml"
    assert picker.export_to(original, exported) is False  # no such folder: said, not raised
    assert "could not be exported" in picker.error.text()
    exported.parent.mkdir()
    assert picker.export_to(original, exported) is True
    assert not picker.error.isVisible()
    assert tomllib.loads(exported.read_text(encoding="utf-8")) == scenario_to_dict(original)

    picker.delete_selected(confirm=False)
    assert shown_ids(picker) == []
    assert picker.import_from(exported) is True
    back = context.scenarios.find("zebra-zoo")
    assert back == original
    assert shown_ids(picker) == ["zebra-zoo"]
    assert picker.selected_scenario() == original

    # Importing it again makes a new version of the same scenario, not a second one.
    assert picker.import_from(exported) is True
    again = context.scenarios.find("zebra-zoo")
    assert again == dataclasses.replace(original, version=2)
    assert files_in(context.paths.user_scenarios) == ["zebra-zoo.toml"]
