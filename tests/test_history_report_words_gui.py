"""The sidebar, the report and the mistakes chart say counts in plural forms, and dates
and numbers as the interface language writes them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from tests.gui_helpers import close_app, open_practice, session_of, type_and_send, wait_until_idle
from tests.openai_server import coach_reply
from tutor.domain.notebook import WeekPoint
from tutor.i18n.translate import use_language
from tutor.services.changes import Change
from tutor.ui.widgets.trend_chart import TrendChart

GERMAN_DAY = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")  # 06.12.2026
GERMAN_WHEN = re.compile(r"\b\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}\b")  # 06.12.2026, 14:25
ENGLISH_WHEN = re.compile(r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M\b")


@pytest.fixture
def english_afterwards() -> Iterator[None]:
    """The interface language is the process's: back to English after the test."""
    yield
    use_language("en")


def test_the_sidebar_says_one_message_and_one_mistake_in_the_singular(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    row = window.session_list.item(0).text()
    assert "1 message · no mistakes" in row  # the partner's opening; not "1 messages"
    server.enqueue_coach(
        coach_reply("Ayer fui al parque.", [("fue", "fui", "Yo: fui.", "grammar")])
    )
    type_and_send(qtbot, window, "Ayer fue al parque.")
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(lambda: "3 messages · 1 mistake" in window.session_list.item(0).text())
    assert "1 mistakes" not in window.session_list.item(0).text()
    close_app(qtbot, window, context)


def test_the_sidebar_and_the_report_write_dates_for_german(
    qtbot, server, data_dir, keyring_backend, english_afterwards
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    type_and_send(qtbot, window, "Ayer fui al parque.")
    wait_until_idle(qtbot, window)
    session = session_of(window)
    assert ENGLISH_WHEN.search(window.session_list.item(0).text())

    use_language("de")
    context.changes.publish(Change.SESSIONS, session.id)  # the sidebar is drawn again
    row = window.session_list.item(0).text()
    assert GERMAN_WHEN.search(row), row
    assert not ENGLISH_WHEN.search(row)

    window.report_action.trigger()
    dialog = window.report_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.summary_pending)
    shown = dialog.view.toPlainText()
    assert GERMAN_DAY.search(shown), shown
    close_app(qtbot, window, context)


def test_the_chart_says_its_rates_and_counts_as_the_interface_language_writes_them(
    qtbot, english_afterwards
):
    chart = TrendChart()
    qtbot.addWidget(chart)
    newest = date(2025, 6, 2)
    one_week = [WeekPoint(newest, 1, 1250)]
    chart.set_points(one_week)
    assert "0.1 (1 mistake in 1,250 words)" in chart.accessibleDescription()

    use_language("de")
    chart.set_points(one_week)
    assert "0,1 (1 Fehler auf 1.250 Wörter)" in chart.accessibleDescription()
    chart.set_points([WeekPoint(newest - timedelta(weeks=1), 5, 50), WeekPoint(newest, 2, 50)])
    assert "gesunken von 10,0 auf 4,0" in chart.accessibleDescription()
