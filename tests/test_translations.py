"""Tutor's text is translatable and its translations are sound: every learner-visible
string is marked, the template holds what the code marks, each interface language has a
catalogue with its own plural rules, a complete language has every entry translated, no
translation loses or invents a placeholder, and the compiled catalogues are current.

After changing marked text: scripts/catalogues extract && scripts/catalogues update
(and scripts/catalogues compile, which scripts/bootstrap runs too).
"""

from __future__ import annotations

import ast
import gettext
import importlib.machinery
import importlib.util
import io
import tomllib
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from tests.unmarked_strings import Unmarked, looks_like_words, unmarked_in, unmarked_in_source
from tutor.i18n import translate
from tutor.i18n.translate import INTERFACE_LANGUAGES, ngettext, use_language

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "tutor" / "locale"

# -- what the check leaves alone, and what is not marked yet -----------------------------

ENGLISH_ONLY = {
    "tutor/cli/": "the command line stays English: scripts parse it",
    "tutor/domain/prompts.py": "the partner's system message goes to the model",
    "tutor/domain/coach_prompt.py": "the coach's instructions go to the model",
    "tutor/domain/word_help_prompt.py": "translation and look-up instructions go to the model",
    "tutor/domain/say_prompt.py": "the help requests' instructions go to the model",
    "tutor/domain/memory_block.py": "the facts the partner is given go to the model",
    "tutor/domain/memory_prompt.py::memory_messages": "the reading's instructions go to the model",
    "tutor/domain/practice_prompt.py::practice_messages": "the practice scenario's "
    "instructions go to the model",
    "tutor/domain/practice_prompt.py::_shown_rule": "the practice scenario's "
    "instructions go to the model",
    "tutor/domain/practice_prompt.py::shown_language_name": "language names for the model",
    "tutor/llm/summary.py::summary_messages": "the summary's instructions go to the model",
    "tutor/domain/languages.py": "English names go to the model; the interface names "
    "languages with tutor.i18n.formats.language_name (CLDR)",
    "tutor/logging_setup.py": "the log is for developers",
    "tutor/ui/shell/style.py": "style sheets and style names",
    "tutor/i18n/": "the mechanism itself",
}
"""Code whose strings are never translated, with why (path, folder, or path::function).
A single string elsewhere that must stay English carries `# i18n: ignore` and a reason."""

NOT_YET_MARKED: set[str] = set()
"""Modules written before translation, whose text is being marked: the check passes
them over until then. Remove a module once it is marked (the test below says when)."""

COMPLETE_LANGUAGES: tuple[str, ...] = ("ar", "de", "es", "fr", "ja", "ko", "pt_BR", "zh_Hans")
"""Interface languages whose translation is finished: every entry translated, none fuzzy.
Add a language here when its translators are done."""


def _english_only(found: Unmarked) -> bool:
    for where in ENGLISH_ONLY:
        path, _, function = where.partition("::")
        if (found.path == path or (path.endswith("/") and found.path.startswith(path))) and (
            not function or found.scope.split(".")[0] == function
        ):
            return True
    return False


@pytest.fixture(scope="module")
def unmarked() -> dict[str, list[Unmarked]]:
    by_module: dict[str, list[Unmarked]] = defaultdict(list)
    for found in unmarked_in(ROOT, ROOT / "tutor"):
        if not _english_only(found):
            by_module[found.path].append(found)
    return by_module


def test_every_learner_visible_string_is_marked_for_translation(unmarked):
    offenders = [
        str(found)
        for module, found_in_module in sorted(unmarked.items())
        if module not in NOT_YET_MARKED
        for found in found_in_module
    ]
    assert offenders == [], (
        "Mark these with _(), N_(), ngettext() or pgettext() (tutor/i18n/translate.py), or "
        "end the line with `# i18n: ignore <why>` if a learner never reads it:\n"
        + "\n".join(offenders)
    )


MARKERS = frozenset({"_", "N_", "ngettext", "pgettext"})


def marked_inside_f_strings(source: str) -> list[int]:
    """Lines where text is written and marked inside an f-string's braces (a marked
    constant, `_(WORDS)`, is extracted where it is written): Babel does not look there
    (on Python 3.11), so the text never reaches the catalogue and is shown in English."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in MARKERS
                    and any(isinstance(a, ast.Constant) for a in inner.args)
                ):
                    lines.append(inner.lineno)
    return lines


def test_no_text_is_marked_inside_an_f_string():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "tutor").rglob("*.py"))
        for line in marked_inside_f_strings(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "Move these out of the f-string: " + ", ".join(found)
    assert marked_inside_f_strings("x = f\"<h3>{_('Mistakes')}</h3>\"\n") == [1]


def test_modules_not_yet_marked_are_listed_only_while_they_have_unmarked_text(unmarked):
    done = sorted(module for module in NOT_YET_MARKED if not unmarked.get(module))
    assert done == [], f"Marked now: remove from NOT_YET_MARKED in {__file__}: {done}"


def test_the_check_finds_words_and_passes_over_names_and_code():
    source = '''
"""A docstring is for developers."""
import logging, re
from tutor.i18n.translate import _, N_, ngettext
log = logging.getLogger(__name__)
LABEL = N_("Grammar")
CSS = "QLabel { color: red; }"
def f(window, count, path):
    """Docstring."""
    window.setWindowTitle("Mistakes notebook")
    window.setToolTip(f"{count} messages")
    window.setObjectName("sessionTitle")
    window.button("Show answer", "Space")
    log.warning("the file %s is odd", path)
    assert count, "count must be positive"
    if window.kind == "Send":
        pass
    data = {"Key words": 1}["Key words"]
    re.compile(r"Hello (\\w+) world")
    window.setText(_("Stop"))
    window.setText(ngettext("{n} card", "{n} cards", count))
    window.say("English on purpose")  # i18n: ignore - a brand
    window.say(f"<b>{count}</b> {path}")
    raise TypeError("expected a list")
'''
    found = [(item.line, item.text) for item in unmarked_in_source(source)]
    assert found == [
        (10, '"Mistakes notebook"'),
        (11, 'f"{count} messages"'),
        (13, '"Show answer"'),
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Stop", True),
        ("&Session", True),
        ("Search all sessions…", True),
        ("Level:", True),
        ("No scenario matches.", True),
        ("session_id", False),
        ("ko_KR", False),
        ("Ctrl+Shift+R", False),
        ("appearance", False),
        ("", False),
        ("…", False),
        ("Tutor", False),
        ("SELECT id FROM sessions WHERE id = ?", False),
        ("due <= ? AND language = ?", False),
        ("<table cellspacing='0'>", False),
        ("<h3>Summary</h3>", True),
        ("QLabel#title { font-weight: bold; }", False),
    ],
)
def test_what_reads_as_words(text, words):
    assert looks_like_words(text) is words


# -- the catalogues ----------------------------------------------------------------------


def _catalogues_script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader(
        "catalogues", str(ROOT / "scripts" / "catalogues")
    )
    spec = importlib.util.spec_from_loader("catalogues", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalogues() -> ModuleType:
    return _catalogues_script()


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language, domain="tutor")


def _entries(catalog: Catalog) -> set[tuple[object, str | None]]:
    return {(message.id, message.context) for message in catalog if message.id}


TRANSLATED = [code for code in INTERFACE_LANGUAGES if code != "en"]


def test_the_template_holds_what_the_code_marks(catalogues):
    committed = (LOCALE / "tutor.pot").read_text(encoding="utf-8")
    fresh = catalogues.template_text(catalogues.extracted_template())
    current = catalogues.same_template(committed, fresh)
    assert current, (
        "tutor/locale/tutor.pot is out of date: run scripts/catalogues extract, then "
        "scripts/catalogues update"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_language_has_a_catalogue_of_the_template_with_its_plural_rules(language):
    catalog = _read(LOCALE / language / "LC_MESSAGES" / "tutor.po", language)
    assert _entries(catalog) == _entries(_read(LOCALE / "tutor.pot")), (
        f"{language}: run scripts/catalogues update"
    )
    expected = Locale.parse(language).plural_form
    assert catalog.num_plurals == len(expected.rules) + 1
    assert catalog.plural_forms == Catalog(locale=language).plural_forms


@pytest.mark.parametrize("language", COMPLETE_LANGUAGES)
def test_a_complete_language_has_every_entry_translated_and_none_fuzzy(language):
    catalog = _read(LOCALE / language / "LC_MESSAGES" / "tutor.po", language)
    missing = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert missing == [], f"{language}: untranslated or fuzzy: {missing}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders_and_plural_forms(catalogues, language):
    catalog = _read(LOCALE / language / "LC_MESSAGES" / "tutor.po", language)
    assert catalogues.problems(catalog) == []


def test_a_lost_or_invented_placeholder_is_found(catalogues):
    catalog = Catalog(locale="ar")
    catalog.add("Nothing answers at {address}.", "لا شيء يجيب.")
    catalog.add("Saved {word}.", "حُفظت {kelma}.")
    catalog.add(
        ("{count} card", "{count} cards"),
        ("لا بطاقات", "بطاقة واحدة", "بطاقتان", "{count} بطاقات", "{count} بطاقة", "بطاقة"),
    )
    catalog.add(("{count} message", "{count} messages"), ("رسالة",))
    catalog.add("Welcome, {name}.", "أهلاً يا {name}.")
    found = catalogues.problems(catalog)
    assert any("Nothing answers" in line and "drops" in line for line in found)
    assert any("Saved" in line and "unknown placeholders kelma" in line for line in found)
    assert any("{count} card" in line and "translation 5 drops" in line for line in found)
    assert any("Wrong number of plural forms" in line for line in found)
    assert not any("Welcome" in line for line in found)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_current_with_its_source(catalogues, language):
    po = LOCALE / language / "LC_MESSAGES" / "tutor.po"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.read_bytes() == catalogues.compiled(_read(po, language)), (
        f"{mo.relative_to(ROOT)} is missing or stale: run scripts/catalogues compile "
        "(scripts/bootstrap does)"
    )


def test_the_wheel_carries_the_compiled_catalogues():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["tutor"]
    compiled = {LOCALE / code / "LC_MESSAGES" / "tutor.mo" for code in TRANSLATED}
    shipped = {path for pattern in patterns for path in (ROOT / "tutor").glob(pattern)}
    assert compiled <= shipped
    assert "Babel" in " ".join(config["build-system"]["requires"])  # setup.py compiles
    spec = (ROOT / "packaging" / "tutor.spec").read_text(encoding="utf-8")
    assert 'collect_data_files("tutor", includes=["locale/*/LC_MESSAGES/*.mo"])' in spec


# -- plurals -----------------------------------------------------------------------------


def _tiny_catalogue(catalogues: ModuleType, language: str, forms: tuple[str, ...]) -> bytes:
    catalog = Catalog(locale=language, domain="tutor")
    catalog.add(("{count} card", "{count} cards"), forms, flags=())
    catalog.fuzzy = False
    assert catalogues.problems(catalog) == []
    return catalogues.compiled(catalog)


@pytest.mark.parametrize(
    ("language", "forms", "expected"),
    [
        (
            "ar",
            (
                "لا بطاقات",
                "بطاقة واحدة",
                "بطاقتان",
                "{count} بطاقات",
                "{count} بطاقة",
                "{count} بطاقةً",
            ),
            {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 103: 3},
        ),
        ("ja", ("{count} 枚のカード",), {0: 0, 1: 0, 2: 0, 1000: 0}),
        ("de", ("{count} Karte", "{count} Karten"), {0: 1, 1: 0, 2: 1}),
        (
            "fr",
            ("{count} carte", "{count} de cartes", "{count} cartes"),
            {0: 0, 1: 0, 2: 2, 1_000_000: 1},
        ),
    ],
)
def test_counts_take_the_plural_form_of_the_interface_language(
    catalogues, monkeypatch, language, forms, expected
):
    data = _tiny_catalogue(catalogues, language, forms)
    monkeypatch.setattr(
        translate,
        "_catalogue",
        lambda code: (
            gettext.NullTranslations()
            if code == "en"
            else gettext.GNUTranslations(io.BytesIO(data))
        ),
    )
    try:
        assert use_language(language) == language
        for count, form in expected.items():
            assert ngettext("{count} card", "{count} cards", count) == forms[form], count
    finally:
        use_language("en")
    assert ngettext("{count} card", "{count} cards", 1) == "{count} card"


def test_text_sorts_as_readers_expect_not_by_code_point():
    from tutor.i18n.formats import sorted_text

    assert sorted_text(["Zebra", "Österreich", "apfel", "Oslo"]) == [
        "apfel",
        "Oslo",
        "Österreich",
        "Zebra",
    ]
    assert sorted_text(["영어", "독일어", "스페인어"]) == ["독일어", "스페인어", "영어"]
