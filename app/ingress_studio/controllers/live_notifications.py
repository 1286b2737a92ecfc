"""What the tray tells a streamer who is not looking at the window, without Qt: its tone and words (idle,
live, in trouble), and the desktop notifications worth an interruption.

Notified: an ingress watched (the one selected) or pushed to (the live plan's) moving to PUBLISHING or ERROR,
and a push's target starting to reconnect. Only transitions count: the first state seen of an ingress (at
start, after a project switch, a new row) is where it was, not a change; a poll that finds the same state
says nothing. What changes in one list, or one stats event, is one notice (coalesced), never a burst.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from livekit.protocol import ingress as ingress_pb

from ingress_studio.children.engine_events import PushEnded, PushState, PushStats
from ingress_studio.config.project import Project
from ingress_studio.controllers.events import Event
from ingress_studio.controllers.go_live import GoLive, LiveState
from ingress_studio.controllers.ingress_list import IngressList
from ingress_studio.domain.ingress_kinds import Status

MAX_ERROR_CHARS = 300  # a server's error can be long; a notification is read at a glance


class Tone(Enum):
    IDLE = "idle"  # grey: nothing is pushed
    LIVE = "live"  # red, like OBS's tray icon while streaming
    TROUBLE = "trouble"  # amber: reconnecting, a watched ingress in ERROR, or the last push failed


@dataclass(frozen=True)
class TrayLook:
    tone: Tone
    words: str  # the tooltip's sentence


@dataclass(frozen=True)
class Notice:
    title: str
    body: str = ""
    problem: bool = False

    @property
    def line(self) -> str:
        """All of it on one line, for a status bar."""
        return "  ·  ".join(self.body.splitlines()) if self.body else self.title


def quoted(name: str) -> str:
    return f"“{name}”"


def ingress_name(info: ingress_pb.IngressInfo) -> str:
    return quoted(info.name or info.ingress_id)


def coalesced(sentences: list[str], problem: bool) -> Notice | None:
    """One notice for what happened at once: the first sentence as its title, all of them in its body."""
    if not sentences:
        return None
    if len(sentences) == 1:
        return Notice(sentences[0], problem=problem)
    return Notice(f"{sentences[0]} (and {len(sentences) - 1} more)", "\n".join(sentences), problem)


def failure_sentence(info: ingress_pb.IngressInfo) -> str:
    error = " ".join(info.state.error.split())
    if len(error) > MAX_ERROR_CHARS:
        error = error[: MAX_ERROR_CHARS - 1] + "…"
    return f"{ingress_name(info)} failed: {error}" if error else f"{ingress_name(info)} failed."


class LiveNotifications:
    def __init__(self, go_live: GoLive, ingresses: IngressList) -> None:
        self._go_live = go_live
        self._ingresses = ingresses
        self._project: Project | None = None
        self._statuses: dict[str, int] = {}  # every ingress of the project, watched or not: the baseline
        self._failed: dict[str, str] = {}  # watched ingresses in ERROR: their sentence
        self._reconnecting: dict[str, int] = {}  # the push's targets reconnecting now: their attempt
        self._push_failure: str | None = None  # the last push ended badly; said until the next Start
        self.look = TrayLook(Tone.IDLE, "Not live.")
        self.notice = Event[[Notice]]()
        self.look_changed = Event[[TrayLook]]()
        ingresses.listed.connect(self._listed)
        ingresses.updated.connect(lambda info: self._seen([info], whole_list=False))
        go_live.state_changed.connect(self._state_changed)
        go_live.stats.connect(self._stats)
        go_live.ended.connect(self._ended)
        go_live.engine_died.connect(self._push_failed)

    def watched_ids(self) -> set[str]:
        """The ingress shown in the details, and while a push runs, every ingress it sends to."""
        watched = {self._ingresses.selected_id} if self._ingresses.selected_id else set()
        plan = self._go_live.plan
        if self._go_live.state.pushing and plan is not None:
            watched.update(plan.ingress_ids)
        return watched

    # -- the ingresses ---------------------------------------------------------------------------------

    def _listed(self, infos: list[ingress_pb.IngressInfo]) -> None:
        project = self._ingresses.project
        if project != self._project:
            self._project = project  # another project's rows are not earlier states of these
            self._statuses.clear()
            self._failed.clear()
        self._seen(infos, whole_list=True)

    def _seen(self, infos: list[ingress_pb.IngressInfo], whole_list: bool) -> None:
        watched = self.watched_ids()
        sentences: list[str] = []
        problem = False
        for info in infos:
            status = info.state.status
            before = self._statuses.get(info.ingress_id)
            self._statuses[info.ingress_id] = status
            if status == Status.ENDPOINT_ERROR and info.ingress_id in watched:
                self._failed[info.ingress_id] = failure_sentence(info)
            else:
                self._failed.pop(info.ingress_id, None)
            if before is None or before == status or info.ingress_id not in watched:
                continue
            if status == Status.ENDPOINT_PUBLISHING:
                sentences.append(f"{ingress_name(info)} is live")
            elif status == Status.ENDPOINT_ERROR:
                sentences.append(self._failed[info.ingress_id])
                problem = True
        if whole_list:  # deleted ones: if an id came back, its first state would be no transition either
            present = {info.ingress_id for info in infos}
            for gone in set(self._statuses) - present:
                del self._statuses[gone]
                self._failed.pop(gone, None)
        self._announce(coalesced(sentences, problem))

    # -- the push --------------------------------------------------------------------------------------

    def _state_changed(self, state: LiveState) -> None:
        if state is LiveState.STARTING:
            self._push_failure = None
        if state is LiveState.OFF:
            self._reconnecting.clear()
        stats = self._go_live.last_stats
        if state in (LiveState.LIVE, LiveState.RECONNECTING) and stats is not None:
            self._stats(stats)  # the stats that moved the state come next: read them now, for one look
        else:
            self._announce(None)

    def _stats(self, stats: PushStats) -> None:
        reconnecting = {
            target.name: target.reconnect_attempt for target in stats.targets if target.state is PushState.RECONNECTING
        }
        if not stats.targets and stats.state is PushState.RECONNECTING:  # an engine that lists no targets
            plan = self._go_live.plan
            reconnecting = {plan.target_words if plan else "the ingress": stats.reconnect_attempt}
        started = [name for name in reconnecting if name not in self._reconnecting]
        self._reconnecting = reconnecting
        self._announce(coalesced([self._reconnect_sentence(name) for name in started], problem=True))

    def _reconnect_sentence(self, name: str) -> str:
        target = name if name.startswith("“") else quoted(name)
        return f"Reconnecting to {target} (attempt {max(1, self._reconnecting[name])})…"

    def _ended(self, ended: PushEnded) -> None:
        if not ended.ok:
            self._push_failed(ended.message or "The push failed.")

    def _push_failed(self, sentence: str) -> None:
        self._push_failure = sentence
        self._announce(None)

    # -- what is shown ---------------------------------------------------------------------------------

    def _announce(self, notice: Notice | None) -> None:
        look = self._look()
        if look != self.look:
            self.look = look
            self.look_changed.emit(look)
        if notice is not None:
            self.notice.emit(notice)

    def _look(self) -> TrayLook:
        state = self._go_live.state
        plan = self._go_live.plan
        target = plan.target_words if plan is not None else "the ingress"
        if self._reconnecting:
            name = next(iter(self._reconnecting))
            return TrayLook(Tone.TROUBLE, self._reconnect_sentence(name))
        if state is LiveState.RECONNECTING:
            return TrayLook(Tone.TROUBLE, f"Reconnecting to {target}…")
        if self._failed:
            return TrayLook(Tone.TROUBLE, "\n".join(self._failed.values()))
        if state is LiveState.LIVE:
            return TrayLook(Tone.LIVE, f"Live to {target}.")
        if state in (LiveState.STARTING, LiveState.CONNECTING):
            return TrayLook(Tone.LIVE, f"Going live to {target}…")
        if state is LiveState.STOPPING:
            return TrayLook(Tone.LIVE, "Stopping…")
        if self._push_failure is not None:
            return TrayLook(Tone.TROUBLE, self._push_failure)
        return TrayLook(Tone.IDLE, "Not live.")
