"""A session's life in the app: it ends when the account signs in elsewhere (L8) or the sig
expires — with a dialog, back at sign-in, and no automatic sign-in loop — and a second launch
on the same data directory raises the first window and exits 0 (U6)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from app.protocol import Platform
from app.ui.app import Options, TidingsApp
from app.ui.credentials import Credential, CredentialStore
from app.ui.views.dialogs import SignedOutReason
from tests.gui.conftest import save_screenshot, until
from tests.gui.test_app_login import drive, settings_file
from tests.support.clients import connect
from tests.support.service import Service

Run = Callable[..., Any]


async def remember(data_dir: Path, service: Service, user_id: str, expire_s: int = 86400,
                   ) -> None:
    """A previous run signed `user_id` in with "Keep me signed in"."""
    settings_file(data_dir, server_mode="url", server_url=service.url, last_user_id=user_id,
                  remember_me=True)
    store = CredentialStore(data_dir)
    await store.save(Credential(service.url, user_id, service.sig(user_id, expire_s),
                                service.sdk_app_id))
    store.close()


def test_kicked_by_a_sign_in_elsewhere_returns_to_sign_in(
    qapp: QApplication, arun: Run, service: Service, tmp_path: Path
) -> None:
    data_dir = tmp_path / "app"
    tidings = TidingsApp(Options(data_dir=data_dir), qapp)

    async def scenario() -> None:
        await remember(data_dir, service, "alice")
        await tidings.start()
        session = tidings.session
        assert session is not None and tidings.login is None
        await until(lambda: session.client.ready, 20, "the remembered sign-in")

        other = await connect(service, "alice", tmp_path / "elsewhere", Platform.DESKTOP)
        try:
            await until(lambda: tidings.dialog is not None and tidings.dialog.isVisible(), 10,
                        "the signed-out dialog")
            dialog = tidings.dialog
            assert dialog is not None and dialog.reason is SignedOutReason.KICKED
            login = tidings.login
            assert tidings.session is None and login is not None and login.isVisible()
            assert login.user_id.text() == "alice"
            assert await tidings.credentials.load(service.url, "alice") is None
            save_screenshot(dialog, "kicked-dialog", folder="app")

            dialog.accept()
            await until(lambda: tidings.dialog is None, 5, "the dialog to close")
            await asyncio.sleep(1.0)  # no sign-in loop: the other device stays signed in
            assert tidings.session is None and "kicked" not in other.recorder.events
        finally:
            await other.close()

    drive(arun, scenario, tidings)


def test_expired_sig_asks_for_the_password(
    qapp: QApplication, arun: Run, service: Service, tmp_path: Path
) -> None:
    data_dir = tmp_path / "app"
    tidings = TidingsApp(Options(data_dir=data_dir), qapp)

    async def scenario() -> None:
        await remember(data_dir, service, "bob", expire_s=3)
        await tidings.start()
        assert tidings.session is not None
        await until(lambda: tidings.dialog is not None, 15, "the expired dialog")
        assert tidings.dialog is not None and tidings.dialog.reason is SignedOutReason.EXPIRED
        assert tidings.login is not None and tidings.login.user_id.text() == "bob"
        assert await tidings.credentials.load(service.url, "bob") is None

    drive(arun, scenario, tidings)


def test_second_launch_raises_the_first_and_exits(
    qapp: QApplication, arun: Run, tmp_path: Path
) -> None:
    data_dir = tmp_path / "app"
    tidings = TidingsApp(Options(server="http://127.0.0.1:9", data_dir=data_dir), qapp)
    assert tidings.acquire_instance([])

    async def scenario() -> None:
        await tidings.start()
        login = tidings.login
        assert login is not None
        login.hide()
        second = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "app", "--data-dir", str(data_dir),
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        _out, err = await asyncio.wait_for(second.communicate(), 30)
        assert second.returncode == 0, err.decode()
        await until(login.isVisible, 5, "the first instance's window to come back")

    drive(arun, scenario, tidings)


def test_the_main_window_keeps_its_place_between_runs(
    qapp: QApplication, arun: Run, service: Service, tmp_path: Path
) -> None:
    """Centred on the screen the first time, then where the user left it."""
    data_dir = tmp_path / "app"
    first = TidingsApp(Options(data_dir=data_dir), qapp)
    second = TidingsApp(Options(data_dir=data_dir), qapp)
    moved = QRect(20, 30, 770, 600)  # inside the offscreen screen (restoring clamps to it)

    async def scenario() -> None:
        await remember(data_dir, service, "alice")
        await first.start()
        assert first.session is not None and first.session.window is not None
        window = first.session.window
        screen = window.screen().availableGeometry()
        assert screen.contains(window.geometry())
        assert (window.geometry().center() - screen.center()).manhattanLength() <= 2
        window.setGeometry(moved)
        await until(lambda: window.geometry() == moved, 5, "the window to move")
        await first.shutdown()  # quitting remembers the geometry

        await second.start()
        assert second.session is not None and second.session.window is not None
        assert second.session.window.geometry() == moved

    drive(arun, scenario, second)
