"""When a Tidings process should stop: on SIGINT/SIGTERM, or — for children of the desktop app
— when the parent goes away.

A child started with a stdin pipe sees that pipe close however its parent ended, a crash
included, so watching stdin is what keeps a crashed app from leaving its embedded service and
demo bot running behind it.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

log = logging.getLogger(__name__)

EXIT_WITH_STDIN = "--exit-with-stdin"


class _StdinWatch(asyncio.Protocol):
    def __init__(self, stop: asyncio.Event) -> None:
        self._stop = stop

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop.set()


async def stop_event(exit_with_stdin: bool) -> asyncio.Event:
    """An event set by SIGINT/SIGTERM, and by stdin reaching end of file when asked."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except NotImplementedError:  # Windows event loops
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
    if exit_with_stdin:
        try:
            await loop.connect_read_pipe(lambda: _StdinWatch(stop), sys.stdin)
        except (OSError, ValueError, NotImplementedError) as exc:  # not a pipe we can watch
            log.warning("cannot watch stdin (%s); stop me with a signal", exc)
    return stop
