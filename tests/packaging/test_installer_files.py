"""The installers' hand-written files agree with the app: desktop entry, AppStream metainfo,
the .deb's dependencies, the Windows AppUserModelID and the macOS bundle ID. Fast; in
`make test`. The installers themselves are built and run by `make package-check`."""

from __future__ import annotations

import configparser
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

from app.ui.app import DESKTOP_FILE, ORGANIZATION_DOMAIN
from app.ui.notify.notifier import APP_NAME as NOTIFIER_APP_NAME

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load_build():
    spec = importlib.util.spec_from_file_location("packaging_build", PACKAGING / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_desktop_entry_matches_the_window() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(ROOT / "resources" / f"{DESKTOP_FILE}.desktop")
    section = entry["Desktop Entry"]
    assert section["StartupWMClass"] == DESKTOP_FILE  # Qt's WM_CLASS instance (create_qapp)
    assert section["Icon"] == "tidings"  # the hicolor icons' name in the .deb
    assert section["Exec"].split()[0] == "tidings"  # /usr/bin/tidings


def test_metainfo_validates(tmp_path: Path) -> None:
    assert shutil.which("appstreamcli"), "appstreamcli: make test installs it (appstream)"
    text = (PACKAGING / "linux" / "app.tidings.Tidings.metainfo.xml").read_text()
    assert f"<launchable type=\"desktop-id\">{DESKTOP_FILE}.desktop</launchable>" in text
    out = tmp_path / "app.tidings.Tidings.metainfo.xml"
    out.write_text(text.replace("@VERSION@", "1.0").replace("@DATE@", "2026-01-01"))
    subprocess.run(["appstreamcli", "validate", "--no-net", str(out)], check=True,
                   capture_output=True)


def test_deb_dependencies_come_from_the_system_package_list() -> None:
    build = load_build()
    depends, recommends = build.deb_dependencies()
    assert "libxcb-cursor0" in depends  # Qt >= 6.5's xcb plugin
    assert "libglib2.0-0t64 | libglib2.0-0" in depends
    assert "libportaudio2" in depends
    assert recommends == ["fonts-noto-cjk", "fonts-noto-color-emoji"]
    assert all(re.fullmatch(r"[a-z0-9.+-]+( \| [a-z0-9.+-]+)*", d) for d in depends)


def test_ids_agree_across_installers() -> None:
    iss = (PACKAGING / "windows" / "tidings.iss").read_text()
    frozen = (PACKAGING / "tidings_frozen.py").read_text()
    aumid = re.search(r'#define AppUserModelID "([^"]+)"', iss).group(1)
    assert aumid == NOTIFIER_APP_NAME  # desktop-notifier registers toasts under its app name
    assert f'APP_USER_MODEL_ID = "{aumid}"' in frozen
    spec = (PACKAGING / "tidings.spec").read_text()
    bundle_id = ".".join(reversed(ORGANIZATION_DOMAIN.split("."))) + ".Tidings"
    assert f'BUNDLE_ID = "{bundle_id}"' in spec
    assert "NSMicrophoneUsageDescription" in spec
