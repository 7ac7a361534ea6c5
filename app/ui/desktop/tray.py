"""The tray icon with the unread total (N3) and the way back to a hidden window (N4).

Linux trays have no badge API, so the count is painted into the icon itself (as Nheko and
Telegram Desktop do); docks and taskbars that have one also get `setBadgeNumber`. Many desktops
(GNOME without an extension, offscreen tests) have no tray at all: everything here still works
there, the icon just never shows, so the main window must never rely on the tray to be reopened
or quit.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QIcon,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from app.ui.resources import app_icon
from app.ui.settings import AppSettings

BADGE_COLOR = QColor("#E5484D")
"""Red on every theme: the tray's background belongs to the OS, not to our palette."""

ICON_SIZES = (16, 20, 22, 24, 32, 40, 48, 64, 128)
"""Sizes trays, taskbars and window decorations ask for, 1x and 2x."""
SMALL_ICON = 24
"""Below this many pixels a three-character count is unreadable."""


def badge_text(n: int) -> str:
    return "99+" if n > 99 else str(n)


def badge_icon(base: QIcon | QPixmap, n: int) -> QIcon:
    """`base` with a red unread badge holding `n` in the top-right corner; `base` as is for n ≤ 0.

    Pure (no app state besides a QGuiApplication for QPixmap), so it can be tested and
    screenshotted. Painted at every ICON_SIZES size, so small tray icons get a proportionate
    badge instead of a downscaled blur.
    """
    icon = base if isinstance(base, QIcon) else QIcon(base)
    if n <= 0:
        return QIcon(icon)
    text = badge_text(n)
    badged = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        icon.paint(painter, 0, 0, size, size)
        _paint_badge(painter, size, text)
        painter.end()
        badged.addPixmap(pixmap)
    return badged


def _paint_badge(painter: QPainter, size: int, text: str) -> None:
    """A red pill in the top-right corner with a thin white ring, so it stands out on a tray of
    any colour. Relatively larger on small icons so one or two digits stay readable at 16 px;
    "99+" cannot be read there, so tiny icons show a plain dot instead."""
    height = size * (0.5 if size >= 32 else 0.625)
    if size < SMALL_ICON and len(text) > 2:
        text = ""
    font = QFont()
    font.setPixelSize(max(6, round(height * 0.7)))
    font.setWeight(QFont.Weight.Bold)
    ink = QFontMetricsF(font).tightBoundingRect(text) if text else QRectF()
    ring = max(1.0, size / 32)
    room = size - 2 * ring - height * 0.3
    if ink.width() > room:  # "99+" on a narrow icon: shrink the digits rather than clip them
        font.setPixelSize(max(6, int(font.pixelSize() * room / ink.width())))
        ink = QFontMetricsF(font).tightBoundingRect(text)
    width = min(float(size), max(height, ink.width() + height * 0.55))
    pill = QRectF(size - width, 0, width, height)
    inner = pill.adjusted(ring, ring, -ring, -ring)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#FFFFFF"))
    painter.drawRoundedRect(pill, height / 2, height / 2)
    painter.setBrush(BADGE_COLOR)
    painter.drawRoundedRect(inner, inner.height() / 2, inner.height() / 2)
    if text:
        # Centre the digits' ink, not their line box, or they sit visibly low in the pill.
        center = inner.center()
        x = center.x() - ink.width() / 2 - ink.left()
        y = center.y() - ink.height() / 2 - ink.top()
        painter.setFont(font)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(QPointF(x, y), text)


class _TrayMenu(QMenu):
    """The context menu; relays LanguageChange, which only widgets receive, to the TrayIcon."""

    language_changed = Signal()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.language_changed.emit()
        super().changeEvent(event)


class TrayIcon(QObject):
    """The app's tray icon: unread badge and tooltip, click to open, menu with Do not disturb."""

    activate_requested = Signal()
    """The user wants the main window (tray click or "Open Tidings")."""
    quit_requested = Signal()
    """The user chose Quit: the app should shut down, not just hide."""

    def __init__(
        self, settings: AppSettings, icon: QIcon | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._base_icon = icon if icon is not None else app_icon()
        self._unread = 0

        self._menu = _TrayMenu()
        self._open_action = QAction(self._menu)
        self._open_action.triggered.connect(self.activate_requested)
        self._dnd_action = QAction(self._menu)
        self._dnd_action.setCheckable(True)
        self._dnd_action.setChecked(settings.do_not_disturb)
        self._dnd_action.toggled.connect(self._on_dnd_toggled)
        self._quit_action = QAction(self._menu)
        self._quit_action.triggered.connect(self.quit_requested)
        self._menu.addAction(self._open_action)
        self._menu.addAction(self._dnd_action)
        self._menu.addSeparator()
        self._menu.addAction(self._quit_action)
        self._menu.language_changed.connect(self._retranslate)
        settings.changed.connect(self._on_setting_changed)

        self._tray = QSystemTrayIcon(self._base_icon, self)
        self._tray.setContextMenu(self._menu)
        self._tray.activated.connect(self._on_activated)
        self._retranslate()

    @property
    def available(self) -> bool:
        """Whether the desktop has a tray right now (it can appear and vanish at runtime)."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    @property
    def unread(self) -> int:
        return self._unread

    @property
    def menu(self) -> QMenu:
        return self._menu

    @property
    def tray(self) -> QSystemTrayIcon:
        return self._tray

    def show(self) -> None:
        """Show the icon if there is a tray; a no-op otherwise."""
        if self.available:
            self._tray.show()

    def hide(self) -> None:
        self._tray.hide()

    def set_unread(self, n: int) -> None:
        """Show `n` unread on the icon, the tooltip and the dock/taskbar badge."""
        n = max(0, n)
        if n == self._unread:
            return
        self._unread = n
        self._tray.setIcon(badge_icon(self._base_icon, n))
        self._retranslate_tooltip()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication) and hasattr(app, "setBadgeNumber"):  # Qt ≥ 6.5
            app.setBadgeNumber(n)

    def _retranslate(self) -> None:
        self._open_action.setText(self.tr("Open Tidings"))
        self._dnd_action.setText(self.tr("Do not disturb"))
        self._quit_action.setText(self.tr("Quit"))
        self._retranslate_tooltip()

    def _retranslate_tooltip(self) -> None:
        if self._unread:
            self._tray.setToolTip(self.tr("Tidings — %n unread", "", self._unread))
        else:
            self._tray.setToolTip(self.tr("Tidings"))

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.activate_requested.emit()

    def _on_dnd_toggled(self, checked: bool) -> None:
        self._settings.do_not_disturb = checked

    def _on_setting_changed(self, key: str) -> None:
        if key == "do_not_disturb":
            self._dnd_action.setChecked(self._settings.do_not_disturb)
