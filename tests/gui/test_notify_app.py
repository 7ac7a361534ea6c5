"""Notifications in the running app with real peers and the real service; only desktop-
notifier's OS backend records instead of showing (`RecordingBackend`).

Clicking a notification opens that chat and brings the window back; the chat being read in the
active window raises none; after a restart what came meanwhile is one summary; the settings
dialog's notification section. Screenshots: test-artifacts/notify-*.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from app.protocol.ids import c2c_conversation_id
from app.ui.credentials import Credential
from app.ui.desktop.tray import TrayIcon
from app.ui.notify.center import SUMMARY_KEY
from app.ui.notify.decision import Skip
from app.ui.notify.notifier import Notifier
from app.ui.session import Session
from app.ui.settings import AppSettings
from app.ui.views.settings_dialog import SettingsDialog
from tests.gui.conftest import ARTIFACTS, until
from tests.support.clients import Peer
from tests.support.notifications import RecordingBackend
from tests.support.service import Service

Run = Callable[..., Any]
BOB, CAROL = c2c_conversation_id("bob"), c2c_conversation_id("carol")


def shot(widget: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(ARTIFACTS / f"notify-{name}.png"))


class App:
    """Alice's session as the app opens it, with a recording notification backend."""

    def __init__(self, service: Service, root: Path) -> None:
        self.settings = AppSettings(root / "settings.ini")
        self.tray = TrayIcon(self.settings)
        self.backend = RecordingBackend()
        self.notifier = Notifier(self.tray.tray, backend=self.backend)
        self.service = service
        self.root = root
        self.session: Session | None = None

    async def open(self) -> Session:
        service = self.service
        credential = Credential(service.url, "alice", service.sig("alice"), service.sdk_app_id)
        self.backend.sent.clear()
        session = Session(credential, self.root / "profile", self.settings, self.tray,
                          notifier=self.notifier)

        async def url() -> str:
            return service.url

        await session.open(url)
        center = session.notifications
        assert center is not None
        await until(lambda: session.client.ready and not center.first_catch_up, 30,
                    "signed in and caught up")
        self.session = session
        return session

    async def close(self) -> None:
        if self.session is not None:
            session, self.session = self.session, None
            await session.close()


async def send(peer: Peer, text: str) -> None:
    await peer.mm.send_message(peer.mm.create_text_message(text), receiver="alice")


def test_clicking_a_notification_opens_its_chat(
    qapp: QApplication, arun: Run, service: Service, tmp_path: Path,
    gui_peers: Callable[..., Peer],
) -> None:
    bob, carol = gui_peers("bob"), gui_peers("carol")
    app = App(service, tmp_path / "app")

    async def scenario() -> None:
        try:
            await bob.client.set_self_info(nick="Bob")
            await carol.client.set_self_info(nick="Carol")
            session = await app.open()
            window = session.window
            center = session.notifications
            assert window is not None and center is not None
            # Reading Carol's chat in the active window: her message raises nothing...
            window.open_conversation(CAROL)
            await until(lambda: session.reading() == CAROL, 5, "the window active on Carol")
            await send(carol, "Are you there?")
            await until(lambda: center.skipped[Skip.FOCUSED] == 1, 20,
                        "Carol's message while reading her chat")
            assert app.backend.sent == []

            window.hide()  # ...but with the window in the tray everything notifies
            await send(bob, "Lunch at noon?")
            await send(carol, "The report is ready")
            await until(lambda: len(app.backend.showing) == 2, 20, "two notifications")
            bobs = next(n for n in app.backend.showing if n.title == "Bob")
            carols = next(n for n in app.backend.showing if n.title == "Carol")
            assert (bobs.message, carols.message) == ("Lunch at noon?", "The report is ready")

            app.backend.click(bobs)
            await until(lambda: window.chat.conversation_id == BOB, 10, "Bob's chat")
            assert window.isVisible()
            assert window.list_pane.list.currentIndex().data() is not None
            await until(lambda: "Lunch at noon?" in texts_in(window), 10,
                        "the notified message in the chat")
            shot(window, "opened-chat")
            assert [n.title for n in app.backend.showing] == ["Carol"]  # hers still waits

            window.hide()  # the tray clicked while Carol's shows: her chat, not the last one
            app.tray.activate_requested.emit()
            await until(lambda: window.chat.conversation_id == CAROL and window.isVisible(),
                        10, "the tray's click to open Carol's chat")
            await until(lambda: app.backend.showing == [], 5, "Carol's notification taken")
            app.tray.activate_requested.emit()  # none showing: the window as it is
            assert window.chat.conversation_id == CAROL
        finally:
            await app.close()

    arun(scenario())


def texts_in(window: Any) -> list[str]:
    return [m.text_elem.text for m in window.chat.model.messages() if m.text_elem is not None]


def test_after_a_restart_one_summary_of_what_came(
    qapp: QApplication, arun: Run, service: Service, tmp_path: Path,
    gui_peers: Callable[..., Peer],
) -> None:
    bob, carol = gui_peers("bob"), gui_peers("carol")
    app = App(service, tmp_path / "app")

    async def scenario() -> None:
        try:
            await app.open()  # the first run: signed in and synced once
            await app.close()
            for text in ("one", "two", "three"):
                await send(bob, text)
            await send(carol, "hi")
            session = await app.open()  # the restart: its catch-up brings the four
            await until(lambda: [n.title for n in app.backend.showing] == ["Tidings"]
                        and SUMMARY_KEY in app.notifier.last, 20, "the summary")
            [summary] = app.backend.showing
            assert summary.message == "4 new messages in 2 chats"
            assert app.notifier.last[SUMMARY_KEY].title == "Tidings"
            assert session.notifications.skipped[Skip.CATCHING_UP] == 4  # type: ignore
            window = session.window
            assert window is not None
            window.hide()
            app.backend.click(summary)
            await until(window.isVisible, 10, "the window back")
            assert window.chat.conversation_id == ""  # several chats: the list
            await send(bob, "back?")  # after the catch-up, one by one again
            await until(lambda: any(n.message == "back?" for n in app.backend.showing), 20,
                        "a live notification")
        finally:
            await app.close()

    arun(scenario())


def test_settings_dialog_notification_section(qapp: QApplication, tmp_path: Path) -> None:
    settings = AppSettings(tmp_path / "settings.ini")
    dialog = SettingsDialog(settings, "alice")
    dialog.show()
    assert dialog.notification_sound.isChecked() and not dialog.quiet_hours.isChecked()
    assert not dialog.quiet_from.isEnabled()
    dialog.quiet_hours.setChecked(True)
    assert settings.quiet_hours and dialog.quiet_from.isEnabled()
    dialog.quiet_from.setTime(dialog.quiet_from.time().fromString("23:15", "HH:mm"))
    assert settings.quiet_from == "23:15" and settings.quiet_to == "08:00"
    dialog.notification_sound.setChecked(False)
    assert settings.notification_sound is False
    assert not dialog.start_minimized.isEnabled()
    settings.start_at_login = True  # written elsewhere: the dialog follows
    assert dialog.start_at_login.isChecked() and dialog.start_minimized.isEnabled()
    shot(dialog, "settings")
    settings.notifications = False
    assert not dialog.quiet_hours.isEnabled() and not dialog.notification_sound.isEnabled()
    shot(dialog, "settings-off")
    dialog.close()
