"""``python -m app.server`` / ``tidings-server``: configuration from the command line, the
environment and an optional TOML file, then run until SIGTERM or Ctrl-C (or, with
``--exit-with-stdin``, until the parent process closes our stdin)."""

from __future__ import annotations

import asyncio
import sys
import tomllib
from collections.abc import Sequence

from app.process_stop import EXIT_WITH_STDIN
from app.server.config import load_config
from app.server.logs import configure
from app.server.runner import ListenError, run


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    exit_with_stdin = EXIT_WITH_STDIN in args
    if exit_with_stdin:
        args.remove(EXIT_WITH_STDIN)
    try:
        config = load_config(args)
    except (ValueError, OSError, tomllib.TOMLDecodeError) as exc:
        print(f"tidings-server: {exc}", file=sys.stderr)
        return 2
    configure(config.log_level)
    try:
        asyncio.run(run(config, exit_with_stdin))
    except ListenError as exc:
        print(f"tidings-server: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
