"""The service as an operator starts it: its open-file limit raised at start, and a flood of
misbehaving clients logged as a line per interval, not a line (or a traceback) per client."""

from __future__ import annotations

import asyncio
import resource
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.service import Service
from tests.support.waiting import wait_until

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/<pid>/limits")


@pytest.fixture
def low_soft_limit() -> Iterator[int]:
    """Start the child with a soft open-file limit of 512, as many systems do with 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard <= 512:
        pytest.skip(f"the hard limit ({hard}) is not a number above 512")
    resource.setrlimit(resource.RLIMIT_NOFILE, (512, hard))
    try:
        yield hard
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _soft_limit_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            return int(line.split()[3])
    raise AssertionError("no open-file line in /proc/<pid>/limits")


def test_the_soft_open_file_limit_is_raised_to_the_hard_one(
        tmp_path: Path, low_soft_limit: int) -> None:
    service = Service(tmp_path).start()
    try:
        assert service.proc is not None
        assert _soft_limit_of(service.proc.pid) == low_soft_limit
    finally:
        service.stop()


async def test_a_flood_of_silent_sockets_is_a_few_log_lines(tmp_path: Path) -> None:
    service = Service(tmp_path, extra_env={"TIDINGS_HEADER_TIMEOUT_S": "0.3"}).start()
    try:
        streams = [await asyncio.open_connection("127.0.0.1", service.port) for _ in range(60)]
        for reader, _ in streams:
            assert await asyncio.wait_for(reader.read(), 10) == b""  # closed by the service
        await wait_until(lambda: any("no complete request head" in line
                                     for line in service.output), 5, "the first warning")
        flood = [line for line in service.output if "no complete request head" in line]
        assert len(flood) == 1, flood  # 60 alike within the interval: one line
        assert not any("Traceback" in line for line in service.output)
        for _, writer in streams:
            writer.close()
    finally:
        service.stop()
