"""The real service as a child process on a loopback port, for integration and GUI tests.

It is started exactly as an operator would (``python -m app.server``) and found through its
ready line, so tests exercise the CLI, the real socket and a real SQLite file — and can SIGKILL
it and start it again on the same data directory.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.protocol import usersig

READY = "tidings-server ready "
SDK_APP_ID = 1400000001


@dataclass
class Service:
    data_dir: Path
    key: str = field(default_factory=lambda: secrets.token_hex(32))
    sdk_app_id: int = SDK_APP_ID
    admin: str = "administrator"
    extra_args: list[str] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    url: str = ""
    ws: str = ""
    proc: subprocess.Popen[str] | None = None
    output: list[str] = field(default_factory=list)

    def start(self, timeout: float = 30.0) -> Service:
        env = dict(os.environ, TIDINGS_SECRET_KEY=self.key, PYTHONUNBUFFERED="1",
                   **self.extra_env)
        cmd = [sys.executable, "-m", "app.server", "--host", "127.0.0.1",
               "--port", str(self.port), "--data-dir", str(self.data_dir),
               "--sdk-app-id", str(self.sdk_app_id), "--admin", self.admin, *self.extra_args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, env=env)
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.output.append(line)
            if line.startswith(READY):
                info = json.loads(line[len(READY):])
                self.url, self.ws = info["url"], info["ws"]
                self.port = int(self.url.rsplit(":", 1)[1])
                threading.Thread(target=self._drain, daemon=True).start()
                return self
        self.stop()
        raise RuntimeError("service did not start:\n" + "".join(self.output[-50:]))

    def _drain(self) -> None:
        proc = self.proc
        if proc is None or proc.stdout is None:
            return
        for line in proc.stdout:
            self.output.append(line)
            if len(self.output) > 5000:
                del self.output[:1000]

    def sig(self, user_id: str, expire_s: int = 86400, key: str | None = None,
            sdk_app_id: int | None = None, now: int | None = None) -> str:
        return usersig.generate(sdk_app_id or self.sdk_app_id, key or self.key, user_id,
                                expire_s, now=now)

    def admin_query(self) -> str:
        return (f"sdkappid={self.sdk_app_id}&identifier={self.admin}"
                f"&usersig={self.sig(self.admin)}&random={secrets.randbelow(2**31)}"
                f"&contenttype=json")

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flush — a crash."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
