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
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from app.process_stop import EXIT_WITH_STDIN, stop_event
from app.protocol import usersig
from app.sdk import IMClient, SDKConfig

from . import READY_PREFIX
from .bot import DemoBot
from .content import BOOK_CLUB, BOT, DEMO_USER, NEWCOMER
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
    parser.add_argument(EXIT_WITH_STDIN, action="store_true",
                        help="stop when stdin reaches end of file (the parent went away)")
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> None:
    stop = await stop_event(args.exit_with_stdin)
    key = args.key_file.read_text(encoding="ascii").strip()
    state_dir = args.key_file.parent
    async with httpx.AsyncClient(base_url=args.service_url, timeout=30) as http:
        sdk_app_id = int((await http.get("/api/info")).json()["SDKAppID"])
        seeded = await seed(AdminApi(http, sdk_app_id, args.admin, key), state_dir)
    log.info("demo history %s", "seeded" if seeded else "was already seeded")
    if seeded:
        await ask_to_join(sdk_app_id, args.service_url, key, state_dir)

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


async def ask_to_join(sdk_app_id: int, service_url: str, key: str, state_dir: Path) -> None:
    """A newcomer asks to join the demo user's Book Club, so the demo opens with a request
    to decide (on the rail's Groups badge). Asked once, when the history is seeded; a join
    request is a user's own act, so it goes through a signed-in client, not the admin API."""
    client = IMClient()
    client.init(sdk_app_id, service_url, SDKConfig(data_dir=state_dir / "applicant"))
    try:
        await client.login(NEWCOMER.user_id, usersig.generate(sdk_app_id, key,
                                                              NEWCOMER.user_id, BOT_SIG_TTL_S))
        await client.group_manager.join_group(BOOK_CLUB.user_id,
                                              "Hi! May I join this month's reading? 📖")
    finally:
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
