"""A group without a picture is drawn from its first members, each with their own picture once
it has arrived — in the conversation list as on the Groups page — also when the app opened on
its cache before it was signed in (the members are read once the first sync ends)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from app.protocol.elements import MEDIA_REF_PREFIX, MediaKind
from app.protocol.groups import GroupType
from app.ui.models.conversations import Role as ConvRole
from app.ui.theme import apply_theme
from app.ui.widgets.conversation_delegate import AVATAR, PAD_X
from tests.gui.chat_helpers import open_app
from tests.gui.conftest import save_screenshot, until
from tests.gui.test_contacts_faces import FACE, _face_png, _near, _pixel
from tests.support.clients import Peer
from tests.support.service import Service

Arun = Callable[..., Any]


def test_group_avatar_shows_members_faces_after_an_offline_start(
    qapp: QApplication, service: Service, gui_peers: Callable[..., Peer], tmp_path: Path,
    arun: Arun,
) -> None:
    bob, carol = gui_peers("bob"), gui_peers("carol")

    async def scenario() -> None:
        picture = tmp_path / "carol.png"
        uuid = _face_png(picture)
        await carol.client.media.transfer.upload(picture, uuid, MediaKind.AVATAR)
        face_url = MEDIA_REF_PREFIX + uuid
        await carol.client.set_self_info(nick="Carol", face_url=face_url)
        first = await open_app(service, "alice", tmp_path / "alice")
        gid = await bob.client.group_manager.create_group(
            GroupType.WORK, "Crew", member_list=["alice", "carol"])
        await bob.mm.send_message(bob.mm.create_text_message("hi crew"), group_id=gid)
        conv_id = f"group_{gid}"
        await until(lambda: first.listed(conv_id) is not None, what="the group chat listed")
        await first.close()

        # the next start shows the window from the cache before it is signed in
        app = await open_app(service, "alice", tmp_path / "alice", login=False)
        try:
            model = app.window.groups_page.model
            await until(lambda: model.group(gid) is not None, what="the cached group")
            assert model.face_members(gid) == [], "members come only from the service"
            await app.client.login("alice", service.sig("alice"))
            await until(lambda: face_url in {m.face_url for m in model.face_members(gid)},
                        what="the members read once signed in")
            faces = app.window.chat.faces
            await until(lambda: faces.image(face_url) is not None, what="carol's picture")
            apply_theme(qapp, "light")
            pane = app.window.list_pane
            row = app.list_row_ids().index(conv_id)
            rect = pane.list.visualRect(pane.proxy.index(row, 0))
            assert pane.proxy.index(row, 0).data(ConvRole.ID) == conv_id
            # members are sorted as the service lists them; carol's segment holds her face
            center = QPoint(rect.left() + PAD_X + AVATAR // 2,
                            rect.top() + (rect.height() - AVATAR) // 2 + AVATAR // 2)
            corners = [center + QPoint(dx, dy) for dx in (-9, 9) for dy in (-9, 9)]

            def shows_face() -> bool:
                pane.list.viewport().repaint()
                return any(_near(_pixel(pane.list.viewport(), p), FACE) for p in corners)

            await until(shows_face, what="carol's face in the group's avatar")
            assert not _near(_pixel(pane.list.viewport(), center + QPoint(0, -40)),
                             QColor(FACE)), "the face stays inside the avatar"
            save_screenshot(app.window, "group-avatar-member-faces", "groups")
        finally:
            apply_theme(qapp, "system")
            await app.close()

    arun(scenario())
