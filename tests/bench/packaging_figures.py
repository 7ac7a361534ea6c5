"""The installed app beside `make run`'s: installer and installed size, cold start to a filled
main window and RSS at idle, for the frozen build (PyInstaller, packaging/tidings.spec — the
files the .deb puts under /opt/tidings) and for `python -m app` from the checkout's venv.

The start is desktop_startup's: a remembered account with 200 cached conversations whose server
is unreachable, timed from spawning the process to the app's "… chats are open" log line; the
first start of each is left out (bytecode compiled, files not yet in the page cache). RSS is the
process's resident set 3 s after its window opened, offscreen.

Uses dist/pyinstaller/Tidings and dist/tidings_*.deb from `make package`; without them it
freezes the app first (~75 s, needs the package extra: `make package` installs it) or says
why it cannot.

    python -m tests.bench.packaging_figures [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import psutil

from tests.bench.desktop_startup import OPEN_LINE, env, prepare

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "pyinstaller" / "Tidings"
FROZEN = BUNDLE / "tidings"
IDLE_S = 3.0


def one_start(cmd: list[str], root: Path, rss: list[float] | None = None) -> float:
    log_file = root / "logs" / "tidings.log"
    log_file.unlink(missing_ok=True)
    started = time.time()
    proc = subprocess.Popen([*cmd, "--data-dir", str(root)], env=env(), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if log_file.exists():
                for line in log_file.read_text(encoding="utf-8").splitlines():
                    if OPEN_LINE in line:
                        stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
                        if rss is not None:
                            time.sleep(IDLE_S)
                            rss.append(psutil.Process(proc.pid).memory_info().rss / 2**20)
                        return stamp.timestamp() - started
            time.sleep(0.01)
        raise RuntimeError(f"{cmd[0]} did not open its window")
    finally:
        proc.terminate()
        proc.wait(15)


def sizes() -> None:
    installed = sum((Path(d) / f).lstat().st_size for d, _, files in os.walk(BUNDLE)
                    for f in files if not (Path(d) / f).is_symlink())  # PyInstaller links libs
    print(f"frozen app folder (installed size under /opt/tidings): {installed / 2**20:.0f} MiB")
    for pattern in ("tidings_*.deb", "tidings-*-linux-*.tar.gz", "Tidings-Setup-*.exe",
                    "Tidings-*.dmg"):
        for path in sorted((ROOT / "dist").glob(pattern)):
            note = ""
            if path.suffix == ".deb":
                members = subprocess.run(["ar", "t", str(path)], capture_output=True,
                                         text=True).stdout.split()
                data = next((m for m in members if m.startswith("data.tar")), "?")
                note = f" ({data})"
            print(f"installer {path.name}: {path.stat().st_size / 2**20:.1f} MiB{note}")


def ensure_bundle() -> bool:
    if FROZEN.exists():
        return True
    if importlib.util.find_spec("PyInstaller") is None:
        print("no frozen build in dist/pyinstaller and no PyInstaller here: run `make package` "
              "first")
        return False
    print("no frozen build in dist/pyinstaller: freezing the app (packaging/build.py)")
    subprocess.run([sys.executable, "packaging/build.py", "--deb-only"], cwd=ROOT, check=True,
                   env={**env(), "TIDINGS_DEB_COMPRESSION": "zstd"})
    return FROZEN.exists()


def main(runs: int) -> None:
    if not ensure_bundle():
        return
    sizes()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        asyncio.run(prepare(root))
        commands = {"frozen": [str(FROZEN)], "python -m app": [sys.executable, "-m", "app"]}
        times: dict[str, list[float]] = {name: [] for name in commands}
        rss: dict[str, list[float]] = {name: [] for name in commands}
        for cmd in commands.values():
            one_start(cmd, root)  # warm: bytecode, page cache
        for _ in range(runs):  # interleaved, so a busy moment hits both alike
            for name, cmd in commands.items():
                times[name].append(one_start(cmd, root, rss[name]) * 1000)
    p50 = {name: statistics.median(t) for name, t in times.items()}
    for name in commands:
        print(f"{name}: cold start to a filled main window p50 {p50[name]:.0f} ms "
              f"(min {min(times[name]):.0f}, max {max(times[name]):.0f}, {runs} runs); "
              f"RSS at idle {statistics.median(rss[name]):.0f} MiB")
    print(f"installed (frozen) / make run (python -m app) start ratio "
          f"{p50['frozen'] / p50['python -m app']:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    main(parser.parse_args().runs)
