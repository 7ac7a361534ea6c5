"""Avatars: initials for Latin and CJK names, stable colours, circular rendering, the cache."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.theme import apply_theme
from app.ui.widgets.avatar import (
    AVATAR_COLORS,
    AvatarLabel,
    avatar_color,
    initials,
    render_avatar,
)


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    apply_theme(qapp, "light")
    yield qapp
    apply_theme(qapp, "system")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Night Owl", "NO"),
        ("橙子", "橙"),
        ("晚风 小舟", "晚"),
        ("bob", "B"),
        ("Morning Jog Weekly", "MJ"),
        ("  ", "?"),
        ("🐱 cat lover", "CL"),
        ("(Eve) ✨", "E"),
        ("별빛", "별"),
        ("Ming 李", "M"),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_colour_is_stable_per_key_and_spread() -> None:
    assert avatar_color("alice") == AVATAR_COLORS[zlib.crc32(b"alice") % len(AVATAR_COLORS)]
    assert avatar_color("alice") == avatar_color("alice")
    assert avatar_color("alice", dark=True) != avatar_color("alice")
    used = {avatar_color(f"user{i}").name() for i in range(64)}
    assert len(used) >= 6


def _near(actual: QColor, expected: QColor, tolerance: int = 6) -> bool:
    return all(
        abs(a - e) <= tolerance
        for a, e in zip(actual.getRgb()[:3], expected.getRgb()[:3], strict=True)
    )


def test_render_is_circular_hidpi_and_cached(app: QApplication) -> None:
    pixmap = render_avatar("alice", "Night Owl", 40, 2.0)
    assert (pixmap.width(), pixmap.height(), pixmap.devicePixelRatio()) == (80, 80, 2.0)
    image = pixmap.toImage()
    assert image.pixelColor(0, 0).alpha() == 0  # outside the circle
    assert _near(image.pixelColor(40, 6), avatar_color("alice"))  # fill, above the letters
    assert render_avatar("alice", "Night Owl", 40, 2.0).cacheKey() == pixmap.cacheKey()

    apply_theme(app, "dark")
    dark = render_avatar("alice", "Night Owl", 40, 2.0).toImage()
    assert _near(dark.pixelColor(40, 6), avatar_color("alice", dark=True))


def test_render_crops_an_image_into_the_circle(app: QApplication) -> None:
    photo = QImage(120, 60, QImage.Format.Format_RGB32)
    photo.fill(QColor("#3366CC"))
    image = render_avatar("bob", "Bob", 32, 1.0, photo).toImage()
    assert image.pixelColor(0, 0).alpha() == 0
    assert _near(image.pixelColor(16, 16), QColor("#3366CC"))


def test_avatar_label_paints_the_avatar(app: QApplication, qtbot: QtBot) -> None:
    label = AvatarLabel(48)
    qtbot.addWidget(label)
    label.set_avatar("zhang", "橙子")
    label.show()
    qtbot.waitExposed(label)
    image = label.grab().toImage()
    assert label.sizeHint().width() == 48
    assert _near(image.pixelColor(24, 3), avatar_color("zhang"))
    assert image.pixelColor(1, 1) != avatar_color("zhang")
    glyph = [image.pixelColor(x, y) for x in range(12, 36) for y in range(12, 36)]
    assert sum(c.lightness() > 230 for c in glyph) > 30  # white "张" in the middle
