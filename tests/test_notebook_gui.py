"""The mistakes notebook as a learner uses it: the coach's corrections gathered by
category, searched as they type, opened at their message, and charted by week."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from tests.gui_helpers import open_practice as open_any_practice
from tests.gui_helpers import (
    session_of,
    type_and_send,
    type_text,
    wait_until_idle,
)
from tests.openai_server import coach_reply
from tutor.domain.notebook import WeekPoint, week_start, words_in
from tutor.ui.review.notebook_window import EMPTY_NOTEBOOK, NotebookWindow
from tutor.ui.widgets.trend_chart import EMPTY_TEXT, WEEKS_SHOWN, TrendChart

GOED = "Yesterday I goed to the parck"
WENT = "Yesterday I went to the park"
GOED_ITEMS = [
    ("goed", "went", "«Go» es irregular: el pasado es «went».", "grammar"),
    ("parck", "park", "Sin «c».", "spelling"),
]
HAVE = "She have a dog"
HAS = "She has a dog"
HAVE_ITEMS = [("have", "has", "Con «she», el verbo lleva -s.", "grammar")]
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u2066\u2067\u2068\u2069"))


def plain(text: str) -> str:
    """Item text without the invisible direction marks the window adds."""
    return text.translate(_BIDI_CONTROLS)


# English for a Spanish speaker unless a test says otherwise.
open_practice = functools.partial(open_any_practice, language="en", native="es")


def open_notebook(qtbot, context, parent) -> NotebookWindow:
    notebook = NotebookWindow(context, parent)
    qtbot.addWidget(notebook)
    notebook.show()
    qtbot.waitExposed(notebook)
    return notebook


def say(qtbot, window, text, corrected, items, server):
    server.enqueue_coach(coach_reply(corrected, items))
    type_and_send(qtbot, window, text)
    wait_until_idle(qtbot, window)
    return next(m for m in reversed(window.practice.messages) if m.text == text)


def rows(notebook: NotebookWindow) -> list[tuple[str, str]]:
    return [(plain(item.text(0)), plain(item.text(1))) for item in notebook.entry_items()]


def groups(notebook: NotebookWindow) -> list[str]:
    return [group.text(0) for group in notebook.groups()]


def test_corrections_are_gathered_by_category_and_searched_as_the_learner_types(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    say(qtbot, window, GOED, WENT, GOED_ITEMS, server)
    say(qtbot, window, HAVE, HAS, HAVE_ITEMS, server)

    notebook = open_notebook(qtbot, context, window)

    assert notebook.language_box.currentData() == "en"  # the learner's language
    assert groups(notebook) == ["Grammar (2)", "Spelling (1)"]
    assert rows(notebook) == [
        ("have → has", "Con «she», el verbo lleva -s."),  # newest first
        ("goed → went", "«Go» es irregular: el pasado es «went»."),
        ("parck → park", "Sin «c»."),
    ]
    assert all(group.isExpanded() for group in notebook.groups())

    notebook.search_box.setFocus()
    type_text(notebook.search_box, "dog")
    qtbot.waitUntil(lambda: groups(notebook) == ["Grammar (1)"])
    assert rows(notebook)[0][0] == "have → has"

    notebook.search_box.clear()
    type_text(notebook.search_box, "SIN")  # any case, in the explanation
    qtbot.waitUntil(lambda: groups(notebook) == ["Spelling (1)"])

    notebook.search_box.clear()
    type_text(notebook.search_box, "zebra")
    qtbot.waitUntil(lambda: not notebook.tree.isVisible())
    assert notebook.empty_label.isVisible()
    assert "zebra" in notebook.empty_label.text()

    notebook.search_box.clear()
    qtbot.waitUntil(lambda: len(notebook.entry_items()) == 3)
    assert notebook.tree.isVisible() and not notebook.empty_label.isVisible()


def test_double_click_or_enter_on_a_mistake_asks_for_its_message(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    goed = say(qtbot, window, GOED, WENT, GOED_ITEMS, server)
    have = say(qtbot, window, HAVE, HAS, HAVE_ITEMS, server)
    session_id = session_of(window).id
    notebook = open_notebook(qtbot, context, window)
    tree = notebook.tree
    have_item, goed_item, _parck_item = notebook.entry_items()

    where = tree.visualItemRect(have_item).center()
    with qtbot.waitSignal(notebook.message_requested, timeout=2000) as double_click:
        # A real double click: the first click, then the second, reported as a double.
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert double_click.args == [session_id, have.id]

    tree.setFocus()
    tree.setCurrentItem(goed_item)
    with qtbot.waitSignal(notebook.message_requested, timeout=2000) as enter:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert enter.args == [session_id, goed.id]

    # A category's row only folds: it asks for no message.
    tree.setCurrentItem(notebook.groups()[0])
    with qtbot.assertNotEmitted(notebook.message_requested):
        qtbot.keyClick(tree, Qt.Key.Key_Return)


def test_the_chart_shows_this_weeks_mistakes_per_100_words(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    goed = say(qtbot, window, GOED, WENT, GOED_ITEMS, server)
    say(qtbot, window, HAVE, HAS, HAVE_ITEMS, server)
    notebook = open_notebook(qtbot, context, window)
    chart = notebook.chart

    words = words_in(GOED) + words_in(HAVE)
    assert words == 10
    (point,) = chart.points
    assert (point.week_start, point.mistakes, point.words) == (week_start(goed.created_at), 3, 10)
    assert "30.0" in chart.accessibleDescription()
    assert chart.accessibleName()

    # The dot is drawn where the chart says it is, in the line's colour.
    (centre,) = chart.point_positions()
    image = chart.grab().toImage()
    ratio = image.devicePixelRatio()
    drawn = QColor(image.pixel(int(centre.x() * ratio), int(centre.y() * ratio)))
    assert drawn.name() == chart.line_color.name()

    # Hovering the dot says what it stands for.
    QApplication.sendEvent(
        chart,
        QHelpEvent(QEvent.Type.ToolTip, centre.toPoint(), chart.mapToGlobal(centre.toPoint())),
    )
    qtbot.waitUntil(lambda: "3 mistakes in 10 words" in QToolTip.text())
    QToolTip.hideText()


def test_arabic_corrections_read_in_order_and_are_found_without_vowel_signs(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(
        qtbot, server, data_dir, keyring_backend, language="ar", native="en"
    )
    wrote = "ذهبت إلى المدرسه أمس"
    say(
        qtbot,
        window,
        wrote,
        "ذهبت إلى المدرسة أمس",
        [("المدرسه", "المدرسة", "Ends in tāʼ marbūṭa.", "spelling")],
        server,
    )
    notebook = open_notebook(qtbot, context, window)

    assert notebook.language_box.currentData() == "ar"
    assert groups(notebook) == ["Spelling (1)"]
    assert rows(notebook) == [("المدرسه → المدرسة", "Ends in tāʼ marbūṭa.")]
    assert f"You wrote: {wrote}" in notebook.entry_items()[0].toolTip(0)

    notebook.search_box.setFocus()
    type_text(notebook.search_box, "المَدرسة")  # typed with a vowel sign
    qtbot.waitUntil(lambda: notebook.search_box.text() == "المَدرسة")
    assert groups(notebook) == ["Spelling (1)"]
    type_text(notebook.search_box, " غدا")
    qtbot.waitUntil(lambda: notebook.empty_label.isVisible())


def test_before_any_correction_the_notebook_says_what_will_come(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(
        qtbot, server, data_dir, keyring_backend, language="es", native="en"
    )
    notebook = open_notebook(qtbot, context, window)

    assert notebook.language_box.currentData() == "es"
    assert notebook.empty_label.isVisible() and not notebook.tree.isVisible()
    assert notebook.empty_label.text() == EMPTY_NOTEBOOK
    assert notebook.chart.points == []
    assert EMPTY_TEXT in notebook.chart.accessibleDescription()


def test_the_chart_keeps_the_newest_weeks_and_says_the_trend_in_words(qtbot):
    chart = TrendChart()
    qtbot.addWidget(chart)
    newest = date(2025, 6, 2)
    too_old = WeekPoint(newest - timedelta(weeks=WEEKS_SHOWN), 50, 100)
    points = [
        WeekPoint(newest - timedelta(weeks=3), 5, 50),  # 10.0
        WeekPoint(newest - timedelta(weeks=2), 3, 50),  # 6.0; then a week without writing
        WeekPoint(newest, 2, 50),  # 4.0
    ]
    chart.set_points([points[2], too_old, points[0], points[1]])
    chart.resize(480, 170)
    chart.show()
    qtbot.waitExposed(chart)

    assert chart.points == points  # oldest first, the one 12 weeks back left out
    assert chart.accessibleDescription() == (
        "Mistakes per 100 words, last 4 weeks, 3 of them with writing: "
        "down from 10.0 to 4.0 (week of Jun 2, 2025)."
    )
    xs = [p.x() for p in chart.point_positions()]
    # On a time axis: the week without writing keeps its place, so the gap shows.
    assert xs[1] - xs[0] == pytest.approx((xs[2] - xs[1]) / 2)
    heights = [p.y() for p in chart.point_positions()]
    assert heights[0] < heights[1] < heights[2]  # fewer mistakes, lower dot

    chart.set_points([])
    assert chart.point_positions() == []
    assert EMPTY_TEXT in chart.accessibleDescription()


def test_a_change_points_at_the_fix_in_a_right_to_left_window(qapp):
    """In an Arabic interface the cell reads right to left; a Spanish pair stays
    "fue → fui", the mistake on the left and the arrow pointing at the fix."""
    from datetime import UTC, datetime

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont, QTextLayout, QTextOption

    from tutor.domain.corrections import Category
    from tutor.domain.notebook import NotebookEntry
    from tutor.ui.review.notebook_window import _isolated_change

    wrote = "Ayer yo fue al parque."
    entry = NotebookEntry(
        "es", Category.GRAMMAR, "fue", "fui", "", datetime.now(UTC), 1, 1, wrote,
        start=wrote.index("fue"),
    )  # fmt: skip
    cell = _isolated_change(entry)
    layout = QTextLayout(cell, QFont())
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    layout.setTextOption(option)
    layout.beginLayout()
    layout.createLine().setLineWidth(400)
    layout.endLayout()
    line = layout.lineAt(0)
    mistake_x = line.cursorToX(cell.index("fue"))
    fix_x = line.cursorToX(cell.index("fui"))
    assert isinstance(mistake_x, tuple) and isinstance(fix_x, tuple)
    assert mistake_x[0] < fix_x[0]
