"""The embedded service behind "This computer": it comes back on the same port after a crash,
so a signed-in client reconnects without noticing."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from app.ui.desktop.embedded import EmbeddedService
from tests.gui.conftest import until


def test_a_crashed_service_is_started_again_on_the_same_port(
        arun: Callable[..., Any], tmp_path: Path) -> None:
    async def scenario() -> None:
        service = EmbeddedService(tmp_path / "service")
        try:
            info = await service.start()
            pid = service.pid
            os.kill(pid, signal.SIGKILL)
            await until(lambda: service.pid not in (0, pid), timeout=30,
                        what="a new service process")
            again = await service.start()
            assert again.url == info.url
            async with httpx.AsyncClient() as http:
                assert (await http.get(again.url + "/healthz")).json() == {"status": "ok"}
        finally:
            await service.stop()

    arun(scenario(), timeout=90)
