"""What the room sees: the picture and sound a hidden viewer receives from the ingress's participant, what the
connection is doing, and the figures. It binds a RoomPreview; the picture only decodes while it is shown."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ingress_studio.children.watch_events import WatchLevels, WatchPreview, WatchStats
from ingress_studio.controllers.room_figures import received_text, timing_text
from ingress_studio.controllers.room_preview import NOT_LIVE, RoomPreview
from ingress_studio.ui.latest_jpeg_picture import LatestJpegPicture
from ingress_studio.ui.level_meter import LevelMeterView

MAX_WIDTH = 640  # the watcher's previews are at most this wide


class RoomView(QWidget):
    def __init__(self, preview: RoomPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picture = LatestJpegPicture(MAX_WIDTH)
        self.meter = LevelMeterView()
        self.status = QLabel()  # under a picture; without one the picture's place says it
        self.status.setWordWrap(True)
        self.received = QLabel()
        self.received.setWordWrap(True)
        self.timing = QLabel()
        self.timing.setEnabled(False)  # muted: a caption
        self.timing.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.picture, 1)
        column.addWidget(self.meter)
        column.addWidget(self.status)
        column.addWidget(self.received)
        column.addWidget(self.timing)
        preview.status.connect(self.show_status)
        preview.picture.connect(self.show_picture)
        preview.levels.connect(self.show_levels)
        preview.figures.connect(self.show_figures)
        preview.cleared.connect(self.clear)
        self.clear()
        self.show_status(NOT_LIVE)

    def show_status(self, sentence: str) -> None:
        self.status.setText(sentence)
        if self.picture.original is None:
            self.picture.setText(sentence)
        self.status.setVisible(self.picture.original is not None)

    def show_picture(self, preview: WatchPreview) -> None:
        self.picture.offer(preview.jpeg, preview.width, preview.height)
        self.status.setVisible(True)  # the picture's place no longer says it

    def show_levels(self, levels: WatchLevels) -> None:
        self.meter.show_levels(list(levels.peak_db), list(levels.rms_db))

    def show_figures(self, stats: WatchStats) -> None:
        self.received.setText(received_text(stats) if stats.present else "")
        self.timing.setText(timing_text(stats))

    def clear(self) -> None:
        self.picture.clear()
        self.picture.setText(self.status.text())
        self.status.hide()
        self.meter.clear()
        self.received.clear()
        self.timing.clear()
