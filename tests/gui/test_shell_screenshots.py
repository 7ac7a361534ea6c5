"""Screenshots of the real app's windows (test-artifacts/shell/*.png), each checked for what is
drawn: every widget inside its window, no text cut off or elided where there is room, the
expected rows in the expected order, badges where they belong.

The pictures are for a human to look at (alignment, colours); offscreen font rendering differs
from every real desktop, so nothing is compared with a golden image.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QStyleOptionViewItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.protocol import ConvType
from app.sdk import Conversation, IMClient
from app.ui.bridge import SdkBridge
from app.ui.desktop.tray import ICON_SIZES, TrayIcon
from app.ui.models.conversations import ConversationListModel, Role
from app.ui.resources import app_icon
from app.ui.settings import AppSettings
from app.ui.theme import apply_theme
from app.ui.views.conversation_list import ConversationListPane
from app.ui.views.main_window import MainWindow
from app.ui.views.settings_dialog import SettingsDialog
from app.ui.widgets.conversation_delegate import ConversationDelegate
from tests.gui.conftest import deliver_posted_events, until
from tests.support.clients import Peer, sdk_config
from tests.support.service import Service

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "shell"
Run = Callable[..., Any]

NAMES = [
    ("u-alice", "Night Owl"),
    ("u-bob", "bob"),
    ("u-mjw", "Morning Jog Weekly"),
    ("u-chengzi", "橙子"),
    ("u-wanfeng", "晚风小舟"),
    ("u-laomao", "老猫"),
    ("u-cat", "🐱 cat lover"),
    ("u-byeol", "별빛"),
]


@pytest.fixture
def artifacts(qapp: QApplication) -> Iterator[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield ARTIFACTS
    apply_theme(qapp, "system")


# --- what "drawn well" means ------------------------------------------------------------------


def drawing_problems(root: QWidget) -> list[str]:
    """Widgets of `root`'s window that stick out of it, and texts that do not fit their
    widget: a one-line label or button narrower than its text, a wrapped label shorter than
    its lines. Empty when everything is drawn whole."""
    problems = []
    bounds = root.rect()
    for widget in root.findChildren(QWidget):
        if widget.window() is not root or not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        if _inside_scrolled_content(widget, root):
            continue
        name = f"{type(widget).__name__} {widget.objectName() or _text(widget)!r}"
        where = QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())
        if not bounds.contains(where):
            problems.append(f"{name} at {where.getRect()} is outside {bounds.getRect()}")
        text = _text(widget)
        if not text:
            continue
        if isinstance(widget, QLabel):
            if widget.wordWrap() or widget.textFormat() == Qt.TextFormat.RichText:
                if widget.wordWrap() and widget.height() < widget.heightForWidth(widget.width()):
                    problems.append(f"{name}: {widget.height()} px tall, its lines need "
                                    f"{widget.heightForWidth(widget.width())}")
            elif widget.fontMetrics().horizontalAdvance(text) > widget.contentsRect().width():
                problems.append(f"{name}: text wider than its {widget.width()} px")
        elif isinstance(widget, QAbstractButton) and widget.sizeHint().width() > widget.width():
            problems.append(f"{name}: needs {widget.sizeHint().width()} px, has "
                            f"{widget.width()}")
    return problems


def _text(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    value = text() if callable(text) else ""
    return value if isinstance(value, str) else ""


def _inside_scrolled_content(widget: QWidget, root: QWidget) -> bool:
    """Content of a scroll area may extend past it by design (it scrolls)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and parent is grand.viewport():
            return not isinstance(widget.parentWidget(), QAbstractScrollArea)
        parent = grand
    return False


def row_names(view_pane: ConversationListPane) -> list[tuple[str, str]]:
    """(the name, what the row draws of it) for every row, at the list's real width."""
    view = view_pane.list
    delegate = view.itemDelegate()
    assert isinstance(delegate, ConversationDelegate)
    drawn = []
    for row in range(view.model().rowCount()):
        index = view.model().index(row, 0)
        conv = index.data(Role.CONVERSATION)
        option = QStyleOptionViewItem()
        option.initFrom(view.viewport())
        option.rect = view.visualRect(index)
        option.font = view.font()
        drawn.append((conv.show_name, delegate.displayed_name(option, conv)))
    return drawn


def _colourful(color: QColor) -> bool:
    return color.alpha() > 200 and color.hsvSaturationF() > 0.5


# --- tray badges -----------------------------------------------------------------------------


def test_tray_badges(artifacts: Path, tmp_path: Path) -> None:
    """The tray's real icon at 0, 5 and 120 unread, at every size trays ask for."""
    tray = TrayIcon(AppSettings(tmp_path / "tidings.ini"))
    sizes = [s for s in ICON_SIZES if s <= 64]
    counts = (0, 5, 120)
    sheet = QImage(sum(sizes) + 10 * len(sizes), 70 * len(counts), QImage.Format.Format_ARGB32)
    sheet.fill(QColor("#2B2D31"))
    plain = app_icon()
    shot: list[tuple[int, int, QImage]] = []
    for row, n in enumerate(counts):
        tray.set_unread(n)
        assert tray.unread == n
        x = 0
        for size in sizes:
            image = tray.tray.icon().pixmap(size, size).toImage()
            shot.append((x, row * 70, image))
            x += size + 10
            red = [(px, py) for py in range(image.height()) for px in range(image.width())
                   if _colourful(image.pixelColor(px, py))
                   and image.pixelColor(px, py).red() > 180
                   and image.pixelColor(px, py).green() < 110]
            if n == 0:
                assert image == plain.pixmap(size, size).toImage(), size
                continue
            assert red, f"no badge at {size} px"
            xs, ys = [p[0] for p in red], [p[1] for p in red]
            # The pill hugs the top-right corner and stays in the icon's top half.
            assert max(xs) >= size - 3 and min(ys) <= size * 0.1, size
            assert max(ys) < size * 0.7, size
            if n < 10:
                assert min(xs) > size * 0.2, size  # one digit: a small pill, not a bar
            if size >= 24:  # digits are drawn in white inside the pill
                white = [(px, py) for px in range(min(xs), max(xs) + 1)
                         for py in range(min(ys), max(ys) + 1)
                         if image.pixelColor(px, py).lightness() > 240]
                assert white, f"no digits in the badge at {size} px"
    painter = QPainter(sheet)
    for x, y, image in shot:
        painter.drawImage(x, y, image)
    painter.end()
    assert sheet.save(str(artifacts / "tray-badges.png"))


# --- the conversation list with avatars ------------------------------------------------------


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_conversation_list_rows(artifacts: Path, qapp: QApplication, qtbot: QtBot,
                                mode: str) -> None:
    """The real list pane: avatars (initials, Han, Hangul, emoji), names drawn in full."""
    apply_theme(qapp, mode)  # type: ignore[arg-type]
    model = ConversationListModel()
    now = 1_800_000_000_000
    model.upsert(Conversation(conversation_id=f"c2c_{key}", type=ConvType.C2C, user_id=key,
                              show_name=name, order_key=now - i * 60_000, unread_count=i % 3)
                 for i, (key, name) in enumerate(NAMES))
    pane = ConversationListPane(model)
    qtbot.addWidget(pane)
    pane.resize(320, 80 + 72 * len(NAMES))
    pane.show()
    qtbot.waitExposed(pane)
    image = pane.grab().toImage()
    assert image.save(str(artifacts / f"conversation-list-{mode}.png"))

    assert [name for _key, name in NAMES] == [n for n, _drawn in row_names(pane)]
    assert all(name == drawn for name, drawn in row_names(pane)), row_names(pane)
    assert drawing_problems(pane) == []
    view = pane.list
    for row in range(len(NAMES)):
        rect = view.visualRect(view.model().index(row, 0))
        top_left = view.viewport().mapTo(pane, rect.topLeft())
        # The avatar is a disc: coloured inside (below the initials), the row's background at
        # its bounding box's corner.
        avatar = QRect(top_left.x() + 12, top_left.y() + (rect.height() - 48) // 2, 48, 48)
        center = image.pixelColor(avatar.center() + QPoint(0, 19))
        corner = image.pixelColor(avatar.topLeft() + QPoint(2, 2))
        background = image.pixelColor(top_left + QPoint(4, 4))
        assert center != background and corner == background, (row, center.name())
        initials = sum(image.pixelColor(x, y).lightness() > 240 and image.pixelColor(x, y)
                       != background for x in range(avatar.left() + 10, avatar.right() - 10)
                       for y in range(avatar.top() + 10, avatar.bottom() - 10))
        assert initials > 8, (row, "no initials on the avatar")

    narrow = pane.minimumSizeHint().width()
    assert narrow <= 260
    pane.resize(narrow, pane.height())  # narrow: long names are elided, short ones are not
    # Rows follow the column's width (they once kept the width they were first laid out at).
    qtbot.waitUntil(lambda: view.visualRect(view.model().index(0, 0)).width()
                    == view.viewport().width())
    drawn = dict(row_names(pane))
    assert drawn["Morning Jog Weekly"].endswith("…") and drawn["bob"] == "bob"


# --- the main window, the settings dialog and the tray menu --------------------------------


async def _window(service: Service, data_dir: Path) -> MainWindow:
    client = IMClient()
    client.init(service.sdk_app_id, service.ws, sdk_config(data_dir))
    bridge = SdkBridge(client)
    await client.login("alice", service.sig("alice"))
    window = MainWindow(client, bridge, AppSettings(data_dir / "settings.ini"))
    window.resize(1100, 720)
    window.show()
    await window.start()
    return window


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_main_window(artifacts: Path, qapp: QApplication, qtbot: QtBot, service: Service,
                     arun: Run, gui_peers: Callable[..., Peer], tmp_path: Path,
                     mode: str) -> None:
    apply_theme(qapp, mode)  # type: ignore[arg-type]
    senders = [("night-owl", "Night Owl", "see you at 8:00 🦉"),
               ("chengzi", "橙子", "明天下午三点开会"),
               ("mjw", "Morning Jog Weekly", "Saturday 7:00 at the river 👟")]
    peers = [(gui_peers(user_id), nick, text) for user_id, nick, text in senders]

    async def scenario() -> None:
        window = await _window(service, tmp_path / "alice")
        try:
            for peer, nick, text in peers:
                await peer.client.set_self_info(nick=nick)
                await peer.mm.send_message(peer.mm.create_text_message(text), receiver="alice")
            expected = [f"c2c_{user_id}" for user_id, _n, _t in reversed(senders)]
            proxy = window.list_pane.proxy

            def listed() -> list[str]:
                return [proxy.index(r, 0).data(Role.ID) for r in range(proxy.rowCount())]

            await until(lambda: listed() == expected and all(
                name == drawn and name in [n for _p, n, _t in peers]
                for name, drawn in row_names(window.list_pane)), 10, "the three chats by name")
            window.open_conversation("c2c_night-owl")
            await until(lambda: window.chat.model.rowCount() == 1, 10, "the chat's message")
            timeline = window.chat.timeline
            await until(lambda: timeline.visualRect(window.chat.model.index(0)).height() > 0,
                        10, "the chat's message laid out")
            deliver_posted_events()
            assert window.grab().save(str(artifacts / f"main-window-{mode}.png"))
            assert drawing_problems(window) == []
            assert window.chat.header.name.text() == "Night Owl"
            unread = [proxy.index(r, 0).data(Role.UNREAD) for r in range(proxy.rowCount())]
            assert unread[:2] == [1, 1]  # badges on the chats that are not open

            settings = SettingsDialog(window.settings, "alice", window)
            settings.show()
            qtbot.waitExposed(settings)
            assert settings.grab().save(str(artifacts / f"settings-{mode}.png"))
            assert drawing_problems(settings) == []
            settings.close()
        finally:
            await window.shutdown()
            window.hide()
            window.bridge.detach()
            await window.client.uninit()
            window.deleteLater()

    arun(scenario())


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_tray_menu(artifacts: Path, qapp: QApplication, qtbot: QtBot, tmp_path: Path,
                   mode: str) -> None:
    apply_theme(qapp, mode)  # type: ignore[arg-type]
    settings = AppSettings(tmp_path / "tidings.ini")
    settings.do_not_disturb = True
    tray = TrayIcon(settings)
    tray.menu.popup(QPoint(0, 0))
    qtbot.waitExposed(tray.menu)
    assert tray.menu.grab().save(str(artifacts / f"tray-menu-{mode}.png"))
    texts = [a.text() for a in tray.menu.actions() if a.text()]
    assert texts and all(tray.menu.fontMetrics().horizontalAdvance(t.replace("&", ""))
                         < tray.menu.width() for t in texts)
    checked = [a.text() for a in tray.menu.actions() if a.isCheckable() and a.isChecked()]
    assert len(checked) == 1  # do not disturb
    tray.menu.close()
