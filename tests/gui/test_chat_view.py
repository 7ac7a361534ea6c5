"""The chat pane as a user meets it, against the real service with real SDK clients: line
breaks, links and text selection in the painted bubbles, the message menu only over a message,
the header, the message column on a wide window and the composer at the window's minimum size.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QPoint, QRect, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.protocol import Platform
from app.sdk import Message
from app.ui.theme import apply_theme
from app.ui.widgets.message_delegate import MAX_COLUMN
from tests.gui.chat_helpers import App, context_menu_at, open_app, row_geometry, text_point
from tests.gui.conftest import deliver_posted_events, mouse_move, save_screenshot, until
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]

MULTILINE = "line one\nline two\n\nafter a blank line"
LINKED = "Docs at https://example.com/guide?page=2, and www.example.org too."


class _Opened(QObject):
    """Stands in for the desktop's browser: QDesktopServices hands it the URLs to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


async def _say(peer: Peer, text: str, to: str) -> Message:
    return await peer.mm.send_message(peer.mm.create_text_message(text), receiver=to)


async def _open_with(app: App, conv_id: str, texts: list[str]) -> None:
    app.window.open_conversation(conv_id)
    await until(lambda: app.timeline_texts()[-len(texts):] == texts, what="messages shown")
    app.window.chat.timeline.scroll_to_bottom()
    await until(lambda: app.unread(conv_id) == 0, what="read once shown")


def test_text_in_bubbles_breaks_lines_links_and_selects(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qtbot: QtBot,
    qapp: QApplication, tmp_path: Path,
) -> None:
    bob = gui_peers("bob")
    gui_peers("alice", device="phone", platform=Platform.MOBILE)  # the account exists
    opened = _Opened()
    QDesktopServices.setUrlHandler("https", opened, "open")

    async def scenario() -> None:
        await bob.client.set_self_info(nick="Trail Runner")
        await _say(bob, MULTILINE, "alice")
        await _say(bob, LINKED, "alice")
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            await _open_with(app, "c2c_bob", [MULTILINE, LINKED])
            await _check(app, qtbot, opened)
        finally:
            await app.close()

    apply_theme(qapp, "light")
    try:
        arun(scenario())
    finally:
        QDesktopServices.unsetUrlHandler("https")
        apply_theme(qapp, "system")


async def _check(app: App, qtbot: QtBot, opened: _Opened) -> None:
    chat = app.window.chat
    timeline = chat.timeline
    viewport = timeline.viewport()
    delegate = timeline.delegate

    # The header names the peer by nickname; the raw user ID is not shown under it.
    await until(lambda: chat.header.title == "Trail Runner", what="nickname in the header")
    header_texts = [w.text() for w in chat.header.findChildren(type(chat.header.name))]
    assert all("bob" not in t for t in header_texts), header_texts

    # Line breaks: four lines, each starting where the text after its "\n" starts.
    multi = delegate.layout_for(chat.model.messages()[0], timeline.font()).text
    assert multi.lineCount() == 4
    assert [multi.lineAt(i).textStart() for i in range(4)] == [0, 9, 18, 19]
    assert multi.lineAt(1).naturalTextWidth() < 2 * multi.lineAt(0).naturalTextWidth()

    # A link: the hand over it, the I-beam over plain text, a click opens it in the browser.
    start = LINKED.index("https://")
    link = text_point(app.window.chat, 1, start + 4)
    plain = text_point(app.window.chat, 1, 2)
    mouse_move(viewport, plain)
    assert viewport.cursor().shape() == Qt.CursorShape.IBeamCursor
    mouse_move(viewport, link)
    assert viewport.cursor().shape() == Qt.CursorShape.PointingHandCursor
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=link)
    assert opened.urls == ["https://example.com/guide?page=2"]  # without the comma
    www = text_point(app.window.chat, 1, LINKED.index("www.") + 2)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=www)
    assert opened.urls[-1] == "https://www.example.org"
    save_screenshot(app.window, "chat-multiline-and-links")

    # A drag inside one bubble selects part of its text; Ctrl+C and the menu's Copy copy it.
    first, last = MULTILINE.index("one"), MULTILINE.index("two") + 3
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=text_point(chat, 0, first))
    mouse_move(viewport, text_point(chat, 0, last), Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=text_point(chat, 0, last))
    assert timeline.selected_text() == "one\nline two"
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(timeline, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "one\nline two"
    QGuiApplication.clipboard().clear()
    menu = context_menu_at(chat, row_geometry(chat, 0).bubble.center().toPoint())
    assert menu is not None
    copy = next(a for a in menu.actions() if a.text() == "Copy")
    copy.trigger()
    assert QGuiApplication.clipboard().text() == "one\nline two"
    # Over a link the menu also offers the address.
    menu = context_menu_at(chat, link)
    assert menu is not None and "Copy link" in [a.text() for a in menu.actions()]
    # A drag that starts on a link selects; it does not open the link.
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=link)
    mouse_move(viewport, text_point(chat, 1, start + 14), Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=text_point(chat, 1, start + 14))
    assert len(opened.urls) == 2
    assert timeline.selected_text() == LINKED[start + 4:start + 14]
    # A click elsewhere clears the selection.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=plain)
    assert timeline.selected_text() == ""

    # Right-click in the empty space below the messages, with a message current: no menu.
    timeline.setCurrentIndex(chat.model.index(0))
    below = QPoint(viewport.width() // 2, viewport.height() - 3)
    assert not timeline.indexAt(below).isValid()
    assert context_menu_at(chat, below) is None
    # Nor beside a bubble on its row.
    geo = row_geometry(chat, 1)
    beside = QPoint(int(geo.bubble.right()) + 40, int(geo.bubble.center().y()))
    assert timeline.indexAt(beside).row() == 1
    assert context_menu_at(chat, beside) is None


def test_the_column_is_capped_when_wide_and_the_composer_whole_when_small(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qapp: QApplication,
    tmp_path: Path,
) -> None:
    bob = gui_peers("bob")
    gui_peers("alice", device="phone", platform=Platform.MOBILE)

    async def scenario() -> None:
        await _say(bob, "How was the trip? Tell me everything about the mountains.", "alice")
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            await app.client.message_manager.send_message(
                app.client.message_manager.create_text_message("Wonderful — photos tonight!"),
                receiver="bob")
            await _open_with(app, "c2c_bob", ["How was the trip? Tell me everything about the "
                                              "mountains.", "Wonderful — photos tonight!"])
            await _check_sizes(app, qapp)
        finally:
            await app.close()

    apply_theme(qapp, "light")
    try:
        arun(scenario())
    finally:
        apply_theme(qapp, "system")


async def _check_sizes(app: App, qapp: QApplication) -> None:
    window, chat = app.window, app.window.chat
    window.resize(1920, 1080)
    await until(lambda: window.width() == 1920 and chat.timeline.viewport().width() > 1200,
                what="maximised")
    viewport = chat.timeline.viewport()
    theirs, mine = row_geometry(chat, 0).bubble, row_geometry(chat, 1).bubble
    # Both sides within one centred column of MAX_COLUMN pixels (minus its margins).
    assert mine.right() - theirs.left() <= MAX_COLUMN
    middle = viewport.width() / 2
    assert abs((theirs.left() + mine.right()) / 2 - middle) < MAX_COLUMN / 2
    assert theirs.left() > 300 and mine.right() < viewport.width() - 300
    composer = chat.composer
    assert composer.width() == MAX_COLUMN
    assert abs(composer.geometry().center().x() - chat.width() / 2) <= 2
    assert composer.send_button.text() == "Send"
    save_screenshot(window, "chat-maximised")

    # At the window's minimum size the composer is whole: inside the window, the text box
    # wide enough for its placeholder, the Send button (icon only) beside it.
    window.resize(1, 1)
    await until(lambda: window.size() == window.minimumSize(), what="minimum size")
    deliver_posted_events()
    inside = QRect(composer.mapTo(window, QPoint(0, 0)), composer.size())
    assert window.rect().contains(inside), (window.rect(), inside)
    edit, button = composer.edit, composer.send_button
    for part in (edit, button):
        assert composer.rect().contains(part.geometry()), part
    assert edit.geometry().right() < button.geometry().left()
    placeholder = QFontMetrics(edit.font()).horizontalAdvance(edit.placeholderText())
    assert placeholder < edit.viewport().width()
    assert button.text() == "" and not button.icon().isNull()
    assert chat.timeline.height() > 80
    save_screenshot(window, "chat-minimum-size")
