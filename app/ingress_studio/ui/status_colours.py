"""One colour per ingress status, shared by the table's badges and the details panel."""

from __future__ import annotations

from PySide6.QtGui import QColor

from ingress_studio.display.ingress_view import DISABLED_BADGE
from ingress_studio.domain.ingress_kinds import Status

STATUS_COLOURS: dict[int, str] = {
    Status.ENDPOINT_INACTIVE: "#7f8c8d",
    Status.ENDPOINT_BUFFERING: "#d68910",
    Status.ENDPOINT_PUBLISHING: "#1e8449",
    Status.ENDPOINT_ERROR: "#c0392b",
    Status.ENDPOINT_COMPLETE: "#2471a3",
    DISABLED_BADGE: "#566573",
}


def status_colour(status: int) -> QColor:
    return QColor(STATUS_COLOURS.get(status, "#7f8c8d"))
