"""The "Keyboard shortcuts" sheet (Ctrl+/, the account menu, Settings): every shortcut of
`app.ui.shortcuts` by category, each with its keys drawn as key caps.

It reads the registry each time it is drawn in a language, so it lists exactly what is
installed, and the send keys as the send-key setting has them.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import Retranslatable
from app.ui.settings import AppSettings
from app.ui.shortcuts import Category, Shortcut, category_title, key_caps, registry
from app.ui.theme import current_palette, theme_controller

CAP_HEIGHT = 24
CAP_PADDING = 8
CAP_GAP = 4
COLUMNS = ((Category.NAVIGATION, Category.APP), (Category.CHAT, Category.VIEWER))
"""Which categories the sheet shows side by side, top to bottom in each."""


class KeyCaps(QWidget):
    """One shortcut's keys: each combination as caps side by side, alternatives apart with a
    quiet "or"."""

    def __init__(self, combos: list[list[str]], or_text: str, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.combos = combos
        self.or_text = or_text
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(12)
        font.setWeight(QFont.Weight.Medium)
        return font

    def _layout(self) -> list[tuple[str, QRectF]]:
        """(text, rect) of every cap and "or", left to right; an "or" has no border."""
        metrics = QFontMetricsF(self._font())
        x = 0.0
        items: list[tuple[str, QRectF]] = []
        for number, combo in enumerate(self.combos):
            if number:
                width = metrics.horizontalAdvance(self.or_text)
                x += 6
                items.append(("\0" + self.or_text, QRectF(x, 0, width, CAP_HEIGHT)))
                x += width + 6
            for cap_number, cap in enumerate(combo):
                if cap_number:
                    x += CAP_GAP
                width = max(CAP_HEIGHT, metrics.horizontalAdvance(cap) + 2 * CAP_PADDING)
                items.append((cap, QRectF(x, 0, width, CAP_HEIGHT)))
                x += width
        return items

    def sizeHint(self) -> QSize:
        items = self._layout()
        width = items[-1][1].right() if items else 0
        return QSize(int(width) + 2, CAP_HEIGHT + 3)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        painter.setFont(self._font())
        face = palette.input_bg
        edge = palette.separator.darker(115) if not palette.is_dark else palette.separator
        under = edge.darker(110) if not palette.is_dark else edge.darker(140)
        for text, rect in self._layout():
            if text.startswith("\0"):
                painter.setPen(palette.secondary_text)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text[1:])
                continue
            cap = rect.adjusted(0.5, 0.5, -0.5, -0.5)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(under)  # the cap's lower edge, as a key has
            painter.drawRoundedRect(cap.translated(0, 2), 5, 5)
            painter.setPen(edge)
            painter.setBrush(face)
            painter.drawRoundedRect(cap, 5, 5)
            painter.setPen(palette.text)
            painter.drawText(cap, Qt.AlignmentFlag.AlignCenter, text)


class ShortcutsSheet(Retranslatable, QDialog):
    def __init__(self, settings: AppSettings | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsSheet")
        self._settings = settings
        self.setMinimumSize(640, 420)
        self.resize(920, 700)
        self.title = QLabel(self)
        font = self.title.font()
        font.setPixelSize(18)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.buttons)
        self.rows: dict[str, tuple[QLabel, KeyCaps]] = {}
        """By shortcut name: its description and its caps, as shown."""
        theme_controller().changed.connect(self._fill)
        if settings is not None:
            settings.changed.connect(self._on_setting)
        self.retranslate()

    def _on_setting(self, key: str) -> None:
        if key == "send_key":
            self._fill()

    def shortcuts(self) -> list[Shortcut]:
        send_key = self._settings.send_key if self._settings is not None else "enter"
        return registry(send_key)

    def _fill(self) -> None:
        palette = current_palette()
        body = QWidget()
        body.setObjectName("shortcutsBody")
        body.setStyleSheet(f"QWidget#shortcutsBody {{ background: {palette.window.name()}; }}")
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 8, 0)
        columns.setSpacing(36)
        self.rows = {}
        by_category: dict[Category, list[Shortcut]] = {}
        for shortcut in self.shortcuts():
            by_category.setdefault(shortcut.category, []).append(shortcut)
        for categories, stretch in zip(COLUMNS, (5, 4), strict=True):  # the left one's keys
            column = QVBoxLayout()                                       # are the longer
            column.setSpacing(4)
            columns.addLayout(column, stretch)
            for number, category in enumerate(categories):
                entries = by_category.get(category, [])
                if entries:
                    self._section(body, column, category, entries, number > 0)
            column.addStretch(1)
        self.scroll.setWidget(body)

    def _section(self, body: QWidget, column: QVBoxLayout, category: Category,
                 entries: list[Shortcut], gap: bool) -> None:
        palette = current_palette()
        heading = QLabel(category_title(category), body)
        heading_font = heading.font()
        heading_font.setWeight(QFont.Weight.DemiBold)
        heading.setFont(heading_font)
        heading.setStyleSheet(f"color: {palette.accent.name()};")
        if gap:
            column.addSpacing(18)
        column.addWidget(heading)
        column.addSpacing(4)
        for shortcut in entries:
            # A row of its own, not a grid: a label takes the width its own caps leave.
            row = QHBoxLayout()
            row.setSpacing(16)
            label = QLabel(shortcut.describe(), body)
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            caps = KeyCaps([key_caps(k) for k in shortcut.keys], self.tr("or"), body)
            row.addWidget(label, 1)
            row.addWidget(caps, 0, Qt.AlignmentFlag.AlignVCenter)
            column.addLayout(row)
            column.addSpacing(6)
            self.rows[shortcut.name] = (label, caps)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.title.setText(self.tr("Keyboard shortcuts"))
        self._fill()
