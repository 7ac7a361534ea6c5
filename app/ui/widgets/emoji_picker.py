"""The composer's emoji panel: common emoji by category, a search box, and "Recent" on top.

Picking inserts the emoji and keeps the panel open, so several can be picked in a row (as in
Telegram Desktop); a click elsewhere or Esc closes it. What was picked last is remembered in
`AppSettings.recent_emoji` and shown first next time.

The grid is one painted widget, not a button per emoji, and it never rasterises a glyph while
painting: a colour emoji costs about 0.3 ms the first time it is drawn, so a screenful would
hold the GUI thread for 25 ms. Every emoji of the panel is drawn once into a small image
(`EmojiAtlas`, shared by the app's pickers) a few milliseconds at a time between events, first
screenful first, and the grid blits those. (Not on a worker thread: PySide keeps the GIL through
each drawing call, and the GUI thread's own painting then waited on it for the whole atlas.)
Search matches the Unicode names (Python's `unicodedata`), so "heart" or "cat" finds what a user
would expect without shipping a keyword table.
"""

from __future__ import annotations

import math
import time
import unicodedata
from collections import deque
from dataclasses import dataclass

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QHelpEvent,
    QIcon,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import Retranslatable
from app.ui.settings import AppSettings
from app.ui.theme import current_palette, theme_controller

COLUMNS = 9
VISIBLE_ROWS = 7
CELL = 38
TITLE_H = 30
EMOJI_PX = 24
GLYPH_BOX = 30
"""Logical pixels of the image each emoji is drawn on (the glyph and a little air)."""
SLICE_S = 0.003
"""The atlas draws for at most this long before letting the event loop run again."""
RECENT_ICON = "🕘"
RECENT_MAX = COLUMNS
"""One row: the recents stay a glance, not another category; older picks fall off the end."""

TEXT_DEFAULT = frozenset(
    "☺☝✌✍❤❣☀☁❄☃☂✈⛴⛰⌨☎⚖⚙✂✉✏✒✝☮☯☑✔✖‼⁉〰♻⚠➡⬅⬆⬇♾⛸"
    "🕉🗺🏎🏍🛳🖥🖨🖱🛠🛡🗝🛋🛏🖼🛍🖊🗯🎖🎗🏟🏖🏝🏜🏔🏕🌧🕯🏋"
)
"""Characters shown as plain text unless followed by VS16 (U+FE0F): without it a text font
that happens to have the symbol (DejaVu has ☎ and ✈) draws it in black and white."""

CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("people", "😀", "😀 😃 😄 😁 😆 😅 🤣 😂 🙂 🙃 😉 😊 😇 🥰 😍 🤩 😘 😗 😚 😋 😛 😜 🤪 😝 "
                    "🤗 🤭 🤫 🤔 🤐 🤨 😐 😑 😶 😏 😒 🙄 😬 😌 😔 😪 😴 😷 🤒 🤕 🤢 🤮 🥵 🥶 "
                    "😵 🤯 🤠 🥳 😎 🤓 🧐 😕 😟 🙁 ☺ 😮 😯 😲 😳 🥺 😦 😧 😨 😰 😥 😢 😭 😱 "
                    "😖 😣 😞 😓 😩 😫 🥱 😤 😡 😠 🤬 😈 👿 💀 💩 🤡 👻 👽 🤖 😺 😸 😹 😻 "
                    "👋 🤚 ✋ 🖖 👌 🤌 🤏 ✌ 🤞 🤟 🤘 🤙 👈 👉 👆 👇 ☝ 👍 👎 ✊ 👊 🤛 🤜 👏 "
                    "🙌 👐 🤲 🤝 🙏 ✍ 💪 👀 🧠 👶 🧒 👦 👧 🧑 👨 👩 🧓 👴 👵 🙋 🙅 🙆 🤷 🤦 "
                    "💁 🙇 💃 🕺 👫 💏 💑"),
    ("nature", "🐶", "🐶 🐱 🐭 🐹 🐰 🦊 🐻 🐼 🐨 🐯 🦁 🐮 🐷 🐸 🐵 🙈 🙉 🙊 🐔 🐧 🐦 🐤 🦆 🦅 "
                    "🦉 🐺 🐗 🐴 🦄 🐝 🐛 🦋 🐌 🐞 🐢 🐍 🐙 🦀 🐠 🐟 🐬 🐳 🦈 🐘 🦒 🐪 🐕 🐈 "
                    "🌵 🎄 🌲 🌳 🌴 🌱 🌿 🍀 🍁 🍂 🌷 🌹 🌺 🌸 🌼 🌻 🌞 🌝 🌚 🌙 ⭐ 🌟 ✨ ⚡ "
                    "🔥 🌈 ☀ ⛅ ☁ 🌧 ⛄ ❄ 🌊 💧"),
    ("food", "🍔", "🍏 🍎 🍐 🍊 🍋 🍌 🍉 🍇 🍓 🍒 🍑 🥭 🍍 🥥 🥝 🍅 🥑 🥦 🌽 🥕 🥔 🍠 🥐 🍞 "
                  "🧀 🥚 🍳 🥓 🍗 🍖 🌭 🍔 🍟 🍕 🥪 🌮 🌯 🥗 🍝 🍜 🍲 🍛 🍣 🍱 🥟 🍤 🍙 🍚 "
                  "🍘 🍥 🥮 🍢 🍡 🍧 🍨 🍦 🥧 🍰 🎂 🍮 🍭 🍬 🍫 🍿 🍩 🍪 ☕ 🍵 🧋 🥤 🍺 🍻 "
                  "🥂 🍷 🥃 🍸 🍹 🍾"),
    ("activity", "⚽", "⚽ 🏀 🏈 ⚾ 🎾 🏐 🏉 🎱 🏓 🏸 🥅 🏒 🏏 ⛳ 🏹 🎣 🥊 🥋 ⛸ 🎿 🏂 🏋 🤸 "
                      "🚴 🏊 🧘 🏆 🥇 🥈 🥉 🏅 🎖 🎗 🎫 🎪 🎭 🎨 🎬 🎤 🎧 🎼 🎹 🥁 🎷 🎺 🎸 🎻 "
                      "🎲 🧩 🎯 🎳 🎮 🎰 🎉 🎊 🎈 🎁 🎀 🧧 🎆 🎇 🏮"),
    ("travel", "🚗", "🚗 🚕 🚙 🚌 🏎 🚓 🚑 🚒 🚐 🚚 🚜 🛵 🏍 🚲 🛴 🚨 🚔 🚍 🚘 🚖 🚡 🚠 🚃 🚄 "
                    "🚅 🚂 🚆 🚇 🚊 ✈ 🛫 🛬 🚀 🛸 🚁 ⛵ 🚤 🛳 ⛴ 🚢 ⚓ ⛽ 🚧 🚦 🗺 🗽 🗼 🏰 "
                    "🏯 🏟 🎡 🎢 🎠 ⛲ 🏖 🏝 🏜 🌋 ⛰ 🏔 🗻 🏕 🏠 🏡 🏢 🏥 🏦 🏨 🏫 ⛪ 🕌 🌆 "
                    "🌃 🌉 🌁"),
    ("objects", "💡", "⌚ 📱 💻 ⌨ 🖥 🖨 🖱 💾 💿 📷 📸 📹 🎥 📞 ☎ 📺 📻 ⏰ ⏳ 🔋 🔌 💡 🔦 🕯 "
                     "💸 💵 💴 💶 💷 💰 💳 💎 ⚖ 🔧 🔨 🛠 🔩 ⚙ 💣 🔪 🛡 🔮 💊 💉 🩹 🧬 🔬 🔭 "
                     "🧹 🧺 🧻 🛁 🔑 🗝 🚪 🛋 🛏 🧸 🖼 🛍 🛒 ✉ 📩 📦 📝 📁 📅 📌 📎 ✂ 🔒 🔓 "
                     "📚 📖 ✏ 🖊"),
    ("symbols", "❤", "❤ 🧡 💛 💚 💙 💜 🖤 🤍 🤎 💔 ❣ 💕 💞 💓 💗 💖 💘 💝 💟 ☮ ✝ ☯ 🕉 ✅ "
                    "☑ ✔ ❌ ❎ ➕ ➖ ➗ ✖ ♾ ‼ ⁉ ❓ ❔ ❕ ❗ 〰 💯 🔞 📵 🚫 ⛔ 🆗 🆒 🆕 🆓 🆙 🆘 "
                    "🔝 🔜 ♻ ⚠ 🔴 🟠 🟡 🟢 🔵 🟣 ⚫ ⚪ 🟥 🟩 🟦 🔶 🔷 💬 💭 🗯 💤 🎵 🎶 ➡ ⬅ "
                    "⬆ ⬇ 🔄 🔁"),
)
"""(key, tab emoji, emoji separated by spaces): the common ones, as Telegram and WeChat order
them. Flags are left out: Windows draws them as two letters."""


def qualified(emoji: str) -> str:
    """`emoji` as it should be inserted: with VS16 where the character is text by default."""
    return emoji + "\ufe0f" if emoji in TEXT_DEFAULT else emoji


def emoji_name(emoji: str) -> str:
    """"grinning face": the Unicode name of the emoji's first character, in lower case."""
    return unicodedata.name(emoji[0], "").lower()


def draw_emoji(emoji: str, font: QFont, dpr: float) -> QImage:
    """`emoji` on a transparent `GLYPH_BOX` image."""
    side = math.ceil(GLYPH_BOX * dpr)
    image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(dpr)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setFont(font)
    painter.drawText(QRect(0, 0, GLYPH_BOX, GLYPH_BOX), Qt.AlignmentFlag.AlignCenter, emoji)
    painter.end()
    return image


class EmojiAtlas(QObject):
    """The panel's emoji drawn ahead of painting, in slices of `SLICE_S` between events;
    `grown` after each slice."""

    grown = Signal()

    def __init__(self, font: QFont, dpr: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._font = QFont(font)
        self._font.setPixelSize(EMOJI_PX)
        self._dpr = dpr
        self._images: dict[str, QImage] = {}
        ordered = [RECENT_ICON, *(qualified(icon) for _key, icon, _emoji in CATEGORIES)]
        ordered += [qualified(e) for _key, _icon, emoji in CATEGORIES for e in emoji.split()]
        self._queue = deque(dict.fromkeys(ordered))
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._draw_slice)
        self._timer.start()

    def image(self, emoji: str) -> QImage | None:
        return self._images.get(emoji)

    @property
    def complete(self) -> bool:
        return not self._queue

    def _draw_slice(self) -> None:
        deadline = time.perf_counter() + SLICE_S
        while self._queue and time.perf_counter() < deadline:
            emoji = self._queue.popleft()
            self._images[emoji] = draw_emoji(emoji, self._font, self._dpr)
        if not self._queue:
            self._timer.stop()
        self.grown.emit()


_atlases: dict[float, EmojiAtlas] = {}


def emoji_atlas(font: QFont, dpr: float) -> EmojiAtlas:
    """The app's atlas for a screen's pixel ratio, started on first use."""
    atlas = _atlases.get(dpr)
    if atlas is None:
        atlas = EmojiAtlas(font, dpr, QCoreApplication.instance())
        _atlases[dpr] = atlas
    return atlas


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    emoji: tuple[str, ...]

    @property
    def rows(self) -> int:
        return -(-len(self.emoji) // COLUMNS)

    @property
    def height(self) -> int:
        return TITLE_H + self.rows * CELL


class EmojiGrid(QWidget):
    """The painted sections of the panel; `picked(emoji)` on a click."""

    picked = Signal(str)

    def __init__(self, atlas: EmojiAtlas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self._atlas = atlas
        self._sections: list[Section] = []
        self._hover: tuple[int, int] | None = None
        atlas.grown.connect(self.update)

    @property
    def drawn(self) -> bool:
        """Every emoji of the panel is ready to be shown."""
        return self._atlas.complete

    def set_sections(self, sections: list[Section]) -> None:
        self._sections = list(sections)
        self._hover = None
        self.setFixedHeight(max(CELL, sum(s.height for s in self._sections)))
        self.update()

    @property
    def sections(self) -> list[Section]:
        return list(self._sections)

    def section_top(self, key: str) -> int:
        """Where section `key` starts (the top of its title), -1 if it is not shown."""
        top = 0
        for section in self._sections:
            if section.key == key:
                return top
            top += section.height
        return -1

    def section_at(self, y: int) -> str:
        top = 0
        for section in self._sections:
            if y < top + section.height:
                return section.key
            top += section.height
        return self._sections[-1].key if self._sections else ""

    def cell_rect(self, section: int, position: int) -> QRect:
        top = sum(s.height for s in self._sections[:section]) + TITLE_H
        row, column = divmod(position, COLUMNS)
        return QRect(column * CELL, top + row * CELL, CELL, CELL)

    def _at(self, pos: QPoint) -> tuple[int, int] | None:
        top = 0
        for number, section in enumerate(self._sections):
            grid_top = top + TITLE_H
            if grid_top <= pos.y() < top + section.height:
                column = pos.x() // CELL
                position = (pos.y() - grid_top) // CELL * COLUMNS + column
                if 0 <= column < COLUMNS and position < len(section.emoji):
                    return number, position
                return None
            top += section.height
        return None

    @property
    def current(self) -> str:
        """The highlighted emoji (under the mouse, or moved to with the arrows), "" if none."""
        if self._hover is None:
            return ""
        section, position = self._hover
        return self._sections[section].emoji[position]

    def move_highlight(self, key: Qt.Key) -> QRect | None:
        """The arrows move the highlighted cell (from the first one), across sections too;
        the cell's rectangle, to scroll to."""
        shown = [n for n, s in enumerate(self._sections) if s.emoji]
        if not shown:
            return None
        if self._hover is None:
            target = (shown[0], 0)
        else:
            number, position = self._hover
            count = len(self._sections[number].emoji)
            row, column = divmod(position, COLUMNS)
            before = [n for n in shown if n < number]
            after = [n for n in shown if n > number]
            target = self._hover
            if key == Qt.Key.Key_Right:
                target = (number, position + 1) if position + 1 < count else (
                    (after[0], 0) if after else target)
            elif key == Qt.Key.Key_Left:
                target = (number, position - 1) if position else (
                    (before[-1], len(self._sections[before[-1]].emoji) - 1) if before
                    else target)
            elif key == Qt.Key.Key_Down:
                if position + COLUMNS < count:
                    target = (number, position + COLUMNS)
                elif row + 1 < -(-count // COLUMNS):
                    target = (number, count - 1)  # the short last row
                elif after:
                    target = (after[0], min(column, len(self._sections[after[0]].emoji) - 1))
            elif key == Qt.Key.Key_Up:
                if row:
                    target = (number, position - COLUMNS)
                elif before:
                    above = len(self._sections[before[-1]].emoji)
                    last_row = (above - 1) // COLUMNS
                    target = (before[-1], min(last_row * COLUMNS + column, above - 1))
        for old in (self._hover, target):
            if old is not None:
                self.update(self.cell_rect(*old))
        self._hover = target
        return self.cell_rect(*target)

    def emoji_at(self, pos: QPoint) -> str:
        hit = self._at(pos)
        return self._sections[hit[0]].emoji[hit[1]] if hit else ""

    def sizeHint(self) -> QSize:
        return QSize(COLUMNS * CELL, self.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = current_palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        exposed = event.rect()
        title_font = QFont(self.font())
        title_font.setWeight(QFont.Weight.DemiBold)
        top = 0
        for number, section in enumerate(self._sections):
            bottom = top + section.height
            if bottom >= exposed.top() and top <= exposed.bottom():
                painter.setFont(title_font)
                painter.setPen(palette.secondary_text)
                painter.drawText(QRect(8, top, self.width() - 16, TITLE_H),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 section.title)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(palette.list_hover)
                offset = (CELL - GLYPH_BOX) // 2
                for position, emoji in enumerate(section.emoji):
                    rect = self.cell_rect(number, position)
                    if not rect.intersects(exposed):
                        continue
                    if self._hover == (number, position):
                        painter.drawRoundedRect(rect.adjusted(2, 2, -2, -2), 8, 8)
                    image = self._atlas.image(emoji)
                    if image is not None:
                        painter.drawImage(rect.topLeft() + QPoint(offset, offset), image)
            top = bottom
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self._at(event.position().toPoint())
        if hit != self._hover:
            for old in (self._hover, hit):
                if old is not None:
                    self.update(self.cell_rect(*old))
            self._hover = hit
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self.update(self.cell_rect(*self._hover))
            self._hover = None
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        emoji = self.emoji_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and emoji:
            self.picked.emit(emoji)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            emoji = self.emoji_at(event.pos())
            if emoji:
                QToolTip.showText(event.globalPos(), emoji_name(emoji), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class EmojiPicker(Retranslatable, QFrame):
    """A popup over the composer. `picked(emoji)` carries the emoji to insert (qualified);
    it is already recorded in the recents."""

    picked = Signal(str)

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("emojiPicker")
        self._settings = settings
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self._atlas = emoji_atlas(self.font(), self.devicePixelRatioF())
        self.grid = EmojiGrid(self._atlas)
        self._scroll = QScrollArea(self)
        self._scroll.setWidget(self.grid)
        self._scroll.setWidgetResizable(False)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setFixedSize(COLUMNS * CELL + 14, VISIBLE_ROWS * CELL + TITLE_H)
        self._tabs: dict[str, QToolButton] = {}
        tabs = QHBoxLayout()
        tabs.setContentsMargins(0, 0, 0, 0)
        tabs.setSpacing(2)
        for key, _icon, _emoji in (("recent", RECENT_ICON, ""), *CATEGORIES):
            tab = QToolButton(self)
            tab.setIconSize(QSize(20, 20))
            tab.setCheckable(True)
            tab.setAutoExclusive(True)
            tab.setFixedSize(34, 32)
            tab.clicked.connect(lambda _checked=False, k=key: self.scroll_to(k))
            tabs.addWidget(tab)
            self._tabs[key] = tab
        tabs.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.setSpacing(8)
        layout.addWidget(self.search)
        layout.addWidget(self._scroll)
        layout.addLayout(tabs)
        self.search.textChanged.connect(self._fill)
        self.search.returnPressed.connect(self._pick_first)
        self.search.installEventFilter(self)  # the arrows walk the grid from the field
        self.grid.picked.connect(self._on_picked)
        self._scroll.verticalScrollBar().valueChanged.connect(self._follow_scroll)
        self._atlas.grown.connect(self._set_tab_icons)
        self._set_tab_icons()
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    # --- contents ------------------------------------------------------------------------

    def recents(self) -> list[str]:
        return [e for e in self._settings.recent_emoji.split() if e][:RECENT_MAX]

    def _titles(self) -> dict[str, str]:
        return {
            "recent": self.tr("Recent"),
            "people": self.tr("Smileys & people"),
            "nature": self.tr("Animals & nature"),
            "food": self.tr("Food & drink"),
            "activity": self.tr("Activities"),
            "travel": self.tr("Travel & places"),
            "objects": self.tr("Objects"),
            "symbols": self.tr("Symbols"),
        }

    def _fill(self) -> None:
        titles = self._titles()
        query = self.search.text().strip().lower()
        if query:
            words = query.split()
            seen: dict[str, None] = {}
            for _key, _icon, emoji in CATEGORIES:
                for e in emoji.split():
                    name = emoji_name(e)
                    if all(w in name for w in words):
                        seen.setdefault(qualified(e))
            title = self.tr("Search results") if seen else self.tr("No emoji found")
            self.grid.set_sections([Section("search", title, tuple(seen))])
        else:
            recents = tuple(self.recents())
            sections = [Section("recent", titles["recent"], recents)] if recents else []
            sections += [Section(key, titles[key], tuple(qualified(e) for e in emoji.split()))
                         for key, _icon, emoji in CATEGORIES]
            self.grid.set_sections(sections)
        for key, tab in self._tabs.items():
            tab.setVisible(not query)
            tab.setEnabled(self.grid.section_top(key) >= 0)
        self._follow_scroll()

    def _set_tab_icons(self) -> None:
        """The tabs show their category's emoji, from the atlas."""
        icons = {"recent": RECENT_ICON}
        icons.update((key, qualified(icon)) for key, icon, _emoji in CATEGORIES)
        for key, tab in self._tabs.items():
            image = self._atlas.image(icons[key])
            if image is not None and tab.icon().isNull():
                tab.setIcon(QIcon(QPixmap.fromImage(image)))

    def scroll_to(self, key: str) -> None:
        top = self.grid.section_top(key)
        if top >= 0:
            self._scroll.verticalScrollBar().setValue(top)

    def _follow_scroll(self) -> None:
        key = self.grid.section_at(self._scroll.verticalScrollBar().value() + 1)
        tab = self._tabs.get(key)
        if tab is not None and not tab.isChecked():
            tab.setChecked(True)

    def _on_picked(self, emoji: str) -> None:
        recents = [emoji, *(e for e in self.recents() if e != emoji)][:RECENT_MAX]
        self._settings.recent_emoji = " ".join(recents)
        self.picked.emit(emoji)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.search and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)):
            key = event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) or (
                    key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self.grid.current):
                rect = self.grid.move_highlight(Qt.Key(key))
                if rect is not None:
                    self._scroll.ensureVisible(rect.center().x(), rect.center().y(), CELL, CELL)
                return True
        return super().eventFilter(watched, event)

    def _pick_first(self) -> None:
        """Enter: the highlighted emoji, else the first one shown."""
        if self.grid.current:
            self.grid.picked.emit(self.grid.current)
            return
        sections = self.grid.sections
        if sections and sections[0].emoji:
            self.grid.picked.emit(sections[0].emoji[0])

    # --- showing -------------------------------------------------------------------------

    def popup_above(self, anchor: QWidget) -> None:
        """Open with its bottom right corner just above `anchor`'s top right corner (kept on
        the anchor's screen)."""
        self.search.clear()
        self._fill()
        self.scroll_to("recent" if self.recents() else "people")
        self.adjustSize()
        corner = anchor.mapToGlobal(QPoint(anchor.width(), 0))
        x, y = corner.x() - self.width(), corner.y() - self.height() - 6
        screen = anchor.screen().availableGeometry()
        self.move(max(screen.left(), min(x, screen.right() - self.width())),
                  max(screen.top(), y))
        self.show()
        self.search.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search emoji"))
        titles = self._titles()
        for key, tab in self._tabs.items():
            tab.setToolTip(titles[key])
        self._fill()

    def _apply_theme(self) -> None:
        palette = current_palette()
        self.setStyleSheet(
            f"QFrame#emojiPicker {{ background: {palette.list_bg.name()};"
            f" border: 1px solid {palette.separator.name()}; }}"
            f"QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; }}")
        self.grid.update()

