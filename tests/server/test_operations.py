"""Operations (OPS1, OPS3): the command line and its ready line, configuration precedence,
graceful shutdown, schema versions; and the sensitive-word list (M10)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
import sys
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from app.server.config import load_config
from app.server.runner import READY_PREFIX, serving
from app.server.store import schema
from app.server.store.db import Database, SchemaTooNew

from .conftest import Service, make_config


async def test_command_line_announces_itself_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIDINGS_")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.server", "--port", "0", "--data-dir", str(tmp_path),
        "--log-level", "warning", stdout=asyncio.subprocess.PIPE, env=env)
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
    assert line.startswith(READY_PREFIX), line
    ready = json.loads(line[len(READY_PREFIX):])
    assert ready["ws"] == ready["url"].replace("http://", "ws://") + "/ws"
    assert (ready["sdk_app_id"], ready["admin"]) == (1400000000, "administrator")
    assert ready["data_dir"] == str(tmp_path)  # tmp_path is already resolved
    async with httpx.AsyncClient() as http:
        assert (await http.get(ready["url"] + "/healthz")).json() == {"status": "ok"}
    key_file = os.path.join(tmp_path, "secret.key")
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 15) == 0
    assert await proc.stdout.read() == b""  # exactly one line on stdout


def test_configuration_precedence(tmp_path: Path) -> None:
    toml = tmp_path / "tidings.toml"
    toml.write_text('host = "0.0.0.0"\nport = 9000\nadmin = "root"\nheartbeat = 10\n'
                    'registration_open = true\n[limits]\npayload_bytes = 100\n')
    config = load_config(
        ["--config", str(toml), "--port", "9100", "--data-dir", str(tmp_path / "d")],
        {"TIDINGS_PORT": "9050", "TIDINGS_ADMIN": "boss", "TIDINGS_REGISTRATION_OPEN": "0"})
    assert (config.host, config.port, config.admin) == ("0.0.0.0", 9100, "boss")
    assert config.heartbeat_s == 10 and config.registration_open is False
    assert config.limits.payload_bytes == 100
    assert config.database_url.endswith(str(tmp_path / "d" / "tidings.db"))
    # the generated key is kept, and a configured one wins
    again = load_config(["--data-dir", str(tmp_path / "d")], {})
    assert again.secret_key == config.secret_key
    assert load_config(["--data-dir", str(tmp_path / "d"), "--no-registration"],
                       {"TIDINGS_SECRET_KEY": "k"}).secret_key == "k"
    toml.write_text("colour = 1\n")
    with pytest.raises(ValueError, match="colour"):
        load_config(["--config", str(toml), "--data-dir", str(tmp_path)], {})


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'tidings.db'}"
    db = Database(url)
    await db.open()
    async with db.write() as conn:
        await conn.execute(sa.update(schema.schema_version).values(version=99))
    await db.close()
    db = Database(url)
    with pytest.raises(SchemaTooNew, match="99"):
        await db.open()
    await db.close()


async def test_sensitive_words(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# banned\nBadWord\n\n坏话\n", encoding="utf-8")
    config = make_config(tmp_path, sensitive_words_file=words)
    async with serving(config) as endpoint:
        service = Service(endpoint, config)
        alice = await service.login("alice")
        await service.login("bob")
        for text in ("a BADWORD here", "说坏话"):
            assert await alice.error("msg.send", {"msg": {
                "msg_id": "t", "conv_type": 1, "sender": "alice", "receiver": "bob",
                "elems": [{"type": "text", "text": text}]}}) == 80001
        await alice.call("msg.send", {"msg": {
            "msg_id": "c", "conv_type": 1, "sender": "alice", "receiver": "bob",
            "elems": [{"type": "custom", "data": "badword"}]}})
        await alice.send("bob", "fine words")
        pulled = await alice.call("msg.pull", {"ranges": [{"conv_id": "c2c_bob"}]})
        assert len(pulled["messages"]) == 2
        for client in service.clients:
            await client.close()


async def test_messages_and_state_survive_a_restart(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    async with serving(config) as endpoint:
        service = Service(endpoint, config)
        alice = await service.login("alice")
        await service.login("bob")
        await alice.send("bob", "before")
        await alice.call("conv.update", {"conv_id": "c2c_bob", "pinned": True})
        for client in service.clients:
            await client.close()
    async with serving(config) as endpoint:
        service = Service(endpoint, config)
        alice = await service.login("alice")
        ack = await alice.send("bob", "after")
        assert ack["seq"] == 2
        (conv,) = (await alice.call("conv.sync", {}))["conversations"]
        assert conv["pinned"] is True and conv["max_seq"] == 2
        pulled = await alice.call("msg.pull", {"ranges": [{"conv_id": "c2c_bob"}]})
        assert [m["elems"][0]["text"] for m in pulled["messages"]] == ["before", "after"]
        for client in service.clients:
            await client.close()


async def test_exit_with_stdin_stops_when_the_parent_goes_away(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIDINGS_")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.server", "--port", "0", "--data-dir", str(tmp_path),
        "--log-level", "warning", "--exit-with-stdin", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, env=env)
    assert proc.stdin is not None and proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
    assert line.startswith(READY_PREFIX), line
    proc.stdin.close()  # what the OS does to the pipe when the desktop app dies
    assert await asyncio.wait_for(proc.wait(), 15) == 0
