"""The app icon in every form an installer needs, rendered from resources/icons/tidings.svg.

    QT_QPA_PLATFORM=offscreen python packaging/icons.py OUT_DIR

writes OUT_DIR/hicolor/<n>x<n>/apps/tidings.png for every freedesktop size plus
hicolor/scalable/apps/tidings.svg (the .deb's icons), OUT_DIR/tidings.ico (Windows: the
executable and the installer) and OUT_DIR/tidings.icns (macOS). Qt renders the SVG (as the app
itself does), Pillow packs the .ico and .icns. Build output, not committed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "tidings.svg"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int, png: Path) -> None:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    png.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(png)):
        raise SystemExit(f"cannot write {png}")


def main(out: Path) -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot parse {SVG}")
    sizes = sorted(set(HICOLOR_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))
    pngs = out / "png"
    for size in sizes:
        render(renderer, size, pngs / f"{size}.png")
    for size in HICOLOR_SIZES:
        dest = out / "hicolor" / f"{size}x{size}" / "apps" / "tidings.png"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pngs / f"{size}.png", dest)
    scalable = out / "hicolor" / "scalable" / "apps" / "tidings.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable)

    largest = Image.open(pngs / "256.png")
    largest.save(out / "tidings.ico", sizes=[(s, s) for s in ICO_SIZES],
                 append_images=[Image.open(pngs / f"{s}.png") for s in ICO_SIZES])
    Image.open(pngs / "1024.png").save(
        out / "tidings.icns", append_images=[Image.open(pngs / f"{s}.png") for s in ICNS_SIZES])
    print(f"icons in {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
