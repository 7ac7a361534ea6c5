"""setuptools' hook for what pyproject.toml cannot say: the wheel carries `resources/`.

The app's icons, stylesheet, desktop entry and compiled translations live in `resources/` at
the top of the checkout, beside `app/` rather than in it (translators and designers edit them
without touching code). A wheel built from the checkout or from the sdist copies them into
`app/resources/` and compiles `tidings_zh_CN.ts` into the `.qm` Qt loads, with
`pyside6-lrelease` from the build environment (PySide6-Essentials is a build requirement);
`app.ui.resources` finds them there. An editable install (`pip install -e .`) copies nothing:
the checkout's `resources/` is used as it is.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
RESOURCES = ROOT / "resources"
SHIPPED = {".svg", ".png", ".qss", ".desktop"}
"""What the app reads at run time; the .qm files are compiled here, the helper scripts stay."""


def lrelease() -> str:
    scripts = Path(sys.executable).parent
    found = shutil.which("pyside6-lrelease", path=str(scripts)) or shutil.which(
        "pyside6-lrelease")
    if found is None:
        raise SystemExit("building Tidings needs pyside6-lrelease (PySide6-Essentials) to "
                         "compile resources/translations/*.ts")
    return found


def copy_resources(target: Path) -> list[Path]:
    if target.exists():
        shutil.rmtree(target)
    written = []
    for source in sorted(RESOURCES.rglob("*")):
        if source.is_file() and source.suffix in SHIPPED and "__pycache__" not in source.parts:
            dest = target / source.relative_to(RESOURCES)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest)
            written.append(dest)
    tool = None
    for ts in sorted((RESOURCES / "translations").glob("*.ts")):
        dest = target / "translations" / f"{ts.stem}.qm"
        dest.parent.mkdir(parents=True, exist_ok=True)
        tool = tool or lrelease()
        subprocess.run([tool, "-silent", str(ts), "-qm", str(dest)], check=True)
        written.append(dest)
    return written


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        copy_resources(Path(self.build_lib) / "app" / "resources")


setup(cmdclass={"build_py": BuildPyWithResources})
