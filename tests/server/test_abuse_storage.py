"""What the service keeps on disk is its user's alone, whatever the umask: the database and its
journal files are 0600 (they hold every message and password hash), inside the data directory
the configuration creates 0700."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from app.server.config import DB_FILE

from .test_store_identity import running


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_database_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    old = os.umask(0o022)
    try:
        for _ in range(2):  # created private, and kept private on a later start
            async with running(data) as service:
                alice = await service.login("alice")
                await service.login("bob")
                await alice.send("bob", "private")
                files = sorted(data.glob(f"{DB_FILE}*"))
                assert {f.name for f in files} >= {DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm"}
                assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
            (data / DB_FILE).chmod(0o644)  # as an older version left it
    finally:
        os.umask(old)
