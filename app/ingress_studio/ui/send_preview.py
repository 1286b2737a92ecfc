"""What we send: the engine's latest preview picture, its audio meters, and for files where the push is in
the playlist. Bound to the engine's `preview` and `levels` signals and to the push's position; `clear()` when
the push stops. Pictures come at most 15 a second: only the newest is decoded (LatestJpegPicture)."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from ingress_studio.children.engine_events import Levels, Preview
from ingress_studio.controllers.playback_position import PlaybackPosition
from ingress_studio.ui.latest_jpeg_picture import LatestJpegPicture
from ingress_studio.ui.level_meter import LevelMeterView

MAX_WIDTH = 640  # the engine's previews are at most this wide
NOT_LIVE = "Not live. Choose a source and press Start."
WAITING = "Waiting for the first picture…"
AUDIO_ONLY = "Sending audio only: there is no picture to show."
PROGRESS_STEPS = 1000


class SendPreview(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("What we send", parent)
        self.picture = LatestJpegPicture(MAX_WIDTH)
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
        self.clear()

    @property
    def pictures_shown(self) -> int:
        return self.picture.pictures_shown

    @property
    def pictures_dropped(self) -> int:
        return self.picture.pictures_dropped

    def show_preview(self, preview: Preview) -> None:
        self.picture.offer(preview.jpeg, preview.width, preview.height)

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
        self.picture.clear()
        self.picture.setText(NOT_LIVE)
        self.meter.clear()
        self.show_position(None)
