"""Audio meters, one horizontal bar per channel, painted like OBS's mixer: a -60..0 dBFS scale with ticks
under the bars; green, amber and red zones; the RMS as a solid bar, the peak as its lighter extension, the held
peak as a line, and a clipping light per channel (a click on the meter puts it out). The ballistics are the
Qt-free AudioMeter; a ~30 Hz timer runs only while something still moves, so an idle meter costs nothing."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHideEvent, QMouseEvent, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ingress_studio.controllers.audio_meter import AudioMeter, ChannelReading
from ingress_studio.controllers.meter_scale import (
    AMBER_FROM_DB,
    FLOOR_DB,
    RED_FROM_DB,
    TICKS_DB,
    Zone,
    db_fraction,
    zone,
)

TICK_MS = 33  # ~30 Hz: smooth to the eye, a few repaints of a small widget
BAR_THICKNESS = 10
BAR_GAP = 3
TICK_LENGTH = 3
CLIP_LIGHT = 7
HOLD_LINE = 2


def blend(first: QColor, second: QColor, share: float) -> QColor:
    """`share` of the first colour, the rest of the second (in 8-bit steps, as it is painted)."""

    def mix(a: int, b: int) -> int:
        return round(share * a + (1 - share) * b)

    return QColor(mix(first.red(), second.red()), mix(first.green(), second.green()), mix(first.blue(), second.blue()))


BRIGHT = {Zone.GREEN: QColor("#4cff4c"), Zone.AMBER: QColor("#ffd24c"), Zone.RED: QColor("#ff4c4c")}
DIM = {Zone.GREEN: QColor("#1f4d1f"), Zone.AMBER: QColor("#5a4a1c"), Zone.RED: QColor("#5a1f1f")}
PEAK = {key: blend(BRIGHT[key], DIM[key], 0.55) for key in Zone}
CLIP_ON = QColor("#ff2020")
CLIP_OFF = QColor("#3a3a3a")
ZONE_SPANS = (
    (FLOOR_DB, AMBER_FROM_DB, Zone.GREEN),
    (AMBER_FROM_DB, RED_FROM_DB, Zone.AMBER),
    (RED_FROM_DB, 0.0, Zone.RED),
)


def tick_text(db: float) -> str:
    return f"\N{MINUS SIGN}{-int(db)}" if db < 0 else "0"  # a real minus sign: a hyphen looks like a dash


class LevelMeterView(QWidget):
    def __init__(self, clock: Callable[[], float] = time.monotonic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AudioMeter()
        self._clock = clock
        self._shown: tuple[ChannelReading, ...] = self.model.readings
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        self.setFont(font)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Audio levels")
        self.setToolTip(
            "Audio levels in dBFS: the solid bar is the RMS, its lighter part the peak, the line the held peak.\n"
            "The light turns red when a channel clips (at \N{MINUS SIGN}0.5 dBFS or more);"
            " click the meter to put it out."
        )

    @property
    def readings(self) -> tuple[ChannelReading, ...]:
        """What the meter shows now, per channel."""
        return self._shown

    def show_levels(self, peak_db: Sequence[float], rms_db: Sequence[float]) -> None:
        channels = len(self._shown)
        self.model.feed(peak_db, rms_db, self._clock())
        self._repaint_if_changed()
        if len(self._shown) != channels:
            self.updateGeometry()
        self._run_timer_while_moving()

    def reset_clipping(self) -> None:
        self.model.reset_clipping()
        self._repaint_if_changed()
        self._run_timer_while_moving()

    def clear(self) -> None:
        """Silence on two channels, nothing held or lit, and no timer."""
        self.model.clear()
        self.timer.stop()
        self._repaint_if_changed()
        self.updateGeometry()

    def bar_rect(self, channel: int) -> QRectF:
        """Where a channel's bar is painted, from the floor of the scale (left) to 0 dBFS (right)."""
        metrics = QFontMetrics(self.font())
        left = metrics.horizontalAdvance(tick_text(FLOOR_DB)) / 2 + 1  # room for the floor's label, centred
        right = max(CLIP_LIGHT + BAR_GAP, metrics.horizontalAdvance("0") / 2 + 1)
        top = channel * (BAR_THICKNESS + BAR_GAP)
        return QRectF(left, top, max(1.0, self.width() - left - right), BAR_THICKNESS)

    def x_at(self, db: float) -> float:
        bar = self.bar_rect(0)
        return bar.left() + db_fraction(db) * bar.width()

    def point_at(self, channel: int, db: float) -> QPoint:
        """The pixel in the middle of a channel's bar at this level (for looking at what was painted)."""
        return QPoint(int(self.x_at(db)), round(self.bar_rect(channel).center().y()))

    def clip_light_rect(self, channel: int) -> QRectF:
        return QRectF(self.width() - CLIP_LIGHT, self.bar_rect(channel).top(), CLIP_LIGHT, BAR_THICKNESS)

    def sizeHint(self) -> QSize:
        channels = len(self._shown)
        bars = channels * BAR_THICKNESS + (channels - 1) * BAR_GAP
        return QSize(240, bars + TICK_LENGTH + 1 + QFontMetrics(self.font()).height())

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.sizeHint().height())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton:
            self.reset_clipping()
        super().mousePressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._run_timer_while_moving()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.timer.stop()  # nobody sees it; the next reading or showing catches up

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        for channel, reading in enumerate(self._shown):
            bar = self.bar_rect(channel)
            for low, high, span_zone in ZONE_SPANS:
                painter.fillRect(self._span(bar, low, high), DIM[span_zone])
                for level, colours in ((reading.peak_db, PEAK), (reading.rms_db, BRIGHT)):
                    if level > low:
                        painter.fillRect(self._span(bar, low, min(level, high)), colours[span_zone])
            if reading.hold_db > FLOOR_DB:
                held = self.x_at(reading.hold_db)
                mark = QRectF(max(bar.left(), held - HOLD_LINE), bar.top(), HOLD_LINE, bar.height())
                painter.fillRect(mark, BRIGHT[zone(reading.hold_db)])
            painter.fillRect(self.clip_light_rect(channel), CLIP_ON if reading.clipping else CLIP_OFF)
        self._paint_scale(painter)
        painter.end()

    def _paint_scale(self, painter: QPainter) -> None:
        metrics = QFontMetrics(self.font())
        painter.setPen(self.palette().windowText().color())
        below = self.bar_rect(len(self._shown) - 1).bottom() + 1
        last_label: QRectF | None = None
        for db in TICKS_DB:  # from 0 dBFS down: on a narrow meter the low labels give way, not the loud ones
            x, text = self.x_at(db), tick_text(db)
            painter.drawLine(round(x), round(below), round(x), round(below + TICK_LENGTH - 1))
            width = metrics.horizontalAdvance(text) + 4
            label = QRectF(x - width / 2, below + TICK_LENGTH, width, metrics.height())
            if last_label is None or not label.intersects(last_label):
                painter.drawText(label, Qt.AlignmentFlag.AlignCenter, text)
                last_label = label

    def _span(self, bar: QRectF, low_db: float, high_db: float) -> QRectF:
        left = self.x_at(low_db)
        return QRectF(left, bar.top(), self.x_at(high_db) - left, bar.height())

    def _tick(self) -> None:
        self.model.advance(self._clock())
        self._repaint_if_changed()
        self._run_timer_while_moving()

    def _repaint_if_changed(self) -> None:
        readings = self.model.readings
        if readings != self._shown:
            self._shown = readings
            self.update()

    def _run_timer_while_moving(self) -> None:
        if self.model.settled or not self.isVisible():
            self.timer.stop()
        elif not self.timer.isActive():
            self.timer.start()
