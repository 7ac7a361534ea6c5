"""Demo mode (U8) end to end: the app starts its own service and the demo process, signs in as
the demo user, shows the seeded chats with unread badges, and the bot answers what is typed in
the composer. While it starts, a "Starting the demo…" window stands where the main window then
opens; the main window says it is the demo and offers the way to a real account."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.demo.content import BOOK_CLUB, BOT, CHATS, DEMO_USER
from app.protocol.ids import c2c_conversation_id
from app.ui.app import Options, TidingsApp
from app.ui.views.nav_rail import Page
from tests.gui.conftest import save_screenshot, until
from tests.gui.test_app_login import drive

BOT_CHAT = c2c_conversation_id(BOT.user_id)


def test_demo_shows_seeded_chats_and_the_bot_answers(
    qapp: QApplication, arun: Callable[..., Any], tmp_path: Path
) -> None:
    data_dir = tmp_path / "app"
    tidings = TidingsApp(Options(demo=True, data_dir=data_dir), qapp)

    async def scenario() -> None:
        await tidings.start()
        starting = tidings.starting
        assert tidings.login is None  # no greyed sign-in form on the way
        assert starting is not None and starting.isVisible()
        assert starting.title.text() == "Starting the demo…"
        assert starting.windowTitle() == "Tidings — Demo"
        where = starting.geometry()
        screen = starting.screen().availableGeometry()
        assert screen.contains(where) and abs(where.center().x() - screen.center().x()) <= 1
        detail = starting.detail  # the explanation is not cut off
        assert detail.height() >= detail.heightForWidth(detail.width()) > 0
        save_screenshot(starting, "demo-starting", folder="app")

        def seeded() -> bool:
            session = tidings.session
            return (session is not None and session.window is not None
                    and session.window.conversations.rowCount() == len(CHATS))

        await until(seeded, 60, "the seeded conversations")
        session = tidings.session
        assert session is not None and session.window is not None
        window = session.window
        assert window.isVisible() and tidings.login is None and tidings.starting is None
        assert window.geometry() == where  # the main window opens where "starting" stood
        assert window.windowTitle() == "Tidings — Demo"
        banner = window.demo_banner
        assert banner is not None and banner.isVisible()
        assert "sample data" in banner.text.text() and banner.leave.text() == "Sign in for real"
        assert session.credential.user_id == DEMO_USER.user_id
        unread = sum(line.unread for chat in CHATS for line in chat.lines)
        await until(lambda: tidings.tray is not None and tidings.tray.unread == unread, 10,
                    "the unread total on the tray")

        await until(lambda: session.client.ready, 20, "the demo user signed in")
        # the demo's groups are real, and a newcomer's request to join waits on the rail
        groups = window.groups_page
        await until(lambda: groups.model.rowCount() == sum(c.group is not None for c in CHATS),
                    20, "the demo's groups listed")
        await until(lambda: window.rail.buttons[Page.GROUPS].badge == 1, 20,
                    "the join request on the rail")
        window.rail.buttons[Page.GROUPS].click()
        groups.show_group(BOOK_CLUB.user_id)
        await until(lambda: groups.pane.members.model.rowCount() == 3, 20, "the club's members")
        save_screenshot(window, "demo-groups", folder="app")
        window.rail.buttons[Page.CHATS].click()
        window.open_conversation(BOT_CHAT)
        edit = window.chat.composer.edit
        edit.insertPlainText("你好")  # as an input method commits it
        QTest.keyClick(edit, Qt.Key.Key_Return)

        def answered() -> bool:
            conv = window.conversations.conversation(BOT_CHAT)
            last = conv.last_message if conv else None
            return (last is not None and last.sender == BOT.user_id
                    and last.text_elem is not None and last.text_elem.text.startswith("你好呀"))

        await until(answered, 10, "the bot's answer")
        save_screenshot(window, "demo-main-window", folder="app")

        banner.dismiss.click()
        assert not banner.isVisible() and window.windowTitle() == "Tidings — Demo"

        # "Sign in for real" stops the demo and shows sign-in where the window stood.
        window_center = window.geometry().center()
        banner.leave.click()
        await until(lambda: tidings.session is None and tidings.login is not None
                    and tidings.login.isVisible() and not tidings.login.busy,
                    10, "sign-in after leaving the demo")
        login = tidings.login
        assert (login.geometry().center() - window_center).manhattanLength() <= 2
        service_log = (data_dir / "demo-service" / "service.log").read_text()
        assert "Finished server process" in service_log  # stopped cleanly, not killed

    drive(arun, scenario, tidings)
