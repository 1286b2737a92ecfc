"""The window's live side, as docks like OBS's: Go live (source, encoding, Start/Stop), What we send (the
engine's preview and meters), Stats. It owns the engine child and the GoLive controller that drives it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import Path

from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QWidget

from ingress_studio.children.engine_client import STOP_GRACE_S
from ingress_studio.children.engine_events import PushStats
from ingress_studio.children.watch_client import STOP_GRACE_S as WATCHER_STOP_GRACE_S
from ingress_studio.config.project import Project
from ingress_studio.controllers.dropped_items import SortedDrop
from ingress_studio.controllers.go_live import GoLive, LiveState
from ingress_studio.controllers.latency_test import LatencyTest
from ingress_studio.controllers.playback_position import PlaybackPosition
from ingress_studio.controllers.preflight import Preflight
from ingress_studio.controllers.push_plan import PushEncoding
from ingress_studio.controllers.room_preview import RoomPreview
from ingress_studio.controllers.source_choice import SourceChoice, SourceKind
from ingress_studio.domain.ingress_kinds import is_live
from ingress_studio.ui.devices_process import DevicesProcess
from ingress_studio.ui.engine_process import EngineProcess
from ingress_studio.ui.go_live_panel import GoLivePanel
from ingress_studio.ui.latency_test_controls import LatencyTestControls
from ingress_studio.ui.preferences import Preferences
from ingress_studio.ui.probe_process import ProbeProcess
from ingress_studio.ui.room_view import RoomView
from ingress_studio.ui.send_preview import SendPreview
from ingress_studio.ui.stats_panel import StatsPanel
from ingress_studio.ui.watcher_process import WatcherProcess


def _dock(window: QMainWindow, title: str, name: str, widget: QWidget, scrolls: bool = True) -> QDockWidget:
    """A dock whose content scrolls up and down when the dock is short, and never sideways."""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)  # saveState/restoreState find it by name
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable  # View brings it back
    )
    if scrolls:  # a plain one: what it holds may be squeezed (pictures scale down, figures elide)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(widget)
        widget = scroll
    dock.setWidget(widget)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    return dock


DOCK_HEIGHT = 340  # of 800: the table keeps room for about a dozen rows above it
DOCK_WIDTHS = [400, 250, 250]  # Go live, What we send, What the room sees; Stats takes the rest


class LiveDocks:
    def __init__(self, window: QMainWindow, preferences: Preferences) -> None:
        self._window = window
        self._preferences = preferences
        self.engine = EngineProcess(parent=window)
        self.go_live = GoLive(self.engine)
        for signal in (
            self.engine.hello,
            self.engine.started,
            self.engine.path,
            self.engine.stats,
            self.engine.preview,
            self.engine.levels,
            self.engine.source,
            self.engine.error,
            self.engine.ended,
        ):
            signal.connect(self.go_live.handle)
        self.engine.exited.connect(self.go_live.handle_exit)
        self.prober = ProbeProcess(parent=window)
        self.preflight = Preflight(self.prober, self.go_live)
        self.prober.finished.connect(self.preflight.finished)
        self.prober.failed.connect(self.preflight.failed)
        self.panel = GoLivePanel(self.go_live, self.preflight)
        self.panel.set_choice(SourceChoice.from_json(preferences.last_source))
        self.panel.source.folder = preferences.file_folder
        self.panel.encoding.set_encoding(PushEncoding.from_advanced_json(preferences.push_encoding))
        self.panel.encoding.changed.connect(self._remember_encoding)
        self.panel.source_changed.connect(self._remember_source)
        self.devices = DevicesProcess(parent=window)
        self.devices.finished.connect(self.panel.source.set_devices)
        self.devices.failed.connect(lambda sentence: self.say(f"Devices could not be listed: {sentence}"))
        self._devices_listed = False
        self.panel.source.kind.currentIndexChanged.connect(self._list_devices_once)
        self._list_devices_once()
        self.go_live_dock = _dock(window, "Go live", "go-live-dock", self.panel, scrolls=False)  # it scrolls itself
        self.sending = SendPreview()
        self.sending.setTitle("")  # the dock's title says it
        self.sending.clear()
        self.sending_dock = _dock(window, "What we send", "what-we-send-dock", self.sending)
        self.watcher = WatcherProcess(parent=window)
        self.room = RoomPreview(self.watcher)
        self.watcher.received.connect(self.room.handle)
        self.watcher.exited.connect(self.room.handle_exit)
        self._room_subject: tuple[Project | None, ingress_pb.IngressInfo | None] = (None, None)
        self.room_view = RoomView(self.room)
        self.room_dock = _dock(window, "What the room sees", "what-the-room-sees-dock", self.room_view)
        self.room_dock.visibilityChanged.connect(lambda _visible: self.room_on_screen_changed())
        self.latency = LatencyTest(self.go_live, self.room)
        self.latency.started.connect(self._show_room_dock)  # the room viewer only joins while it is on screen
        self.latency_controls = LatencyTestControls(self.latency, self._test_latency, self.panel)
        self.panel.add_latency_controls(self.latency_controls.button, self.latency_controls.report)
        self.latency.phase_changed.connect(lambda phase: self.panel.set_testing_latency(phase.running))
        self.stats = StatsPanel()
        self.stats_dock = _dock(window, "Stats", "stats-dock", self.stats)
        window.splitDockWidget(self.go_live_dock, self.sending_dock, Qt.Orientation.Horizontal)
        window.splitDockWidget(self.sending_dock, self.room_dock, Qt.Orientation.Horizontal)
        window.splitDockWidget(self.room_dock, self.stats_dock, Qt.Orientation.Horizontal)
        window.resizeDocks([self.go_live_dock], [DOCK_HEIGHT], Qt.Orientation.Vertical)
        window.resizeDocks(
            [self.go_live_dock, self.sending_dock, self.room_dock], DOCK_WIDTHS, Qt.Orientation.Horizontal
        )
        self.go_live.preview.connect(self.sending.show_preview)
        self.go_live.levels.connect(self.sending.show_levels)
        self.go_live.stats.connect(self._stats)
        self.room.figures.connect(self.stats.show_room)
        self.room.cleared.connect(lambda: self.stats.show_room(None))
        self._live_ingress: str | None = None  # the ingress the push started with: its state beside ours
        self._live_info: ingress_pb.IngressInfo | None = None  # its newest state
        self._live_project: Project | None = None  # where it is: the window may show another project meanwhile
        self.go_live.state_changed.connect(self._state_changed)
        self.may_close = False  # the streamer agreed to end a live push by closing (or a signal asked)
        self._exited = asyncio.Event()
        self.engine.exited.connect(lambda _exit: self._exited.set())

    def _test_latency(self) -> str | None:
        return self.latency.start(self._room_subject[0], self.panel.selected, self.panel.encoding.encoding())

    def _show_room_dock(self) -> None:
        self.room_dock.show()
        self.room_dock.raise_()

    def _state_changed(self, state: LiveState) -> None:
        if state is LiveState.STARTING:
            report = self.preflight.report  # of the panel's source: a latency test sends the test pattern
            has_video = self.latency.running or report is None or any(source.video for source in report.sources)
            self.sending.starting(has_video=has_video)
            self.stats.clear()
            plan = self.go_live.plan
            self._live_ingress = plan.ingress_ids[0] if plan is not None and plan.ingress_ids else None
            self._live_project = self._room_subject[0]
            self._preferences.last_ingress = self._live_ingress or ""
            if plan is not None:
                self.stats.set_reconnect_tries(plan.reconnect_tries)
        elif state is LiveState.OFF:
            self.sending.clear()
            self._live_ingress = self._live_info = self._live_project = None
            self.room_on_screen_changed()
            if self.go_live.engine_failure is not None:
                self.stats.clear()  # a dead engine's last figures are not what is on air

    def _stats(self, stats: PushStats) -> None:
        self.stats.show_stats(stats)
        self.sending.show_position(PlaybackPosition.of_stats(stats))

    def _list_devices_once(self) -> None:
        """Cameras, microphones and screens are listed (by a child) the first time one is wanted."""
        if not self._devices_listed and self.panel.source.current_kind().uses_device:
            self._devices_listed = True
            self.devices.start()

    def _remember_encoding(self) -> None:
        self._preferences.push_encoding = self.panel.encoding.encoding().advanced_json()

    def _remember_source(self) -> None:
        self._preferences.last_source = self.panel.source.choice().to_json()
        if self.panel.source.folder != self._preferences.file_folder:
            self._preferences.file_folder = self.panel.source.folder

    def set_ingress(self, info: ingress_pb.IngressInfo | None) -> None:
        self.panel.set_ingress(info)

    def set_ingresses(self, infos: Sequence[ingress_pb.IngressInfo]) -> None:
        self.panel.set_ingresses(infos)
        for info in infos:
            self.ingress_updated(info)

    def ingress_updated(self, info: ingress_pb.IngressInfo) -> None:
        """What the server reports for the ingress being pushed to, beside what the engine sends."""
        if info.ingress_id == self._live_ingress:
            self._live_info = info
            self.room_on_screen_changed()
        if info.ingress_id == (self._live_ingress or self.panel.ingress_id):
            # While we push to it, always; otherwise only a session in progress (not a past one's numbers).
            self.stats.show_ingress(info if self._live_ingress or is_live(info) else None)

    @property
    def docks(self) -> list[QDockWidget]:
        return [self.go_live_dock, self.sending_dock, self.room_dock, self.stats_dock]

    def follow_room(self, project: Project | None, info: ingress_pb.IngressInfo | None) -> None:
        """The selected ingress (and its newest state): what the room view watches while it is live."""
        self._room_subject = (project, info)
        self.room_on_screen_changed()

    def room_on_screen_changed(self) -> None:
        """The dock or the window was shown, hidden or minimized: a view nobody sees leaves the room.

        It watches the selected ingress while that one is live, else the one we push to (so the docks
        agree while another ingress is looked at)."""
        on_screen = self.room_dock.isVisible() and not self._window.isMinimized()
        project, selected = self._room_subject
        if selected is None or not is_live(selected):
            project, selected = self._live_project, self._live_info
        self.room.follow(project, selected, on_screen)

    def take_drop(self, drop: SortedDrop) -> str:
        """Dropped media or a URL becomes the source; what was not taken is said (and returned)."""
        if drop.media:
            self.take_files(drop.media)
        elif drop.url is not None:
            self.take_url(drop.url)
        refused = " ".join(drop.refusals)
        if refused:
            self.say(refused)
        return refused

    def take_files(self, paths: list[Path]) -> None:
        """Dropped or opened files become the source (several: a playlist, its loop setting kept)."""
        self.panel.set_choice(self.panel.source.choice().with_files(paths))
        self._remember_source()
        self.go_live_dock.raise_()

    def take_url(self, url: str) -> None:
        choice = self.panel.source.choice()
        self.panel.set_choice(SourceChoice(SourceKind.URL, choice.files, choice.loop, url, audio=choice.audio))
        self._remember_source()
        self.go_live_dock.raise_()

    def say(self, sentence: str) -> None:
        self.panel.status.setText(sentence)

    @property
    def live(self) -> bool:
        return self.go_live.state is not LiveState.OFF

    def quit_question(self) -> tuple[str, str, str, str]:
        """Title, question, detail and action of the confirmation before closing while live."""
        plan = self.go_live.plan
        target = f"“{plan.targets[0].label}”" if plan is not None and plan.targets else "an ingress"
        return (
            "Quit while live?",
            f"You are live to {target}.",
            "Quitting stops the stream now (the ingress ends its session cleanly).",
            "Stop streaming and quit",
        )

    def cancel_checks(self) -> None:
        """The one-shot children (pre-flight, devices) hold nothing worth a clean end: they stop now."""
        self.panel.stop_checking()
        self.prober.cancel()
        self.devices.cancel()

    async def shutdown(self) -> None:
        """Stop the engine cleanly (RTMP end of stream, WHIP DELETE), killing it if it takes too long; the
        watcher leaves its room at the same time."""
        self.cancel_checks()
        await self.latency.close()
        await asyncio.gather(self._stop_engine(), self._stop_watcher())

    async def _stop_watcher(self) -> None:
        if not self.watcher.running:
            return
        gone = asyncio.Event()
        self.watcher.exited.connect(lambda _exit: gone.set())
        self.watcher.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(gone.wait(), WATCHER_STOP_GRACE_S)
            return
        self.watcher.kill()

    async def _stop_engine(self) -> None:
        if not self.engine.running:
            return
        self._exited.clear()
        self.engine.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._exited.wait(), STOP_GRACE_S)
            return
        self.engine.kill()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._exited.wait(), 2)
