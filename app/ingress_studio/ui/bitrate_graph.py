"""The bitrate of the last minute as a line over a kbps scale, painted with QPainter in the palette's colours."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ingress_studio.controllers.stream_stats import HISTORY_WINDOW_S, BitratePoint
from ingress_studio.display.bitrate_scale import BitrateScale, bitrate_scale

MARGIN = 4
AXIS_GAP = 4  # between the scale's numbers and the plot


class BitrateGraph(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: tuple[BitratePoint, ...] = ()
        self.scale = bitrate_scale(0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(40)
        self.setAccessibleName("Bitrate over the last minute")

    def sizeHint(self) -> QSize:
        return QSize(400, 90)

    def set_points(self, points: Sequence[BitratePoint]) -> None:
        """Oldest first, each with its age in seconds (0 for the newest)."""
        self._points = tuple(points)
        self.scale = bitrate_scale(max((p.bits_per_second / 1000 for p in self._points), default=0))
        self.update()

    @property
    def points(self) -> tuple[BitratePoint, ...]:
        return self._points

    def _plot_area(self, label_width: int, label_height: int) -> QRectF:
        left = MARGIN + label_width + AXIS_GAP
        top = MARGIN + label_height * 1.5  # room for the unit above the top number
        bottom = self.height() - MARGIN - label_height - AXIS_GAP
        return QRectF(left, top, max(1, self.width() - MARGIN - left), max(1, bottom - top))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        metrics = painter.fontMetrics()
        scale: BitrateScale = self.scale
        unit = "kbps"
        label_width = max(metrics.horizontalAdvance(text) for text in (unit, *(f"{k}" for k in scale.lines_kbps)))
        area = self._plot_area(label_width, metrics.height())
        painter.fillRect(area, palette.color(QPalette.ColorRole.Base))
        grid = QColor(palette.color(QPalette.ColorRole.Mid))
        text = palette.color(QPalette.ColorRole.WindowText)

        def y_of(kbps: float) -> float:
            return area.bottom() - area.height() * min(kbps, scale.top_kbps) / scale.top_kbps

        painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        for kbps in scale.lines_kbps:
            y = y_of(kbps)
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        painter.setPen(text)
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(QRectF(MARGIN, MARGIN, label_width, metrics.height()), right, unit)
        for kbps in labelled_lines(scale, area.height(), metrics.height()):
            label = QRectF(MARGIN, y_of(kbps) - metrics.height() / 2, label_width, metrics.height())
            painter.drawText(label, right, f"{kbps}")
        below = area.bottom() + AXIS_GAP
        bottom_row = QRectF(area.left(), below, area.width(), metrics.height())
        painter.drawText(bottom_row, int(Qt.AlignmentFlag.AlignLeft), f"{HISTORY_WINDOW_S:g} s ago")
        painter.drawText(bottom_row, int(Qt.AlignmentFlag.AlignRight), "now")
        painter.setPen(QPen(grid, 1))
        painter.drawRect(area)
        if len(self._points) >= 2:
            line = QPolygonF(
                [
                    QPointF(area.right() - area.width() * p.age_s / HISTORY_WINDOW_S, y_of(p.bits_per_second / 1000))
                    for p in self._points
                ]
            )
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.drawPolyline(line)
        painter.end()


def labelled_lines(scale: BitrateScale, plot_height: float, text_height: int) -> tuple[int, ...]:
    """The lines whose numbers fit without touching: every line, or every other, down to the top one alone."""
    lines = scale.lines_kbps
    for every in range(1, len(lines) + 1):
        shown = lines[::-1][::every]  # counted from the top, which is always labelled
        if plot_height * every / len(lines) >= text_height or len(shown) == 1:
            return tuple(reversed(shown))
    return lines[-1:]
