"""Start at login (N4): the Linux XDG autostart entry written and removed for real under a
temporary XDG_CONFIG_HOME, and the content the other OSes get (macOS LaunchAgent, Windows Run
key value) checked on any OS."""

from __future__ import annotations

import configparser
import plistlib
import subprocess
import sys
from pathlib import Path

import pytest

from app.ui.desktop import autostart

ARGV = ["/opt/My Apps/python3", "-m", "app", "--data-dir", "/home/me/Tidings data",
        "--minimized"]


def test_command_starts_this_app() -> None:
    assert autostart.command(False) == [sys.executable, "-m", "app"]
    assert autostart.command(True, Path("/d")) == [sys.executable, "-m", "app", "--data-dir",
                                                   "/d", "--minimized"]


def exec_argv(entry: str) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read_string(entry)
    section = parser["Desktop Entry"]
    assert section["Type"] == "Application" and section["Name"] == "Tidings"
    # The string rule's escapes first; then the Exec key's quoting; the doubled % last.
    value = section["Exec"].replace("\\\\", "\\")
    return [arg.replace("%%", "%") for arg in split_exec(value)]


def split_exec(value: str) -> list[str]:
    """The Desktop Entry spec's Exec quoting: arguments split at spaces, double quotes around
    reserved characters, and inside them a backslash before ", `, $ or \\."""
    args: list[str] = []
    current: str | None = None
    quoted = False
    chars = iter(value)
    for c in chars:
        if quoted:
            if c == "\\":
                current = (current or "") + next(chars)
            elif c == '"':
                quoted = False
            else:
                current = (current or "") + c
        elif c == " ":
            if current is not None:
                args.append(current)
            current = None
        elif c == '"':
            quoted, current = True, current or ""
        else:
            current = (current or "") + c
    assert not quoted, f"unterminated quote in {value!r}"
    if current is not None:
        args.append(current)
    return args


def test_desktop_entry_quotes_its_command() -> None:
    assert exec_argv(autostart.desktop_entry(ARGV)) == ARGV
    odd = ["/usr/bin/tidings", 'say "hi" $HOME `x` 100%']
    assert exec_argv(autostart.desktop_entry(odd)) == odd


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG autostart")
def test_linux_autostart_is_written_and_removed(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = tmp_path / "config" / "autostart" / "tidings.desktop"
    assert autostart.desktop_file_path() == path and not autostart.enabled()

    assert autostart.apply(True, minimized=True)
    assert autostart.enabled() and path.exists()
    argv = exec_argv(path.read_text())
    assert argv == [sys.executable, "-m", "app", "--minimized"]
    # The entry really starts the app's command line parser with those arguments.
    out = subprocess.run([*argv[:3], "--help"], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parents[2])
    assert "--minimized" in out.stdout

    assert autostart.apply(True, minimized=False)  # rewritten in place
    assert exec_argv(path.read_text()) == [sys.executable, "-m", "app"]
    assert list(path.parent.iterdir()) == [path]  # no temporary file left

    assert autostart.apply(False, minimized=False)
    assert not path.exists() and not autostart.enabled()
    assert autostart.apply(False, minimized=False)  # removing twice is fine


def test_launch_agent_plist() -> None:
    plist = plistlib.loads(autostart.launch_agent(ARGV))
    assert plist == {"Label": "org.tidings.Tidings", "ProgramArguments": ARGV,
                     "RunAtLoad": True, "ProcessType": "Interactive"}
    assert autostart.launch_agent_path() == (
        Path.home() / "Library" / "LaunchAgents" / "org.tidings.Tidings.plist")


def test_windows_run_value() -> None:
    value = autostart.run_value([r"C:\Program Files\Tidings\tidings.exe", "--minimized"])
    assert value == r'"C:\Program Files\Tidings\tidings.exe" --minimized'
    assert autostart.RUN_KEY == r"Software\Microsoft\Windows\CurrentVersion\Run"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG autostart")
def test_an_unwritable_config_is_reported_not_raised(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    assert autostart.apply(True, minimized=True) is False
