"""AppSettings: typed defaults, round trip through the INI file, validation, change signal."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.ui.settings import AppSettings


@pytest.fixture
def ini(tmp_path: Path) -> Path:
    return tmp_path / "tidings.ini"


def test_defaults_on_a_fresh_file(qapp: object, ini: Path) -> None:
    s = AppSettings(ini)
    assert (s.language, s.theme, s.send_key) == ("system", "system", "enter")
    assert s.close_to_tray is True
    assert s.do_not_disturb is False
    assert s.notifications is True
    assert (s.server_mode, s.server_url, s.last_user_id) == ("embedded", "", "")
    assert s.remember_me is True
    assert s.window_geometry == b""
    assert s.file_name == str(ini)


def test_values_survive_a_restart(qapp: object, ini: Path) -> None:
    geometry = bytes(range(256))  # not valid UTF-8: must round-trip as bytes
    s = AppSettings(ini)
    s.language = "zh_CN"
    s.theme = "dark"
    s.send_key = "ctrl_enter"
    s.close_to_tray = False
    s.do_not_disturb = True
    s.notifications = False
    s.server_mode = "url"
    s.server_url = "wss://chat.example.com:8443/ws?a=1,b=2"
    s.last_user_id = "橙子"
    s.remember_me = False
    s.window_geometry = geometry
    s.sync()

    r = AppSettings(ini)
    assert (r.language, r.theme, r.send_key) == ("zh_CN", "dark", "ctrl_enter")
    assert (r.close_to_tray, r.do_not_disturb, r.notifications) == (False, True, False)
    assert (r.server_mode, r.server_url) == ("url", "wss://chat.example.com:8443/ws?a=1,b=2")
    assert (r.last_user_id, r.remember_me) == ("橙子", False)
    assert r.window_geometry == geometry


def test_changed_fires_once_per_real_change(qtbot: QtBot, ini: Path) -> None:
    s = AppSettings(ini)
    seen: list[str] = []
    s.changed.connect(seen.append)
    s.theme = "dark"
    s.theme = "dark"
    s.do_not_disturb = True
    s.window_geometry = b"\x01\x02"
    s.window_geometry = b"\x01\x02"
    assert seen == ["theme", "do_not_disturb", "window_geometry"]


def test_invalid_values_are_rejected(qapp: object, ini: Path) -> None:
    s = AppSettings(ini)
    with pytest.raises(ValueError):
        s.theme = "blue"  # type: ignore[assignment]
    with pytest.raises(TypeError):
        s.close_to_tray = 1  # type: ignore[assignment]
    assert s.theme == "system"
    assert s.close_to_tray is True


def test_hand_edited_garbage_reads_as_defaults(qapp: object, ini: Path) -> None:
    ini.write_text(
        "[ui]\ntheme=blue\nlanguage=zh_CN\n[desktop]\nclose_to_tray=false\n"
        "[chat]\nsend_key=shift\n",
        encoding="utf-8",
    )
    s = AppSettings(ini)
    assert s.theme == "system"
    assert s.language == "zh_CN"
    assert s.close_to_tray is False
    assert s.send_key == "enter"
