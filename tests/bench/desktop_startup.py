"""Cold start: from spawning ``python -m app`` to the main window filled from the cache, for a
remembered account with 200 cached conversations, beside a bare PySide6 window with a
1,000-row list spawned the same way (the floor for any Qt app on this machine).

The account's server is unreachable on purpose: the figure is what the user waits for before
the network answers. The app reports the moment in its log ("… chats are open").

    python -m tests.bench.desktop_startup [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from app.protocol import usersig
from app.ui.app import AppPaths, Options
from app.ui.credentials import Credential, CredentialStore
from app.ui.settings import AppSettings
from tests.bench.cached_account import ME, SDK_APP_ID, build

SERVER = "http://127.0.0.1:9"
OPEN_LINE = "chats are open"
BARE = """
import sys, time
from PySide6.QtWidgets import QApplication, QListWidget
app = QApplication(sys.argv)
w = QListWidget(); w.addItems([f"row {i}" for i in range(1000)]); w.resize(800, 600); w.show()
app.processEvents()
print(time.time(), flush=True)
"""


async def prepare(root: Path) -> None:
    paths = AppPaths.of(Options(data_dir=root))
    settings = AppSettings(paths.settings_file)
    settings.server_mode = "url"
    settings.server_url = SERVER
    settings.last_user_id = ME
    settings.remember_me = True
    settings.sync()
    store = CredentialStore(paths.root)
    await store.save(Credential(SERVER, ME, usersig.generate(SDK_APP_ID, "k", ME), SDK_APP_ID))
    store.close()
    await build(paths.profile(SERVER), 200, 50)


def env() -> dict[str, str]:
    """As a user's machine runs it: bytecode cached after the first start, no keyring daemon."""
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return dict(environ, QT_QPA_PLATFORM="offscreen",
                PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")


def one_app_start(root: Path) -> float:
    log_file = root / "logs" / "tidings.log"
    log_file.unlink(missing_ok=True)
    started = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "app", "--data-dir", str(root)], env=env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if log_file.exists():
                for line in log_file.read_text(encoding="utf-8").splitlines():
                    if OPEN_LINE in line:
                        stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
                        return stamp.timestamp() - started
            time.sleep(0.01)
        raise RuntimeError("the app did not open its window")
    finally:
        proc.terminate()
        proc.wait(10)


def one_bare_start() -> float:
    started = time.time()
    out = subprocess.run([sys.executable, "-c", BARE], env=env(), capture_output=True,
                         text=True, check=True).stdout
    return float(out.split()[-1]) - started


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        asyncio.run(prepare(root))
        one_app_start(root)  # first start compiles bytecode; not a user's cold start
        app_ms = [one_app_start(root) * 1000 for _ in range(runs)]
        bare_ms = [one_bare_start() * 1000 for _ in range(runs)]
    print(f"cold start to a filled main window (cached account, 200 conversations): "
          f"p50 {statistics.median(app_ms):.0f} ms, min {min(app_ms):.0f} ms, "
          f"max {max(app_ms):.0f} ms over {runs} runs")
    print(f"bare PySide6 window with a 1,000-row list: p50 {statistics.median(bare_ms):.0f} ms; "
          f"ratio {statistics.median(app_ms) / statistics.median(bare_ms):.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    main(parser.parse_args().runs)
