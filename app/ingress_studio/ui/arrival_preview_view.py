"""What the sandbox receives from a live ingress: its latest picture and audio levels, next to the
ingress's own state. Only the sandbox serves this (a LiveKit server has no such route), so the view
shows itself only for sandbox projects and live ingresses."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout

from ingress_studio.api.sandbox_preview import SandboxPreviewClient
from ingress_studio.config.project import Project, ProjectSource
from ingress_studio.ui.level_meter import LevelMeterView
from ingress_studio.ui.scaled_picture import ScaledPicture

log = logging.getLogger(__name__)

POLL_S = 0.2
MAX_WIDTH = 360


class ArrivalPreviewView(QGroupBox):
    def __init__(self) -> None:
        super().__init__("What the sandbox receives")
        self.picture = ScaledPicture(MAX_WIDTH)
        self.caption = QLabel()
        self.caption.setEnabled(False)  # muted: a caption, not a value
        self.caption.setWordWrap(True)
        self.meter = LevelMeterView()
        column = QVBoxLayout(self)
        column.addWidget(self.picture)
        column.addWidget(self.meter)
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
        self.meter.clear()
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
        if peaks:  # no audio track: no reading, and the bars fall back to silence
            self.meter.show_levels(peaks, [float(value) for value in levels.get("rms_db") or []])
