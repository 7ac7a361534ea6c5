"""Refresh the Chinese translation source from the UI code and compile it for the app.

    python resources/translations/build.py                 # lupdate app/ui → .ts, then lrelease
    python resources/translations/build.py --release-only  # .ts → .qm (run by `make` on install)

`pyside6-lupdate` adds new strings to `tidings_zh_CN.ts` as unfinished and keeps every existing
translation; translate them (Qt Linguist or by hand) and commit the .ts. The .qm is build output
and git-ignored. Source locations are left out of the .ts so that edits elsewhere in a file do
not churn it in every commit.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCES = ROOT / "app" / "ui"
TS_FILE = HERE / "tidings_zh_CN.ts"
QM_FILE = HERE / "tidings_zh_CN.qm"


def _tool(name: str) -> str:
    """The PySide6 tool from the interpreter's own environment first, then from PATH."""
    scripts = Path(sys.executable).parent
    found = shutil.which(name, path=str(scripts)) or shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found (is PySide6-Essentials installed?)")
    return found


def update_sources() -> Path:
    """Scan every .py under app/ui for tr()/translate() strings and merge them into the .ts."""
    files = sorted(str(p) for p in SOURCES.rglob("*.py") if "__pycache__" not in p.parts)
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            *files,
            "-locations",
            "none",
            "-source-language",
            "en",
            "-target-language",
            "zh_CN",
            "-ts",
            str(TS_FILE),
        ],
        check=True,
    )
    return TS_FILE


def release() -> Path:
    """Compile the .ts into the .qm the app loads (i18n.install_language)."""
    subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", str(TS_FILE), "-qm", str(QM_FILE)], check=True
    )
    return QM_FILE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--release-only", action="store_true", help="only compile the existing .ts into the .qm"
    )
    args = parser.parse_args(argv)
    if not args.release_only:
        update_sources()
    release()
    return 0


if __name__ == "__main__":
    sys.exit(main())
