"""Switching the UI language between English and Simplified Chinese at runtime.

Source strings are English and wrapped in `self.tr(...)` / `QCoreApplication.translate(...)`;
English therefore needs no translator. Chinese installs ours (`tidings_zh_CN.qm`, built from the
`.ts` by resources/translations/build.py) and Qt's own `qtbase_zh_CN` (standard dialog buttons,
context menus of text fields). Installing or removing a translator makes Qt send
`QEvent.LanguageChange` to every widget, which retranslates itself there — no restart needed.

Han characters are shared by Chinese and Japanese but drawn differently; on a system whose locale
is not Chinese, font fallback may pick a Japanese face for them, so the first call also puts a
Simplified Chinese face right after the UI font (whatever the UI language: contacts write
Chinese to English-speaking users too).
"""

from __future__ import annotations

import logging
from typing import Literal

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFontDatabase, QFontInfo, QGuiApplication

from app.ui.resources import translations_dir
from app.ui.settings import Language

log = logging.getLogger(__name__)

UiLanguage = Literal["en", "zh_CN"]
"""A language the UI is actually shown in ("system" resolved)."""

_installed: list[QTranslator] = []
"""Our translators currently installed; QCoreApplication does not own them, so keep them alive."""
_active: UiLanguage | None = None

SIMPLIFIED_CHINESE_FAMILIES = (
    "Noto Sans CJK SC",  # Linux (fonts-noto-cjk)
    "Source Han Sans SC",
    "Microsoft YaHei UI",  # Windows
    "Microsoft YaHei",
    "PingFang SC",  # macOS
    "WenQuanYi Micro Hei",
)


def resolve_language(choice: Language, system: QLocale | None = None) -> UiLanguage:
    """Resolve "system": Chinese when the OS locale is Chinese (any script or region), else
    English. An explicit choice is returned as is."""
    if choice != "system":
        return choice
    locale = system if system is not None else QLocale.system()
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def active_language() -> UiLanguage | None:
    """The language installed by the last `install_language`, None before the first call."""
    return _active


def install_language(app: QCoreApplication, choice: Language) -> UiLanguage:
    """Show the UI in `choice` from now on; returns the language now in effect.

    A missing .qm is logged and leaves the UI in English rather than failing startup.
    """
    global _active
    if _active is None and isinstance(app, QGuiApplication):
        prefer_simplified_chinese_glyphs(app)
    language = resolve_language(choice)
    if language != _active:
        for translator in _installed:
            app.removeTranslator(translator)
        _installed.clear()
        if language == "zh_CN":
            _installed.extend(_load_chinese(app))
        _active = language
    QLocale.setDefault(QLocale.system() if choice == "system" else QLocale(language))
    return language


def prefer_simplified_chinese_glyphs(app: QGuiApplication) -> None:
    """Make the app font [the UI family, the first installed SC family], so Latin text keeps
    the platform font and Han characters take Simplified Chinese forms."""
    font = app.font()
    primary = QFontInfo(font).family()  # resolves aliases such as "Sans Serif"
    chinese = next((f for f in SIMPLIFIED_CHINESE_FAMILIES if QFontDatabase.hasFamily(f)), None)
    if chinese is None or chinese == primary:
        return
    fallbacks = [f for f in font.families()[1:] if f not in (primary, chinese)]  # emoji faces
    font.setFamilies([primary, chinese, *fallbacks])
    app.setFont(font)


def _load_chinese(app: QCoreApplication) -> list[QTranslator]:
    sources = (
        ("tidings_zh_CN", str(translations_dir())),
        ("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
    )
    loaded = []
    for name, directory in sources:
        translator = QTranslator()
        if translator.load(name, directory) and app.installTranslator(translator):
            loaded.append(translator)
        else:
            log.warning("translation %s not found in %s", name, directory)
    return loaded


class Retranslatable:
    """Mixed into a widget (before the Qt class) that sets its texts in ``retranslate()``:
    the texts are set again whenever the language is switched at run time."""

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]
