"""Theme: palettes are complete, switching applies palette + stylesheet and signals once, and
"system" follows the OS colour scheme."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.palette import DARK, LIGHT
from app.ui.theme import apply_theme, current_palette, render_stylesheet, theme_controller

REQUIRED = {
    "window", "rail", "list_bg", "list_selected", "list_hover", "text", "secondary_text",
    "accent", "accent_text", "bubble_in", "bubble_out", "bubble_out_text", "bubble_in_text",
    "separator", "badge", "badge_muted", "danger", "input_bg", "link",
}  # fmt: skip


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    apply_theme(qapp, "system")


def test_both_palettes_define_every_colour() -> None:
    for palette in (LIGHT, DARK):
        colors = palette.colors()
        assert set(colors) == REQUIRED
        assert all(c.isValid() for c in colors.values())
    assert DARK.is_dark and not LIGHT.is_dark
    assert DARK.window.lightness() < 60 < 200 < LIGHT.window.lightness()


def test_switching_applies_palette_and_stylesheet(app: QApplication, qtbot: QtBot) -> None:
    apply_theme(app, "light")
    assert current_palette() is LIGHT
    assert app.palette().color(QPalette.ColorRole.Window) == LIGHT.window

    with qtbot.waitSignal(theme_controller().changed, timeout=1000):
        assert apply_theme(app, "dark") is DARK
    assert current_palette() is DARK
    assert app.palette().color(QPalette.ColorRole.Window) == DARK.window
    assert app.palette().color(QPalette.ColorRole.Text) == DARK.text
    assert DARK.input_bg.name() in app.styleSheet().lower()
    assert "@" not in app.styleSheet()

    with qtbot.assertNotEmitted(theme_controller().changed):
        apply_theme(app, "dark")


def test_system_mode_follows_the_os(
    app: QApplication, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    hints = app.styleHints()
    apply_theme(app, "system")
    assert current_palette() is LIGHT  # offscreen reports no scheme: light

    monkeypatch.setattr(hints, "colorScheme", lambda: Qt.ColorScheme.Dark)
    with qtbot.waitSignal(theme_controller().changed, timeout=1000):
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert current_palette() is DARK

    apply_theme(app, "light")  # an explicit choice ignores the OS from now on
    with qtbot.assertNotEmitted(theme_controller().changed):
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert current_palette() is LIGHT


def test_stylesheet_tokens() -> None:
    qss = render_stylesheet("/* @ignored */ QWidget { color: @text; border: @accent_hover; }", DARK)
    assert qss.strip() == f"QWidget {{ color: {DARK.text.name()}; border: " + (
        f"{DARK.accent.lighter(112).name()}; }}"
    )
    with pytest.raises(KeyError):
        render_stylesheet("QWidget { color: @txet; }", LIGHT)
