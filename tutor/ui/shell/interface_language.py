"""The interface language as Qt needs it: Tutor's catalogue, Qt's own catalogue for its
standard texts (OK, Cancel, the file dialog), the default QLocale for numbers in spin
boxes and calendars, and the layout direction (mirrored for Arabic).

Installed once at start, before the first window (tutor/app.py): a change in Settings
takes effect at the next start (tutor/services/interface_language.py says why).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QGuiApplication

from tutor.i18n.translate import SOURCE_LANGUAGE, reads_right_to_left, use_language
from tutor.services.interface_language import starting_language

QT_TRANSLATOR = "tutor-qt-translator"
"""The object name of the QTranslator installed for Qt's own texts (a child of the app)."""

QT_LOCALES = {"ar": "ar_001"}
"""Where QLocale's default for a language writes numbers unlike Babel's (tutor.i18n.formats):
QLocale("ar") is Egypt's, with Arabic-Indic digits; CLDR's "ar" (Modern Standard Arabic,
ar_001) writes 1,234.5 in both."""


def qt_locale(language: str) -> QLocale:
    return QLocale(QT_LOCALES.get(language, language))


def system_languages() -> list[str]:
    """The system's preferred languages, most wanted first (LANGUAGE, LC_ALL, LC_MESSAGES,
    LANG on Linux; the user's list on Windows and macOS)."""
    return list(QLocale.system().uiLanguages())


def start_in_interface_language(app: QCoreApplication, saved: str) -> str:
    """The language of the setting `saved` ("" for the system's), installed; returns it."""
    return install_interface_language(app, starting_language(saved, system_languages()))


def install_interface_language(app: QCoreApplication, language: str) -> str:
    """Word everything built from now on in `language`: Tutor's text, Qt's, numbers, and
    the layout's direction. Returns the language in use (English when Tutor has none)."""
    chosen = use_language(language)
    QLocale.setDefault(qt_locale(chosen))
    for old in app.findChildren(QTranslator, QT_TRANSLATOR):
        app.removeTranslator(old)
        old.deleteLater()
    if chosen != SOURCE_LANGUAGE:
        translator = QTranslator(app)
        translator.setObjectName(QT_TRANSLATOR)
        if _load_qt_catalogue(translator, chosen):
            app.installTranslator(translator)
    mirrored = reads_right_to_left()
    if isinstance(app, QGuiApplication) and mirrored != app.isRightToLeft():
        # Only then: naming Qt's enums costs the first frame 60 ms (tests/test_startup.py).
        from PySide6.QtCore import Qt

        direction = Qt.LayoutDirection
        app.setLayoutDirection(direction.RightToLeft if mirrored else direction.LeftToRight)
    return chosen


def qt_catalogue(language: str) -> str:
    """The file of Qt's own texts in `language` ("…/qtbase_zh_CN.qm" for "zh_Hans"); ""
    when Qt has none. packaging/tutor.spec bundles these."""
    translator = QTranslator()
    return translator.filePath() if _load_qt_catalogue(translator, language) else ""


def _load_qt_catalogue(translator: QTranslator, language: str) -> bool:
    """qtbase_<language>.qm from Qt's translations folder: QLibraryInfo's, else the one in
    the PySide6 package (where a bundle keeps it)."""
    return any(
        translator.load(qt_locale(language), "qtbase", "_", folder)
        for folder in _translation_folders()
    )


def _translation_folders() -> Sequence[str]:
    import PySide6

    return (
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(Path(PySide6.__file__).parent / "Qt" / "translations"),
    )
