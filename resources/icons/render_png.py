"""Render `tidings.svg` to `tidings-256.png` (run after editing the SVG).

The PNG is committed: it is the fallback app icon where Qt has no SVG plugin, and the source
for the per-OS icon files (.ico, .icns, hicolor PNGs) the packaging scripts produce.

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/icons/render_png.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SIZE = 256


def render(svg: Path, png: Path, size: int = SIZE) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot parse {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(png)):
        raise SystemExit(f"cannot write {png}")


def main() -> int:
    _app = QGuiApplication(sys.argv)
    render(HERE / "tidings.svg", HERE / f"tidings-{SIZE}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
