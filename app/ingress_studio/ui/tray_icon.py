"""The tray's picture: the app icon with a dot in the corner whose colour is the live state (OBS turns its
tray icon red while streaming). Drawn with QPainter from the SVG at each size a tray asks for: no image files."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from ingress_studio.controllers.live_notifications import Tone

TONE_COLOURS = {
    Tone.IDLE: "#8e989c",  # grey: nothing is pushed
    Tone.LIVE: "#e5262b",  # red: on air
    Tone.TROUBLE: "#f5a623",  # amber: reconnecting, or an error to look at
}
SIZES = (16, 22, 24, 32, 48, 64)  # the sizes trays ask for (GNOME, KDE: 22 or 24; Windows: 16 to 32, HiDPI: twice)
DOT_SHARE = 0.5  # of the icon's side: big enough to read at 16 px


def tone_colour(tone: Tone) -> QColor:
    return QColor(TONE_COLOURS[tone])


def dot_rect(size: int) -> QRectF:
    """Where the dot goes on an icon of this size: the bottom-right corner."""
    side = size * DOT_SHARE
    return QRectF(size - side, size - side, side, side)


def badged_pixmap(base: QIcon, tone: Tone, size: int) -> QPixmap:
    pixmap = base.pixmap(size, size) if not base.isNull() else QPixmap()
    if pixmap.isNull() or pixmap.width() != size:
        picture = QPixmap(size, size)
        picture.fill(Qt.GlobalColor.transparent)
        if not pixmap.isNull():
            with_base = QPainter(picture)
            with_base.drawPixmap(0, 0, size, size, pixmap)
            with_base.end()
        pixmap = picture
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    ring = max(1.0, size / 16)  # a light ring keeps the dot apart from the icon and from dark panels
    painter.setPen(QPen(QColor("#ffffff"), ring))
    painter.setBrush(tone_colour(tone))
    painter.drawEllipse(dot_rect(size).adjusted(ring / 2, ring / 2, -ring / 2, -ring / 2))
    painter.end()
    return pixmap


def badged_icon(base: QIcon, tone: Tone) -> QIcon:
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(badged_pixmap(base, tone, size))
    return icon
