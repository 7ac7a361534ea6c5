"""`python -m app` / the `tidings` command: the desktop app."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from app.ui.app import main as run_app


def main(argv: Sequence[str] | None = None) -> int:
    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main())
