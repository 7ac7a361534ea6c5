"""Real faces in the window: a friend uploads a picture as an ``avatar`` (the SDK's own media
transfer, as the service sees any upload) and names it as their face URL; the chat list, the
chat header, the bubbles, the contacts list and the card then paint that picture — checked on
the pixels of what is drawn. A friend whose face is a web URL that never answers keeps their
initials, and the window keeps answering meanwhile."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QRectF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QListView, QWidget
from pytestqt.qtbot import QtBot

import app.ui.faces as faces_module
from app.protocol.elements import MEDIA_REF_PREFIX, MediaKind
from app.protocol.friends import AllowType
from app.ui.models.conversations import Role as ConvRole
from app.ui.models.friends import Role as FriendRole
from app.ui.theme import apply_theme
from app.ui.views.nav_rail import Page
from app.ui.widgets.avatar import avatar_color
from app.ui.widgets.conversation_delegate import AVATAR as LIST_AVATAR
from app.ui.widgets.conversation_delegate import PAD_X as LIST_PAD
from app.ui.widgets.friend_delegate import AVATAR as FRIEND_AVATAR
from app.ui.widgets.friend_delegate import PAD_X as FRIEND_PAD
from tests.gui.chat_helpers import open_app
from tests.gui.conftest import deliver_posted_events, save_screenshot, until
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]
FOLDER = "contacts"
FACE = QColor(236, 40, 190)
"""No avatar colour is near this magenta: a pixel of it is the picture."""
NEW_FACE = QColor(20, 230, 240)
"""The picture bob changes to while alice watches: cyan."""


def _face_png(path: Path, color: QColor = FACE) -> str:
    """A 300×200 picture, `color` in its centre square and black at the sides (cropped away
    by a round avatar); its SHA-256, the upload's uuid."""
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("black"))
    for x in range(50, 250):
        for y in range(200):
            image.setPixelColor(x, y, color)
    assert image.save(str(path), "PNG")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _near(color: QColor, want: QColor, tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in
               ((color.red(), want.red()), (color.green(), want.green()),
                (color.blue(), want.blue())))


def _pixel(widget: QWidget, point: QPoint) -> QColor:
    image = widget.grab().toImage()
    dpr = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * dpr), round(point.y() * dpr))


def _avatar_point(view: QListView, rect: QRect, pad: int, size: int) -> QPoint:
    """A point inside a row's avatar above its centre (clear of initials' glyphs)."""
    top = rect.top() + (rect.height() - size) // 2
    return QPoint(rect.left() + pad + size // 2, top + size // 8)


def _row_rect(view: QListView, role: int, user_id: str) -> QRect:
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        value = index.data(role)
        if getattr(value, "user_id", value) == user_id:
            return view.visualRect(index)
    raise AssertionError(f"no row for {user_id}")


async def _silent_server() -> tuple[asyncio.Server, int]:
    """A web server that accepts and never answers: a face URL that hangs."""
    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up and hangs up
        writer.close()

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def _ticks_promptly(seconds: float) -> float:
    """The longest gap between 20 ms ticks over `seconds`: the GUI thread's worst stall."""
    loop = asyncio.get_running_loop()
    worst, end = 0.0, loop.time() + seconds
    while loop.time() < end:
        before = loop.time()
        await asyncio.sleep(0.02)
        worst = max(worst, loop.time() - before - 0.02)
    return worst


def test_faces_in_list_header_bubbles_contacts_and_card(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(faces_module, "WEB_TIMEOUT_S", 1.5)
    bob, carol = gui_peers("bob"), gui_peers("carol")

    async def scenario() -> None:
        server, port = await _silent_server()
        dead_url = f"http://127.0.0.1:{port}/carol.png"
        picture = tmp_path / "bob-face.png"
        uuid = _face_png(picture)
        await bob.client.media.transfer.upload(picture, uuid, MediaKind.AVATAR)
        face_url = MEDIA_REF_PREFIX + uuid
        await bob.client.set_self_info(nick="Bob Stone", face_url=face_url,
                                       allow_type=int(AllowType.ALLOW_ANY))
        await carol.client.set_self_info(nick="Carol Wu", face_url=dead_url,
                                         allow_type=int(AllowType.ALLOW_ANY))
        app = await open_app(service, "alice", tmp_path / "alice")
        window, page = app.window, app.window.contacts_page
        faces = window.chat.faces
        apply_theme(qapp, "light")
        try:
            for peer in ("bob", "carol"):
                await app.client.friendship_manager.add_friend(peer)
            await bob.mm.send_message(bob.mm.create_text_message("my new picture!"),
                                      receiver="alice")
            await carol.mm.send_message(carol.mm.create_text_message("mine will not load"),
                                        receiver="alice")
            await until(lambda: app.listed("c2c_bob") is not None
                        and app.listed("c2c_carol") is not None, what="both chats listed")
            await until(lambda: faces.image(face_url) is not None, what="bob's face fetched")

            # the chat list paints the picture for bob, initials for carol (still hanging)
            pane = window.list_pane
            await until(lambda: _near(_pixel(pane.list.viewport(), _avatar_point(
                pane.list, _row_rect(pane.list, ConvRole.CONVERSATION, "bob"),
                LIST_PAD, LIST_AVATAR)), FACE), what="bob's face in the chat list")
            carol_point = _avatar_point(
                pane.list, _row_rect(pane.list, ConvRole.CONVERSATION, "carol"),
                LIST_PAD, LIST_AVATAR)
            assert _near(_pixel(pane.list.viewport(), carol_point), avatar_color("carol"))
            # the hanging face costs the GUI thread nothing while it waits
            assert await _ticks_promptly(0.6) < 0.15
            save_screenshot(window, "contacts-faces-chats-light", FOLDER)

            # the chat header and the bubbles
            window.open_conversation("c2c_bob")
            header = window.chat.header.avatar
            await until(lambda: _near(_pixel(header, QPoint(20, 5)), FACE),
                        what="bob's face in the header")
            timeline = window.chat.timeline
            delegate = timeline.delegate
            await until(lambda: timeline.model().rowCount() > 0, what="the message shown")
            index = timeline.model().index(timeline.model().rowCount() - 1, 0)
            geo = delegate.geometry(QRectF(timeline.visualRect(index)), index, timeline.font())
            assert geo.avatar is not None
            spot = QPoint(round(geo.avatar.x()) + 17, round(geo.avatar.y()) + 5)
            await until(lambda: _near(_pixel(timeline.viewport(), spot), FACE),
                        what="bob's face beside his bubble")
            apply_theme(qapp, "dark")
            deliver_posted_events()
            save_screenshot(window, "contacts-faces-chat-dark", FOLDER)
            apply_theme(qapp, "light")
            deliver_posted_events()

            # the contacts list and the card
            window.rail.buttons[Page.CONTACTS].click()
            await until(lambda: page.model.row_of("bob") >= 0
                        and page.model.row_of("carol") >= 0, what="both friends listed")
            await until(lambda: _near(_pixel(page.list.viewport(), _avatar_point(
                page.list, _row_rect(page.list, FriendRole.USER_ID, "bob"), FRIEND_PAD,
                FRIEND_AVATAR)), FACE), what="bob's face in the contacts list")
            page.show_user("bob")
            await until(lambda: _near(_pixel(page.card.avatar, QPoint(42, 10)), FACE),
                        what="bob's face on his card")
            save_screenshot(window, "contacts-faces-contacts-light", FOLDER)

            # carol's web face never answers: her initials stay, and it is not asked again
            await until(lambda: dead_url not in faces._fetching, timeout=10,
                        what="the hanging fetch given up")
            assert faces.image(dead_url) is None and dead_url not in faces._fetching
            page.show_user("carol")
            card_point = QPoint(42, 10)
            assert _near(_pixel(page.card.avatar, card_point), avatar_color("carol"))
            assert _near(_pixel(page.list.viewport(), _avatar_point(
                page.list, _row_rect(page.list, FriendRole.USER_ID, "carol"), FRIEND_PAD,
                FRIEND_AVATAR)), avatar_color("carol"))
            apply_theme(qapp, "dark")
            deliver_posted_events()
            page.show_user("bob")
            save_screenshot(window, "contacts-faces-contacts-dark", FOLDER)

            # bob changes his picture while alice looks at his card: everything follows
            second = tmp_path / "bob-face-2.png"
            new_uuid = _face_png(second, NEW_FACE)
            await bob.client.media.transfer.upload(second, new_uuid, MediaKind.AVATAR)
            await bob.client.set_self_info(face_url=MEDIA_REF_PREFIX + new_uuid)
            await until(lambda: _near(_pixel(page.card.avatar, QPoint(42, 10)), NEW_FACE),
                        what="the card's new face")
            await until(lambda: _near(_pixel(page.list.viewport(), _avatar_point(
                page.list, _row_rect(page.list, FriendRole.USER_ID, "bob"), FRIEND_PAD,
                FRIEND_AVATAR)), NEW_FACE), what="the contacts list's new face")
            await until(lambda: _near(_pixel(pane.list.viewport(), _avatar_point(
                pane.list, _row_rect(pane.list, ConvRole.CONVERSATION, "bob"),
                LIST_PAD, LIST_AVATAR)), NEW_FACE), what="the chat list's new face")
            await until(lambda: _near(_pixel(header, QPoint(20, 5)), NEW_FACE),
                        what="the header's new face")
        finally:
            apply_theme(qapp, "light")
            server.close()
            await app.close()

    arun(scenario(), timeout=120)
