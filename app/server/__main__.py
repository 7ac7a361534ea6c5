"""``python -m app.server`` / ``tidings-server``: configuration from the command line, the
environment and an optional TOML file, then run until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import sys
import tomllib
from collections.abc import Sequence

from app.server.config import load_config
from app.server.logs import configure
from app.server.runner import ListenError, run


def main(argv: Sequence[str] | None = None) -> int:
    try:
        config = load_config(argv)
    except (ValueError, OSError, tomllib.TOMLDecodeError) as exc:
        print(f"tidings-server: {exc}", file=sys.stderr)
        return 2
    configure(config.log_level)
    try:
        asyncio.run(run(config))
    except ListenError as exc:
        print(f"tidings-server: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
