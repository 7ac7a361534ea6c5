"""Emoji are drawn in colour: the app font lists the colour emoji faces as fallbacks and Qt
shapes emoji with them. Fails (does not skip) without a colour emoji font: `make` installs
fonts-noto-color-emoji on Linux; Windows and macOS ship Segoe UI Emoji / Apple Color Emoji."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.ui.theme import COLOR_EMOJI_FAMILIES, apply_theme

EMOJI = "🐱👍🎉"


def _colourful(color: QColor) -> bool:
    return color.alpha() > 200 and color.hsvSaturationF() > 0.35 and color.valueF() > 0.2


def test_emoji_are_drawn_in_colour(qapp: QApplication, qtbot: QtBot) -> None:
    installed = [f for f in COLOR_EMOJI_FAMILIES if QFontDatabase.hasFamily(f)]
    assert installed, "no colour emoji font: install fonts-noto-color-emoji (`make` does)"
    apply_theme(qapp, "light")
    try:
        families = qapp.font().families()
        assert families[-len(COLOR_EMOJI_FAMILIES):] == list(COLOR_EMOJI_FAMILIES)
        assert QFontDatabase.applicationEmojiFontFamilies() == installed

        layout = QTextLayout(f"ok {EMOJI}", qapp.font())
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        runs = {run.rawFont().familyName(): run for run in layout.glyphRuns()}
        assert installed[0] in runs
        # Latin letters, spaces and digits stay in the UI face (the emoji face has digits too).
        text = QTextLayout("Ab 12:05", qapp.font())
        text.beginLayout()
        text.createLine()
        text.endLayout()
        assert not {r.rawFont().familyName() for r in text.glyphRuns()} & set(installed)

        label = QLabel(EMOJI)
        font = QFont(label.font())
        font.setPixelSize(32)
        label.setFont(font)
        qtbot.addWidget(label)
        label.show()
        qtbot.waitExposed(label)
        image = label.grab().toImage()
        colourful = sum(_colourful(image.pixelColor(x, y))
                        for y in range(image.height()) for x in range(image.width()))
        # Three 32 px emoji in colour cover well over a thousand pixels; a monochrome glyph
        # in the label's grey-on-grey palette or an empty box covers none.
        assert colourful > 600, colourful
    finally:
        apply_theme(qapp, "system")
