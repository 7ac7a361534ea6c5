"""The desktop app: its process (`main`) and its flow between windows (`TidingsApp`).

`main` owns what only a process has: the command line, the QApplication, the one qasync event
loop on the GUI thread (PySide6 imported before qasync, so qasync binds to it), signals, and the
single-instance check — a second launch on the same data directory raises the first and exits.
`TidingsApp` is everything else, so tests can drive it on their own loop: which window shows
(sign-in, the demo starting, a signed-in session), the services behind them (the embedded
service, the demo), the tray, and language and theme.

First start: with no account configured the app runs the demo, so a newcomer sees a living
messenger at once; later starts sign in with the remembered credential, or show sign-in. Only
what the first window needs is imported before it shows: the sign-in window needs neither the
SDK nor the HTTP client (they are imported on a worker thread while it shows), a remembered
account never needs the HTTP client.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import logging.handlers
import re
import signal
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from PySide6.QtCore import QObject, QRect
from PySide6.QtWidgets import QApplication, QWidget

from app.protocol import ErrorCode, IMError, usersig
from app.ui import collector
from app.ui.credentials import Credential, CredentialStore
from app.ui.desktop import autostart
from app.ui.desktop.embedded import ChildStartError, DemoProcess, EmbeddedService
from app.ui.desktop.single_instance import SingleInstance
from app.ui.desktop.tray import TrayIcon
from app.ui.i18n import install_language
from app.ui.playback import portaudio
from app.ui.resources import app_icon
from app.ui.settings import DEMO, EMBEDDED, AppSettings
from app.ui.tasks import TaskGroup
from app.ui.theme import apply_theme
from app.ui.views.dialogs import SignedOutDialog, SignedOutReason
from app.ui.views.login import LoginForm, LoginWindow
from app.ui.views.placement import place
from app.ui.views.starting import StartingWindow

if TYPE_CHECKING:
    from app.ui.session import Session, SessionEnd

log = logging.getLogger(__name__)

_STARTED = time.perf_counter()
APP_NAME = "Tidings"
ORGANIZATION_DOMAIN = "tidings.app"
DESKTOP_FILE = "tidings"
"""resources/tidings.desktop, and the X11 instance name (WM_CLASS "tidings", "Tidings"), so a
launcher or dock matches the window to the entry and its icon."""
DEMO_SIG_TTL_S = 7 * 86400
REMEMBERED_TIMEOUT_S = 5.0
"""A keyring waiting on an unlock prompt must not keep the app from showing a window."""
WARM_UP = ("app.ui.accounts", "app.ui.session")
"""Imported on a worker thread while the sign-in window shows, so that signing in does not
freeze it for their import (the SDK alone takes ~0.15 s, httpx ~0.05 s)."""


@dataclass(frozen=True, slots=True)
class Options:
    demo: bool = False
    server: str | None = None
    """A server URL for this run, instead of the one in the settings."""
    data_dir: Path | None = None
    """Everything the app writes goes under it (settings included); tests use it."""
    minimized: bool = False


def parse_args(argv: Sequence[str]) -> tuple[Options, list[str]]:
    """Our options, and the rest for Qt (`-platform offscreen`, `-style …`)."""
    parser = argparse.ArgumentParser(prog="tidings", description="The Tidings messenger.")
    parser.add_argument("--demo", action="store_true",
                        help="start a demo service with sample chats and a bot, and sign in")
    parser.add_argument("--server", metavar="URL", help="use this server instead of the "
                        "one in the settings")
    parser.add_argument("--data-dir", metavar="DIR", type=Path,
                        help="keep all app data (settings, caches, services) under DIR")
    parser.add_argument("--minimized", action="store_true",
                        help="start hidden in the tray (or minimized without a tray)")
    args, rest = parser.parse_known_args(list(argv))
    return Options(args.demo, args.server, args.data_dir, args.minimized), rest


@dataclass(frozen=True, slots=True)
class AppPaths:
    root: Path
    custom: bool
    """`--data-dir` was given: the settings file lives under it too."""

    @classmethod
    def of(cls, options: Options) -> AppPaths:
        if options.data_dir is not None:
            return cls(options.data_dir.expanduser().resolve(), True)
        return cls(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)), False)

    @property
    def settings_file(self) -> Path | None:
        return self.root / "settings.ini" if self.custom else None

    @property
    def service(self) -> Path:
        return self.root / "service"

    @property
    def demo_service(self) -> Path:
        return self.root / "demo-service"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def profile(self, server: str) -> Path:
        """The SDK's data (caches, device ID, logs) for accounts of one server: the same user
        ID on two servers is two people."""
        name = server.split("://", 1)[-1]
        return self.root / "profiles" / re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")


class TidingsApp(QObject):
    def __init__(self, options: Options, qapp: QApplication,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self.qapp = qapp
        self.paths = AppPaths.of(options)
        self.settings = AppSettings(self.paths.settings_file, self)
        self.credentials = CredentialStore(
            self.paths.root, APP_NAME if not self.paths.custom else
            f"{APP_NAME} ({self.paths.root})")
        self.tray: TrayIcon | None = None
        self.login: LoginWindow | None = None
        self.starting: StartingWindow | None = None
        """"Starting the demo…", while the demo starts."""
        self.session: Session | None = None
        self._tasks = TaskGroup("app")
        self._quit = asyncio.Event()
        self._instance: SingleInstance | None = None
        self._embedded: EmbeddedService | None = None
        self._demo_service: EmbeddedService | None = None
        self._demo: DemoProcess | None = None
        self._dialog: SignedOutDialog | None = None
        self._opening: asyncio.Future[None] | None = None
        """`Session.open` while it runs."""
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warm-up")

    # --- process -----------------------------------------------------------------------------

    def acquire_instance(self, argv: Sequence[str]) -> bool:
        """False when another instance runs on this data directory (it was asked to come to the
        front with our argv): exit then."""
        self._instance = SingleInstance(self.paths.root, self)
        if not self._instance.try_acquire(list(argv)):
            return False
        self._instance.activation_requested.connect(lambda _argv: self.raise_window())
        return True

    async def run(self) -> int:
        await self.start()
        await self._quit.wait()
        await self.shutdown()
        return 0

    def quit(self) -> None:
        self._quit.set()

    # --- start and stop ----------------------------------------------------------------------

    async def start(self) -> None:
        """Show the first window: a session (demo or remembered), or sign-in."""
        self.paths.root.mkdir(parents=True, exist_ok=True)
        self._apply_preferences()
        self.settings.changed.connect(self._on_setting_changed)
        self.qapp.aboutToQuit.connect(self.quit)
        self.tray = TrayIcon(self.settings, parent=self)
        self.tray.activate_requested.connect(self.raise_window)
        self.tray.quit_requested.connect(self.quit)
        self.tray.show()

        if self.options.demo:
            self.start_demo()
        elif (credential := await self._remembered()) is not None:
            await self._open_session(credential, minimized=self.options.minimized)
        elif self.settings.last_user_id or self.options.server:
            self.show_login()
        else:
            self.start_demo()
        log.info("first window %.0f ms after the app module loaded",
                 (time.perf_counter() - _STARTED) * 1000)

    async def shutdown(self) -> None:
        """Close the session and stop every child process (SIGTERM, then SIGKILL after 3 s)."""
        opening, self._opening = self._opening, None
        self._tasks.cancel_all()
        if opening is not None:
            await asyncio.wait([opening])
        if self.session is not None:
            session, self.session = self.session, None
            await session.close()
        if self.login is not None:
            self.login.hide()
            self.login.deleteLater()
            self.login = None
        self._close_starting()
        if self._demo is not None:  # first, so the bot signs out while its service still runs
            await self._demo.stop()
        await asyncio.gather(*(service.stop() for service in (self._demo_service, self._embedded)
                               if service is not None))
        if self.tray is not None:
            self.tray.hide()
        if self._instance is not None:
            self._instance.release()
        self._worker.shutdown(wait=False, cancel_futures=True)
        self.credentials.close()
        self.settings.sync()

    # --- windows -----------------------------------------------------------------------------

    def show_login(self, user_id: str | None = None, anchor: QRect | None = None,
                   ) -> LoginWindow:
        """The sign-in window, centred where `anchor` (the window it replaces) stood."""
        anchor = anchor or self._shown_geometry()
        if self.login is None:
            self.login = LoginWindow(self.settings, self._authenticate)
            self._tasks.run(self._warm_up())
            self.login.signed_in.connect(self._on_signed_in)
            self.login.demo_requested.connect(self.start_demo)
            self.login.closed.connect(self._on_login_closed)
            if self.options.server:
                self.login.set_server("url", self.options.server)
        if user_id is not None:
            self.login.prefill(user_id)
        if not self.login.isVisible():
            place(self.login, b"", anchor, self.login.size(), self.login.minimumSizeHint())
        self.login.show()
        self.login.raise_()
        self.login.activateWindow()
        return self.login

    def raise_window(self) -> None:
        if self.session is not None and self.session.window is not None:
            self.session.raise_window()
        elif self.starting is not None:
            self.starting.raise_()
            self.starting.activateWindow()
        elif self.login is not None:
            self.show_login()

    def start_demo(self) -> None:
        """Start the demo service and bot, then sign in as the demo user; meanwhile a
        "Starting the demo…" window stands where the main window will open."""
        if self.starting is not None or (self.login is not None and self.login.busy):
            return
        self.starting = starting = StartingWindow()
        starting.closed.connect(self._on_login_closed)
        place(starting, self.settings.window_geometry, self._shown_geometry())
        starting.show()
        if self.login is not None:
            self.login.hide()
        self._tasks.run(self._run_demo())

    def _shown_geometry(self) -> QRect | None:
        """Where the window on screen now stands: the next one opens there."""
        shown: list[QWidget | None] = [self.starting, self.login]
        return next((w.geometry() for w in shown if w is not None and w.isVisible()), None)

    def _close_starting(self) -> None:
        if self.starting is not None:
            starting, self.starting = self.starting, None
            starting.closed.disconnect(self._on_login_closed)
            starting.hide()
            starting.deleteLater()

    # --- signing in --------------------------------------------------------------------------

    async def _remembered(self) -> Credential | None:
        user_id = self.settings.last_user_id
        if not (self.settings.remember_me and user_id):
            return None
        server = self._server()
        try:
            credential = await asyncio.wait_for(self.credentials.load(server, user_id),
                                                REMEMBERED_TIMEOUT_S)
        except TimeoutError:
            log.warning("the keyring did not answer; showing sign-in")
            return None
        if credential is not None and credential.expired():
            await self.credentials.forget(server, user_id)
            return None
        return credential

    def _server(self) -> str:
        """The server key of the configured server: "embedded" or its base URL."""
        if self.options.server:
            from app.ui.accounts import base_url

            try:
                return base_url(self.options.server)
            except IMError:
                return self.options.server
        if self.settings.server_mode == "url" and self.settings.server_url:
            return self.settings.server_url
        return EMBEDDED

    async def _authenticate(self, form: LoginForm) -> Credential:
        """The sign-in window's work: find the service, then register or sign in."""
        from app.ui import accounts

        if form.server_mode == "embedded":
            base, server = await _address(self._embedded_service()), EMBEDDED
        else:
            base = server = accounts.base_url(form.server_url)
        if form.register:
            user_id, sig, sdk_app_id = await accounts.register(base, form.user_id,
                                                               form.password, form.nick)
        else:
            user_id, sig, sdk_app_id = await accounts.sign_in(base, form.user_id,
                                                              form.password)
        return Credential(server, user_id, sig, sdk_app_id)

    def _on_signed_in(self, form: LoginForm, credential: Credential) -> None:
        settings = self.settings
        settings.server_mode = form.server_mode
        if form.server_mode == "url":
            settings.server_url = credential.server
        settings.last_user_id = credential.user_id
        settings.remember_me = form.remember
        self._tasks.run(self._signed_in(credential, form.remember))

    async def _signed_in(self, credential: Credential, remember: bool) -> None:
        if remember:
            await self.credentials.save(credential)
        else:
            await self.credentials.forget(credential.server, credential.user_id)
        await self._open_session(credential)

    async def _run_demo(self) -> None:
        """The demo service, then the demo process (seeds and runs the bot), then a session as
        the demo user with a sig the app makes itself from the service's key."""
        if self._demo_service is None or self._demo is None:
            self._demo_service = EmbeddedService(self.paths.demo_service, self)
            self._demo = DemoProcess(self.paths.demo_service / "demo.log", self)
        try:
            info = await self._demo_service.start()
            demo = await self._demo.start(info)
            key = info.secret_key()
        except (ChildStartError, OSError, KeyError, ValueError) as exc:
            log.error("the demo could not start: %s", exc)
            await self._stop_demo()
            self.show_login().show_demo_failed(str(exc).splitlines()[0])
            self._close_starting()
            return
        sig = usersig.generate(info.sdk_app_id, key, demo.user_id, DEMO_SIG_TTL_S)
        await self._open_session(Credential(DEMO, demo.user_id, sig, info.sdk_app_id))

    async def _stop_demo(self) -> None:
        for child in (self._demo, self._demo_service):
            if child is not None:
                await child.stop()

    # --- sessions ----------------------------------------------------------------------------

    async def _open_session(self, credential: Credential, minimized: bool = False) -> None:
        from app.ui.session import Session

        assert self.tray is not None
        session = Session(credential, self.paths.profile(credential.server), self.settings,
                          self.tray, self)
        session.ended.connect(lambda end: self._tasks.run(self._session_ended(session, end)))
        session.quit_requested.connect(self.quit)
        self.session = session
        # Shielded: cancelling it halfway would leave the cache's SQLite connection open and
        # locked; `shutdown` waits for it instead.
        self._opening = asyncio.ensure_future(
            session.open(lambda: self._server_url(credential.server), minimized=minimized,
                         anchor=self._shown_geometry()))
        try:
            await asyncio.shield(self._opening)
        except Exception as exc:  # the boundary: whatever broke, the user gets sign-in back
            log.exception("could not open %s's session", credential.user_id)
            self.session = None
            await session.close()
            error = exc if isinstance(exc, IMError) else IMError(ErrorCode.INTERNAL_ERROR)
            login = self.show_login(credential.user_id)
            login.set_busy("")
            login.show_error(login.error_text(error, login.form()))
            self._close_starting()
            return
        log.info("%s's chats are open (%s)", credential.user_id, credential.server)
        self._close_starting()
        if self.login is not None:
            self.login.set_busy("")
            self.login.hide()

    async def _server_url(self, server: str) -> str:
        """Where the SDK connects for accounts of `server` (the embedded ones start it)."""
        if server == EMBEDDED:
            return await _address(self._embedded_service())
        if server == DEMO:
            assert self._demo_service is not None
            return await _address(self._demo_service)
        return server

    async def _session_ended(self, session: Session, end: SessionEnd) -> None:
        from app.ui.session import SessionEnd

        if self.session is not session:
            return
        self.session = None
        window = session.window
        anchor = window.geometry() if window is not None and window.isVisible() else None
        await session.close()
        credential = session.credential
        demo = credential.server == DEMO
        if end is not SessionEnd.FAILED and not demo:
            await self.credentials.forget(credential.server, credential.user_id)
        if demo:
            await self._stop_demo()
        login = self.show_login(None if demo else credential.user_id, anchor)
        if end is SessionEnd.KICKED:
            self._show_dialog(SignedOutReason.KICKED, login)
        elif end is SessionEnd.EXPIRED:
            self._show_dialog(SignedOutReason.EXPIRED, login)
        elif end is SessionEnd.FAILED and session.error is not None:
            login.show_error(login.error_text(session.error, login.form()))

    def _show_dialog(self, reason: SignedOutReason, parent: LoginWindow) -> None:
        self._dialog = SignedOutDialog(reason, parent)
        self._dialog.finished.connect(self._forget_dialog)
        self._dialog.open()

    def _forget_dialog(self) -> None:
        self._dialog = None

    @property
    def dialog(self) -> SignedOutDialog | None:
        """The "signed out" dialog while it is open."""
        return self._dialog

    def _embedded_service(self) -> EmbeddedService:
        if self._embedded is None:
            self._embedded = EmbeddedService(self.paths.service, self)
        return self._embedded

    def _on_login_closed(self) -> None:
        """The sign-in or "starting" window was closed with no main window open: quit."""
        if self.session is None or self.session.window is None:
            self.quit()

    # --- preferences -------------------------------------------------------------------------

    def _apply_preferences(self) -> None:
        install_language(self.qapp, self.settings.language)
        apply_theme(self.qapp, self.settings.theme)

    def _on_setting_changed(self, key: str) -> None:
        if key == "language":
            install_language(self.qapp, self.settings.language)
        elif key == "theme":
            apply_theme(self.qapp, self.settings.theme)
        elif key in ("start_at_login", "start_minimized"):
            autostart.apply(self.settings.start_at_login, self.settings.start_minimized,
                            self.paths.root if self.paths.custom else None)

    async def _warm_up(self) -> None:
        loop = asyncio.get_running_loop()
        for name in WARM_UP:
            await loop.run_in_executor(self._worker, importlib.import_module, name)


async def _address(service: EmbeddedService) -> str:
    """The service's URL once it listens; a failed start is "the service cannot be reached"."""
    try:
        return (await service.start()).url
    except ChildStartError as exc:
        raise IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE, str(exc)) from None


# --- the process -------------------------------------------------------------------------------

def _configure_logging(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        directory / "tidings.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    root.addHandler(console)
    root.setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)


def create_qapp(qt_args: list[str]) -> QApplication:
    """The QApplication, named so that desktops match its windows to `tidings.desktop`.

    Qt's X11 WM_CLASS is (argv[0]'s base name, applicationName): for `python -m app` that
    would be "__main__.py", so argv[0] is the desktop file's name instead.
    """
    collector.tune()
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(APP_NAME)
    QApplication.setOrganizationDomain(ORGANIZATION_DOMAIN)
    QApplication.setDesktopFileName(DESKTOP_FILE)
    qapp = QApplication([DESKTOP_FILE, *qt_args])
    qapp.setQuitOnLastWindowClosed(False)  # hiding the main window to the tray must not quit
    qapp.setWindowIcon(app_icon())
    return qapp


async def _serve(tidings: TidingsApp) -> int:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, tidings.quit)
        except (NotImplementedError, RuntimeError):  # Windows event loops
            signal.signal(signum, lambda *_: loop.call_soon_threadsafe(tidings.quit))
    return await tidings.run()


def main(argv: Sequence[str] | None = None) -> int:
    """`tidings [--demo] [--server URL] [--data-dir DIR] [--minimized]`."""
    options, qt_args = parse_args(sys.argv[1:] if argv is None else argv)
    qapp = create_qapp(qt_args)
    tidings = TidingsApp(options, qapp)
    if not tidings.acquire_instance(sys.argv[1:] if argv is None else argv):
        return 0
    _configure_logging(tidings.paths.logs)
    portaudio.prefetch()  # the mic button asks for devices later, on the GUI thread
    import qasync  # after PySide6, so it binds to PySide6 rather than any other Qt binding

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(qapp)) as runner:
        return runner.run(_serve(tidings))
