"""Single instance: the first launch owns the profile, a second one hands over its argv."""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.desktop.single_instance import SingleInstance, server_name


@pytest.fixture
def first(qapp: QApplication, tmp_path: Path) -> Iterator[SingleInstance]:
    instance = SingleInstance(tmp_path / "profile")
    yield instance
    instance.release()


def test_name_is_per_user_and_per_profile(tmp_path: Path) -> None:
    a = server_name(tmp_path / "a")
    assert re.fullmatch(r"tidings-[A-Za-z0-9_.-]+-[0-9a-f]{12}", a)
    assert a == server_name(str(tmp_path / "a"))
    assert a != server_name(tmp_path / "b")
    assert len(a) < 80  # Unix socket paths are limited to ~107 bytes with the temp dir


def test_second_launch_activates_the_first(
    first: SingleInstance, tmp_path: Path, qtbot: QtBot
) -> None:
    assert first.try_acquire() is True
    assert first.try_acquire() is True  # idempotent

    second = SingleInstance(tmp_path / "profile")
    with qtbot.waitSignal(first.activation_requested, timeout=2000) as blocker:
        assert second.try_acquire(["tidings", "--open", "c2c_橙子"]) is False
    assert blocker.args == [["tidings", "--open", "c2c_橙子"]]


def test_other_profiles_run_side_by_side(first: SingleInstance, tmp_path: Path) -> None:
    assert first.try_acquire()
    other = SingleInstance(tmp_path / "other-profile")
    try:
        assert other.try_acquire() is True
    finally:
        other.release()


def test_released_profile_can_be_acquired_again(first: SingleInstance, tmp_path: Path) -> None:
    assert first.try_acquire()
    first.release()
    again = SingleInstance(tmp_path / "profile")
    try:
        assert again.try_acquire() is True
    finally:
        again.release()


@pytest.mark.skipif(sys.platform == "win32", reason="stale socket files are a Unix thing")
def test_stale_socket_of_a_crashed_instance_is_replaced(
    first: SingleInstance, qtbot: QtBot, tmp_path: Path
) -> None:
    path = os.path.join(QDir.tempPath(), first.name)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(path)  # bound, never listening, closed without unlink: like a crash
    stale.close()
    assert os.path.exists(path)

    assert first.try_acquire() is True
    second = SingleInstance(tmp_path / "profile")
    with qtbot.waitSignal(first.activation_requested, timeout=2000):
        assert second.try_acquire() is False


def test_foreign_messages_are_ignored(first: SingleInstance, qtbot: QtBot) -> None:
    assert first.try_acquire()
    for payload in (b"not json\n", b'{"cmd": "format c:"}\n', b"[1, 2]\n", b'{"cmd": "activate"'):
        client = QLocalSocket()
        client.connectToServer(first.name)
        assert client.waitForConnected(300)
        with qtbot.assertNotEmitted(first.activation_requested, wait=100):
            client.write(payload)
            client.waitForBytesWritten(300)
            client.disconnectFromServer()
