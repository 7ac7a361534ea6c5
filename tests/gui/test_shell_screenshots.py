"""Review artefacts (test-artifacts/shell/*.png): badge icons, avatars, themed widgets.

These are for a human to look at (alignment, clipping, colours), not golden-image comparisons:
offscreen font rendering differs from every real desktop. The tests only check the files exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.ui.desktop.tray import TrayIcon, badge_icon
from app.ui.palette import DARK, LIGHT, Palette
from app.ui.resources import app_icon
from app.ui.settings import AppSettings
from app.ui.theme import apply_theme, set_primary
from app.ui.widgets.avatar import render_avatar

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "shell"

AVATAR_NAMES = [
    ("u-alice", "Night Owl"),
    ("u-bob", "bob"),
    ("u-mjw", "Morning Jog Weekly"),
    ("u-chengzi", "橙子"),
    ("u-wanfeng", "晚风小舟"),
    ("u-laomao", "老猫"),
    ("u-cat", "🐱 cat lover"),
    ("u-byeol", "별빛"),
    ("g-team", "Team 产品组"),
]


@pytest.fixture
def artifacts(qapp: QApplication) -> Iterator[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield ARTIFACTS
    apply_theme(qapp, "system")


def _canvas(width: int, height: int, dpr: float = 1.0) -> QImage:
    image = QImage(round(width * dpr), round(height * dpr), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(dpr)
    image.fill(Qt.GlobalColor.transparent)
    return image


def _caption(painter: QPainter, rect: QRect, text: str, color: QColor) -> None:
    font = QFont()
    font.setPixelSize(11)
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)


def test_badge_icons(artifacts: Path) -> None:
    """64 px icons with 0 / 5 / 120 unread, then 5 and 120 at tray sizes, on both themes."""
    cells = [(n, 64) for n in (0, 5, 120)] + [(n, s) for n in (5, 120) for s in (32, 24, 16)]
    cell_w, row_h = 84, 100
    image = _canvas(cell_w * len(cells), row_h * 2)
    painter = QPainter(image)
    for row, palette in enumerate((LIGHT, DARK)):
        top = row * row_h
        painter.fillRect(0, top, image.width(), row_h, palette.rail)
        for i, (n, size) in enumerate(cells):
            left = i * cell_w
            pixmap = badge_icon(app_icon(), n).pixmap(size, size)
            painter.drawPixmap(left + (cell_w - size) // 2, top + 10 + (64 - size) // 2, pixmap)
            label = f"{n} · {size}px"
            _caption(painter, QRect(left, top + 80, cell_w, 16), label, palette.secondary_text)
    painter.end()
    path = artifacts / "badges.png"
    assert image.save(str(path))

    zoom = image.copy(QRect(3 * cell_w, 0, 6 * cell_w, row_h * 2))
    zoom = zoom.scaled(
        zoom.width() * 3, zoom.height() * 3, mode=Qt.TransformationMode.FastTransformation
    )
    assert zoom.save(str(artifacts / "badges_small_x3.png"))


def _avatar_row(painter: QPainter, top: int, palette: Palette, size: int) -> None:
    photo = QImage(160, 100, QImage.Format.Format_RGB32)
    gradient = QLinearGradient(0, 0, 160, 100)
    gradient.setColorAt(0, QColor("#F6D365"))
    gradient.setColorAt(1, QColor("#FDA085"))
    photo_painter = QPainter(photo)
    photo_painter.fillRect(photo.rect(), gradient)
    photo_painter.end()

    cell = 96
    entries: list[tuple[str, str, QImage | None]] = [(k, t, None) for k, t in AVATAR_NAMES]
    entries.append(("u-photo", "Photo", photo))
    painter.fillRect(0, top, cell * len(entries), size + 44, palette.list_bg)
    for i, (key, text, image) in enumerate(entries):
        pixmap = render_avatar(key, text, size, painter.device().devicePixelRatio(), image)
        painter.drawPixmap(QPoint(i * cell + (cell - size) // 2, top + 8), pixmap)
        caption = QRect(i * cell, top + size + 14, cell, 20)
        _caption(painter, caption, text, palette.text)


def test_avatar_strip(artifacts: Path, qapp: QApplication) -> None:
    size, cell, count = 48, 96, len(AVATAR_NAMES) + 1
    image = _canvas(cell * count, (size + 44) * 2, dpr=2.0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    apply_theme(qapp, "light")
    _avatar_row(painter, 0, LIGHT, size)
    apply_theme(qapp, "dark")
    _avatar_row(painter, size + 44, DARK, size)
    painter.end()
    assert image.save(str(artifacts / "avatars.png"))


def _sample_form() -> QWidget:
    form = QWidget()
    form.setAutoFillBackground(True)
    layout = QVBoxLayout(form)
    layout.setContentsMargins(16, 16, 16, 16)
    layout.setSpacing(10)
    title = QLabel("Settings · 设置")
    title_font = title.font()
    title_font.setPixelSize(18)
    title_font.setWeight(QFont.Weight.DemiBold)
    title.setFont(title_font)
    layout.addWidget(title)
    search = QLineEdit()
    search.setPlaceholderText("Search chats and contacts")
    layout.addWidget(search)
    server = QLineEdit("wss://chat.example.com/ws")
    layout.addWidget(server)
    language = QComboBox()
    language.addItems(["Follow system", "English", "简体中文"])
    layout.addWidget(language)
    tray = QCheckBox("Close to tray · 关闭时最小化到托盘")
    tray.setChecked(True)
    layout.addWidget(tray)
    chats = QListWidget()
    chats.addItems(
        [f"Night Owl — see you at {h}:00" for h in range(8, 12)]
        + ["橙子：明天下午三点开会", "产品组：[图片]", "Morning Jog Weekly: 👍",
           "老猫：收到，谢谢！"]
        + [f"Conversation {i}" for i in range(9, 20)]
    )
    chats.setCurrentRow(1)
    chats.setMinimumHeight(170)
    layout.addWidget(chats)
    composer = QPlainTextEdit()
    composer.setPlaceholderText("Write a message…")
    composer.setFixedHeight(64)
    layout.addWidget(composer)
    buttons = QHBoxLayout()
    disabled = QPushButton("Disabled")
    disabled.setEnabled(False)
    buttons.addWidget(disabled)
    buttons.addStretch(1)
    buttons.addWidget(QPushButton("Cancel"))
    send = QPushButton("Send 发送")
    set_primary(send)
    buttons.addWidget(send)
    layout.addLayout(buttons)
    form.resize(380, 560)
    return form


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_themed_widgets(
    artifacts: Path, qapp: QApplication, qtbot: QtBot, tmp_path: Path, mode: str
) -> None:
    apply_theme(qapp, mode)  # type: ignore[arg-type]
    form = _sample_form()
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    assert form.grab().save(str(artifacts / f"widgets_{mode}.png"))

    settings = AppSettings(tmp_path / "tidings.ini")
    settings.do_not_disturb = True
    tray = TrayIcon(settings)
    tray.menu.popup(QPoint(0, 0))
    qtbot.waitExposed(tray.menu)
    assert tray.menu.grab().save(str(artifacts / f"tray_menu_{mode}.png"))
    tray.menu.close()
