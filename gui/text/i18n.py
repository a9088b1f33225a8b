"""Korean and English through Qt's translation machinery.

Every visible string of the app is written in English in the code, inside
``translate("Context", "text")`` (``QCoreApplication.translate``) or a
``QT_TRANSLATE_NOOP("Context", "text")`` marker, so that ``scripts/translations.py`` finds it;
``gui/translations/rnnfast_ko.ts`` holds the Korean (the textbook's terms: 셀, 타임 스텝,
은닉 상태, 그래디언트, ...; its symbols W1h, z1 as they are) and ``rnnfast_ko.qm`` is what
``lrelease`` compiled from it (committed: running the app needs no Qt tools;
``python scripts/translations.py`` regenerates both, tests/gui/test_gui_i18n.py checks they
are current). Qt's own strings (dialog buttons, context menus) come from the ``qtbase_ko.qm``
shipped with PyQt5.

The language follows the system locale (``ko*`` -> Korean, anything else -> English); the
Language menu switches it while the app runs; ``python -m gui --lang ko|en`` forces it.
Positional placeholders (``{0}``) let a translation reorder the values.
"""

from __future__ import annotations

import os

from PyQt5.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

translate = QCoreApplication.translate

LANGUAGES = {"en": "English", "ko": "한국어"}  # each language's name in itself (never translated)
# gui/translations: beside the rooms (package data), one level up from gui/text
TRANSLATIONS_DIR = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "translations"
)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802  (the name scripts/translations.py looks for)
    """Marks ``text`` for translation where it is defined; ``translate(context, text)`` later."""
    return text


def system_language() -> str:
    """``"ko"`` when the system locale is Korean, else ``"en"``."""
    for name in (QLocale.system().name(), *QLocale.system().uiLanguages()):
        if name.lower().startswith("ko"):
            return "ko"
    return "en"


def qm_path(lang: str) -> str:
    return os.path.join(TRANSLATIONS_DIR, f"rnnfast_{lang}.qm")


class _Translations:
    """The translators installed on the application (the app's and Qt's own)."""

    def __init__(self):
        self.language = "en"
        self._installed: list[QTranslator] = []

    def set_language(self, lang: str) -> str:
        """Install ``lang``'s translators (English: none); returns the language now in use.
        Qt then sends every widget a ``LanguageChange`` event."""
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}")
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication first")
        for t in self._installed:
            app.removeTranslator(t)
        self._installed = []
        if lang != "en":
            ours = QTranslator(app)
            if not ours.load(qm_path(lang)):
                raise FileNotFoundError(f"no translation file {qm_path(lang)}")
            qt = QTranslator(app)
            if qt.load(f"qtbase_{lang}", QLibraryInfo.location(QLibraryInfo.TranslationsPath)):
                self._installed.append(qt)
            self._installed.append(ours)
            for t in self._installed:
                app.installTranslator(t)
        QLocale.setDefault(QLocale(QLocale.Korean if lang == "ko" else QLocale.English))
        self.language = lang
        return lang


_translations = _Translations()


def set_language(lang: str) -> str:
    return _translations.set_language(lang)


def language() -> str:
    """The language in use: ``"en"`` or ``"ko"``."""
    return _translations.language


def percent(value: float, digits: int = 0) -> str:
    return f"{100 * value:.{digits}f}%"
