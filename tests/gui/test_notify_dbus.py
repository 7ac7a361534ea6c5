"""Notifications end to end on Linux: the app's real freedesktop backend (desktop-notifier over
dbus-fast) talks to a notification server this test serves on a private D-Bus session bus, and
the messages come from a real SDK peer through the real service.

What the server is told (summary, body, icon, actions, sound) is what a desktop's notification
daemon would show; its ActionInvoked "default" (a click) must open that chat in the app, its
NotificationReplied must reach the peer, and a burst must be one notification replaced in place.
"""

from __future__ import annotations

import hashlib
import struct
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from app.protocol.elements import MEDIA_REF_PREFIX, MediaKind
from app.protocol.ids import c2c_conversation_id
from app.ui.app import Options, TidingsApp
from app.ui.notify.notifier import Notifier
from tests.gui.conftest import save_screenshot, until
from tests.gui.test_app_login import drive
from tests.gui.test_app_session import remember
from tests.support.clients import Peer
from tests.support.notifications import (
    NotificationServer,
    SessionBus,
    hint,
    serve_notifications,
    session_bus,
)
from tests.support.service import Service

Run = Callable[..., Any]

pytestmark = pytest.mark.skipif(sys.platform != "linux" or not SessionBus.available(),
                                reason="needs Linux and dbus-daemon")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_a_peers_message_is_a_notify_call_and_its_click_opens_the_chat(
    qapp: QApplication, arun: Run, service: Service, tmp_path: Path,
    gui_peers: Callable[..., Peer], monkeypatch: pytest.MonkeyPatch,
) -> None:
    bob = gui_peers("bob")
    data_dir = tmp_path / "app"
    with session_bus(monkeypatch) as bus:
        tidings = TidingsApp(Options(data_dir=data_dir), qapp)
        server = NotificationServer()

        async def scenario() -> None:
            daemon = await serve_notifications(bus.address, server)
            try:
                await bob.client.set_self_info(nick="Bob Stone")
                await remember(data_dir, service, "alice")
                await tidings.start()
                session = tidings.session
                assert session is not None and session.window is not None
                window, center = session.window, session.notifications
                assert center is not None and center.notifier.native
                await until(lambda: session.client.ready and not center.first_catch_up, 30,
                            "signed in and caught up")

                await bob.mm.send_message(bob.mm.create_text_message("Fancy a coffee?"),
                                          receiver="alice")
                await until(lambda: len(server.calls) == 1, 20, "the Notify call")
                call = server.calls[0]
                assert (call.app_name, call.summary, call.body) == (
                    "Tidings", "Bob Stone", "Fancy a coffee?")
                icon = Path(unquote(urlparse(call.icon).path))
                assert call.icon.startswith("file://")
                assert png_size(icon) == (96, 96)  # the sender's face, initials until a picture
                assert "default" in call.actions and "inline-reply" in call.actions
                assert hint(call, "sound-name") == "message-new-instant"

                window.hide()  # in the tray; the click must bring it back on Bob's chat
                server.invoke(call, "default")
                await until(lambda: window.chat.conversation_id == c2c_conversation_id("bob"),
                            10, "the click to open Bob's chat")
                assert window.isVisible()
                save_screenshot(window, "notify-opened-from-dbus", folder=".")

                window.hide()  # not reading it: Bob's next messages notify again
                for text in ("one", "two", "three"):
                    await bob.mm.send_message(bob.mm.create_text_message(text),
                                              receiver="alice")
                await until(lambda: server.calls[-1].body == "3 new messages\nthree", 20,
                            "the burst as one updated notification")
                burst = server.calls[1:]
                assert [c.summary for c in burst] == ["Bob Stone"] * 3
                # the first of the burst is new (the clicked one is gone), each next one
                # replaces it in place: one notification, no CloseNotification in between
                assert [c.replaces_id for c in burst] == [0, burst[0].id, burst[0].id]
                assert len(server.live()) == 1 and server.closed == [call.id]

                server.NotificationReplied(server.calls[-1].id, "On my way")
                await until(lambda: any(m.text_elem is not None
                                        and m.text_elem.text == "On my way"
                                        for m in bob.recorder.messages), 20,
                            "the reply at Bob's")
            finally:
                daemon.disconnect()

        drive(arun, scenario, tidings)


def test_the_session_lets_go_of_the_bus_when_it_ends(
    qapp: QApplication, arun: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each session's notifier connects to the bus when it first notifies; signing out (or
    quitting) closes that connection, so sessions one after another do not pile them up."""
    with session_bus(monkeypatch) as bus:
        server = NotificationServer()

        async def scenario() -> None:
            daemon = await serve_notifications(bus.address, server)
            try:
                notifier = Notifier()
                await notifier.show("c2c_bob", "Bob", "hi", msg_id="m1")
                await until(lambda: len(server.calls) == 1, 5, "the Notify call")
                connection = notifier.backend.bus  # type: ignore[attr-defined]
                assert connection.connected
                notifier.close()
                assert not connection.connected
                await notifier.show("c2c_bob", "Bob", "again", msg_id="m2")  # reconnects
                await until(lambda: len(server.calls) == 2, 5, "the second Notify call")
                notifier.close()
            finally:
                daemon.disconnect()

        arun(scenario())


FACE = (236, 40, 190)
"""Magenta: no initials avatar is near it, so a pixel of it is the picture."""


def test_the_senders_picture_replaces_the_initials_in_place(
    qapp: QApplication, arun: Run, service: Service, tmp_path: Path,
    gui_peers: Callable[..., Peer], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first message from someone whose face the app has not loaded yet (the window in
    the tray paints nothing) shows their initials at once rather than waiting; when the picture
    arrives the same notification is updated in place with it, silently."""
    bob = gui_peers("bob")
    data_dir = tmp_path / "app"
    with session_bus(monkeypatch) as bus:
        tidings = TidingsApp(Options(data_dir=data_dir, minimized=True), qapp)
        server = NotificationServer()

        async def scenario() -> None:
            daemon = await serve_notifications(bus.address, server)
            try:
                picture = tmp_path / "bob.png"
                image = QImage(64, 64, QImage.Format.Format_RGB32)
                image.fill(QColor(*FACE))
                assert image.save(str(picture), "PNG")
                uuid = hashlib.sha256(picture.read_bytes()).hexdigest()
                await bob.client.media.transfer.upload(picture, uuid, MediaKind.AVATAR)
                await bob.client.set_self_info(nick="Bob Stone",
                                               face_url=MEDIA_REF_PREFIX + uuid)
                await remember(data_dir, service, "alice")
                await tidings.start()
                session = tidings.session
                assert session is not None and session.notifications is not None
                center = session.notifications
                await until(lambda: session.client.ready and not center.first_catch_up, 30,
                            "signed in and caught up")

                await bob.mm.send_message(bob.mm.create_text_message("new face!"),
                                          receiver="alice")
                await until(lambda: len(server.calls) == 2, 20, "the notification, then "
                            "the same one with the picture")
                first, second = server.calls
                assert (second.summary, second.body) == (first.summary, first.body)
                assert second.replaces_id == first.id and len(server.live()) == 1
                assert hint(first, "sound-name") == "message-new-instant"
                assert hint(second, "sound-name") is None  # the update is quiet
                shown = [QImage(unquote(urlparse(c.icon).path)) for c in (first, second)]
                middle = [img.pixelColor(img.width() // 2, img.height() // 2) for img in shown]
                assert middle[0].getRgb()[:3] != FACE  # initials first
                assert all(abs(a - b) < 24 for a, b in zip(middle[1].getRgb()[:3], FACE,
                                                           strict=True))
            finally:
                daemon.disconnect()

        drive(arun, scenario, tidings)
