"""Tray: the unread badge is painted where it should be, tooltip/menu/signals, no tray needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from app.ui.desktop.tray import TrayIcon, badge_icon, badge_text
from app.ui.i18n import install_language
from app.ui.resources import app_icon
from app.ui.settings import AppSettings

BADGE_SPOT = (48, 4)
"""Inside the badge of a 64 px icon (top right), above the digits' ink."""


def _image(icon: QIcon, size: int = 64) -> QImage:
    return icon.pixmap(size, size).toImage().convertToFormat(QImage.Format.Format_ARGB32)


def _is_red(c: QColor) -> bool:
    return c.red() > 190 and c.green() < 110 and c.blue() < 110 and c.alpha() > 240


@pytest.fixture
def settings(qapp: QApplication, tmp_path: Path) -> AppSettings:
    return AppSettings(tmp_path / "tidings.ini")


@pytest.fixture
def tray(settings: AppSettings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TrayIcon]:
    badges: list[int] = []
    monkeypatch.setattr(QGuiApplication, "setBadgeNumber", lambda _app, n: badges.append(n))
    icon = TrayIcon(settings)
    icon.badges = badges  # type: ignore[attr-defined]
    yield icon
    icon.hide()


def test_badge_text() -> None:
    assert [badge_text(n) for n in (1, 9, 99, 100, 12345)] == ["1", "9", "99", "99+", "99+"]


def test_no_badge_for_zero_leaves_the_icon_untouched(qapp: QApplication) -> None:
    base = _image(app_icon())
    assert _image(badge_icon(app_icon(), 0)) == base
    assert _image(badge_icon(app_icon().pixmap(64, 64), -3)) == base


@pytest.mark.parametrize("n", [5, 120])
def test_badge_is_red_in_the_top_right_corner(qapp: QApplication, n: int) -> None:
    base = _image(app_icon())
    for source in (app_icon(), app_icon().pixmap(64, 64)):
        badged = _image(badge_icon(source, n))
        assert _is_red(badged.pixelColor(*BADGE_SPOT))
        assert badged.pixelColor(10, 60) == base.pixelColor(10, 60)  # tail: not covered
    small = badge_icon(app_icon(), n).pixmap(16, 16).toImage()
    assert _is_red(small.pixelColor(12, 4))


def test_unread_updates_tooltip_icon_and_dock_badge(tray: TrayIcon) -> None:
    assert tray.tray.toolTip() == "Tidings"
    tray.set_unread(3)
    assert tray.unread == 3
    assert tray.tray.toolTip() == "Tidings — 3 unread"
    assert _is_red(_image(tray.tray.icon()).pixelColor(*BADGE_SPOT))
    tray.set_unread(3)
    tray.set_unread(0)
    assert tray.tray.toolTip() == "Tidings"
    assert not _is_red(_image(tray.tray.icon()).pixelColor(*BADGE_SPOT))
    assert tray.badges == [3, 0]  # type: ignore[attr-defined]


def test_click_open_and_quit_signals(tray: TrayIcon, qtbot: QtBot) -> None:
    with qtbot.waitSignal(tray.activate_requested, timeout=500):
        tray.tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    with qtbot.assertNotEmitted(tray.activate_requested):
        tray.tray.activated.emit(QSystemTrayIcon.ActivationReason.Context)
    open_action, _, _, quit_action = tray.menu.actions()
    with qtbot.waitSignal(tray.activate_requested, timeout=500):
        open_action.trigger()
    with qtbot.waitSignal(tray.quit_requested, timeout=500):
        quit_action.trigger()


def test_do_not_disturb_is_bound_both_ways(tray: TrayIcon, settings: AppSettings) -> None:
    dnd_action = tray.menu.actions()[1]
    assert dnd_action.isCheckable() and not dnd_action.isChecked()
    dnd_action.trigger()
    assert settings.do_not_disturb is True
    settings.do_not_disturb = False
    assert not dnd_action.isChecked()


def test_works_without_a_system_tray(tray: TrayIcon) -> None:
    assert tray.available == QSystemTrayIcon.isSystemTrayAvailable()
    tray.show()
    assert tray.tray.isVisible() == tray.available


def test_menu_and_tooltip_follow_the_language(tray: TrayIcon, qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    tray.set_unread(120)
    try:
        install_language(app, "zh_CN")  # LanguageChange is posted: wait for it
        qtbot.waitUntil(lambda: tray.menu.actions()[-1].text() == "退出", timeout=1000)
        texts = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
        assert texts == ["打开 Tidings", "免打扰", "退出"]
        assert tray.tray.toolTip() == "Tidings — 120 条未读消息"
    finally:
        install_language(app, "en")
    qtbot.waitUntil(lambda: tray.menu.actions()[-1].text() == "Quit", timeout=1000)


def test_real_dock_badge_call_is_accepted(settings: AppSettings) -> None:
    """Unpatched: QGuiApplication.setBadgeNumber is an instance method (a no-op offscreen)."""
    icon = TrayIcon(settings)
    icon.set_unread(4)
    icon.set_unread(0)
    assert icon.unread == 0
