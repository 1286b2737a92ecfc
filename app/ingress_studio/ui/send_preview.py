"""What we send: the engine's latest preview picture, its audio meters, and for files where the push is in
the playlist. Bound to the engine's `preview` and `levels` signals and to the push's position; `clear()` when
the push stops.

Pictures come at most 15 a second, and a batch of them when the window was busy: only the newest is decoded
(on the next turn of the event loop), the others are dropped, and none while the view is hidden."""

from __future__ import annotations

import logging

from PySide6.QtCore import QBuffer, QByteArray, QSize, QTimer
from PySide6.QtGui import QImageReader, QPixmap, QShowEvent
from PySide6.QtWidgets import QGroupBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from ingress_studio.children.engine_events import Levels, Preview
from ingress_studio.controllers.playback_position import PlaybackPosition
from ingress_studio.ui.level_meter import LevelMeterView
from ingress_studio.ui.scaled_picture import ScaledPicture

log = logging.getLogger(__name__)

MAX_WIDTH = 640  # the engine's previews are at most this wide
NOT_LIVE = "Not live. Choose a source and press Start."
WAITING = "Waiting for the first picture…"
AUDIO_ONLY = "Sending audio only: there is no picture to show."
PROGRESS_STEPS = 1000


class SendPreview(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("What we send", parent)
        self.picture = ScaledPicture(MAX_WIDTH)
        self.meter = LevelMeterView()
        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.position_words = QLabel()
        self.position_words.setEnabled(False)  # muted: a caption under the bar
        self.position_words.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(self.picture, 1)
        column.addWidget(self.meter)
        column.addWidget(self.progress)
        column.addWidget(self.position_words)
        self.pictures_shown = 0
        self.pictures_dropped = 0  # replaced by a newer one before they were decoded
        self._latest: Preview | None = None
        self._decode_timer = QTimer(self)
        self._decode_timer.setSingleShot(True)
        self._decode_timer.setInterval(0)
        self._decode_timer.timeout.connect(self._decode_latest)
        self.clear()

    def show_preview(self, preview: Preview) -> None:
        if self._latest is not None:
            self.pictures_dropped += 1
        self._latest = preview
        if self.isVisible() and not self._decode_timer.isActive():
            self._decode_timer.start()

    def show_levels(self, levels: Levels) -> None:
        self.meter.show_levels(levels.peak_db, levels.rms_db)

    def show_position(self, position: PlaybackPosition | None) -> None:
        """Where a file push is; None, or a live source, hides the bar and its words."""
        fraction = position.fraction if position is not None else None
        self.progress.setVisible(fraction is not None)
        self.position_words.setVisible(fraction is not None)
        if position is None or fraction is None:
            return
        self.progress.setValue(round(fraction * PROGRESS_STEPS))
        self.position_words.setText(position.words)
        self.position_words.setToolTip(position.name)

    def starting(self, has_video: bool = True) -> None:
        """A push was started: say a picture is coming instead of "not live" (or that none will, for audio only)."""
        if not has_video:
            self.picture.clear()
            self.picture.setText(AUDIO_ONLY)
        elif self.picture.original is None:
            self.picture.setText(WAITING)

    def clear(self) -> None:
        """The push stopped (or never started): no picture, silent meters, no position."""
        self._latest = None
        self._decode_timer.stop()
        self.picture.clear()
        self.picture.setText(NOT_LIVE)
        self.meter.clear()
        self.show_position(None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._latest is not None:
            self._decode_timer.start()  # the newest picture that came while hidden

    def _decode_latest(self) -> None:
        preview, self._latest = self._latest, None
        if preview is None or not self.isVisible():
            self._latest = preview
            return
        # Decoded straight to the size shown: the JPEG decoder scales for free, and no smooth scaling (which
        # Qt runs on worker threads while the GUI thread waits) is left for the picture to do.
        width = self.picture.fitted_width(preview.width, preview.height)
        data = QBuffer()
        data.setData(QByteArray(preview.jpeg))
        reader = QImageReader(data, QByteArray(b"JPEG"))
        if preview.width > 0 and width < preview.width:
            reader.setScaledSize(QSize(width, max(1, round(preview.height * width / preview.width))))
        image = reader.read()
        if image.isNull():
            log.debug("an unreadable preview picture (%d bytes) was skipped", len(preview.jpeg))
            return
        self.picture.set_picture(QPixmap.fromImage(image))
        self.pictures_shown += 1
