"""A picture fed a stream of JPEGs (a child's previews, up to 15 a second): only the newest is decoded, on
the next turn of the event loop, and none while it is hidden; a batch that came while the window was busy
costs one decode."""

from __future__ import annotations

import logging

from PySide6.QtCore import QBuffer, QByteArray, QSize, QTimer
from PySide6.QtGui import QImageReader, QPixmap, QShowEvent
from PySide6.QtWidgets import QWidget

from ingress_studio.ui.scaled_picture import ScaledPicture

log = logging.getLogger(__name__)


class LatestJpegPicture(ScaledPicture):
    def __init__(self, max_width: int, parent: QWidget | None = None) -> None:
        super().__init__(max_width, parent)
        self.pictures_shown = 0
        self.pictures_dropped = 0  # replaced by a newer one before they were decoded
        self._latest: tuple[bytes, int, int] | None = None
        self._decode_timer = QTimer(self)
        self._decode_timer.setSingleShot(True)
        self._decode_timer.setInterval(0)
        self._decode_timer.timeout.connect(self._decode_latest)

    def offer(self, jpeg: bytes, width: int, height: int) -> None:
        """A new picture of this size; the one still waiting (if any) is dropped."""
        if self._latest is not None:
            self.pictures_dropped += 1
        self._latest = (jpeg, width, height)
        if self.isVisible() and not self._decode_timer.isActive():
            self._decode_timer.start()

    def clear(self) -> None:
        self._latest = None
        if hasattr(self, "_decode_timer"):  # QLabel's constructor may clear before ours ran
            self._decode_timer.stop()
        super().clear()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._latest is not None:
            self._decode_timer.start()  # the newest picture that came while hidden

    def _decode_latest(self) -> None:
        latest, self._latest = self._latest, None
        if latest is None or not self.isVisible():
            self._latest = latest
            return
        jpeg, width, height = latest
        # Decoded straight to the size shown: the JPEG decoder scales for free, and no smooth scaling (which
        # Qt runs on worker threads while the GUI thread waits) is left for the picture to do.
        shown = self.fitted_width(width, height)
        data = QBuffer()
        data.setData(QByteArray(jpeg))
        reader = QImageReader(data, QByteArray(b"JPEG"))
        if width > 0 and shown < width:
            reader.setScaledSize(QSize(shown, max(1, round(height * shown / width))))
        image = reader.read()
        if image.isNull():
            log.debug("an unreadable preview picture (%d bytes) was skipped", len(jpeg))
            return
        self.set_picture(QPixmap.fromImage(image))
        self.pictures_shown += 1
