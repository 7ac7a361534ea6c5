"""My profile as a user edits it: opened from the rail's avatar menu, name, bio and who may add
me changed, a photo chosen and framed in the crop view, saved — against the real service, with
another person as a real SDK client who must see the new profile and fetch the face."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from app.protocol.elements import media_ref_uuid
from app.protocol.friends import AllowType
from app.sdk.avatars import face_file
from app.ui.i18n import install_language
from app.ui.theme import apply_theme
from app.ui.views.main_window import MainWindow
from app.ui.views.my_profile import MyProfileDialog
from tests.gui.chat_helpers import open_app
from tests.gui.conftest import deliver_posted_events, save_screenshot, until
from tests.support import media_files
from tests.support.clients import Peer
from tests.support.service import Service
from tests.support.waiting import wait_until

Arun = Callable[..., Any]
FOLDER = "contacts"


def _open_from_menu(window: MainWindow) -> MyProfileDialog:
    """The rail's avatar → its menu → "My profile…"."""
    window.rail.avatar.clicked.emit()
    menu = next(m for m in window.findChildren(QMenu) if m.isVisible())
    action = next(a for a in menu.actions() if a.text() == "My profile…")
    action.trigger()
    menu.close()
    dialog = window.my_profile
    assert dialog is not None and dialog.isVisible()
    return dialog


def _drop(dialog: MyProfileDialog, path: Path) -> bool:
    """A file dragged from the file manager and dropped on the dialog; whether it was taken."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    where = QPointF(dialog.width() / 2, dialog.height() / 2)
    enter = QDragEnterEvent(where.toPoint(), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(dialog, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(where, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(dialog, drop)
    return drop.isAccepted()


def _retype(field: Any, text: str) -> None:
    field.selectAll()
    QTest.keyClicks(field, text)


def test_edit_my_profile_with_a_framed_photo(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun,
) -> None:
    bob = gui_peers("bob")
    photo = media_files.jpeg_rotated(tmp_path / "holiday.jpg", 1600, 900)  # shown 900 × 1600
    notes = tmp_path / "notes.jpg"
    notes.write_text("no picture here")

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        window = app.window
        apply_theme(qapp, "light")
        try:
            assert window.rail.avatar._image is None  # initials until a face is set
            dialog = _open_from_menu(window)
            assert dialog.allow_buttons[AllowType.NEED_CONFIRM].isChecked()  # the default
            _retype(dialog.nickname, "Alice Chen")
            _retype(dialog.signature, "Out running")
            _retype(dialog.region, "Shanghai")
            dialog.allow_buttons[AllowType.ALLOW_ANY].click()
            assert "no request" in dialog.allow_hint.text()

            # a file that is no picture is told in words, and the form stays
            dialog.open_picture(notes)
            await until(lambda: "not a picture" in dialog.status.text(), what="the refusal")
            assert dialog.pages.currentIndex() == 0

            assert _drop(dialog, photo)  # dropped from the file manager
            await until(lambda: dialog.pages.currentIndex() == 1, what="the crop view")
            cropper = dialog.cropper
            left, top, side, _ = cropper.crop()
            assert side == 900 and left == 0 and top == 350  # the centred square at first
            dialog.zoom.setValue(25)  # the slider zooms
            assert cropper.zoom == 2.0
            cropper.move_by(0, 2000)  # dragged far down: stops at the top edge
            left, top, side, _ = cropper.crop()
            assert (left, top, side) == (225, 0, 450)
            save_screenshot(dialog, "contacts-my-profile-crop-light", FOLDER)
            framed = cropper.crop()
            dialog.use_button.click()
            assert dialog.pages.currentIndex() == 0 and dialog.face._image is not None
            save_screenshot(dialog, "contacts-my-profile-light", FOLDER)

            dialog.save_button.click()
            await until(lambda: window.my_profile is None, timeout=30, what="saved and closed")
            await until(lambda: window.rail.avatar._image is not None, what="my face on the rail")
            assert window.rail.avatar.toolTip() == "Alice Chen (alice)"
            save_screenshot(window, "contacts-my-profile-rail-light", FOLDER)

            # bob sees it all, and fetches the face: the framed square, 512 px
            (seen,) = await bob.client.get_users_info(["alice"])
            assert (seen.nick_name, seen.self_signature, seen.location) == (
                "Alice Chen", "Out running", "Shanghai")
            assert seen.allow_type == AllowType.ALLOW_ANY
            assert media_ref_uuid(seen.face_url) is not None
            path = await face_file(bob.client, seen.face_url)
            assert path is not None
            with Image.open(path) as face:
                assert face.size == (512, 512)
            assert framed == (225, 0, 450, 450)

            # opened again: what was saved, in both themes and languages
            dialog = _open_from_menu(window)
            assert dialog.nickname.text() == "Alice Chen"
            assert dialog.allow_buttons[AllowType.ALLOW_ANY].isChecked()
            await until(lambda: dialog.face._image is not None, what="my face in the dialog")
            apply_theme(qapp, "dark")
            deliver_posted_events()
            save_screenshot(dialog, "contacts-my-profile-dark", FOLDER)
            install_language(qapp, "zh_CN")
            deliver_posted_events()
            deliver_posted_events()  # the labels' new sizes, then the form laid out again
            assert dialog.save_button.text() != "Save"
            save_screenshot(dialog, "contacts-my-profile-dark-zh", FOLDER)
            dialog.open_picture(photo)
            await until(lambda: dialog.pages.currentIndex() == 1, what="the crop view")
            save_screenshot(dialog, "contacts-my-profile-crop-dark-zh", FOLDER)
            dialog._back()
            apply_theme(qapp, "light")
            deliver_posted_events()
            save_screenshot(dialog, "contacts-my-profile-light-zh", FOLDER)
            install_language(qapp, "en")
            deliver_posted_events()

            # Remove photo: initials again, here and on the rail, and bob sees no face
            assert dialog.remove_photo.isVisible()
            dialog.remove_photo.click()
            assert dialog.face._image is None and not dialog.remove_photo.isVisible()
            dialog.save_button.click()
            await until(lambda: window.my_profile is None, timeout=30, what="saved")
            await until(lambda: window.rail.avatar._image is None, what="initials on the rail")
            (seen,) = await bob.client.get_users_info(["alice"])
            assert seen.face_url == "" and seen.nick_name == "Alice Chen"
        finally:
            install_language(qapp, "en")
            apply_theme(qapp, "light")
            await app.close()

    arun(scenario(), timeout=120)


def test_offline_a_change_is_kept_and_a_photo_waits_for_the_link(
    qtbot: QtBot, qapp: QApplication, service: Service, gui_peers: Callable[..., Peer],
    tmp_path: Path, arun: Arun,
) -> None:
    bob = gui_peers("bob")
    photo = media_files.png(tmp_path / "me.png", 600, 400)

    async def scenario() -> None:
        app = await open_app(service, "alice", tmp_path / "alice")
        window = app.window
        try:
            service.kill()
            await until(lambda: not app.client.ready, what="the app to notice")
            dialog = _open_from_menu(window)
            _retype(dialog.signature, "On the train")
            dialog.allow_buttons[AllowType.DENY_ANY].click()
            QTest.keyClick(dialog.signature, Qt.Key.Key_Return)  # Return saves
            await until(lambda: "sent when you are back online" in dialog.status.text(),
                        what="the change kept")
            assert dialog.save_button.text() == "Close" and not dialog.cancel_button.isVisible()
            save_screenshot(dialog, "contacts-my-profile-offline-light", FOLDER)
            dialog.save_button.click()
            assert window.my_profile is None

            # a photo cannot be queued: said so, and everything stays as typed
            dialog = _open_from_menu(window)
            assert dialog.signature.text() == "On the train"  # my profile reads with the change
            dialog.open_picture(photo)
            await until(lambda: dialog.pages.currentIndex() == 1, what="the crop view")
            QTest.keyClick(dialog.cropper, Qt.Key.Key_Escape)  # leaves the crop view only
            assert dialog.isVisible() and dialog.pages.currentIndex() == 0
            assert not dialog.remove_photo.isVisible()  # no face, none chosen
            dialog.open_picture(photo)
            await until(lambda: dialog.pages.currentIndex() == 1, what="the crop view")
            QTest.keyClick(dialog.cropper, Qt.Key.Key_Return)  # Use photo
            assert dialog.pages.currentIndex() == 0 and dialog.remove_photo.isVisible()
            dialog.save_button.click()
            await until(lambda: "cannot be uploaded" in dialog.status.text(),
                        what="the photo refused offline")
            assert dialog.save_button.isEnabled() and dialog.isVisible()
            dialog.cancel_button.click()

            service.start()
            await until(lambda: app.client.ready, timeout=30, what="back online")

            async def bob_sees() -> bool:
                (seen,) = await bob.client.get_users_info(["alice"])
                return seen.self_signature == "On the train" and (
                    seen.allow_type == AllowType.DENY_ANY)

            await wait_until(lambda: bob.client.ready, what="bob signed in")
            await wait_until(bob_sees, what="bob sees alice's new profile")
        finally:
            await app.close()

    arun(scenario(), timeout=120)
