"""The IM service and the demo as child processes of the app ("This computer", `--demo`).

They run as separate Python processes, not in the app's event loop, so the service's SQLite
writes and the demo bot never compete with painting. They are started through QProcess rather
than `subprocess`: output arrives as signals on the GUI thread, so waiting for a child's ready
line never blocks. Each child announces itself with one line, `<prefix>{json}`, once it is
usable — the service binds port 0 on 127.0.0.1 and reports the port it got. Stopping is
SIGTERM, then SIGKILL after `STOP_GRACE_MS`, awaited without blocking; their stderr goes to a log
file next to their data (this run's), so a full pipe can never stall them and a failed start can
be explained.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from app.demo import READY_PREFIX as DEMO_READY
from app.process_stop import EXIT_WITH_STDIN

log = logging.getLogger(__name__)

SERVICE_READY = "tidings-server ready "
"""`app.server.runner.READY_PREFIX`, spelt out: importing the runner would import uvicorn."""
RESTARTS_PER_WINDOW = 3
RESTART_WINDOW_S = 60.0
STOP_GRACE_MS = 3000
"""How long a child gets to shut down cleanly before it is killed."""
START_TIMEOUT_S = 60.0
"""Generous: the first start compiles bytecode and creates the database on a slow disk."""
LOG_TAIL_LINES = 8
LOG_TAIL_BYTES = 4096

_PROJECT_ROOT = Path(__file__).resolve().parents[3]
"""The folder holding the `app` package, so children find it even when it is not installed."""


class ChildStartError(RuntimeError):
    """A child process could not be started or ended before it was ready."""


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """What the service's ready line says about where it listens."""

    url: str
    ws: str
    sdk_app_id: int
    admin: str
    data_dir: Path

    @property
    def key_file(self) -> Path:
        """Where the service keeps the UserSig key it generated (0600, in its data dir)."""
        return self.data_dir / "secret.key"

    def secret_key(self) -> str:
        """The key, so the app can sign the demo user in and seed as the administrator."""
        return self.key_file.read_text(encoding="ascii").strip()


@dataclass(frozen=True, slots=True)
class DemoInfo:
    """What the demo's ready line says: who to sign in as, and who answers."""

    user_id: str


class ChildProcess(QObject):
    """`python -m <module> <args>` that prints `<ready_prefix>{json}` once it is usable."""

    exited = Signal(int)
    """The child ended on its own (not through `stop`) after it was ready: the exit code."""

    def __init__(self, module: str, ready_prefix: str, log_file: Path,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._module = module
        self._prefix = ready_prefix
        self._log_file = log_file
        self._process: QProcess | None = None
        self._ready: asyncio.Future[dict[str, Any]] | None = None
        self._finished: asyncio.Future[int] | None = None
        self._stopping = False
        self._buffer = b""

    async def start(self, args: list[str], timeout: float = START_TIMEOUT_S) -> dict[str, Any]:
        """Start the child and return its ready line's JSON; raises ChildStartError."""
        if self._process is not None:
            raise ChildStartError(f"{self._module} is already running")
        loop = asyncio.get_running_loop()
        self._ready = loop.create_future()
        self._finished = loop.create_future()
        self._stopping = False
        self._buffer = b""
        self._log_file.parent.mkdir(parents=True, exist_ok=True)

        process = QProcess(self)
        process.setProcessEnvironment(_child_environment())
        process.setStandardErrorFile(str(self._log_file))  # this run's log, not every run's
        process.readyReadStandardOutput.connect(self._on_output)
        process.errorOccurred.connect(self._on_error)
        process.finished.connect(self._on_finished)
        self._process = process
        log.info("starting %s %s", self._module, " ".join(args))
        process.start(sys.executable, ["-m", self._module, *args])
        try:
            return await asyncio.wait_for(asyncio.shield(self._ready), timeout)
        except TimeoutError:
            await self.stop()
            raise ChildStartError(f"{self._module} did not start within {timeout:.0f} s"
                                    f"{self._log_tail()}") from None
        except ChildStartError:
            await self.stop()
            raise

    @property
    def pid(self) -> int:
        """The running child's process ID (0 when none runs)."""
        return self._process.processId() if self._process is not None else 0

    async def stop(self) -> None:
        """Terminate, kill after STOP_GRACE_MS, and wait until the child is gone."""
        process, finished = self._process, self._finished
        if process is None or finished is None:
            return
        self._stopping = True
        if process.state() != QProcess.ProcessState.NotRunning:
            process.terminate()
            QTimer.singleShot(STOP_GRACE_MS, process, process.kill)
            await asyncio.shield(finished)
        self._release()

    def _release(self) -> None:
        if self._process is not None:
            self._process.deleteLater()
            self._process = None

    def _on_output(self) -> None:
        assert self._process is not None
        self._buffer += self._process.readAllStandardOutput().data()
        *lines, self._buffer = self._buffer.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace").strip()
            if line.startswith(self._prefix) and self._ready is not None \
                    and not self._ready.done():
                try:
                    self._ready.set_result(json.loads(line[len(self._prefix):]))
                except ValueError:
                    self._ready.set_exception(
                        ChildStartError(f"{self._module}: unreadable ready line {line!r}"))
            elif line:
                log.debug("%s: %s", self._module, line)

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._fail(f"{self._module} could not be started: "
                       f"{self._process.errorString() if self._process else error}")
            if self._finished is not None and not self._finished.done():
                self._finished.set_result(-1)

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        if self._ready is not None and not self._ready.done():
            self._fail(f"{self._module} exited with code {code} before it was ready"
                       f"{self._log_tail()}")
        elif not self._stopping:
            log.warning("%s exited unexpectedly (code %s)%s", self._module, code,
                        self._log_tail())
            self._release()
            self.exited.emit(code)
        if self._finished is not None and not self._finished.done():
            self._finished.set_result(code)

    def _fail(self, message: str) -> None:
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(ChildStartError(message))

    def _log_tail(self) -> str:
        """The last lines the child wrote to stderr, for an error message worth reading."""
        try:
            with self._log_file.open("rb") as fh:
                fh.seek(max(0, fh.seek(0, os.SEEK_END) - LOG_TAIL_BYTES))
                lines = fh.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return ""
        tail = "\n".join(lines[-LOG_TAIL_LINES:])
        return f"\n{tail}" if tail else ""


def _child_environment() -> QProcessEnvironment:
    """The app's environment minus TIDINGS_* (a server setting exported in the user's shell
    must not reconfigure the embedded service), unbuffered, with the project importable."""
    env = QProcessEnvironment.systemEnvironment()
    names: list[str] = env.keys()  # QProcessEnvironment is not iterable itself
    for name in names:
        if name.startswith("TIDINGS_"):
            env.remove(name)
    env.insert("PYTHONUNBUFFERED", "1")
    path = env.value("PYTHONPATH", "")
    env.insert("PYTHONPATH", os.pathsep.join(p for p in (str(_PROJECT_ROOT), path) if p))
    return env


class EmbeddedService(QObject):
    """The IM service on 127.0.0.1 with its data in `data_dir`; one start shared by all callers
    (the sign-in window may ask for it while a remembered sign-in is already waiting).

    If it dies after it was ready it is started again on the same port, so the signed-in
    client's reconnect loop finds it without knowing anything happened (a few times a minute at
    most: a service that keeps crashing is left down and its log explains why).
    """

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._child = ChildProcess("app.server", SERVICE_READY, data_dir / "service.log", self)
        self._child.exited.connect(self._on_exited)
        self._starting: asyncio.Task[ServiceInfo] | None = None
        self._port = 0
        self._restarts: list[float] = []

    async def start(self) -> ServiceInfo:
        """The running service's address, starting it first if needed."""
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._start())
        try:
            return await asyncio.shield(self._starting)
        except ChildStartError:
            self._starting = None
            raise

    async def _start(self) -> ServiceInfo:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        info = await self._child.start(["--host", "127.0.0.1", "--port", str(self._port),
                                        "--data-dir", str(self.data_dir), EXIT_WITH_STDIN])
        self._port = int(info["url"].rsplit(":", 1)[1])
        log.info("service ready at %s", info["url"])
        return ServiceInfo(url=info["url"], ws=info["ws"], sdk_app_id=int(info["sdk_app_id"]),
                           admin=info["admin"], data_dir=Path(info["data_dir"]))

    async def stop(self) -> None:
        starting, self._starting = self._starting, None
        if starting is not None and not starting.done():
            starting.cancel()
        await self._child.stop()

    @property
    def pid(self) -> int:
        return self._child.pid

    def _on_exited(self, code: int) -> None:
        now = time.monotonic()
        self._restarts = [t for t in self._restarts if now - t < RESTART_WINDOW_S]
        if len(self._restarts) >= RESTARTS_PER_WINDOW:
            log.error("the service keeps exiting (code %s); not restarting it", code)
            self._starting = None
            return
        self._restarts.append(now)
        log.warning("the service exited (code %s); restarting it on port %s", code, self._port)
        self._starting = asyncio.ensure_future(self._start())
        self._starting.add_done_callback(_log_failed_restart)


def _log_failed_restart(task: asyncio.Task[ServiceInfo]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("restarting the service failed: %s", task.exception())


class DemoProcess(QObject):
    """`python -m app.demo`: seeds the demo service, then runs the bot until stopped."""

    def __init__(self, log_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._child = ChildProcess("app.demo", DEMO_READY, log_file, self)

    async def start(self, service: ServiceInfo) -> DemoInfo:
        info = await self._child.start(["--service-url", service.url,
                                        "--key-file", str(service.key_file),
                                        "--admin", service.admin, EXIT_WITH_STDIN])
        return DemoInfo(user_id=info["user_id"])

    async def stop(self) -> None:
        await self._child.stop()
