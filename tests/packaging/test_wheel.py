"""The wheel carries what the app reads at run time, and runs from a clean virtual environment.

The first test builds the wheel from this checkout as `pip wheel .` does (~7 s) and looks inside.
The second — sdist, then a wheel from the sdist, installed into a fresh venv in a temporary
directory with its dependencies, then `tidings --demo` headless until its chats are open — takes
~40 s and runs in `make package-check` (TIDINGS_PACKAGE_TESTS=1), not in `make test`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTLE_S = 3.0
SLOW = pytest.mark.skipif(os.environ.get("TIDINGS_PACKAGE_TESTS") != "1",
                          reason="builds and installs into a fresh venv: make package-check")


def build_wheel(source: Path | str, out: Path, isolated: bool) -> Path:
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)]
    if not isolated:
        cmd.insert(4, "--no-build-isolation")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(cmd, check=True, cwd=out)
    (wheel,) = out.glob("tidings-*.whl")
    return wheel


SOURCE = ("app", "resources", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md",
          "ARCHITECTURE.md")
"""What a build reads; copied, so that concurrent test runs never share the checkout's build/."""


def copy_source(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.qm", "*.egg-info")
    for name in SOURCE:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, dest / name)
    return dest


def test_wheel_carries_resources(tmp_path: Path) -> None:
    wheel = build_wheel(copy_source(tmp_path / "src"), tmp_path, isolated=True)
    names = set(zipfile.ZipFile(wheel).namelist())
    svgs = {p.name for p in (ROOT / "resources" / "icons").glob("*.svg")}
    assert {f"app/resources/icons/{n}" for n in svgs} <= names
    for needed in ("app/resources/icons/tidings-256.png", "app/resources/themes/tidings.qss",
                   "app/resources/tidings.desktop",
                   "app/resources/translations/tidings_zh_CN.qm",
                   "app/protocol/PROTOCOL.md"):
        assert needed in names
    assert not any(n.endswith((".ts", "render_png.py", "translations/build.py")) for n in names)
    assert not any(n.startswith(("tests/", "packaging/")) for n in names)
    qm = zipfile.ZipFile(wheel).read("app/resources/translations/tidings_zh_CN.qm")
    assert qm.startswith(b"\x3c\xb8\x64\x18")  # Qt's .qm magic: compiled, not copied


@SLOW
def test_wheel_from_sdist_runs_in_a_clean_venv(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path / "sdist"),
                    str(copy_source(tmp_path / "src"))], check=True, capture_output=True,
                   cwd=tmp_path)  # not in ROOT, whose ./build/ would shadow the build module
    (sdist,) = (tmp_path / "sdist").glob("tidings-*.tar.gz")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    wheel = build_wheel(sdist, tmp_path / "wheel", isolated=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    installed = subprocess.run(
        [str(python), "-c", "import app.ui.resources as r; print(r.resources_dir())"],
        check=True, capture_output=True, text=True, cwd=tmp_path,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen")).stdout.strip()
    assert installed == str(env_dir / "lib" / f"python{sys.version_info.major}."
                            f"{sys.version_info.minor}" / "site-packages" / "app" / "resources")

    data = tmp_path / "data"
    out = (tmp_path / "app.out").open("wb")
    proc = subprocess.Popen(
        [str(env_dir / "bin" / "tidings"), "--demo", "--data-dir", str(data)], cwd=tmp_path,
        stdout=out, stderr=subprocess.STDOUT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH="",
                 PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"))
    log = data / "logs" / "tidings.log"
    try:
        deadline = time.monotonic() + 90
        while not (log.exists() and "chats are open" in log.read_text()):
            assert proc.poll() is None, (tmp_path / "app.out").read_text()
            assert time.monotonic() < deadline, "no chats within 90 s"
            time.sleep(0.25)
        text = log.read_text()
        assert "stylesheet" not in text and "not found in" not in text  # theme, translations
        # Settle as a user would before quitting: quitting while the first loads are still in
        # flight is tests/gui/test_window_shutdown.py's subject, not this one's.
        time.sleep(SETTLE_S)
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(20)
    output = "".join(line for line in (tmp_path / "app.out").read_text().splitlines(True)
                     if not line.startswith("WARNING: Location"))  # pip's mirror noise
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "package-check-wheel-app.out").write_text(output)
    if "Traceback" in output:
        pytest.fail(f"the app installed from the wheel printed a traceback:\n{output[-6000:]}")
    assert code == 0, output[-6000:]
