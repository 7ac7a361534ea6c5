"""`python -m app.demo --service-url URL --key-file FILE`: seed, then run the bot until told to
stop (SIGTERM, Ctrl-C, or — with `--exit-with-stdin` — the parent closing our stdin, which
happens even when the parent crashes and so never leaves an orphaned bot behind).

The key file is the service's (`<service data dir>/secret.key`): the demo signs itself in as
the administrator to seed, and as the bot to chat. The seed marker and the bot's cache live next
to it, in the service's data directory, so they share the service's lifetime.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from app.protocol import usersig
from app.sdk import IMClient, SDKConfig

from . import READY_PREFIX
from .bot import DemoBot
from .content import BOT, DEMO_USER
from .seed import AdminApi, seed

log = logging.getLogger("tidings.demo")

BOT_SIG_TTL_S = 30 * 86400
BOT_DATA_DIR = "demo-bot"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app.demo", description=__doc__.split(
        "\n", 1)[0])
    parser.add_argument("--service-url", required=True, help="http://host:port of the service")
    parser.add_argument("--key-file", required=True, type=Path,
                        help="the service's secret.key (in its data directory)")
    parser.add_argument("--admin", default="administrator", help="the service's admin ID")
    parser.add_argument("--exit-with-stdin", action="store_true",
                        help="stop when stdin reaches end of file (the parent went away)")
    return parser.parse_args(argv)


class _StdinWatch(asyncio.Protocol):
    """Sets `stop` when our stdin pipe closes: the parent ended, however it ended."""

    def __init__(self, stop: asyncio.Event) -> None:
        self._stop = stop

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop.set()


async def _stop_event(exit_with_stdin: bool) -> asyncio.Event:
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


async def run(args: argparse.Namespace) -> None:
    stop = await _stop_event(args.exit_with_stdin)
    key = args.key_file.read_text(encoding="ascii").strip()
    state_dir = args.key_file.parent
    async with httpx.AsyncClient(base_url=args.service_url, timeout=30) as http:
        sdk_app_id = int((await http.get("/api/info")).json()["SDKAppID"])
        seeded = await seed(AdminApi(http, sdk_app_id, args.admin, key), state_dir)
    log.info("demo history %s", "seeded" if seeded else "was already seeded")

    client = IMClient()
    client.init(sdk_app_id, args.service_url, SDKConfig(data_dir=state_dir / BOT_DATA_DIR))
    await client.login(BOT.user_id, usersig.generate(sdk_app_id, key, BOT.user_id,
                                                     BOT_SIG_TTL_S))
    bot = DemoBot(client)
    ready = {"user_id": DEMO_USER.user_id, "bot": BOT.user_id, "seeded": seeded}
    print(READY_PREFIX + json.dumps(ready), flush=True)
    try:
        await stop.wait()
    finally:
        await bot.close()
        await client.uninit()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry admin sigs
    asyncio.run(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
