"""The stats panel (the lead docks it as "Stats"): what leaves the engine beside what the ingress receives,
figures coloured by their OBS level, and the bitrate of the last minute.

It only binds: the figures and their levels come from controllers.stream_stats.StreamStats.
"""

from __future__ import annotations

from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ingress_studio.children.engine_events import PushStats
from ingress_studio.children.watch_events import WatchStats
from ingress_studio.controllers.stream_stats import DEFAULT_RECONNECT_TRIES, EngineFigures, IngressFigures, StreamStats
from ingress_studio.display.stats_figures import Figure, Level
from ingress_studio.ui.bitrate_graph import BitrateGraph
from ingress_studio.ui.level_colours import level_colour

# (name, label, tooltip): the names are the figures' fields, and the value labels' object names.
ENGINE_ROWS = (
    ("fps", "FPS", "Frames sent per second, against the rate the profile aims at"),
    ("skipped", "Skipped", "Frames skipped due to encoding lag: a live source the encoder could not keep up with"),
    ("lost", "Dropped", "Dropped frames (network): frames that never reached a target"),
    ("encode_lag", "Encode", "Time to encode one frame, against the time one frame lasts"),
    ("cpu", "CPU", "The engine's CPU use; 100 % is one whole core"),
    ("data_sent", "Sent", "Total data output"),
    ("bitrate", "Bitrate", "Bitrate sent over the last second"),
    ("uptime", "Uptime", "Time since the push started"),
)
INGRESS_ROWS = (
    ("status", "Status", "The ingress's status, as the server reports it"),
    ("input_size", "Input", "The picture size and codec the ingress receives"),
    ("fps", "FPS", "The frame rate the ingress measures, against the rate we aim to send"),
    ("bitrate", "Bitrate", "The average bitrate the ingress measures (video and audio)"),
    ("audio", "Audio", "The audio the ingress receives"),
    (
        "latency",
        "Latency",
        "Glass-to-glass, capture → the room's viewer, over the last 10 s: measured when the push stamps the "
        "clock (Go live ▸ Advanced ▸ Stamp the clock) and the room view watches",
    ),
)


def _bold(label: QLabel) -> QLabel:
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


ARRIVES_TITLE = "What arrives (ingress)"
MIN_WIDTH = 300  # at 1024x640 the dock has about 330 px: long figures elide rather than scroll


class StatsPanel(QWidget):
    """Call `show_stats` with each PushStats, `show_ingress` with the pushed-to ingress's info (or None when
    unknown), and `clear()` when no push runs; `set_reconnect_tries` with the start command's tries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = StreamStats()
        self._levels: dict[QLabel, tuple[Level, bool]] = {}
        self.status = _bold(self._value("engine.status", ok_in_colour=True))
        self.problem = self._value("engine.problem")
        self.problem.setWordWrap(True)
        self.advice = self._value("engine.advice")
        self.advice.setWordWrap(True)
        self.graph = BitrateGraph(self)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        grid.addWidget(_bold(QLabel("What leaves (engine)")), 0, 0, 1, 2)
        self.arrives_title = _bold(QLabel(ARRIVES_TITLE))
        self.arrives_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        grid.addWidget(self.arrives_title, 0, 2, 1, 2)
        self.engine_values = self._rows(grid, "engine", ENGINE_ROWS, column=0)
        self.ingress_values = self._rows(grid, "ingress", INGRESS_ROWS, column=2)
        self.ingress_values["status"].setProperty("ok-in-colour", True)
        self.ingress_problem = self._value("ingress.problem")
        self.ingress_problem.setWordWrap(True)
        grid.addWidget(self.ingress_problem, 1 + len(INGRESS_ROWS), 2, 2, 2, Qt.AlignmentFlag.AlignTop)
        # the engine's figures run longer ("1234 / 123456 (1.0 %)") than the ingress's
        grid.setColumnStretch(1, 8)
        grid.setColumnStretch(3, 7)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        layout.addWidget(self.status)
        layout.addWidget(self.problem)
        layout.addWidget(self.advice)
        layout.addLayout(grid)
        layout.addWidget(self.graph, 1)
        self.setMinimumWidth(MIN_WIDTH)
        self._render()

    # --- what the window calls ----------------------------------------------------------------

    def set_reconnect_tries(self, tries: int) -> None:
        self.model.reconnect_tries = tries or DEFAULT_RECONNECT_TRIES
        self._render()

    def show_stats(self, stats: PushStats) -> None:
        self.model.take_stats(stats)
        self._render()

    def show_room(self, stats: WatchStats | None) -> None:
        """The room viewer's figures (None when it watches nothing): the latency, when pictures carry the stamp."""
        self.model.take_room(stats)
        self._render()

    def show_ingress(self, info: ingress_pb.IngressInfo | None) -> None:
        self.model.take_ingress(info)
        name = (info.name or info.ingress_id) if info is not None else ""
        self.arrives_title.setText(f"What arrives at “{name}”" if name else ARRIVES_TITLE)
        self.arrives_title.setToolTip(self.arrives_title.text())
        self._render()

    def clear(self) -> None:
        """No push: the engine's figures empty (the ingress's stay, it is still there)."""
        self.model.clear()
        self._render()

    # --- binding ------------------------------------------------------------------------------

    def _value(self, name: str, ok_in_colour: bool = False) -> QLabel:
        label = QLabel()
        label.setObjectName(f"stats.{name}")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setProperty("ok-in-colour", ok_in_colour)
        return label

    def _rows(
        self, grid: QGridLayout, side: str, rows: tuple[tuple[str, str, str], ...], column: int
    ) -> dict[str, QLabel]:
        values = {}
        for row, (name, title, tip) in enumerate(rows, start=1):
            caption = QLabel(title)
            caption.setToolTip(tip)
            value = self._value(f"{side}.{name}")
            value.setToolTip(tip)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # long texts elide, not widen
            grid.addWidget(caption, row, column)
            grid.addWidget(value, row, column + 1)
            values[name] = value
        return values

    def _show(self, label: QLabel, figure: Figure) -> None:
        label.setText(figure.text)
        self._levels[label] = (figure.level, bool(label.property("ok-in-colour")))
        self._colour(label)

    def _colour(self, label: QLabel) -> None:
        level, ok_in_colour = self._levels[label]
        palette = QPalette(label.palette())
        palette.setColor(QPalette.ColorRole.WindowText, level_colour(level, self.palette(), ok_in_colour))
        label.setPalette(palette)

    def _render(self) -> None:
        engine: EngineFigures = self.model.engine
        ingress: IngressFigures = self.model.ingress
        self._show(self.status, engine.status)
        self._show(self.problem, Figure(engine.problem, Level.DANGER))
        self.problem.setVisible(bool(engine.problem))
        self._show(self.advice, Figure(engine.advice, Level.WARNING))
        self.advice.setVisible(bool(engine.advice))
        for name, label in self.engine_values.items():
            self._show(label, getattr(engine, name))
        for name, label in self.ingress_values.items():
            self._show(label, getattr(ingress, name))
        self._show(self.ingress_problem, Figure(ingress.problem, Level.DANGER))
        self.ingress_problem.setVisible(bool(ingress.problem))
        self.graph.set_points(self.model.history())

    def level_of(self, label: QLabel) -> Level:
        """The level a value label shows (for tests and accessibility checks)."""
        return self._levels[label][0]

    def changeEvent(self, event: QEvent) -> None:
        """A theme switch (light ↔ dark) recolours the figures for the new background."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._levels:
            for label in self._levels:
                self._colour(label)
