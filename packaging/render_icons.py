"""Render the application icon's PNG sizes from its SVG, with Qt's own SVG renderer.

The PNGs are committed (resources/icons/hicolor/NxN/apps/): desktops that do not read
SVG, the window's small sizes and the bundle all use them. Run after changing the SVG:

    .venv/bin/python packaging/render_icons.py

tests/test_packaging.py renders again and fails if the committed PNGs are stale.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_ID = "io.github.tutor.Tutor"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
HICOLOR = Path(__file__).resolve().parent.parent / "resources" / "icons" / "hicolor"
SVG = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"


def png_path(size: int, hicolor: Path = HICOLOR) -> Path:
    return hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render(size: int, svg: Path = SVG) -> object:
    """The icon as a QImage of size × size pixels, transparent around the tile."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"Qt cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImage

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for size in SIZES:
        target = png_path(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        image = render(size)
        assert isinstance(image, QImage)
        if not image.save(str(target), "PNG"):
            print(f"could not write {target}", file=sys.stderr)
            return 1
        print(f"wrote {target.relative_to(HICOLOR.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
