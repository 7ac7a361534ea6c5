"""Start at login (N4), the way each OS expects an app to ask for it.

- Windows: a value named "Tidings" under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run
  holding the command line (what Task Manager's Startup tab lists and can disable);
- macOS: a LaunchAgent plist in ~/Library/LaunchAgents with RunAtLoad (launchd reads it at
  the next login; no launchctl call is needed for that);
- Linux and the other freedesktop systems: an XDG autostart entry,
  $XDG_CONFIG_HOME/autostart/tidings.desktop (~/.config when unset).

The command starts this same program (the frozen executable, or this Python with `-m app`)
with `--minimized` when "start minimised" is on, and the `--data-dir` of this run when one was
given, so the app that starts is the one that asked. The content of each file is made by a pure
function, tested on every OS; only the writing touches the system.
"""

from __future__ import annotations

import logging
import os
import plistlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

NAME = "Tidings"
LAUNCH_AGENT_LABEL = "org.tidings.Tidings"
DESKTOP_FILE = "tidings.desktop"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def command(minimized: bool, data_dir: Path | None = None) -> list[str]:
    """The command line that starts this app."""
    argv = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app"]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    if minimized:
        argv.append("--minimized")
    return argv


def _desktop_quote(arg: str) -> str:
    """The Exec key's quoting (Desktop Entry spec: reserved characters in double quotes,
    with ", `, $ and \\ escaped; % doubled)."""
    arg = arg.replace("%", "%%")
    if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def desktop_entry(argv: Sequence[str]) -> str:
    """The XDG autostart entry."""
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        f"Name={NAME}",
        "Comment=Instant messenger",
        # The quoting's backslashes are escaped again by the string rule, which is undone first.
        "Exec=" + " ".join(_desktop_quote(a) for a in argv).replace("\\", "\\\\"),
        "Icon=tidings",
        "Terminal=false",
        "Categories=Network;InstantMessaging;",
        "X-GNOME-Autostart-enabled=true",
        "",
    ])


def launch_agent(argv: Sequence[str]) -> bytes:
    """The macOS LaunchAgent plist."""
    return plistlib.dumps({
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": list(argv),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    })


def run_value(argv: Sequence[str]) -> str:
    """The Windows Run key's value: one command line, quoted as Windows parses it."""
    return subprocess.list2cmdline(list(argv))


def desktop_file_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart" / DESKTOP_FILE


def launch_agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def enable(argv: Sequence[str], system: str = sys.platform) -> None:
    """Register `argv` to run at login."""
    if system == "win32":
        import winreg

        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            winreg.SetValueEx(key, NAME, 0, winreg.REG_SZ, run_value(argv))
    elif system == "darwin":
        _write(launch_agent_path(), launch_agent(argv))
    else:
        _write(desktop_file_path(), desktop_entry(argv).encode())


def disable(system: str = sys.platform) -> None:
    """Start no more at login (nothing to do when it was not registered)."""
    if system == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0,
                                winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, NAME)
        except FileNotFoundError:
            pass
    elif system == "darwin":
        launch_agent_path().unlink(missing_ok=True)
    else:
        desktop_file_path().unlink(missing_ok=True)


def enabled(system: str = sys.platform) -> bool:
    if system == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.QueryValueEx(key, NAME)
            return True
        except FileNotFoundError:
            return False
    if system == "darwin":
        return launch_agent_path().exists()
    return desktop_file_path().exists()


def apply(on: bool, minimized: bool, data_dir: Path | None = None) -> bool:
    """Make the OS's registration match the settings; False (logged) when the OS refused."""
    try:
        if on:
            enable(command(minimized, data_dir))
        else:
            disable()
    except OSError as exc:
        log.warning("start at login not %s: %s", "set" if on else "removed", exc)
        return False
    return True
