"""The app icon in every form the installers want, rendered from resources/ingress-studio.svg with QtSvg:

    python packaging/make_icons.py --out build/icons

- hicolor/<N>x<N>/apps/io.ingressstudio.IngressStudio.png and hicolor/scalable/apps/…svg: the freedesktop
  icon theme tree, copied as it is under /usr/share/icons (the .desktop file's Icon= names it);
- ingress-studio.ico: Windows (the exe and the Inno Setup installer), PNG entries (valid since Vista);
- ingress-studio.icns: macOS (the app bundle), PNG entries.

The ICO and ICNS containers are written here: both are a small index in front of PNG files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "ingress-studio.svg"
ICON_NAME = "io.ingressstudio.IngressStudio"  # the app id: packaging/macos/info_plist.py BUNDLE_ID
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# (type, pixels): the PNG-holding ICNS types; ic10 is 512 pt at 2x.
ICNS_TYPES = (("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256), ("ic09", 512), ("ic10", 1024))
ICO_FILE = "ingress-studio.ico"
ICNS_FILE = "ingress-studio.icns"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class IconError(Exception):
    """The SVG cannot be read or an output cannot be written: one sentence for the user."""


@dataclass(frozen=True)
class IconSet:
    hicolor: Path
    ico: Path
    icns: Path


def ico_container(pngs: Mapping[int, bytes]) -> bytes:
    """A Windows .ico of PNG images, keyed by their pixel size (square, 1 to 256)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(pngs)
    entries, images = [], []
    for size, png in sorted(pngs.items()):
        if not 1 <= size <= 256:
            raise ValueError(f"An ICO entry is 1 to 256 pixels wide, not {size}.")
        side = size % 256  # 0 means 256
        # width, height, palette colours, reserved, colour planes, bits per pixel, data size, data offset
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset))
        images.append(png)
        offset += len(png)
    return header + b"".join(entries) + b"".join(images)


def icns_container(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """A macOS .icns of (four-letter type, data) entries; lengths are big-endian and count their headers."""
    body = b""
    for kind, data in entries:
        if len(kind.encode("ascii")) != 4:
            raise ValueError(f"An ICNS type is four ASCII letters, not {kind!r}.")
        body += kind.encode("ascii") + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render_pngs(svg: Path, sizes: Iterable[int]) -> dict[int, bytes]:
    """The SVG rendered at each size as a square PNG: transparent background, antialiased."""
    if not svg.is_file():
        raise IconError(f"There is no SVG icon at {svg}.")
    _keep_gui_application()
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise IconError(f"{svg} is not an SVG file Qt can read.")
    pngs = {}
    for size in sorted(set(sizes)):
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)  # transparent
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not QImageWriter(buffer, QByteArray(b"png")).write(image):
            raise IconError(f"Qt could not encode a {size} px PNG.")
        buffer.close()
        pngs[size] = bytes(data.data())
    return pngs


_gui_application: QGuiApplication | None = None


def _keep_gui_application() -> None:
    """QPainter and QtSvg want a QGuiApplication: the one running (a test's), or one made once here."""
    global _gui_application
    if QCoreApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed on a build machine
        _gui_application = QGuiApplication([])


def make_icons(out: Path, svg: Path = SVG) -> IconSet:
    """Write the hicolor tree, the .ico and the .icns into `out` (made if missing)."""
    pngs = render_pngs(svg, {*HICOLOR_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    hicolor = out / "hicolor"
    try:
        for size in HICOLOR_SIZES:
            folder = hicolor / f"{size}x{size}" / "apps"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{ICON_NAME}.png").write_bytes(pngs[size])
        scalable = hicolor / "scalable" / "apps"
        scalable.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(svg, scalable / f"{ICON_NAME}.svg")
        (out / ICO_FILE).write_bytes(ico_container({size: pngs[size] for size in ICO_SIZES}))
        (out / ICNS_FILE).write_bytes(icns_container([(kind, pngs[size]) for kind, size in ICNS_TYPES]))
    except OSError as error:
        raise IconError(f"Cannot write the icons into {out}: {error.strerror or error}.") from error
    return IconSet(hicolor=hicolor, ico=out / ICO_FILE, icns=out / ICNS_FILE)


def _sizes(sizes: Iterable[int]) -> str:
    return ", ".join(str(size) for size in sizes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the app icon for the Linux, Windows and macOS installers.")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write into")
    parser.add_argument("--svg", type=Path, default=SVG, help=f"the icon to render (default: {SVG})")
    args = parser.parse_args(argv)
    try:
        icons = make_icons(args.out, args.svg)
    except IconError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Wrote {icons.hicolor}: {ICON_NAME}.png at {_sizes(HICOLOR_SIZES)} px, and the scalable SVG")
    print(f"Wrote {icons.ico}: {_sizes(ICO_SIZES)} px")
    print(f"Wrote {icons.icns}: {_sizes(size for _, size in ICNS_TYPES)} px")
    return 0


if __name__ == "__main__":
    sys.exit(main())
