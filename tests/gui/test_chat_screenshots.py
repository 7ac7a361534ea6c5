"""Review artefacts of the main window (test-artifacts/screens/*.png), made against the real
service with real SDK clients: a conversation in Chinese and English over several days, with
read, sent and failed messages of mine, in the light and the dark theme, and the empty state.

The service's clock is shifted (tests/gui/clock_shim) so history spans several days. Each shot is
checked for what it draws — every part of the chat pane inside the window, the header's name not
elided when there is room, the expected rows on screen, each bubble inside the message column and
painted in its colour — and the pictures are for people to look at. Besides the usual window, a
maximised one (1920×1080) shows the capped message column, with a multi-line message and links.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.protocol import RecvOpt
from app.sdk import Message, MessageStatus
from app.ui.i18n import install_language, prefer_simplified_chinese_glyphs
from app.ui.models.timeline import Role
from app.ui.theme import apply_theme, current_palette
from app.ui.views.main_window import MainWindow
from app.ui.views.nav_rail import Page
from app.ui.views.new_chat import NewChatDialog
from app.ui.views.settings_dialog import SettingsDialog
from app.ui.widgets.message_delegate import MAX_COLUMN, PAD_X
from tests.gui.chat_helpers import App, open_app, row_geometry
from tests.gui.conftest import save_screenshot, until
from tests.support.clients import Peer
from tests.support.service import Service

SHIM = Path(__file__).resolve().parent / "clock_shim"
DAY_MS = 86_400_000
MINUTE_MS = 60_000
ME = "mei"
AGENDA = ("Agenda for Friday:\n1. Q3 numbers\n2. The plan: https://example.com/q3-plan\n"
          "3. Slides at www.example.org/slides")
NEWEST = ["收到 👍", "I'll bring the slides too.", AGENDA,
          "And the updated numbers for Q3 — 第三季度的数据我今晚发你。",
          "Also: the codename is Bluefin, keep it quiet"]
"""The chat with 橙子 ends with these (the last one refused by the service)."""


@pytest.fixture
def clock_file(tmp_path: Path) -> Path:
    path = tmp_path / "clock-offset-ms"
    path.write_text("0")
    return path


@pytest.fixture
def service(tmp_path: Path, clock_file: Path, monkeypatch: pytest.MonkeyPatch,
            ) -> Iterator[Service]:
    """The real service with a movable clock and one blocked word."""
    words = tmp_path / "sensitive-words.txt"
    words.write_text("bluefin\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [
        str(SHIM), os.environ.get("PYTHONPATH", "")])))
    monkeypatch.setenv("TIDINGS_TEST_CLOCK_FILE", str(clock_file))
    svc = Service(tmp_path / "service", extra_args=["--sensitive-words", str(words)]).start()
    yield svc
    svc.stop()


def test_main_window_screenshots(
    service: Service, clock_file: Path, gui_peers: Callable[..., Peer],
    arun: Callable[..., Any], qapp: QApplication, qtbot: QtBot, tmp_path: Path,
) -> None:
    prefer_simplified_chinese_glyphs(qapp)
    apply_theme(qapp, "light")
    started = time.time_ns() // 1_000_000

    zw, bob, alice, carol, news, laomao = (
        gui_peers(u) for u in ("chengzi", "bob", "alice", "carol", "newsbot", "laomao"))

    async def scenario() -> None:
        app = await open_app(service, ME, tmp_path / "mei")

        def at(days: float, minutes: float) -> None:
            """Let the service believe it is `days` and `minutes` before the test started.
            My client measured the service's clock at login; it is told the new offset too
            (as a re-login would), so my unsent messages are stamped in the same frame."""
            target = started - round(days * DAY_MS) - round(minutes * MINUTE_MS)
            offset = target - time.time_ns() // 1_000_000
            clock_file.write_text(str(offset))
            app.client._clock_offset_ms = offset

        try:
            await _seed(app, zw, bob, alice, carol, news, laomao, at)
            await _shoot(app, at, qapp, qtbot)
            await _shoot_chinese(app, qapp, qtbot)
        finally:
            install_language(qapp, "en")
            apply_theme(qapp, "system")
            await app.close()

    arun(scenario())


async def _shoot(app: App, at: Callable[[float, float], None], qapp: QApplication,
                 qtbot: QtBot) -> None:
    window = app.window
    cm = app.client.conversation_manager
    await cm.set_conversation_draft("c2c_carol", "Let me check the schedule and get back to")
    await cm.pin_conversation("c2c_bob", True)
    await cm.set_conversation_receive_option("c2c_newsbot", RecvOpt.RECEIVE_NOT_NOTIFY)
    await until(lambda: app.listed("c2c_newsbot") is not None
                and app.listed("c2c_newsbot").recv_opt == RecvOpt.RECEIVE_NOT_NOTIFY
                and app.listed("c2c_bob").is_pinned, what="list settled")
    at(0, 0)

    window.open_conversation("c2c_chengzi")
    await until(lambda: len(app.timeline_texts()) >= 12, what="history shown")
    composer = window.chat.composer.edit
    qtbot.keyClicks(composer, "Also: the codename is Bluefin, keep it quiet")
    qtbot.keyPress(composer, Qt.Key.Key_Return)
    await until(lambda: any(m.status == MessageStatus.SEND_FAIL
                            for m in window.chat.model.messages()), what="refusal")
    await until(lambda: app.unread("c2c_chengzi") == 0, what="chat read")
    failed = window.chat.model.messages()[-1]
    timeline = window.chat.timeline
    window.chat.timeline.scroll_to_bottom()
    index = window.chat.model.index(window.chat.model.rowCount() - 1)
    badge = timeline.delegate.geometry(QRectF(timeline.visualRect(index)), index,
                                       timeline.font()).failed
    assert badge is not None
    qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton,
                     pos=badge.center().toPoint())  # the red "!": try again
    assert failed.status == MessageStatus.SENDING  # refused again: one bubble, failed
    await until(lambda: failed.status == MessageStatus.SEND_FAIL, what="refused again")
    assert [m.msg_id for m in window.chat.model.messages()].count(failed.msg_id) == 1
    window.chat.timeline.scroll_to_bottom()
    await _settle()
    assert app.list_row_ids()[0] == "c2c_bob"
    assert window.chat.notice.isVisible()
    _assert_chat_drawn(app, save_screenshot(window, "main-window-light"), NEWEST[-3:])

    apply_theme(qapp, "dark")
    await _settle()
    _assert_chat_drawn(app, save_screenshot(window, "main-window-dark"), NEWEST[-3:])
    apply_theme(qapp, "light")

    window.resize(1920, 1080)
    await until(lambda: window.chat.timeline.viewport().width() > 1200, what="maximised")
    window.chat.timeline.scroll_to_bottom()
    await _settle()
    _assert_chat_drawn(app, save_screenshot(window, "main-window-maximised"), NEWEST)
    agenda = window.chat.model.row_of(next(m.msg_id for m in window.chat.model.messages()
                                           if m.text_elem and m.text_elem.text == AGENDA))
    layout = window.chat.timeline.delegate.layout_for(
        window.chat.model.messages()[agenda], window.chat.timeline.font())
    assert layout.text.lineCount() == 4  # its line breaks kept
    assert [url for _s, _e, url in layout.links] == ["https://example.com/q3-plan",
                                                      "https://www.example.org/slides"]
    thumbs = next(m for m in window.chat.model.messages() if m.text_elem
                  and m.text_elem.text == NEWEST[0])
    runs = window.chat.timeline.delegate.layout_for(thumbs, window.chat.timeline.font()
                                                    ).text.glyphRuns(3, 1)  # the 👍
    families = [run.rawFont().familyName() for run in runs]
    assert any("Emoji" in family for family in families), (
        f"👍 drawn with {families}: is a colour emoji font (fonts-noto-color-emoji) installed?")
    window.resize(1100, 720)
    await until(lambda: window.chat.timeline.viewport().width() < 1000, what="restored")

    apply_theme(qapp, "light")
    window.chat.close_chat()
    window.list_pane.select("")
    await _settle()
    _assert_inside(window, save_screenshot(window, "main-window-empty"), window.chat.empty)

    window.rail.buttons[Page.CONTACTS].click()
    await _settle()
    save_screenshot(window, "main-window-contacts")
    window.rail.buttons[Page.CHATS].click()

    await _shoot_dialogs(window, "")


async def _shoot_chinese(app: App, qapp: QApplication, qtbot: QtBot) -> None:
    """The same window with the UI switched to Simplified Chinese at runtime (as the settings
    dialog does): list, day chips, receipts, the refusal notice, the dialogs."""
    window = app.window
    app.settings.language = "zh_CN"
    assert install_language(qapp, "zh_CN") == "zh_CN"
    window.open_conversation("c2c_chengzi")
    await until(lambda: len(app.timeline_texts()) >= 12, what="history shown")
    timeline = window.chat.timeline
    timeline.scroll_to_bottom()
    await _settle()
    failed = window.chat.model.messages()[-1]
    assert failed.status == MessageStatus.SEND_FAIL
    index = window.chat.model.index(window.chat.model.rowCount() - 1)
    badge = timeline.delegate.geometry(QRectF(timeline.visualRect(index)), index,
                                       timeline.font()).failed
    assert badge is not None
    qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton,
                     pos=badge.center().toPoint())  # refused again: the notice in Chinese
    await until(lambda: failed.status == MessageStatus.SEND_FAIL, what="refused again")
    timeline.scroll_to_bottom()
    await _settle()
    assert window.chat.notice.text() == "消息发送失败：内容包含敏感词。"
    assert window.list_pane.filter.placeholderText() == "搜索"
    _assert_chat_drawn(app, save_screenshot(window, "main-window-zh"), NEWEST[-3:])

    apply_theme(qapp, "dark")
    await _settle()
    _assert_chat_drawn(app, save_screenshot(window, "main-window-dark-zh"), NEWEST[-3:])
    apply_theme(qapp, "light")

    window.chat.close_chat()
    window.list_pane.select("")
    await _settle()
    _assert_inside(window, save_screenshot(window, "main-window-empty-zh"), window.chat.empty)

    await _shoot_dialogs(window, "-zh")


async def _shoot_dialogs(window: MainWindow, suffix: str) -> None:
    """The settings dialog, and the new-chat dialog refusing an invalid ID."""
    window.open_settings()
    window.open_new_chat()
    await _settle()
    for dialog, name in ((window.findChild(SettingsDialog), "settings-dialog"),
                         (window.findChild(NewChatDialog), "new-chat-dialog")):
        assert dialog is not None
        if isinstance(dialog, NewChatDialog):
            dialog.user_id.setText("no such id!")
        await _settle()
        save_screenshot(dialog, name + suffix)
        dialog.close()


def _assert_inside(window: QWidget, shot: Path, *parts: QWidget) -> None:
    """The picture is the window's size and each part lies wholly inside it."""
    image = QImage(str(shot))
    assert image.width() >= window.width() and image.height() >= window.height()
    for part in parts:
        assert part.isVisible(), part
        rect = QRect(part.mapTo(window, QPoint(0, 0)), part.size())
        assert window.rect().contains(rect), (part, rect, window.rect())


def _assert_chat_drawn(app: App, shot: Path, newest: list[str]) -> None:
    """What a reviewer should see in the chat pane of `shot`, checked in the picture."""
    window, chat = app.window, app.window.chat
    composer = chat.composer
    _assert_inside(window, shot, chat.header, chat.timeline, composer, composer.edit,
                   composer.send_button)
    # Room enough: the name and the button's label are whole.
    assert chat.header.name.text() == chat.header.title
    button = composer.send_button
    assert not button.text() or button.sizeHint().width() <= button.width()
    # The newest messages are the rows at the bottom, each on screen in full.
    timeline = chat.timeline
    viewport = timeline.viewport()
    rows = chat.model.rowCount()
    shown = [chat.model.index(r).data() for r in range(rows - len(newest), rows)]
    assert shown == newest
    image = QImage(str(shot))
    scale = image.width() / window.width()
    palette = current_palette()
    column_left = (viewport.width() - min(viewport.width(), MAX_COLUMN)) / 2
    for row in range(rows - len(newest), rows):
        geo = row_geometry(chat, row)
        bubble = geo.bubble
        assert QRectF(viewport.rect()).contains(bubble), (row, bubble)
        assert column_left <= bubble.left() and bubble.right() <= column_left + MAX_COLUMN
        msg: Message = chat.model.index(row).data(Role.MESSAGE)
        layout = timeline.delegate.layout_for(msg, timeline.font())
        assert layout.content.width() + 2 * PAD_X <= bubble.width() + 0.5  # no text cut off
        # The bubble's colour, just inside its left edge halfway down (in the picture).
        at = viewport.mapTo(window, QPoint(int(bubble.left()) + 4, int(bubble.center().y())))
        pixel = QColor(image.pixel(int(at.x() * scale), int(at.y() * scale)))
        expected = palette.bubble_out if msg.is_self else palette.bubble_in
        assert _close(pixel, expected), (row, pixel.name(), expected.name())


def _close(a: QColor, b: QColor, tolerance: int = 12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in
               ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue())))


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0.03)


async def _seed(app: App, zw: Peer, bob: Peer, alice: Peer, carol: Peer, news: Peer,
                laomao: Peer, at: Callable[[float, float], None]) -> None:
    """Several days of history; `at` moves the service clock before each message. Each
    message is awaited on my side too, as it would be in real time."""
    client = app.client
    mine = client.message_manager

    async def say(peer: Peer | None, text: str, days: float, minutes: float,
                  to: str = "", custom: str = "") -> None:
        at(days, minutes)
        if peer is None:
            msg = mine.create_text_message(text)
            await mine.send_message(msg, receiver=to)
            return
        mm = peer.mm
        msg = mm.create_custom_message("{}", custom) if custom else mm.create_text_message(text)
        await mm.send_message(msg, receiver=ME)
        conv_id = f"c2c_{peer.user_id}"

        def arrived() -> bool:
            conv = app.listed(conv_id)
            return conv is not None and conv.last_message is not None and (
                conv.last_message.msg_id == msg.msg_id)

        await until(arrived, what=f"{text or custom!r} at {ME}")

    for peer, nick in ((zw, "橙子"), (bob, "Trail Runner"), (alice, "Night Owl"),
                       (carol, "Coffee Club"), (news, "Tidings News"), (laomao, "老猫")):
        await peer.client.set_self_info(nick=nick)

    await say(laomao, "下周见！周五的聚会别迟到哦", 9, 30)
    await say(None, "一定准时到 😄", 9, 20, to="laomao")
    await say(zw, "周末去爬山吗？天气预报说是晴天 ☀️", 3, 65)
    await say(None, "好啊！几点出发？", 3, 61, to="chengzi")
    await say(zw, "早上八点，地铁站 A 口见", 3, 60)
    await say(zw, "记得带水和防晒霜", 3, 59)
    await say(None, "OK, see you there!", 3, 50, to="chengzi")
    await say(carol, "Can you review my pull request before Friday?", 2, 200)
    await say(bob, "Lunch tomorrow?", 1, 300)
    await say(None, "Sure, 12:30 at the usual place", 1, 290, to="bob")
    await say(None, "Did you get the photos from Saturday?", 1, 45, to="chengzi")
    await say(zw, "Yes! They look great. 我把最好的几张发到群里了", 1, 40)
    await say(zw, "", 1, 39, custom="📍 分享了位置：香山公园")
    await say(None, "Thanks! The one at the summit is my favourite — we should print it and "
              "hang it in the office next to the whiteboard.", 1, 30, to="chengzi")
    await zw.mm.mark_conversation_as_read(f"c2c_{ME}")
    await bob.mm.mark_conversation_as_read(f"c2c_{ME}")
    for i, topic in enumerate(("Markets open higher", "Weather: sunny, 24°C", "Tech: Qt 6.12",
                               "Sports: finals tonight", "Local: new metro line")):
        await say(news, f"Daily digest — {topic}", 0, 90 - i)
    await say(zw, "下午三点开会，别忘了带上季度报告", 0, 40)
    await say(None, "收到 👍", 0, 36, to="chengzi")
    await say(None, "I'll bring the slides too.", 0, 35, to="chengzi")
    await say(zw, AGENDA, 0, 33)
    await zw.mm.mark_conversation_as_read(f"c2c_{ME}")
    await say(None, "And the updated numbers for Q3 — 第三季度的数据我今晚发你。", 0, 30,
              to="chengzi")
    await say(alice, "Are you coming to the meetup tonight?", 0, 22)
    await say(alice, "We saved you a seat 🎉", 0, 21)
    for peer_id in ("bob", "carol", "laomao"):
        await mine.mark_conversation_as_read(f"c2c_{peer_id}")
