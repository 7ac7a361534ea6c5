"""Deleted for me, on every device of mine: a delete reaches the user's other devices with the
seqs it hid, and one that was away learns them from ``conv.sync`` (schema version 2 keeps the
version of each deletion; a version 1 database is migrated on start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from app.server.config import DB_FILE

from .conftest import Service
from .test_store_identity import running


async def _sync(client: Any, conv_id: str, version: int) -> dict[str, Any]:
    body = await client.call("conv.sync", {"version": version})
    (found,) = [c for c in body["conversations"] if c["conv_id"] == conv_id]
    return found


async def test_a_device_that_was_away_learns_what_was_deleted(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    for i in range(6):
        await alice.send("bob", f"m{i + 1}")
    await bob.call("conv.update", {"conv_id": "c2c_alice", "pinned": True})
    before = (await bob.call("conv.sync", {}))["version"]
    first = await bob.call("msg.delete", {"conv_id": "c2c_alice", "seqs": [2, 5]})
    assert first["hidden"] == [2, 5]
    second = await bob.call("msg.delete", {"conv_id": "c2c_alice", "seqs": [3]})
    assert second["hidden"] == [3]

    laptop = await service.login("bob", platform="web")
    assert (await _sync(laptop, "c2c_alice", before))["hidden"] == [2, 3, 5]
    assert (await _sync(laptop, "c2c_alice", first["version"]))["hidden"] == [3]
    assert (await _sync(laptop, "c2c_alice", 0))["hidden"] == [2, 3, 5]
    assert (await _sync(laptop, "c2c_alice", before))["unread"] == 3
    # alice deleted nothing
    assert "hidden" not in await _sync(alice, "c2c_bob", 1)


async def test_a_version_1_database_is_migrated(tmp_path: Path) -> None:
    async with running(tmp_path) as service:
        alice = await service.login("alice")
        bob = await service.login("bob")
        await alice.send("bob", "kept from before")
        await bob.call("msg.delete", {"conv_id": "c2c_alice", "seqs": [1]})
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / DB_FILE}")
    async with engine.begin() as conn:  # the table and version as version 1 had them
        await conn.execute(sa.text("ALTER TABLE hidden_messages DROP COLUMN version"))
        await conn.execute(sa.text("UPDATE schema_version SET version = 1"))
    await engine.dispose()

    async with running(tmp_path) as service:
        bob = await service.login("bob")
        history = await bob.call("msg.history", {"conv_id": "c2c_alice"})
        assert [m.get("deleted") for m in history["messages"]] == [True]  # still deleted
        alice = await service.login("alice")
        await alice.send("bob", "after")
        answer = await bob.call("msg.delete", {"conv_id": "c2c_alice", "seqs": [2]})
        assert answer["hidden"] == [2]
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / DB_FILE}")
    async with engine.connect() as conn:
        version = (await conn.execute(sa.text("SELECT version FROM schema_version"))).scalar()
        rows = (await conn.execute(sa.text(
            "SELECT seq, version > 0 FROM hidden_messages ORDER BY seq"))).all()
    await engine.dispose()
    assert version == 2 and [tuple(r) for r in rows] == [(1, 0), (2, 1)]
