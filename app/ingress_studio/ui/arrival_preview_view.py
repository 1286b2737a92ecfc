"""What the sandbox receives from a live ingress: its latest picture and audio levels, next to the
ingress's own state. Only the sandbox serves this (a LiveKit server has no such route), so the view
shows itself only for sandbox projects and live ingresses."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QGroupBox, QLabel, QProgressBar, QSizePolicy, QVBoxLayout, QWidget

from ingress_studio.api.sandbox_preview import SandboxPreviewClient
from ingress_studio.config.project import Project, ProjectSource

log = logging.getLogger(__name__)

POLL_S = 0.2
MAX_WIDTH = 360
FLOOR_DB = -60.0


def level_percent(db: float) -> int:
    """dBFS → 0..100 on a -60..0 dB scale, like an OBS meter."""
    return round(100 * (min(0.0, max(FLOOR_DB, db)) - FLOOR_DB) / -FLOOR_DB)


class ScaledPicture(QLabel):
    """A picture that fits the width it is given (up to MAX_WIDTH), so a narrow panel never clips it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._original: QPixmap | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(160, 90)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_picture(self, pixmap: QPixmap) -> None:
        self._original = pixmap
        self._fit()

    def clear(self) -> None:
        self._original = None
        super().clear()

    def sizeHint(self) -> QSize:
        if self._original is None or self._original.width() == 0:
            return QSize(MAX_WIDTH, 120)
        width = min(MAX_WIDTH, self._original.width())
        return QSize(width, round(width * self._original.height() / self._original.width()))

    def hasHeightForWidth(self) -> bool:
        return self._original is not None

    def heightForWidth(self, width: int) -> int:
        if self._original is None or self._original.width() == 0:
            return 120
        return round(min(width, MAX_WIDTH) * self._original.height() / self._original.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._original is None:
            return
        width = max(1, min(self.width(), MAX_WIDTH, self._original.width()))
        self.setPixmap(self._original.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation))


class ArrivalPreviewView(QGroupBox):
    def __init__(self) -> None:
        super().__init__("What the sandbox receives")
        self.picture = ScaledPicture()
        self.caption = QLabel()
        self.caption.setEnabled(False)  # muted: a caption, not a value
        self.caption.setWordWrap(True)
        self.meters = [QProgressBar(), QProgressBar()]
        column = QVBoxLayout(self)
        column.addWidget(self.picture)
        for meter in self.meters:
            meter.setRange(0, 100)
            meter.setTextVisible(False)
            meter.setMaximumHeight(8)
            column.addWidget(meter)
        column.addWidget(self.caption)
        self.pictures_shown = 0
        self._client: SandboxPreviewClient | None = None
        self._watching: tuple[str, str] | None = None  # (project url, ingress id)
        self._task: asyncio.Task[None] | None = None
        self._closing: asyncio.Future[None] | None = None
        self.hide()

    def watch(self, project: Project | None, ingress_id: str | None, live: bool) -> None:
        """Follow this ingress while it is live on a sandbox; anything else hides the view."""
        wanted = project is not None and project.source is ProjectSource.SANDBOX and ingress_id and live
        key = (project.url, ingress_id) if wanted and project is not None and ingress_id else None
        if key == self._watching:
            return
        self.stop()
        if key is None or project is None or ingress_id is None:
            return
        self._watching = key
        self._client = SandboxPreviewClient(project)
        self.picture.clear()
        self.caption.setText("Waiting for the first picture…")
        self.show()
        self._task = asyncio.ensure_future(self._poll(self._client, ingress_id))

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._client is not None:
            client, self._client = self._client, None
            self._closing = asyncio.ensure_future(client.aclose())
        self._watching = None
        self.hide()

    async def closed(self) -> None:
        """Wait until the last client's connections are closed (at shutdown)."""
        if self._closing is not None:
            await self._closing

    async def _poll(self, client: SandboxPreviewClient, ingress_id: str) -> None:
        shown = 0
        while True:
            await asyncio.sleep(POLL_S)
            window = self.window()
            if not window.isVisible() or window.isMinimized():
                continue  # nobody looks: no requests (and the sandbox stops decoding every picture)
            try:
                levels = await client.levels(ingress_id)
                if levels is None:
                    continue
                self._show_levels(levels)
                number = int(levels.get("picture") or 0)
                if number and number != shown:
                    jpeg = await client.picture(ingress_id)
                    if jpeg is not None and self._show_picture(jpeg, levels):
                        shown = number
            except Exception:  # a view must not die on one odd answer: log it and keep going
                log.exception("preview of %s: unexpected answer", ingress_id)

    def _show_picture(self, jpeg: bytes, levels: dict[str, Any]) -> bool:
        pixmap = QPixmap()
        if not pixmap.loadFromData(jpeg, "JPEG"):
            return False
        self.picture.set_picture(pixmap)
        self.pictures_shown += 1
        self.caption.setText(
            f"Decoded by the sandbox: {levels.get('width')}x{levels.get('height')} preview, {levels.get('status', '')}"
        )
        return True

    def _show_levels(self, levels: dict[str, Any]) -> None:
        peaks = [float(value) for value in levels.get("peak_db") or []]
        for channel, meter in enumerate(self.meters):
            meter.setVisible(channel < len(peaks) or channel == 0)
            meter.setValue(level_percent(peaks[channel]) if channel < len(peaks) else 0)
