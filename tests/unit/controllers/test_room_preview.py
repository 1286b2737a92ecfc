"""RoomPreview's decisions: when the watcher joins, leaves, and what the view says. The watcher itself is a
recording link here (what is decided is which commands go out); tests/ui/test_room_view.py drives the real
watcher child into a real sandbox room."""

from __future__ import annotations

from livekit.protocol import ingress as ingress_pb

from ingress_studio.children.exits import Crashed
from ingress_studio.children.watch_commands import StopWatching, WatchRoom
from ingress_studio.children.watch_events import (
    EndReason,
    RoomConnection,
    RoomState,
    WatchedParticipant,
    WatchedTrack,
    WatchEnded,
    WatcherHello,
)
from ingress_studio.config.project import Project, ProjectSource
from ingress_studio.controllers.room_preview import NO_SECRET, NOT_LIVE, STARTING, RoomPreview
from support.recording_link import RecordingLink

PROJECT = Project("Sandbox", "http://127.0.0.1:7880", "devkey", "secret", ProjectSource.SANDBOX)
Status = ingress_pb.IngressState.Status


def ingress(
    status: int = Status.ENDPOINT_PUBLISHING, room: str = "studio", identity: str = "cam"
) -> ingress_pb.IngressInfo:
    info = ingress_pb.IngressInfo(ingress_id="IN_a", name="Main camera", room_name=room, participant_identity=identity)
    info.state.status = status  # type: ignore[assignment]
    return info


def started() -> tuple[RoomPreview, RecordingLink, list[str]]:
    watcher = RecordingLink()
    preview = RoomPreview(watcher, mint=lambda project, room: f"token-for-{room}")
    said: list[str] = []
    preview.status.connect(said.append)
    return preview, watcher, said


def test_a_live_selection_on_screen_starts_the_watcher_and_joins_after_its_hello() -> None:
    preview, watcher, said = started()
    preview.follow(PROJECT, ingress(), on_screen=True)
    assert watcher.starts == 1 and watcher.sent == [] and said[-1] == STARTING
    preview.handle(WatcherHello(1, "0.1.0"))
    (join,) = watcher.sent
    assert isinstance(join, WatchRoom)
    assert (join.url, join.token, join.identity) == (PROJECT.url, "token-for-studio", "cam")
    assert said[-1] == "Joining room “studio”…"


def test_refreshes_of_the_same_ingress_join_once() -> None:
    preview, watcher, _said = started()
    preview.follow(PROJECT, ingress(), on_screen=True)
    preview.handle(WatcherHello(1, "0.1.0"))
    for _ in range(5):
        preview.follow(PROJECT, ingress(), on_screen=True)
    assert len(watcher.sent) == 1


def test_not_live_hidden_or_another_room_leaves_the_room() -> None:
    preview, watcher, said = started()
    preview.follow(PROJECT, ingress(), on_screen=True)
    preview.handle(WatcherHello(1, "0.1.0"))
    preview.follow(PROJECT, ingress(), on_screen=False)
    assert isinstance(watcher.sent[-1], StopWatching) and said[-1] == NOT_LIVE
    preview.follow(PROJECT, ingress(), on_screen=True)
    preview.follow(PROJECT, ingress(room="green-room"), on_screen=True)
    assert [type(command) for command in watcher.sent] == [WatchRoom, StopWatching, WatchRoom, StopWatching, WatchRoom]
    last = watcher.sent[-1]
    assert isinstance(last, WatchRoom) and last.token == "token-for-green-room"
    preview.follow(PROJECT, ingress(Status.ENDPOINT_INACTIVE), on_screen=True)
    assert isinstance(watcher.sent[-1], StopWatching)


def test_without_the_projects_secret_it_says_so_and_starts_nothing() -> None:
    preview, watcher, said = started()
    keyless = Project("Cloud", "https://x.livekit.cloud", "APIkey", None, ProjectSource.SAVED)
    preview.follow(keyless, ingress(), on_screen=True)
    assert watcher.starts == 0 and said[-1] == NO_SECRET


def test_the_participant_and_the_connection_are_said() -> None:
    preview, _watcher, said = started()
    preview.follow(PROJECT, ingress(), on_screen=True)
    preview.handle(WatcherHello(1, "0.1.0"))
    preview.handle(RoomState(RoomConnection.CONNECTED, ""))
    assert said[-1] == "In room “studio”, waiting for cam…"
    track = WatchedTrack("TR_v", "video", "video/H264", 1280, 720, True)
    preview.handle(WatchedParticipant("cam", "Camera", True, (track,)))
    assert said[-1] == "Watching Camera in room “studio” as a hidden viewer: video."
    preview.handle(WatchedParticipant("cam", "Camera", False, ()))
    assert "is not in room “studio”" in said[-1]


def test_a_refusal_is_one_sentence_and_is_not_retried_at_each_refresh() -> None:
    preview, watcher, said = started()
    preview.follow(PROJECT, ingress(), on_screen=True)
    preview.handle(WatcherHello(1, "0.1.0"))
    preview.handle(WatchEnded(False, EndReason.NO_PERMISSION, "the token may not join room “studio”."))
    assert said[-1] == "Could not watch room “studio”: the token may not join room “studio”."
    preview.follow(PROJECT, ingress(), on_screen=True)
    assert len(watcher.sent) == 1


def test_a_crashed_watcher_is_said_once_and_restarted_only_by_a_new_selection() -> None:
    preview, watcher, said = started()
    preview.follow(PROJECT, ingress(), on_screen=True)
    preview.handle(WatcherHello(1, "0.1.0"))
    watcher.running = False
    preview.handle_exit(Crashed("watcher", requested=False, after_ready=True, signal=6))
    assert said[-1].startswith(
        "The room viewer stopped while watching room “studio”: The watcher crashed (it was ended by SIGABRT"
    )
    preview.follow(PROJECT, ingress(), on_screen=True)
    assert watcher.starts == 1
    preview.follow(PROJECT, None, on_screen=True)
    preview.follow(PROJECT, ingress(), on_screen=True)
    assert watcher.starts == 2


def test_the_last_words_of_a_room_left_are_not_taken_for_the_next_ones() -> None:
    preview, _watcher, said = started()
    preview.follow(PROJECT, ingress(), on_screen=True)
    preview.handle(WatcherHello(1, "0.1.0"))
    preview.follow(PROJECT, ingress(room="green-room"), on_screen=True)  # stop, then watch the other room
    preview.handle(WatchedParticipant("cam", "Camera", False, ()))  # the first room's, before its end
    preview.handle(WatchEnded(True, EndReason.STOPPED, ""))
    assert said[-1] == "Joining room “green-room”…"
    preview.handle(RoomState(RoomConnection.CONNECTED, ""))
    assert said[-1] == "In room “green-room”, waiting for cam…"


def test_what_stops_the_view_from_watching_is_also_announced_as_a_failure_and_a_stop_is_not() -> None:
    preview, watcher, said = started()
    failures: list[str] = []
    preview.failed.connect(failures.append)
    preview.follow(PROJECT, ingress(), on_screen=True)
    preview.handle(WatcherHello(1, "0.1.0"))
    preview.follow(PROJECT, None, on_screen=True)  # left as asked: its end is no failure
    preview.handle(WatchEnded(True, EndReason.STOPPED, ""))
    preview.follow(PROJECT, ingress(), on_screen=True)
    preview.handle(WatchEnded(False, EndReason.REFUSED, "the server refused the join."))
    assert failures == [said[-1]] == ["Could not watch room “studio”: the server refused the join."]
    watcher.running = False
    preview.handle_exit(Crashed("watcher", requested=False, after_ready=True, signal=6))
    assert len(failures) == 2 and failures[-1] == said[-1] and failures[-1].startswith("The room viewer stopped")
    keyless = Project("Cloud", "https://x.livekit.cloud", "APIkey", None, ProjectSource.SAVED)
    preview.follow(keyless, ingress(), on_screen=True)
    assert failures[-1] == NO_SECRET
