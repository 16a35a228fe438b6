"""Every control can be named by a screen reader and reached by keyboard; the frequent
actions have shortcuts shown in the menus; the window follows or forces light and dark."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tests.gui_helpers import close_app, practice_argv, start_app, wait_until_idle
from tutor.domain.settings import Settings, settings_from_dict
from tutor.ui.review.notebook_window import NotebookWindow
from tutor.ui.review.report_dialog import ReportDialog
from tutor.ui.review.review_window import ReviewWindow
from tutor.ui.scenarios.scenario_editor import ScenarioEditor
from tutor.ui.scenarios.scenario_picker import ScenarioPicker
from tutor.ui.setup.setup_dialogs import SettingsDialog, WelcomeWizard
from tutor.ui.shell.style import Theme, apply_style, dark_palette, is_dark, style_sheet

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractItemView,
    QAbstractSpinBox,
    QTextEdit,
    QPlainTextEdit,
)


def _inside_a_compound_control(widget: QWidget) -> bool:
    """Parts Qt builds inside another control (a combo box's line edit and list, a spin
    box's line edit, a line edit's clear button, a tree's header): the outer control
    carries the name."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox | QLineEdit | QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return widget.objectName().startswith("qt_")


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls with no accessible name, no text of their own and no label pointing at
    them: a screen reader would say only "button" or "edit"."""
    labelled = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    problems = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, CONTROLS) or _inside_a_compound_control(widget):
            continue
        if isinstance(widget, QTextEdit | QPlainTextEdit) and widget.isReadOnly():
            continue  # shown text, read out as such; the editable ones need a name
        if widget.accessibleName().strip() or id(widget) in labelled:
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue
        owner = widget.parentWidget()
        problems.append(
            f"{type(widget).__name__} {widget.objectName()!r} in "
            f"{type(owner).__name__ if owner else '-'} (tooltip {widget.toolTip()!r})"
        )
    return problems


@pytest.fixture
def window_and_context(qtbot, server, data_dir, keyring_backend):
    window, context = start_app(
        qtbot,
        practice_argv(data_dir, server, "--scenario", "cafe-order"),
        key_backend=keyring_backend,
    )
    wait_until_idle(qtbot, window)
    yield window, context
    close_app(qtbot, window, context)


def test_main_window_controls_have_names(window_and_context):
    window, _ = window_and_context
    assert window.goals_panel.isVisible()
    assert unnamed_controls(window) == []


def test_main_dialogs_controls_have_names(qtbot, window_and_context):
    window, context = window_and_context
    session = window.practice.session
    assert session is not None and context.settings.learner is not None
    dialogs: list[QWidget] = [
        SettingsDialog(context, window),
        WelcomeWizard(context, window),
        ScenarioPicker(context, context.settings.learner, window),
        ScenarioEditor(context, None, window),
        ReviewWindow(context, window),
        NotebookWindow(context, window),
        ReportDialog(context, session, window.practice.messages, window),
    ]
    problems = {}
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        found = unnamed_controls(dialog)
        if found:
            problems[type(dialog).__name__] = found
        dialog.close()
    assert problems == {}


def test_frequent_actions_have_shortcuts_shown_in_the_menus(window_and_context):
    window, _ = window_and_context
    in_menus = {
        action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
        for menu in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
        for action in menu.actions()
    }
    for key in ("Ctrl+N", "Esc", "Ctrl+F", "Ctrl+,", "Ctrl+Q"):
        assert key in in_menus, key
    session_menu = window.menuBar().actions()[0].menu()
    assert any(a.text().endswith("\tEnter") for a in session_menu.actions())


def test_ctrl_f_focuses_the_search_box(qtbot, window_and_context):
    window, _ = window_and_context
    window.activateWindow()
    window.composer.setFocus()
    window.history.search.setText("café")
    window.splitter.setSizes([0, window.width()])
    window.find_action.trigger()
    qtbot.waitUntil(lambda: window.history.search.hasFocus())
    assert window.history.search.selectedText() == "café"
    assert window.splitter.sizes()[0] > 0


def test_window_has_the_app_icon(window_and_context):
    window, _ = window_and_context
    icon = window.windowIcon()
    assert not icon.isNull()
    # From the SVG and every PNG: sharp at 16 px and at 512 px.
    assert {16, 48, 256, 512} <= {size.width() for size in icon.availableSizes()}


def test_appearance_setting_is_lenient():
    assert Settings().appearance == "system"
    base = Settings().to_dict()
    for value, expected in (
        ("dark", "dark"),
        ("light", "light"),
        ("purple", "system"),
        (3, "system"),
    ):
        assert settings_from_dict({**base, "appearance": value}).appearance == expected
    del base["appearance"]
    assert settings_from_dict(base).appearance == "system"


def test_forced_dark_and_back_to_system(qapp):
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_style(app, "system")
    system_style = Theme.of(app).style_in_use
    system_window = app.palette().color(QPalette.ColorRole.Window)
    try:
        apply_style(app, "dark")
        assert (Theme.of(app).style_in_use or "").casefold() == "fusion"
        assert is_dark(app.palette())
        assert app.palette().color(QPalette.ColorRole.Base) == dark_palette().color(
            QPalette.ColorRole.Base
        )
        assert "#ff8a80" in app.styleSheet()  # error text readable on dark
        apply_style(app, "light")
        assert not is_dark(app.palette())
    finally:
        apply_style(app, "system")
    assert Theme.of(app).style_in_use == system_style
    assert app.palette().color(QPalette.ColorRole.Window) == system_window
    assert app.styleSheet() == style_sheet(app.palette())


def test_the_theme_is_one_per_application_and_kept_by_it(qapp):
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = Theme.of(app)
    assert Theme.of(app) is theme  # apply_style() and every caller reach the same one
    assert app.findChildren(Theme) == [theme]
    try:
        apply_style(app, "dark")
        assert theme.style_in_use.casefold() == "fusion"
    finally:
        apply_style(app, "system")


def test_settings_dialog_saves_the_appearance_and_applies_it(qtbot, window_and_context):
    window, context = window_and_context
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None and dialog.appearance.currentData() == "system"
    dialog.appearance.setCurrentIndex(dialog.appearance.findData("dark"))
    try:
        dialog.accept()
        assert json.loads(context.paths.settings.read_text())["appearance"] == "dark"
        assert is_dark(app.palette())
        assert is_dark(window.chat.palette())
    finally:
        apply_style(app, "system")


def test_high_dpi_scaling_is_left_on():
    # Qt 6 always scales; what could still spoil it is a rounding policy that snaps
    # 1.5× to 1× or 2× (blurry or tiny), or an attribute from Qt 5 days.
    policy = QApplication.highDpiScaleFactorRoundingPolicy()
    assert policy == Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
