"""Store identity and epoch in login, and the tips check of conv.sync that finds a store restored
from an older copy (issue 6, item 1.4)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from app.server.config import DB_FILE, ServerConfig
from app.server.runner import serving

from .conftest import APP_ID, Service, make_config, sig

LOGIN_KEYS = ("store_id", "epoch")


def _config(data_dir: Path) -> ServerConfig:
    data_dir.mkdir(exist_ok=True)
    return make_config(data_dir)


@asynccontextmanager
async def running(data_dir: Path) -> AsyncIterator[Service]:
    config = _config(data_dir)
    async with serving(config) as endpoint:
        service = Service(endpoint, config)
        try:
            yield service
        finally:
            for client in service.clients:
                await client.close()


async def identity(service: Service, user_id: str = "alice") -> dict[str, Any]:
    client = await service.connect()
    body = await client.call("login", {"sdk_app_id": APP_ID, "user_id": user_id,
                                       "user_sig": sig(user_id), "device_id": "d"})
    return {k: body[k] for k in LOGIN_KEYS}


async def test_store_id_is_kept_and_epoch_changes_per_start(tmp_path: Path) -> None:
    async with running(tmp_path / "a") as service:
        first = await identity(service)
        assert first == await identity(service, "bob"), "one store, one epoch per process"
    async with running(tmp_path / "a") as service:
        again = await identity(service)
    assert again["store_id"] == first["store_id"] and again["epoch"] != first["epoch"]
    async with running(tmp_path / "b") as service:
        other = await identity(service)
    assert other["store_id"] != first["store_id"]
    assert all(len(v) >= 16 for v in (*first.values(), *other.values()))


async def test_a_database_from_before_meta_gets_an_identity(tmp_path: Path) -> None:
    async with running(tmp_path) as service:
        before = await identity(service)
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / DB_FILE}")
    async with engine.begin() as conn:
        await conn.execute(sa.text("DROP TABLE meta"))
    await engine.dispose()
    async with running(tmp_path) as service:
        made = await identity(service)
    async with running(tmp_path) as service:
        kept = await identity(service)
    assert made["store_id"] and made["store_id"] != before["store_id"]
    assert kept["store_id"] == made["store_id"]


def copy_store(source: Path, target: Path) -> None:
    """The data dir as a backup would hold it (the service is stopped)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)


async def test_a_restored_backup_is_found_by_the_tips(tmp_path: Path) -> None:
    data, backup = tmp_path / "data", tmp_path / "backup"
    async with running(data) as service:
        alice = await service.login("alice")
        await service.login("bob")
        for i in range(3):
            await alice.send("bob", f"kept {i}", msg_id=f"kept{i}")
        await alice.call("conv.update", {"conv_id": "c2c_bob", "pinned": True})
    copy_store(data, backup)
    async with running(data) as service:
        alice = await service.login("alice")
        for i in range(2):
            await alice.send("bob", f"lost {i}", msg_id=f"lost{i}")
        await alice.call("conv.update", {"conv_id": "c2c_bob", "draft": "lost too"})
        held = await alice.call("conv.sync", {})
        newer = await identity(service, "carol")
        tips = {"c2c_bob": "lost1"}
        known = {"c2c_bob": 5}
        same = await alice.call("conv.sync", {"version": held["version"], "known": known,
                                              "tips": tips})
        assert same.get("diverged", []) == [] and same["conversations"] == []
    copy_store(backup, data)
    async with running(data) as service:
        restored = await identity(service, "carol")
        assert restored["store_id"] == newer["store_id"] and restored["epoch"] != newer["epoch"]
        alice = await service.login("alice")
        answer = await alice.call("conv.sync", {"version": held["version"], "known": known,
                                                "tips": tips})
        assert answer["diverged"] == ["c2c_bob"]
        (conv,) = answer["conversations"]  # the version was from the future: all rows return
        assert conv["max_seq"] == 3 and conv["pinned"] is True and "draft" not in conv
        assert answer["version"] < held["version"]

        # The log grew back past the client's seq, with other messages: still diverged.
        for i in range(2):
            await alice.send("bob", f"new {i}", msg_id=f"new{i}")
        answer = await alice.call("conv.sync", {"version": 0, "known": known, "tips": tips})
        assert answer["diverged"] == ["c2c_bob"]
        # Tips of what the store does hold verify; a tip without a held seq claims nothing.
        fine = await alice.call("conv.sync", {
            "version": answer["version"], "known": {"c2c_bob": 5, "c2c_carol": 0},
            "tips": {"c2c_bob": "new1", "c2c_carol": "whatever"}})
        assert "diverged" not in fine and fine["conversations"] == []
