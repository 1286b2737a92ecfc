"""The Go-live panel: the source, the encoding, other ingresses to send to at once, Start / Stop / Switch
source, and one line saying where the push is. It binds to the GoLive controller; the engine is a child."""

from __future__ import annotations

from collections.abc import Sequence

from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ingress_studio.children.engine_events import PushEnded
from ingress_studio.children.probe_report import ProbeReport
from ingress_studio.controllers.go_live import GoLive, GoLivePlan, LiveState
from ingress_studio.controllers.preflight import Preflight
from ingress_studio.controllers.push_plan import NO_INGRESS_SELECTED, build_plan, probe_request, pushable
from ingress_studio.controllers.source_choice import SourceChoice
from ingress_studio.display.stats_figures import Level
from ingress_studio.domain.ingress_kinds import INPUT_TYPE_LABELS
from ingress_studio.ui.form_widgets import WheelScrollsTheForm, hint_label
from ingress_studio.ui.level_colours import level_colour
from ingress_studio.ui.push_encoding_fields import PushEncodingFields
from ingress_studio.ui.source_picker import SourcePicker
from ingress_studio.ui.vertical_scroll_area import VerticalScrollArea

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
        self._stop_asked = False
        self._switching = False
        self._status_is_problem = False
        self._testing_latency = False  # the push is a latency test's: the test pattern, whatever the source shown
        self._ingress: ingress_pb.IngressInfo | None = None
        self._others: list[ingress_pb.IngressInfo] = []
        self._also: set[str] = set()  # ingress ids also sent to
        self._also_shown: tuple[tuple[str, str, bool], ...] = ()
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
        # The Start/Stop button as an action, for menus outside the panel (the tray's): one slot, one state.
        self.stream_action = QAction("Start streaming", self)
        self.stream_action.triggered.connect(lambda _checked=False: self._start_or_stop())
        self.status = QLabel(STATE_WORDS[LiveState.OFF])
        self.status.setWordWrap(True)
        self.plan = hint_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.also_button)
        self._buttons = buttons
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(6, 4, 6, 0)
        body_layout.setSpacing(4)
        body_layout.addWidget(self.title)
        body_layout.addLayout(form)
        body_layout.addWidget(self.plan)
        body_layout.addStretch(1)
        scroll = VerticalScrollArea(body)
        WheelScrollsTheForm(self).guard(body.findChildren(QComboBox) + body.findChildren(QAbstractSpinBox))
        for combo in body.findChildren(QComboBox):  # a narrow dock elides long items instead of clipping the box
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        # Start/Stop and the status line stay in sight however long the notes above grow (as OBS's Controls).
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing())
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(4)
        layout.addWidget(scroll, 1)
        bar = QVBoxLayout()
        bar.setContentsMargins(6, 0, 6, 0)
        bar.addLayout(buttons)
        bar.addWidget(self.status)
        layout.addLayout(bar)
        self._bar = bar
        self.start_button.clicked.connect(self._start_or_stop)
        self.switch_button.clicked.connect(self.switch_source)
        self.source.changed.connect(self._source_edited)
        go_live.state_changed.connect(self._state_changed)
        go_live.problem.connect(lambda sentence: self._say(self._while_live(sentence), problem=True))
        go_live.engine_died.connect(self._engine_died)
        go_live.path_chosen.connect(lambda path: self._show_plan(path.reason))
        go_live.source_switched.connect(self._switched)
        preflight.checking.connect(lambda: self._show_plan("Checking the source…"))
        preflight.checked.connect(self._show_report)
        preflight.could_not_check.connect(lambda sentence: self._show_plan(f"Not checked: {sentence}", True))
        preflight.refused.connect(lambda sentence: self._say(sentence, problem=True))
        self.encoding.changed.connect(self._recheck.start)
        go_live.ended.connect(self._ended)
        self._fill_also_menu()  # hidden until there is another ingress to send to
        self._update()

    # What the window tells it.

    def set_ingress(self, info: ingress_pb.IngressInfo | None) -> None:
        """The ingress selected in the table: the target of the next Start (a live push keeps its own)."""
        changed = (info.ingress_id if info else None) != self.ingress_id
        self._ingress = info
        if changed:
            self._forget_last_words()
        if self.go_live.state.pushing:
            self._update()  # the encoding shown is the live push's until it stops
            return
        profile = pushable(info) if info is not None else None
        if profile is None or isinstance(profile, str):
            expected_changed = self.encoding.set_expected(None, None, profile or "")
        else:
            expected_changed = self.encoding.set_expected(
                profile.video_profile, profile.audio_profile, profile.sentence
            )
        self._fill_also_menu()
        if changed or expected_changed:  # a refresh of the same ingress must not keep restarting the wait
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

    def add_latency_controls(self, button: QWidget, report: QWidget) -> None:
        """The latency test sits with Start (it pushes too), its line under the status, both always in sight."""
        self._buttons.insertWidget(self._buttons.indexOf(self.switch_button) + 1, button)
        self._bar.addWidget(report)

    def set_testing_latency(self, testing: bool) -> None:
        self._testing_latency = testing
        self._update()

    @property
    def selected(self) -> ingress_pb.IngressInfo | None:
        """The ingress selected in the table (the next Start's target)."""
        return self._ingress

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
                # what is missing yet: a hint, not an alarm (no ingress: the title says so already)
                self._show_plan(plan if isinstance(plan, str) and plan != NO_INGRESS_SELECTED else "")

    def _checked_problem(self) -> str | None:
        """Why the pre-flight check says what the panel shows cannot work (Start waits for a change), if it did."""
        report = self.preflight.report
        if report is None or report.ok:
            return None
        if self.preflight.request != probe_request(self.source.choice(), self._ingress, self.encoding.encoding()):
            return None  # a check of something else: what is shown now is checked again (or at Start)
        return report.problem or "This source cannot be sent to this ingress."

    def _show_report(self, report: ProbeReport) -> None:
        self._update()
        if report.ok:
            self._show_plan("\n".join(f"• {step}" for step in report.steps))
        else:
            self._show_plan(report.problem or "This source cannot be sent to this ingress.", problem=True)

    def current_plan(self) -> GoLivePlan | str:
        also = [info for info in self._others if info.ingress_id in self._also]
        return build_plan(self.source.choice(), self._ingress, also, self.encoding.encoding())

    def stop(self) -> None:
        self._stop_asked = True
        if self.preflight.start_waiting:
            self.preflight.cancel_start()
            self._say("Not started.")
        self.go_live.stop()

    def switch_source(self) -> None:
        choice = self.source.choice()
        refusal = choice.problem() or self.go_live.switch_source(choice.sources(), choice.audio, choice.loops)
        self._switching = refusal is None
        if refusal is not None:
            self._say(refusal, problem=True)
        else:
            self._say(f"Switching to {choice.describe()}…")

    def _switched(self, _event: object) -> None:
        self._switching = False
        self._say(f"Live from {self.source.choice().describe()}.")

    def restart(self) -> None:
        refusal = self.go_live.restart()
        if refusal is not None:
            self._say(refusal)

    @property
    def offers_restart(self) -> bool:
        """The engine died during a push: the one button starts it again with the same plan."""
        return self.go_live.engine_failure is not None and not self.go_live.state.pushing

    def _start_or_stop(self) -> None:  # one button, as in OBS
        if self.go_live.state.pushing:
            self.stop()
        elif self.offers_restart:
            self.restart()
        else:
            self.start()

    def _source_edited(self) -> None:
        self.source_changed.emit()
        self._recheck.start()
        self._forget_last_words()
        self._update()

    def _forget_last_words(self) -> None:
        """What was said about the last attempt stops being true once the streamer changes what to send."""
        if not self.go_live.state.pushing and not self.offers_restart:
            self._say(STATE_WORDS[LiveState.OFF])

    def _while_live(self, sentence: str) -> str:
        """A refused switch leaves the push as it was: say so."""
        if self._switching and self.go_live.state.pushing:
            self._switching = False
            return f"{sentence} Still sending the source that was live."
        return sentence

    def _ended(self, ended: PushEnded) -> None:
        if not ended.ok:
            return  # the problem event said why
        self._say("Stopped." if self._stop_asked else "The source ended, so the push finished.")

    # What the controller says.

    def _state_changed(self, state: LiveState) -> None:
        if state is not LiveState.OFF or not self._status_is_problem:  # why a push failed stays said
            self._say(STATE_WORDS[state])
        if state is LiveState.STARTING:
            self._stop_asked = False
            self._show_plan("")
        elif state is LiveState.STOPPING:
            self._stop_asked = True  # by Stop, or by a latency test that is done: not "the source ended"
        self._update()

    def _say(self, sentence: str, problem: bool = False) -> None:
        self.status.setText(sentence)
        self._status_is_problem = problem
        self._mark(self.status, problem)

    def _said(self, sentence: str) -> str:
        self._say(sentence, problem=True)
        return sentence

    def _show_plan(self, text: str, problem: bool = False) -> None:
        self.plan.setText(text)
        self.plan.setEnabled(problem)  # a plan is a muted hint; a problem is read at full strength, in red
        self._mark(self.plan, problem)

    def _mark(self, label: QLabel, problem: bool) -> None:
        colour = level_colour(Level.DANGER, self.palette()).name() if problem else ""
        label.setStyleSheet(f"color: {colour};" if colour else "")

    def _engine_died(self, sentence: str) -> None:
        self._say(f"{sentence} Press Restart to go live again.", problem=True)
        self._update()

    def _update(self) -> None:
        state = self.go_live.state
        pushing = state.pushing
        self.start_button.setText("Stop" if pushing else "Restart" if self.offers_restart else "Start")
        refused = None if pushing else self._checked_problem()
        self.start_button.setEnabled(
            state is not LiveState.STOPPING and (pushing or self._ingress is not None) and refused is None
        )
        self.start_button.setToolTip(refused or "")
        self.stream_action.setText(
            "Stop streaming" if pushing else "Restart streaming" if self.offers_restart else "Start streaming"
        )
        self.stream_action.setEnabled(self.start_button.isEnabled())
        self.stream_action.setToolTip(refused or "")
        plan = self.go_live.plan
        if pushing and plan is not None and self._testing_latency:
            self.title.setText(f"Testing the latency to {plan.target_words} with a stamped test pattern")
        elif pushing and plan is not None:
            self.title.setText(f"Live to {plan.target_words}")
        elif self.offers_restart and plan is not None:
            self.title.setText(f"Restart sends to {plan.target_words} again")  # what it does, not the selection
        elif self._ingress is not None:
            name = self._ingress.name or self._ingress.ingress_id
            self.title.setText(f"Go live to “{name}” ({INPUT_TYPE_LABELS.get(self._ingress.input_type, '?')})")
        else:
            self.title.setText(NO_INGRESS_SELECTED)
        can_switch = state in (LiveState.CONNECTING, LiveState.LIVE, LiveState.RECONNECTING)
        self.switch_button.setVisible(can_switch)
        remuxing = bool(self.go_live.path and self.go_live.path.remux)
        self.switch_button.setEnabled(can_switch and not remuxing)
        self.switch_button.setToolTip(
            "This push sends its file as it is, without re-encoding: its source cannot change while live."
            if remuxing
            else "Continue the live push from the source chosen above, without reconnecting"
        )
        self.encoding.set_editable(not pushing)
        self.also_button.setEnabled(not pushing)
        chosen = sum(1 for info in self._also_candidates() if info.ingress_id in self._also)
        self.also_button.setText(f"Also send to ({chosen})" if chosen else "Also send to")

    def _also_candidates(self) -> list[ingress_pb.IngressInfo]:
        main = self._ingress.ingress_id if self._ingress is not None else None
        return [info for info in self._others if info.ingress_id != main]

    def _fill_also_menu(self) -> None:
        others = self._also_candidates()
        shown = tuple((info.ingress_id, info.name, info.ingress_id in self._also) for info in others)
        if shown == self._also_shown and self.also_menu.actions():
            return  # the list refreshes every few seconds: an open menu must not be rebuilt under the pointer
        self._also_shown = shown
        self.also_menu.clear()
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
