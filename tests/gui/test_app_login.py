"""The sign-in window against a real service: register, sign out, refusals in words, "Keep me
signed in" across restarts — and screenshots of the window for people to judge.

Each scenario runs as one coroutine, shutdown included, as the app runs inside one loop: at the
end of `run_until_complete` qasync processes Qt events once more without a running loop, and
no background task may be left to take a step there.
"""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.ui.app import Options, TidingsApp
from app.ui.i18n import install_language
from app.ui.settings import AppSettings
from app.ui.theme import apply_theme
from app.ui.views.login import LoginWindow
from tests.gui.conftest import save_screenshot, until
from tests.gui.test_shell_screenshots import drawing_problems
from tests.support.service import Service

Run = Callable[..., Any]


@pytest.fixture
def restore_look(qapp: QApplication) -> Iterator[None]:
    """These tests switch language and theme through the settings; put them back."""
    yield
    install_language(qapp, "en")
    apply_theme(qapp, "system")


def settings_file(data_dir: Path, **values: object) -> None:
    """Preferences as a previous run would have left them."""
    settings = AppSettings(data_dir / "settings.ini")
    for key, value in values.items():
        setattr(settings, key, value)
    settings.sync()


def fill(login: LoginWindow, user_id: str, password: str, *, register: bool = False,
         nick: str = "", remember: bool = True) -> None:
    (login.register_tab if register else login.sign_in_tab).setChecked(True)
    login.user_id.setText(user_id)
    login.nick.setText(nick)
    login.password.setText(password)
    login.remember.setChecked(remember)


def drive(arun: Run, scenario: Callable[[], Awaitable[None]], *apps: TidingsApp) -> None:
    async def run() -> None:
        try:
            await scenario()
        finally:
            for tidings in apps:
                await tidings.shutdown()
            await asyncio.sleep(0.2)  # cancelled tasks finish while the loop still runs

    arun(run())


async def press(login: LoginWindow) -> None:
    """Click the button and wait until the window is ready again."""
    login.submit.click()
    await until(lambda: not login.busy, 20, "the sign-in to finish")


def test_register_sign_out_and_wrong_password(
    qapp: QApplication, arun: Run, service: Service, tmp_path: Path, restore_look: None
) -> None:
    data_dir = tmp_path / "app"
    tidings = TidingsApp(Options(server=service.url, data_dir=data_dir), qapp)

    async def scenario() -> None:
        await tidings.start()
        login = tidings.login
        assert login is not None and login.isVisible() and tidings.session is None
        assert login.form().server_mode == "url" and login.form().server_url == service.url

        fill(login, "newbie", "secret-1", register=True, nick="Newbie 新人", remember=False)
        await press(login)
        await until(lambda: tidings.session is not None and tidings.session.client.ready, 20,
                    "the new account signed in")
        session = tidings.session
        assert session is not None and session.window is not None
        assert session.window.isVisible() and not login.isVisible()
        assert tidings.settings.last_user_id == "newbie"
        assert not (data_dir / "credentials.json").exists()  # not remembered

        session.window.sign_out_requested.emit()
        await until(lambda: tidings.session is None and login.isVisible(), 10,
                    "sign-in again after signing out")
        assert login.user_id.text() == "newbie" and login.password.text() == ""

        fill(login, "newbie", "not-the-password")
        await press(login)
        assert login.error.isVisible() and login.error.text() == "Wrong user ID or password."
        assert tidings.session is None

        fill(login, "newbie", "whatever", register=True)
        await press(login)
        assert "“newbie” is already taken" in login.error.text()
        fill(login, "bad id!", "whatever")
        await press(login)
        assert login.error.text().startswith("A user ID is 1–32 letters")

        fill(login, "newbie", "secret-1")
        await press(login)
        await until(lambda: tidings.session is not None, 10, "signed in with the password")

    drive(arun, scenario, tidings)


def test_register_on_this_computer_starts_the_embedded_service(
    qapp: QApplication, arun: Run, tmp_path: Path, restore_look: None
) -> None:
    data_dir = tmp_path / "app"
    settings_file(data_dir, last_user_id="someone")  # an account was configured: no demo
    tidings = TidingsApp(Options(data_dir=data_dir), qapp)

    async def scenario() -> None:
        await tidings.start()
        login = tidings.login
        assert login is not None and login.form().server_mode == "embedded"
        fill(login, "local-user", "secret-1", register=True)
        await press(login)
        await until(lambda: tidings.session is not None and tidings.session.client.ready, 20,
                    "signed in on this computer")
        assert tidings.session is not None
        assert tidings.session.credential.server == "embedded"

    drive(arun, scenario, tidings)
    service_log = (data_dir / "service" / "service.log").read_text()
    assert "Finished server process" in service_log  # stopped with the app


def test_unreachable_server_is_said_in_words(
    qapp: QApplication, arun: Run, tmp_path: Path, restore_look: None
) -> None:
    tidings = TidingsApp(Options(server="http://127.0.0.1:9", data_dir=tmp_path / "app"), qapp)

    async def scenario() -> None:
        await tidings.start()
        login = tidings.login
        assert login is not None
        fill(login, "alice", "secret-1")
        await press(login)
        assert login.error.text() == ("Can't reach the server. Check the address and your "
                                      "connection.")

    drive(arun, scenario, tidings)


def test_keep_me_signed_in_signs_in_on_the_next_start(
    qapp: QApplication, arun: Run, service: Service, tmp_path: Path, restore_look: None
) -> None:
    data_dir = tmp_path / "app"
    first = TidingsApp(Options(server=service.url, data_dir=data_dir), qapp)
    second = TidingsApp(Options(data_dir=data_dir), qapp)  # the server comes from the settings

    async def scenario() -> None:
        await first.start()
        assert first.login is not None
        fill(first.login, "keeper", "secret-1", register=True)
        await press(first.login)
        await until(lambda: first.session is not None, 10, "the first sign-in")
        await first.shutdown()  # even while its chats are still opening

        stored = data_dir / "credentials.json"  # no keyring backend works here
        assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
        assert "secret-1" not in stored.read_text()

        await second.start()
        assert second.login is None  # straight in, no sign-in window
        session = second.session
        assert session is not None and session.window is not None
        assert session.window.isVisible() and session.credential.user_id == "keeper"
        await until(lambda: session.client.ready, 20, "the remembered sign-in")

    drive(arun, scenario, first, second)


def test_sign_in_window_screenshots(
    qapp: QApplication, arun: Run, tmp_path: Path, restore_look: None
) -> None:
    data_dir = tmp_path / "app"
    settings_file(data_dir, theme="light", language="en", last_user_id="coffee-lover")
    tidings = TidingsApp(Options(data_dir=data_dir), qapp)

    async def scenario() -> None:
        await tidings.start()
        login = tidings.login
        assert login is not None and login.form().server_mode == "embedded"
        login.resize(440, 640)
        await asyncio.sleep(0.05)
        save_screenshot(login, "login-light-en", folder="app")
        assert drawing_problems(login) == []

        login.server.setCurrentIndex(1)
        login.server_url.setText("http://im.example.com:8700")
        fill(login, "weekend hiker", "secret-1", register=True, nick="Weekend Hiker 周末徒步")
        login.submit_form()  # refused before asking anyone: a space in the user ID
        assert login.error.isVisible() and not login.busy
        await asyncio.sleep(0.05)
        save_screenshot(login, "login-light-en-register-error", folder="app")
        assert drawing_problems(login) == []

        tidings.settings.language = "zh_CN"
        fill(login, "coffee-lover", "")
        login.server.setCurrentIndex(0)
        login.show_error("")
        await asyncio.sleep(0.05)
        save_screenshot(login, "login-light-zh", folder="app")
        assert drawing_problems(login) == []

        tidings.settings.theme = "dark"
        await asyncio.sleep(0.05)
        save_screenshot(login, "login-dark-zh", folder="app")
        assert drawing_problems(login) == []

    drive(arun, scenario, tidings)
