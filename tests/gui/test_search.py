"""Search in the desktop app: the panel over every chat (Ctrl+Shift+F, or "Search messages"
under the chat filter) and the find bar in a chat (Ctrl+F), through the real SDK's FTS5 search
on a real cache filled by the real service.

English by prefix, Chinese words of one and two characters, mixed text; snippets with the
matched words marked; a result far back opens its chat around it — visible, flashed — and
scrolling down from there loads newer pages up to the newest without a gap or a duplicate;
the find bar steps through a chat's hits and Esc goes back to the newest messages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.protocol.groups import GroupType
from app.sdk import Message
from app.ui.theme import apply_theme
from app.ui.views.search_panel import Result
from tests.gui.chat_helpers import App, open_app
from tests.gui.conftest import save_screenshot, until
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
TOTAL = 150
SPECIAL = {
    12: "周末去跑步吗？Running at 7",
    40: "跑 is one character",
    100: "Tidings好用吗",
    131: "a long preamble about nothing in particular until we say running shoes",
}


def text_of(n: int) -> str:
    return SPECIAL.get(n, f"line {n}")


def type_text(widget: QWidget, text: str) -> None:
    """Text as an input method commits it (QTest.keyClicks refuses non-ASCII)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


async def _world(app: App, bob: Peer, carol: Peer) -> None:
    """Bob writes TOTAL lines to alice (the app, online, so her cache holds them all); carol
    opens a group with alice and writes one line in it."""
    for n in range(1, TOTAL + 1):
        await bob.mm.send_message(bob.mm.create_text_message(text_of(n)), receiver="alice")
    group_id = await carol.client.group_manager.create_group(GroupType.WORK, "Runners",
                                                             member_list=["alice"])
    await carol.mm.send_message(carol.mm.create_text_message("跑步群开张 running club"),
                                group_id=group_id)
    await until(lambda: app.listed("c2c_bob") is not None
                and app.listed(f"group_{group_id}") is not None, what="both chats listed")
    await until(lambda: app.listed("c2c_bob").last_message is not None
                and app.listed("c2c_bob").last_message.seq == TOTAL, what="bob's last line")
    # read (elsewhere, say): opening the chat shows its newest page, not all 150 unread
    await app.client.message_manager.mark_all_message_as_read()
    await until(lambda: app.unread("c2c_bob") == 0, what="bob's chat read")


def _panel_texts(app: App) -> list[str]:
    return [r.text for r in app.window.search_panel.results()]


async def _search(app: App, text: str) -> list[Result]:
    panel = app.window.search_panel
    panel.field.clear()
    type_text(panel.field, text)
    await until(lambda: not panel._debounce.isActive() and not panel.busy,
                what=f"the answer for {text!r}")
    return panel.results()


def _marked(result: Result) -> list[str]:
    return [result.text[s:e] for s, e in result.spans]


def _row_on_screen(app: App, msg_id: str) -> bool:
    chat = app.window.chat
    row = chat.model.row_of(msg_id)
    if row < 0:
        return False
    rect = chat.timeline.visualRect(chat.model.index(row))
    return chat.timeline.viewport().rect().intersects(rect)


def test_the_panel_finds_words_in_every_chat_and_opens_a_result_far_back_in_context(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qtbot: QtBot,
    qapp: QApplication, tmp_path: Path,
) -> None:
    bob, carol = gui_peers("bob"), gui_peers("carol")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            apply_theme(qapp, "light")
            await _world(app, bob, carol)
            window = app.window
            window.open_conversation("c2c_bob")
            await until(lambda: not window.chat.model.loading and window.chat.model.rowCount(),
                        what="bob's chat open")

            # Ctrl+Shift+F opens the panel, its field focused
            QTest.keyClick(window, Qt.Key.Key_F, CTRL | SHIFT)
            panel = window.search_panel
            assert panel.isVisible() and panel.field.hasFocus()

            # two Chinese characters: where they stand together, in every chat, newest first
            results = await _search(app, "跑步")
            assert [r.text for r in results] == ["跑步群开张 running club", SPECIAL[12]]
            assert [_marked(r) for r in results] == [["跑步"], ["跑步"]]
            assert [r.message.conversation_id for r in results][1] == "c2c_bob"
            assert panel.conversation_name(results[0].message.conversation_id) == "Runners"
            assert panel.count.text() == "2 messages found"
            # one character
            results = await _search(app, "跑")
            assert [r.text for r in results] == ["跑步群开张 running club", SPECIAL[40],
                                                 SPECIAL[12]]
            assert _marked(results[1]) == ["跑"]
            # English by prefix in any case, the snippet starting near the word
            results = await _search(app, "runn")
            assert [r.message.text_elem.text for r in results] == [
                "跑步群开张 running club", SPECIAL[131], SPECIAL[12]]
            assert [_marked(r) for r in results] == [["runn"], ["runn"], ["Runn"]]
            assert results[1].text.startswith("…") and "running shoes" in results[1].text
            # mixed
            results = await _search(app, "Tidings好用")
            assert [(r.text, _marked(r)) for r in results] == [(SPECIAL[100], ["Tidings好用"])]
            # many matches come in pages as the list scrolls, not all at once
            results = await _search(app, "line")
            assert panel.model.total == TOTAL - len(SPECIAL)
            assert len(results) == 40 and panel.count.text() == "146 messages found"
            assert [r.text for r in results[:2]] == ["line 150", "line 149"]
            panel.list.doItemsLayout()
            bar = panel.list.verticalScrollBar()
            bar.setValue(bar.maximum())
            await until(lambda: not panel.busy and panel.model.rowCount() >= 80,
                        what="the next page")
            numbers = [int(r.text.split()[1]) for r in panel.results()]
            assert numbers == [n for n in range(TOTAL, 0, -1) if n not in SPECIAL][
                :len(numbers)]  # joined in order, none twice
            # nothing
            await _search(app, "zebra")
            assert panel.empty.isVisible() and "zebra" in panel.empty.text()

            # the chat filter: bob's chat only
            results = await _search(app, "跑步")
            panel.chat_filter.setCurrentIndex(panel.chat_filter.findData("c2c_bob"))
            await until(lambda: not panel.busy and _panel_texts(app) == [SPECIAL[12]],
                        what="bob's chat only")
            panel.chat_filter.setCurrentIndex(0)
            await until(lambda: not panel.busy and len(_panel_texts(app)) == 2,
                        what="every chat again")
            # the sender filter: bob's words only; mine: none
            panel.sender_filter.setCurrentIndex(panel.sender_filter.findData("bob"))
            await until(lambda: not panel.busy and _panel_texts(app) == [SPECIAL[12]],
                        what="bob's messages only")
            panel.sender_filter.setCurrentIndex(panel.sender_filter.findData("alice"))
            await until(lambda: not panel.busy and _panel_texts(app) == [], what="none of mine")
            panel.sender_filter.setCurrentIndex(0)
            # the type filter: no file matches; the time filter: all of it is from today
            panel.type_filter.setCurrentIndex(2)  # Files
            await until(lambda: not panel.busy and _panel_texts(app) == [], what="no files")
            panel.type_filter.setCurrentIndex(0)
            panel.time_filter.setCurrentIndex(1)  # Past day
            await until(lambda: not panel.busy and len(_panel_texts(app)) == 2,
                        what="today's matches")
            panel.time_filter.setCurrentIndex(0)
            await until(lambda: not panel.busy and len(_panel_texts(app)) == 2,
                        what="any time again")
            save_screenshot(window, "search-panel-light", folder=".")
            apply_theme(qapp, "dark")
            save_screenshot(window, "search-panel-dark", folder=".")
            apply_theme(qapp, "light")

            # Enter on the result far back (↓ to it): bob's chat around it, it on screen and
            # flashed, the window short of the newest
            QTest.keyClick(panel.field, Qt.Key.Key_Down)
            QTest.keyClick(panel.field, Qt.Key.Key_Return)
            assert not panel.isVisible()
            chat = window.chat
            target = results[1].message
            await until(lambda: not chat.is_opening and chat.model.row_of(target.msg_id) >= 0,
                        what="the window around the result")
            assert chat.conversation_id == "c2c_bob"
            assert _row_on_screen(app, target.msg_id)
            assert chat.search.flashing == target.msg_id
            assert not chat.model.at_latest and chat.jump.isVisible()
            seqs = [m.seq for m in chat.model.messages()]
            assert seqs == list(range(1, target.seq + 41))  # up to it, and a page after
            save_screenshot(window, "search-opened-light", folder=".")

            # scrolling down pages newer history in, up to the newest, joined without gaps
            bar = chat.timeline.verticalScrollBar()
            for _ in range(20):
                if chat.model.at_latest:
                    break
                count = chat.model.rowCount()
                bar.setValue(bar.maximum())
                await until(lambda c=count: chat.model.rowCount() > c or chat.model.at_latest,
                            what="a newer page")
            assert chat.model.at_latest
            seqs = [m.seq for m in chat.model.messages()]
            assert seqs == list(range(seqs[0], TOTAL + 1))  # no gap, no duplicate
            texts = [m.text_elem.text for m in chat.model.messages()]
            assert texts == [text_of(s) for s in seqs]
            # …and following the chat again: a new message shows at once
            await bob.mm.send_message(bob.mm.create_text_message("one more"), receiver="alice")
            await until(lambda: chat.model.messages()[-1].text_elem.text == "one more",
                        what="the new message in the window")

            # from the chat list's filter: "Search messages for …" opens the panel with it
            window.list_pane.filter.setText("Tidings")
            assert window.search_row.isVisible()
            QTest.mouseClick(window.search_row, Qt.MouseButton.LeftButton)
            assert panel.isVisible() and panel.field.text() == "Tidings"
            await until(lambda: not panel.busy and _panel_texts(app) == [SPECIAL[100]],
                        what="the filter's text searched")
            QTest.keyClick(panel.field, Qt.Key.Key_Escape)
            assert not panel.isVisible()
            window.list_pane.filter.clear()
            assert not window.search_row.isVisible()

            # open_message (a notification's way): by ID, far back, from another chat
            runners = next(c for c in window.conversations.conversations() if c.group_id)
            window.open_conversation(runners.conversation_id)
            await until(lambda: not chat.is_opening, what="the group open")
            far = next(m for m in (await app.client.message_manager.find_messages(
                [target.msg_id])))
            window.open_message("c2c_bob", far.msg_id)
            await until(lambda: not chat.is_opening and chat.model.row_of(far.msg_id) >= 0
                        and not chat.model.at_latest, what="the message by ID")
            assert _row_on_screen(app, far.msg_id)
            # the jump button goes back to the newest
            chat.jump.click()
            await until(lambda: chat.model.at_latest and not chat.model.loading
                        and chat.model.rowCount() > 0
                        and chat.model.messages()[-1].text_elem.text == "one more",
                        what="back at the newest")
        finally:
            apply_theme(qapp, "light")
            await app.close()

    arun(scenario(), timeout=120)


def test_ctrl_f_steps_through_the_hits_of_one_chat_and_esc_goes_back_to_the_newest(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qtbot: QtBot,
    qapp: QApplication, tmp_path: Path,
) -> None:
    bob, carol = gui_peers("bob"), gui_peers("carol")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        try:
            apply_theme(qapp, "light")
            await _world(app, bob, carol)
            window = app.window
            window.open_conversation("c2c_bob")
            chat = window.chat
            await until(lambda: not chat.model.loading and chat.model.rowCount(),
                        what="bob's chat open")
            chat.composer.focus()
            QTest.keyClick(chat.composer.edit, Qt.Key.Key_F, CTRL)
            bar = chat.search.bar
            assert bar.isVisible() and bar.field.hasFocus()

            type_text(bar.field, "跑")
            await until(lambda: chat.search.total == 2 and chat.search.current == 0,
                        what="two hits")
            hits: list[Message] = chat.search.hits
            assert [h.text_elem.text for h in hits] == [SPECIAL[40], SPECIAL[12]]
            assert bar.count.text() == "1 of 2"
            await until(lambda: not chat.is_opening and _row_on_screen(app, hits[0].msg_id),
                        what="the newest hit on screen")
            assert chat.search.flashing == hits[0].msg_id
            assert chat.timeline.delegate.found is not None
            assert chat.timeline.delegate.found(SPECIAL[12]) == [(3, 4)]
            save_screenshot(window, "search-find-bar-light", folder=".")
            apply_theme(qapp, "dark")
            save_screenshot(window, "search-find-bar-dark", folder=".")
            apply_theme(qapp, "light")

            QTest.keyClick(bar.field, Qt.Key.Key_Return)  # the next older hit
            assert bar.count.text() == "2 of 2"
            await until(lambda: not chat.is_opening and _row_on_screen(app, hits[1].msg_id),
                        what="the older hit on screen")
            assert chat.search.flashing == hits[1].msg_id
            assert not bar.older.isEnabled() and bar.newer.isEnabled()
            QTest.keyClick(bar.field, Qt.Key.Key_Return, SHIFT)  # back to the newer one
            assert bar.count.text() == "1 of 2"
            await until(lambda: not chat.is_opening and _row_on_screen(app, hits[0].msg_id),
                        what="the newer hit again")
            bar.older.click()
            assert bar.count.text() == "2 of 2"

            type_text(bar.field, "x")  # "跑x": nothing
            await until(lambda: bar.count.text() == "No results", what="no results")

            QTest.keyClick(bar.field, Qt.Key.Key_Escape)
            assert not bar.isVisible() and chat.timeline.delegate.found is None
            await until(lambda: chat.model.at_latest and not chat.model.loading
                        and chat.model.rowCount() > 0 and chat.timeline.at_bottom,
                        what="back at the newest")
            assert chat.model.messages()[-1].seq == TOTAL
        finally:
            apply_theme(qapp, "light")
            await app.close()

    arun(scenario(), timeout=120)


def test_a_message_opened_offline_shows_what_the_cache_proves_and_the_rest_comes_online(
    service: Service, gui_peers: Callable[..., Peer], arun: Arun, qtbot: QtBot,
    tmp_path: Path,
) -> None:
    """A device that holds only an island of old history (a page it once read) and the
    newest page: offline, the window around a message of the island ends where the island
    does; back online, the rest pages in up to the newest, joined without gaps."""
    first = gui_peers("alice", device="first")  # the account exists; this device goes
    arun(first.close())
    bob = gui_peers("bob")

    async def scenario() -> None:
        for n in range(1, TOTAL + 1):
            await bob.mm.send_message(bob.mm.create_text_message(text_of(n)), receiver="alice")
        app = await open_app(service, "alice", tmp_path / "alice")  # fresh: the newest page
        try:
            manager = app.client.message_manager
            island = await manager.get_history_page("c2c_bob", 30, last_msg_seq=30)
            assert [m.seq for m in island.messages] == list(range(30, 0, -1))
            await manager.mark_all_message_as_read()
            service.kill()
            await until(lambda: not app.client.ready, what="offline")

            target = next(m for m in island.messages if m.seq == 12)
            window = app.window
            window.open_message("c2c_bob", target.msg_id)
            chat = window.chat
            await until(lambda: not chat.is_opening and chat.model.row_of(target.msg_id) >= 0,
                        what="the window around the message")
            assert _row_on_screen(app, target.msg_id)
            assert [m.seq for m in chat.model.messages()] == list(range(1, 31))
            assert chat.model.has_newer and chat.model.gap_below and not chat.model.at_latest
            bar = chat.timeline.verticalScrollBar()
            bar.setValue(bar.maximum())
            assert await chat.model.load_newer() == 0  # offline: nothing asked, no loop

            service.start()
            await until(lambda: app.client.ready, timeout=30, what="online again")
            for _ in range(20):
                if chat.model.at_latest:
                    break
                count = chat.model.rowCount()
                bar.setValue(bar.maximum())
                await until(lambda c=count: chat.model.rowCount() > c or chat.model.at_latest,
                            what="a newer page")
            seqs = [m.seq for m in chat.model.messages()]
            assert seqs == list(range(1, TOTAL + 1))
        finally:
            await app.close()

    arun(scenario(), timeout=120)
