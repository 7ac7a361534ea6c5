"""Language: "system" resolution, runtime switch to Simplified Chinese and back, LanguageChange."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale
from PySide6.QtGui import QFontDatabase, QTextLayout
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.ui.i18n import (
    active_language,
    install_language,
    prefer_simplified_chinese_glyphs,
    resolve_language,
)

BUILD_SCRIPT = Path(__file__).resolve().parents[2] / "resources" / "translations" / "build.py"


def build_qm_if_missing() -> None:
    """The .qm is git-ignored build output (`make` builds it); build it for a bare checkout."""
    spec = importlib.util.spec_from_file_location("tidings_translations_build", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    if not build.QM_FILE.exists():
        build.release()


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    build_qm_if_missing()
    yield qapp
    install_language(qapp, "en")


class _LanguageWatcher(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.changes = 0

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.changes += 1
        super().changeEvent(event)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("zh_CN", "zh_CN"), ("zh_TW", "zh_CN"), ("zh_Hans_SG", "zh_CN"), ("en_US", "en"),
     ("de_DE", "en"), ("C", "en")],
)  # fmt: skip
def test_system_choice_follows_the_os_locale(locale: str, expected: str) -> None:
    assert resolve_language("system", QLocale(locale)) == expected


def test_explicit_choice_wins_over_the_os() -> None:
    assert resolve_language("en", QLocale("zh_CN")) == "en"
    assert resolve_language("zh_CN", QLocale("en_US")) == "zh_CN"


def test_switching_to_chinese_and_back(app: QApplication, qtbot: QtBot) -> None:
    watcher = _LanguageWatcher()
    qtbot.addWidget(watcher)

    assert install_language(app, "zh_CN") == "zh_CN"
    assert active_language() == "zh_CN"
    assert QCoreApplication.translate("TrayIcon", "Quit") == "退出"
    unread = QCoreApplication.translate("TrayIcon", "Tidings — %n unread", "", 3)
    assert unread == "Tidings — 3 条未读消息"
    assert QLocale().language() == QLocale.Language.Chinese
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if (qt_dir / "qtbase_zh_CN.qm").exists():  # Qt's own strings (dialog buttons)
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    qtbot.waitUntil(lambda: watcher.changes > 0, timeout=1000)

    changes = watcher.changes
    assert install_language(app, "en") == "en"
    assert QCoreApplication.translate("TrayIcon", "Quit") == "Quit"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    qtbot.waitUntil(lambda: watcher.changes > changes, timeout=1000)


def test_missing_qm_leaves_english_and_does_not_fail(
    app: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr("app.ui.i18n.translations_dir", lambda: tmp_path)
    assert install_language(app, "zh_CN") == "zh_CN"
    assert QCoreApplication.translate("TrayIcon", "Quit") == "Quit"
    assert "tidings_zh_CN" in caplog.text


def test_every_ts_message_is_translated() -> None:
    """After `build.py` picks up new strings, translate them in the .ts (U5)."""
    ts = BUILD_SCRIPT.with_name("tidings_zh_CN.ts").read_text(encoding="utf-8")
    assert 'type="unfinished"' not in ts, "untranslated strings in tidings_zh_CN.ts"


def test_han_characters_use_simplified_chinese_forms(app: QApplication) -> None:
    assert QFontDatabase.hasFamily("Noto Sans CJK SC"), "install fonts-noto-cjk (make test does)"
    prefer_simplified_chinese_glyphs(app)
    layout = QTextLayout("门 door", app.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    families = {run.rawFont().familyName() for run in layout.glyphRuns()}
    assert "Noto Sans CJK SC" in families
    assert len(families) == 2  # Latin stays in the UI font
