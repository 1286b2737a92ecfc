"""The Go-live panel: the source, the encoding, other ingresses to send to at once, Start / Stop / Switch
source, and one line saying where the push is. It binds to the GoLive controller; the engine is a child."""

from __future__ import annotations

from collections.abc import Sequence

from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ingress_studio.children.probe_report import ProbeReport
from ingress_studio.controllers.go_live import GoLive, GoLivePlan, LiveState
from ingress_studio.controllers.preflight import Preflight
from ingress_studio.controllers.push_plan import PushEncoding, build_plan, probe_request, pushable
from ingress_studio.controllers.source_choice import SourceChoice
from ingress_studio.domain.ingress_kinds import INPUT_TYPE_LABELS
from ingress_studio.ui.form_widgets import hint_label
from ingress_studio.ui.push_encoding_fields import PushEncodingFields
from ingress_studio.ui.source_picker import SourcePicker

PREFLIGHT_DELAY_MS = 600  # after the last edit: typing a URL starts no probe per key

STATE_WORDS = {
    LiveState.OFF: "Not live.",
    LiveState.STARTING: "Starting the engine…",
    LiveState.CONNECTING: "Connecting…",
    LiveState.LIVE: "Live.",
    LiveState.RECONNECTING: "Reconnecting…",
    LiveState.STOPPING: "Stopping…",
}


class GoLivePanel(QWidget):
    source_changed = Signal()  # the streamer edited the source (the window keeps it for next time)

    def __init__(self, go_live: GoLive, preflight: Preflight, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.go_live = go_live
        self.preflight = preflight
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(PREFLIGHT_DELAY_MS)
        self._recheck.timeout.connect(self.check_source)
        self._checking_stopped = False
        self._ingress: ingress_pb.IngressInfo | None = None
        self._others: list[ingress_pb.IngressInfo] = []
        self._also: set[str] = set()  # ingress ids also sent to
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        form = QFormLayout()
        form.setVerticalSpacing(4)
        self.source = SourcePicker(form, self)
        self.encoding = PushEncodingFields(form, self)
        self.also_button = QToolButton()
        self.also_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.also_menu = QMenu(self.also_button)
        self.also_button.setMenu(self.also_menu)
        self.start_button = QPushButton("Start")
        self.start_button.setDefault(True)
        self.switch_button = QPushButton("Switch source")
        self.switch_button.setToolTip("Continue the live push from the source chosen above, without reconnecting")
        self.restart_button = QPushButton("Restart")
        self.restart_button.setVisible(False)
        self.status = QLabel(STATE_WORDS[LiveState.OFF])
        self.status.setWordWrap(True)
        self.plan = hint_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.switch_button)
        buttons.addWidget(self.restart_button)
        buttons.addStretch(1)
        buttons.addWidget(self.also_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.plan)
        layout.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.start_button.clicked.connect(self._start_or_stop)
        self.switch_button.clicked.connect(self.switch_source)
        self.restart_button.clicked.connect(self.restart)
        self.source.changed.connect(self._source_edited)
        go_live.state_changed.connect(self._state_changed)
        go_live.problem.connect(self._say)
        go_live.engine_died.connect(self._engine_died)
        go_live.path_chosen.connect(lambda path: self.plan.setText(path.reason))
        preflight.checking.connect(lambda: self.plan.setText("Checking the source…"))
        preflight.checked.connect(self._show_report)
        preflight.could_not_check.connect(lambda sentence: self.plan.setText(f"Not checked: {sentence}"))
        preflight.refused.connect(self._say)
        self.encoding.changed.connect(self._recheck.start)
        go_live.ended.connect(lambda ended: self._say(ended.message) if not ended.ok else None)
        self._update()

    # What the window tells it.

    def set_ingress(self, info: ingress_pb.IngressInfo | None) -> None:
        """The ingress selected in the table: the target of the next Start (a live push keeps its own)."""
        self._ingress = info
        profile = pushable(info) if info is not None else None
        if profile is None or isinstance(profile, str):
            self.encoding.set_expected(None, None, profile or "")
        else:
            self.encoding.set_expected(profile.video_profile, profile.audio_profile, profile.sentence)
        self._fill_also_menu()
        self._recheck.start()
        self._update()

    def set_ingresses(self, infos: Sequence[ingress_pb.IngressInfo]) -> None:
        """Every ingress of the project: the ones that take a push can be sent to as well."""
        self._others = [info for info in infos if not isinstance(pushable(info), str)]
        known = {info.ingress_id for info in self._others}
        self._also &= known
        self._fill_also_menu()
        self._update()

    def set_choice(self, choice: SourceChoice) -> None:
        self.source.set_choice(choice)

    @property
    def ingress_id(self) -> str | None:
        return self._ingress.ingress_id if self._ingress is not None else None

    # What the streamer does.

    def start(self) -> str | None:
        """Go live with what the panel shows; the sentence that stops it, if any (also shown)."""
        plan = self.current_plan()
        if isinstance(plan, str):
            return self._said(plan)
        request = probe_request(self.source.choice(), self._ingress, self.encoding.encoding())
        if request is None:  # build_plan found nothing wrong, so this cannot happen; never start unchecked
            return self._said("There is nothing to check: choose a source and an ingress.")
        refusal = self.preflight.start(plan, request)
        if refusal is None and self.preflight.start_waiting:
            self._say("Checking the source before going live…")
        return refusal

    def stop_checking(self) -> None:
        """The window is closing: no more pre-flight checks."""
        self._checking_stopped = True
        self._recheck.stop()

    def check_source(self) -> None:
        """The pre-flight plan for what the panel shows now (only while nothing is live)."""
        if not self.go_live.state.pushing and not self._checking_stopped:
            request = probe_request(self.source.choice(), self._ingress, self.encoding.encoding())
            self.preflight.check(request)
            if request is None:
                plan = self.current_plan()
                self.plan.setText(plan if isinstance(plan, str) else "")

    def _show_report(self, report: ProbeReport) -> None:
        if report.ok:
            self.plan.setText("\n".join(f"• {step}" for step in report.steps))
        else:
            self.plan.setText(report.problem or "This source cannot be sent to this ingress.")

    def current_plan(self) -> GoLivePlan | str:
        also = [info for info in self._others if info.ingress_id in self._also]
        return build_plan(self.source.choice(), self._ingress, also, self.encoding.encoding())

    def stop(self) -> None:
        if self.preflight.start_waiting:
            self.preflight.cancel_start()
            self._say("Not started.")
        self.go_live.stop()

    def switch_source(self) -> None:
        choice = self.source.choice()
        refusal = choice.problem() or self.go_live.switch_source(choice.sources(), choice.audio, choice.loop)
        self._say(refusal or f"Switching to {choice.describe()}…")

    def restart(self) -> None:
        self.restart_button.setVisible(False)
        refusal = self.go_live.restart()
        if refusal is not None:
            self._say(refusal)

    def _start_or_stop(self) -> None:  # one button, as in OBS
        if self.go_live.state.pushing:
            self.stop()
        else:
            self.start()

    def _source_edited(self) -> None:
        self.source_changed.emit()
        self._recheck.start()
        self._update()

    # What the controller says.

    def _state_changed(self, state: LiveState) -> None:
        if state is not LiveState.OFF or self.go_live.engine_failure is None:
            self.status.setText(STATE_WORDS[state])
        if state is LiveState.STARTING:
            self.plan.setText("")
        self._update()

    def _say(self, sentence: str) -> None:
        self.status.setText(sentence)

    def _said(self, sentence: str) -> str:
        self._say(sentence)
        return sentence

    def _engine_died(self, sentence: str) -> None:
        self.status.setText(f"{sentence} Press Restart to go live again.")
        self.restart_button.setVisible(True)
        self._update()

    def _update(self) -> None:
        state = self.go_live.state
        pushing = state.pushing
        self.start_button.setText("Stop" if pushing else "Start")
        self.start_button.setEnabled(state is not LiveState.STOPPING and (pushing or self._ingress is not None))
        live_to = self.go_live.plan.targets[0].label if pushing and self.go_live.plan else None
        if live_to:
            self.title.setText(f"Live to “{live_to}”")
        elif self._ingress is not None:
            name = self._ingress.name or self._ingress.ingress_id
            self.title.setText(f"Go live to “{name}” ({INPUT_TYPE_LABELS.get(self._ingress.input_type, '?')})")
        else:
            self.title.setText("Select an ingress to go live to.")
        can_switch = state in (LiveState.CONNECTING, LiveState.LIVE, LiveState.RECONNECTING)
        self.switch_button.setVisible(can_switch)
        self.switch_button.setEnabled(can_switch and not (self.go_live.path and self.go_live.path.remux))
        self.encoding.set_editable(not pushing)
        self.also_button.setEnabled(not pushing)
        chosen = sum(1 for info in self._also_candidates() if info.ingress_id in self._also)
        self.also_button.setText(f"Also send to ({chosen})" if chosen else "Also send to")

    def _also_candidates(self) -> list[ingress_pb.IngressInfo]:
        main = self._ingress.ingress_id if self._ingress is not None else None
        return [info for info in self._others if info.ingress_id != main]

    def _fill_also_menu(self) -> None:
        self.also_menu.clear()
        others = self._also_candidates()
        self.also_button.setVisible(bool(others))
        for info in others:
            action = self.also_menu.addAction(
                f"{info.name or info.ingress_id} ({INPUT_TYPE_LABELS.get(info.input_type, '?')})"
            )
            action.setCheckable(True)
            action.setChecked(info.ingress_id in self._also)
            action.toggled.connect(lambda on, ingress_id=info.ingress_id: self._toggle_also(ingress_id, on))

    def _toggle_also(self, ingress_id: str, on: bool) -> None:
        if on:
            self._also.add(ingress_id)
        else:
            self._also.discard(ingress_id)
        self._update()

    def saved_encoding(self) -> PushEncoding:
        return self.encoding.encoding()
