"""Tutor's look: the platform's own style and palette, or Fusion in light or dark when the
learner forces one (Settings → Appearance), a few style rules on top, and the app icon.

The look in force is a `Theme`: one per application, kept as a child of the QApplication
(`Theme.of(app)` finds it, or makes it the first time). It remembers the platform's own
style, to go back to from a forced one, and follows the system's light/dark switch while
"System" is chosen. It lives and dies with the application it styles, so nothing here is
a module-level global: a test's QApplication and the real one each have their own, and
every caller that can reach the application (main(), the settings dialog's window) reaches
its theme without being handed one. `apply_style(app, appearance)` is the short way.

Made on first use, not in main(): this module is kept off the path to the first paint
(tests/test_startup.py), and the platform's look needs nothing before it.
"""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from tutor.paths import icon_files

FORCED_STYLE = "Fusion"
"""A forced palette needs a style that draws with the palette alone: native styles (GTK,
Windows 11, macOS) may paint with the system's colours and ignore it."""


def style_sheet(palette: QPalette) -> str:
    dark = is_dark(palette)
    hint = "#9aa4b1" if dark else "#5f6b7a"
    error = "#ff8a80" if dark else "#b3261e"
    ok = "#81c995" if dark else "#1e7d32"
    notice = "#3a2f1d" if dark else "#fff4e0"
    return f"""
        QLabel#hint {{ color: {hint}; }}
        QLabel[state="error"] {{ color: {error}; }}
        QLabel[state="ok"] {{ color: {ok}; }}
        QFrame#notice {{ background: {notice}; border-radius: 6px; }}
        QLabel#sessionTitle {{ font-weight: 600; }}
        QFrame#markCard {{ border: 1px solid {hint}; border-radius: 6px; }}
        QLabel#markCategory {{ color: {hint}; }}
        QLabel#markChange {{ font-weight: 600; }}
        QLabel#goalsTitle {{ font-weight: 600; }}
        QFrame#helpPanel {{ border: 1px solid {hint}; border-radius: 6px; }}
        QLabel#helpTitle {{ font-weight: 600; }}
    """


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _palette(
    colours: dict[QPalette.ColorRole, str], disabled: dict[QPalette.ColorRole, str]
) -> QPalette:
    palette = QPalette()
    for role, name in colours.items():
        palette.setColor(role, QColor(name))  # every group: active, inactive, disabled
    for role, name in disabled.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(name))
    return palette


R = QPalette.ColorRole


def dark_palette() -> QPalette:
    """A neutral dark palette with a blue accent, every role set (so nothing falls back
    to the light platform colours)."""
    return _palette(
        {
            R.Window: "#2a2a2e",
            R.WindowText: "#e6e6e9",
            R.Base: "#1e1e21",
            R.AlternateBase: "#262629",
            R.ToolTipBase: "#323237",
            R.ToolTipText: "#e6e6e9",
            R.PlaceholderText: "#8b8b93",
            R.Text: "#e6e6e9",
            R.Button: "#36363c",
            R.ButtonText: "#e6e6e9",
            R.BrightText: "#ff6b6b",
            R.Light: "#4b4b52",
            R.Midlight: "#404046",
            R.Mid: "#313136",
            R.Dark: "#18181a",
            R.Shadow: "#000000",
            R.Highlight: "#3b78e7",
            R.HighlightedText: "#ffffff",
            R.Accent: "#3b78e7",
            R.Link: "#8ab4f8",
            R.LinkVisited: "#c58af9",
        },
        {
            R.WindowText: "#6e6e76",
            R.Text: "#6e6e76",
            R.ButtonText: "#6e6e76",
            R.PlaceholderText: "#55555c",
            R.Highlight: "#3a3a40",
            R.HighlightedText: "#9a9aa0",
            R.Button: "#2a2a2e",
        },
    )


def light_palette() -> QPalette:
    """A light palette in the same family as the dark one, for Fusion when forced."""
    return _palette(
        {
            R.Window: "#f5f5f7",
            R.WindowText: "#1d1d20",
            R.Base: "#ffffff",
            R.AlternateBase: "#f1f1f4",
            R.ToolTipBase: "#ffffff",
            R.ToolTipText: "#1d1d20",
            R.PlaceholderText: "#7a7a82",
            R.Text: "#1d1d20",
            R.Button: "#fbfbfc",
            R.ButtonText: "#1d1d20",
            R.BrightText: "#d0312d",
            R.Light: "#ffffff",
            R.Midlight: "#ececef",
            R.Mid: "#c4c4ca",
            R.Dark: "#a0a0a8",
            R.Shadow: "#55555c",
            R.Highlight: "#2f6fde",
            R.HighlightedText: "#ffffff",
            R.Accent: "#2f6fde",
            R.Link: "#1a5fb4",
            R.LinkVisited: "#7b3fb8",
        },
        {
            R.WindowText: "#a0a0a6",
            R.Text: "#a0a0a6",
            R.ButtonText: "#a0a0a6",
            R.PlaceholderText: "#b8b8be",
            R.Highlight: "#d5d5da",
            R.HighlightedText: "#6e6e76",
            R.Button: "#f1f1f3",
        },
    )


def app_icon() -> QIcon:
    """Tutor's icon: the PNGs rendered from the SVG, 16 to 512 px, so every size a desktop
    asks for (also at 2× on high-DPI screens) is drawn from a sharp picture. The PNGs
    keep the icon in Qt's pixmap engine, which lists its sizes for the window manager;
    the SVG is the fallback should they be missing."""
    files = icon_files()
    pngs = [path for path in files if path.suffix == ".png"]
    icon = QIcon()
    for path in pngs or files:
        icon.addFile(str(path))
    return icon


class Theme(QObject):
    """The application's look: apply() an appearance ("system", "light" or "dark")."""

    _OBJECT_NAME = "tutorTheme"

    @classmethod
    def of(cls, app: QApplication) -> Theme:
        """The theme of `app`, made (with the look Qt chose, untouched) the first time."""
        found = app.findChild(cls, cls._OBJECT_NAME)
        return found if isinstance(found, cls) else cls(app)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(self._OBJECT_NAME)
        self._app = app
        current = app.style()
        # Read once, before any style sheet: with one, QApplication.style() has no name.
        self._platform_style = current.name() if current is not None else ""
        """The style Qt chose for this platform, to go back to when "System" is chosen."""
        self._style_in_use = self._platform_style
        self._following_system = False

    @property
    def style_in_use(self) -> str:
        """The name of the style apply() chose ("Fusion" when forced)."""
        return self._style_in_use

    def apply(self, appearance: str = "system") -> None:
        """Apply an appearance, the style rules and the icon.

        Called at start-up and again when the learner changes Appearance. Qt 6 scales for
        high-DPI screens by itself; nothing here (or anywhere in Tutor) turns that off.
        """
        app = self._app
        if appearance not in ("light", "dark"):  # Settings.APPEARANCES; anything else: system
            appearance = "system"
        hints = QGuiApplication.styleHints()
        if appearance == "system":
            if self._platform_style and self._style_in_use != self._platform_style:
                app.setStyle(self._platform_style)
                self._style_in_use = self._platform_style
            hints.unsetColorScheme()
            # An empty palette sets no role: the platform's palette shows through, and Qt
            # keeps following it when the system switches between light and dark.
            app.setPalette(QPalette())
        else:
            if self._style_in_use.casefold() != FORCED_STYLE.casefold():
                app.setStyle(FORCED_STYLE)
                self._style_in_use = FORCED_STYLE
            # Native parts (title bars, file dialogs) follow too, where the platform can.
            scheme = QtCore.Qt.ColorScheme  # at call time: see tutor/ui/shell/main_window.py
            hints.setColorScheme(scheme.Dark if appearance == "dark" else scheme.Light)
            app.setPalette(dark_palette() if appearance == "dark" else light_palette())
        app.setStyleSheet(style_sheet(app.palette()))
        if not self._following_system:
            # The style rules pick colours by lightness: choose them again when the system
            # switches while Tutor runs ("System" only; a forced palette does not change).
            # Connected to this object, so the connection goes with the application.
            hints.colorSchemeChanged.connect(self._restyle)
            self._following_system = True

    def _restyle(self, _scheme: object = None) -> None:
        self._app.setStyleSheet(style_sheet(self._app.palette()))


def apply_style(app: QApplication, appearance: str = "system") -> None:
    """Apply an appearance with the application's theme (Theme.apply)."""
    Theme.of(app).apply(appearance)
