"""What the room sees: the picture and sound a hidden viewer receives from the ingress's participant, what the
connection is doing, and the figures. It binds a RoomPreview; the picture only decodes while it is shown.

Every line keeps its place (an empty one keeps its height): a rejoin changes words, not the layout."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ingress_studio.children.watch_events import WatchLevels, WatchPreview, WatchStats
from ingress_studio.controllers.room_figures import received_text, timing_text
from ingress_studio.controllers.room_preview import NOT_LIVE, RoomPreview
from ingress_studio.ui.latest_jpeg_picture import LatestJpegPicture
from ingress_studio.ui.level_meter import LevelMeterView

MAX_WIDTH = 640  # the watcher's previews are at most this wide
NO_PICTURE = "No picture from the room"


def _caption(lines: int, muted: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setMinimumHeight(lines * label.fontMetrics().lineSpacing())
    label.setEnabled(not muted)  # muted: a caption, not a value
    return label


class RoomView(QWidget):
    def __init__(self, preview: RoomPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picture = LatestJpegPicture(MAX_WIDTH)
        self.meter = LevelMeterView()
        self.status = _caption(2)
        self.received = _caption(2)
        self.timing = _caption(1, muted=True)
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

    def show_picture(self, preview: WatchPreview) -> None:
        self.picture.offer(preview.jpeg, preview.width, preview.height)

    def show_levels(self, levels: WatchLevels) -> None:
        self.meter.show_levels(list(levels.peak_db), list(levels.rms_db))

    def show_figures(self, stats: WatchStats) -> None:
        self.received.setText(received_text(stats) if stats.present else "")
        self.timing.setText(timing_text(stats))

    def clear(self) -> None:
        self.picture.clear()
        self.picture.setText(NO_PICTURE)
        self.meter.clear()
        self.received.clear()
        self.timing.clear()
